//! Which reference data sets are loaded, by content hash, so loading is idempotent.

use crate::{StoreError, Tx};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A hex SHA-256 of the given parts, each length-prefixed so that parts cannot run together.
pub fn content_hash(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The content hash a data set was loaded with, if it was.
pub async fn dataset_hash(tx: &mut Tx<'_>, name: &str) -> Result<Option<String>, StoreError> {
    let row = sqlx::query("SELECT content_hash FROM dataset WHERE name = $1").bind(name).fetch_optional(&mut **tx).await?;
    Ok(row.map(|r| r.try_get(0)).transpose()?)
}

/// Records that a data set was loaded.
pub async fn record_dataset(tx: &mut Tx<'_>, name: &str, hash: &str) -> Result<(), StoreError> {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    sqlx::query("INSERT INTO dataset (name, content_hash, loaded_at) VALUES ($1, $2, $3)").bind(name).bind(hash).bind(now).execute(&mut **tx).await?;
    Ok(())
}
