//! What changed between two data versions (audit entries), as the cache of
//! evaluations needs it: nothing that figures read (a sign-in, a read of
//! personal data), new records in a known unit, or anything else.

use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::Row;

/// What one audit entry did to what figures read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing figures read: signing in, reading personal data, an alert, a token.
    Nothing,
    /// A new record in this unit: only territories that reach the unit can count it, and
    /// only over periods that end on or after `day`, the first day it can count on (none:
    /// any period).
    Record { table: &'static str, unit_id: i64, day: Option<NaiveDate> },
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

/// Record tables whose new rows name their unit (an inspection names its establishment's),
/// with the date a row counts from where nothing it holds counts before it: an activity
/// on its day, a tip from its receipt, a case from its opening. An establishment (open
/// before it is recorded), a yearly figure or a reference (a denominator of other years)
/// may move any period.
const RECORD_TABLES: &[(&str, Option<&str>)] = &[
    ("activity", Some("held_on")),
    ("publication", Some("published_on")),
    ("training", Some("held_on")),
    ("tip", Some("received_on")),
    ("support_case", Some("opened_on")),
    ("pilot_model", Some("started_on")),
    ("establishment", None),
    ("case_summary", None),
    ("district_plan", None),
    ("reference_figure", None),
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
        let (table, sql) = match (table, RECORD_TABLES.iter().find(|(t, _)| *t == table)) {
            ("inspection", _) => (
                "inspection",
                "SELECT e.unit_id, CAST(r.inspected_on AS TEXT) FROM inspection r JOIN establishment e ON e.id = r.establishment_id WHERE r.id = $1"
                    .to_string(),
            ),
            (_, Some((t, Some(day)))) => (*t, format!("SELECT unit_id, CAST({day} AS TEXT) FROM {t} WHERE id = $1")),
            (_, Some((t, None))) => (*t, format!("SELECT unit_id, CAST(NULL AS TEXT) FROM {t} WHERE id = $1")),
            _ => return Ok(Change::Anything),
        };
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        Ok(match row {
            Some(r) => {
                let day: Option<String> = r.try_get(1)?;
                Change::Record { table, unit_id: r.try_get(0)?, day: day.and_then(|d| NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok()) }
            }
            None => Change::Anything,
        })
    }
}
