//! `/admin/agencies`: a province's agencies and who leads the programme, for
//! the administrator and the province's coordinator: a new agency, and the
//! lead handed over on a date with its legal basis (issue 14 item 4). Audited.

use super::Chrome;
use crate::auth::{CurrentUser, Posted};
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::roles::Role;
use pcmd_domain::units::Unit;
use pcmd_store::{AgencyView, LeadView, NewAgency};
use std::collections::HashMap;

const KINDS: [&str; 11] = [
    "department",
    "police",
    "border_guard",
    "media",
    "peoples_committee",
    "peoples_council",
    "party_board",
    "procuracy",
    "court",
    "mass_organisation",
    "other",
];

#[derive(serde::Deserialize, Default)]
pub struct AgenciesQuery {
    unit: Option<String>,
}

#[derive(Template)]
#[template(path = "admin_agencies.html")]
struct AgenciesPage {
    c: Chrome,
    province: Unit,
    agencies: Vec<AgencyView>,
    leads: Vec<LeadView>,
    kinds: Vec<(&'static str, String)>,
    error: String,
}

/// The province whose agencies the user administers: an administrator any
/// (asked by code), a coordinator their own.
fn province_for(state: &AppState, user: &CurrentUser, code: Option<&str>) -> Result<Unit, WebError> {
    let today = pcmd_domain::date::today_vn();
    let home = state.units.province_of(user.user.unit_id).and_then(|id| state.units.get(id)).cloned();
    match user.user.role {
        Role::Admin => match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => state.units.resolve(c, today).cloned().ok_or(WebError::NotFound),
            None => home.ok_or(WebError::NotFound),
        },
        Role::Coordinator => home.ok_or(WebError::Forbidden),
        _ => Err(WebError::Forbidden),
    }
}

async fn page(state: &AppState, user: &CurrentUser, province: Unit, error: String) -> Result<Html<String>, WebError> {
    let agencies = state.store.agencies(Some(province.id)).await?;
    let leads = state.store.leads(province.id).await?;
    let tr = crate::i18n::Tr { lang: user.lang };
    let kinds = KINDS.iter().map(|k| (*k, tr.try_get(&format!("agency_kind_{k}")).unwrap_or(k).to_string())).collect();
    Ok(Html(AgenciesPage { c: Chrome::of(user, "/admin/agencies".into()), province, agencies, leads, kinds, error }.render()?))
}

pub async fn agencies(State(state): State<AppState>, user: CurrentUser, Query(q): Query<AgenciesQuery>) -> Result<Html<String>, WebError> {
    let province = province_for(&state, &user, q.unit.as_deref())?;
    page(&state, &user, province, String::new()).await
}

/// Adds an agency or hands over the lead (`action`), then shows the page again.
pub async fn agencies_action(State(state): State<AppState>, Posted { user, form }: Posted<Vec<(String, String)>>) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let province = province_for(&state, &user, f.get("unit").map(String::as_str))?;
    let actor = user.user.username.clone();
    let result = match get("action").as_str() {
        "add" => {
            let from = pcmd_domain::date::parse(&get("from")).map_err(|m| WebError::Refused(axum::http::StatusCode::UNPROCESSABLE_ENTITY, m));
            let code = get("code");
            match from {
                Err(e) => Err(e),
                Ok(_) if code.is_empty() || !code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') => {
                    Err(WebError::bad_request(
                        "mã cơ quan gồm chữ thường không dấu, số và dấu gạch",
                        "an agency code is small ASCII letters, digits and dashes",
                    ))
                }
                Ok(_) if get("name").is_empty() || !KINDS.contains(&get("kind").as_str()) => {
                    Err(WebError::bad_request("cần tên và loại cơ quan", "a name and a kind are needed"))
                }
                Ok(from) => {
                    let short = get("short_name");
                    let a = NewAgency {
                        code: &code,
                        name: &get("name"),
                        short_name: Some(short.as_str()).filter(|s| !s.is_empty()),
                        kind: &get("kind"),
                        unit_id: province.id,
                        from,
                    };
                    state.store.add_agency(&a, &actor).await.map_err(WebError::from)
                }
            }
        }
        "lead" => match (pcmd_domain::date::parse(&get("from")), state.store.agency_id_of(&get("agency")).await?) {
            (Err(m), _) => Err(WebError::Refused(axum::http::StatusCode::UNPROCESSABLE_ENTITY, m)),
            (_, None) => Err(WebError::bad_request("chọn cơ quan chủ trì", "choose the lead agency")),
            (Ok(from), Some(agency)) => {
                // The lead is one of the province's own agencies, from a day near today:
                // up to a year ahead, and no more than a month back unless an administrator
                // corrects history.
                let today = pcmd_domain::date::today_vn();
                let own = state.store.agencies(Some(province.id)).await?.iter().any(|a| a.code == get("agency"));
                let back = if user.user.role == Role::Admin { 3660 } else { 31 };
                if !own {
                    Err(WebError::bad_request("cơ quan chủ trì phải là cơ quan của tỉnh", "the lead must be one of the province's agencies"))
                } else if from > today + chrono::Days::new(366) || from < today - chrono::Days::new(back) {
                    Err(WebError::bad_request(
                        "ngày giao chủ trì phải trong vòng một năm tới và không quá một tháng trước",
                        "the hand-over day must be within a year ahead and no more than a month back",
                    ))
                } else {
                    state.store.hand_over_lead(province.id, agency, from, &get("basis"), &actor).await.map_err(WebError::from)
                }
            }
        },
        _ => Err(WebError::bad_request("thao tác không hợp lệ", "invalid action")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/agencies?unit={}", province.code)).into_response()),
        Err(WebError::Refused(status, m)) => {
            let text = if user.lang == crate::i18n::Lang::Vi { m.vi } else { m.en };
            Ok((status, page(&state, &user, province, text).await?).into_response())
        }
        Err(e) => Err(e),
    }
}
