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

/// What an error page says, in both languages (escaped); `in_language` writes the page
/// in the reader's language once the request's cookie is known.
#[derive(Clone)]
pub struct ErrorText {
    pub status: StatusCode,
    pub vi: String,
    pub en: String,
}

fn page(status: StatusCode, vi: &str, en: &str) -> Response {
    let text = ErrorText { status, vi: sentence(vi), en: sentence(en) };
    let mut resp = (status, Html(render(&text, crate::i18n::Lang::Vi, None))).into_response();
    resp.extensions_mut().insert(text);
    resp
}

/// The error page: the layout's header, a title, the message and the ways on — back to
/// the page the user came from (when it was on this site) and home.
pub fn render(e: &ErrorText, lang: crate::i18n::Lang, back: Option<&str>) -> String {
    let vi = lang == crate::i18n::Lang::Vi;
    let (title_vi, title_en) = meaning(e.status);
    let (title, message) = if vi { (title_vi, e.vi.as_str()) } else { (title_en, e.en.as_str()) };
    let t = crate::i18n::Tr { lang };
    let back = back.map(|b| format!("<a href=\"{}\">{}</a> · ", escape(b).replace('"', "&quot;"), t.get("go_back"))).unwrap_or_default();
    format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} — pcmd</title><link rel=\"stylesheet\" href=\"/static/pcmd.css\"></head><body>\
         <header><a class=\"brand\" href=\"/\">pcmd</a><span class=\"app\">{app}</span></header><main id=\"main\">\
         <h1>{title}</h1><p role=\"alert\">{message}</p>\
         <p>{back}<a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.code(),
        app = t.get("app_name"),
        home = t.get("go_home"),
    )
}

/// Writes an error page in the language of the request that met it, with a way back.
pub async fn in_language(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let lang = crate::auth::lang_of(req.headers());
    let back = req
        .headers()
        .get(axum::http::header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest).and_then(|rest| rest.find('/').map(|i| rest[i..].to_string())))
        .filter(|p| crate::auth::is_local_path(p));
    let resp = next.run(req).await;
    let Some(text) = resp.extensions().get::<ErrorText>().cloned() else { return resp };
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(render(&text, lang, back.as_deref())))
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
