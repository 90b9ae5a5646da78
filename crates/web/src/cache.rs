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
    let version = state.store.data_version().await?;
    let key = (plan.summary.key.clone(), unit.id, period.from, period.to, as_of);
    if let Ok(mut c) = state.cache.lock() {
        if c.version != version {
            c.entries.clear();
            c.version = version;
        }
        if let Some(hit) = c.entries.get(&key) {
            return Ok(hit.clone());
        }
    }
    let mut engine = Engine::new(&state.store, &state.units);
    let mut out = Vec::with_capacity(plan.targets.len());
    for t in &plan.targets {
        out.push(engine.evaluate(t, unit, period, as_of).await?);
    }
    let out = Arc::new(out);
    if let Ok(mut c) = state.cache.lock() {
        if c.version == version {
            if c.entries.len() >= CAPACITY {
                c.entries.clear();
            }
            c.entries.insert(key, out.clone());
        }
    }
    Ok(out)
}
