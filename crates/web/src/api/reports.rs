//! Periodic reports through the API: the reports a user may see, opening one
//! (with an `Idempotency-Key`), moving it a step (submit, accept, return,
//! reopen, with the version read) and its DOCX, XLSX or CSV file. The same
//! rules as the report pages (`pages::reports`, `pcmd_domain::policy`).

use super::idempotent::{self, Key};
use super::records::object;
use super::{bad_request, error, forbidden, ApiError, ApiPath, ApiQuery, ApiUser};
use crate::pages::reports as pages;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use pcmd_domain::report::Narrative;
use pcmd_store::reports::{ReportRow, Step};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize)]
pub struct Report {
    id: i64,
    plan: String,
    plan_number: String,
    unit_code: Option<String>,
    unit_name: Option<String>,
    /// The agency's code for an agency's report on its tasks.
    agency: Option<String>,
    period: pcmd_domain::period::Period,
    status: &'static str,
    version: i64,
    issued_on: Option<chrono::NaiveDate>,
    comment: Option<String>,
    created_by: String,
    submitted_by: Option<String>,
    submitted_at: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<String>,
    narrative: Narrative,
    href: String,
}

/// A report as `reader` may see it: a supervisor is not given the officer's text of a commune's
/// report, which starts from a draft with the commune's exact counts (the report's files and page
/// print its sections from the withheld figures instead: `UnitReport::for_supervisor`).
fn report_for(state: &AppState, r: ReportRow, reader: pcmd_domain::roles::Role) -> Report {
    let level = state.units.get(r.unit_id).map(|u| u.level);
    let withheld = level.is_some_and(|l| pcmd_domain::policy::hides_small_counts(reader, l));
    let mut report = report_of(state, r);
    if withheld {
        report.narrative = Narrative::default();
    }
    report
}

fn report_of(state: &AppState, r: ReportRow) -> Report {
    let unit = state.units.get(r.unit_id);
    Report {
        id: r.id,
        href: format!("/api/v1/reports/{}", r.id),
        plan: r.plan_key,
        plan_number: r.plan_number,
        unit_code: unit.map(|u| u.code.clone()),
        unit_name: unit.map(|u| u.name.clone()),
        agency: r.agency.map(|a| a.code),
        period: r.period,
        status: r.status.as_str(),
        version: r.version,
        issued_on: r.issued_on,
        comment: r.comment,
        created_by: r.created_by,
        submitted_by: r.submitted_by,
        submitted_at: r.submitted_at,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        narrative: r.narrative,
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    plan: Option<String>,
}

/// `GET /reports?plan=`: the reports of units (and agencies) in the user's scope.
pub async fn list(State(state): State<AppState>, user: ApiUser, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<Vec<Report>>, ApiError> {
    if !pcmd_domain::policy::may_view_reports(user.0.role) {
        return Err(forbidden());
    }
    let scope = state.scope(user.0.unit_id);
    let plan = q.plan.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let rows = state.store.reports(plan).await?;
    Ok(Json(rows.into_iter().filter(|r| scope.contains(&r.unit_id)).map(|r| report_for(&state, r, user.0.role)).collect()))
}

/// `GET /reports/{id}`.
pub async fn read(State(state): State<AppState>, user: ApiUser, ApiPath(id): ApiPath<i64>) -> Result<Json<Report>, ApiError> {
    let (r, _, _) = pages::visible(&state, &user.as_current(), id).await?;
    Ok(Json(report_for(&state, r, user.0.role)))
}

fn text_field(body: &serde_json::Map<String, Value>, key: &str) -> Result<String, ApiError> {
    match body.get(key) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad_request("bad_field", format!("«{key}» phải là chuỗi chữ"), format!("«{key}» must be a string"))),
    }
}

/// `POST /reports`: opens a unit's report (`unit`) or an agency's (`agency`) for a plan and period.
pub async fn create(State(state): State<AppState>, user: ApiUser, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let fields = object(&body)?;
    if let Some(k) = fields.keys().find(|k| !matches!(k.as_str(), "plan" | "period" | "unit" | "agency")) {
        return Err(bad_request("bad_field", format!("không có trường «{k}»"), format!("no field «{k}»")));
    }
    let f = pages::NewReport {
        plan: text_field(&fields, "plan")?,
        period: text_field(&fields, "period")?,
        unit: text_field(&fields, "unit")?,
        agency: text_field(&fields, "agency")?,
    };
    if f.plan.trim().is_empty() || f.period.trim().is_empty() {
        return Err(bad_request("bad_field", "cần «plan» và «period»", "«plan» and «period» are needed"));
    }
    let key = Key::of(&headers, "POST", "/reports", &Value::Object(fields.clone()))?;
    // A report is one per plan, unit (or agency) and period: the key is held (pending) while it is opened.
    idempotent::around(&state, user.0.id, key.as_ref(), 201, async {
        let id = pages::open(&state, &user.as_current(), &f).await?;
        let r = state.store.report(id).await?.ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found", "không tìm thấy", "not found"))?;
        serde_json::to_string(&report_of(&state, r)).map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string(), e.to_string()))
    })
    .await
}

/// `POST /reports/{id}/{action}` with `{"version": n, "comment": "…"}`:
/// `submit` (its writers), `accept`, `return` and `reopen` (the level above; a
/// return and a reopening need the comment).
pub async fn action(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, action)): ApiPath<(i64, String)>,
    body: Bytes,
) -> Result<Json<Report>, ApiError> {
    let fields = object(&body)?;
    if let Some(k) = fields.keys().find(|k| !matches!(k.as_str(), "version" | "comment")) {
        return Err(bad_request("bad_field", format!("không có trường «{k}»"), format!("no field «{k}»")));
    }
    let version = fields.get("version").and_then(Value::as_i64).ok_or_else(|| {
        bad_request("no_version", "thiếu «version»: phiên bản đã đọc của báo cáo", "«version» is missing: the version of the report read")
    })?;
    let comment = text_field(&fields, "comment")?;
    let current = user.as_current();
    let (r, unit, role) = pages::visible(&state, &current, id).await?;
    let step = match action.as_str() {
        "submit" if pages::writes(role, &current, &r) => Step::Submit,
        "accept" | "return" | "reopen" if pages::decides(&state, role, &current, &unit, &r, false) => match action.as_str() {
            "accept" => Step::Accept,
            "return" => Step::Return,
            _ => Step::Reopen,
        },
        "submit" | "accept" | "return" | "reopen" => return Err(forbidden()),
        _ => return Err(error(StatusCode::NOT_FOUND, "not_found", format!("không có bước «{action}»"), format!("no step «{action}»"))),
    };
    let note = matches!(step, Step::Return | Step::Reopen).then_some(comment.as_str());
    state.store.report_step(id, version, step, note, &user.0.username, &state.units).await?;
    let r = state.store.report(id).await?.ok_or_else(|| error(StatusCode::NOT_FOUND, "not_found", "không tìm thấy", "not found"))?;
    Ok(Json(report_of(&state, r)))
}

#[derive(Deserialize)]
pub struct FileQuery {
    table: Option<String>,
}

/// `GET /reports/{id}/file/{format}`: docx, xlsx or csv (a ZIP; `?table=` one table's CSV).
pub async fn file(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((id, format)): ApiPath<(i64, String)>,
    ApiQuery(q): ApiQuery<FileQuery>,
) -> Result<Response, ApiError> {
    Ok(pages::file_of(&state, &user.as_current(), id, &format, q.table.as_deref()).await?)
}
