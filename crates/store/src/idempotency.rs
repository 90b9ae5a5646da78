//! Idempotency keys of the JSON API (khóa chống gửi trùng): the first answer
//! to a POST is kept with its key, so that the same request sent again (an
//! offline queue retrying after a lost answer) is answered the same and makes
//! no second record. The key is claimed in the transaction that writes the
//! record: of two requests racing with one key, one writes and the other
//! finds the key taken and replays its answer.

use crate::{Store, StoreError, Tx};
use sqlx::Row;

/// How long a key is remembered.
pub const KEEP_DAYS: i64 = 30;

/// An answer kept for a key.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

fn stamp(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Store {
    /// The answer kept for a user's key, if it is still remembered.
    pub async fn idempotent_answer(&self, user_id: i64, key: &str) -> Result<Option<Kept>, StoreError> {
        let since = stamp(now() - chrono::Duration::days(KEEP_DAYS));
        let row = sqlx::query("SELECT request_hash, status, body FROM api_idempotency WHERE user_id = $1 AND idem_key = $2 AND created_at >= $3")
            .bind(user_id)
            .bind(key.to_string())
            .bind(since)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| -> Result<Kept, StoreError> {
            let status: i32 = r.try_get(1)?;
            Ok(Kept { request_hash: r.try_get(0)?, status: u16::try_from(status).unwrap_or(200), body: r.try_get(2)? })
        })
        .transpose()
    }
}

/// Claims `key` for the answer about to be committed in `tx`. False when
/// another request holds it (the caller rolls back and replays that answer).
/// Keys older than `KEEP_DAYS` are forgotten on the way.
pub async fn claim(tx: &mut Tx<'_>, user_id: i64, key: &str, request_hash: &str, status: u16, body: &str) -> Result<bool, StoreError> {
    let t = now();
    sqlx::query("DELETE FROM api_idempotency WHERE created_at < $1").bind(stamp(t - chrono::Duration::days(KEEP_DAYS))).execute(&mut **tx).await?;
    let done = sqlx::query(
        "INSERT INTO api_idempotency (user_id, idem_key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (user_id, idem_key) DO NOTHING",
    )
    .bind(user_id)
    .bind(key.to_string())
    .bind(request_hash.to_string())
    .bind(i32::from(status))
    .bind(body.to_string())
    .bind(stamp(t))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

impl Store {
    /// Claims `key` before a long write that has its own transaction (an import):
    /// a pending answer (status 0) that a retry meanwhile is told to wait for.
    /// False when the key is held already.
    pub async fn claim_pending(&self, user_id: i64, key: &str, request_hash: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let claimed = claim(&mut tx, user_id, key, request_hash, 0, "").await?;
        tx.commit().await?;
        Ok(claimed)
    }

    /// The answer to a pending key once the write is done.
    pub async fn settle(&self, user_id: i64, key: &str, status: u16, body: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE api_idempotency SET status = $1, body = $2 WHERE user_id = $3 AND idem_key = $4")
            .bind(i32::from(status))
            .bind(body.to_string())
            .bind(user_id)
            .bind(key.to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Frees a pending key whose write was refused: the request may be fixed and sent again with it.
    pub async fn release(&self, user_id: i64, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM api_idempotency WHERE user_id = $1 AND idem_key = $2 AND status = 0")
            .bind(user_id)
            .bind(key.to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
