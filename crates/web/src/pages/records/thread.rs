//! A tip sent through the public portal, as the officer handling it sees it:
//! the sender's contact if given, the files (each opened on its own, audited),
//! the messages both ways, and a reply that the sender reads with their code.

use super::{allowed, visible_record};
use crate::auth::{CurrentUser, Posted};
use crate::query::Path;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use pcmd_domain::records::form::RecordKind;
use std::collections::HashMap;

/// What the tip's page shows of its exchange with the sender.
pub struct Thread {
    pub contact: Option<String>,
    /// Id, name, kind and size in words.
    pub files: Vec<(i64, String, String)>,
    /// From the sender?, when, what.
    pub messages: Vec<(bool, String, String)>,
}

/// The exchange of tip `id`, for a role that reads tips' content (the caller checks); audited.
pub async fn thread(state: &AppState, user: &CurrentUser, id: i64) -> Result<Option<Thread>, WebError> {
    let Some(sealer) = &state.sealer else { return Ok(None) };
    if state.store.receipt_of(id).await?.is_none() {
        return Ok(None);
    }
    let (messages, contact, files) = state.store.officer_thread(id, sealer, &user.user.username).await?;
    Ok(Some(Thread {
        contact,
        files: files.into_iter().map(|f| (f.id, f.name, format!("{} · {} KB", f.media_type, (f.size_bytes + 1023) / 1024))).collect(),
        messages: messages.into_iter().map(|m| (m.from_sender, pcmd_domain::date::format_instant_vn(&m.sent_at), m.body)).collect(),
    }))
}

/// An officer's reply to the sender.
pub async fn tip_reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let role = allowed(&user, RecordKind::Tip, false)?;
    if !role.sees_personal(RecordKind::Tip) {
        return Err(WebError::Forbidden);
    }
    visible_record(&state, &user, RecordKind::Tip, id).await?;
    let sealer = state.sealer.clone().ok_or(WebError::Forbidden)?;
    let f: HashMap<String, String> = form.into_iter().collect();
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    match state.store.add_tip_message(id, false, f.get("message").map_or("", String::as_str), &sealer, &user.user.username, &at).await {
        Ok(()) => Ok(Redirect::to(&format!("/records/tip/{id}#thread")).into_response()),
        Err(e) => {
            let msg = super::super::refusal(e, user.lang)?;
            super::detail_page(&state, &user, RecordKind::Tip, id, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// A file sent with the tip, opened for the officer (audited), downloaded rather than shown.
pub async fn tip_file(State(state): State<AppState>, user: CurrentUser, Path((id, file)): Path<(i64, i64)>) -> Result<Response, WebError> {
    let role = allowed(&user, RecordKind::Tip, false)?;
    if !role.sees_personal(RecordKind::Tip) {
        return Err(WebError::Forbidden);
    }
    visible_record(&state, &user, RecordKind::Tip, id).await?;
    let sealer = state.sealer.clone().ok_or(WebError::Forbidden)?;
    let (name, kind, bytes) = state.store.tip_file(id, file, &sealer, &user.user.username).await?.ok_or(WebError::NotFound)?;
    let ext = match kind.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    // The sender's file name stays on the page (it may say who they are), not in a header.
    drop(name);
    Ok(([(CONTENT_TYPE, kind), (CONTENT_DISPOSITION, format!("attachment; filename=\"tin-{id}-tep-{file}.{ext}\""))], bytes).into_response())
}
