//! What a plan's reporting duties ask for, and who has sent what: for each
//! report due (6 tháng, năm…), its due day and how many reporters sent it on
//! time, late, or owe it; for the period shown, each unit's and each agency's
//! standing. Units are the ones the duty names (districts before the 2025
//! reform, communes after); agencies are those the plan gives a task to lead
//! (a People's Committee body stands for its units, which report themselves).

use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::AppState;
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::plan::duty::{DueReport, Duty, Standing};
use pcmd_domain::report::ReportStatus;
use pcmd_domain::units::{Level, REFORM_DAY};
use pcmd_store::reports::ReportRow;
use pcmd_store::{AgencyView, PlanView};

/// One agency's line for the period shown.
pub struct AgencyLine {
    pub code: String,
    pub name: String,
    pub status: String,
    pub status_key: String,
    pub standing: String,
    pub standing_key: String,
    pub report: Option<i64>,
    /// The user may open this agency's report (its officer, or a coordinator).
    pub may_create: bool,
}

/// One report due under the plan's duties, counted over its reporters.
pub struct DueRow {
    pub label: String,
    pub period: String,
    pub due: String,
    pub expected: usize,
    pub on_time: usize,
    pub late: usize,
    pub overdue: usize,
    pub not_due: usize,
    pub selected: bool,
}

/// The duty's part of the reports page.
#[derive(Default)]
pub struct DueView {
    /// The duty's words, its recipient and through whom, and the due day's basis.
    pub duty_text: String,
    pub recipient: String,
    pub basis: String,
    /// The due day of the period shown (dd/mm/yyyy), if a duty asks for it.
    pub due: Option<String>,
    /// The same day, for each unit's standing.
    pub due_on: Option<NaiveDate>,
    pub rows: Vec<DueRow>,
    pub agencies: Vec<AgencyLine>,
    /// The level whose units owe the report shown; others have no standing.
    pub unit_level: Option<Level>,
}

/// The day a report was received, if it stands received (submitted or accepted).
pub fn received(r: &ReportRow) -> Option<NaiveDate> {
    matches!(r.status, ReportStatus::Submitted | ReportStatus::Accepted).then(|| r.submitted_on()).flatten()
}

pub fn standing_text(s: Standing, lang: Lang) -> String {
    match lang {
        Lang::Vi => s.label_vi(),
        Lang::En => s.label_en(),
    }
}

/// The agencies that report under a duty: those leading a task of the plan,
/// but a People's Committee body when units report for themselves.
pub fn reporting_agencies<'a>(plan: &PlanView, duty: &Duty, agencies: &'a [AgencyView]) -> Vec<&'a AgencyView> {
    if !duty.reporters.agencies() {
        return Vec::new();
    }
    let mut out: Vec<&AgencyView> = agencies
        .iter()
        .filter(|a| plan.tasks.iter().any(|t| t.lead_agency == a.code))
        .filter(|a| !(duty.reporters.units() && a.kind == "peoples_committee"))
        .collect();
    out.sort_by_cached_key(|a| pcmd_domain::text::collation_key(&a.name));
    out
}

/// The units that report under a duty for a period: those of its level within the plan's unit, valid then.
fn reporting_units(state: &AppState, plan_unit: i64, duty: &Duty, period: &Period) -> Vec<i64> {
    let Some(level) = duty.unit_level else { return Vec::new() };
    let day = if period.to < REFORM_DAY { period.from } else { period.to };
    state.units.within(plan_unit, level).into_iter().filter(|id| state.units.get(*id).is_some_and(|u| u.valid_on(day))).collect()
}

