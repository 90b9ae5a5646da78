//! `pcmd plans draft FILE`: a plan drafted from its text (.docx, .pdf, .txt).

use pcmd_domain::plan::draft::{draft, to_toml, Draft, KnownAgency};
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

/// Drafts from a document's bytes: the covered unit found by name, then the
/// province's agencies recognised in the tasks.
pub async fn draft_document(store: &Store, bytes: &[u8]) -> anyhow::Result<Draft> {
    let text = pcmd_report::read::document_text(bytes)?;
    let mut d = draft(&text, &[]);
    let units = store.unit_index().await?;
    if let Some(id) = d.find_unit(&units) {
        let known: Vec<KnownAgency> =
            store.agencies(Some(id)).await?.into_iter().map(|a| KnownAgency { code: a.code, name: a.name, short_name: a.short_name }).collect();
        let code = d.unit_code.clone();
        d = draft(&text, &known);
        d.unit_code = code;
    }
    Ok(d)
}

pub async fn run(store: &Store, file: &Path, format: DraftFormat, out: Option<&Path>) -> anyhow::Result<String> {
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("không đọc được {} (cannot read it): {e}", file.display()))?;
    let d = draft_document(store, &bytes).await?;
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
