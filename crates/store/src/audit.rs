//! The audit log (nhật ký): every write, every sign-in and every read of
//! personal data appends an entry holding the hash of the previous one.
//!
//! The hash chain alone shows accidents, not intent: whoever can write to the
//! database can recompute it. So the chain is also anchored under a key kept
//! outside the database (derived from the key file): each entry carries an
//! HMAC of its hash chained to the previous entry's MAC, which cannot be
//! recomputed without the key. A store that has the key writes anchored
//! entries (`Store::with_audit_key`); `pcmd audit checkpoint` writes the newest entry's MAC to a
//! file kept elsewhere, and `pcmd audit verify --checkpoint` checks the log
//! still holds it, which also shows entries cut from the end before that point.

use crate::{Store, StoreError, Tx};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The key that anchors the chain, derived from the key file (`Sealer::audit_key`).
pub type AuditKey = [u8; 32];

/// Lower-case hex, two digits a byte, written digit by digit: `format!` a byte at
/// a time cost an import about a microsecond an entry (two digests per entry).
fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0f] {
            // A nibble is always a hex digit; from_digit gives 'a'–'f' in lower case.
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// HMAC-SHA256 under `key` of the parts, each preceded by its length.
fn keyed(key: &AuditKey, parts: &[&str]) -> String {
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(key) else { return String::new() };
    for p in parts {
        m.update(&(p.len() as u64).to_le_bytes());
        m.update(p.as_bytes());
    }
    hex(&m.finalize().into_bytes())
}

/// An entry's MAC: its hash chained to the previous entry's MAC ("" at the start of anchoring).
fn entry_mac(key: &AuditKey, prev_mac: &str, hash: &str) -> String {
    keyed(key, &["pcmd audit entry", prev_mac, hash])
}

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
    hex(&h.finalize())
}

/// Appends an entry inside the caller's transaction: it stands or falls with the change it records.
pub async fn append(tx: &mut Tx<'_>, e: &AuditEntry<'_>) -> Result<(), StoreError> {
    let head =
        sqlx::query("UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash, last_mac").fetch_one(&mut **tx).await?;
    let (id, prev, prev_mac): (i64, String, Option<String>) = (head.try_get(0)?, head.try_get(1)?, head.try_get(2)?);
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let hash = entry_hash(&prev, id, &at, e);
    let mac = tx.audit_key.map(|k| entry_mac(&k, prev_mac.as_deref().unwrap_or(""), &hash));
    sqlx::query("INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash, mac) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(id)
        .bind(at)
        .bind(e.actor.to_string())
        .bind(e.action.to_string())
        .bind(e.subject.to_string())
        .bind(e.detail.to_string())
        .bind(prev)
        .bind(hash.clone())
        .bind(mac.clone())
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE audit_head SET last_hash = $1, last_mac = $2 WHERE id = 1").bind(hash).bind(mac).execute(&mut **tx).await?;
    Ok(())
}

/// Appends entries in order, as `append` would one by one, in few statements
/// (an import's support cases: an entry for each person).
pub async fn append_many(tx: &mut Tx<'_>, entries: &[AuditEntry<'_>]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    let n = entries.len() as i64;
    let head = sqlx::query("UPDATE audit_head SET last_id = last_id + $1 WHERE id = 1 RETURNING last_id, last_hash, last_mac")
        .bind(n)
        .fetch_one(&mut **tx)
        .await?;
    let (last, mut prev, mut prev_mac): (i64, String, Option<String>) = (head.try_get(0)?, head.try_get(1)?, head.try_get(2)?);
    let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let mut rows = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let id = last - n + 1 + i as i64;
        let hash = entry_hash(&prev, id, &at, e);
        let mac = tx.audit_key.map(|k| entry_mac(&k, prev_mac.as_deref().unwrap_or(""), &hash));
        rows.push((id, prev, hash.clone(), mac.clone()));
        prev = hash;
        prev_mac = mac;
    }
    let numbered = tx.backend_name() == "PostgreSQL";
    for (chunk, es) in rows.chunks(500).zip(entries.chunks(500)) {
        let mut sql = String::from("INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash, mac) VALUES ");
        crate::units::push_placeholders(&mut sql, chunk.len(), 9, numbered);
        let mut q = sqlx::query(&sql);
        for ((id, prev, hash, mac), e) in chunk.iter().zip(es) {
            q = q
                .bind(*id)
                .bind(at.clone())
                .bind(e.actor.to_string())
                .bind(e.action.to_string())
                .bind(e.subject.to_string())
                .bind(e.detail.to_string())
                .bind(prev.clone())
                .bind(hash.clone())
                .bind(mac.clone());
        }
        q.execute(&mut **tx).await?;
    }
    sqlx::query("UPDATE audit_head SET last_hash = $1, last_mac = $2 WHERE id = 1").bind(prev).bind(prev_mac).execute(&mut **tx).await?;
    Ok(())
}

