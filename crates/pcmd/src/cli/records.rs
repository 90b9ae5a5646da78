//! `pcmd template KIND` and `pcmd import KIND FILE`.

use crate::embedded;
use crate::import::{import_file, write_template, RecordKind, TemplateFormat};
use pcmd_store::Store;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct TemplateArgs {
    /// establishment, activity, publication, inspection, tip, case_summary,
    /// district_plan, pilot_model, support_case, training, reference_figure.
    pub kind: RecordKind,
    #[arg(long, value_enum, default_value = "xlsx")]
    pub format: TemplateFormat,
    /// Where to write (KIND.xlsx or KIND.csv by default).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    pub kind: RecordKind,
    /// A .csv (UTF-8) or .xlsx file made from `pcmd template`.
    pub file: PathBuf,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn template(args: TemplateArgs) -> anyhow::Result<String> {
    let ext = match args.format {
        TemplateFormat::Csv => "csv",
        TemplateFormat::Xlsx => "xlsx",
    };
    let out = args.out.unwrap_or_else(|| PathBuf::from(format!("{}.{ext}", args.kind)));
    write_template(args.kind, args.format, &out)?;
    Ok(format!("Đã ghi mẫu {} vào {} (template written)", args.kind.label_vi(), out.display()))
}

pub async fn import(store: &Store, args: ImportArgs, key_file: &std::path::Path) -> anyhow::Result<String> {
    let rules = embedded::deadline_rules()?;
    // Without a key file, rows holding personal data are refused one by one.
    let sealer = if key_file.exists() { Some(std::sync::Arc::new(pcmd_store::Sealer::from_file(key_file)?)) } else { None };
    let report = import_file(store, &rules, args.kind, &args.file, args.dry_run, None, sealer).await?;
    Ok(if report.dry_run {
        format!("Kiểm tra xong {} dòng, không có lỗi; chưa ghi gì (dry run: {} rows checked, nothing written)", report.rows, report.rows)
    } else {
        format!("Đã nhập {} dòng {} (imported {} rows)", report.rows, args.kind.label_vi(), report.rows)
    })
}
