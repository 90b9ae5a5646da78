//! The JSON API under /api/v1, for other systems and the offline queue:
//! bearer tokens made with `pcmd token create`, the same scopes and rules as
//! the pages (`pcmd_domain::policy`), errors as JSON with a stable code and a
//! message in both languages. The OpenAPI document is built from the same
//! descriptions of the record kinds as the forms and import templates.

mod idempotent;
mod imports;
mod openapi;
mod plans;
mod records;
mod reports;
mod session;
mod units;

pub use imports::import as records_import;
pub use openapi::openapi;
pub use plans::{budget as plan_budget, explanation, read as plan_read, record_spending, report_progress, tasks as plan_tasks};
pub use records::{create as record_create, list as records_list, read as record_read, update as record_update};
pub use reports::{action as report_action, create as report_create, file as report_file, list as reports, read as report_read};
pub use session::{session, OFFLINE_KINDS};
pub use units::{unit, units};

use crate::pages::{default_unit, plan_visible, unit_in_scope};
use crate::AppState;
use axum::extract::{FromRequestParts, Path, State};
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
    /// Every fault of a record or a file, by field (and line).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<Fault>,
    #[serde(skip)]
    status: StatusCode,
}

/// One fault of a record (by field) or of an imported file (by line and column).
#[derive(Debug, Clone, Serialize)]
pub struct Fault {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub field: Option<String>,
    pub vi: String,
    pub en: String,
}

#[derive(Debug, Serialize)]
pub struct Message {
    pub vi: String,
    pub en: String,
}

pub(crate) fn error(status: StatusCode, code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError { code, message: Message { vi: vi.into(), en: en.into() }, faults: Vec::new(), status }
}

impl ApiError {
    pub(crate) fn with_faults(mut self, faults: Vec<Fault>) -> Self {
        self.faults = faults;
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(&self)).into_response()
    }
}

impl From<crate::WebError> for ApiError {
    fn from(e: crate::WebError) -> Self {
        use crate::WebError as W;
        match e {
            W::NotFound => error(StatusCode::NOT_FOUND, "not_found", "không tìm thấy", "not found"),
            W::Forbidden => forbidden(),
            W::BadRequest(m) => error(StatusCode::BAD_REQUEST, "bad_request", m.vi, m.en),
            W::Refused(status, m) => error(status, code_of(status), m.vi, m.en),
            W::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                error(StatusCode::INTERNAL_SERVER_ERROR, "internal", "đã có lỗi", "internal error")
            }
        }
    }
}

/// The stable code of a refusal the pages' checks answered with `status`.
pub(crate) fn code_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        423 => "locked",
        _ => "refused",
    }
}

/// 403: the action or the record is outside what the token's user may do.
pub(crate) fn forbidden() -> ApiError {
    error(StatusCode::FORBIDDEN, "forbidden", "không được phép: ngoài vai trò hoặc phạm vi của bạn", "not allowed: outside your role or scope")
}

/// 400 with a message.
pub(crate) fn bad_request(code: &'static str, vi: impl Into<String>, en: impl Into<String>) -> ApiError {
    error(StatusCode::BAD_REQUEST, code, vi, en)
}

impl ApiUser {
    /// The token's user as the pages know a user (their language Vietnamese),
    /// so that the API goes through the pages' own checks.
    pub(crate) fn as_current(&self) -> crate::auth::CurrentUser {
        crate::auth::CurrentUser {
            user: self.0.clone(),
            csrf: String::new(),
            lang: crate::i18n::Lang::Vi,
            here: String::new(),
            session: String::new(),
            seen_version: None,
        }
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

/// A query string read like axum's `Query`, refused as JSON (400, `bad_query`).
pub struct ApiQuery<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        serde_urlencoded::from_str(parts.uri.query().unwrap_or_default()).map(ApiQuery).map_err(|e| {
            bad_request("bad_query", format!("tham số của địa chỉ không đọc được: {e}"), format!("a parameter of the address cannot be read: {e}"))
        })
    }
}

/// The path's parameters read like axum's `Path`, refused as JSON (400, `bad_path`): an id that is not a number.
pub struct ApiPath<T>(pub T);

impl<T: serde::de::DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| ApiPath(v)).map_err(|_| {
            bad_request(
                "bad_path",
                "địa chỉ có phần không đọc được (ví dụ số hiệu không phải là số)",
                "a part of the address cannot be read (an id that is not a number, say)",
            )
        })
    }
}

/// The user of a bearer token.
pub struct ApiUser(pub UserRecord);

/// The data version read with the request's token or session (`cache::version_seen`).
#[derive(Clone, Copy)]
pub struct SeenVersion(pub i64);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let unauthorised = || error(StatusCode::UNAUTHORIZED, "unauthorised", "thiếu hoặc sai mã truy cập", "missing or invalid access token");
        if let Some((user, version)) = bearer_user_at(state, &parts.headers).await? {
            parts.extensions.insert(SeenVersion(version));
            return Ok(ApiUser(user));
        }
        // The browser's own pages (the offline queue): the session cookie, with the
        // session's CSRF token in `X-CSRF-Token`, so that another site cannot send
        // requests with the cookie.
        if let Some((user, csrf, version)) = session_user(state, &parts.headers).await? {
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if crate::auth::constant_time_eq(sent, &csrf) {
                parts.extensions.insert(SeenVersion(version));
                return Ok(ApiUser(user));
            }
        }
        Err(unauthorised())
    }
}

