//! The dashboard's trend across periods and its map of communes coloured by a
//! chosen target's status, drawn as SVG from the units' coordinates (no tile
//! server: government networks reach none).

use crate::cache::Version;
use crate::AppState;
use chrono::{Datelike, NaiveDate};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::plan::indicator::value_text;
use pcmd_domain::roles::Role;
use pcmd_domain::units::{Level, Unit};
use pcmd_engine::Territory;
use pcmd_store::{PlanView, StoreError};

/// One target's figures over the periods of the trend.
pub struct TrendRow {
    pub code: String,
    /// Value text and status class per period.
    pub cells: Vec<(String, &'static str, &'static str)>,
}

/// The periods a trend shows: each year of a plan of several years, else the quarters of its year.
pub fn trend_periods(plan: &PlanView) -> Vec<Period> {
    let (from, to) = (plan.summary.period_from.year(), plan.summary.period_to.year());
    if to > from {
        (from..=to).filter_map(Period::year).collect()
    } else {
        (1..=4).filter_map(|q| Period::parse(&format!("{from}-Q{q}"), Cutoff::Calendar).ok()).collect()
    }
}

/// Every target of the plan for `unit` over each trend period, as of `as_of`.
pub async fn trend(
    state: &AppState,
    version: Version,
    plan: &PlanView,
    unit: &Unit,
    as_of: NaiveDate,
    reader: Role,
) -> Result<(Vec<String>, Vec<TrendRow>), StoreError> {
    let periods = trend_periods(plan);
    let mut rows: Vec<TrendRow> = plan.targets.iter().map(|t| TrendRow { code: t.code.clone(), cells: Vec::new() }).collect();
    for p in &periods {
        let evals = crate::cache::evaluations(state, version, plan, unit, p, as_of).await?;
        for (row, t) in rows.iter_mut().zip(plan.targets.iter()) {
            let cell = match evals.iter().find(|e| e.target == t.code).map(|e| e.for_reader(reader, unit.level)) {
                Some(e) if e.suppressed => (SMALL.to_string(), e.status.as_str(), e.status.label_vi()),
                Some(e) => (value_text(&t.indicator_kind, e.value), e.status.as_str(), e.status.label_vi()),
                None => (String::new(), "", ""),
            };
            row.cells.push(cell);
        }
    }
    Ok((periods.iter().map(|p| p.label.clone()).collect(), rows))
}

/// A withheld small count, where a figure would be.
const SMALL: &str = "<5";

/// One commune on the map.
pub struct Dot {
    pub x: f64,
    pub y: f64,
    pub r: f64,
    pub status: &'static str,
    pub title: String,
    pub code: String,
}

pub struct CommuneMap {
    pub target: String,
    pub width: f64,
    pub height: f64,
    pub dots: Vec<Dot>,
    /// Communes without coordinates, not drawn.
    pub missing: usize,
}

const WIDTH: f64 = 640.0;

/// The communes of `unit`'s territory in `period`, each coloured by the status
/// of `target` evaluated for that commune.
#[allow(clippy::too_many_arguments)] // the map's own choices, each from the page's query
pub async fn commune_map(
    state: &AppState,
    version: Version,
    plan: &PlanView,
    target: usize,
    unit: &Unit,
    period: &Period,
    as_of: NaiveDate,
    reader: Role,
) -> Result<Option<CommuneMap>, StoreError> {
    let Some(t) = plan.targets.get(target) else { return Ok(None) };
    let Ok(territory) = Territory::build(&state.units, unit, period) else { return Ok(None) };
    let communes: Vec<&Unit> = territory.communes.iter().filter_map(|id| state.units.get(*id)).collect();
    if communes.is_empty() {
        return Ok(None);
    }
    let placed: Vec<(&Unit, f64, f64)> = communes.iter().filter_map(|u| Some((*u, u.lat?, u.lon?))).collect();
    let missing = communes.len() - placed.len();
    if placed.is_empty() {
        return Ok(None);
    }
    let (mut min_lat, mut max_lat, mut min_lon, mut max_lon) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (_, lat, lon) in &placed {
        min_lat = min_lat.min(*lat);
        max_lat = max_lat.max(*lat);
        min_lon = min_lon.min(*lon);
        max_lon = max_lon.max(*lon);
    }
    // An equirectangular projection, scaled by the cosine of the middle latitude: true enough for a province.
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos();
    let span_x = ((max_lon - min_lon) * k).max(0.01);
    let span_y = (max_lat - min_lat).max(0.01);
    let margin = 14.0;
    let scale = (WIDTH - 2.0 * margin) / span_x;
    let height = (span_y * scale + 2.0 * margin).clamp(120.0, 900.0);
    let scale = scale.min((height - 2.0 * margin) / span_y);
    let base_r = (WIDTH / (placed.len() as f64).sqrt() / 4.0).clamp(3.0, 14.0);
    let list: Vec<&Unit> = placed.iter().map(|p| p.0).collect();
    let evaluated = crate::cache::evaluations_many(state, version, plan, &list, period, as_of).await?;
    let mut dots = Vec::with_capacity(placed.len());
    for ((u, lat, lon), evals) in placed.into_iter().zip(evaluated) {
        let Some(e) = evals.iter().find(|e| e.target == t.code) else { continue };
        // Each dot is a commune's figure, whatever the page's unit.
        let e = e.for_reader(reader, Level::Commune);
        let value = if e.suppressed { SMALL.into() } else { value_text(&t.indicator_kind, e.value) };
        dots.push(Dot {
            x: margin + (lon - min_lon) * k * scale,
            y: margin + (max_lat - lat) * scale,
            r: base_r,
            status: e.status.as_str(),
            title: format!("{} ({}): {} — {}", u.name, u.code, if value.is_empty() { "—".into() } else { value }, e.status.label_vi()),
            code: u.code.clone(),
        });
    }
    Ok(Some(CommuneMap { target: t.code.clone(), width: WIDTH, height, dots, missing }))
}
