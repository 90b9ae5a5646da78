//! Pages: the list of plans and a plan's targets for a unit and period, with
//! drill-down to the units inside.

mod agenda;
mod dashboard;
mod explain;
mod records;
mod reports;
mod scope;
mod settings;
mod tasks;

pub use explain::explain;
pub use records::*;
pub use reports::*;
pub(crate) use scope::*;
pub use settings::*;
pub use tasks::*;

use crate::auth::CurrentUser;
use crate::i18n::Tr;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use pcmd_domain::date::{format_instant_vn, format_vn};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::{Level, Unit};
use pcmd_engine::Evaluation;
use pcmd_store::{PlanSummary, PlanView, TargetView};

/// What the layout needs on every page.
pub struct Chrome {
    pub t: Tr,
    pub user_name: String,
    /// Whether the user may edit document settings (administrator, coordinator).
    pub settings: bool,
    pub role: String,
    pub csrf: String,
    pub path: String,
    pub other_lang: &'static str,
}

impl Chrome {
    pub(crate) fn of(u: &CurrentUser, path: String) -> Chrome {
        let role = u.user.role.label_vi().to_string();
        let settings = matches!(u.user.role, pcmd_domain::roles::Role::Admin | pcmd_domain::roles::Role::Coordinator);
        Chrome {
            t: Tr { lang: u.lang },
            user_name: u.user.display_name.clone(),
            role,
            csrf: u.csrf.clone(),
            path,
            other_lang: u.lang.other().code(),
            settings,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    plans: Vec<PlanSummary>,
    /// What needs the user, each a link.
    agenda: Vec<agenda::Item>,
}

impl Home {
    fn issued(&self, p: &PlanSummary) -> String {
        p.issued_on.map(format_vn).unwrap_or_default()
    }

    fn span(&self, p: &PlanSummary) -> String {
        format!("{} – {}", format_vn(p.period_from), format_vn(p.period_to))
    }
}

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, WebError> {
    // National plans for everyone; a province's or district's plans for those whose scope holds its unit.
    let mut plans = Vec::new();
    for p in state.store.plans().await? {
        let visible = match state.store.plan_unit(&p.key).await? {
            None => true,
            Some(id) => {
                state.units.get(id).is_some_and(|u| plan_visible(&state.units, user.user.unit_id, u, &Period::new("", p.period_from, p.period_to)))
            }
        };
        if visible {
            plans.push(p);
        }
    }
    let agenda = agenda::agenda(&state, &user, &plans, chrono::Local::now().date_naive()).await?;
    Ok(Html(Home { c: Chrome::of(&user, "/".into()), plans, agenda }.render()?))
}

#[derive(serde::Deserialize)]
pub struct PlanQuery {
    period: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
    /// The target the map colours communes by.
    map: Option<String>,
}

/// One row of the targets table.
pub struct Row {
    /// The records behind the figure (`/plans/{key}/explain…`).
    pub explain: String,
    pub code: String,
    pub text: String,
    pub value: String,
    pub threshold: String,
    pub status: &'static str,
    pub status_label: String,
    pub figures: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    plan: PlanView,
    unit: Unit,
    period: String,
    period_text: String,
    as_of: String,
    rows: Vec<Row>,
    notes: Vec<String>,
    children: Vec<(String, String)>,
    synthetic: bool,
    trend_periods: Vec<String>,
    trend: Vec<dashboard::TrendRow>,
    map: Option<dashboard::CommuneMap>,
    map_choices: Vec<(String, bool)>,
    statuses: Vec<(&'static str, &'static str)>,
    may_see_tasks: bool,
}

use pcmd_domain::money::format_decimal_vn as number_vn;

/// One line of the targets table, from an evaluation already made fit for its
/// reader (`Evaluation::for_reader`): a withheld figure reads `suppressed`.
fn row(t: &TargetView, e: &Evaluation, with_period: bool, suppressed: &str) -> Row {
    let value = if e.suppressed { "—".to_string() } else { pcmd_domain::plan::indicator::value_text(&t.indicator_kind, e.value) };
    let figures = match (e.numerator, e.denominator) {
        _ if e.suppressed => suppressed.to_string(),
        (Some(n), Some(d)) => format!("{} / {}", number_vn(n), number_vn(d)),
        (Some(n), None) => number_vn(n),
        _ => String::new(),
    };
    let mut text = t.text.clone();
    if let Some(s) = &e.secondary {
        text = format!("{text} — {}: {} / {}", s.label_vi, number_vn(s.numerator), number_vn(s.denominator));
    }
    Row {
        explain: String::new(),
        code: if with_period { format!("{} ({})", t.code, e.period.label) } else { t.code.clone() },
        text,
        value,
        threshold: t.threshold_text(),
        status: e.status.as_str(),
        status_label: e.status_vi(),
        figures,
    }
}

pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Html<String>, WebError> {
    let version = crate::cache::version(&state).await?;
    let cached = crate::cache::plan(&state, version, &key).await.map_err(|_| WebError::NotFound)?;
    let plan = cached.view.clone();
    let period_text = q.period.clone().unwrap_or_else(|| plan.summary.period_to.format("%Y").to_string());
    let period = Period::parse(&period_text, Cutoff::Decree09)?;
    let as_of = match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => pcmd_domain::date::parse(s)?,
        None => pcmd_engine::default_as_of(&period, chrono::Local::now().date_naive()),
    };
    let units = &state.units;
    let plan_unit = cached.unit_id;
    if plan_unit.and_then(|id| units.get(id)).is_some_and(|u| !plan_visible(units, user.user.unit_id, u, &period)) {
        return Err(WebError::Forbidden);
    }
    let unit = match &q.unit {
        Some(code) => units.resolve_for(code, period.from, period.to).cloned(),
        None => default_unit(units, user.user.unit_id, plan_unit, &period),
    }
    .ok_or(WebError::NotFound)?;
    if !in_scope(&state, &user, &unit, &period) {
        return Err(WebError::Forbidden);
    }
    // Each figure as this reader may see it: a supervisor's view of a commune
    // holds no count below 5, so that nobody can be singled out.
    let role = user.user.role;
    let evaluations: Vec<Evaluation> =
        crate::cache::evaluations(&state, version, &plan, &unit, &period, as_of).await?.iter().map(|e| e.for_reader(role, unit.level)).collect();
    let mut rows = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for e in evaluations.iter() {
        let Some(t) = plan.targets.iter().find(|t| t.code == e.target) else { continue };
        if let Some(n) = &e.note {
            let line = format!("{}: {n}", t.code);
            if !notes.iter().any(|x| x.ends_with(n.as_str())) {
                notes.push(line);
            }
        }
        let mut r = row(t, e, evaluations.len() > plan.targets.len(), user_text(&user, "suppressed"));
        // A year of a target judged year by year opens on that year.
        let judged = if evaluations.len() > plan.targets.len() { e.period.label.clone() } else { period_text.clone() };
        r.explain = explain::href(&key, &t.code, &judged, &unit.code, &format_vn(as_of));
        rows.push(r);
    }
    // Drill-down: the items the figures count — a province's districts before the reform,
    // else the communes; after it, the new communes the territory was counted on.
    let mut children: Vec<(String, String)> = match pcmd_engine::Territory::build(units, &unit, &period) {
        Ok(t) if unit.level != Level::Commune => {
            let items = if unit.level == Level::Province && t.structure == pcmd_engine::Structure::ThreeLevel { &t.districts } else { &t.communes };
            items.iter().filter(|id| **id != unit.id).filter_map(|id| units.get(*id)).map(|u| (u.code.clone(), u.name.clone())).collect()
        }
        _ => Vec::new(),
    };
    children.sort();
    let synthetic = crate::cache::synthetic(&state, version).await?;
    let (trend_periods, trend) = dashboard::trend(&state, version, &plan, &unit, as_of, role).await?;
    let map_index = q.map.as_deref().and_then(|c| plan.targets.iter().position(|t| t.code == c)).unwrap_or(0);
    let map = dashboard::commune_map(&state, version, &plan, map_index, &unit, &period, as_of, role).await?;
    let map_choices = plan.targets.iter().enumerate().map(|(i, t)| (t.code.clone(), i == map_index)).collect();
    let statuses = pcmd_engine::Status::ALL.iter().map(|s| (s.as_str(), s.label_vi())).collect();
    let may_see_tasks = pcmd_domain::policy::may_see_tasks(user.user.role);
    let page = PlanPage {
        trend_periods,
        trend,
        map,
        map_choices,
        statuses,
        may_see_tasks,
        c: Chrome::of(&user, format!("/plans/{key}")),
        period_text: period.to_string(),
        period: period_text,
        as_of: format_vn(as_of),
        plan,
        unit,
        rows,
        notes,
        children,
        synthetic,
    };
    Ok(Html(page.render()?))
}

fn user_text(user: &CurrentUser, key: &str) -> &'static str {
    Tr { lang: user.lang }.get(key)
}

