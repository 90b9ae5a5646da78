//! The target engine: evaluates any target of a plan for any unit and period,
//! from the records as they stand (no batch rebuild), and says which records
//! and units are behind each figure.
//!
//! See `status` for how `met`, `on track`, `at risk`, `not met` and `no data`
//! are decided, and `territory` for how the 2025 reform is crossed.

mod facts;
mod indicators;
mod prefetch;
mod reported;
pub mod source;
pub mod status;
#[cfg(test)]
mod tests;

pub use facts::ByUnit;
pub use indicators::{Part, Secondary};
pub use pcmd_domain::units::territory::{self, Structure, Territory};
pub use prefetch::one_of_each_level;
pub use source::FactSource;
pub use status::Status;

use chrono::{Datelike, NaiveDate};
use facts::FactBook;
use pcmd_domain::period::Period;
use pcmd_domain::plan::{Evaluation as PlanEvaluation, Target};
use pcmd_domain::units::{Level, Unit, UnitIndex};
use pcmd_store::{Store, StoreError};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A unit's territory over a window (`Territory::build`), or why it has none.
pub type Built = Arc<Result<Territory, territory::NoTerritory>>;

/// Territories built by engines, kept for the next ones: they depend on the unit
/// lists alone, so whoever keeps them drops them when the lists change.
pub type SharedTerritories = Arc<Mutex<HashMap<(i64, NaiveDate, NaiveDate), Built>>>;

/// More territories than this kept together are dropped at once.
const SHARED_TERRITORIES: usize = 20_000;

/// One target's figure for one unit and period.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub target: String,
    pub indicator: &'static str,
    /// The unit's code and name, shared with the unit index (`UnitIndex::label`).
    pub unit_code: Arc<str>,
    pub unit_name: Arc<str>,
    /// The days counted (the window): the asked period, one year of it for a
    /// yearly target, or from the plan's start for a whole-period target.
    pub period: Period,
    /// The span the target is judged over: the year, or the plan's whole period.
    pub judged_over: Period,
    /// Records up to this day are counted.
    pub as_of: NaiveDate,
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub comparator: &'static str,
    pub threshold_low: f64,
    pub threshold_high: Option<f64>,
    pub status: Status,
    /// Met or not met for good: the window covers the whole span and it is over.
    #[serde(rename = "final")]
    pub is_final: bool,
    /// Above a band's upper bound ("vượt").
    pub exceeded: bool,
    /// A second figure shown beside this one (a1: communes with at least one activity).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary: Option<Secondary>,
    /// Why there is no figure, or how the territory was re-mapped.
    pub note: Option<String>,
    /// What the figure is made of, item by item (communes, districts, months…).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<Part>,
    /// The figures are withheld from this reader: a count in them is below 5
    /// (see `pcmd_domain::policy::hides_small_counts`). The status stands.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub suppressed: bool,
    /// The value was reported by an agency with its evidence, not computed from
    /// the records (a target no indicator computes); every output says so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<reported::Reported>,
}

impl Evaluation {
    /// Whether a count in the figure (or its second figure) is small (1 to 4).
    pub fn has_small_count(&self) -> bool {
        use pcmd_domain::policy::is_small_count;
        let own = [self.numerator, self.denominator].into_iter().flatten().any(is_small_count);
        own || self.secondary.as_ref().is_some_and(|s| is_small_count(s.numerator) || is_small_count(s.denominator))
    }

    /// The evaluation as a reader who may not see small counts gets it: with
    /// a small count anywhere, no figure at all (value, counts, second figure,
    /// items), only the status; otherwise unchanged.
    pub fn without_small_counts(&self) -> Evaluation {
        if !self.has_small_count() {
            return self.clone();
        }
        self.without_small_counts_always()
    }

    /// No figure at all, only the status (see `without_small_counts`).
    fn without_small_counts_always(&self) -> Evaluation {
        Evaluation { value: None, numerator: None, denominator: None, secondary: None, parts: Vec::new(), suppressed: true, ..self.clone() }
    }

