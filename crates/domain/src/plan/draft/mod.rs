//! A plan drafted from its text (dự thảo kế hoạch từ văn bản): the heading,
//! every numbered target with its threshold and a suggested indicator, the
//! budget checked against its total, the agencies' tasks, the reporting
//! duties, and every sentence with a number that could not be placed. A
//! draft is for a person to check and confirm; nothing in it is trusted
//! until then.

mod budget;
mod duties;
mod header;
mod numbers;
pub mod outline;
mod suggest;
mod targets;

pub use budget::{DraftBudget, DraftBudgetYear};
pub use duties::{DraftDuty, DraftTask, Frequency, KnownAgency};
pub use numbers::Unit;

use crate::plan::{Comparator, Evaluation, PlanKind};
use crate::units::Level;
use chrono::NaiveDate;
use serde::Serialize;

/// One target as read from the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftTarget {
    /// The item's numbering as printed: "a3", "3.1.2", "đ".
    pub code: String,
    pub group: String,
    pub clause: String,
    /// This target's own words.
    pub text: String,
    /// The whole paragraph it stands in, to mark it beside the text.
    pub sentence: String,
    pub line: usize,
    pub indicator: Option<String>,
    pub indicator_reason: Option<String>,
    pub comparator: Comparator,
    pub threshold_low: f64,
    pub threshold_high: Option<f64>,
    /// Readable: "≥ 70%", "+3% – +5%", "≥ 1".
    pub threshold: String,
    pub unit: Unit,
    pub reading: String,
    pub evaluation: Evaluation,
    pub evaluation_reason: String,
    pub scope_level: Option<Level>,
}

/// A sentence with a number that was not read as a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unplaced {
    pub line: usize,
    pub sentence: String,
    pub reason: String,
}

/// The draft of a plan, fields named as `plans show --format json` names them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Draft {
    pub key: String,
    pub number: String,
    pub kind: Option<PlanKind>,
    pub title: String,
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    /// The covered territory as named ("tỉnh Sóc Trăng"); its code is found by the caller.
    pub unit_name: Option<String>,
    pub unit_code: Option<String>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub implements: Option<String>,
    pub budget: Option<DraftBudget>,
    pub targets: Vec<DraftTarget>,
    pub tasks: Vec<DraftTask>,
    pub reporting: Vec<DraftDuty>,
    pub unplaced: Vec<Unplaced>,
}

/// Drafts a plan from its text. `agencies` are the province's agencies, to
/// recognise leads and co-agencies by name (may be empty).
pub fn draft(text: &str, agencies: &[KnownAgency]) -> Draft {
    let paras = outline::paragraphs(text);
    let h = header::header(&paras);
    let one_year = h.period.is_some_and(|(a, b)| a == b);
    let (targets, mut unplaced) = targets::targets(&paras, one_year);
    // Percentages outside the targets' section may be targets the layout hid.
    let in_targets: Vec<usize> = targets.iter().map(|t| t.line).collect();
    let sections = targets::sections(&paras);
    for p in &paras {
        let inside = sections.iter().any(|&(h, e)| paras.get(h..e).is_some_and(|s| s.iter().any(|q| q.line == p.line)));
        if !inside && p.body.contains('%') && !in_targets.contains(&p.line) {
            unplaced.push(Unplaced { line: p.line, sentence: p.text.clone(), reason: "a percentage outside the targets' section".into() });
        }
    }
    let tasks = duties::tasks(&paras, agencies);
    let reporting = duties::duties(&paras, &tasks);
    let key = key_of(&h);
    Draft {
        key,
        number: h.number,
        kind: h.kind,
        title: h.title,
        issuer: h.issuer,
        issued_on: h.issued_on,
        unit_name: h.unit_name,
        unit_code: None,
        period_from: h.period.and_then(|(a, _)| NaiveDate::from_ymd_opt(a, 1, 1)),
        period_to: h.period.and_then(|(_, b)| NaiveDate::from_ymd_opt(b, 12, 31)),
        implements: h.implements,
        budget: budget::budget(&paras),
        targets,
        tasks,
        reporting,
        unplaced,
    }
}

impl Draft {
    /// The day the covered unit is looked up on: the issue date, else the period's start.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.issued_on.or(self.period_from)
    }

    /// Finds the covered unit's code by its name on that day.
    pub fn find_unit(&mut self, units: &crate::units::UnitIndex) -> Option<i64> {
        let (name, day) = (self.unit_name.as_deref()?, self.as_of()?);
        let u = units.by_name(name, day)?;
        self.unit_code = Some(u.code.clone());
        Some(u.id)
    }
}

/// A key from the place, number and year: "soc-trang-117-2023".
fn key_of(h: &header::Header) -> String {
    let place = crate::text::slug(h.unit_name.as_deref().map(|n| n.trim_start_matches("tỉnh ").trim_start_matches("thành phố ")).unwrap_or(&h.place));
    let number: String = h.number.split('/').next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
    let year = h.issued_on.map(|d| chrono::Datelike::year(&d)).or(h.period.map(|(a, _)| a));
    [place, number, year.map(|y| y.to_string()).unwrap_or_default()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-")
}

mod toml_out;
pub use toml_out::to_toml;

#[cfg(test)]
mod seeds_tests;
