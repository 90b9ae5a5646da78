//! New records as a form, an import row or the demo generator gives them.
//! Units are codes, resolved by the store on the record's date.

use super::*;
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewEstablishment {
    pub name: String,
    pub kind: EstablishmentKind,
    pub unit_code: String,
    pub address: Option<String>,
    pub licence: Option<String>,
    pub workers: i64,
    /// The day it opened, if known; the unit is resolved on this day (or `as_of`).
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewActivity {
    pub held_on: NaiveDate,
    pub unit_code: String,
    pub form: ActivityForm,
    pub topic: String,
    pub organiser: Option<String>,
    #[serde(default)]
    pub reached_at_risk_workers: i64,
    #[serde(default)]
    pub reached_industrial_workers: i64,
    #[serde(default)]
    pub reached_students: i64,
    #[serde(default)]
    pub reached_community: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewPublication {
    pub published_on: NaiveDate,
    pub unit_code: String,
    pub outlet: String,
    pub outlet_level: OutletLevel,
    pub medium: Medium,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewInspection {
    pub inspected_on: NaiveDate,
    pub establishment_id: i64,
    pub team_level: TeamLevel,
    pub team: Option<String>,
    pub findings: Option<String>,
    #[serde(default)]
    pub violations: i64,
    #[serde(default)]
    pub sanctions: i64,
    #[serde(default)]
    pub fines_vnd: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewTip {
    pub received_on: NaiveDate,
    pub channel: TipChannel,
    pub category: TipCategory,
    pub unit_code: String,
    #[serde(default)]
    pub is_complex: bool,
    #[serde(default)]
    pub is_remote: bool,
    /// Particularly complex (đặc biệt phức tạp): the longest limit or the most extensions.
    #[serde(default)]
    pub is_very_complex: bool,
    pub status: TipStatus,
    /// The day the clock starts when its law counts from acceptance (ngày thụ lý)
    /// or from the record of an administrative violation (ngày lập biên bản).
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    /// The new deadline after the extensions the law allows, if granted.
    pub extended_until: Option<NaiveDate>,
    /// Suspension (tạm đình chỉ) and resumption, where the law allows them.
    #[serde(default)]
    pub suspended_on: Option<NaiveDate>,
    #[serde(default)]
    pub resumed_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    /// What was reported: personal data, sealed at rest.
    #[serde(default)]
    pub content: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewCaseSummary {
    pub year: i32,
    pub unit_code: String,
    pub criminal_cases: i64,
    pub defendants: i64,
    pub admin_violations: i64,
    pub persons_sanctioned: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewDistrictPlan {
    pub unit_code: String,
    pub year: i32,
    pub document_ref: String,
    pub adopted_on: Option<NaiveDate>,
    #[serde(default)]
    pub integrates_socio_economic: bool,
    #[serde(default)]
    pub integrates_social_security: bool,
    #[serde(default)]
    pub integrates_drugs: bool,
    #[serde(default)]
    pub integrates_hiv: bool,
}

impl NewDistrictPlan {
    pub fn integrates_any(&self) -> bool {
        self.integrates_socio_economic || self.integrates_social_security || self.integrates_drugs || self.integrates_hiv
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewPilotModel {
    pub unit_code: String,
    pub name: String,
    pub kind: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub status: PilotStatus,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewSupportCase {
    /// Mã hồ sơ: pseudonymous, never a name.
    pub code: String,
    pub unit_code: String,
    pub opened_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub age_band: AgeBand,
    pub sex: Sex,
    pub needs_support: bool,
    pub eligible: bool,
    pub consent: bool,
    #[serde(default)]
    pub services: Vec<(NaiveDate, Service)>,
    /// Who the person is: sealed at rest, shown to caseworkers in scope alone.
    #[serde(default)]
    pub identity: Option<Identity>,
}

/// Nhân thân: a person's identity fields.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, Deserialize)]
pub struct Identity {
    pub full_name: String,
    pub date_of_birth: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewTraining {
    pub held_on: NaiveDate,
    pub unit_code: String,
    pub level: TeamLevel,
    pub title: String,
    pub organiser: Option<String>,
    #[serde(default)]
    pub participants_province: i64,
    #[serde(default)]
    pub participants_district: i64,
    #[serde(default)]
    pub participants_commune: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewReferenceFigure {
    pub kind: ReferenceKind,
    pub level: FigureLevel,
    pub unit_code: String,
    pub year: i32,
    pub value: i64,
    /// Where the figure comes from (a statistics yearbook, a department's letter…).
    pub reference: String,
    pub reference_date: Option<NaiveDate>,
}

/// Tiến độ: a report on a plan's task by its agency.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewTaskProgress {
    /// The plan's number or key.
    pub plan: String,
    pub task_code: String,
    pub reported_on: NaiveDate,
    pub status: TaskStatus,
    pub note: Option<String>,
    pub attachment_name: Option<String>,
}

/// Kinh phí đã chi: what was spent of a plan's budget line for a year.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NewBudgetSpending {
    pub plan: String,
    pub year: i32,
    /// The line's item, when the year has several lines.
    pub item: Option<String>,
    pub spent: i64,
}

/// Any new record, as read from a form or an import row.
#[derive(Debug, Clone, PartialEq)]
pub enum NewRecord {
    Establishment(NewEstablishment),
    Activity(NewActivity),
    Publication(NewPublication),
    Inspection(NewInspection),
    Tip(NewTip),
    CaseSummary(NewCaseSummary),
    DistrictPlan(NewDistrictPlan),
    PilotModel(NewPilotModel),
    SupportCase(NewSupportCase),
    Training(NewTraining),
    ReferenceFigure(NewReferenceFigure),
    TaskProgress(NewTaskProgress),
    BudgetSpending(NewBudgetSpending),
}

impl NewRecord {
    /// The day a record belongs to, for the lock of accepted reports: its date,
    /// or 30 June for a yearly figure (inside the year report and the second
    /// half-year of Decree 09). None for records no report locks.
    pub fn day(&self) -> Option<NaiveDate> {
        let mid_year = |y: i32| NaiveDate::from_ymd_opt(y, 6, 30);
        match self {
            NewRecord::Establishment(r) => r.opened_on,
            NewRecord::Activity(r) => Some(r.held_on),
            NewRecord::Publication(r) => Some(r.published_on),
            NewRecord::Inspection(r) => Some(r.inspected_on),
            NewRecord::Tip(r) => Some(r.received_on),
            NewRecord::CaseSummary(r) => mid_year(r.year),
            NewRecord::DistrictPlan(r) => mid_year(r.year),
            NewRecord::PilotModel(r) => Some(r.started_on),
            NewRecord::SupportCase(r) => Some(r.opened_on),
            NewRecord::Training(r) => Some(r.held_on),
            NewRecord::ReferenceFigure(r) => mid_year(r.year),
            NewRecord::TaskProgress(_) | NewRecord::BudgetSpending(_) => None,
        }
    }

    /// The code of the unit a record is of, where it names one (an inspection
    /// names its establishment; progress and spending their plan).
    pub fn unit_code(&self) -> Option<&str> {
        match self {
            NewRecord::Establishment(r) => Some(&r.unit_code),
            NewRecord::Activity(r) => Some(&r.unit_code),
            NewRecord::Publication(r) => Some(&r.unit_code),
            NewRecord::Tip(r) => Some(&r.unit_code),
            NewRecord::CaseSummary(r) => Some(&r.unit_code),
            NewRecord::DistrictPlan(r) => Some(&r.unit_code),
            NewRecord::PilotModel(r) => Some(&r.unit_code),
            NewRecord::SupportCase(r) => Some(&r.unit_code),
            NewRecord::Training(r) => Some(&r.unit_code),
            NewRecord::ReferenceFigure(r) => Some(&r.unit_code),
            NewRecord::Inspection(_) | NewRecord::TaskProgress(_) | NewRecord::BudgetSpending(_) => None,
        }
    }
}
