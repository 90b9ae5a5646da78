//! Periodic reports on the web: a plan's reports for a period with which units
//! have submitted, a unit's report with its computed figures and the narrative
//! the officer writes, the workflow's buttons, and the DOCX, XLSX and CSV files.

use super::Chrome;
use crate::auth::{CurrentUser, Posted};
use crate::i18n::Lang;
use crate::query::Path;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::report::{Narrative, ReportStatus, SECTIONS};
use pcmd_domain::roles::Role;
use pcmd_domain::units::{Level, Unit, REFORM_DAY};
use pcmd_store::reports::{ReportRow, Step};
use std::collections::HashMap;

use pcmd_domain::policy::{decides_report, may_view_reports as may_view, may_write_reports as may_write};

#[derive(serde::Deserialize, Default)]
pub struct ReportsQuery {
    plan: Option<String>,
    period: Option<String>,
}

/// One unit's line on the overview.
pub struct UnitLine {
    pub code: String,
    pub name: String,
    pub status: String,
    pub status_key: String,
    pub report: Option<i64>,
    /// Against the due day, when the plan's duty asks this unit for the report.
    pub standing: String,
    pub standing_key: String,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    c: Chrome,
    plans: Vec<(String, String, bool)>,
    plan: String,
    period: String,
    /// The reporting periods of the plan's years (6 months and the year, Decree 09), value and words.
    period_choices: Vec<(String, String)>,
    period_text: String,
    lines: Vec<UnitLine>,
    submitted: usize,
    accepted: usize,
    may_create: bool,
    units_list: Vec<(String, String)>,
    error: Option<String>,
    due: super::reports_due::DueView,
}

/// The units expected to report to the province for a period: its districts
/// before the reform (and their communes), its communes after.
fn reporting_units(state: &AppState, home: &Unit, period: &Period) -> Vec<Unit> {
    let units = &state.units;
    let day = if period.to < REFORM_DAY { period.from } else { period.to };
    let mut out: Vec<Unit> = Vec::new();
    let levels: &[Level] = if day < REFORM_DAY { &[Level::District, Level::Commune] } else { &[Level::Commune] };
    for level in levels {
        out.extend(
            units.within(home.id, *level).into_iter().filter(|id| *id != home.id).filter_map(|id| units.get(id)).filter(|u| u.valid_on(day)).cloned(),
        );
    }
    if home.level != Level::Commune && home.valid_on(day) {
        out.insert(0, home.clone());
    }
    out
}

pub async fn reports(State(state): State<AppState>, user: CurrentUser, Query(q): Query<ReportsQuery>) -> Result<Response, WebError> {
    overview(&state, &user, q, None, StatusCode::OK).await
}

