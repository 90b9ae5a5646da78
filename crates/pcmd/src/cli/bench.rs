//! `pcmd bench …`: figures for the benchmarks kept in the repository. Prints
//! measurements; never judges them.

use super::demo::parse_date;
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::{Level, Unit};
use pcmd_engine::{Engine, Status};
use pcmd_store::Store;
use std::collections::BTreeMap;
use std::time::Instant;

#[derive(Debug, clap::Subcommand)]
pub enum BenchCommand {
    /// Evaluate every target of every plan that has targets, for every unit
    /// (province, district, commune) valid at the end of the period.
    Evaluate {
        #[arg(long, default_value = "2025")]
        period: String,
        /// Only the units inside this unit (its code at the end of the period, or else at its start).
        #[arg(long)]
        within: Option<String>,
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        /// Repeat the whole run this many times and report each.
        #[arg(long, default_value_t = 1)]
        runs: u32,
    },
}

pub async fn run(store: &Store, cmd: BenchCommand) -> anyhow::Result<String> {
    match cmd {
        BenchCommand::Evaluate { period, within, as_of, runs } => {
            let period = Period::parse(&period, Cutoff::Decree09).map_err(|e| anyhow::anyhow!(e))?;
            let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            let load = Instant::now();
            let units = store.unit_index().await?;
            let mut plans = Vec::new();
            for p in store.plans().await? {
                if p.target_count > 0 {
                    plans.push(store.plan(&p.key).await?);
                }
            }
            let load_s = load.elapsed().as_secs_f64();
            let root = match &within {
                Some(code) => Some(
                    units
                        .resolve(code, period.to)
                        .or_else(|| units.resolve(code, period.from))
                        .map(|u| u.id)
                        .ok_or_else(|| anyhow::anyhow!("no unit «{code}»"))?,
                ),
                None => None,
            };
            let day = if root.is_some_and(|r| units.get(r).is_some_and(|u| !u.valid_on(period.to))) { period.from } else { period.to };
            let mut scope: Vec<Unit> = Vec::new();
            for level in [Level::Province, Level::District, Level::Commune] {
                let ids: Vec<i64> = match root {
                    Some(r) => units.within(r, level),
                    None => units.codes_at(level, day).iter().filter_map(|c| units.resolve(c, day)).map(|u| u.id).collect(),
                };
                scope.extend(ids.into_iter().filter_map(|id| units.get(id).cloned()).filter(|u| u.valid_on(day)));
            }
            let mut lines = vec![format!(
                "bench evaluate: backend {}, period {}, {} plans, {} units (province + district + commune), reading units and plans {:.3} s",
                store.backend().name(),
                period,
                plans.len(),
                scope.len(),
                load_s
            )];
            for run in 1..=runs {
                let started = Instant::now();
                let mut engine = Engine::new(store, &units);
                let mut statuses: BTreeMap<&'static str, usize> = BTreeMap::new();
                let mut n = 0;
                for plan in &plans {
                    for unit in &scope {
                        for t in &plan.targets {
                            let e = engine.evaluate(t, unit, &period, as_of).await?;
                            *statuses.entry(status_key(e.status)).or_default() += 1;
                            n += 1;
                        }
                    }
                }
                let s = started.elapsed().as_secs_f64();
                lines.push(format!(
                    "  run {run}: {n} evaluations in {s:.3} s ({:.0} evaluations/s); statuses {:?}",
                    n as f64 / s.max(1e-9),
                    statuses
                ));
            }
            Ok(lines.join("\n"))
        }
    }
}

fn status_key(s: Status) -> &'static str {
    s.as_str()
}
