//! A plan's tasks with their progress reported by the assigned agencies, and
//! its budget lines against what was spent (kinh phí theo nghị quyết).

use super::{plan_visible, unit_in_scope, Chrome};
use crate::auth::{CurrentUser, Posted};
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::date::{format_instant_vn, format_vn};
use pcmd_domain::money::{format_vnd, vnd_in_words};
use pcmd_domain::period::Period;
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::{RecordSource, TaskStatus};
use pcmd_domain::roles::Role;
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::{PlanView, StoreError};
use std::collections::HashMap;

/// The plan, if the user may see its tasks and budget: coordinators, officers and supervisors whose scope meets the plan's.
pub(crate) async fn plan_for(state: &AppState, user: &CurrentUser, key: &str) -> Result<(PlanView, Role), WebError> {
    let role = user.user.role;
    if !matches!(role, Role::Coordinator | Role::Officer | Role::Supervisor) {
        return Err(WebError::Forbidden);
    }
    let plan = state.store.plan(key).await.map_err(|_| WebError::NotFound)?;
    let period = Period::new("", plan.summary.period_from, plan.summary.period_to);
    if let Some(u) = state.store.plan_unit(&plan.summary.key).await?.and_then(|id| state.units.get(id)) {
        if !plan_visible(state, user.user.unit_id, u, &period) {
            return Err(WebError::Forbidden);
        }
    }
    Ok((plan, role))
}

/// Whether the user may report on a task: a coordinator whose scope holds the
/// plan's unit, or an officer of an agency the task is assigned to.
pub(crate) async fn may_report(state: &AppState, user: &CurrentUser, role: Role, plan: &PlanView, task: &str) -> Result<bool, WebError> {
    Ok(match role {
        Role::Coordinator => coordinates(state, user, plan).await?,
        Role::Officer => match user.user.agency_id {
            Some(a) => state.store.task_agencies(&plan.summary.key, task).await?.contains(&a),
            None => false,
        },
        _ => false,
    })
}

/// A coordinator whose scope holds the plan's unit (national plans: none).
pub(crate) async fn coordinates(state: &AppState, user: &CurrentUser, plan: &PlanView) -> Result<bool, WebError> {
    let period = Period::new("", plan.summary.period_from, plan.summary.period_to);
    let unit = state.store.plan_unit(&plan.summary.key).await?.and_then(|id| state.units.get(id));
    Ok(user.user.role == Role::Coordinator && unit.is_some_and(|u| unit_in_scope(state, user.user.unit_id, u, &period)))
}

