//! `pcmd bench evaluate`: every target of every plan for every unit, and the
//! naive baseline (plain SQL aggregates over the record tables) beside it.

use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::{Level, Unit, UnitIndex};
use pcmd_engine::{Engine, Evaluation, SharedTerritories};
use pcmd_store::{PlanView, Store};
use std::collections::BTreeMap;
use std::time::Instant;

pub async fn run(
    store: &Store,
    period: &str,
    within: Option<&str>,
    as_of: Option<chrono::NaiveDate>,
    runs: u32,
    baseline: Option<&str>,
) -> anyhow::Result<String> {
    let period = Period::parse(period, Cutoff::Decree09).map_err(|e| anyhow::anyhow!(e))?;
    let as_of = as_of.unwrap_or_else(|| pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()));
    let load = Instant::now();
    let units = store.unit_index().await?;
    let mut plans = Vec::new();
    for p in store.plans().await? {
        if p.target_count > 0 {
            plans.push(store.plan(&p.key).await?);
        }
    }
    let load_s = load.elapsed().as_secs_f64();
    let scope = scope(&units, &period, within)?;
    let mut lines = vec![format!(
        "bench evaluate: backend {}, period {}, {} plans, {} units (province + district + commune), reading units and plans {:.3} s",
        store.backend().name(),
        period,
        plans.len(),
        scope.len(),
        load_s
    )];
    let work = Work { units: &units, plans: &plans, scope: &scope, period: &period, as_of, territories: SharedTerritories::default() };
    let mut best = f64::MAX;
    let mut maintained = Vec::new();
    for run in 1..=runs {
        let started = Instant::now();
        let (evals, reading) = work.evaluate_all(store, false).await?;
        let s = started.elapsed().as_secs_f64();
        best = best.min(s);
        lines.push(format!(
            "  run {run}: {} evaluations in {s:.3} s ({:.0} evaluations/s; reading the facts ahead {reading:.3} s); statuses {:?}",
            evals.len(),
            evals.len() as f64 / s.max(1e-9),
            statuses(&evals)
        ));
        maintained = evals;
    }
    if let Some(which) = baseline {
        let raw = store.with_raw_facts();
        for (name, per_unit) in [
            ("baseline 1, naive: plain SQL aggregates over the record tables for each unit's territory, one unit after another", true),
            ("baseline 2, batched: plain SQL aggregates over the record tables once for the whole country, no maintained aggregate", false),
        ] {
            if per_unit && which == "batched" {
                continue;
            }
            let started = Instant::now();
            let (evals, _) = work.evaluate_all(&raw, per_unit).await?;
            let s = started.elapsed().as_secs_f64();
            let same = evals.iter().zip(&maintained).filter(|(a, b)| same_figure(a, b)).count();
            lines.push(format!(
                "  {name}: {} evaluations in {s:.3} s; {same} of {} figures identical to the maintained ones; ratio to the best run = {:.1}×",
                evals.len(),
                maintained.len(),
                s / best.max(1e-9)
            ));
        }
    }
    Ok(lines.join("\n"))
}

/// Units of the scope: province, district and commune levels valid on the period's last day.
fn scope(units: &UnitIndex, period: &Period, within: Option<&str>) -> anyhow::Result<Vec<Unit>> {
    let root = match within {
        Some(code) => Some(
            units
                .resolve_for(code, period.from, period.to)
                .map(|u| u.id)
                .ok_or_else(|| anyhow::anyhow!("không có đơn vị «{code}» (no unit «{code}»)"))?,
        ),
        None => None,
    };
    let day = if root.is_some_and(|r| units.get(r).is_some_and(|u| !u.valid_on(period.to))) { period.from } else { period.to };
    let mut scope = Vec::new();
    for level in [Level::Province, Level::District, Level::Commune] {
        let ids: Vec<i64> = match root {
            Some(r) => units.within(r, level),
            None => units.codes_at(level, day).iter().filter_map(|c| units.resolve(c, day)).map(|u| u.id).collect(),
        };
        scope.extend(ids.into_iter().filter_map(|id| units.get(id).cloned()).filter(|u| u.valid_on(day)));
    }
    Ok(scope)
}

/// What every run evaluates: every target of every plan for every unit of the
/// scope. Territories are kept from one run to the next, as the server keeps
/// them between requests (they depend on the unit lists alone).
struct Work<'a> {
    units: &'a UnitIndex,
    plans: &'a [PlanView],
    scope: &'a [Unit],
    period: &'a Period,
    as_of: chrono::NaiveDate,
    territories: SharedTerritories,
}

impl Work<'_> {
    /// Every figure, and the seconds spent reading facts ahead. With
    /// `per_unit`, each unit gets its own engine reading only its territory's
    /// facts, as a page for that unit would (they are read as they are met);
    /// otherwise one engine reads the country's facts once.
    async fn evaluate_all(&self, store: &Store, per_unit: bool) -> anyhow::Result<(Vec<Evaluation>, f64)> {
        let mut shared = Engine::new(store, self.units).sharing_territories(self.territories.clone());
        // Room for one evaluation per unit and target (yearly targets may add one per year).
        let mut out = Vec::with_capacity(self.scope.len() * self.plans.iter().map(|p| p.targets.len()).sum::<usize>());
        let mut reading = 0.0;
        // One unit of each level shows the shared engine which facts to read ahead, all at once.
        let samples = pcmd_engine::one_of_each_level(self.scope);
        let plans: Vec<_> = self.plans.iter().map(PlanView::typed_targets).collect();
        if !per_unit {
            // Every plan's facts at once: reads of different plans run side by side.
            let t = Instant::now();
            shared.prefetch(&plans.concat(), &samples, self.period, self.as_of).await?;
            reading += t.elapsed().as_secs_f64();
        }
        for targets in &plans {
            for unit in self.scope {
                let mut own = per_unit.then(|| Engine::within(store, self.units, &[unit]).sharing_territories(self.territories.clone()));
                let engine = own.as_mut().unwrap_or(&mut shared);
                out.extend(engine.evaluate_plan(targets, unit, self.period, self.as_of).await?);
            }
        }
        Ok((out, reading))
    }
}

fn statuses(evals: &[Evaluation]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for e in evals {
        *out.entry(e.status.as_str()).or_default() += 1;
    }
    out
}

fn same_figure(a: &Evaluation, b: &Evaluation) -> bool {
    a.target == b.target
        && a.unit_code == b.unit_code
        && a.value == b.value
        && a.numerator == b.numerator
        && a.denominator == b.denominator
        && a.status == b.status
        && a.parts == b.parts
}
