//! Facts for the target engine: per-unit aggregates of the records over a range
//! of days, current the moment a record is saved. Activities and tips come from
//! the maintained month aggregates plus the record tables for the days of a
//! partly covered month (`months`); the rest, and everything when the store
//! reads raw facts (the benchmark's baseline), straight from the record tables.
//! The engine maps units onto the territory it evaluates.

mod months;
mod packed;
mod windows;

use crate::units::iso;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

/// Activities of a unit: how many, and whom they reached.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFact {
    pub unit_id: i64,
    pub activities: i64,
    pub at_risk_workers: i64,
    pub industrial_workers: i64,
    pub students: i64,
}

/// The quarters in which a unit held at least one activity, from a first month:
/// bit k is the k-th quarter (three months) counted from it.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityQuarterFact {
    pub unit_id: i64,
    pub quarters: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PublicationFact {
    pub unit_id: i64,
    pub outlet_level: String,
    /// The day published (a month is counted by the day, so that Decree 09
    /// reporting months, 15th to 14th, can be told apart).
    pub day: NaiveDate,
    pub count: i64,
}

/// Establishments of a unit open at some time in the range, their workers, and
/// how many of them were inspected in the range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EstablishmentFact {
    pub unit_id: i64,
    pub open: i64,
    pub workers: i64,
    pub inspected: i64,
    /// Those still open at the range's end, or inspected in it: the ones an
    /// inspection target counts (one that closed uninspected is no longer there
    /// to inspect).
    pub to_inspect: i64,
}

