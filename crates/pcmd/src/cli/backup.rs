//! `pcmd backup FILE` and `pcmd restore FILE`.

use pcmd_store::audit::AuditEntry;
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
    // A backup is a read of every person's sealed data: who took it, when and where to is audited.
    // A role that may only read (a backup account) still gets its backup, with a warning.
    let detail = format!("{} dòng, {} bảng (rows, tables); người chạy: {}", total(&counts), counts.len(), operator());
    let audited = match store.audit(&AuditEntry { actor: "pcmd backup", action: "backup", subject: &absolute(out), detail: &detail }).await {
        Ok(()) => String::new(),
        Err(e) => format!("\ncảnh báo: không ghi được nhật ký cho lần sao lưu này (warning: the backup is not audited): {e}"),
    };
    Ok(format!(
        "Đã sao lưu {} dòng của {} bảng vào {} trong {:.2} s (backed up {} rows)",
        total(&counts),
        counts.len(),
        out.display(),
        started.elapsed().as_secs_f64(),
        total(&counts)
    ) + &audited)
}

/// Who runs a command, as the operating system says (for the audit of backups and restores).
fn operator() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "?".into())
}

/// The file as an absolute path, for the audit.
fn absolute(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Migrates the (empty) database, loads the backup, checks the audit chain it
/// brought, and erases again what the erasure register says was erased since
/// (and what is past its retention). The register is read and checked before
/// anything is loaded; without one the restore needs `--without-erasure-register`.
pub async fn restore(store: &Store, input: &Path, without_register: bool) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let register = match store.erasure_register() {
        Some(path) if path.exists() => {
            let r = pcmd_store::erasures::read_register(path)?;
            pcmd_store::erasures::check_writable(path)?;
            Some((path.to_path_buf(), r))
        }
        Some(path) if !without_register => anyhow::bail!(
            "không thấy sổ ghi xóa dữ liệu {}: sổ này ghi mọi lần xóa dữ liệu cá nhân, để dữ liệu đã xóa không trở lại từ bản sao lưu. \
             Hãy đặt sổ (giữ cùng tệp khóa) vào đó rồi khôi phục lại; nếu hệ thống này chưa từng xóa dữ liệu cá nhân, thêm --without-erasure-register. \
             Chưa khôi phục gì. (No erasure register at {}: put it beside the key file and restore again, or add --without-erasure-register \
             if this installation never erased personal data. Nothing restored.)",
            path.display(),
            path.display()
        ),
        _ => None,
    };
    store.migrate().await?;
    let file = std::fs::File::open(input).map_err(|e| anyhow::anyhow!("không mở được {} ({e})", input.display()))?;
    let restored = store.restore(BufReader::new(file)).await?;
    let counts = restored.counts;
    let check = store.verify_audit(None).await?;
    let loaded = format!("Đã khôi phục {} dòng của {} bảng từ {} (restored {} rows)", total(&counts), counts.len(), input.display(), total(&counts));
    // Data erased since the backup was taken, and data past its retention, go again.
    let today = pcmd_domain::date::today_vn();
    let sweep = match store.privacy_sweep(&super::privacy::rules()?, today, "pcmd restore", false).await {
        Ok(s) => s,
        Err(e) => anyhow::bail!(
            "{loaded}, nhưng chưa xóa lại dữ liệu theo sổ ghi xóa và thời hạn lưu trữ: {e}. Sửa lỗi rồi chạy ngay pcmd privacy sweep \
             trước khi mở hệ thống cho người dùng (restored, but not yet erased again: fix it and run pcmd privacy sweep before serving)"
        ),
    };
    let damaged = if sweep.damaged.is_empty() {
        String::new()
    } else {
        let lines = sweep.damaged.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
        format!("; bỏ qua dòng hỏng của sổ ghi xóa: {lines} (damaged register lines passed over)")
    };
    let register_said = match &register {
        Some((path, r)) => format!("sổ ghi xóa {} có {} mục", path.display(), r.entries.len()),
        None => "không có sổ ghi xóa (--without-erasure-register)".to_string(),
    };
    // A backup made before the erasure keys (migration 0024) is matched by id, as it was loaded.
    let sweep = pcmd_store::privacy::Sweep { reapplied: sweep.reapplied + restored.erased_by_id, ..sweep };
    let detail = format!(
        "{} dòng từ {} (người chạy: {}); {register_said}; xóa lại: {}; ẩn danh hết hạn lưu trữ: {}{damaged}",
        total(&counts),
        absolute(input),
        operator(),
        sweep.reapplied,
        sweep.support_cases.len() + sweep.tips.len()
    );
    store.audit(&AuditEntry { actor: "pcmd restore", action: "restore", subject: &absolute(input), detail: &detail }).await?;
    Ok(format!(
        "{loaded} trong {:.2} s; nhật ký: {:?}; {register_said}, xóa lại {} hồ sơ có dữ liệu đã xóa sau ngày sao lưu; ẩn danh {} hồ sơ hết hạn lưu trữ{damaged} \
         ({} records erased again by the register, {} past retention)",
        started.elapsed().as_secs_f64(),
        check,
        sweep.reapplied,
        sweep.support_cases.len() + sweep.tips.len(),
        sweep.reapplied,
        sweep.support_cases.len() + sweep.tips.len()
    ))
}
