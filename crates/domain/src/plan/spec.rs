//! The shape of a plan file (data/plans/*.toml) as written by people.

use super::{Comparator, Evaluation, PlanKind};
use crate::source::FileDate;
use crate::source::{FileError, SourceFile};
use crate::units::Level;
use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub plan: PlanHeader,
    pub budget: Option<BudgetSpec>,
    #[serde(default)]
    pub targets: Vec<Spanned<TargetSpec>>,
    #[serde(default)]
    pub tasks: Vec<Spanned<TaskSpec>>,
    #[serde(default)]
    pub duties: Vec<Spanned<super::duty::DutySpec>>,
}

impl PlanFile {
    pub fn parse(src: SourceFile<'_>) -> Result<Self, FileError> {
        src.parse_toml()
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    /// A stable short name, for plans whose number is blank or shared.
    pub key: Spanned<String>,
    /// Số, ký hiệu: `117/NQ-HĐND`; as printed, even when the number is blank.
    pub number: String,
    pub kind: PlanKind,
    pub title: String,
    pub issuer: String,
    pub issued_on: Option<FileDate>,
    /// The covered unit's code, valid on the issue date and the period's start;
    /// absent for the whole country.
    pub unit: Option<Spanned<String>>,
    pub period_from: Spanned<FileDate>,
    pub period_to: FileDate,
    /// The number or key of the plan this one implements.
    pub implements: Option<Spanned<String>>,
    pub note: Option<String>,
    /// The original text, a file beside this one.
    pub text_file: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetSpec {
    /// The total the document states, checked against the years.
    pub total: Option<Spanned<i64>>,
    /// Nguồn kinh phí: where the money comes from.
    pub source: Option<String>,
    #[serde(default)]
    pub years: Vec<Spanned<BudgetYearSpec>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetYearSpec {
    pub year: i32,
    pub amount: i64,
    pub item: Option<String>,
    pub agency: Option<Spanned<String>>,
}

/// A threshold: one value, or a range `[low, high]`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum Threshold {
    Value(f64),
    Range([f64; 2]),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetSpec {
    pub code: String,
    pub group: String,
    pub clause: Option<String>,
    pub text: String,
    pub indicator: Spanned<String>,
    pub comparator: Comparator,
    pub threshold: Spanned<Threshold>,
    pub evaluation: Evaluation,
    /// Defaults to the level of the plan's unit.
    pub scope_level: Option<Level>,
    pub period_from: Option<FileDate>,
    pub period_to: Option<FileDate>,
    /// For `indicator = "reported"`: what the value is (percent, count or
    /// percent change); for a computed indicator the catalogue says it.
    pub measure: Option<Measure>,
    /// For `indicator = "reported"`: the agency that reports the value.
    pub reporter: Option<Spanned<String>>,
}

/// What a reported value measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Percent,
    Count,
    Growth,
}

impl Measure {
    pub fn kind(self) -> super::IndicatorKind {
        match self {
            Measure::Percent => super::IndicatorKind::PercentOfItems,
            Measure::Count => super::IndicatorKind::Count,
            Measure::Growth => super::IndicatorKind::Growth,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskSpec {
    pub code: String,
    pub title: String,
    pub text: String,
    pub lead: Spanned<String>,
    #[serde(default)]
    pub co: Vec<Spanned<String>>,
    pub due: Option<FileDate>,
}
