//! What is kept between requests: evaluations, plans, the demo-data flag and
//! parts of pages made from them (a dashboard's trend and map, its drill-down and
//! unit picker). The store's data version moves with every committed write on any
//! node. A request reads it once (`version`); when it has moved, the cache reads
//! the changes in between (`Store::changes`) and drops only what they can move: a
//! new record, the figures whose territory reaches its unit over periods ending on
//! or after its day; a sign-in, nothing; anything else, all. So nothing kept is
//! older than the last saved record. Requests that miss the same figures or parts
//! at the same time make them once (single flight): a write followed by fifty
//! dashboard requests costs one evaluation, not fifty side by side.

mod facts;

use crate::AppState;
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::units::Unit;
use pcmd_domain::units::UnitIndex;
use pcmd_engine::{Engine, Evaluation};
use pcmd_store::changes::Change;
use pcmd_store::{PlanView, StoreError};
use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};

type Key = (String, i64, NaiveDate, NaiveDate, NaiveDate);

/// At most this many evaluated (plan, unit, period, day) sets are kept.
const CAPACITY: usize = 2000;

/// A plan as the pages use it, with the id of the unit it covers.
pub struct CachedPlan {
    pub view: PlanView,
    pub unit_id: Option<i64>,
}

#[derive(Default)]
pub struct EvalCache {
    version: i64,
    /// The version the cache last started afresh at (after a change other than new records):
    /// what a request took before it (a plan, the units) may differ from what the cache holds.
    reset_at: i64,
    /// The generation of the unit lists the cache was filled from (`AppState::units_generation`).
    units_generation: u64,
    entries: HashMap<Key, Arc<Vec<Evaluation>>>,
    plans: HashMap<String, Arc<CachedPlan>>,
    synthetic: Option<bool>,
    /// The evaluations being computed under this version, each awaited by every request that asks for it meanwhile.
    in_flight: HashMap<Key, Flight>,
    /// The units whose records each cached unit's territories can count (`territory::reach`): units do not
    /// change with records, so this outlives versions until the cache starts afresh.
    reach: HashMap<i64, HashSet<i64>>,
    /// The territories engines built (`Territory::build`): like `reach`, they follow the unit lists, not records.
    territories: pcmd_engine::SharedTerritories,
    /// Parts of pages made from kept figures (a dashboard's trend, its map), by what they
    /// are and the unit they are of: dropped with the unit's figures, over any period.
    fragments: HashMap<(String, i64), Part>,
    /// The parts being made under this version, awaited by every request that asks for one meanwhile.
    making: HashMap<(String, i64), Arc<tokio::sync::OnceCell<Part>>>,
    /// The facts figures are made from, by unit: a new record re-reads its unit's alone.
    facts: facts::FactPool,
}

type Part = Arc<dyn Any + Send + Sync>;

type Flight = Arc<tokio::sync::OnceCell<Arc<Vec<Evaluation>>>>;

/// The cache shared by every request of a server.
#[derive(Default)]
pub struct Cache {
    kept: Mutex<EvalCache>,
    /// Held while the cache moves to a new version: the changes between two versions
    /// are read once, not by every request that sees the new version at once.
    advancing: tokio::sync::Mutex<()>,
}

impl Cache {
    fn lock(&self) -> std::sync::LockResult<std::sync::MutexGuard<'_, EvalCache>> {
        self.kept.lock()
    }
}

pub type SharedCache = Arc<Cache>;

/// The data version a request works under, read once from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version(i64);

/// Changes read at once between two versions; beyond them the cache starts afresh.
const MAX_CHANGES: i64 = 200;

/// Reads the data version. What was cached under an older one is kept where the
/// changes since cannot move it: nothing for a sign-in or a read of personal data;
/// for a new record, every figure whose territory can count its unit is dropped and
/// the others kept (a ward's activity does not touch another ward's figures); for
/// anything else, all of it.
pub async fn version(state: &AppState) -> Result<Version, StoreError> {
    version_seen(state, None).await
}

/// The same, from a data version the request has already read (with its session,
/// `Store::session_user_at`), when it has one.
pub async fn version_seen(state: &AppState, seen: Option<i64>) -> Result<Version, StoreError> {
    let v = match seen {
        Some(v) => v,
        None => state.store.data_version().await?,
    };
    let generation = state.units_generation;
    let current = || state.cache.lock().map(|c| (c.version, c.units_generation)).unwrap_or((0, 0));
    let (cur, cur_generation) = current();
    // A request holding unit lists older than the cache's uses no kept figure (`with_cache`).
    if cur_generation > generation {
        return Ok(Version(v));
    }
    // The cache may already be at a newer version than this request read (a write committed
    // in between): the request works under the newer one, whose figures are as current, rather
    // than alone and uncached (under writes from several officers, many requests did).
    if cur >= v && cur_generation == generation {
        return Ok(Version(cur));
    }
    let _one = state.cache.advancing.lock().await;
    // Another request may have moved the cache on while this one waited.
    let (old, old_generation) = current();
    if old >= v && old_generation == generation {
        return Ok(Version(old));
    }
    let changes =
        if old > 0 && v > old && v - old <= MAX_CHANGES && old_generation == generation { state.store.changes(old, v).await.ok() } else { None };
    if let Ok(mut c) = state.cache.lock() {
        match changes {
            Some(changes) if c.version == old && c.units_generation == generation => c.advance(v, &changes, &state.units),
            _ if c.version >= v && c.units_generation >= generation => {}
            _ => *c = EvalCache::afresh(v, generation),
        }
    }
    Ok(Version(v))
}

