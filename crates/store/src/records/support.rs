//! Support given (công tác hỗ trợ) in figures, for a report: the cases opened,
//! closed and still open, and the services provided in a period. Counts only:
//! no identity is read, so nothing here is a read of personal data.

use crate::units::iso;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use pcmd_domain::records::Service;
use sqlx::Row;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SupportSummary {
    /// Cases opened in the period, and of them those with a need, eligible, and consenting.
    pub opened: i64,
    pub needs_support: i64,
    pub eligible: i64,
    pub consented: i64,
    /// Cases closed in the period.
    pub closed: i64,
    /// Cases open on the period's last day.
    pub open_at_end: i64,
    /// Persons (cases) who received at least one service in the period.
    pub persons_served: i64,
    /// Services provided in the period by kind: the kind, how many times, to how many persons.
    pub services: Vec<(Service, i64, i64)>,
}

/// `unit_id IN (…)`: unit ids are integers from the unit index, written into the statement.
fn units_in(column: &str, units: &[i64]) -> String {
    if units.is_empty() {
        return "1 = 0".to_string();
    }
    let ids: Vec<String> = units.iter().map(i64::to_string).collect();
    format!("{column} IN ({})", ids.join(", "))
}

impl Store {
    /// The support given in `units` between `from` and `to` (both included).
    pub async fn support_summary(&self, units: &[i64], from: NaiveDate, to: NaiveDate) -> Result<SupportSummary, StoreError> {
        let (from, to) = (iso(from), iso(to));
        let opened = "opened_on >= $1 AND opened_on <= $2";
        let sql = format!(
            "SELECT COUNT(CASE WHEN {opened} THEN 1 END), COUNT(CASE WHEN {opened} AND needs_support = 1 THEN 1 END), \
             COUNT(CASE WHEN {opened} AND eligible = 1 THEN 1 END), COUNT(CASE WHEN {opened} AND consent = 1 THEN 1 END), \
             COUNT(CASE WHEN closed_on >= $1 AND closed_on <= $2 THEN 1 END), \
             COUNT(CASE WHEN opened_on <= $2 AND (closed_on IS NULL OR closed_on > $2) THEN 1 END) \
             FROM support_case WHERE {}",
            units_in("unit_id", units)
        );
        let row = sqlx::query(&sql).bind(from.clone()).bind(to.clone()).fetch_one(self.pool()).await?;
        let mut s = SupportSummary {
            opened: row.try_get(0)?,
            needs_support: row.try_get(1)?,
            eligible: row.try_get(2)?,
            consented: row.try_get(3)?,
            closed: row.try_get(4)?,
            open_at_end: row.try_get(5)?,
            ..SupportSummary::default()
        };
        let given = format!(
            "FROM support_service s JOIN support_case c ON c.id = s.case_id WHERE {} AND s.provided_on >= $1 AND s.provided_on <= $2",
            units_in("c.unit_id", units)
        );
        let served =
            sqlx::query(&format!("SELECT COUNT(DISTINCT s.case_id) {given}")).bind(from.clone()).bind(to.clone()).fetch_one(self.pool()).await?;
        s.persons_served = served.try_get(0)?;
        let rows = sqlx::query(&format!("SELECT s.service, COUNT(*), COUNT(DISTINCT s.case_id) {given} GROUP BY s.service"))
            .bind(from)
            .bind(to)
            .fetch_all(self.pool())
            .await?;
        for r in &rows {
            let kind: String = r.try_get(0)?;
            let kind = kind.parse::<Service>().map_err(|e| StoreError::corrupt(e.clone(), e))?;
            s.services.push((kind, r.try_get(1)?, r.try_get(2)?));
        }
        // In the order the vocabulary lists the services.
        s.services.sort_by_key(|(k, _, _)| Service::ALL.iter().position(|a| a == k));
        Ok(s)
    }
}
