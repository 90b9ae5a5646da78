//! `pcmd plans draft FILE`: a plan drafted from its text (.docx, .pdf, .txt).

use pcmd_domain::plan::draft::to_toml;
use pcmd_store::Store;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum DraftFormat {
    /// The fields of `plans show --format json`, with `unplaced`.
    #[default]
    Json,
    /// The shape of data/plans/*.toml, to correct and load.
    Toml,
}

pub async fn run(store: &Store, file: &Path, format: DraftFormat, out: Option<&Path>) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("không đọc được {} (cannot read it): {e}", file.display()))?;
    // The draft names units and agencies from the database: a new one is set up first (nothing else is written).
    store.migrate().await?;
    let (_, d) = pcmd_report::read::draft_document(store, &bytes).await?;
    let text = match format {
        DraftFormat::Json => serde_json::to_string_pretty(&d)?,
        DraftFormat::Toml => to_toml(&d),
    };
    match out {
        Some(path) => {
            std::fs::write(path, &text).map_err(|e| anyhow::anyhow!("không ghi được {} (cannot write it): {e}", path.display()))?;
            Ok(format!(
                "{}: {} chỉ tiêu (targets), {} nhiệm vụ (tasks), {} chế độ báo cáo (reporting duties), {} câu có số chưa xếp (unplaced) → {}",
                file.display(),
                d.targets.len(),
                d.tasks.len(),
                d.reporting.len(),
                d.unplaced.len(),
                path.display()
            ))
        }
        None => Ok(text),
    }
}
