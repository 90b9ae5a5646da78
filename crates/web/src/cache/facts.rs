//! Facts kept between requests, unit by unit (sự kiện số liệu theo đơn vị). A
//! dashboard's engine reads the facts of its territory (`Engine::within`); a new
//! record moves the figures of every territory that reaches its unit, but only
//! that unit's facts. So the facts are kept per unit and read (kind, range) by
//! (kind, range): after a write the next evaluation re-reads the written unit's
//! facts alone and takes the others' as kept, instead of reading the province's
//! establishments, inspections and support cases again. Kept facts obey the same
//! versions as kept figures (`EvalCache::advance`): a new record makes its unit's
//! facts of its kind stale over ranges ending on or after its day (an activity
//! moves the activities and the quarters with one, nothing else); anything else
//! (an edit, an import), all facts.

use super::{with_cache, EvalCache, Version};
use crate::AppState;
use chrono::NaiveDate;
use pcmd_engine::{ByUnit, FactSource};
use pcmd_store::{
    ActivityFact, ActivityQuarterFact, CaseFact, DistrictPlanFact, EstablishmentFact, PublicationFact, ReferenceFact, ReportedValue, StoreError,
    SupportFact, TipFact, TrainingFact,
};
use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::future::Future;

type Facts<T> = Result<Vec<T>, StoreError>;

/// At most this many (kind, range) sets of facts are kept.
const CAPACITY: usize = 1000;

/// Nor more than about this many rows (units' facts) in all: a national reader's sets
/// hold every unit of the country each, and periods typed by hand make new sets.
const MAX_ROWS: usize = 1_000_000;

/// The record tables each kind of fact is counted from (as `Change::Record` names them).
type Tables = &'static [&'static str];
const ACTIVITY: Tables = &["activity"];
const PUBLICATION: Tables = &["publication"];
const ESTABLISHMENT: Tables = &["establishment", "inspection"];
const TIP: Tables = &["tip"];
const CASE: Tables = &["case_summary"];
const DISTRICT_PLAN: Tables = &["district_plan"];
const PILOT: Tables = &["pilot_model"];
const SUPPORT: Tables = &["support_case"];
const TRAINING: Tables = &["training"];
const REFERENCE: Tables = &["reference_figure"];

/// A fact that belongs to one unit (`ByUnit`), kept between requests.
pub(crate) trait OfUnit: ByUnit + Clone + Send + Sync + 'static {}

impl<T: ByUnit + Clone + Send + Sync + 'static> OfUnit for T {}

/// The facts of one kind over one range, by unit.
struct Kept<T> {
    /// The record tables these facts are counted from.
    tables: Tables,
    /// The last day whose records these facts can count: a record dated later cannot move them.
    end: NaiveDate,
    rows: HashMap<i64, Vec<T>>,
    /// The units whose facts were read (a unit without facts holds no rows).
    covered: HashSet<i64>,
    /// Every unit's facts were read.
    all: bool,
    /// Units with a record saved since their facts were read.
    stale: HashSet<i64>,
}

/// What the pool needs of any kept set, whatever its kind.
trait Touch: Any + Send + Sync {
    fn touch(&mut self, table: &str, unit: i64, day: Option<NaiveDate>);
    fn as_any(&mut self) -> &mut dyn Any;
}

impl<T: OfUnit> Touch for Kept<T> {
    fn touch(&mut self, table: &str, unit: i64, day: Option<NaiveDate>) {
        if self.tables.contains(&table) && day.is_none_or(|d| self.end >= d) && (self.all || self.covered.contains(&unit)) {
            self.stale.insert(unit);
        }
    }
    fn as_any(&mut self) -> &mut dyn Any {
        self
    }
}

/// The kept facts of a cache (`EvalCache::facts`).
#[derive(Default)]
pub(super) struct FactPool {
    sets: HashMap<String, Box<dyn Touch>>,
    /// The units' rows kept since the sets were last dropped (rows read again count twice:
    /// the bound is reached early, never late).
    rows: usize,
}

/// What a read finds in the pool: everything, or what it must still read from the store.
enum Plan<T> {
    Kept(Vec<T>),
    /// Read these units (None: all), and add the rows already kept.
    Read(Option<Vec<i64>>, Vec<T>),
}