    /// The evaluation as `reader` may see it at `level` (`policy::hides_small_counts`):
    /// without small counts where the level hides them, and at every level without
    /// the items (communes, old wards, months, overdue tips) whose own counts are small.
    /// Among the units' items, one withheld takes the next smallest with it
    /// (`policy::withheld_items`); with none to take, the whole figure is withheld,
    /// since the figure would be that unit's count.
    pub fn for_reader(&self, reader: pcmd_domain::roles::Role, level: pcmd_domain::units::Level) -> Evaluation {
        use pcmd_domain::policy::{hides_small_counts, is_small_count};
        use pcmd_domain::units::Level;
        let mut e = if hides_small_counts(reader, level) { self.without_small_counts() } else { self.clone() };
        if !hides_small_counts(reader, Level::Commune) || e.parts.is_empty() {
            return e;
        }
        let small = |p: &Part| is_small_count(p.numerator) || p.denominator.is_some_and(is_small_count);
        // The units' items are one breakdown of the figure; the others (months, years, levels,
        // the overdue tips) go alone when small.
        let counts: Vec<f64> = e
            .parts
            .iter()
            .filter(|p| p.unit_id.is_some())
            .map(|p| if small(p) { 1.0 } else { p.numerator.max(p.denominator.unwrap_or(0.0)) })
            .collect();
        let hidden = pcmd_domain::policy::withheld_items(&counts);
        if hidden.iter().filter(|h| **h).count() == 1 && counts.iter().filter(|c| **c > 0.0).count() == 1 {
            return self.without_small_counts_always();
        }
        let mut unit_hidden = hidden.into_iter();
        e.parts.retain(|p| if p.unit_id.is_some() { !unit_hidden.next().unwrap_or(true) } else { !small(p) });
        e
    }

    /// Without the items that are units outside `scope` (the units a reader may see):
    /// a figure across the 2025 reform counts old communes of other units that went
    /// into the same new commune; the figure stands, their own lines are not shown.
    pub fn within(mut self, scope: &std::collections::HashSet<i64>) -> Evaluation {
        self.parts.retain(|p| p.unit_id.is_none_or(|id| scope.contains(&id)));
        self
    }

    /// The status as people read it: "đạt", and "đạt (vượt)" above a band.
    pub fn status_vi(&self) -> String {
        if self.exceeded {
            format!("{} (vượt)", self.status.label_vi())
        } else {
            self.status.label_vi().to_string()
        }
    }
}

/// The as-of date when none is given, the same in every output: the period's
/// end once it is over, else today.
pub fn default_as_of(period: &Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

/// Evaluates targets against one store; facts are read once per range and reused.
pub struct Engine<'a, S: FactSource = Store> {
    units: &'a UnitIndex,
    facts: FactBook<'a, S>,
    territories: HashMap<(i64, NaiveDate, NaiveDate), Built>,
    shared: Option<SharedTerritories>,
    /// `windows` of the targets met so far, by what they depend on: a plan's
    /// targets share a few spans, and every unit asks for the same.
    windows: Vec<(WindowsOf, Spans)>,
    /// The note of a target not applicable at a level, by (plan level, lowest level, unit level).
    not_applicable: HashMap<(Level, Level, Level), String>,
}

/// The (window, span) pairs of a target, as `windows` gives them.
type Spans = Arc<[(Period, Period)]>;

/// What `windows` depends on: the target's span and evaluation, and the period asked.
#[derive(PartialEq)]
struct WindowsOf {
    from: NaiveDate,
    to: NaiveDate,
    whole: bool,
    period: Period,
}

/// The (window, span) pairs a target is judged on within `period`: each year
/// of it for a yearly target, the plan from its start for a whole-period one;
/// none when the period lies outside the target's.
pub fn windows(t: &Target, period: &Period) -> Vec<(Period, Period)> {
    if t.period_to < period.from || t.period_from > period.to {
        return Vec::new();
    }
    if t.evaluation == PlanEvaluation::WholePeriod {
        // A reporting period reads the plan in reporting years: 2024–2025 is 15/12/2023–14/12/2025.
        let (from, to) = if period.is_reporting() {
            let start = t
                .period_from
                .pred_opt()
                .and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 15))
                .filter(|_| t.period_from.month() == 1 && t.period_from.day() == 1);
            let end = NaiveDate::from_ymd_opt(t.period_to.year(), 12, 14).filter(|_| t.period_to.month() == 12 && t.period_to.day() == 31);
            (start.unwrap_or(t.period_from), end.unwrap_or(t.period_to))
        } else {
            (t.period_from, t.period_to)
        };
        let span = Period::new(format!("{}..{}", from.year(), to.year()), from, to);
        let window = Period::new(period.label.clone(), from.min(period.from), period.to.min(to));
        return vec![(window, span)];
    }
    period
        .years_within()
        .into_iter()
        .filter(|(year, _)| year.to >= t.period_from && year.from <= t.period_to)
        .map(|(year, window)| (window, year))
        .collect()
}

