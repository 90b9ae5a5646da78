//! Loading reference data — unit lists, agency files, plan files — checked in
//! full before anything is written, then written in one transaction.

use crate::embedded::{self, DataFile};
use anyhow::{bail, Context};
use chrono::NaiveDate;
use pcmd_domain::agency::{validate_agencies, Agency, AgencyFile, Lead};
use pcmd_domain::plan::{validate_plan, MemoryDirectory, Plan, PlanFile};
use pcmd_domain::units::{parse_catalog, Catalog};
use pcmd_domain::{FileError, FileErrors, SourceFile};
use pcmd_store::{content_hash, SaveOutcome, Store};
use std::path::{Path, PathBuf};

/// Everything to load, already validated.
pub struct Bundle {
    pub units: Option<(Catalog, String)>,
    pub agencies: Vec<Agency>,
    pub leads: Vec<Lead>,
    pub plans: Vec<Plan>,
}

/// Agencies, leads and plans that passed validation.
pub type Validated = (Vec<Agency>, Vec<Lead>, Vec<Plan>);

/// What a load changed.
#[derive(Debug, Default, serde::Serialize)]
pub struct LoadReport {
    pub units_loaded: bool,
    pub units: usize,
    pub successions: usize,
    pub agency_rows_written: u64,
    pub plans: Vec<(String, SaveOutcome)>,
}

/// Reads the embedded unit lists; the hash covers the files and the start date.
pub fn unit_catalog(old_start: NaiveDate) -> anyhow::Result<(Catalog, String)> {
    let catalog = parse_catalog(embedded::UNITS_OLD.text, embedded::UNITS_NEW.text, embedded::UNIT_SUCCESSORS.text, old_start)?;
    let start = old_start.to_string();
    let hash = content_hash(&[
        embedded::UNITS_OLD.text.as_bytes(),
        embedded::UNITS_NEW.text.as_bytes(),
        embedded::UNIT_SUCCESSORS.text.as_bytes(),
        start.as_bytes(),
    ]);
    Ok((catalog, hash))
}

pub fn directory_of(catalog: &Catalog) -> MemoryDirectory {
    let mut dir = MemoryDirectory::default();
    for u in &catalog.units {
        dir.add_unit(&u.code, u.level, u.valid_from, u.valid_to);
    }
    dir
}

/// Parses and validates agency and plan files against `dir`, which grows with
/// what the files declare. Every fault of every file is reported together.
/// A plan comes with the text of its `text_file`, where it has one.
pub fn validate_files(
    dir: &mut MemoryDirectory,
    agency_files: &[SourceFile<'_>],
    plan_files: &[(SourceFile<'_>, Option<&str>)],
) -> Result<Validated, FileErrors> {
    let mut errors: Vec<FileError> = Vec::new();
    let (mut agencies, mut leads, mut plans) = (Vec::new(), Vec::new(), Vec::new());
    for src in agency_files {
        let parsed = match AgencyFile::parse(*src) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        for a in &parsed.agencies {
            dir.add_agency(&a.get_ref().code);
        }
        match validate_agencies(*src, &parsed, dir) {
            Ok((a, l)) => {
                agencies.extend(a);
                leads.extend(l);
            }
            Err(e) => errors.extend(e),
        }
    }
    for (src, original) in plan_files {
        let parsed = match PlanFile::parse(*src) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        match validate_plan(*src, &parsed, *original, dir) {
            Ok(plan) => {
                dir.add_plan(&plan.number, &plan.key);
                plans.push(plan);
            }
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok((agencies, leads, plans))
    } else {
        Err(FileErrors(errors))
    }
}

/// The embedded demo files, as sources.
pub fn embedded_sources() -> (Vec<SourceFile<'static>>, Vec<(SourceFile<'static>, Option<&'static str>)>) {
    let src = |f: &DataFile| SourceFile { name: f.name, text: f.text };
    let agencies = embedded::AGENCIES.iter().map(src).collect();
    let plans = embedded::PLANS.iter().map(|(f, t)| (src(f), t.map(|t| t.text))).collect();
    (agencies, plans)
}

/// Writes a bundle in one transaction: all of it, or nothing.
pub async fn write_bundle(store: &Store, bundle: &Bundle) -> anyhow::Result<LoadReport> {
    let mut report = LoadReport::default();
    let mut tx = store.begin().await?;
    if let Some((catalog, hash)) = &bundle.units {
        report.units_loaded = pcmd_store::import_units(&mut tx, catalog, hash).await?;
        report.units = catalog.units.len();
        report.successions = catalog.successors.len();
    }
    report.agency_rows_written = pcmd_store::save_agencies(&mut tx, &bundle.agencies, &bundle.leads).await?;
    for plan in &bundle.plans {
        let outcome = pcmd_store::save_plan(&mut tx, plan, pcmd_store::Saver::FILE)
            .await
            .with_context(|| format!("kế hoạch {} (plan {})", plan.key, plan.key))?;
        report.plans.push((plan.key.clone(), outcome));
    }
    let detail = format!(
        "units loaded: {}; agency rows written: {}; plans: {}",
        report.units_loaded,
        report.agency_rows_written,
        report.plans.iter().map(|(k, o)| format!("{k} {o:?}")).collect::<Vec<_>>().join(", ")
    );
    pcmd_store::audit::append(
        &mut tx,
        &pcmd_store::audit::AuditEntry { actor: "pcmd", action: "load_reference_data", subject: "plans, agencies, units", detail: &detail },
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

/// Loads agency and plan files from disk into a store that already holds the
/// unit lists. A plan's `text_file` is read from beside it.
pub async fn load_files(store: &Store, agency_paths: &[PathBuf], plan_paths: &[PathBuf]) -> anyhow::Result<LoadReport> {
    let read = |p: &Path| std::fs::read_to_string(p).with_context(|| format!("không đọc được tệp {} (cannot read the file)", p.display()));
    let agency_texts: Vec<(String, String)> = agency_paths.iter().map(|p| Ok((p.display().to_string(), read(p)?))).collect::<anyhow::Result<_>>()?;
    let mut plan_texts: Vec<(String, String, Option<String>)> = Vec::new();
    for p in plan_paths {
        let text = read(p)?;
        let name = p.display().to_string();
        // The original text is optional; a malformed file is reported by validation below.
        let text_file = PlanFile::parse(SourceFile { name: &name, text: &text }).ok().and_then(|f| f.plan.text_file);
        let original = match text_file {
            Some(t) => Some(read(&p.parent().unwrap_or_else(|| Path::new(".")).join(t))?),
            None => None,
        };
        plan_texts.push((name, text, original));
    }
    let agency_sources: Vec<SourceFile<'_>> = agency_texts.iter().map(|(n, t)| SourceFile { name: n, text: t }).collect();
    let plan_sources: Vec<(SourceFile<'_>, Option<&str>)> =
        plan_texts.iter().map(|(n, t, o)| (SourceFile { name: n, text: t }, o.as_deref())).collect();
    let mut dir = store.directory().await?;
    if dir.is_empty_of_units() {
        bail!("chưa có danh mục đơn vị hành chính: chạy `pcmd demo` trước (the unit lists are not loaded: run `pcmd demo` first)");
    }
    let (agencies, leads, plans) = validate_files(&mut dir, &agency_sources, &plan_sources)?;
    write_bundle(store, &Bundle { units: None, agencies, leads, plans }).await
}
