//! Errors as pages: 4xx with a message for the user in both languages, 5xx
//! logged with the detail hidden. A store error keeps its kind: not found 404,
//! conflict 409, locked period 423, refused or invalid 422, corrupt data 500.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pcmd_domain::Msg;
use pcmd_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// The request itself cannot be read (a malformed period, date or form).
    #[error("{0}")]
    BadRequest(Msg),
    /// Understood, but refused for the reason given, with its status.
    #[error("{1}")]
    Refused(StatusCode, Msg),
    #[error("internal: {0}")]
    Internal(String),
}

impl WebError {
    pub fn bad_request(vi: impl Into<String>, en: impl Into<String>) -> Self {
        WebError::BadRequest(Msg::new(vi, en))
    }
}

/// The status a store error is answered with when shown to the user.
pub fn status_of(e: &StoreError) -> StatusCode {
    match e {
        StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        StoreError::Conflict(_) => StatusCode::CONFLICT,
        StoreError::Locked(_) => StatusCode::LOCKED,
        StoreError::Refused(_) | StoreError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e.user_message() {
            Some(m) => WebError::Refused(status_of(&e), m.clone()),
            None => WebError::Internal(e.to_string()),
        }
    }
}

impl From<pcmd_domain::Msg> for WebError {
    fn from(m: Msg) -> Self {
        WebError::BadRequest(m)
    }
}

impl From<crate::auth::NoRandomness> for WebError {
    fn from(e: crate::auth::NoRandomness) -> Self {
        WebError::Internal(e.to_string())
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.to_string())
    }
}

/// What a status means to a person, in both languages.
fn meaning(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("Yêu cầu không đọc được", "The request cannot be read"),
        403 => ("Không thực hiện được", "Not allowed"),
        404 => ("Không tìm thấy", "Not found"),
        409 => ("Trùng lặp", "Already there"),
        422 => ("Không lưu được", "Not saved"),
        423 => ("Kỳ đã khóa", "Period locked"),
        _ => ("Đã có lỗi", "Something went wrong"),
    }
}

/// A message as a sentence: a capital first, a full stop last.
fn sentence(s: &str) -> String {
    let mut c = s.trim().chars();
    let mut out: String = c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default();
    if !out.ends_with(['.', '!', '?']) && !out.is_empty() {
        out.push('.');
    }
    out
}

fn page(status: StatusCode, vi: &str, en: &str) -> Response {
    let (title_vi, title_en) = meaning(status);
    let (vi, en) = (sentence(vi), sentence(en));
    let body = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{title_vi} — pcmd</title><link rel=\"stylesheet\" href=\"/static/pcmd.css\"></head><body>\
         <header class=\"top\"><a href=\"/\"><strong>pcmd</strong></a></header><main>\
         <h1>{title_vi} <small>({})</small></h1><p role=\"alert\">{vi}</p><p lang=\"en\" class=\"muted\">{title_en}. {en}</p>\
         <p><a href=\"/\">Về trang chủ</a> · <a href=\"/records\">Hồ sơ, số liệu</a> · <a href=\"/reports\">Báo cáo định kỳ</a></p></main></body></html>",
        status.as_u16()
    );
    (status, Html(body)).into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => page(StatusCode::NOT_FOUND, "Không tìm thấy trang.", "Page not found."),
            WebError::Forbidden => page(StatusCode::FORBIDDEN, "Bạn không có quyền xem nội dung này.", "You may not see this."),
            WebError::BadRequest(m) => page(StatusCode::BAD_REQUEST, &escape(&m.vi), &escape(&m.en)),
            WebError::Refused(status, m) => page(status, &escape(&m.vi), &escape(&m.en)),
            WebError::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                page(StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi. Lỗi đã được ghi lại.", "Something went wrong. The error was logged.")
            }
        }
    }
}
