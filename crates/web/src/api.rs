//! The JSON API under /api/v1, for other systems: bearer tokens made with
//! `pcmd token create`, the same scopes as the pages, errors as JSON with a
//! stable code and a message in both languages.

use crate::pages::{default_unit, plan_visible, unit_in_scope};
use crate::AppState;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_store::UserRecord;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Serialize)]
pub struct ApiError {
    pub code: &'static str,
    pub message: Message,
    #[serde(skip)]
    status: StatusCode,
}

#[derive(Debug, Serialize)]
pub struct Message {
    pub vi: String,
    pub en: String,
}

fn error(status: StatusCode, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError { code, message: Message { vi: vi.into(), en: en.into() }, status }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(&self)).into_response()
    }
}

impl From<pcmd_store::StoreError> for ApiError {
    fn from(e: pcmd_store::StoreError) -> Self {
        use pcmd_store::StoreError as E;
        let code = match &e {
            E::NotFound(_) => "not_found",
            E::Conflict(_) => "conflict",
            E::Locked(_) => "locked",
            E::Invalid { .. } => "invalid",
            _ => "refused",
        };
        match e.user_message() {
            Some(m) => error(crate::error::status_of(&e), code, m.vi.clone(), m.en.clone()),
            None => {
                tracing::error!(error = %e, "internal error");
                error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "đã có lỗi", "internal error")
            }
        }
    }
}

/// The user of a bearer token.
pub struct ApiUser(pub UserRecord);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorised = || error(StatusCode::UNAUTHORIZED, "unauthorised", "thiếu hoặc sai mã truy cập", "missing or invalid access token");
        bearer_user(state, &parts.headers).await?.map(ApiUser).ok_or_else(unauthorised)
    }
}

/// The account of the request's bearer token, if it has a valid one.
pub(crate) async fn bearer_user(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<UserRecord>, pcmd_store::StoreError> {
    let Some(token) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return Ok(None);
    };
    let hash: String = Sha256::digest(token.trim().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    state.store.token_user(&hash, &now).await
}

#[derive(Serialize)]
pub struct PlanItem {
    key: String,
    number: String,
    title: String,
    unit_code: Option<String>,
    period_from: chrono::NaiveDate,
    period_to: chrono::NaiveDate,
    target_count: i64,
}

pub async fn plans(State(state): State<AppState>, ApiUser(user): ApiUser) -> Result<Json<Vec<PlanItem>>, ApiError> {
    let mut out = Vec::new();
    for p in state.store.plans().await? {
        let visible = match state.store.plan_unit(&p.key).await? {
            None => true,
            Some(id) => {
                state.units.get(id).is_some_and(|u| plan_visible(&state.units, user.unit_id, u, &Period::new("", p.period_from, p.period_to)))
            }
        };
        if visible {
            out.push(PlanItem {
                key: p.key,
                number: p.number,
                title: p.title,
                unit_code: p.unit_code,
                period_from: p.period_from,
                period_to: p.period_to,
                target_count: p.target_count,
            });
        }
    }
    Ok(Json(out))
}

#[derive(serde::Deserialize)]
pub struct EvalQuery {
    period: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
}

pub async fn evaluation(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(key): Path<String>,
    Query(q): Query<EvalQuery>,
) -> Result<axum::response::Response, ApiError> {
    let version = crate::cache::version(&state).await.map_err(ApiError::from)?;
    let cached = crate::cache::plan(&state, version, &key)
        .await
        .map_err(|_| error(StatusCode::NOT_FOUND, "not_found", format!("không có kế hoạch «{key}»"), format!("no plan «{key}»")))?;
    let plan = &cached.view;
    // An empty parameter is an absent one (`?period=&unit=` from a form left blank).
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (period_q, unit_q, as_of_q) = (given(q.period), given(q.unit), given(q.as_of));
    let text = period_q.unwrap_or_else(|| plan.summary.period_to.format("%Y").to_string());
    let period = Period::parse(&text, Cutoff::Decree09).map_err(|e| error(StatusCode::BAD_REQUEST, "bad_period", e.vi, e.en))?;
    let as_of = match as_of_q.as_deref() {
        Some(s) => pcmd_domain::date::parse(s).map_err(|e| error(StatusCode::BAD_REQUEST, "bad_date", e.vi, e.en))?,
        None => pcmd_engine::default_as_of(&period, chrono::Local::now().date_naive()),
    };
    let units = &state.units;
    let plan_unit = cached.unit_id;
    if plan_unit.and_then(|id| units.get(id)).is_some_and(|u| !plan_visible(units, user.unit_id, u, &period)) {
        return Err(error(StatusCode::FORBIDDEN, "forbidden", "kế hoạch nằm ngoài phạm vi của bạn", "the plan is outside your scope"));
    }
    let unit = match &unit_q {
        Some(code) => units.resolve_for(code, period.from, period.to).cloned(),
        None => default_unit(units, user.unit_id, plan_unit, &period),
    }
    .ok_or_else(|| error(StatusCode::NOT_FOUND, "unknown_unit", "không có đơn vị này trong kỳ", "no such unit in the period"))?;
    if !unit_in_scope(units, user.unit_id, &unit, &period) {
        return Err(error(StatusCode::FORBIDDEN, "forbidden", "đơn vị nằm ngoài phạm vi của bạn", "the unit is outside your scope"));
    }
    let evaluations = crate::cache::evaluations(&state, version, plan, &unit, &period, as_of).await?;
    // Written straight from the cached figures, without copying them, unless
    // the reader may not see small counts (a supervisor: `policy::hides_small_counts`).
    let body = if pcmd_domain::policy::hides_small_counts(user.role, pcmd_domain::units::Level::Commune) {
        let fit: Vec<pcmd_engine::Evaluation> = evaluations.iter().map(|e| e.for_reader(user.role, unit.level)).collect();
        serde_json::to_vec(&fit)
    } else {
        serde_json::to_vec(evaluations.as_ref())
    }
    .map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string(), e.to_string()))?;
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], include_str!("../openapi.json")).into_response()
}

pub async fn not_found() -> ApiError {
    error(StatusCode::NOT_FOUND, "not_found", "không có địa chỉ này", "no such route")
}