impl FactPool {
    /// A record saved in `table` for `unit`, counting from `day` (None: it may count on any day).
    pub(super) fn touch(&mut self, table: &str, unit: i64, day: Option<NaiveDate>) {
        for set in self.sets.values_mut() {
            set.touch(table, unit, day);
        }
    }

    fn kept<T: OfUnit>(&mut self, key: &str) -> Option<&mut Kept<T>> {
        self.sets.get_mut(key).and_then(|s| s.as_any().downcast_mut::<Kept<T>>())
    }

    fn plan<T: OfUnit>(&mut self, key: &str, within: Option<&[i64]>) -> Plan<T> {
        let Some(set) = self.kept::<T>(key) else { return Plan::Read(within.map(<[i64]>::to_vec), Vec::new()) };
        let fresh = |u: &i64| (set.all || set.covered.contains(u)) && !set.stale.contains(u);
        let mut have = Vec::new();
        let mut need = Vec::new();
        match within {
            Some(units) => {
                for u in units {
                    if fresh(u) {
                        have.extend(set.rows.get(u).into_iter().flatten().cloned());
                    } else {
                        need.push(*u);
                    }
                }
            }
            None if set.all => {
                for (u, rows) in &set.rows {
                    if !set.stale.contains(u) {
                        have.extend(rows.iter().cloned());
                    }
                }
                need.extend(set.stale.iter().copied());
            }
            None => return Plan::Read(None, Vec::new()),
        }
        if need.is_empty() {
            Plan::Kept(have)
        } else {
            need.sort_unstable();
            Plan::Read(Some(need), have)
        }
    }

    /// Keeps the facts read for `read` (None: every unit).
    fn fill<T: OfUnit>(&mut self, (key, tables): (&str, Tables), end: NaiveDate, read: Option<&[i64]>, got: &[T]) {
        self.rows += got.len() + read.map_or(0, <[i64]>::len);
        if self.rows > MAX_ROWS {
            self.sets.clear();
            self.rows = got.len();
        }
        if self.kept::<T>(key).is_none() {
            if self.sets.len() >= CAPACITY {
                self.sets.clear();
                self.rows = got.len();
            }
            let set = Kept::<T> { tables, end, rows: HashMap::new(), covered: HashSet::new(), all: false, stale: HashSet::new() };
            self.sets.insert(key.to_string(), Box::new(set));
        }
        let Some(set) = self.kept::<T>(key) else { return };
        match read {
            None => {
                set.rows.clear();
                set.covered.clear();
                set.stale.clear();
                set.all = true;
            }
            Some(units) => {
                for u in units {
                    set.rows.remove(u);
                    set.stale.remove(u);
                    set.covered.insert(*u);
                }
            }
        }
        for row in got {
            set.rows.entry(row.unit()).or_default().push(row.clone());
        }
    }
}

/// The store's facts through the pool of a cache at version `v`: what is kept and
/// current is taken, the rest read and kept.
pub(crate) struct KeptFacts<'a> {
    state: &'a AppState,
    v: Version,
}

impl<'a> KeptFacts<'a> {
    pub(crate) fn new(state: &'a AppState, v: Version) -> Self {
        KeptFacts { state, v }
    }

    /// The facts of `key`, counted from `tables`, for `within`: `read` reads those of the units it is given (None: all).
    async fn get<T, F, Fut>(&self, (key, tables): (String, Tables), end: NaiveDate, within: Option<&[i64]>, read: F) -> Facts<T>
    where
        T: OfUnit,
        F: FnOnce(Option<Vec<i64>>) -> Fut,
        Fut: Future<Output = Facts<T>>,
    {
        let plan = with_cache(self.state, self.v, |c: &mut EvalCache| Some(c.facts.plan::<T>(&key, within)));
        let (units, mut have) = match plan {
            Some(Plan::Kept(rows)) => return Ok(rows),
            Some(Plan::Read(units, have)) => (units, have),
            // The cache has moved on from this request's version: read, keep nothing.
            None => return read(within.map(<[i64]>::to_vec)).await,
        };
        let got = read(units.clone()).await?;
        with_cache(self.state, self.v, |c| {
            c.facts.fill((&key, tables), end, units.as_deref(), &got);
            Some(())
        });
        have.extend(got);
        Ok(have)
    }
}