impl<'a, S: FactSource> Engine<'a, S> {
    pub fn new(store: &'a S, units: &'a UnitIndex) -> Self {
        Engine::within_ids_or_all(store, units, None)
    }

    fn within_ids_or_all(store: &'a S, units: &'a UnitIndex, ids: Option<Vec<i64>>) -> Self {
        Engine {
            units,
            facts: FactBook::new(store, ids),
            territories: HashMap::new(),
            shared: None,
            windows: Vec::new(),
            not_applicable: HashMap::new(),
        }
    }

    /// An engine that reads the facts of the units `ids` only (sorted): what
    /// `within` reads, when the caller already holds the units' reach.
    pub fn within_ids(store: &'a S, units: &'a UnitIndex, ids: Vec<i64>) -> Self {
        Engine::within_ids_or_all(store, units, Some(ids))
    }

    /// Takes territories from `shared` and leaves those it builds there.
    pub fn sharing_territories(mut self, shared: SharedTerritories) -> Self {
        self.shared = Some(shared);
        self
    }

    /// The territory of `scope` over `window` as known on `as_of` (`Territory::build_as_of`).
    fn territory(&mut self, scope: &Unit, window: &Period, as_of: NaiveDate) -> Built {
        let known = pcmd_domain::units::territory::known_window(window, as_of);
        let counted = known.as_ref().unwrap_or(window);
        let key = (scope.id, counted.from, counted.to);
        if let Some(t) = self.territories.get(&key) {
            return t.clone();
        }
        let kept = self.shared.as_ref().and_then(|s| s.lock().ok().and_then(|m| m.get(&key).cloned()));
        let built = kept.unwrap_or_else(|| {
            let built: Built = Arc::new(Territory::build_as_of(self.units, scope, window, as_of));
            if let Some(mut m) = self.shared.as_ref().and_then(|s| s.lock().ok()) {
                if m.len() >= SHARED_TERRITORIES {
                    m.clear();
                }
                m.insert(key, built.clone());
            }
            built
        });
        self.territories.insert(key, built.clone());
        built
    }

    /// An engine for units inside `roots` only: it reads the facts of the units
    /// any of their territories can hold (see `territory::reach`), not the
    /// country's. A dashboard evaluates one province and its communes this way.
    pub fn within(store: &'a S, units: &'a UnitIndex, roots: &[&Unit]) -> Self {
        let ids = territory::reach(units, roots);
        Engine::within_ids(store, units, ids)
    }

    /// Every target of a plan for `scope` over `period`, counting what was
    /// recorded up to `as_of`: the one evaluation path of every output (pages,
    /// reports, API, CLI, exports). A yearly target over several years gives one
    /// evaluation a year; a target outside the period gives none.
    pub async fn evaluate_plan(
        &mut self,
        targets: &[Target],
        scope: &Unit,
        period: &Period,
        as_of: NaiveDate,
    ) -> Result<Vec<Evaluation>, StoreError> {
        let mut out = Vec::with_capacity(targets.len());
        for t in targets {
            out.extend(self.evaluate_target(t, scope, period, as_of).await?);
        }
        Ok(out)
    }

    /// One target, as `evaluate_plan` gives it.
    pub async fn evaluate_target(&mut self, target: &Target, scope: &Unit, period: &Period, as_of: NaiveDate) -> Result<Vec<Evaluation>, StoreError> {
        let spans = self.windows_of(target, period);
        let mut out = Vec::with_capacity(spans.len());
        for (window, span) in spans.iter() {
            out.push(self.evaluate_window(target, scope, window, span, as_of).await?);
        }
        Ok(out)
    }

