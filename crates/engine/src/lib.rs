//! The target engine: evaluates any target of a plan for any unit and period,
//! from the records as they stand (no batch rebuild), and says which records
//! and units are behind each figure.
//!
//! See `status` for how `met`, `on track`, `at risk`, `not met` and `no data`
//! are decided, and `territory` for how the 2025 reform is crossed.

mod facts;
mod indicators;
pub mod status;
pub mod territory;

pub use indicators::Part;
pub use status::Status;
pub use territory::{Structure, Territory};

use chrono::NaiveDate;
use facts::FactBook;
use pcmd_domain::period::Period;
use pcmd_domain::plan::Comparator;
use pcmd_domain::units::{Unit, UnitIndex};
use pcmd_store::{Store, StoreError, TargetView};
use serde::Serialize;
use std::collections::HashMap;

/// One target's figure for one unit and period.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub target: String,
    pub indicator: String,
    pub unit_code: String,
    pub unit_name: String,
    pub period: Period,
    pub as_of: NaiveDate,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub comparator: String,
    pub threshold_low: f64,
    pub threshold_high: Option<f64>,
    pub status: Status,
    /// Why there is no figure, or how the territory was re-mapped.
    pub note: Option<String>,
    /// What the figure is made of, item by item (communes, districts, months…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
}

/// Evaluates targets against one store; facts are read once per range and reused.
pub struct Engine<'a> {
    units: &'a UnitIndex,
    facts: FactBook<'a>,
    territories: HashMap<(i64, NaiveDate, NaiveDate), Result<Territory, territory::NoTerritory>>,
}

fn comparator_of(t: &TargetView) -> Comparator {
    match t.comparator.as_str() {
        "at_most" => Comparator::AtMost,
        "between" => Comparator::Between,
        _ => Comparator::AtLeast,
    }
}

impl<'a> Engine<'a> {
    pub fn new(store: &'a Store, units: &'a UnitIndex) -> Self {
        Engine { units, facts: FactBook::new(store, None), territories: HashMap::new() }
    }

    /// An engine for units inside `roots` only: it reads the facts of the units
    /// any of their territories can hold (see `territory::reach`), not the
    /// country's. A dashboard evaluates one province and its communes this way.
    pub fn within(store: &'a Store, units: &'a UnitIndex, roots: &[&Unit]) -> Self {
        let ids = territory::reach(units, roots);
        Engine { units, facts: FactBook::new(store, Some(ids)), territories: HashMap::new() }
    }

    /// Evaluates `target` for `scope` over `period`, counting what was recorded up to `as_of`.
    /// A target judged over its whole period is cumulative from the target's start.
    pub async fn evaluate(&mut self, target: &TargetView, scope: &Unit, period: &Period, as_of: NaiveDate) -> Result<Evaluation, StoreError> {
        let judged = if target.evaluation == "whole_period" {
            Period::new(period.label.clone(), target.period_from.min(period.from), period.to)
        } else {
            period.clone()
        };
        let mut e = Evaluation {
            target: target.code.clone(),
            indicator: target.indicator.clone(),
            unit_code: scope.code.clone(),
            unit_name: scope.name.clone(),
            period: judged.clone(),
            as_of,
            value: None,
            numerator: None,
            denominator: None,
            comparator: target.comparator.clone(),
            threshold_low: target.threshold_low,
            threshold_high: target.threshold_high,
            status: Status::NoData,
            note: None,
            parts: Vec::new(),
        };
        if as_of < judged.from {
            e.note = Some("kỳ chưa bắt đầu (the period has not begun)".into());
            return Ok(e);
        }
        let units = self.units;
        let territory = self.territories.entry((scope.id, judged.from, judged.to)).or_insert_with(|| Territory::build(units, scope, &judged));
        let territory = match territory {
            Ok(t) => &*t,
            Err(why) => {
                e.note = Some(format!("{} ({})", why.vi, why.en));
                return Ok(e);
            }
        };
        let figure = indicators::compute(&mut self.facts, self.units, &target.indicator, territory, &judged, as_of).await?;
        e.parts = figure.parts;
        e.note = figure.no_data.or_else(|| territory.note.clone());
        e.numerator = figure.numerator;
        e.denominator = figure.denominator;
        e.value = figure.value;
        if let Some(value) = figure.value {
            let span = if target.evaluation == "whole_period" { Period::new("", target.period_from, target.period_to) } else { judged };
            let cumulative = indicators::is_cumulative(&target.indicator);
            e.status = status::decide(value, comparator_of(target), target.threshold_low, target.threshold_high, span.elapsed(as_of), cumulative);
        }
        Ok(e)
    }
}
