//! The query string of a page, read like axum's `Query` but refused with a
//! message a person can read ("?page=abc" is not a page number) inside the
//! normal error page, not the deserializer's text.

use crate::WebError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_urlencoded::from_str(query).map(Query).map_err(|_| {
            WebError::bad_request(
                "địa chỉ trang có tham số không hợp lệ (ví dụ số trang không phải là số); hãy mở lại trang từ trình đơn",
                "the page address has a parameter that cannot be read (a page number that is not a number, say); open the page again from the menu",
            )
        })
    }
}

/// The path's parameters of a page, read like axum's `Path` but refused in the
/// normal error page with a message a person can read (`/records/activity/abc`:
/// not a record number), not the extractor's text.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state).await.map(|axum::extract::Path(v)| Path(v)).map_err(|_| {
            WebError::bad_request(
                "địa chỉ trang có phần không đọc được (ví dụ số hiệu bản ghi không phải là số); hãy mở lại trang từ trình đơn",
                "a part of the page address cannot be read (a record number that is not a number, say); open the page again from the menu",
            )
        })
    }
}
