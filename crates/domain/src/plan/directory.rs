//! An in-memory `Directory`, built from the unit lists, agencies and plans that
//! are being loaded together, or from what the store already holds.

use super::Directory;
use crate::units::Level;
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Default, Clone)]
pub struct MemoryDirectory {
    units: HashMap<String, Vec<(Level, NaiveDate, NaiveDate)>>,
    agencies: HashSet<String>,
    plans: HashSet<String>,
}

impl MemoryDirectory {
    pub fn add_unit(&mut self, code: &str, level: Level, from: NaiveDate, to: NaiveDate) {
        self.units.entry(code.to_string()).or_default().push((level, from, to));
    }

    pub fn add_agency(&mut self, code: &str) {
        self.agencies.insert(code.to_string());
    }

    pub fn is_empty_of_units(&self) -> bool {
        self.units.is_empty()
    }

    /// Registers a plan under its number and its key.
    pub fn add_plan(&mut self, number: &str, key: &str) {
        self.plans.insert(number.to_string());
        self.plans.insert(key.to_string());
    }
}

impl Directory for MemoryDirectory {
    fn unit_level(&self, code: &str, on: NaiveDate) -> Option<Level> {
        self.units.get(code)?.iter().find(|(_, f, t)| *f <= on && on <= *t).map(|(l, _, _)| *l)
    }

    fn agency_known(&self, code: &str) -> bool {
        self.agencies.contains(code)
    }

    fn plan_known(&self, number_or_key: &str) -> bool {
        self.plans.contains(number_or_key)
    }
}