async fn overview(state: &AppState, user: &CurrentUser, q: ReportsQuery, error: Option<String>, status: StatusCode) -> Result<Response, WebError> {
    let role = user.user.role;
    if !may_view(role) {
        return Err(WebError::Forbidden);
    }
    let home = state.units.get(user.user.unit_id).cloned().ok_or(WebError::Forbidden)?;
    // The plans whose territory meets the user's.
    let mut plans = Vec::new();
    for p in state.store.plans().await? {
        if let Some(u) = state.store.plan_unit(&p.key).await?.and_then(|id| state.units.get(id)) {
            if super::plan_visible(state, home.id, u, &Period::new("", p.period_from, p.period_to)) {
                plans.push(p);
            }
        }
    }
    let mut plan_key = q.plan.clone().or_else(|| plans.last().map(|p| p.key.clone())).unwrap_or_default();
    // Only a plan whose territory meets the user's: another province's agencies and reports stay out of
    // sight. A refusal about such a plan is said over the user's own plans.
    if !plan_key.is_empty() && !plans.iter().any(|p| p.key == plan_key) {
        if error.is_none() {
            return Err(WebError::NotFound);
        }
        plan_key = plans.last().map(|p| p.key.clone()).unwrap_or_default();
    }
    let period_text = q.period.clone().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| {
        plans.iter().find(|p| p.key == plan_key).map(|p| p.period_from.format("%Y-H1").to_string()).unwrap_or_else(|| "2025".into())
    });
    let period = Period::parse(&period_text, Cutoff::Decree09)?;
    let all_reports = if plan_key.is_empty() { Vec::new() } else { state.store.reports(Some(&plan_key)).await? };
    let stored: Vec<ReportRow> =
        all_reports.iter().filter(|r| r.agency.is_none() && r.period.from == period.from && r.period.to == period.to).cloned().collect();
    let today = pcmd_domain::date::today_vn();
    let plan_view = if plan_key.is_empty() { None } else { Some(state.store.plan(&plan_key).await?) };
    let plan_unit = if plan_key.is_empty() { None } else { state.store.plan_unit(&plan_key).await? };
    let due = match &plan_view {
        Some(p) => {
            let agencies = state.store.agencies(plan_unit).await?;
            super::reports_due::build(state, user, p, plan_unit, &agencies, &all_reports, &period, today)
        }
        None => super::reports_due::DueView::default(),
    };
    let scope = state.scope(home.id);
    // A home unit made after the period (Lai Châu after the 2025 reform, asked for 2022)
    // lists the units of the plan's own unit then, within the user's scope.
    let day = if period.to < REFORM_DAY { period.from } else { period.to };
    let base = match plan_unit.and_then(|id| state.units.get(id)) {
        Some(u) if !home.valid_on(day) && scope.contains(&u.id) => u.clone(),
        _ => home.clone(),
    };
    let lines: Vec<UnitLine> = reporting_units(state, &base, &period)
        .into_iter()
        .filter(|u| scope.contains(&u.id))
        .map(|u| {
            let r = stored.iter().find(|r| r.unit_id == u.id);
            let (status, status_key) = match r {
                Some(r) => (super::words::closed(user.lang, "report_status", r.status.as_str(), r.status.label_vi()), r.status.as_str().to_string()),
                None => (crate::i18n::Tr { lang: user.lang }.get("report_none").to_string(), "none".to_string()),
            };
            let standing = super::reports_due::unit_standing(&due, u.level, r, today);
            UnitLine {
                code: u.code.clone(),
                name: u.name.clone(),
                status,
                status_key,
                report: r.map(|r| r.id),
                standing: standing.map(|s| super::reports_due::standing_text(s, user.lang)).unwrap_or_default(),
                standing_key: standing.map(|s| s.key().to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let count = |s: ReportStatus| stored.iter().filter(|r| r.status == s).count();
    let units_list = lines.iter().map(|l| (l.code.clone(), l.name.clone())).collect();
    use chrono::Datelike;
    let vi = user.lang == Lang::Vi;
    let (first, last) = plans.iter().find(|p| p.key == plan_key).map_or((2024, 2025), |p| (p.period_from.year(), p.period_to.year()));
    let mut period_choices: Vec<(String, String)> = (first..=last)
        .flat_map(|y| {
            [
                (
                    format!("{y}-H1"),
                    if vi {
                        format!("6 tháng đầu năm {y} (15/12/{} – 14/06/{y})", y - 1)
                    } else {
                        format!("First half of {y} (15/12/{} – 14/06/{y})", y - 1)
                    },
                ),
                (
                    format!("{y}-Y"),
                    if vi { format!("Năm {y} (15/12/{} – 14/12/{y})", y - 1) } else { format!("Year {y} (15/12/{} – 14/12/{y})", y - 1) },
                ),
            ]
        })
        .collect();
    if !period_choices.iter().any(|(v, _)| *v == period_text) {
        period_choices.insert(0, (period_text.clone(), period_text.clone()));
    }
    let page = ReportsPage {
        period_choices,
        c: Chrome::of(user, "/reports".into()),
        plans: plans.iter().map(|p| (p.key.clone(), p.number.clone(), p.key == plan_key)).collect(),
        plan: plan_key,
        period: period_text,
        period_text: format!("{} – {}", pcmd_domain::date::format_vn(period.from), pcmd_domain::date::format_vn(period.to)),
        submitted: count(ReportStatus::Submitted),
        accepted: count(ReportStatus::Accepted),
        lines,
        may_create: may_write(role),
        units_list,
        error,
        due,
    };
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(serde::Deserialize)]
pub struct NewReport {
    pub plan: String,
    pub period: String,
    #[serde(default)]
    pub unit: String,
    /// An agency's report on its tasks, by the agency's code.
    #[serde(default)]
    pub agency: String,
}

pub async fn create_report(State(state): State<AppState>, Posted { user, form: f }: Posted<NewReport>) -> Result<Response, WebError> {
    match open(&state, &user, &f).await {
        Ok(id) => Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
        Err(WebError::Refused(StatusCode::UNPROCESSABLE_ENTITY, m)) => {
            let msg = m.text(user.lang == Lang::Vi).to_string();
            overview(&state, &user, ReportsQuery { plan: Some(f.plan), period: Some(f.period) }, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e),
    }
}

/// Opens a report (a unit's, or an agency's when `f.agency` is given) and
/// returns its id; a refusal the user can act on is `Refused` with 422.
pub(crate) async fn open(state: &AppState, user: &CurrentUser, f: &NewReport) -> Result<i64, WebError> {
    let role = user.user.role;
    if !may_write(role) {
        return Err(WebError::Forbidden);
    }
    let period = Period::parse(&f.period, Cutoff::Decree09)?;
    if !f.agency.trim().is_empty() {
        return open_agency_report(state, user, f, &period).await;
    }
    let day = if period.to < REFORM_DAY { period.from } else { period.to };
    let unit =
        state.units.resolve(f.unit.trim(), day).cloned().ok_or_else(|| {
            WebError::bad_request(format!("không có đơn vị mã «{}» trong kỳ", f.unit), format!("no unit «{}» in the period", f.unit))
        })?;
    if !state.scope(user.user.unit_id).contains(&unit.id) {
        return Err(WebError::Forbidden);
    }
    // The unit must be one the plan is for: its own unit or one within it (across the reform).
    if let Some(plan_unit) = state.store.plan_unit(f.plan.trim()).await? {
        if !state.scope(plan_unit).contains(&unit.id) {
            return Err(WebError::Refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                pcmd_domain::Msg::new(
                    format!("đơn vị «{}» không thuộc phạm vi của kế hoạch «{}»", unit.name, f.plan),
                    format!("the unit «{}» is not covered by the plan «{}»", unit.name, f.plan),
                ),
            ));
        }
    }
    state.store.create_report(&f.plan, unit.id, &period, &user.user.username).await.map_err(unprocessable)
}

/// A store's refusal to open a report, as 422 with its message (a system fault stays one).
fn unprocessable(e: pcmd_store::StoreError) -> WebError {
    match e.user_message() {
        Some(m) => WebError::Refused(StatusCode::UNPROCESSABLE_ENTITY, m.clone()),
        None => e.into(),
    }
}

/// Opens an agency's report on its tasks, for the plan's own unit: by its
/// officers or a coordinator of the province.
async fn open_agency_report(state: &AppState, user: &CurrentUser, f: &NewReport, period: &Period) -> Result<i64, WebError> {
    let plan_unit = state.store.plan_unit(f.plan.trim()).await?.ok_or(WebError::NotFound)?;
    let agency = state.store.agencies(Some(plan_unit)).await?.into_iter().find(|a| a.code == f.agency.trim()).ok_or(WebError::NotFound)?;
    if !pcmd_domain::policy::writes_agency_report(user.user.role, user.user.agency_id, agency.id)
        || !state.scope(user.user.unit_id).contains(&plan_unit)
    {
        return Err(WebError::Forbidden);
    }
    state.store.create_agency_report(f.plan.trim(), plan_unit, agency.id, period, &user.user.username).await.map_err(unprocessable)
}

/// A report the user may see (in scope), with its unit.
pub(crate) async fn visible(state: &AppState, user: &CurrentUser, id: i64) -> Result<(ReportRow, Unit, Role), WebError> {
    let role = user.user.role;
    if !may_view(role) {
        return Err(WebError::Forbidden);
    }
    let r = state.store.report(id).await?.ok_or(WebError::NotFound)?;
    let unit = state.units.get(r.unit_id).cloned().ok_or(WebError::NotFound)?;
    // Outside the scope, as for no such report: a refusal would tell which ids exist elsewhere.
    if !state.scope(user.user.unit_id).contains(&unit.id) {
        return Err(WebError::NotFound);
    }
    Ok((r, unit, role))
}

/// Whether the user decides on report `r` (see `policy::decides_report`,
/// `decides_agency_report`); `own` counts a submission of theirs.
pub(crate) fn decides(state: &AppState, role: Role, user: &CurrentUser, unit: &Unit, r: &ReportRow, own: bool) -> bool {
    let by_self = own && r.submitted_by.as_deref() == Some(user.user.username.as_str());
    match &r.agency {
        Some(a) => pcmd_domain::policy::decides_agency_report(role, user.user.agency_id, a.id, by_self),
        // A home unit missing from the lists decides on nothing.
        None => state.units.get(user.user.unit_id).is_some_and(|home| decides_report(role, home.level, unit.level, by_self)),
    }
}

/// Whether the user writes report `r`: any writer of its unit, or for an agency's, its officers and coordinators.
pub(crate) fn writes(role: Role, user: &CurrentUser, r: &ReportRow) -> bool {
    match &r.agency {
        Some(a) => pcmd_domain::policy::writes_agency_report(role, user.user.agency_id, a.id),
        None => may_write(role),
    }
}

async fn build(state: &AppState, r: &ReportRow, unit: &Unit, reader: Role) -> Result<pcmd_report::UnitReport, WebError> {
    let req = pcmd_report::Request {
        plan: &r.plan_key,
        unit,
        period: &r.period,
        as_of: pcmd_engine::default_as_of(&r.period, pcmd_domain::date::today_vn()),
        // The report's own date: the one set on it (by the officer, or on
        // submission), else the day it was submitted, else today (a draft).
        issued_on: r
            .issued_on
            .or_else(|| r.submitted_at.as_deref().and_then(pcmd_domain::date::day_of_instant_vn))
            .unwrap_or_else(pcmd_domain::date::today_vn),
        narrative: r.narrative.clone(),
        status: Some(r.status),
        reader: Some(reader),
    };
    let mut built = pcmd_report::build(&state.store, &state.units, req).await.map_err(|e| WebError::Internal(e.to_string()))?;
    if let Some(a) = &r.agency {
        let plan = state.store.plan(&r.plan_key).await?;
        let agency = state.store.agencies(Some(unit.id)).await?.into_iter().find(|g| g.code == a.code).ok_or(WebError::NotFound)?;
        let progress = state.store.task_progress(&r.plan_key).await?;
        // Addressed to the body the plan's duty names, through the agency that compiles.
        let recipient = plan.duties.first().map(|d| d.through_name.clone().unwrap_or_else(|| d.duty.recipient.clone()));
        let tasks = pcmd_report::agency::task_table(&plan.tasks, &progress, &a.code, built.as_of);
        pcmd_report::agency::as_agency(&mut built, &agency, recipient.as_deref(), tasks);
    }
    Ok(built)
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    id: i64,
    r: pcmd_report::UnitReport,
    status: String,
    status_key: String,
    comment: Option<String>,
    version: i64,
    sections: Vec<(&'static str, String, String)>,
    editable: bool,
    may_submit: bool,
    may_decide: bool,
    may_reopen: bool,
    error: Option<String>,
    /// Whether the error is about the decision (said beside its comment), and the comment as typed.
    at_decision: bool,
    comment_typed: String,
    tips: Vec<(String, String)>,
    /// The report's own date as the form shows it (dd/mm/yyyy), blank until set.
    issued_on: String,
    /// The date the report carries: dd/mm/yyyy.
    dated: String,
    /// An agency's report: the agency's name.
    agency: Option<String>,
}

/// What the officer typed, given back with a fault so that nothing typed is lost.
struct Typed {
    narrative: Narrative,
    issued_on: String,
    /// The decision's comment, when the fault was the decision's.
    decision: Option<String>,
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
    typed: Option<Typed>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (r, unit, role) = visible(state, user, id).await?;
    let built = build(state, &r, &unit, user.user.role).await?;
    let coordinator_above = decides(state, role, user, &unit, &r, true);
    let may_write = |role: Role| writes(role, user, &r);
    let page = ReportPage {
        c: Chrome::of(user, format!("/reports/{id}")),
        id,
        status: super::words::closed(user.lang, "report_status", r.status.as_str(), r.status.label_vi()),
        status_key: r.status.as_str().to_string(),
        comment: r.comment.clone(),
        version: r.version,
        // An empty section of a report still being written starts from a draft
        // written from the figures, for the officer to edit.
        sections: SECTIONS
            .iter()
            .map(|(k, vi, en)| {
                let text = typed.as_ref().map_or_else(|| r.narrative.get(k), |t| t.narrative.get(k)).to_string();
                let text = if text.trim().is_empty() && may_write(role) && r.status.editable() { built.draft(k).join("\n") } else { text };
                // A supervisor's copy of a commune's report: the section as the copy prints it,
                // from the withheld figures (`UnitReport::for_supervisor`), not the officer's text.
                let text = if built.small_counts_hidden { built.section_text(k).join("\n") } else { text };
                (*k, if user.lang == Lang::Vi { vi.to_string() } else { en.to_string() }, text)
            })
            .collect(),
        editable: may_write(role) && r.status.editable(),
        may_submit: may_write(role) && r.status.editable(),
        may_decide: coordinator_above && r.status == ReportStatus::Submitted,
        may_reopen: coordinator_above && r.status == ReportStatus::Accepted,
        error,
        at_decision: typed.as_ref().is_some_and(|t| t.decision.is_some()),
        comment_typed: typed.as_ref().and_then(|t| t.decision.clone()).unwrap_or_default(),
        tips: built.tip_lines(),
        issued_on: typed.as_ref().map_or_else(|| r.issued_on.map(pcmd_domain::date::format_vn).unwrap_or_default(), |t| t.issued_on.clone()),
        dated: pcmd_domain::date::format_vn(built.issued_on),
        agency: r.agency.as_ref().map(|a| a.name.clone()),
        r: built,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn report(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    report_page(&state, &user, id, None, None, StatusCode::OK).await
}

/// Saves the narrative, or moves the report a step (`action`: save, submit, accept, return, reopen).
pub async fn report_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    let (r, unit, role) = visible(&state, &user, id).await?;
    let version: i64 = f.get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    // Authority to decide; the store refuses, with its message, a decision on one's own submission.
    let coordinator_above = decides(&state, role, &user, &unit, &r, false);
    let may_write = |role: Role| writes(role, &user, &r);
    let actor = user.user.username.clone();
    let result = match get("action").as_str() {
        "save" | "submit" if may_write(role) => {
            let n = Narrative::from_fields(get);
            // The report's own date: dd/mm/yyyy, or blank for the day it is submitted.
            let dated = get("issued_on");
            let issued_on = match dated.trim() {
                "" => None,
                d => match pcmd_domain::date::parse(d) {
                    Ok(d) => Some(d),
                    Err(m) => {
                        let typed = Typed { narrative: n, issued_on: dated, decision: None };
                        let msg =
                            format!("{}: {}", if user.lang == Lang::Vi { "Ngày báo cáo" } else { "Report date" }, m.text(user.lang == Lang::Vi));
                        return report_page(&state, &user, id, Some(msg), Some(typed), StatusCode::UNPROCESSABLE_ENTITY).await;
                    }
                },
            };
            let saved = if r.status.editable() { state.store.save_narrative(id, version, &n, issued_on, &actor).await } else { Ok(version) };
            match (saved, get("action").as_str()) {
                (Ok(v), "submit") => state.store.report_step(id, v, Step::Submit, None, &actor, &state.units).await,
                (other, _) => other,
            }
        }
        "accept" if coordinator_above => state.store.report_step(id, version, Step::Accept, None, &actor, &state.units).await,
        "return" if coordinator_above => state.store.report_step(id, version, Step::Return, Some(&get("comment")), &actor, &state.units).await,
        "reopen" if coordinator_above => state.store.report_step(id, version, Step::Reopen, Some(&get("comment")), &actor, &state.units).await,
        _ => return Err(WebError::Forbidden),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/reports/{id}")).into_response()),
        Err(e) => {
            let msg = super::refusal(e, user.lang)?;
            let decided = matches!(get("action").as_str(), "accept" | "return" | "reopen");
            let typed = Typed { narrative: Narrative::from_fields(get), issued_on: get("issued_on"), decision: decided.then(|| get("comment")) };
            report_page(&state, &user, id, Some(msg), Some(typed), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The report as a file: `/reports/{id}/file/docx`, `xlsx` or `csv` (a ZIP of
/// one CSV file a table); `csv?table=targets` gives that one table's CSV.
pub async fn report_file(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, format)): Path<(i64, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    file_of(&state, &user, id, &format, q.get("table").map(String::as_str)).await
}

/// A report's file for a user who may see it.
pub(crate) async fn file_of(state: &AppState, user: &CurrentUser, id: i64, format: &str, table: Option<&str>) -> Result<Response, WebError> {
    let format = pcmd_report::Format::parse(format).ok_or(WebError::NotFound)?;
    let (r, unit, _) = visible(state, user, id).await?;
    let built = build(state, &r, &unit, user.user.role).await?;
    let stem = match &r.agency {
        Some(a) => format!("bao-cao-{}-{}", a.code, r.period.label),
        None => format!("bao-cao-{}-{}", unit.code, r.period.label),
    };
    if let (pcmd_report::Format::Csv, Some(table)) = (format, table) {
        let wanted = pcmd_report::csv_file::file_name(table);
        let files = pcmd_report::csv_file::files(&built).map_err(|e| WebError::Internal(e.to_string()))?;
        let (name, bytes) = files.into_iter().find(|(n, _)| *n == wanted).ok_or(WebError::NotFound)?;
        let disposition = format!("attachment; filename=\"{stem}-{name}\"");
        return Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (CONTENT_DISPOSITION, disposition)], bytes).into_response());
    }
    let bytes = pcmd_report::write(&built, format).map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("{stem}.{}", format.extension());
    Ok(([(CONTENT_TYPE, format.content_type().to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes)
        .into_response())
}
