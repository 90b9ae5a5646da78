//! `pcmd audit verify` and `pcmd audit checkpoint`.

use pcmd_store::audit::{AuditCheck, Checkpoint};
use pcmd_store::{Sealer, Store};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Check the audit log: its hash chain, and with the key file its MACs; name the first broken entry.
    Verify {
        /// Checkpoint files made by `pcmd audit checkpoint`: the log must still hold each one's entry unchanged.
        #[arg(long)]
        checkpoint: Vec<PathBuf>,
    },
    /// Write the newest entry's checkpoint (its MAC under the key) to a file kept
    /// outside the database and its backups (another machine, paper, an e-mail to the inspectorate).
    Checkpoint {
        #[arg(long)]
        out: PathBuf,
    },
}

fn key(key_file: &Path) -> anyhow::Result<Option<pcmd_store::audit::AuditKey>> {
    Ok(if key_file.exists() { Some(Sealer::from_file(key_file)?.audit_key()) } else { None })
}

pub async fn run(store: &Store, cmd: AuditCommand, key_file: &Path) -> anyhow::Result<String> {
    let key = key(key_file)?;
    match cmd {
        AuditCommand::Verify { checkpoint } => {
            let mut out = match store.verify_audit(key.as_ref()).await? {
                AuditCheck::Intact { entries, anchored: Some(a) } => vec![format!(
                    "Nhật ký nguyên vẹn: {entries} mục, {a} mục được neo bằng khóa ({} mục ghi trước khi neo) \
                     (audit log intact: {entries} entries, {a} anchored under the key, {} written before anchoring)",
                    entries - a,
                    entries - a
                )],
                AuditCheck::Intact { entries, anchored: None } => vec![format!(
                    "Nhật ký nguyên vẹn theo chuỗi băm: {entries} mục; không có tệp khóa {} nên chưa kiểm tra mã xác thực (MAC) \
                     (hash chain intact: {entries} entries; without the key file the MACs were not checked)",
                    key_file.display()
                )],
                AuditCheck::Broken { entry, reason } => {
                    anyhow::bail!("nhật ký bị thay đổi tại mục số {entry} (audit log broken at entry {entry}: {reason})")
                }
            };
            for file in &checkpoint {
                let Some(k) = key.as_ref() else {
                    anyhow::bail!("cần tệp khóa để kiểm tra mốc (the key file is needed to check checkpoints)")
                };
                let text = std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("không đọc được {} ({e})", file.display()))?;
                let cp: Checkpoint = serde_json::from_str(text.trim())
                    .map_err(|e| anyhow::anyhow!("{} không phải tệp mốc của pcmd (not a pcmd checkpoint file): {e}", file.display()))?;
                if let Err(why) = store.check_checkpoint(k, &cp).await? {
                    anyhow::bail!("mốc {} (mục số {}) không khớp với nhật ký (checkpoint does not hold: {why})", file.display(), cp.id);
                }
                out.push(format!("Mốc {} (mục số {}) khớp (checkpoint holds)", file.display(), cp.id));
            }
            Ok(out.join("\n"))
        }
        AuditCommand::Checkpoint { out } => {
            let Some(k) = key else { anyhow::bail!("cần tệp khóa {} (the key file is needed)", key_file.display()) };
            let Some(cp) = store.audit_checkpoint(&k).await? else { anyhow::bail!("nhật ký còn trống (the audit log is empty)") };
            std::fs::write(&out, format!("{}\n", serde_json::to_string(&cp)?))
                .map_err(|e| anyhow::anyhow!("không ghi được {} ({e})", out.display()))?;
            Ok(format!(
                "Đã ghi mốc mục số {} vào {}; hãy giữ tệp này ngoài máy chủ và bản sao lưu (checkpoint of entry {} written; keep it off the server and its backups)",
                cp.id,
                out.display(),
                cp.id
            ))
        }
    }
}
