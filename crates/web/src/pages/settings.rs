//! `/settings/documents`: a unit's document settings (issuing body, place,
//! number symbol, recipients, signer) for the administrator and the
//! coordinator, within their scope; every change is audited by the store.

use super::Chrome;
use crate::auth::{CurrentUser, Posted};
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::report::DocumentSetting;
use pcmd_domain::roles::Role;
use pcmd_domain::units::Unit;
use std::collections::HashMap;

#[derive(serde::Deserialize, Default)]
pub struct SettingsQuery {
    unit: Option<String>,
    saved: Option<String>,
}

/// One field of the form: key, label, value set (empty: the default applies).
pub struct Field {
    pub key: &'static str,
    pub label: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    c: Chrome,
    unit_code: String,
    unit_name: String,
    fields: Vec<Field>,
    saved: bool,
}

/// A label as a form shows it: its first letter capital ("Họ tên người ký").
fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The unit whose settings the user may edit: the one asked for (or their home unit), in scope.
fn unit_for(state: &AppState, user: &CurrentUser, code: Option<&str>) -> Result<Unit, WebError> {
    if !matches!(user.user.role, Role::Admin | Role::Coordinator) {
        return Err(WebError::Forbidden);
    }
    let today = pcmd_domain::date::today_vn();
    let unit = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => state.units.resolve(c, today).or_else(|| state.units.resolve(c, pcmd_domain::units::LAST_DAY_BEFORE_REFORM)).cloned(),
        None => state.units.get(user.user.unit_id).cloned(),
    }
    .ok_or(WebError::NotFound)?;
    if !state.scope(user.user.unit_id).contains(&unit.id) {
        return Err(WebError::Forbidden);
    }
    Ok(unit)
}

pub async fn document_settings(State(state): State<AppState>, user: CurrentUser, Query(q): Query<SettingsQuery>) -> Result<Html<String>, WebError> {
    let unit = unit_for(&state, &user, q.unit.as_deref())?;
    let set = state.store.document_settings(unit.id).await?;
    let fields = DocumentSetting::ALL
        .iter()
        .map(|k| Field { key: k.as_str(), label: sentence_case(k.label_vi()), value: set.get(k).cloned().unwrap_or_default() })
        .collect();
    let page = SettingsPage {
        c: Chrome::of(&user, "/settings/documents".into()),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        fields,
        saved: q.saved.is_some(),
    };
    Ok(Html(page.render()?))
}

/// Saves the fields that changed, each audited.
pub async fn save_document_settings(
    State(state): State<AppState>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    let unit = unit_for(&state, &user, f.get("unit").map(String::as_str))?;
    let set = state.store.document_settings(unit.id).await?;
    for k in DocumentSetting::ALL {
        let Some(new) = f.get(k.as_str()) else { continue };
        if new.trim() != set.get(k).map_or("", String::as_str) {
            state.store.set_document_setting(unit.id, *k, new, &user.user.username).await?;
        }
    }
    Ok(Redirect::to(&format!("/settings/documents?unit={}&saved=1", unit.code)).into_response())
}
