//! One check against cross-site request forgery for every form a signed-in
//! user posts: the extractor [`Posted`] takes the session's user and the form,
//! and refuses (403) a form whose `csrf` field is not the session's token,
//! compared in constant time, before the handler runs.

use super::{constant_time_eq, CurrentUser};
use crate::{AppState, WebError};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// The largest form body read (the record forms are a few kilobytes).
const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// A form posted by a signed-in user, its CSRF token checked.
pub struct Posted<T> {
    pub user: CurrentUser,
    pub form: T,
}

fn bad_form() -> Response {
    WebError::bad_request("biểu mẫu gửi lên không đọc được", "the form sent cannot be read").into_response()
}

impl<T: DeserializeOwned> FromRequest<AppState> for Posted<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| bad_form())?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| bad_form())?;
        let sent = pairs.iter().find(|(k, _)| k == "csrf").map_or("", |(_, v)| v.as_str());
        if !constant_time_eq(sent, &user.csrf) {
            // Most often a page kept open across a new sign-in: say so, still 403.
            let m = pcmd_domain::Msg::new(
                "biểu mẫu đã hết hạn (bạn đã đăng nhập lại hoặc trang mở quá lâu): hãy tải lại trang rồi gửi lại; không có gì được lưu",
                "the form has expired (you signed in again, or the page was open too long): reload the page and send it again; nothing was saved",
            );
            return Err(WebError::Refused(axum::http::StatusCode::FORBIDDEN, m).into_response());
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| bad_form())?;
        Ok(Posted { user, form })
    }
}
