//! `pcmd audit verify`.

use pcmd_store::audit::AuditCheck;
use pcmd_store::Store;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of the audit log; name the first broken entry.
    Verify,
}

pub async fn run(store: &Store, cmd: AuditCommand) -> anyhow::Result<String> {
    match cmd {
        AuditCommand::Verify => match store.verify_audit().await? {
            AuditCheck::Intact { entries } => Ok(format!("Nhật ký nguyên vẹn: {entries} mục (audit log intact: {entries} entries)")),
            AuditCheck::Broken { entry, reason } => {
                anyhow::bail!("nhật ký bị thay đổi tại mục số {entry} (audit log broken at entry {entry}: {reason})")
            }
        },
    }
}
