//! A plan through the API: its targets, tasks, budget and reporting duties; the
//! records behind a target's figure; progress on a task and spending of the
//! budget, written as on the plan's pages (`pages::tasks`: who may see a
//! plan's tasks and budget, who reports progress, who records spending).

use super::idempotent::{self, Key};
use super::records::{object, parse};
use super::{bad_request, error, forbidden, ApiError, ApiPath, ApiQuery, ApiUser};
use crate::pages::tasks as pages;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::RecordSource;
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::{BudgetLineView, PlanView, ProgressView, TaskView};
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn not_found(key: &str) -> ApiError {
    error(StatusCode::NOT_FOUND, "not_found", format!("không có kế hoạch «{key}»"), format!("no plan «{key}»"))
}

/// The plan, if the user may see it (its territory meets the user's scope).
async fn visible(state: &AppState, user: &ApiUser, key: &str) -> Result<PlanView, ApiError> {
    let mut plan = state.store.plan(key).await.map_err(|_| not_found(key))?;
    let period = Period::new("", plan.summary.period_from, plan.summary.period_to);
    if let Some(u) = state.store.plan_unit(&plan.summary.key).await?.and_then(|id| state.units.get(id)) {
        if !crate::pages::plan_visible(state, user.0.unit_id, u, &period) {
            return Err(forbidden());
        }
    }
    // The plan's text is long and belongs to its page; the API gives what it decides.
    plan.original_text = None;
    Ok(plan)
}

/// `GET /plans/{key}`: the plan, its targets and reporting duties; its tasks and
/// budget lines only for the roles that see them on the plan's pages.
pub async fn read(State(state): State<AppState>, user: ApiUser, ApiPath(key): ApiPath<String>) -> Result<Json<PlanView>, ApiError> {
    let mut plan = visible(&state, &user, &key).await?;
    if !pcmd_domain::policy::may_see_tasks(user.0.role) {
        plan.tasks.clear();
        plan.budget_lines.clear();
    }
    Ok(Json(plan))
}

#[derive(Serialize)]
pub struct Task {
    #[serde(flatten)]
    task: TaskView,
    /// The latest status reported (not_started when none).
    status: String,
    /// Every progress report, newest first.
    progress: Vec<ProgressView>,
}

/// `GET /plans/{key}/tasks`: coordinators, officers and supervisors whose scope meets the plan's.
pub async fn tasks(State(state): State<AppState>, user: ApiUser, ApiPath(key): ApiPath<String>) -> Result<Json<Vec<Task>>, ApiError> {
    let (plan, _) = pages::plan_for(&state, &user.as_current(), &key).await?;
    let progress = state.store.task_progress(&plan.summary.key).await?;
    Ok(Json(
        plan.tasks
            .into_iter()
            .map(|t| {
                let mine: Vec<ProgressView> = progress.iter().filter(|p| p.task_code == t.code).cloned().collect();
                let status = mine.first().map_or_else(|| "not_started".to_string(), |p| p.status.clone());
                Task { task: t, status, progress: mine }
            })
            .collect(),
    ))
}

/// `GET /plans/{key}/budget`: the budget lines by year, with what was spent.
pub async fn budget(State(state): State<AppState>, user: ApiUser, ApiPath(key): ApiPath<String>) -> Result<Json<Vec<BudgetLineView>>, ApiError> {
    let (plan, _) = pages::plan_for(&state, &user.as_current(), &key).await?;
    Ok(Json(plan.budget_lines))
}

/// Writes a plan's record (progress or spending) with the key claimed in its transaction.
async fn write_plan_record(
    state: &AppState,
    user: &ApiUser,
    kind: RecordKind,
    fields: &serde_json::Map<String, Value>,
    key: Option<&Key>,
) -> Result<Response, ApiError> {
    let record = parse(kind, fields, &[])?;
    let m = RecordMeta::now(RecordSource::Entry, Some(user.0.username.clone()));
    let mut tx = state.store.begin().await?;
    let id = match rec::insert(&mut tx, &state.units, &state.rules, &record, &m).await {
        Ok(id) => id,
        Err(e) => {
            tx.rollback().await.map_err(pcmd_store::StoreError::from)?;
            return Err(e.into());
        }
    };
    let text = serde_json::json!({ "id": id, "kind": kind.as_str(), "version": 1 }).to_string();
    if let Some(first) = idempotent::commit(state, user.0.id, key, tx, 201, &text).await? {
        return Ok(first);
    }
    Ok(idempotent::answer(201, text))
}

/// `POST /plans/{key}/tasks/{code}/progress` `{"reported_on", "status", "note"}`: an
/// officer of an agency the task is assigned to, or the plan's coordinator.
pub async fn report_progress(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((key, task)): ApiPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut fields = object(&body)?;
    let current = user.as_current();
    let (plan, role) = pages::plan_for(&state, &current, &key).await?;
    if !plan.tasks.iter().any(|t| t.code == task) {
        return Err(error(StatusCode::NOT_FOUND, "not_found", format!("không có nhiệm vụ «{task}»"), format!("no task «{task}»")));
    }
    if !pages::may_report(&state, &current, role, &plan, &task).await? {
        return Err(forbidden());
    }
    if fields.contains_key("plan") || fields.contains_key("task_code") {
        return Err(bad_request("bad_field", "kế hoạch và nhiệm vụ lấy từ địa chỉ", "the plan and task come from the address"));
    }
    let k = Key::of(&headers, "POST", &format!("/plans/{}/tasks/{task}/progress", plan.summary.key), &Value::Object(fields.clone()))?;
    if let Some(first) = idempotent::earlier(&state, user.0.id, k.as_ref()).await? {
        return Ok(first);
    }
    fields.insert("plan".into(), Value::from(plan.summary.key.clone()));
    fields.insert("task_code".into(), Value::from(task));
    write_plan_record(&state, &user, RecordKind::TaskProgress, &fields, k.as_ref()).await
}