/// Tips of a unit whose deadline falls in the range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TipFact {
    pub unit_id: i64,
    pub due: i64,
    pub on_time: i64,
    /// Still open on `as_of` although their deadline has passed.
    pub overdue_open: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseFact {
    pub unit_id: i64,
    pub year: i64,
    pub criminal_cases: i64,
    pub defendants: i64,
    pub admin_violations: i64,
    pub persons_sanctioned: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DistrictPlanFact {
    pub unit_id: i64,
    pub year: i64,
    /// With how many of the four programmes (socio-economic, social security,
    /// drugs, HIV/AIDS) the plan integrates the work.
    pub integrations: i64,
    /// The day it was adopted (1 January of its year when not recorded): a
    /// figure asked as on an earlier day does not count it.
    pub adopted: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SupportFact {
    pub unit_id: i64,
    pub eligible: i64,
    pub served: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrainingFact {
    pub unit_id: i64,
    pub province: i64,
    pub district: i64,
    pub commune: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceFact {
    pub unit_id: i64,
    pub kind: String,
    pub level: String,
    pub year: i64,
    pub value: i64,
}

fn activity_of([unit_id, activities, at_risk_workers, industrial_workers, students]: [i64; 5]) -> ActivityFact {
    ActivityFact { unit_id, activities, at_risk_workers, industrial_workers, students }
}

fn establishment_of([unit_id, open, workers, inspected, to_inspect]: [i64; 5]) -> EstablishmentFact {
    EstablishmentFact { unit_id, open, workers, inspected, to_inspect }
}

fn tip_fact(r: &AnyRow) -> Result<TipFact, StoreError> {
    let [unit_id, due, on_time, overdue_open] = ints(r)?;
    Ok(TipFact { unit_id, due, on_time, overdue_open })
}

/// The first N columns as integers, NULL (an empty SUM) read as 0.
fn ints<const N: usize>(r: &AnyRow) -> Result<[i64; N], StoreError> {
    let mut out = [0; N];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = r.try_get::<Option<i64>, _>(i)?.unwrap_or(0);
    }
    Ok(out)
}

/// `AND <column> IN (…)` for a restricted set of units, or nothing. The ids are
/// integers written into the SQL text (a province holds up to a few thousand).
pub(crate) fn within_sql(column: &str, within: Option<&[i64]>) -> String {
    match within {
        None => String::new(),
        Some([]) => " AND 1 = 0".into(),
        Some(ids) => {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            format!(" AND {column} IN ({})", list.join(","))
        }
    }
}

/// The bit of the calendar quarter (from the one holding `first`, `YYYY-MM`) a month
/// `YYYY-MM` in `month` falls in, up to `last`, at most 16 quarters: a `CASE`
/// on the months starting the quarters, compared as text (cheaper than
/// taking the month apart in every row).
fn quarter_bit(month: &str, first: &str, last: &str) -> String {
    let month0 =
        first.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0) * 12 + first.get(5..7).and_then(|m| m.parse::<i64>().ok()).unwrap_or(1) - 1;
    // Calendar quarters: a window from February has February–March as its first quarter.
    let start = month0 - month0.rem_euclid(3);
    let mut out = String::from("CASE");
    let mut bits = 0;
    for k in 1..16_i64 {
        let m = start + 3 * k;
        let next = format!("{:04}-{:02}", m / 12, m % 12 + 1);
        if next.as_str() > last {
            break;
        }
        out.push_str(&format!(" WHEN {month} < '{next}' THEN {}", 1_i64 << (k - 1)));
        bits = k;
    }
    if bits == 0 {
        // One quarter: every month is in it (a CASE needs a WHEN).
        return "1".into();
    }
    out.push_str(&format!(" ELSE {} END", 1_i64 << bits));
    out
}

impl Store {
    /// Runs `q` (built on `self.packed_sql`) and reads its rows of `N` integers.
    pub(crate) async fn fetch_packed<'q, const N: usize>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> Result<Vec<[i64; N]>, StoreError> {
        let row = q.fetch_one(self.pool()).await?;
        packed::unpack::<N>(row.try_get::<Option<String>, _>(0)?)
    }

    async fn rows(&self, sql: &str, from: NaiveDate, to: NaiveDate) -> Result<Vec<AnyRow>, StoreError> {
        Ok(sqlx::query(sql).bind(iso(from)).bind(iso(to)).fetch_all(self.pool()).await?)
    }

    /// Activities by unit over `[from, to]`.
    pub async fn activity_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<ActivityFact>, StoreError> {
        if self.reads_raw_facts() {
            return self.activity_facts_raw(from, to, within).await;
        }
        self.activity_facts_by_month(from, to, within).await
    }

    async fn activity_facts_raw(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<ActivityFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, COUNT(*), CAST(SUM(reached_at_risk_workers) AS BIGINT), CAST(SUM(reached_industrial_workers) AS BIGINT), \
             CAST(SUM(reached_students) AS BIGINT) FROM activity WHERE held_on >= $1 AND held_on <= $2{} GROUP BY unit_id",
            within_sql("unit_id", within)
        );
        let packed = self.packed_sql(&sql, 5);
        let rows = self.fetch_packed::<5>(sqlx::query(&packed).bind(iso(from)).bind(iso(to))).await?;
        Ok(rows.into_iter().map(activity_of).collect())
    }

    /// The quarters with an activity, by unit, for the calendar months from
    /// `first` (a month `YYYY-MM` starting a quarter) to `last`, at most 16 quarters.
    pub async fn activity_quarter_facts(&self, first: &str, last: &str, within: Option<&[i64]>) -> Result<Vec<ActivityQuarterFact>, StoreError> {
        let (table, month) = if self.reads_raw_facts() { ("activity", "SUBSTR(held_on, 1, 7)") } else { ("activity_month", "month") };
        let sql = format!(
            "SELECT unit_id, CAST(SUM(DISTINCT {}) AS BIGINT) FROM {table} WHERE {month} >= $1 AND {month} <= $2{} GROUP BY unit_id",
            quarter_bit(month, first, last),
            within_sql("unit_id", within)
        );
        let packed = self.packed_sql(&sql, 2);
        let rows = self.fetch_packed::<2>(sqlx::query(&packed).bind(first).bind(last)).await?;
        Ok(rows.into_iter().map(|[unit_id, quarters]| ActivityQuarterFact { unit_id, quarters }).collect())
    }

    pub async fn publication_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<PublicationFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, outlet_level, published_on, COUNT(*) FROM publication \
             WHERE published_on >= $1 AND published_on <= $2{} GROUP BY unit_id, outlet_level, published_on",
            within_sql("unit_id", within)
        );
        let rows = self.rows(&sql, from, to).await?;
        rows.iter()
            .map(|r| {
                let day: String = r.try_get(2)?;
                let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| {
                    StoreError::corrupt(format!("ngày đăng tin «{day}» không đọc được: {e}"), format!("unreadable publication date «{day}»: {e}"))
                })?;
                Ok(PublicationFact { unit_id: r.try_get(0)?, outlet_level: r.try_get(1)?, day, count: r.try_get(3)? })
            })
            .collect()
    }

    /// Establishments open at some time in `[from, to]`, their workers, and how many were inspected in it.
    pub async fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<EstablishmentFact>, StoreError> {
        if within.is_none() && !self.reads_raw_facts() {
            return self.establishment_facts_by_month(from, to).await;
        }
        self.establishment_facts_raw(from, to, within).await
    }

    async fn establishment_facts_raw(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<EstablishmentFact>, StoreError> {
        let inspected = "EXISTS (SELECT 1 FROM inspection i WHERE i.establishment_id = e.id AND i.inspected_on >= $1 AND i.inspected_on <= $2)";
        let sql = format!(
            "SELECT e.unit_id, COUNT(*), CAST(SUM(e.workers) AS BIGINT), \
             CAST(SUM(CASE WHEN {inspected} THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN {inspected} OR e.closed_on IS NULL OR e.closed_on > $2 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM establishment e WHERE (e.opened_on IS NULL OR e.opened_on <= $2) AND (e.closed_on IS NULL OR e.closed_on >= $1){} GROUP BY e.unit_id",
            within_sql("e.unit_id", within)
        );
        let packed = self.packed_sql(&sql, 5);
        let rows = self.fetch_packed::<5>(sqlx::query(&packed).bind(iso(from)).bind(iso(to))).await?;
        Ok(rows.into_iter().map(establishment_of).collect())
    }

    /// Tips due in `[from, to]` (their deadline, or extended deadline), as known on `as_of`.
    pub async fn tip_facts(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, within: Option<&[i64]>) -> Result<Vec<TipFact>, StoreError> {
        if self.reads_raw_facts() {
            return self.tip_facts_raw(from, to, as_of, within).await;
        }
        self.tip_facts_by_month(from, to, as_of, within).await
    }

    async fn tip_facts_raw(&self, from: NaiveDate, to: NaiveDate, as_of: NaiveDate, within: Option<&[i64]>) -> Result<Vec<TipFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, COUNT(*), \
             CAST(SUM(CASE WHEN closed_on IS NOT NULL AND closed_on <= $3 AND closed_on <= due_on THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN (closed_on IS NULL OR closed_on > $3) AND due_on < $3 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM tip WHERE due_on >= $1 AND due_on <= $2 AND received_on <= $3{} GROUP BY unit_id",
            within_sql("unit_id", within)
        );
        let rows = sqlx::query(&sql).bind(iso(from)).bind(iso(to)).bind(iso(as_of)).fetch_all(self.pool()).await?;
        rows.iter().map(tip_fact).collect()
    }

    pub async fn case_facts(&self, first_year: i32, last_year: i32, within: Option<&[i64]>) -> Result<Vec<CaseFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, year, criminal_cases, defendants, admin_violations, persons_sanctioned FROM case_summary WHERE year >= $1 AND year <= $2{}",
            within_sql("unit_id", within)
        );
        let rows = sqlx::query(&sql).bind(i64::from(first_year)).bind(i64::from(last_year)).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let [unit_id, year, criminal_cases, defendants, admin_violations, persons_sanctioned] = ints(r)?;
                Ok(CaseFact { unit_id, year, criminal_cases, defendants, admin_violations, persons_sanctioned })
            })
            .collect()
    }

    pub async fn district_plan_facts(&self, first_year: i32, last_year: i32, within: Option<&[i64]>) -> Result<Vec<DistrictPlanFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, year, integrates_socio_economic + integrates_social_security + integrates_drugs + integrates_hiv, \
             COALESCE(adopted_on, CAST(year AS TEXT) || '-01-01') FROM district_plan WHERE year >= $1 AND year <= $2{}",
            within_sql("unit_id", within)
        );
        let rows = sqlx::query(&sql).bind(i64::from(first_year)).bind(i64::from(last_year)).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                let [unit_id, year, integrations] = ints(r)?;
                let adopted = crate::units::date_of(&r.try_get::<String, _>(3)?)?;
                Ok(DistrictPlanFact { unit_id, year, integrations, adopted })
            })
            .collect()
    }

    /// Units with a pilot model running at some time in the range (not paused).
    pub async fn pilot_units(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<i64>, StoreError> {
        let sql = format!(
            "SELECT DISTINCT unit_id FROM pilot_model WHERE status <> 'paused' AND started_on <= $2 AND (ended_on IS NULL OR ended_on >= $1){}",
            within_sql("unit_id", within)
        );
        let rows = self.rows(&sql, from, to).await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Support cases with need and eligibility open in the range, and those served in it.
    pub async fn support_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<SupportFact>, StoreError> {
        let sql = format!(
                "SELECT c.unit_id, COUNT(*), CAST(SUM(CASE WHEN EXISTS (SELECT 1 FROM support_service s WHERE s.case_id = c.id \
                 AND s.provided_on >= $1 AND s.provided_on <= $2) THEN 1 ELSE 0 END) AS BIGINT) FROM support_case c \
                 WHERE c.needs_support = 1 AND c.eligible = 1 AND c.opened_on <= $2 AND (c.closed_on IS NULL OR c.closed_on >= $1){} GROUP BY c.unit_id",
                within_sql("c.unit_id", within)
            );
        let packed = self.packed_sql(&sql, 3);
        let rows = self.fetch_packed::<3>(sqlx::query(&packed).bind(iso(from)).bind(iso(to))).await?;
        Ok(rows.into_iter().map(|[unit_id, eligible, served]| SupportFact { unit_id, eligible, served }).collect())
    }

    pub async fn training_facts(&self, from: NaiveDate, to: NaiveDate, within: Option<&[i64]>) -> Result<Vec<TrainingFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, CAST(SUM(participants_province) AS BIGINT), CAST(SUM(participants_district) AS BIGINT), \
             CAST(SUM(participants_commune) AS BIGINT) FROM training WHERE held_on >= $1 AND held_on <= $2{} GROUP BY unit_id",
            within_sql("unit_id", within)
        );
        let rows = self.rows(&sql, from, to).await?;
        rows.iter()
            .map(|r| {
                let [unit_id, province, district, commune] = ints(r)?;
                Ok(TrainingFact { unit_id, province, district, commune })
            })
            .collect()
    }

    pub async fn reference_facts(&self, first_year: i32, last_year: i32, within: Option<&[i64]>) -> Result<Vec<ReferenceFact>, StoreError> {
        let sql = format!(
            "SELECT unit_id, kind, level, year, value FROM reference_figure WHERE year >= $1 AND year <= $2{}",
            within_sql("unit_id", within)
        );
        let rows = sqlx::query(&sql).bind(i64::from(first_year)).bind(i64::from(last_year)).fetch_all(self.pool()).await?;
        rows.iter()
            .map(|r| {
                Ok(ReferenceFact { unit_id: r.try_get(0)?, kind: r.try_get(1)?, level: r.try_get(2)?, year: r.try_get(3)?, value: r.try_get(4)? })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_quarter_bit_is_found_by_the_months_starting_the_quarters() {
        // 2025: quarters start in April, July, October; the fourth takes the rest.
        assert_eq!(
            super::quarter_bit("month", "2025-01", "2025-12"),
            "CASE WHEN month < '2025-04' THEN 1 WHEN month < '2025-07' THEN 2 WHEN month < '2025-10' THEN 4 ELSE 8 END"
        );
        // Across a new year: October 2024 to June 2025 is three quarters.
        assert_eq!(super::quarter_bit("m", "2024-10", "2025-06"), "CASE WHEN m < '2025-01' THEN 1 WHEN m < '2025-04' THEN 2 ELSE 4 END");
        // A window from February: its first quarter is February–March, April opens the second.
        assert_eq!(super::quarter_bit("m", "2025-02", "2025-06"), "CASE WHEN m < '2025-04' THEN 1 ELSE 2 END");
        // One quarter: no comparison at all.
        assert_eq!(super::quarter_bit("m", "2025-01", "2025-03"), "1");
    }
}
