//! Evaluations kept between requests while no write has happened. The store's
//! data version moves with every committed write on any node, so a cached
//! figure is never older than the last saved record.

use crate::AppState;
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::units::Unit;
use pcmd_engine::{Engine, Evaluation};
use pcmd_store::{PlanView, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Key = (String, i64, NaiveDate, NaiveDate, NaiveDate);

/// At most this many evaluated (plan, unit, period, day) sets are kept.
const CAPACITY: usize = 2000;

#[derive(Default)]
pub struct EvalCache {
    version: i64,
    entries: HashMap<Key, Arc<Vec<Evaluation>>>,
}

pub type SharedCache = Arc<Mutex<EvalCache>>;

/// Every target of `plan` for `unit` over `period`, as of `as_of`, from the cache when still current.
pub async fn evaluations(
    state: &AppState,
    plan: &PlanView,
    unit: &Unit,
    period: &Period,
    as_of: NaiveDate,
) -> Result<Arc<Vec<Evaluation>>, StoreError> {
    let mut all = evaluations_many(state, plan, &[unit], period, as_of).await?;
    Ok(all.pop().unwrap_or_default())
}

/// The same for several units at once: what is not cached is evaluated with one
/// engine, so that the period's facts are read once for all of them.
pub async fn evaluations_many(
    state: &AppState,
    plan: &PlanView,
    units: &[&Unit],
    period: &Period,
    as_of: NaiveDate,
) -> Result<Vec<Arc<Vec<Evaluation>>>, StoreError> {
    let version = state.store.data_version().await?;
    let key = |u: &Unit| (plan.summary.key.clone(), u.id, period.from, period.to, as_of);
    let mut out: Vec<Option<Arc<Vec<Evaluation>>>> = vec![None; units.len()];
    if let Ok(mut c) = state.cache.lock() {
        if c.version != version {
            c.entries.clear();
            c.version = version;
        }
        for (slot, u) in out.iter_mut().zip(units) {
            *slot = c.entries.get(&key(u)).cloned();
        }
    }
    // One engine for the units not cached, reading only the facts their territories can hold.
    let missing: Vec<&Unit> = out.iter().zip(units).filter(|(slot, _)| slot.is_none()).map(|(_, u)| *u).collect();
    let mut engine = Engine::within(&state.store, &state.units, &missing);
    let mut fresh = Vec::new();
    for (slot, u) in out.iter_mut().zip(units) {
        if slot.is_some() {
            continue;
        }
        let mut evals = Vec::with_capacity(plan.targets.len());
        for t in &plan.targets {
            evals.push(engine.evaluate(t, u, period, as_of).await?);
        }
        let evals = Arc::new(evals);
        fresh.push((key(u), evals.clone()));
        *slot = Some(evals);
    }
    if let Ok(mut c) = state.cache.lock() {
        if c.version == version {
            if c.entries.len() + fresh.len() > CAPACITY {
                c.entries.clear();
            }
            c.entries.extend(fresh);
        }
    }
    Ok(out.into_iter().map(Option::unwrap_or_default).collect())
}