impl EvalCache {
    fn afresh(version: i64, units_generation: u64) -> Self {
        EvalCache { version, reset_at: version, units_generation, ..EvalCache::default() }
    }

    /// Moves to version `v` after `changes`, dropping only what they can move.
    fn advance(&mut self, v: i64, changes: &[Change], units: &UnitIndex) {
        // Each unit written, with the first day its records count from (None: any).
        let mut touched: HashMap<i64, Option<NaiveDate>> = HashMap::new();
        for change in changes {
            match change {
                Change::Nothing => {}
                Change::Record { table, unit_id, day } => {
                    self.facts.touch(table, *unit_id, *day);
                    let first = touched.entry(*unit_id).or_insert(*day);
                    *first = match (*first, *day) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        _ => None,
                    };
                }
                Change::Anything => {
                    *self = EvalCache::afresh(v, self.units_generation);
                    return;
                }
            }
        }
        self.version = v;
        if touched.is_empty() {
            return;
        }
        let reach = &mut self.reach;
        // Whether the figures of `unit` over a period ending on `end` (None: any period) can count a unit written.
        let mut moved = |unit: i64, end: Option<NaiveDate>| {
            let r = reach.entry(unit).or_insert_with(|| reach_of(units, unit));
            touched.iter().any(|(written, day)| r.contains(written) && day.zip(end).is_none_or(|(d, e)| e >= d))
        };
        // A kept figure moves when its territory reaches a unit written and its period ends on or after the record's day.
        self.entries.retain(|k, _| !moved(k.1, Some(k.3)));
        // Figures being computed from before the change are not kept when they are done.
        self.in_flight.retain(|k, _| !moved(k.1, Some(k.3)));
        self.fragments.retain(|k, _| !moved(k.1, None));
        self.making.retain(|k, _| !moved(k.1, None));
    }
}

/// The units whose records the territories of `unit` can count (`territory::reach`).
fn reach_of(units: &UnitIndex, unit: i64) -> HashSet<i64> {
    units.get(unit).map(|u| pcmd_domain::units::territory::reach(units, &[u]).into_iter().collect()).unwrap_or_default()
}

impl EvalCache {
    /// The reach of `unit`, kept.
    fn reach_of(&mut self, unit: i64, units: &UnitIndex) -> &HashSet<i64> {
        self.reach.entry(unit).or_insert_with(|| reach_of(units, unit))
    }
}

/// The version a part of a request works under: the request's, or the cache's when it has
/// moved on since the request began (the figures are then as of a newer write, read afresh
/// or kept under it). Without this, every request that began before a write missed the
/// cache for the rest of its page and computed the whole of it alone.
fn latest(state: &AppState, v: Version) -> Version {
    // Never across a fresh start: what the request took before it (its plan) may have changed.
    state
        .cache
        .lock()
        .ok()
        .filter(|c| c.units_generation == state.units_generation && c.reset_at <= v.0 && c.version > v.0)
        .map_or(v, |c| Version(c.version))
}

/// Runs `f` on the cache when it holds version `v` (a newer version seen by
/// another request makes this one's results uncacheable, not wrong).
fn with_cache<T>(state: &AppState, v: Version, f: impl FnOnce(&mut EvalCache) -> Option<T>) -> Option<T> {
    let mut c = state.cache.lock().ok()?;
    if c.version == v.0 && c.units_generation == state.units_generation {
        f(&mut c)
    } else {
        None
    }
}

/// A plan by key or number, with its unit.
pub async fn plan(state: &AppState, v: Version, key: &str) -> Result<Arc<CachedPlan>, StoreError> {
    let v = latest(state, v);
    if let Some(p) = with_cache(state, v, |c| c.plans.get(key).cloned()) {
        return Ok(p);
    }
    let view = state.store.plan(key).await?;
    let unit_id = state.store.plan_unit(&view.summary.key).await?;
    let p = Arc::new(CachedPlan { view, unit_id });
    with_cache(state, v, |c| c.plans.insert(key.to_string(), p.clone()));
    Ok(p)
}

/// Whether the store holds synthetic demo records (the pages say so).
pub async fn synthetic(state: &AppState, v: Version) -> Result<bool, StoreError> {
    let v = latest(state, v);
    if let Some(s) = with_cache(state, v, |c| c.synthetic) {
        return Ok(s);
    }
    let s = state.store.has_synthetic_records().await?;
    with_cache(state, v, |c| c.synthetic.replace(s));
    Ok(s)
}

/// The "unit" of a part made from the unit lists alone: no record moves it, a change of units does.
pub const STATIC: i64 = -1;

