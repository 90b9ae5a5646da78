//! `pcmd bench …`: figures for the benchmarks kept in the repository. Prints
//! measurements; never judges them. `scripts/bench-national` runs them all on
//! the `--scale national` data with the HTTP load and the import.

mod evaluate;
mod freshness;

use super::demo::parse_date;
use chrono::NaiveDate;
use pcmd_store::Store;

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
        /// Also run once the naive ways — plain SQL aggregates over the record
        /// tables, no maintained aggregate — compare every figure and print the
        /// ratio. `--baseline batched` runs only the country-at-once way (the
        /// unit-after-unit one takes minutes on PostgreSQL's national data).
        #[arg(long, num_args = 0..=1, default_missing_value = "all", value_parser = ["all", "batched"])]
        baseline: Option<String>,
    },
    /// Save one awareness activity and read the plan's figures again, as the
    /// dashboard does, several times: how long until a saved record is seen.
    /// The activities written are removed at the end.
    Freshness {
        /// The plan (key or number).
        #[arg(long)]
        plan: String,
        #[arg(long, default_value = "2025")]
        period: String,
        #[arg(long, default_value_t = 20)]
        runs: u32,
    },
}

pub async fn run(store: &Store, cmd: BenchCommand) -> anyhow::Result<String> {
    match cmd {
        BenchCommand::Evaluate { period, within, as_of, runs, baseline } => {
            evaluate::run(store, &period, within.as_deref(), as_of, runs, baseline.as_deref()).await
        }
        BenchCommand::Freshness { plan, period, runs } => freshness::run(store, &plan, &period, runs).await,
    }
}

/// Median and largest of some durations in milliseconds.
fn median_max(ms: &mut [f64]) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let median = ms.get(ms.len() / 2).copied().unwrap_or(0.0);
    (median, ms.last().copied().unwrap_or(0.0))
}
