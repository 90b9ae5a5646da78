//! `Idempotency-Key` on the API's POSTs (khóa chống gửi trùng): a request sent
//! again with the key of one that succeeded is answered with that first answer
//! (and `Idempotent-Replayed: true`), and makes nothing new. The same key with
//! another request is refused (422), so that a client's bug does not pass for
//! a retry. The key is claimed by the writing transaction (`pcmd_store::idempotency`).

use super::{bad_request, error, ApiError};
use crate::AppState;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The longest key taken.
pub const KEY_MAX: usize = 200;

/// A request's key and what it asks, hashed.
pub struct Key {
    pub key: String,
    pub hash: String,
}

impl Key {
    /// The request's key, if it sent one: 1 to 200 visible ASCII characters.
    pub fn of(headers: &HeaderMap, method: &str, path: &str, body: &serde_json::Value) -> Result<Option<Key>, ApiError> {
        let Some(raw) = headers.get("idempotency-key") else { return Ok(None) };
        let key = raw.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= KEY_MAX && k.bytes().all(|b| b.is_ascii_graphic()));
        let Some(key) = key else {
            return Err(bad_request(
                "bad_idempotency_key",
                "Idempotency-Key phải có từ 1 đến 200 ký tự ASCII nhìn thấy được (ví dụ một UUID)",
                "Idempotency-Key must be 1 to 200 visible ASCII characters (a UUID, say)",
            ));
        };
        // serde_json's objects keep their keys sorted: the same fields hash the same in any order.
        let hash = Sha256::digest(format!("{method} {path}\n{body}").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        Ok(Some(Key { key: key.to_string(), hash }))
    }

    /// A hash of raw bytes (an uploaded file) instead of a JSON body.
    pub fn of_bytes(headers: &HeaderMap, method: &str, path: &str, body: &[u8]) -> Result<Option<Key>, ApiError> {
        let digest: String = Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect();
        Key::of(headers, method, path, &serde_json::Value::from(digest))
    }
}

/// The first answer to this key, if there was one; 422 if the key was used for another request.
pub async fn replay(state: &AppState, user_id: i64, key: &Key) -> Result<Option<Response>, ApiError> {
    let Some(kept) = state.store.idempotent_answer(user_id, &key.key).await? else { return Ok(None) };
    if kept.status == 0 {
        return Err(error(
            StatusCode::CONFLICT,
            "in_progress",
            "yêu cầu trước với khóa này còn đang xử lý: gửi lại sau ít phút",
            "the earlier request with this key is still being processed: send again in a few minutes",
        ));
    }
    if kept.request_hash != key.hash {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "Idempotency-Key này đã dùng cho một yêu cầu khác: mỗi yêu cầu mới cần một khóa mới",
            "this Idempotency-Key was used for another request: each new request needs a new key",
        ));
    }
    let mut first = answer(kept.status, kept.body);
    first.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    Ok(Some(first))
}

/// The answer kept for the request's key, if it sent one that was answered before.
pub async fn earlier(state: &AppState, user_id: i64, key: Option<&Key>) -> Result<Option<Response>, ApiError> {
    match key {
        Some(k) => replay(state, user_id, k).await,
        None => Ok(None),
    }
}

/// A JSON answer, with `Location` when the body names where the written thing is (`href`).
pub fn answer(status: u16, text: String) -> Response {
    let href = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v.get("href").and_then(|h| h.as_str()).map(str::to_string));
    let mut resp = (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), [(header::CONTENT_TYPE, "application/json")], text).into_response();
    if let Some(v) = href.and_then(|h| HeaderValue::from_str(&h).ok()) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// Runs a write that commits by itself (an import, a report) under `key`: claimed
/// as pending first, so that a retry meanwhile is told to wait (409) instead of
/// writing again; settled with the answer, or freed when the write was refused.
pub async fn around<F>(state: &AppState, user_id: i64, key: Option<&Key>, status: u16, write: F) -> Result<Response, ApiError>
where
    F: std::future::Future<Output = Result<String, ApiError>>,
{
    let Some(k) = key else {
        return Ok(answer(status, write.await?));
    };
    if let Some(answer) = replay(state, user_id, k).await? {
        return Ok(answer);
    }
    if !state.store.claim_pending(user_id, &k.key, &k.hash).await? {
        return replay(state, user_id, k).await?.ok_or_else(|| error(StatusCode::CONFLICT, "conflict", "hãy gửi lại", "send again"));
    }
    match write.await {
        Ok(text) => {
            state.store.settle(user_id, &k.key, status, &text).await?;
            let mut answer =
                (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), [(header::CONTENT_TYPE, "application/json")], text.clone()).into_response();
            if let Some(href) =
                serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v.get("href").and_then(|h| h.as_str()).map(str::to_string))
            {
                if let Ok(v) = HeaderValue::from_str(&href) {
                    answer.headers_mut().insert(header::LOCATION, v);
                }
            }
            Ok(answer)
        }
        Err(e) => {
            state.store.release(user_id, &k.key).await?;
            Err(e)
        }
    }
}

/// Commits `tx` with `key` claimed for the answer `text`. When another request
/// holds the key meanwhile, `tx` is undone and that request's answer is returned.
pub async fn commit(
    state: &AppState,
    user_id: i64,
    key: Option<&Key>,
    mut tx: pcmd_store::Tx<'static>,
    status: u16,
    text: &str,
) -> Result<Option<Response>, ApiError> {
    if let Some(k) = key {
        if !pcmd_store::idempotency::claim(&mut tx, user_id, &k.key, &k.hash, status, text).await? {
            tx.rollback().await.map_err(pcmd_store::StoreError::from)?;
            let answer = replay(state, user_id, k).await?.ok_or_else(|| error(StatusCode::CONFLICT, "conflict", "hãy gửi lại", "send again"))?;
            return Ok(Some(answer));
        }
    }
    tx.commit().await.map_err(pcmd_store::StoreError::from)?;
    Ok(None)
}
