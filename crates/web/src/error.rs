//! Errors as pages: 4xx with a message for the user, 5xx logged with the detail hidden.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("{vi} ({en})")]
    BadRequest { vi: String, en: String },
    #[error("internal: {0}")]
    Internal(String),
}

impl From<pcmd_store::StoreError> for WebError {
    fn from(e: pcmd_store::StoreError) -> Self {
        match e {
            pcmd_store::StoreError::Refused { vi, en } => WebError::BadRequest { vi, en },
            other => WebError::Internal(other.to_string()),
        }
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

fn page(status: StatusCode, vi: &str, en: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>pcmd</title><link rel=\"stylesheet\" href=\"/static/pcmd.css\"></head><body><main><h1>{}</h1><p>{vi}</p><p lang=\"en\">{en}</p>\
         <p><a href=\"/\">pcmd</a></p></main></body></html>",
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
            WebError::BadRequest { vi, en } => page(StatusCode::BAD_REQUEST, &escape(&vi), &escape(&en)),
            WebError::Internal(detail) => {
                eprintln!("pcmd web: internal error: {detail}");
                page(StatusCode::INTERNAL_SERVER_ERROR, "Đã có lỗi. Lỗi đã được ghi lại.", "Something went wrong. The error was logged.")
            }
        }
    }
}