/// The account and CSRF token of the request's session cookie, if it has a live session,
/// with the data version read in the same statement.
pub(crate) async fn session_user(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<(UserRecord, String, i64)>, pcmd_store::StoreError> {
    let Some(token) = crate::auth::cookie(headers, crate::auth::SESSION_COOKIE) else { return Ok(None) };
    state.store.session_user_at(&crate::auth::token_hash(token), &crate::auth::now_text()).await
}

/// The account of the request's bearer token, if it has a valid one.
pub(crate) async fn bearer_user(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<UserRecord>, pcmd_store::StoreError> {
    Ok(bearer_user_at(state, headers).await?.map(|(user, _)| user))
}

/// The same with the data version read in the same statement.
async fn bearer_user_at(state: &AppState, headers: &axum::http::HeaderMap) -> Result<Option<(UserRecord, i64)>, pcmd_store::StoreError> {
    let Some(token) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return Ok(None);
    };
    let hash: String = Sha256::digest(token.trim().as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    state.store.token_user_at(&hash, &now).await
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
            Some(id) => state.units.get(id).is_some_and(|u| plan_visible(&state, user.unit_id, u, &Period::new("", p.period_from, p.period_to))),
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
    ApiPath(key): ApiPath<String>,
    ApiQuery(q): ApiQuery<EvalQuery>,
    seen: Option<axum::Extension<SeenVersion>>,
) -> Result<axum::response::Response, ApiError> {
    // Read with the token, in the same statement, when the request came with one.
    let version = crate::cache::version_seen(&state, seen.map(|s| s.0 .0)).await.map_err(ApiError::from)?;
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
        None => pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()),
    };
    let units = &state.units;
    let plan_unit = cached.unit_id;
    if plan_unit.and_then(|id| units.get(id)).is_some_and(|u| !plan_visible(&state, user.unit_id, u, &period)) {
        return Err(error(StatusCode::FORBIDDEN, "forbidden", "kế hoạch nằm ngoài phạm vi của bạn", "the plan is outside your scope"));
    }
    let unit = match &unit_q {
        Some(code) => units.resolve_as_of(code, &period, as_of).cloned(),
        None => default_unit(&state, user.unit_id, plan_unit, &period),
    }
    .ok_or_else(|| error(StatusCode::NOT_FOUND, "unknown_unit", "không có đơn vị này trong kỳ", "no such unit in the period"))?;
    if !unit_in_scope(&state, user.unit_id, &unit, &period) {
        return Err(error(StatusCode::FORBIDDEN, "forbidden", "đơn vị nằm ngoài phạm vi của bạn", "the unit is outside your scope"));
    }
    let evaluations = crate::cache::evaluations(&state, version, plan, &unit, &period, as_of).await?;
    // An item that is a unit outside the reader's scope (a figure across the reform: `Evaluation::within`).
    let scope = state.scope(user.unit_id);
    let outside = evaluations.iter().any(|e| e.parts.iter().any(|p| p.unit_id.is_some_and(|id| !scope.contains(&id))));
    // The answer is kept packed with the figures (`crate::packed`), for every reader of the same role
    // (and, when an item lies outside the reader's scope, the same home unit): the same figures for the
    // same unit, days and as-of day whatever the period's text.
    let home = if outside { user.unit_id.to_string() } else { String::new() };
    let what = format!("api-evaluation|{}|{}|{}|{as_of}|{}|{home}", plan.summary.key, period.from, period.to, user.role);
    let made = async {
        // Written straight from the cached figures, without copying them, unless the reader may
        // not see small counts (a supervisor: `policy::hides_small_counts`) or an item lies outside the scope.
        let body = if outside || pcmd_domain::policy::hides_small_counts(user.role, pcmd_domain::units::Level::Commune) {
            let fit: Vec<pcmd_engine::Evaluation> = evaluations.iter().map(|e| crate::pages::for_user(&state, &user, unit.level, e)).collect();
            serde_json::to_string(&fit)
        } else {
            serde_json::to_string(evaluations.as_ref())
        }
        .map_err(|e| pcmd_store::StoreError::corrupt(format!("không viết được số liệu: {e}"), format!("figures could not be written: {e}")))?;
        Ok(std::sync::Arc::new(crate::packed::Packed::new(body)))
    };
    let body = (*crate::cache::fragment(&state, version, what, unit.id, made).await?).clone();
    let text = body.to_string();
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], axum::Extension(crate::packed::Parts(vec![body])), text).into_response())
}

pub async fn not_found() -> ApiError {
    error(StatusCode::NOT_FOUND, "not_found", "không có địa chỉ này", "no such route")
}
