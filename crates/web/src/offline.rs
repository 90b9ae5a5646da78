//! Entry without a connection (nhập khi mất mạng): the installable app's
//! manifest, the service worker that keeps the app shell, and the offline
//! entry page with its script. The page and script are the same for every
//! user (what a user may enter comes from `/api/v1/session`), so a cached
//! copy never holds anyone's data. See `static/offline.js`.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

pub async fn page() -> Response {
    ([(CONTENT_TYPE, "text/html; charset=utf-8")], include_str!("../static/offline.html")).into_response()
}

pub async fn script() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../static/offline.js")).into_response()
}

/// Served from the root so that its scope is the whole site; checked for a new version on every visit.
pub async fn worker() -> Response {
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], include_str!("../static/sw.js")).into_response()
}

pub async fn manifest() -> Response {
    ([(CONTENT_TYPE, "application/manifest+json")], include_str!("../static/manifest.webmanifest")).into_response()
}

pub async fn icon() -> Response {
    ([(CONTENT_TYPE, "image/svg+xml")], include_str!("../static/icon.svg")).into_response()
}