/// A part of a page made from kept figures of `unit` (`what` names it with everything
/// it depends on besides the figures), made by `make` when not kept under version `v`.
pub async fn fragment<T: Send + Sync + 'static>(
    state: &AppState,
    v: Version,
    what: String,
    unit: i64,
    make: impl Future<Output = Result<T, StoreError>>,
) -> Result<Arc<T>, StoreError> {
    let v = latest(state, v);
    let key = (what, unit);
    let kept = with_cache(state, v, |c| c.fragments.get(&key).cloned());
    if let Some(kept) = kept.and_then(|a| a.downcast::<T>().ok()) {
        return Ok(kept);
    }
    let made = async { make.await.map(|t| Arc::new(t) as Part) };
    // Made once for all the requests that miss it at the same time (the first after a write).
    let part = match with_cache(state, v, |c| Some(c.making.entry(key.clone()).or_default().clone())) {
        Some(flight) => {
            let part = flight.get_or_try_init(|| made).await.cloned();
            with_cache(state, v, |c| {
                c.making.remove(&key);
                if let Ok(p) = &part {
                    if c.fragments.len() >= CAPACITY {
                        c.fragments.clear();
                    }
                    c.fragments.insert(key.clone(), p.clone());
                }
                Some(())
            });
            part?
        }
        None => made.await?,
    };
    part.downcast::<T>().map_err(|_| StoreError::refused("phần trang không đúng loại", "a kept part of a page is not of its kind"))
}

/// Every target of `plan` for `unit` over `period`, as of `as_of`, from the cache when still current.
pub async fn evaluations(
    state: &AppState,
    v: Version,
    plan: &PlanView,
    unit: &Unit,
    period: &Period,
    as_of: NaiveDate,
) -> Result<Arc<Vec<Evaluation>>, StoreError> {
    let v = latest(state, v);
    let key: Key = (plan.summary.key.clone(), unit.id, period.from, period.to, as_of);
    if let Some(hit) = with_cache(state, v, |c| c.entries.get(&key).cloned()) {
        return Ok(hit);
    }
    let compute = || async { evaluations_many(state, v, plan, &[unit], period, as_of).await.map(|mut all| all.pop().unwrap_or_default()) };
    // Under a version another request has already left behind, the result is not kept: computed alone.
    let Some(flight) = with_cache(state, v, |c| Some(c.in_flight.entry(key.clone()).or_default().clone())) else {
        return compute().await;
    };
    let result = flight.get_or_try_init(compute).await.cloned();
    with_cache(state, v, |c| c.in_flight.remove(&key).map(|_| ()));
    result
}

/// The same for several units at once: what is not cached is evaluated with one
/// engine, so that the period's facts are read once for all of them.
pub async fn evaluations_many(
    state: &AppState,
    v: Version,
    plan: &PlanView,
    units: &[&Unit],
    period: &Period,
    as_of: NaiveDate,
) -> Result<Vec<Arc<Vec<Evaluation>>>, StoreError> {
    let v = latest(state, v);
    let key = |u: &Unit| (plan.summary.key.clone(), u.id, period.from, period.to, as_of);
    let mut out: Vec<Option<Arc<Vec<Evaluation>>>> =
        with_cache(state, v, |c| Some(units.iter().map(|u| c.entries.get(&key(u)).cloned()).collect())).unwrap_or_else(|| vec![None; units.len()]);
    // One engine for the units not cached, reading only the facts their territories can hold.
    let missing: Vec<&Unit> = out.iter().zip(units).filter(|(slot, _)| slot.is_none()).map(|(_, u)| *u).collect();
    if !missing.is_empty() {
        // The facts kept by unit: after a write only the written unit's are read again. The units
        // they may count and their territories are kept too (they depend on the unit lists alone).
        let source = facts::KeptFacts::new(state, v);
        let kept = with_cache(state, v, |c| {
            let mut ids: HashSet<i64> = HashSet::new();
            for u in &missing {
                ids.extend(c.reach_of(u.id, &state.units));
            }
            Some((ids, c.territories.clone()))
        });
        let mut engine = match kept {
            Some((ids, territories)) => {
                let mut ids: Vec<i64> = ids.into_iter().collect();
                ids.sort_unstable();
                Engine::within_ids(&source, &state.units, ids).sharing_territories(territories)
            }
            None => Engine::within(&source, &state.units, &missing),
        };
        let targets = plan.typed_targets();
        // Read the facts of all of them at once, on the pool's connections side by side.
        let samples = pcmd_engine::one_of_each_level(missing.iter().copied());
        engine.prefetch(&targets, &samples, period, as_of).await?;
        let mut fresh = Vec::new();
        for (slot, u) in out.iter_mut().zip(units) {
            if slot.is_some() {
                continue;
            }
            let evals = Arc::new(engine.evaluate_plan(&targets, u, period, as_of).await?);
            fresh.push((key(u), evals.clone()));
            *slot = Some(evals);
        }
        with_cache(state, v, |c| {
            if c.entries.len() + fresh.len() > CAPACITY {
                c.entries.clear();
            }
            c.entries.extend(fresh);
            Some(())
        });
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}
