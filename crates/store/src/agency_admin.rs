//! Agencies and the programme's lead changed from the browser: a new agency
//! of a province, and the lead handed over on a date with its legal basis
//! (the lead before it ends the day before). Audited with who made the change.

use crate::audit::{append, AuditEntry};
use crate::units::iso;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::Row;

/// An open end of validity.
const OPEN_END: &str = "9999-12-31";

/// A new agency as entered in the form.
pub struct NewAgency<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub short_name: Option<&'a str>,
    pub kind: &'a str,
    pub unit_id: i64,
    pub from: NaiveDate,
}

impl Store {
    pub async fn add_agency(&self, a: &NewAgency<'_>, actor: &str) -> Result<(), StoreError> {
        if self.agency_id_of(a.code).await?.is_some() {
            return Err(StoreError::conflict(format!("mã cơ quan «{}» đã có", a.code), format!("the agency code «{}» is taken", a.code)));
        }
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO agency (code, name, short_name, kind, unit_id, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(a.code.to_string())
            .bind(a.name.to_string())
            .bind(a.short_name.map(str::to_string))
            .bind(a.kind.to_string())
            .bind(a.unit_id)
            .bind(iso(a.from))
            .bind(OPEN_END.to_string())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, &AuditEntry { actor, action: "agency_add", subject: &format!("agency:{}", a.code), detail: a.name }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Hands the lead of the programme in `unit_id` to `agency_id` from `from`:
    /// the lead in force that day ends the day before. A hand-over before the
    /// latest one is refused (history is not rewritten from a form).
    pub async fn hand_over_lead(&self, unit_id: i64, agency_id: i64, from: NaiveDate, basis: &str, actor: &str) -> Result<(), StoreError> {
        if basis.trim().is_empty() {
            return Err(StoreError::refused("cần ghi căn cứ pháp lý của việc giao chủ trì", "the legal basis of the hand-over is needed"));
        }
        let mut tx = self.begin().await?;
        let latest = sqlx::query("SELECT id, valid_from, agency_id FROM lead_agency WHERE unit_id = $1 ORDER BY valid_from DESC LIMIT 1")
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = latest {
            let (id, since, current): (i64, String, i64) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if iso(from) <= since {
                return Err(StoreError::refused(
                    format!("ngày giao chủ trì phải sau lần giao gần nhất ({since})"),
                    format!("the hand-over must come after the latest one ({since})"),
                ));
            }
            if current == agency_id {
                return Err(StoreError::refused("cơ quan này đang chủ trì", "that agency leads already"));
            }
            // The lead in force ends the day before; one that had already ended keeps its end.
            let day_before = from.pred_opt().unwrap_or(from);
            sqlx::query("UPDATE lead_agency SET valid_to = $2 WHERE id = $1 AND valid_to > $2")
                .bind(id)
                .bind(iso(day_before))
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("INSERT INTO lead_agency (unit_id, agency_id, valid_from, valid_to, basis) VALUES ($1, $2, $3, $4, $5)")
            .bind(unit_id)
            .bind(agency_id)
            .bind(iso(from))
            .bind(OPEN_END.to_string())
            .bind(basis.trim().to_string())
            .execute(&mut *tx)
            .await?;
        let detail = format!("agency #{agency_id} from {}: {}", iso(from), basis.trim());
        append(&mut tx, &AuditEntry { actor, action: "lead_hand_over", subject: &format!("unit#{unit_id}"), detail: &detail }).await?;
        tx.commit().await?;
        Ok(())
    }
}
