//! What changed between two data versions (audit entries), as the cache of
//! evaluations needs it: nothing that figures read (a sign-in, a read of
//! personal data), new records in a known unit, or anything else.

use crate::{Store, StoreError};
use sqlx::Row;

/// What one audit entry did to what figures read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing figures read: signing in, reading personal data, an alert, a token.
    Nothing,
    /// A new record in this unit: only territories that reach the unit can count it.
    Record { unit_id: i64 },
    /// Anything else (an edit, an import, a plan, a report, a unit change): all may move.
    Anything,
}

/// Audit actions that change no record, plan, report or unit.
const READS: &[&str] = &[
    "login",
    "login_failed",
    "login_refused",
    "logout",
    "password_change_refused",
    "read_audit",
    "read_personal",
    "alert_unusual_access",
    "create_token",
    "enrol_totp",
    "user_email",
];

/// Record tables whose new rows name their unit (an inspection names its establishment's).
const RECORD_TABLES: &[&str] = &[
    "activity",
    "publication",
    "training",
    "tip",
    "support_case",
    "pilot_model",
    "establishment",
    "case_summary",
    "district_plan",
    "reference_figure",
];

impl Store {
    /// The changes after data version `after` up to `upto`, one per audit entry.
    pub async fn changes(&self, after: i64, upto: i64) -> Result<Vec<Change>, StoreError> {
        let rows = sqlx::query("SELECT action, subject FROM audit_log WHERE id > $1 AND id <= $2 ORDER BY id")
            .bind(after)
            .bind(upto)
            .fetch_all(self.pool())
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (action, subject): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            out.push(self.change_of(&action, &subject).await?);
        }
        Ok(out)
    }

    async fn change_of(&self, action: &str, subject: &str) -> Result<Change, StoreError> {
        if READS.contains(&action) {
            return Ok(Change::Nothing);
        }
        let Some((table, id)) = subject.split_once('#').and_then(|(t, id)| Some((t, id.parse::<i64>().ok()?))) else {
            return Ok(Change::Anything);
        };
        if action != "insert" {
            return Ok(Change::Anything);
        }
        let sql = match table {
            "inspection" => "SELECT e.unit_id FROM inspection r JOIN establishment e ON e.id = r.establishment_id WHERE r.id = $1".to_string(),
            t if RECORD_TABLES.contains(&t) => format!("SELECT unit_id FROM {t} WHERE id = $1"),
            _ => return Ok(Change::Anything),
        };
        let unit = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        Ok(match unit {
            Some(r) => Change::Record { unit_id: r.try_get(0)? },
            None => Change::Anything,
        })
    }
}
