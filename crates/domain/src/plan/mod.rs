//! Plans (kế hoạch, nghị quyết, quyết định, chương trình): legal documents that
//! set targets, assign tasks to agencies and allocate a budget. A plan is data:
//! every province's plan is a file of the same shape (see data/plans/).

mod directory;
pub mod draft;
pub mod duty;
pub mod indicator;
mod spec;
mod validate;

pub use directory::MemoryDirectory;
pub use indicator::{Indicator, IndicatorId, IndicatorKind, CATALOGUE};
pub use spec::{BudgetSpec, BudgetYearSpec, Measure, PlanFile, PlanHeader, TargetSpec, TaskSpec, Threshold};
pub use validate::{validate_plan, Directory};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The kind of legal document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// Nghị quyết (of a People's Council).
    Resolution,
    /// Kế hoạch (of a People's Committee).
    Plan,
    /// Quyết định.
    Decision,
    /// Chương trình (a national programme).
    Programme,
}

impl PlanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PlanKind::Resolution => "resolution",
            PlanKind::Plan => "plan",
            PlanKind::Decision => "decision",
            PlanKind::Programme => "programme",
        }
    }
}

/// How a target's value is compared with its threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
    /// Within a range, bounds included (Lai Châu's +3 % to +5 %).
    Between,
}

impl Comparator {
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::AtLeast => "at_least",
            Comparator::AtMost => "at_most",
            Comparator::Between => "between",
        }
    }
}

/// Over which stretch of time a target is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evaluation {
    /// Each calendar year of the plan's period on its own ("hằng năm").
    EachYear,
    /// The whole period at once, reached by its end ("đến năm 2025").
    WholePeriod,
}

impl Evaluation {
    pub fn as_str(self) -> &'static str {
        match self {
            Evaluation::EachYear => "each_year",
            Evaluation::WholePeriod => "whole_period",
        }
    }
}

/// A validated plan, ready to store; units, agencies and parent are still codes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub key: String,
    pub number: String,
    pub kind: PlanKind,
    pub title: String,
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    pub unit_code: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub implements: Option<String>,
    pub note: Option<String>,
    pub original_text: Option<String>,
    pub budget_total: Option<i64>,
    pub budget_source: Option<String>,
    pub budget_lines: Vec<BudgetLine>,
    pub targets: Vec<Target>,
    pub tasks: Vec<Task>,
    /// Chế độ báo cáo: who reports to whom, how often, due when.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<duty::Duty>,
}

/// Chỉ tiêu: an indicator must be at least / at most / between values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub code: String,
    pub group: String,
    pub clause: Option<String>,
    /// The target's own words in the plan, verbatim.
    pub text: String,
    pub indicator: IndicatorId,
    pub kind: IndicatorKind,
    pub comparator: Comparator,
    pub threshold_low: f64,
    pub threshold_high: Option<f64>,
    pub evaluation: Evaluation,
    pub scope_level: crate::units::Level,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// For a target no indicator computes (`IndicatorId::Reported`): the agency
    /// that reports its value each period (cơ quan báo cáo); none lets the
    /// plan's coordinators report it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
    /// The key of the plan the target belongs to: reported values are kept by
    /// plan and target code. Not part of the plan's content.
    #[serde(skip)]
    pub plan_key: String,
}

/// Nhiệm vụ: a task assigned to a lead agency with co-agencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub code: String,
    pub title: String,
    pub text: String,
    pub lead_agency: String,
    pub co_agencies: Vec<String>,
    pub due: Option<NaiveDate>,
}

/// Dự toán: money allocated to a plan for a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetLine {
    pub year: i32,
    pub item: String,
    pub agency: Option<String>,
    pub allocated: i64,
}