/// `POST /plans/{key}/budget` `{"year", "item", "spent"}`: the plan's coordinator records spending.
pub async fn record_spending(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(key): ApiPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let mut fields = object(&body)?;
    let current = user.as_current();
    let (plan, _) = pages::plan_for(&state, &current, &key).await?;
    if !pages::coordinates(&state, &current, &plan).await? {
        return Err(forbidden());
    }
    if fields.contains_key("plan") {
        return Err(bad_request("bad_field", "kế hoạch lấy từ địa chỉ", "the plan comes from the address"));
    }
    let k = Key::of(&headers, "POST", &format!("/plans/{}/budget", plan.summary.key), &Value::Object(fields.clone()))?;
    if let Some(first) = idempotent::earlier(&state, user.0.id, k.as_ref()).await? {
        return Ok(first);
    }
    fields.insert("plan".into(), Value::from(plan.summary.key.clone()));
    write_plan_record(&state, &user, RecordKind::BudgetSpending, &fields, k.as_ref()).await
}

#[derive(Deserialize)]
pub struct ExplainQuery {
    period: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
}

#[derive(Serialize)]
pub struct Counted {
    kind: &'static str,
    id: i64,
    date: chrono::NaiveDate,
    unit_code: Option<String>,
    label: String,
}

#[derive(Serialize)]
pub struct Explanation {
    evaluation: pcmd_engine::Evaluation,
    /// Every record the figure counted in the unit's territory and the reader's scope; absent when withheld.
    records: Option<Vec<Counted>>,
    /// How many records the figure counted in the territory lie outside the reader's scope
    /// (old communes of other units that went into the same new commune; the press of the
    /// new province after a merger): not listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    outside_scope: Option<usize>,
    /// Why no records are listed: records about persons (counts only), small counts withheld
    /// from this reader, or records of a kind the reader's role may not read.
    withheld: Option<&'static str>,
}

/// `GET /plans/{key}/targets/{code}/explanation?period=&unit=&as_of=`: the figure and the records behind it.
pub async fn explanation(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((key, code)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<ExplainQuery>,
) -> Result<Json<Explanation>, ApiError> {
    let plan = visible(&state, &user, &key).await?;
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let text = given(q.period).unwrap_or_else(|| plan.summary.period_to.format("%Y").to_string());
    let period = Period::parse(&text, Cutoff::Decree09).map_err(|e| bad_request("bad_period", e.vi, e.en))?;
    let as_of = match given(q.as_of) {
        Some(s) => pcmd_domain::date::parse(&s).map_err(|e| bad_request("bad_date", e.vi, e.en))?,
        None => pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()),
    };
    let units = &state.units;
    let plan_unit = state.store.plan_unit(&plan.summary.key).await?;
    let unit = match given(q.unit) {
        Some(c) => units.resolve_as_of(&c, &period, as_of).cloned(),
        None => crate::pages::default_unit(&state, user.0.unit_id, plan_unit, &period),
    }
    .ok_or_else(|| error(StatusCode::NOT_FOUND, "unknown_unit", "không có đơn vị này trong kỳ", "no such unit in the period"))?;
    if !crate::pages::unit_in_scope(&state, user.0.unit_id, &unit, &period) {
        return Err(forbidden());
    }
    let t = plan
        .targets
        .iter()
        .find(|t| t.code == code)
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found", format!("không có chỉ tiêu «{code}»"), format!("no target «{code}»")))?;
    let typed = t.typed().ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found", "chỉ tiêu không tính được", "the target cannot be computed"))?;
    let mut engine = pcmd_engine::Engine::new(&state.store, units);
    let e = engine
        .evaluate_target(&typed, &unit, &period, as_of)
        .await?
        .pop()
        .ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found", "không có kết quả", "no evaluation"))?;
    let e = crate::pages::for_user(&state, &user.0, unit.level, &e);
    let (records, outside_scope, withheld) = if e.suppressed {
        (None, None, Some("small_counts"))
    } else {
        let territory = pcmd_engine::Territory::build_as_of(units, &unit, &e.period, as_of).ok();
        match crate::pages::records_for_user(&state, &user.0, &t.indicator, (&e.period, as_of), territory.as_ref()).await? {
            crate::pages::Behind::Persons => (None, None, Some("persons_as_counts")),
            crate::pages::Behind::NotReadable => (None, None, Some("not_readable_by_role")),
            crate::pages::Behind::Listed { records, outside_scope } => {
                let list = records
                    .into_iter()
                    .map(|r| Counted {
                        kind: r.kind,
                        id: r.id,
                        date: r.date,
                        unit_code: units.get(r.unit_id).map(|u| u.code.clone()),
                        label: r.label,
                    })
                    .collect();
                (Some(list), Some(outside_scope), None)
            }
        }
    };
    Ok(Json(Explanation { evaluation: e, records, outside_scope, withheld }))
}
