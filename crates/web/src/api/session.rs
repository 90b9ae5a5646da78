//! What the offline entry page keeps on the device (`GET /api/v1/session`):
//! who is signed in, the session's CSRF token for the queue's requests, and
//! the forms of the kinds an officer enters in the field, built from the
//! kinds' one description of their fields (`RecordKind::columns`, `input`).
//! Kinds holding personal data (tips, support cases) are never offered
//! offline: a person's data must not rest unsealed on a device.

use super::{error, ApiError};
use crate::i18n::Lang;
use crate::pages::records::field_label;
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use pcmd_domain::records::form::{Input, RecordKind};
use serde::Serialize;

/// The kinds that can be entered without a connection, in the order offered.
pub const OFFLINE_KINDS: [RecordKind; 6] =
    [RecordKind::Activity, RecordKind::Inspection, RecordKind::Training, RecordKind::Publication, RecordKind::PilotModel, RecordKind::Establishment];

#[derive(Serialize)]
pub struct FieldForm {
    key: &'static str,
    label_vi: String,
    label_en: String,
    /// text, long, date, number, flag, choice.
    input: &'static str,
    required: bool,
    /// Value and Vietnamese label, for a choice.
    choices: Vec<(&'static str, &'static str)>,
}

#[derive(Serialize)]
pub struct KindForm {
    kind: &'static str,
    label_vi: &'static str,
    fields: Vec<FieldForm>,
}

#[derive(Serialize)]
pub struct Session {
    username: String,
    display_name: String,
    role: &'static str,
    unit_code: Option<String>,
    unit_name: Option<String>,
    csrf: String,
    kinds: Vec<KindForm>,
    /// The units a form offers (the user's scope, valid today or on the last day before the reform): code and name.
    units: Vec<(String, String)>,
}

fn form(kind: RecordKind) -> KindForm {
    let fields = kind
        .columns()
        .iter()
        .filter(|c| !kind.is_personal(c.key))
        .map(|c| {
            let (input, choices) = match kind.input(c.key) {
                Input::Text | Input::Services => ("text", Vec::new()),
                Input::LongText => ("long", Vec::new()),
                Input::Date => ("date", Vec::new()),
                Input::Number => ("number", Vec::new()),
                Input::Flag => ("flag", Vec::new()),
                Input::Choice(values) => ("choice", values()),
            };
            FieldForm {
                key: c.key,
                label_vi: field_label(kind, c.key, Lang::Vi),
                label_en: field_label(kind, c.key, Lang::En),
                input,
                required: c.required,
                choices,
            }
        })
        .collect();
    KindForm { kind: kind.as_str(), label_vi: kind.label_vi(), fields }
}

/// `GET /api/v1/session`, with the session cookie.
pub async fn session(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Session>, ApiError> {
    let Some((user, csrf, _)) = super::session_user(&state, &headers).await? else {
        return Err(error(StatusCode::UNAUTHORIZED, "unauthorised", "chưa đăng nhập", "not signed in"));
    };
    let unit = state.units.get(user.unit_id);
    let kinds = OFFLINE_KINDS.iter().filter(|k| user.role.may_write(**k)).map(|k| form(*k)).collect();
    Ok(Json(Session {
        unit_code: unit.map(|u| u.code.clone()),
        unit_name: unit.map(|u| u.name.clone()),
        role: user.role.as_str(),
        username: user.username,
        display_name: user.display_name,
        csrf,
        kinds,
        units: crate::pages::records::unit_choices(&state, &state.scope(user.unit_id)),
    }))
}