pub struct TaskRow {
    pub code: String,
    pub title: String,
    pub agencies: String,
    pub due: String,
    pub status: String,
    pub status_key: String,
    pub reports: Vec<(String, String, String, String)>,
    pub may_report: bool,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    key: String,
    number: String,
    tasks: Vec<TaskRow>,
    statuses: Vec<(&'static str, String)>,
    today: String,
    error: Option<String>,
}

async fn tasks_page(state: &AppState, user: &CurrentUser, key: &str, error: Option<String>, status: StatusCode) -> Result<Response, WebError> {
    let (plan, role) = plan_for(state, user, key).await?;
    let progress = state.store.task_progress(&plan.summary.key).await?;
    let lang = user.lang;
    let mut tasks = Vec::new();
    for t in &plan.tasks {
        let mine: Vec<_> = progress.iter().filter(|p| p.task_code == t.code).collect();
        let latest = mine.first().map(|p| p.status.clone()).unwrap_or_else(|| "not_started".into());
        let label =
            latest.parse::<TaskStatus>().map_or_else(|_| latest.clone(), |s| super::words::closed(lang, "task_status", s.as_str(), s.label_vi()));
        let mut agencies = vec![t.lead_agency_name.clone()];
        agencies.extend(t.co_agencies.iter().cloned());
        tasks.push(TaskRow {
            code: t.code.clone(),
            title: t.title.clone(),
            agencies: agencies.join("; "),
            due: t.due.map(format_vn).unwrap_or_default(),
            status: label,
            status_key: latest,
            reports: mine
                .iter()
                .map(|p| {
                    let day = chrono::NaiveDate::parse_from_str(&p.reported_on, "%Y-%m-%d").map_or_else(|_| p.reported_on.clone(), format_vn);
                    let st = p
                        .status
                        .parse::<TaskStatus>()
                        .map_or_else(|_| p.status.clone(), |s| super::words::closed(lang, "task_status", s.as_str(), s.label_vi()));
                    let who = format!("{} · {}", p.entered_by.clone().unwrap_or_default(), format_instant_vn(&p.entered_at));
                    (day, st, p.note.clone().unwrap_or_default(), who)
                })
                .collect(),
            may_report: may_report(state, user, role, &plan, &t.code).await?,
        });
    }
    let page = TasksPage {
        c: Chrome::of(user, format!("/plans/{key}/tasks")),
        key: plan.summary.key.clone(),
        number: plan.summary.number.clone(),
        tasks,
        statuses: TaskStatus::ALL.iter().map(|s| (s.as_str(), super::words::closed(lang, "task_status", s.as_str(), s.label_vi()))).collect(),
        today: format_vn(pcmd_domain::date::today_vn()),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn plan_tasks(State(state): State<AppState>, user: CurrentUser, Path(key): Path<String>) -> Result<Response, WebError> {
    tasks_page(&state, &user, &key, None, StatusCode::OK).await
}

fn meta(user: &CurrentUser) -> RecordMeta {
    RecordMeta::now(RecordSource::Entry, Some(user.user.username.clone()))
}

/// Writes one record of a plan's (progress or spending) from a form; the message of a refusal.
async fn write(state: &AppState, user: &CurrentUser, kind: RecordKind, values: &HashMap<String, String>) -> Result<Option<String>, WebError> {
    let record = match super::records::parse_form(kind, values, user.lang) {
        Ok(r) => r,
        Err(errs) => {
            let mut lines: Vec<String> =
                errs.into_iter().map(|(k, m)| format!("{}: {m}", super::records::field_label(kind, &k, user.lang))).collect();
            lines.sort();
            return Ok(Some(lines.join("; ")));
        }
    };
    let mut tx = state.store.begin().await?;
    match rec::insert(&mut tx, &state.units, &state.rules, &record, &meta(user)).await {
        Ok(_) => {
            tx.commit().await.map_err(StoreError::from)?;
            Ok(None)
        }
        Err(e) => {
            tx.rollback().await.map_err(StoreError::from)?;
            Ok(Some(super::refusal(e, user.lang)?))
        }
    }
}

pub async fn report_progress(
    State(state): State<AppState>,
    Path((key, task)): Path<(String, String)>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut values: HashMap<String, String> = form.into_iter().collect();
    let (plan, role) = plan_for(&state, &user, &key).await?;
    if !plan.tasks.iter().any(|t| t.code == task) {
        return Err(WebError::NotFound);
    }
    if !may_report(&state, &user, role, &plan, &task).await? {
        return Err(WebError::Forbidden);
    }
    values.insert("plan".into(), plan.summary.key.clone());
    values.insert("task_code".into(), task);
    match write(&state, &user, RecordKind::TaskProgress, &values).await? {
        None => Ok(Redirect::to(&format!("/plans/{key}/tasks")).into_response()),
        Some(msg) => tasks_page(&state, &user, &key, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

pub struct BudgetRow {
    pub year: i64,
    pub item: String,
    pub allocated: String,
    pub spent: String,
    pub share: String,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    c: Chrome,
    key: String,
    number: String,
    source: String,
    rows: Vec<BudgetRow>,
    total: String,
    total_words: String,
    spent_total: String,
    may_write: bool,
    error: Option<String>,
}

async fn budget_page(state: &AppState, user: &CurrentUser, key: &str, error: Option<String>, status: StatusCode) -> Result<Response, WebError> {
    let (plan, _) = plan_for(state, user, key).await?;
    let pct = |a: i64, s: Option<i64>| {
        s.filter(|_| a > 0).map(|s| format!("{}%", pcmd_domain::money::format_decimal_vn((s as f64) * 100.0 / (a as f64)))).unwrap_or_default()
    };
    let rows = plan
        .budget_lines
        .iter()
        .map(|b| BudgetRow {
            year: b.year,
            item: b.item.clone(),
            allocated: format_vnd(b.allocated),
            spent: b.spent.map(format_vnd).unwrap_or_default(),
            share: pct(b.allocated, b.spent),
        })
        .collect();
    let total: i64 = plan.budget_lines.iter().map(|b| b.allocated).sum();
    let spent: i64 = plan.budget_lines.iter().filter_map(|b| b.spent).sum();
    let page = BudgetPage {
        c: Chrome::of(user, format!("/plans/{key}/budget")),
        key: plan.summary.key.clone(),
        number: plan.summary.number.clone(),
        source: plan.budget_source.clone().unwrap_or_default(),
        rows,
        total: format_vnd(total),
        total_words: vnd_in_words(total),
        spent_total: format_vnd(spent),
        may_write: coordinates(state, user, &plan).await?,
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn plan_budget(State(state): State<AppState>, user: CurrentUser, Path(key): Path<String>) -> Result<Response, WebError> {
    budget_page(&state, &user, &key, None, StatusCode::OK).await
}

pub async fn record_spending(
    State(state): State<AppState>,
    Path(key): Path<String>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let mut values: HashMap<String, String> = form.into_iter().collect();
    let (plan, _) = plan_for(&state, &user, &key).await?;
    if !coordinates(&state, &user, &plan).await? {
        return Err(WebError::Forbidden);
    }
    values.insert("plan".into(), plan.summary.key.clone());
    match write(&state, &user, RecordKind::BudgetSpending, &values).await? {
        None => Ok(Redirect::to(&format!("/plans/{key}/budget")).into_response()),
        Some(msg) => budget_page(&state, &user, &key, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
