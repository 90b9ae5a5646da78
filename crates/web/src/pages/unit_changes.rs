//! `/admin/units`: a change of communes the code lists lack — a merger or a
//! renaming on a day, with its legal basis — recorded by the administrator, or
//! by a province's coordinator for communes of their province (issue 14 item
//! 4). The new lists serve every request after it, without a restart. Audited.

use super::Chrome;
use crate::auth::{CurrentUser, Posted};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::roles::Role;
use pcmd_store::unit_changes::{EarlierChange, Predecessor, UnitChange};

#[derive(Template)]
#[template(path = "admin_units.html")]
struct UnitsPage {
    c: Chrome,
    /// Changes recorded so far: when, who, what.
    changes: Vec<(String, String, String)>,
    error: String,
    typed: ChangeForm,
    earlier: EarlierForm,
    /// What the last earlier change moved, said once.
    done: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct EarlierForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    on: String,
    /// One predecessor a line: "code, name, type".
    #[serde(default)]
    predecessors: String,
    #[serde(default)]
    heir: String,
    #[serde(default)]
    basis: String,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct ChangeForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    old: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    basis: String,
}

fn allowed(user: &CurrentUser) -> Result<(), WebError> {
    match user.user.role {
        Role::Admin | Role::Coordinator => Ok(()),
        _ => Err(WebError::Forbidden),
    }
}

async fn page(state: &AppState, user: &CurrentUser, error: String, typed: ChangeForm, status: axum::http::StatusCode) -> Result<Response, WebError> {
    full_page(state, user, error, typed, EarlierForm::default(), String::new(), status).await
}

async fn full_page(
    state: &AppState,
    user: &CurrentUser,
    error: String,
    typed: ChangeForm,
    earlier: EarlierForm,
    done: String,
    status: axum::http::StatusCode,
) -> Result<Response, WebError> {
    allowed(user)?;
    let changes = state
        .store
        .search_audit("unit_change", 200, 0)
        .await?
        .into_iter()
        .filter(|a| a.action == "unit_change")
        .map(|a| (pcmd_domain::date::format_instant_vn(&a.at), a.actor, a.detail))
        .collect();
    let c = Chrome::of(user, "/admin/units".into());
    Ok((status, Html(UnitsPage { c, changes, error, typed, earlier, done }.render()?)).into_response())
}

pub async fn unit_changes(State(state): State<AppState>, user: CurrentUser) -> Result<Response, WebError> {
    page(&state, &user, String::new(), ChangeForm { kind: "Xã".into(), ..Default::default() }, axum::http::StatusCode::OK).await
}

pub async fn record_unit_change(State(state): State<AppState>, Posted { user, form }: Posted<ChangeForm>) -> Result<Response, WebError> {
    allowed(&user)?;
    let vi = user.lang == crate::i18n::Lang::Vi;
    let on = match pcmd_domain::date::parse(&form.on) {
        Ok(d) => d,
        Err(m) => {
            let msg = format!("{}: {}", if vi { "Ngày hiệu lực" } else { "Effective day" }, m.text(vi));
            return page(&state, &user, msg, form, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let old_codes: Vec<String> = form.old.split([',', ';', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
    // A coordinator changes communes of their own province only.
    if user.user.role == Role::Coordinator {
        let scope = state.scope(user.user.unit_id);
        let day_before = on.pred_opt().unwrap_or(on);
        if old_codes.iter().any(|c| state.units.resolve(c, day_before).is_some_and(|u| !scope.contains(&u.id))) {
            return Err(WebError::Forbidden);
        }
    }
    let change = UnitChange { on, old_codes, new_code: &form.code, new_name: &form.name, new_type: &form.kind, basis: &form.basis };
    match state.store.record_unit_change(&change, &state.units, &user.user.username).await {
        Ok(_) => {
            state.reload_units().await?;
            Ok(Redirect::to("/admin/units").into_response())
        }
        Err(e) => {
            let msg = super::refusal(e, user.lang)?;
            page(&state, &user, msg, form, axum::http::StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// Reads "31504, Phường 3, Phường" lines; a line that does not read is named.
fn predecessors(text: &str) -> Result<Vec<Predecessor>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split(',').map(str::trim).collect();
            match parts.as_slice() {
                [code, name, kind] => Ok(Predecessor { code: code.to_string(), name: name.to_string(), kind: kind.to_string() }),
                _ => Err(l.to_string()),
            }
        })
        .collect()
}

/// A change before the lists: the predecessors of a listed commune.
pub async fn record_earlier_change(State(state): State<AppState>, Posted { user, form }: Posted<EarlierForm>) -> Result<Response, WebError> {
    allowed(&user)?;
    let vi = user.lang == crate::i18n::Lang::Vi;
    let fail = |msg: String| {
        full_page(
            &state,
            &user,
            msg,
            ChangeForm { kind: "Xã".into(), ..Default::default() },
            form.clone(),
            String::new(),
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let on = match pcmd_domain::date::parse(&form.on) {
        Ok(d) => d,
        Err(m) => return fail(format!("{}: {}", if vi { "Ngày thay đổi" } else { "Day of the change" }, m.text(vi))).await,
    };
    let list = match predecessors(&form.predecessors) {
        Ok(l) => l,
        Err(line) => {
            return fail(if vi {
                format!("dòng «{line}» không đọc được: viết mã, tên, loại (ví dụ 31504, Phường 3, Phường)")
            } else {
                format!("the line «{line}» does not read: write code, name, type (e.g. 31504, Phường 3, Phường)")
            })
            .await
        }
    };
    let heir = list.iter().position(|p| p.code == form.heir.trim()).unwrap_or(0);
    if user.user.role == Role::Coordinator {
        let in_scope = state.units.resolve(form.unit.trim(), on).is_some_and(|u| state.scope(user.user.unit_id).contains(&u.id));
        if !in_scope {
            return Err(WebError::Forbidden);
        }
    }
    let change = EarlierChange { unit_code: &form.unit, on, predecessors: list, heir, basis: &form.basis };
    match state.store.record_earlier_change(&change, &state.units, &user.user.username).await {
        Ok((_, moved)) => {
            state.reload_units().await?;
            let done = if moved.is_empty() {
                String::new()
            } else {
                format!("{}: {}", if vi { "Hồ sơ đã chuyển" } else { "Records moved" }, moved.join(", "))
            };
            full_page(
                &state,
                &user,
                String::new(),
                ChangeForm { kind: "Xã".into(), ..Default::default() },
                EarlierForm::default(),
                done,
                axum::http::StatusCode::OK,
            )
            .await
        }
        Err(e) => {
            let msg = super::refusal(e, user.lang)?;
            fail(msg).await
        }
    }
}
