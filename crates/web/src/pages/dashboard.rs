//! The dashboard's trend across periods (a table and a chart per target) and
//! its map of communes coloured by a chosen target's status, drawn as SVG from
//! the units' coordinates (no tile server: government networks reach none).

use crate::cache::Version;
use crate::charts::{map, trend};
use crate::i18n::Tr;
use crate::packed::Packed;
use crate::AppState;
use askama::Template;
use chrono::{Datelike, NaiveDate};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::plan::indicator::value_text;
use pcmd_domain::roles::Role;
use pcmd_domain::units::{Level, Unit};
use pcmd_engine::{Status, Territory};
use pcmd_store::{PlanView, StoreError};
use std::sync::Arc;

/// One target's figures over the periods of the trend.
#[derive(Clone)]
pub struct TrendRow {
    pub code: String,
    /// Value text, status class and status words per period.
    pub cells: Vec<(String, &'static str, String)>,
    /// The same figures drawn as bars against the threshold.
    pub chart: String,
    /// The target in full, above its chart (the drawing's own heading is cut short).
    pub caption: String,
}

/// The periods a trend shows: each year of a plan of several years, else the quarters of its
/// year. The years are reporting years (15/12–14/12, Decree 09) when the page asks for one, so
/// that the trend's 2025 is the figure above it (the calendar 2025 is other days).
pub fn trend_periods(plan: &PlanView, reporting: bool) -> Vec<Period> {
    let (from, to) = (plan.summary.period_from.year(), plan.summary.period_to.year());
    if to > from && reporting {
        (from..=to).filter_map(|y| Period::parse(&format!("{y}-Y"), Cutoff::Decree09).ok()).collect()
    } else if to > from {
        (from..=to).filter_map(Period::year).collect()
    } else {
        (1..=4).filter_map(|q| Period::parse(&format!("{from}-Q{q}"), Cutoff::Calendar).ok()).collect()
    }
}

/// A status in the reader's words.
pub fn status_words(t: Tr, s: Status) -> &'static str {
    t.get(&format!("status_{}", s.as_str()))
}

/// Every target of the plan for `unit` over each trend period, as of `as_of`.
pub async fn trend(
    state: &AppState,
    version: Version,
    plan: &PlanView,
    unit: &Unit,
    (as_of, reporting): (NaiveDate, bool),
    reader: Role,
    t: Tr,
) -> Result<(Vec<String>, Vec<TrendRow>), StoreError> {
    let periods = trend_periods(plan, reporting);
    let mut series: Vec<trend::Series> = plan
        .targets
        .iter()
        .map(|t| trend::Series {
            code: t.code.clone(),
            label: t.short_label(44),
            threshold: (t.threshold_low, t.threshold_high),
            threshold_text: t.threshold_text(),
            points: Vec::new(),
        })
        .collect();
    for p in &periods {
        let evals = crate::cache::evaluations(state, version, plan, unit, p, as_of).await?;
        for (s, target) in series.iter_mut().zip(plan.targets.iter()) {
            let point = match evals.iter().find(|e| e.target == target.code).map(|e| e.for_reader(reader, unit.level)) {
                Some(e) if e.suppressed => trend::Point {
                    label: p.label.clone(),
                    value: None,
                    text: SMALL.into(),
                    status: e.status.as_str(),
                    status_label: status_words(t, e.status).into(),
                },
                Some(e) => trend::Point {
                    label: p.label.clone(),
                    value: e.value,
                    text: value_text(&target.indicator_kind, e.value),
                    status: e.status.as_str(),
                    status_label: status_words(t, e.status).into(),
                },
                None => trend::Point { label: p.label.clone(), value: None, text: String::new(), status: "", status_label: String::new() },
            };
            s.points.push(point);
        }
    }
    let rows = series
        .into_iter()
        .zip(plan.targets.iter())
        .map(|(s, target)| TrendRow {
            // "a3 — Ít nhất 70% người lao…": three targets print as "a3".
            code: target.short_label(28),
            caption: format!("{} — {}", target.printed_code(), target.text),
            cells: s.points.iter().map(|p| (p.text.clone(), p.status, p.status_label.clone())).collect(),
            chart: trend::panel(&s),
        })
        .collect();
    Ok((periods.iter().map(|p| p.label.clone()).collect(), rows))
}

/// A withheld small count, where a figure would be.
const SMALL: &str = "<5";

/// One commune of the map, as the text table beside it lists it.
#[derive(Clone)]
pub struct MapRow {
    /// The dashboard of this commune, same period and day.
    pub href: String,
    pub name: String,
    pub took_in: String,
    pub value: String,
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Clone)]
pub struct CommuneMap {
    pub target: String,
    /// The map as a standalone SVG document.
    pub svg: String,
    pub rows: Vec<MapRow>,
    /// Communes without coordinates, not drawn.
    pub missing: usize,
    /// Each status's class and words, for the legend beside the drawing on a phone.
    pub legend: Vec<(&'static str, &'static str)>,
}

