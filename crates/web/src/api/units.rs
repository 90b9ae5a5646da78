//! Administrative units through the API (đơn vị hành chính): those under a
//! unit on a day (an offline device keeps its user's list), and one unit with
//! what came before it and what it went into across the 2025 reform. The code
//! lists are public: any token reads any unit.

use super::{bad_request, error, ApiError, ApiPath, ApiQuery, ApiUser};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use pcmd_domain::units::{Level, Unit};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct UnitItem {
    code: String,
    name: String,
    /// Tỉnh, Thành phố, Huyện, Xã, Phường…
    unit_type: String,
    level: Level,
    parent_code: Option<String>,
    valid_from: NaiveDate,
    valid_to: NaiveDate,
}

fn item(u: &Unit) -> UnitItem {
    UnitItem {
        code: u.code.clone(),
        name: u.name.clone(),
        unit_type: u.unit_type.clone(),
        level: u.level,
        parent_code: u.parent_code.clone(),
        valid_from: u.valid_from,
        valid_to: u.valid_to,
    }
}

#[derive(Deserialize)]
pub struct UnitsQuery {
    on: Option<String>,
    within: Option<String>,
    level: Option<String>,
}

/// The day asked for (`on`), today by default.
fn day(text: Option<&str>) -> Result<NaiveDate, ApiError> {
    Ok(super::records::day(text, "on")?.unwrap_or_else(pcmd_domain::date::today_vn))
}

fn unknown(code: &str) -> ApiError {
    error(
        StatusCode::NOT_FOUND,
        "unknown_unit",
        format!("không có đơn vị mã «{code}» vào ngày đó"),
        format!("no unit with code «{code}» on that day"),
    )
}

/// `GET /units?on=&within=&level=`: the units valid on `on` (today by default)
/// under `within` (the user's own unit by default), in Vietnamese order of names.
pub async fn units(State(state): State<AppState>, user: ApiUser, ApiQuery(q): ApiQuery<UnitsQuery>) -> Result<Json<Vec<UnitItem>>, ApiError> {
    let on = day(q.on.as_deref())?;
    let level = match q.level.as_deref() {
        None => None,
        Some("province") => Some(Level::Province),
        Some("district") => Some(Level::District),
        Some("commune") => Some(Level::Commune),
        Some(_) => return Err(bad_request("bad_level", "«level» là province, district hoặc commune", "«level» is province, district or commune")),
    };
    let root = match q.within.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => state.units.resolve(code, on).ok_or_else(|| unknown(code))?.id,
        None => user.0.unit_id,
    };
    let mut out: Vec<&Unit> = state
        .units
        .subtree(root)
        .into_iter()
        .filter_map(|id| state.units.get(id))
        .filter(|u| u.valid_on(on) && level.is_none_or(|l| u.level == l))
        .collect();
    out.sort_by_cached_key(|u| (u.level, pcmd_domain::text::collation_key(&u.name)));
    Ok(Json(out.into_iter().map(item).collect()))
}

#[derive(Serialize)]
pub struct UnitDetail {
    #[serde(flatten)]
    unit: UnitItem,
    /// The units this one took over (its communes before the reform, or earlier wards).
    predecessors: Vec<UnitItem>,
    /// The unit it went into, when it ended.
    successor: Option<UnitItem>,
}

#[derive(Deserialize)]
pub struct UnitQuery {
    on: Option<String>,
}

/// `GET /units/{code}?on=`: the unit with that code on the day (today by
/// default; else the last one that bore the code), its predecessors and successor.
pub async fn unit(
    State(state): State<AppState>,
    _user: ApiUser,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> Result<Json<UnitDetail>, ApiError> {
    let on = day(q.on.as_deref())?;
    let u = state.units.resolve_for(&code, on, on).ok_or_else(|| unknown(&code))?;
    let predecessors = state.units.predecessors(u.id).iter().filter_map(|id| state.units.get(*id)).map(item).collect();
    let successor = state.units.successor(u.id).and_then(|id| state.units.get(id)).map(item);
    Ok(Json(UnitDetail { unit: item(u), predecessors, successor }))
}
