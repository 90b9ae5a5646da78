#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)] // test code: a panic is a failed test
//! The contract suite: the same tests on SQLite and, when PCMD_TEST_DATABASE_URL
//! is set, on PostgreSQL (see helpers.rs). One binary, to link once.

mod accounts_admin;
mod aggregates;
mod api_more;
mod api_records;
mod audit;
mod backup;
mod behind_figures;
mod browser_import;
mod cache;
mod consistency;
mod demo_targets;
mod dhis2;
mod engine;
mod fuzz;
mod helpers;
mod import;
mod loading;
mod matrix;
mod matrix_reports;
mod nodes;
mod pages;
mod personal_data;
mod plan_drafts;
mod plans;
mod portal;
mod privacy;
mod property;
mod referrals;
mod reminders;
mod report;
mod reported_targets;
mod robustness;
mod schema;
mod serving;
mod tip_clocks;
mod unit_changes;
mod units;
mod web;
mod workflow;

use clap::Parser;
use helpers::TestDb;
use pcmd::cli::{run, Cli};

/// Runs a pcmd command line against the test database and returns its output.
pub async fn pcmd(db: &TestDb, args: &[&str]) -> anyhow::Result<String> {
    let key = db.key_file.to_string_lossy().to_string();
    let mut argv = vec!["pcmd", "--database", db.url.as_str(), "--key-file", key.as_str()];
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv)?).await
}

/// Runs a pcmd command line against the test database with the arguments as given
/// (no key file added), for commands that must fail without one.
pub async fn run_cli(db: &TestDb, args: &[&str]) -> anyhow::Result<String> {
    let mut argv = vec!["pcmd", "--database", db.url.as_str()];
    argv.extend_from_slice(args);
    run(Cli::try_parse_from(argv)?).await
}

/// Loads the demo data into the test database.
pub async fn demo(db: &TestDb) {
    pcmd(db, &["demo"]).await.unwrap_or_else(|e| panic!("demo on {}: {e:#}", db.name));
}

/// Runs a command expected to print JSON and parses it.
pub async fn pcmd_json(db: &TestDb, args: &[&str]) -> serde_json::Value {
    let out = pcmd(db, args).await.unwrap_or_else(|e| panic!("{args:?} on {}: {e:#}", db.name));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {out}"))
}
