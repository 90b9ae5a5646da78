//! `pcmd privacy`: personal data under Law 91/2025/QH15 — the retention sweep
//! (`sweep`, also daily inside `serve`), what is about to go (`due`), and
//! everything held about one supported person (`export`). What each kind of
//! data is for, its basis and retention are in data/privacy/processing.toml.

use super::demo::parse_date;
use crate::embedded::PRIVACY;
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::policy::privacy::ProcessingFile;
use pcmd_domain::source::SourceFile;
use pcmd_store::{Sealer, Store};
use std::path::Path;

#[derive(Debug, clap::Subcommand)]
pub enum PrivacyCommand {
    /// Anonymise the personal data of closed records past their retention period (identities of support cases, contents of tips).
    Sweep {
        /// The day of the sweep (today by default).
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
        /// Say what would be anonymised, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The records whose personal data will be anonymised within the warning days (processing.toml: warn_days).
    Due {
        #[arg(long, value_parser = parse_date)]
        today: Option<NaiveDate>,
        #[arg(long)]
        within_days: Option<u32>,
    },
    /// The processing impact assessment (Form 10, Decree 356/2025/NĐ-CP) from the system's configuration, to complete and keep or file.
    Report {
        #[arg(long, value_enum, default_value = "md")]
        format: AssessmentFormat,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Everything held about the person of a support case, as JSON (audited as a read of personal data).
    Export {
        /// The case's code.
        #[arg(long)]
        case: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum AssessmentFormat {
    Md,
    Docx,
}

/// The statement of processing carried in the binary.
pub fn rules() -> anyhow::Result<ProcessingFile> {
    ProcessingFile::parse(SourceFile { name: PRIVACY.name, text: PRIVACY.text }).map_err(|e| anyhow::anyhow!("{}: {} ({})", e.file, e.vi, e.en))
}

fn today(day: Option<NaiveDate>) -> NaiveDate {
    day.unwrap_or_else(pcmd_domain::date::today_vn)
}

/// What `due` prints, and what `serve` logs each day.
pub async fn due_text(store: &Store, rules: &ProcessingFile, today: NaiveDate, within: u32) -> anyhow::Result<String> {
    let until = today + chrono::Days::new(u64::from(within));
    let list = store.expiring(rules, until).await?;
    if list.is_empty() {
        return Ok(format!("Không có dữ liệu cá nhân nào đến hạn ẩn danh đến ngày {} (nothing due by then).", format_vn(until)));
    }
    let mut out = vec![format!("{} hồ sơ sẽ được ẩn danh dữ liệu cá nhân đến ngày {} ({} records due):", list.len(), format_vn(until), list.len())];
    for e in &list {
        let what = if e.table == "support_case" { "hồ sơ hỗ trợ" } else { "tin tố giác" };
        out.push(format!("  {what} số {}: kết thúc {}, lưu đến hết ngày {}", e.id, format_vn(e.closed_on), format_vn(e.kept_until)));
    }
    Ok(out.join("\n"))
}

/// `register_named`: the erasure register was named (`--erasure-register`), not found beside the key.
pub async fn run(store: &Store, cmd: PrivacyCommand, key_file: &Path, register_named: bool) -> anyhow::Result<String> {
    let rules = rules()?;
    match cmd {
        PrivacyCommand::Sweep { today: day, dry_run } => {
            // An erasure is written to the register first: without the key beside which it is kept
            // (or one named), a register would be started wherever the command runs, and lost.
            if !dry_run && !key_file.exists() && !register_named {
                anyhow::bail!(
                    "không thấy tệp khóa {}: sổ ghi xóa dữ liệu được giữ cạnh tệp khóa; chạy lại với --key-file (hoặc --erasure-register). \
                     Chưa xóa gì. (No key file {}: the erasure register is kept beside it; give --key-file or --erasure-register. Nothing erased.)",
                    key_file.display(),
                    key_file.display()
                );
            }
            let s = store.privacy_sweep(&rules, today(day), "pcmd privacy sweep", dry_run).await?;
            let verb = if dry_run { "Sẽ ẩn danh (would anonymise)" } else { "Đã ẩn danh (anonymised)" };
            let missing = match store.erasure_register() {
                Some(path) if !dry_run && !path.exists() && s.support_cases.is_empty() && s.tips.is_empty() => format!(
                    "; cảnh báo: chưa có sổ ghi xóa dữ liệu {}: nếu hệ thống đã từng xóa dữ liệu cá nhân, hãy đặt sổ vào đó (warning: no erasure register)",
                    path.display()
                ),
                _ => String::new(),
            };
            let mut again = if s.reapplied > 0 {
                let verb = if dry_run { "sẽ xóa lại" } else { "xóa lại" };
                format!("; {verb} {} hồ sơ có dữ liệu trở lại từ bản sao lưu cũ theo sổ ghi xóa ({} by the register)", s.reapplied, s.reapplied)
            } else {
                String::new()
            };
            if !s.damaged.is_empty() {
                let lines = s.damaged.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
                again.push_str(&format!("; bỏ qua dòng hỏng của sổ ghi xóa: {lines} (damaged register lines passed over)"));
            }
            Ok(format!("{verb}: {} hồ sơ hỗ trợ (support cases), {} tin tố giác (tips){again}{missing}", s.support_cases.len(), s.tips.len()))
        }
        PrivacyCommand::Due { today: day, within_days } => due_text(store, &rules, today(day), within_days.unwrap_or(rules.warn_days)).await,
        PrivacyCommand::Report { format, out } => {
            let blocks = super::assessment::blocks(&rules, &store.holdings().await?, today(None));
            let bytes = match format {
                AssessmentFormat::Md => super::assessment::markdown(&blocks).into_bytes(),
                AssessmentFormat::Docx => pcmd_report::docx::write_plain("Báo cáo đánh giá tác động xử lý dữ liệu cá nhân", &blocks)?,
            };
            std::fs::write(&out, bytes)?;
            Ok(format!("{}: báo cáo đánh giá tác động xử lý dữ liệu cá nhân (impact assessment)", out.display()))
        }
        PrivacyCommand::Export { case, out } => {
            let sealer = Sealer::from_file(key_file)?;
            let id = store.support_case_id(&case).await?;
            let json = store.person_export(id, &sealer, "pcmd privacy export").await?;
            // Owner-only: it holds a person's identity.
            let mut f = pcmd_store::private_file::create(&out)?;
            std::io::Write::write_all(&mut f, serde_json::to_string_pretty(&json)?.as_bytes())?;
            Ok(format!("{}: mọi dữ liệu về người của hồ sơ {case} (everything held; the read is audited)", out.display()))
        }
    }
}
