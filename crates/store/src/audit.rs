//! The audit log (nhật ký): every write, every sign-in and every read of
//! personal data appends an entry holding the hash of the previous one.

use crate::{Store, StoreError, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What an entry says: who did what to which record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

fn entry_hash(prev: &str, id: i64, at: &str, e: &AuditEntry<'_>) -> String {
    let mut h = Sha256::new();
    for part in [prev, &id.to_string(), at, e.actor, e.action, e.subject, e.detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry inside the caller's transaction: it stands or falls with the change it records.
pub async fn append(tx: &mut Tx<'_>, e: &AuditEntry<'_>) -> Result<(), StoreError> {
    let head = sqlx::query("UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash").fetch_one(&mut **tx).await?;
    let (id, prev): (i64, String) = (head.try_get(0)?, head.try_get(1)?);
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let hash = entry_hash(&prev, id, &at, e);
    sqlx::query("INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id)
        .bind(at)
        .bind(e.actor.to_string())
        .bind(e.action.to_string())
        .bind(e.subject.to_string())
        .bind(e.detail.to_string())
        .bind(prev)
        .bind(hash.clone())
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1").bind(hash).execute(&mut **tx).await?;
    Ok(())
}

/// One entry as the search page shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq)]
pub enum AuditCheck {
    Intact {
        entries: i64,
    },
    /// The first entry whose hash or link does not hold.
    Broken {
        entry: i64,
        reason: &'static str,
    },
}

impl Store {
    /// A number that changes with every committed write (every write appends to
    /// the audit log in its transaction): caches of figures are valid while it stands.
    pub async fn data_version(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT last_id FROM audit_head WHERE id = 1").fetch_one(self.pool()).await?.try_get(0)?)
    }

    /// The newest entries whose actor, action or subject contains `text` (all when empty), `limit` from `offset`.
    pub async fn search_audit(&self, text: &str, limit: i64, offset: i64) -> Result<Vec<AuditRow>, StoreError> {
        let like = format!("%{}%", text.trim());
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, detail FROM audit_log WHERE actor LIKE $1 OR action LIKE $1 OR subject LIKE $1 \
             ORDER BY id DESC LIMIT $2 OFFSET $3",
        )
        .bind(like)
        .bind(limit)
        .bind(offset)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    id: r.try_get(0)?,
                    at: r.try_get(1)?,
                    actor: r.try_get(2)?,
                    action: r.try_get(3)?,
                    subject: r.try_get(4)?,
                    detail: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Appends one entry in its own transaction.
    pub async fn audit(&self, e: &AuditEntry<'_>) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        append(&mut tx, e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Recomputes every hash in order and checks each link and the head.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let mut prev = "0".repeat(64);
        let mut expected_id = 1;
        let mut n = 0;
        let mut offset = 0i64;
        loop {
            let rows = sqlx::query("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY id LIMIT 10000 OFFSET $1")
                .bind(offset)
                .fetch_all(self.pool())
                .await?;
            if rows.is_empty() {
                break;
            }
            offset += rows.len() as i64;
            for r in &rows {
                let id: i64 = r.try_get(0)?;
                let (at, actor, action, subject, detail): (String, String, String, String, String) =
                    (r.try_get(1)?, r.try_get(2)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?);
                let (stored_prev, stored_hash): (String, String) = (r.try_get(6)?, r.try_get(7)?);
                if id != expected_id {
                    return Ok(AuditCheck::Broken { entry: expected_id, reason: "entry missing" });
                }
                if stored_prev != prev {
                    return Ok(AuditCheck::Broken { entry: id, reason: "link to the previous entry altered" });
                }
                let e = AuditEntry { actor: &actor, action: &action, subject: &subject, detail: &detail };
                if entry_hash(&prev, id, &at, &e) != stored_hash {
                    return Ok(AuditCheck::Broken { entry: id, reason: "entry altered" });
                }
                prev = stored_hash;
                expected_id += 1;
                n += 1;
            }
        }
        let head = sqlx::query("SELECT last_id, last_hash FROM audit_head WHERE id = 1").fetch_one(self.pool()).await?;
        if head.try_get::<i64, _>(0)? != n || head.try_get::<String, _>(1)? != prev {
            return Ok(AuditCheck::Broken { entry: n + 1, reason: "entries removed from the end" });
        }
        Ok(AuditCheck::Intact { entries: n })
    }
}
