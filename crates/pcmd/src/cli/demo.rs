//! `pcmd demo`: the unit lists, the agencies and the two seed plans.

use crate::load::{directory_of, embedded_sources, unit_catalog, validate_files, write_bundle, Bundle};
use crate::{embedded, synthetic};
use chrono::NaiveDate;
use pcmd_domain::units::DEFAULT_OLD_STRUCTURE_START;
use pcmd_store::records::save_deadline_rules;
use pcmd_store::{dataset_hash, record_dataset, SaveOutcome, Sealer, Store};
use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Scale {
    /// Sóc Trăng 2024–2025 and Lai Châu 2022.
    #[default]
    Province,
    /// Also every province and commune of the country in 2025, at benchmark size
    /// (≈200,000 establishments, 3,000,000 activities, 1,000,000 inspections, 500,000 tips).
    National,
    /// The national data at a twentieth of that size, for a quick check.
    NationalLite,
}

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[arg(long, value_enum, default_value_t)]
    pub scale: Scale,
    /// First day the 30 June 2025 unit list is taken as valid (the lists do not
    /// hold the smaller mergers of 2019–2025).
    #[arg(long, default_value_t = DEFAULT_OLD_STRUCTURE_START, value_parser = parse_date)]
    pub units_from: NaiveDate,
}

impl Default for DemoArgs {
    fn default() -> Self {
        DemoArgs { scale: Scale::Province, units_from: DEFAULT_OLD_STRUCTURE_START }
    }
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    pcmd_domain::date::parse(s).map_err(|m| m.to_string())
}

/// The sealer of the key file, created first if it does not exist.
pub fn sealer_creating(key_file: &std::path::Path) -> anyhow::Result<(std::sync::Arc<Sealer>, bool)> {
    let created = !key_file.exists();
    if created {
        Sealer::create_file(key_file)?;
        // Its erasure register starts with it: kept, copied and restored beside it.
        pcmd_store::erasures::create_register(&pcmd_store::erasures::register_beside(key_file))?;
    }
    Ok((std::sync::Arc::new(Sealer::from_file(key_file)?), created))
}

pub async fn run(store: &Store, args: DemoArgs, key_file: &std::path::Path) -> anyhow::Result<String> {
    let started = Instant::now();
    let (sealer, created) = sealer_creating(key_file)?;
    let anchored = store.with_audit_key(sealer.audit_key());
    let store = &anchored;
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
    if created {
        out.push(format!("  khóa mã hóa dữ liệu cá nhân: tạo mới {} — giữ riêng, sao lưu riêng (encryption key created; keep and back it up apart from the database)", key_file.display()));
    }
    out.push(synthetic_data(store, &sealer).await?);
    if let Some(accounts) = super::web::demo_accounts(store, &sealer).await? {
        out.push(accounts);
    }
    if args.scale != Scale::Province {
        out.push(national_data(store, args.scale, &sealer).await?);
    }
    out.push(format!("  thời gian (time): {:.2} s", started.elapsed().as_secs_f64()));
    Ok(out.join("\n"))
}

/// The name and version of the synthetic data set; a new version is a new data set.
const SYNTHETIC: (&str, &str) = ("synthetic-demo", "v1");

/// Writes the legal deadline rules, then the synthetic records of both
/// scenarios once, in one transaction.
async fn synthetic_data(store: &Store, sealer: &std::sync::Arc<Sealer>) -> anyhow::Result<String> {
    let rules = embedded::deadline_rules()?;
    let units = store.unit_index().await?;
    let mut tx = store.begin().await?;
    save_deadline_rules(&mut tx, &rules).await?;
    if dataset_hash(&mut tx, SYNTHETIC.0).await?.is_some() {
        tx.commit().await?;
        return Ok("  dữ liệu mẫu tổng hợp: đã có, không thay đổi (synthetic records unchanged)".into());
    }
    let mut lines = Vec::new();
    for (name, scenario) in [("Sóc Trăng 2024–2025", synthetic::soc_trang()), ("Lai Châu 2022", synthetic::lai_chau())] {
        let w = synthetic::generate(&mut tx, &units, &rules, &scenario, sealer).await?;
        lines.push(format!(
            "  dữ liệu mẫu {name} (synthetic): {} cơ sở, {} hoạt động, {} tin bài, {} lượt kiểm tra, {} tin báo, {} hồ sơ hỗ trợ, {} lớp tập huấn",
            w.establishments, w.activities, w.publications, w.inspections, w.tips, w.support_cases, w.trainings
        ));
    }
    record_dataset(&mut tx, SYNTHETIC.0, SYNTHETIC.1).await?;
    tx.commit().await?;
    Ok(lines.join("\n"))
}

async fn national_data(store: &Store, scale: Scale, sealer: &std::sync::Arc<Sealer>) -> anyhow::Result<String> {
    use synthetic::NationalScale;
    let rules = embedded::deadline_rules()?;
    let units = store.unit_index().await?;
    let full = NationalScale::FULL;
    let size = match scale {
        Scale::NationalLite => NationalScale {
            establishments: (full.establishments.0 / 20, full.establishments.1 / 20),
            activities: (full.activities.0 / 20, full.activities.1 / 20),
            inspections_per_establishment: full.inspections_per_establishment,
            tips: (full.tips.0 / 20, full.tips.1 / 20),
            support_cases: (full.support_cases.0 / 20, full.support_cases.1 / 20),
        },
        _ => full,
    };
    let started = Instant::now();
    let w = synthetic::generate_national(store, &units, &rules, size, sealer, &|line| eprintln!("{line}")).await?;
    Ok(format!(
        "  dữ liệu mẫu toàn quốc 2025 (synthetic, national): {} cơ sở, {} hoạt động, {} lượt kiểm tra, {} tin báo, {} hồ sơ hỗ trợ ({:.1} s)",
        w.establishments,
        w.activities,
        w.inspections,
        w.tips,
        w.support_cases,
        started.elapsed().as_secs_f64()
    ))
}
