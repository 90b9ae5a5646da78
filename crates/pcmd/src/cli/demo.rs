//! `pcmd demo`: the unit lists, the agencies and the two seed plans.

use crate::load::{directory_of, embedded_sources, unit_catalog, validate_files, write_bundle, Bundle};
use chrono::NaiveDate;
use pcmd_domain::units::DEFAULT_OLD_STRUCTURE_START;
use pcmd_store::{SaveOutcome, Store};
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// First day the 30 June 2025 unit list is taken as valid (the lists do not
    /// hold the smaller mergers of 2019–2025).
    #[arg(long, default_value_t = DEFAULT_OLD_STRUCTURE_START, value_parser = parse_date)]
    pub units_from: NaiveDate,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    pcmd_domain::date::parse(s)
}

pub async fn run(store: &Store, args: DemoArgs) -> anyhow::Result<String> {
    let started = Instant::now();
    store.migrate().await?;
    let (catalog, hash) = unit_catalog(args.units_from)?;
    let mut dir = directory_of(&catalog);
    let (agency_sources, plan_sources) = embedded_sources();
    let (agencies, leads, plans) = validate_files(&mut dir, &agency_sources, &plan_sources)?;
    let report = write_bundle(store, &Bundle { units: Some((catalog, hash)), agencies, leads, plans }).await?;
    let mut out = vec![format!("Dữ liệu mẫu (demo data) — {}:", store.backend().name())];
    out.push(if report.units_loaded {
        format!("  đơn vị hành chính: nạp {} đơn vị, {} liên kết sáp nhập (units loaded)", report.units, report.successions)
    } else {
        "  đơn vị hành chính: đã có, không thay đổi (units unchanged)".to_string()
    });
    out.push(format!("  cơ quan: {} dòng ghi mới hoặc cập nhật (agency rows written)", report.agency_rows_written));
    for (key, outcome) in &report.plans {
        let what = match outcome {
            SaveOutcome::Inserted => "nạp mới (inserted)",
            SaveOutcome::Unchanged => "không thay đổi (unchanged)",
            SaveOutcome::Replaced => "cập nhật (replaced)",
        };
        out.push(format!("  kế hoạch {key}: {what}"));
    }
    out.push(format!("  thời gian (time): {:.2} s", started.elapsed().as_secs_f64()));
    Ok(out.join("\n"))
}