    /// `windows(target, period)`, worked out once per engine.
    fn windows_of(&mut self, target: &Target, period: &Period) -> Spans {
        let key = WindowsOf {
            from: target.period_from,
            to: target.period_to,
            whole: target.evaluation == PlanEvaluation::WholePeriod,
            period: period.clone(),
        };
        if let Some((_, w)) = self.windows.iter().find(|(k, _)| *k == key) {
            return w.clone();
        }
        let w: Spans = windows(target, period).into();
        self.windows.push((key, w.clone()));
        w
    }

    /// Why a target set at `set_at` and meant down to `lowest` is not judged at `level`.
    fn not_applicable_note(&mut self, set_at: Level, lowest: Level, level: Level) -> String {
        self.not_applicable
            .entry((set_at, lowest, level))
            .or_insert_with(|| {
                format!(
                    "chỉ tiêu áp dụng từ {} đến {}, không đánh giá ở {} (the target applies from {} to {} level, not at {} level)",
                    set_at.name_vi(),
                    lowest.name_vi(),
                    level.name_vi(),
                    set_at.as_str(),
                    lowest.as_str(),
                    level.as_str()
                )
            })
            .clone()
    }

    async fn evaluate_window(
        &mut self,
        target: &Target,
        scope: &Unit,
        window: &Period,
        span: &Period,
        as_of: NaiveDate,
    ) -> Result<Evaluation, StoreError> {
        let (unit_code, unit_name) =
            self.units.label(scope.id).cloned().unwrap_or_else(|| (Arc::from(scope.code.as_str()), Arc::from(scope.name.as_str())));
        let mut e = Evaluation {
            target: target.code.clone(),
            indicator: target.indicator.code(),
            unit_code,
            unit_name,
            period: window.clone(),
            judged_over: span.clone(),
            as_of,
            value: None,
            numerator: None,
            denominator: None,
            comparator: target.comparator.as_str(),
            threshold_low: target.threshold_low,
            threshold_high: target.threshold_high,
            status: Status::NoData,
            is_final: false,
            exceeded: false,
            secondary: None,
            note: None,
            parts: Vec::new(),
            suppressed: false,
            reported: None,
        };
        let id = target.indicator;
        // A target applies from its plan's level down to the lowest level its indicator means something at.
        let set_at = target.scope_level;
        // A reported value is reported for the plan's own level.
        let lowest = if id.is_reported() { set_at } else { id.lowest_level() };
        if scope.level < set_at || scope.level > lowest {
            e.status = Status::NotApplicable;
            e.note = Some(self.not_applicable_note(set_at, lowest, scope.level));
            return Ok(e);
        }
        if as_of < window.from {
            e.note = Some("kỳ chưa bắt đầu (the period has not begun)".into());
            return Ok(e);
        }
        if id.is_reported() {
            reported::fill(self.facts.source(), target, scope, window, span, as_of, &mut e).await?;
            return Ok(e);
        }
        // A period across the reform asked as on a day before it is counted on that day's units.
        let built = self.territory(scope, window, as_of);
        let territory = match &*built {
            Ok(t) => t,
            Err(why) => {
                e.note = Some(format!("{} ({})", why.vi, why.en));
                return Ok(e);
            }
        };
        let figure = indicators::compute(&mut self.facts, self.units, id, territory, window, as_of).await?;
        e.parts = figure.parts;
        e.secondary = figure.secondary;
        let notes: Vec<String> = [figure.no_data, figure.note, territory.note.clone()].into_iter().flatten().collect();
        e.note = (!notes.is_empty()).then(|| notes.join(" — "));
        e.numerator = figure.numerator;
        e.denominator = figure.denominator;
        e.value = figure.value;
        if let Some(value) = figure.value {
            let comparator = target.comparator;
            // A standing value (b2) speaks for its year from the start, whatever window was asked.
            let from_start;
            let judged = if id.is_standing() && span.from < window.from {
                from_start = Period::new(window.label.as_str(), span.from, window.to);
                &from_start
            } else {
                window
            };
            e.is_final = status::is_final(judged, span, as_of);
            e.exceeded = status::exceeds(value, comparator, target.threshold_high);
            e.status = status::decide(value, comparator, target.threshold_low, judged, span, as_of, id.is_cumulative());
        }
        Ok(e)
    }
}