/// What a refusal of the store says, in the user's language; other errors stay errors.
/// A store error the user can act on, as a message in their language with the
/// status to answer with; any other error goes up as a fault.
pub(crate) fn refusal_with_status(e: pcmd_store::StoreError, lang: crate::i18n::Lang) -> Result<(String, axum::http::StatusCode), WebError> {
    match e.user_message() {
        Some(m) => Ok((m.text(lang == crate::i18n::Lang::Vi).to_string(), crate::error::status_of(&e))),
        None => Err(e.into()),
    }
}

/// The message of `refusal_with_status`, for pages that answer 422 whatever the kind.
pub(crate) fn refusal(e: pcmd_store::StoreError, lang: crate::i18n::Lang) -> Result<String, WebError> {
    refusal_with_status(e, lang).map(|(m, _)| m)
}

pub async fn stylesheet() -> Response {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../static/pcmd.css")).into_response()
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    q: String,
    rows: Vec<pcmd_store::audit::AuditRow>,
    page: i64,
    more: bool,
    /// The latest alerts of unusual access to personal data.
    alerts: Vec<pcmd_store::audit::AuditRow>,
}

impl AuditPage {
    fn at(&self, r: &pcmd_store::audit::AuditRow) -> String {
        format_instant_vn(&r.at)
    }
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    q: Option<String>,
    page: Option<i64>,
}

/// The audit log, searchable, for administrators only; the search itself is audited.
pub async fn audit(State(state): State<AppState>, user: CurrentUser, Query(query): Query<AuditQuery>) -> Result<Html<String>, WebError> {
    if user.user.role != pcmd_domain::roles::Role::Admin {
        return Err(WebError::Forbidden);
    }
    const PAGE: i64 = 50;
    let q = query.q.unwrap_or_default();
    let page = query.page.unwrap_or(0).max(0);
    let mut rows = state.store.search_audit(&q, PAGE + 1, page * PAGE).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    state.store.audit(&pcmd_store::audit::AuditEntry { actor: &user.user.username, action: "read_audit", subject: "audit_log", detail: &q }).await?;
    let alerts = state.store.search_audit("alert_unusual_access", 10, 0).await?.into_iter().filter(|r| r.action == "alert_unusual_access").collect();
    Ok(Html(AuditPage { c: Chrome::of(&user, "/audit".into()), q, rows, page, more, alerts }.render()?))
}