/// The communes of `unit`'s territory in `period`, each an area coloured by the
/// status of `target` evaluated for that commune; each area links to `href(code)`.
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
    t: Tr,
    href: impl Fn(&str) -> String,
) -> Result<Option<CommuneMap>, StoreError> {
    let Some(target) = plan.targets.get(target) else { return Ok(None) };
    // The communes and their names follow the unit lists alone: kept until they change.
    let units = &state.units;
    let known = pcmd_domain::units::territory::known_window(period, as_of);
    let counted = known.as_ref().unwrap_or(period);
    let what = format!("map-places|{}|{}|{}", unit.id, counted.from, counted.to);
    let communes = async { Ok(Territory::build(units, unit, counted).map(|t| super::places::distinct(units, &t.communes)).unwrap_or_default()) };
    let places = crate::cache::fragment(state, version, what, crate::cache::STATIC, communes).await?;
    // A commune's own page has nothing to compare it with.
    if places.len() < 2 {
        return Ok(None);
    }
    let list: Vec<&Unit> = places.iter().filter_map(|(id, _)| state.units.get(*id)).collect();
    let evaluated = crate::cache::evaluations_many(state, version, plan, &list, period, as_of).await?;
    let mut rows = Vec::with_capacity(list.len());
    let mut drawn = Vec::with_capacity(list.len());
    // Each area is a commune's figure, whatever the page's unit.
    let shown: Vec<(&&Unit, &(i64, super::places::Place), pcmd_engine::Evaluation)> = list
        .iter()
        .zip(places.iter())
        .zip(evaluated.iter())
        .filter_map(|((u, place), evals)| evals.iter().find(|e| e.target == target.code).map(|e| (u, place, e.for_reader(reader, Level::Commune))))
        .collect();
    // The areas are one breakdown of the page's figure: with one withheld, the next smallest
    // goes too (`policy::withheld_items`), or the figure minus the others would give it back.
    let hidden = if pcmd_domain::policy::hides_small_counts(reader, Level::Commune) {
        let counts: Vec<f64> =
            shown.iter().map(|(_, _, e)| if e.suppressed { 1.0 } else { e.numerator.unwrap_or(0.0).max(e.denominator.unwrap_or(0.0)) }).collect();
        pcmd_domain::policy::withheld_items(&counts)
    } else {
        vec![false; shown.len()]
    };
    for ((u, (_, place), e), hide) in shown.into_iter().zip(hidden) {
        let value = if e.suppressed || hide { SMALL.into() } else { value_text(&target.indicator_kind, e.value) };
        let status_label = status_words(t, e.status);
        let link = href(&u.code);
        if let (Some(lat), Some(lon)) = (u.lat, u.lon) {
            let mut title = format!("{}: {value} — {status_label}", place.name);
            if !place.took_in.is_empty() {
                title.push_str(&format!("\n{}: {}", t.get("took_in"), place.took_in));
            }
            drawn.push(map::Place { label: map::short_name(&u.name), lat, lon, status: e.status.as_str(), title, href: Some(link.clone()) });
        }
        rows.push(MapRow { href: link, name: place.name.clone(), took_in: place.took_in.clone(), value, status: e.status.as_str(), status_label });
    }
    let missing = rows.len() - drawn.len();
    let statuses: Vec<(&'static str, &str)> = Status::ALL.iter().map(|s| (s.as_str(), status_words(t, *s))).collect();
    let heading = format!("{} — {} — {}", target.printed_code(), unit.name, period.label);
    let svg = map::svg(&drawn, &map::Legend { heading: &heading, statuses: &statuses, approximate: t.get("map_approximate") });
    let legend = Status::ALL.iter().map(|s| (s.as_str(), status_words(t, *s))).collect();
    Ok(Some(CommuneMap { target: target.printed_code().to_string(), svg, rows, missing, legend }))
}

#[derive(Template)]
#[template(path = "dashboard_trend.html")]
struct TrendSection<'a> {
    t: Tr,
    periods: &'a [String],
    rows: &'a [TrendRow],
}

/// The trend's charts and table as they stand in the page, packed once for every reader that sees them.
pub fn trend_part(t: Tr, periods: &[String], rows: &[TrendRow]) -> Result<Arc<Packed>, StoreError> {
    crate::packed::render(&TrendSection { t, periods, rows })
}

#[derive(Template)]
#[template(path = "dashboard_map.html")]
struct MapSection<'a> {
    t: Tr,
    m: &'a CommuneMap,
}

/// The commune map and its table as they stand in the page, packed.
pub fn map_part(t: Tr, m: &CommuneMap) -> Result<Arc<Packed>, StoreError> {
    crate::packed::render(&MapSection { t, m })
}
