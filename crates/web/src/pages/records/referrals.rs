//! A support case's referrals on its page (chuyển gửi): the list with what is
//! overdue, a form to refer the case to an agency, and one to record an answer.
//! For the roles that work with the person (the caller checks), in scope.

use super::{allowed, visible_record};
use crate::auth::Posted;
use crate::i18n::Lang;
use crate::query::Path;
use crate::{AppState, WebError};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use pcmd_domain::date::format_vn;
use pcmd_domain::records::form::RecordKind;
use pcmd_store::referrals::NewReferral;
use std::collections::HashMap;

/// One referral as the page lists it.
pub struct Line {
    pub id: i64,
    pub text: String,
    pub overdue: bool,
    pub open: bool,
}

pub struct Panel {
    pub lines: Vec<Line>,
    /// Agencies of the case's province: code, name.
    pub agencies: Vec<(String, String)>,
    pub may_refer: bool,
}

pub async fn panel(state: &AppState, case_id: i64, unit_id: i64, lang: Lang, may_refer: bool) -> Result<Panel, WebError> {
    let vi = lang == Lang::Vi;
    let today = pcmd_domain::date::today_vn();
    let lines = state
        .store
        .referrals(case_id)
        .await?
        .into_iter()
        .map(|r| {
            let to = r.agency.clone().unwrap_or_else(|| (if vi { "(chưa ghi cơ quan)" } else { "(no agency named)" }).to_string());
            let answer = match (r.answered_on, &r.outcome) {
                (Some(d), o) if vi => format!("đã phản hồi ngày {}{}", format_vn(d), o.as_ref().map(|o| format!(": {o}")).unwrap_or_default()),
                (Some(d), o) => format!("answered on {}{}", format_vn(d), o.as_ref().map(|o| format!(": {o}")).unwrap_or_default()),
                (None, _) if vi => format!("chờ phản hồi, hạn {}", format_vn(r.due_on)),
                (None, _) => format!("awaiting an answer, due {}", format_vn(r.due_on)),
            };
            Line {
                id: r.id,
                text: format!("{} — {to}: {} — {answer}", format_vn(r.referred_on), r.to_service),
                overdue: r.overdue(today),
                open: r.answered_on.is_none(),
            }
        })
        .collect();
    let province = state.units.province_of(unit_id);
    let agencies = state.store.agencies(province).await?.into_iter().map(|a| (a.code, a.name)).collect();
    Ok(Panel { lines, agencies, may_refer })
}

/// `POST /records/support_case/{id}/referrals`: `action` refer (agency, what, on, due) or answer (referral, on, outcome).
pub async fn referral_action(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let role = allowed(&user, RecordKind::SupportCase, true)?;
    if !role.sees_personal(RecordKind::SupportCase) {
        return Err(WebError::Forbidden);
    }
    visible_record(&state, &user, RecordKind::SupportCase, id).await?;
    let f: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).map_or("", String::as_str).trim().to_string();
    let vi = user.lang == Lang::Vi;
    let day = |k: &str| pcmd_domain::date::parse(&get(k)).map_err(|m| m.text(vi).to_string());
    let today = pcmd_domain::date::today_vn();
    let actor = user.user.username.clone();
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let answered: Result<Result<(), pcmd_store::StoreError>, String> = match get("action").as_str() {
        "refer" => match (day("referred_on"), day("due_on")) {
            (Ok(on), Ok(due)) => {
                let r = NewReferral { referred_on: on, agency_code: Some(get("agency")), to_service: get("to_service"), due_on: due };
                Ok(state.store.add_referral(id, &r, today, &actor, &at).await.map(|_| ()))
            }
            (Err(m), _) | (_, Err(m)) => Err(m),
        },
        "answer" => match (day("answered_on"), get("referral").parse::<i64>()) {
            (Ok(on), Ok(rid)) => Ok(state.store.answer_referral(id, rid, on, &get("outcome"), today, &actor).await),
            (Err(m), _) => Err(m),
            (_, Err(_)) => Err((if vi { "Không rõ chuyển gửi nào." } else { "Which referral?" }).to_string()),
        },
        _ => return Err(WebError::BadRequest(pcmd_domain::Msg::new("thao tác không hợp lệ", "unknown action"))),
    };
    let result = match answered {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(crate::pages::refusal(e, user.lang)?),
        Err(m) => Err(m),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/records/support_case/{id}#referrals")).into_response()),
        Err(msg) => super::detail_page(&state, &user, RecordKind::SupportCase, id, Some(msg), axum::http::StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}
