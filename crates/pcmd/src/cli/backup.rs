//! `pcmd backup FILE` and `pcmd restore FILE`.

use pcmd_store::Store;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

fn total(counts: &[(String, u64)]) -> u64 {
    counts.iter().map(|c| c.1).sum()
}

/// Writes the backup next to `out` and renames it into place when complete, so a
/// failed backup never leaves a half-written file under the name asked for.
pub async fn backup(store: &Store, out: &Path) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let partial = out.with_extension("partial");
    let file = pcmd_store::private_file::create(&partial).map_err(|e| anyhow::anyhow!("không tạo được {} ({e})", partial.display()))?;
    let mut w = BufWriter::new(file);
    let counts = match store.backup(&mut w).await {
        Ok(c) => c,
        Err(e) => {
            drop(w);
            let _ = std::fs::remove_file(&partial);
            return Err(e.into());
        }
    };
    w.flush()?;
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?.sync_all()?;
    std::fs::rename(&partial, out)?;
    Ok(format!(
        "Đã sao lưu {} dòng của {} bảng vào {} trong {:.2} s (backed up {} rows)",
        total(&counts),
        counts.len(),
        out.display(),
        started.elapsed().as_secs_f64(),
        total(&counts)
    ))
}

/// Migrates the (empty) database, loads the backup, and checks the audit chain it brought.
pub async fn restore(store: &Store, input: &Path) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    store.migrate().await?;
    let file = std::fs::File::open(input).map_err(|e| anyhow::anyhow!("không mở được {} ({e})", input.display()))?;
    let counts = store.restore(BufReader::new(file)).await?;
    let check = store.verify_audit(None).await?;
    Ok(format!(
        "Đã khôi phục {} dòng của {} bảng từ {} trong {:.2} s; nhật ký: {:?} (restored {} rows)",
        total(&counts),
        counts.len(),
        input.display(),
        started.elapsed().as_secs_f64(),
        check,
        total(&counts)
    ))
}
