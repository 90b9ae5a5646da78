//! `pcmd report`: a unit's report for a plan and period as DOCX, XLSX or CSV.

use super::demo::parse_date;
use super::targets::CutoffArg;
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::UnitIndex;
use pcmd_store::Store;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ReportFormat {
    Docx,
    Xlsx,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The plan: number (117/NQ-HĐND) or key.
    #[arg(long)]
    plan: String,
    /// The reporting unit's code (the plan's own unit by default).
    #[arg(long)]
    unit: Option<String>,
    /// 2025 (calendar year), 2025-H1 / 2025-H2 (Decree 09 cut-offs by default), a year with `--cutoff decree09` … or a day range.
    #[arg(long)]
    period: String,
    #[arg(long, value_enum, default_value_t)]
    cutoff: CutoffArg,
    /// Count what was recorded up to this day (the period's last day by default).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<NaiveDate>,
    /// The report's date (dd/mm/yyyy): the day it was submitted when it was, else today.
    #[arg(long, value_parser = parse_date)]
    issued_on: Option<NaiveDate>,
    #[arg(long, value_enum)]
    format: ReportFormat,
    #[arg(long)]
    out: std::path::PathBuf,
}

/// The day in Vietnam of a stored instant (`2025-01-10T08:00:00Z`).
pub fn submitted_day(at: Option<&str>) -> Option<NaiveDate> {
    at.and_then(pcmd_domain::date::day_of_instant_vn)
}

pub async fn run(store: &Store, units: &UnitIndex, a: ReportArgs) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let cutoff = match a.cutoff {
        CutoffArg::Decree09 => Cutoff::Decree09,
        CutoffArg::Calendar => Cutoff::Calendar,
    };
    let period = Period::parse(&a.period, cutoff).map_err(|e| anyhow::anyhow!(e))?;
    let plan = store.plan(&a.plan).await?;
    let as_of = a.as_of.unwrap_or_else(|| pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()));
    let unit = match &a.unit {
        Some(code) => units.resolve_as_of(code, &period, as_of).cloned(),
        None => store.plan_unit(&plan.summary.key).await?.and_then(|id| units.get(id).cloned()),
    }
    .ok_or_else(|| anyhow::anyhow!("không có đơn vị cho kỳ này; dùng --unit (no unit for this period; use --unit)"))?;
    // The narrative and status of the unit's report for the period, when one was written.
    let stored = store
        .reports(Some(&plan.summary.key))
        .await?
        .into_iter()
        .find(|r| r.agency.is_none() && r.unit_id == unit.id && r.period.from == period.from && r.period.to == period.to);
    let req = pcmd_report::Request {
        plan: &plan.summary.key,
        unit: &unit,
        period: &period,
        as_of,
        issued_on: a
            .issued_on
            .or_else(|| stored.as_ref().and_then(|r| submitted_day(r.submitted_at.as_deref())))
            .unwrap_or_else(pcmd_domain::date::today_vn),
        narrative: stored.as_ref().map(|r| r.narrative.clone()).unwrap_or_default(),
        status: stored.as_ref().map(|r| r.status),
        reader: None,
    };
    let report = pcmd_report::build(store, units, req).await?;
    let format = match a.format {
        ReportFormat::Docx => pcmd_report::Format::Docx,
        ReportFormat::Xlsx => pcmd_report::Format::Xlsx,
        ReportFormat::Csv => pcmd_report::Format::Csv,
    };
    let bytes = pcmd_report::write(&report, format)?;
    std::fs::write(&a.out, &bytes).map_err(|e| anyhow::anyhow!("không ghi được {} ({e})", a.out.display()))?;
    Ok(format!("{}: {} byte, {} chỉ tiêu (targets), {:.3} s", a.out.display(), bytes.len(), report.targets.len(), started.elapsed().as_secs_f64()))
}