fn last_of_year(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The last day of a month `YYYY-MM` (a later day when unreadable: never too early).
fn last_of_month(month: &str) -> NaiveDate {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok();
    first.and_then(|f| f.checked_add_months(chrono::Months::new(1))).and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX)
}

impl FactSource for KeptFacts<'_> {
    fn activity_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityFact>> + Send {
        let s = &self.state.store;
        self.get((format!("activity|{from}|{to}"), ACTIVITY), to, within, move |w| async move { s.activity_facts(from, to, w.as_deref()).await })
    }
    fn activity_quarter_facts(&self, first: &str, last: &str, within: Option<&[i64]>) -> impl Future<Output = Facts<ActivityQuarterFact>> + Send {
        let s = &self.state.store;
        let (a, b) = (first.to_string(), last.to_string());
        let key = (format!("quarters|{a}|{b}"), ACTIVITY);
        self.get(key, last_of_month(last), within, move |w| async move { s.activity_quarter_facts(&a, &b, w.as_deref()).await })
    }
    fn publication_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<PublicationFact>> + Send {
        let s = &self.state.store;
        self.get(
            (format!("publication|{from}|{to}"), PUBLICATION),
            to,
            None,
            move |w| async move { s.publication_facts(from, to, w.as_deref()).await },
        )
    }
    fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<EstablishmentFact>> + Send {
        let s = &self.state.store;
        self.get((format!("establishment|{from}|{to}"), ESTABLISHMENT), to, within, move |w| async move {
            s.establishment_facts(from, to, w.as_deref()).await
        })
    }
    /// A tip counts by its deadline, not by the day it was received (the day a write
    /// names): kept tips of any range go stale with a new tip of their unit.
    fn tip_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<TipFact>> + Send {
        let s = &self.state.store;
        let key = (format!("tip|{from}|{to}|{as_of}"), TIP);
        self.get(key, NaiveDate::MAX, within, move |w| async move { s.tip_facts(from, to, as_of, w.as_deref()).await })
    }
    fn case_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<CaseFact>> + Send {
        let s = &self.state.store;
        let key = (format!("case|{first_year}|{last_year}"), CASE);
        self.get(key, last_of_year(last_year), None, move |w| async move { s.case_facts(first_year, last_year, w.as_deref()).await })
    }
    fn district_plan_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<DistrictPlanFact>> + Send {
        let s = &self.state.store;
        let key = (format!("district_plan|{first_year}|{last_year}"), DISTRICT_PLAN);
        self.get(key, last_of_year(last_year), None, move |w| async move { s.district_plan_facts(first_year, last_year, w.as_deref()).await })
    }
    fn pilot_units(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<i64>> + Send {
        let s = &self.state.store;
        self.get((format!("pilot|{from}|{to}"), PILOT), to, None, move |w| async move { s.pilot_units(from, to, w.as_deref()).await })
    }
    fn support_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> impl Future<Output = Facts<SupportFact>> + Send {
        let s = &self.state.store;
        self.get((format!("support|{from}|{to}"), SUPPORT), to, within, move |w| async move { s.support_facts(from, to, w.as_deref()).await })
    }
    fn training_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<TrainingFact>> + Send {
        let s = &self.state.store;
        self.get((format!("training|{from}|{to}"), TRAINING), to, None, move |w| async move { s.training_facts(from, to, w.as_deref()).await })
    }
    fn reference_facts(&self, first_year: i32, last_year: i32) -> impl Future<Output = Facts<ReferenceFact>> + Send {
        let s = &self.state.store;
        let key = (format!("reference|{first_year}|{last_year}"), REFERENCE);
        self.get(key, last_of_year(last_year), None, move |w| async move { s.reference_facts(first_year, last_year, w.as_deref()).await })
    }
    /// Read for each target as it is evaluated, not kept.
    fn reported_values(&self, plan_key: &str, target: &str, unit_id: i64) -> impl Future<Output = Facts<ReportedValue>> + Send {
        self.state.store.reported_values(plan_key, target, unit_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The facts a plan takes as kept, or the units it reads and the rows it has (sorted to compare).
    fn looks(p: Plan<i64>) -> (Option<Vec<i64>>, Vec<i64>) {
        match p {
            Plan::Kept(mut rows) => {
                rows.sort_unstable();
                (Some(Vec::new()), rows)
            }
            Plan::Read(units, mut rows) => {
                rows.sort_unstable();
                (units, rows)
            }
        }
    }

    #[test]
    fn a_record_makes_only_its_units_facts_be_read_again() {
        let mut pool = FactPool::default();
        // Nothing kept: everything asked is read.
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![1, 2, 3]), vec![]));
        // Units 1, 2 and 3 read over a range ending 31/12/2024; 2 has no facts.
        pool.fill::<i64>(("k", ACTIVITY), d(2024, 12, 31), Some(&[1, 2, 3]), &[1, 3, 3]);
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![]), vec![1, 3, 3]));
        // Unit 4 was never read: it alone is read, 1's facts come kept.
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 4]))), (Some(vec![4]), vec![1]));
        // A record of 3 dated after the range cannot move it; one dated in it makes 3 be read again.
        pool.touch("activity", 3, Some(d(2025, 1, 1)));
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![]), vec![1, 3, 3]));
        // Nor can a record of another kind (these facts count activities).
        pool.touch("tip", 3, None);
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![]), vec![1, 3, 3]));
        pool.touch("activity", 3, Some(d(2024, 6, 1)));
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![3]), vec![1]));
        // A record that may count on any day (an establishment) moves any range.
        pool.touch("activity", 1, None);
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![1, 3]), vec![]));
        // Read again: 3 now has one fact, 1 two; kept, and the old rows are gone.
        pool.fill::<i64>(("k", ACTIVITY), d(2024, 12, 31), Some(&[1, 3]), &[1, 1, 3]);
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[1, 2, 3]))), (Some(vec![]), vec![1, 1, 3]));
        // Another kind or range is kept apart.
        assert_eq!(looks(pool.plan::<i64>("other", Some(&[1]))), (Some(vec![1]), vec![]));
    }

    #[test]
    fn facts_read_for_every_unit_follow_a_record_of_a_unit_that_had_none() {
        let mut pool = FactPool::default();
        assert_eq!(looks(pool.plan::<i64>("k", None)), (None, vec![]));
        pool.fill::<i64>(("k", ACTIVITY), d(2024, 12, 31), None, &[5, 7]);
        assert_eq!(looks(pool.plan::<i64>("k", None)), (Some(vec![]), vec![5, 7]));
        // Unit 9 had no facts; a record makes it be read, with the others kept.
        pool.touch("activity", 9, Some(d(2024, 3, 1)));
        assert_eq!(looks(pool.plan::<i64>("k", None)), (Some(vec![9]), vec![5, 7]));
        assert_eq!(looks(pool.plan::<i64>("k", Some(&[5, 6]))), (Some(vec![]), vec![5]));
        pool.fill::<i64>(("k", ACTIVITY), d(2024, 12, 31), Some(&[9]), &[9]);
        assert_eq!(looks(pool.plan::<i64>("k", None)), (Some(vec![]), vec![5, 7, 9]));
    }

    #[test]
    fn the_pool_drops_its_sets_beyond_a_million_rows() {
        let mut pool = FactPool::default();
        pool.fill::<i64>(("a", ACTIVITY), d(2024, 12, 31), Some(&[1]), &[1; 10]);
        assert_eq!(looks(pool.plan::<i64>("a", Some(&[1]))), (Some(vec![]), vec![1; 10]));
        // A set of a million rows more: the older sets go, the new one stays.
        pool.fill::<i64>(("b", ACTIVITY), d(2024, 12, 31), Some(&[2]), &vec![2; MAX_ROWS]);
        assert_eq!(looks(pool.plan::<i64>("a", Some(&[1]))), (Some(vec![1]), vec![]));
        assert!(matches!(pool.plan::<i64>("b", Some(&[2])), Plan::Kept(rows) if rows.len() == MAX_ROWS));
    }

    #[test]
    fn the_last_day_of_a_month_or_year() {
        assert_eq!(last_of_month("2024-02"), d(2024, 2, 29));
        assert_eq!(last_of_month("2025-12"), d(2025, 12, 31));
        assert_eq!(last_of_month("2025-1x"), NaiveDate::MAX);
        assert_eq!(last_of_year(2025), d(2025, 12, 31));
    }
}
