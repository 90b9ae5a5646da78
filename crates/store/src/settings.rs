//! A unit's document settings (`document_setting`): read by the report
//! model, written by `pcmd settings set`, every write audited.

use crate::audit::{append, AuditEntry};
use crate::{Store, StoreError};
use pcmd_domain::report::DocumentSetting;
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// The settings of a unit, by key.
    pub async fn document_settings(&self, unit_id: i64) -> Result<HashMap<DocumentSetting, String>, StoreError> {
        let rows = sqlx::query("SELECT key, value FROM document_setting WHERE unit_id = $1").bind(unit_id).fetch_all(self.pool()).await?;
        let mut out = HashMap::new();
        for r in rows {
            let key: String = r.try_get(0)?;
            let key = key.parse::<DocumentSetting>().map_err(|e: String| StoreError::corrupt(e.clone(), e))?;
            out.insert(key, r.try_get(1)?);
        }
        Ok(out)
    }

    /// Sets one setting of a unit; an empty value removes it (back to the default).
    pub async fn set_document_setting(&self, unit_id: i64, key: DocumentSetting, value: &str, actor: &str) -> Result<(), StoreError> {
        let value = pcmd_domain::text::nfc(value.trim());
        if value.chars().count() > 500 {
            return Err(StoreError::invalid(Some(key.as_str()), "tối đa 500 ký tự", "at most 500 characters"));
        }
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM document_setting WHERE unit_id = $1 AND key = $2").bind(unit_id).bind(key.as_str()).execute(&mut *tx).await?;
        if !value.is_empty() {
            sqlx::query("INSERT INTO document_setting (unit_id, key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)")
                .bind(unit_id)
                .bind(key.as_str())
                .bind(value.clone())
                .bind(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .bind(actor.to_string())
                .execute(&mut *tx)
                .await?;
        }
        let detail = format!("{} = {value}", key.as_str());
        append(&mut tx, &AuditEntry { actor, action: "document_setting", subject: &format!("unit#{unit_id}"), detail: &detail }).await?;
        tx.commit().await?;
        Ok(())
    }
}