#[allow(clippy::too_many_arguments)]
pub fn build(
    state: &AppState,
    user: &CurrentUser,
    plan: &PlanView,
    plan_unit: Option<i64>,
    agencies: &[AgencyView],
    reports: &[ReportRow],
    period: &Period,
    today: NaiveDate,
) -> DueView {
    let Some(duty) = plan.duties.first() else { return DueView::default() };
    let lang = user.lang;
    let scope = state.scope(user.user.unit_id);
    let reporters_agencies = reporting_agencies(plan, &duty.duty, agencies);
    let all: Vec<DueReport> = plan.duties.iter().flat_map(|d| d.duty.reports(plan.summary.period_from, plan.summary.period_to)).collect();
    let same = |r: &ReportRow, p: &Period| r.period.from == p.from && r.period.to == p.to;
    let mut rows = Vec::new();
    for due in &all {
        let units: Vec<i64> = plan_unit.map(|u| reporting_units(state, u, &duty.duty, &due.period)).unwrap_or_default();
        let mut standings: Vec<Standing> = units
            .iter()
            .filter(|u| scope.contains(u))
            .map(|u| {
                let r = reports.iter().find(|r| r.agency.is_none() && r.unit_id == *u && same(r, &due.period));
                Standing::of(due.due, r.and_then(received), today)
            })
            .collect();
        standings.extend(reporters_agencies.iter().map(|a| {
            let r = reports.iter().find(|r| r.agency.as_ref().is_some_and(|g| g.code == a.code) && same(r, &due.period));
            Standing::of(due.due, r.and_then(received), today)
        }));
        let count = |k: &str| standings.iter().filter(|s| s.key() == k).count();
        rows.push(DueRow {
            label: due.period.label.clone(),
            period: format!("{} – {}", pcmd_domain::date::format_vn(due.period.from), pcmd_domain::date::format_vn(due.period.to)),
            due: pcmd_domain::date::format_vn(due.due),
            expected: standings.len(),
            on_time: count("on_time"),
            late: count("late"),
            overdue: count("overdue"),
            not_due: count("not_due"),
            selected: same_period(&due.period, period),
        });
    }
    let shown = all.iter().find(|d| same_period(&d.period, period));
    let agencies_lines = reporters_agencies
        .iter()
        .map(|a| {
            let r = reports.iter().find(|r| r.agency.as_ref().is_some_and(|g| g.code == a.code) && same(r, period));
            let (status, status_key) = match r {
                Some(r) => (super::words::closed(lang, "report_status", r.status.as_str(), r.status.label_vi()), r.status.as_str().to_string()),
                None => (crate::i18n::Tr { lang }.get("report_none").to_string(), "none".to_string()),
            };
            let standing = shown.map(|d| Standing::of(d.due, r.and_then(received), today));
            AgencyLine {
                code: a.code.clone(),
                name: a.name.clone(),
                status,
                status_key,
                standing: standing.map(|s| standing_text(s, lang)).unwrap_or_default(),
                standing_key: standing.map(|s| s.key().to_string()).unwrap_or_default(),
                report: r.map(|r| r.id),
                may_create: r.is_none() && pcmd_domain::policy::writes_agency_report(user.user.role, user.user.agency_id, a.id),
            }
        })
        .collect();
    let through = duty.through_name.as_deref().map(|t| format!(" (qua {t})")).unwrap_or_default();
    DueView {
        duty_text: duty.duty.text.clone(),
        recipient: format!("{}{through}", duty.duty.recipient),
        basis: duty.duty.due_basis.clone(),
        due: shown.map(|d| pcmd_domain::date::format_vn(d.due)),
        due_on: shown.map(|d| d.due),
        rows,
        agencies: agencies_lines,
        unit_level: duty.duty.unit_level,
    }
}

fn same_period(a: &Period, b: &Period) -> bool {
    a.from == b.from && a.to == b.to
}

/// A unit's standing for the period shown, when the duty asks it to report.
pub fn unit_standing(view: &DueView, unit_level: Level, report: Option<&ReportRow>, today: NaiveDate) -> Option<Standing> {
    let due = view.due_on.filter(|_| view.unit_level == Some(unit_level))?;
    Some(Standing::of(due, report.and_then(received), today))
}