/// More reads of personal data than this by one user within an hour raise an alert.
pub const UNUSUAL_READS_PER_HOUR: i64 = 30;
/// Reads of personal data outside these local hours (from, to) raise an alert.
pub const WORKING_HOURS: (u32, u32) = (6, 20);

/// Writes a read of personal data, then flags it to the administrator
/// (action `alert_unusual_access`, at most once an hour per user) when the
/// user has read many identities in the last hour or reads outside working hours.
pub async fn read_personal(tx: &mut Tx<'_>, actor: &str, subject: &str, detail: &str) -> Result<(), StoreError> {
    append(tx, &AuditEntry { actor, action: "read_personal", subject, detail }).await?;
    let now = chrono::Utc::now();
    let hour_ago = (now - chrono::Duration::hours(1)).format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let reads = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal' AND actor = $1 AND at >= $2")
        .bind(actor.to_string())
        .bind(hour_ago.clone())
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)?;
    let local_hour = pcmd_domain::date::hour_vn();
    let reason = if reads > UNUSUAL_READS_PER_HOUR {
        format!("{reads} lần đọc dữ liệu cá nhân trong một giờ (ngưỡng {UNUSUAL_READS_PER_HOUR}) ({reads} reads of personal data within an hour)")
    } else if local_hour < WORKING_HOURS.0 || local_hour >= WORKING_HOURS.1 {
        format!(
            "đọc dữ liệu cá nhân lúc {local_hour} giờ, ngoài giờ làm việc ({}–{} giờ) (read outside working hours)",
            WORKING_HOURS.0, WORKING_HOURS.1
        )
    } else {
        return Ok(());
    };
    let flagged = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'alert_unusual_access' AND subject = $1 AND at >= $2")
        .bind(format!("app_user:{actor}"))
        .bind(hour_ago.clone())
        .fetch_one(&mut **tx)
        .await?
        .try_get::<i64, _>(0)?;
    if flagged == 0 {
        append(tx, &AuditEntry { actor: "pcmd", action: "alert_unusual_access", subject: &format!("app_user:{actor}"), detail: &reason }).await?;
    }
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
        /// Checked with the key: the entries whose MAC holds (those before
        /// anchoring began have none). None when verified without the key.
        anchored: Option<i64>,
    },
    /// The first entry whose hash or link does not hold.
    Broken { entry: i64, reason: &'static str },
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

    /// Recomputes every hash in order and checks each link and the head; with
    /// `key`, also every MAC: an entry whose MAC does not hold, or that has
    /// none after anchoring began, or a log with no anchored entry at all, is broken.
    pub async fn verify_audit(&self, key: Option<&AuditKey>) -> Result<AuditCheck, StoreError> {
        let mut prev = "0".repeat(64);
        let mut prev_mac = String::new();
        let (mut expected_id, mut n, mut anchored, mut offset) = (1i64, 0i64, 0i64, 0i64);
        loop {
            let rows =
                sqlx::query("SELECT id, at, actor, action, subject, detail, prev_hash, hash, mac FROM audit_log ORDER BY id LIMIT 10000 OFFSET $1")
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
                let (stored_prev, stored_hash, stored_mac): (String, String, Option<String>) = (r.try_get(6)?, r.try_get(7)?, r.try_get(8)?);
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
                if let Some(k) = key {
                    match stored_mac {
                        Some(m) if m == entry_mac(k, &prev_mac, &stored_hash) => {
                            anchored += 1;
                            prev_mac = m;
                        }
                        Some(_) => {
                            return Ok(AuditCheck::Broken { entry: id, reason: "entry or chain rewritten (its MAC under the key does not hold)" })
                        }
                        None if anchored > 0 => {
                            return Ok(AuditCheck::Broken {
                                entry: id,
                                reason: "entry without its MAC after anchoring began (written without the key, or the MAC removed)",
                            })
                        }
                        None => {}
                    }
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
        if key.is_some() && n > 0 && anchored == 0 {
            return Ok(AuditCheck::Broken { entry: 1, reason: "no entry is anchored under the key (MACs removed, or a different key)" });
        }
        Ok(AuditCheck::Intact { entries: n, anchored: key.map(|_| anchored) })
    }

    /// The newest entry as a checkpoint to keep outside the database, sealed
    /// with a tag under the key; None for an empty log.
    pub async fn audit_checkpoint(&self, key: &AuditKey) -> Result<Option<Checkpoint>, StoreError> {
        let row = sqlx::query("SELECT id, hash, mac FROM audit_log ORDER BY id DESC LIMIT 1").fetch_optional(self.pool()).await?;
        let Some(r) = row else { return Ok(None) };
        let (id, hash, mac): (i64, String, Option<String>) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
        let mac = mac.ok_or_else(|| {
            StoreError::refused(
                "mục mới nhất của nhật ký chưa được neo bằng khóa; hãy chạy với --key-file đúng",
                "the newest audit entry is not anchored under the key; run with the right --key-file",
            )
        })?;
        let tag = keyed(key, &["pcmd audit checkpoint", &id.to_string(), &hash, &mac]);
        Ok(Some(Checkpoint { id, hash, mac, tag }))
    }

    /// Whether the log still holds `cp`'s entry unchanged (and the checkpoint is genuine).
    pub async fn check_checkpoint(&self, key: &AuditKey, cp: &Checkpoint) -> Result<Result<(), &'static str>, StoreError> {
        if keyed(key, &["pcmd audit checkpoint", &cp.id.to_string(), &cp.hash, &cp.mac]) != cp.tag {
            return Ok(Err("the checkpoint is not genuine under this key"));
        }
        let row = sqlx::query("SELECT hash, mac FROM audit_log WHERE id = $1").bind(cp.id).fetch_optional(self.pool()).await?;
        Ok(match row {
            None => Err("the checkpoint's entry is gone: entries were removed"),
            Some(r) if r.try_get::<String, _>(0)? != cp.hash || r.try_get::<Option<String>, _>(1)?.as_deref() != Some(cp.mac.as_str()) => {
                Err("the checkpoint's entry differs: the chain was rewritten")
            }
            Some(_) => Ok(()),
        })
    }
}

/// The newest entry at a moment, kept outside the database (`pcmd audit checkpoint`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Checkpoint {
    pub id: i64,
    pub hash: String,
    pub mac: String,
    /// HMAC under the key of the other fields: a checkpoint cannot be forged without the key.
    pub tag: String,
}

#[cfg(test)]
mod tests {
    /// Hashes already in the chain were written with `format!("{:02x}")` a byte:
    /// `hex` must give the same text for every byte, or old entries would no
    /// longer verify.
    #[test]
    fn hex_writes_every_byte_as_the_chain_always_has() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa0, 0xff, 0x3c]), "000fa0ff3c");
        assert_eq!(super::hex(&[]), "");
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(super::hex(&all), all.iter().map(|b| format!("{b:02x}")).collect::<String>());
    }
}
