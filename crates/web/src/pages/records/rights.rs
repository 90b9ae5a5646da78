//! A supported person's rights on their case page (Law 91/2025/QH15), for the
//! caseworker who sees the identity: consent with its day and scope, its
//! withdrawal (after which no new service is recorded, and the page says so),
//! a new service, everything held about the person as a file, and erasure of a
//! closed case with its reason. Every step is audited by the store.

use super::{allowed, visible_record};
use crate::auth::{CurrentUser, Posted};
use crate::i18n::Lang;
use crate::query::Path;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use pcmd_domain::date::format_vn;
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::Service;
use pcmd_store::privacy::{CaseRights, Consent};
use std::collections::HashMap;

/// What the case page shows of the person's rights.
pub struct RightsPanel {
    /// "Đồng ý ngày 02/03/2024 (phạm vi: …)", or the withdrawal, or none.
    pub consent: String,
    /// Services can be recorded now.
    pub may_serve: bool,
    /// Why not, when not.
    pub blocked: Option<String>,
    pub withdrawn: bool,
    pub closed: bool,
    pub anonymised: Option<String>,
    pub services: Vec<(&'static str, &'static str)>,
}

pub fn panel(r: &CaseRights, lang: Lang) -> RightsPanel {
    let vi = lang == Lang::Vi;
    let consent = match (r.withdrawn_on, r.consent, r.consent_on) {
        (Some(w), _, _) => {
            if vi {
                format!("Đã rút lại sự đồng ý ngày {}", format_vn(w))
            } else {
                format!("Consent withdrawn on {}", format_vn(w))
            }
        }
        (None, true, Some(on)) => {
            let scope = r.consent_scope.clone().unwrap_or_default();
            if vi {
                format!("Đồng ý ngày {} (phạm vi: {scope})", format_vn(on))
            } else {
                format!("Consent given on {} (scope: {scope})", format_vn(on))
            }
        }
        (None, true, None) => (if vi { "Đồng ý (chưa ghi ngày và phạm vi)" } else { "Consent (day and scope not recorded)" }).to_string(),
        (None, false, _) => (if vi { "Chưa đồng ý" } else { "No consent" }).to_string(),
    };
    let blocked = if r.anonymised_on.is_some() {
        Some(if vi { "Hồ sơ đã được ẩn danh." } else { "The case is anonymised." })
    } else if r.withdrawn_on.is_some() {
        Some(if vi {
            "Người này đã rút lại sự đồng ý: không ghi nhận xử lý mới cho mục đích hỗ trợ."
        } else {
            "The person withdrew consent: nothing new is processed for support."
        })
    } else if !r.consent {
        Some(if vi {
            "Chưa có sự đồng ý: hãy ghi nhận trước khi ghi dịch vụ."
        } else {
            "No consent yet: record it before any service."
        })
    } else {
        None
    };
    RightsPanel {
        consent,
        may_serve: blocked.is_none(),
        blocked: blocked.map(str::to_string),
        withdrawn: r.withdrawn_on.is_some(),
        closed: r.closed_on.is_some(),
        anonymised: r.anonymised_on.map(format_vn),
        services: Service::choices(),
    }
}

/// Only a role that sees the identity acts on the person's rights, within its scope.
async fn check(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), WebError> {
    let role = allowed(user, RecordKind::SupportCase, false)?;
    if !role.sees_personal(RecordKind::SupportCase) {
        return Err(WebError::Forbidden);
    }
    visible_record(state, user, RecordKind::SupportCase, id).await.map(|_| ())
}

fn day(f: &HashMap<String, String>, key: &str, lang: Lang) -> Result<chrono::NaiveDate, String> {
    pcmd_domain::date::parse(f.get(key).map_or("", String::as_str).trim()).map_err(|m| m.text(lang == Lang::Vi).to_string())
}

/// `POST /records/support_case/{id}/rights` with `action`: consent, withdraw, service or erase.
pub async fn case_rights_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    check(&state, &user, id).await?;
    let f: HashMap<String, String> = form.into_iter().collect();
    let actor = user.user.username.clone();
    let lang = user.lang;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    // A fault in the form (Err) or what the store answered (Ok).
    let answered: Result<Result<(), pcmd_store::StoreError>, String> = match get("action").as_str() {
        "consent" => match day(&f, "on", lang) {
            Ok(on) => Ok(state.store.set_consent(id, Consent::Given { on, scope: get("scope") }, &actor).await),
            Err(m) => Err(m),
        },
        "withdraw" => match day(&f, "on", lang) {
            Ok(on) => Ok(state.store.set_consent(id, Consent::Withdrawn { on }, &actor).await),
            Err(m) => Err(m),
        },
        "service" => match (day(&f, "on", lang), get("service").parse::<Service>()) {
            (Ok(on), Ok(service)) => {
                let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
                Ok(state.store.add_service(id, on, service, &actor, &at).await)
            }
            (Err(m), _) => Err(m),
            (_, Err(_)) => Err((if lang == Lang::Vi { "Hãy chọn dịch vụ." } else { "Choose a service." }).to_string()),
        },
        "erase" => Ok(state.store.anonymise_case(id, pcmd_domain::date::today_vn(), &get("reason"), &actor).await),
        _ => return Err(WebError::BadRequest(pcmd_domain::Msg::new("thao tác không hợp lệ", "unknown action"))),
    };
    let result = match answered {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(crate::pages::refusal(e, lang)?),
        Err(m) => Err(m),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/records/support_case/{id}#rights")).into_response()),
        Err(msg) => super::detail_page(&state, &user, RecordKind::SupportCase, id, Some(msg), axum::http::StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// `GET /records/support_case/{id}/export`: everything held about the person, as JSON (audited).
pub async fn case_export(State(state): State<AppState>, user: CurrentUser, Path(id): Path<i64>) -> Result<Response, WebError> {
    check(&state, &user, id).await?;
    let Some(sealer) = &state.sealer else { return Err(WebError::Forbidden) };
    let json = state.store.person_export(id, sealer, &user.user.username).await?;
    let body = serde_json::to_string_pretty(&json).map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("du-lieu-ca-nhan-ho-so-{id}.json");
    Ok(([(CONTENT_TYPE, "application/json; charset=utf-8".to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], body)
        .into_response())
}
