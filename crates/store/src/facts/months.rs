//! Facts from the maintained month aggregates (`activity_month`, `tip_month`,
//! migration 0007): whole months of a range are summed from the aggregate, the
//! days of a partly covered month at either end are read from the record table.

use super::{activity_of, establishment_of, within_sql, ActivityFact, EstablishmentFact, TipFact};
use crate::units::iso;
use crate::{Store, StoreError};
use chrono::{Datelike, Days, NaiveDate};

/// A day range cut into whole months and the days around them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Split {
    /// First and last whole month, `YYYY-MM`; the first after the last when there is none.
    pub months: (String, String),
    /// The days before and after the whole months; an empty range has its start after its end.
    pub before: (String, String),
    pub after: (String, String),
    /// The first days of the first and last whole months, when there are any.
    pub whole: Option<(NaiveDate, NaiveDate)>,
}

const EMPTY: (&str, &str) = ("9999-12-31", "0000-01-01");

fn first_of_month(d: NaiveDate) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1)
}

fn first_of_next_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 { (d.year() + 1, 1) } else { (d.year(), d.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1)
}

fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Cuts `[from, to]` into whole months, each ending before `ends_before` when
/// given, and the remaining days.
pub(crate) fn split(from: NaiveDate, to: NaiveDate, ends_before: Option<NaiveDate>) -> Split {
    let all_days =
        || Split { months: (EMPTY.0.into(), EMPTY.1.into()), before: (iso(from), iso(to)), after: (EMPTY.0.into(), EMPTY.1.into()), whole: None };
    if from > to {
        return all_days();
    }
    // The first whole month starts on or after `from`; the last whole month ends on or before `to`.
    let start = if from.day() == 1 { Some(from) } else { first_of_next_month(from) };
    let mut limit = to.checked_add_days(Days::new(1));
    if let Some(before) = ends_before {
        limit = limit.map(|l| l.min(before));
    }
    // Whole months end the day before `end` (the first day of the month after the last).
    let end = limit.and_then(first_of_month);
    let (Some(start), Some(end)) = (start, end) else { return all_days() };
    if start >= end {
        return all_days();
    }
    let last_month = end.pred_opt().unwrap_or(end);
    let day_before = |d: NaiveDate| d.pred_opt().unwrap_or(d);
    Split {
        months: (month(start), month(last_month)),
        before: if start > from { (iso(from), iso(day_before(start))) } else { (EMPTY.0.into(), EMPTY.1.into()) },
        after: if end <= to { (iso(end), iso(to)) } else { (EMPTY.0.into(), EMPTY.1.into()) },
        whole: first_of_month(last_month).map(|last| (start, last)),
    }
}

/// Each year from the first whole month's to the last's, with the mask of its months
/// covered as `establishment_year.months` keeps them (bit m-1 for month m).
pub(crate) fn year_masks((first, last): (NaiveDate, NaiveDate)) -> Vec<(i32, i64)> {
    (first.year()..=last.year())
        .map(|year| {
            let a = if year == first.year() { first.month() } else { 1 };
            let b = if year == last.year() { last.month() } else { 12 };
            (year, (a..=b).map(|m| 1_i64 << (m - 1)).sum())
        })
        .collect()
}

/// `(year = 'Y' AND (months & MASK) <> 0) OR …` over `establishment_year` for the
/// whole months of a split: bit m-1 of the mask for each month m covered in year Y.
fn inspected_months_sql(whole: Option<(NaiveDate, NaiveDate)>) -> String {
    let Some((first, last)) = whole else { return "1 = 0".into() };
    let terms: Vec<String> =
        year_masks((first, last)).into_iter().map(|(year, mask)| format!("(year = '{year:04}' AND (months & {mask}) <> 0)")).collect();
    terms.join(" OR ")
}

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Binds $1–$6: the first and last whole months (or `instead`, such as the whole
/// range), then the loose days before and after.
fn bind_split<'q>(q: Query<'q>, s: Split, instead: Option<(String, String)>) -> Query<'q> {
    let (a, b) = instead.unwrap_or(s.months);
    q.bind(a).bind(b).bind(s.before.0).bind(s.before.1).bind(s.after.0).bind(s.after.1)
}

impl Store {
    /// Establishments open in the range, their workers, and how many were
    /// inspected in it: whole months from `establishment_year`, loose days from
    /// the inspections. For the whole country; a restricted read of a few
    /// thousand establishments looks their inspections up directly.
    pub(super) async fn establishment_facts_by_month(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<EstablishmentFact>, StoreError> {
        let s = split(from, to, None);
        let Some(whole) = s.whole else { return self.establishment_facts_raw(from, to, None).await };
        // One year: a join on the key; several: each establishment once.
        let join = if whole.0.year() == whole.1.year() {
            format!("LEFT JOIN establishment_year y ON y.establishment_id = e.id AND ({})", inspected_months_sql(s.whole))
        } else {
            format!(
                "LEFT JOIN (SELECT establishment_id FROM establishment_year WHERE {} GROUP BY establishment_id) y ON y.establishment_id = e.id",
                inspected_months_sql(s.whole)
            )
        };
        let loose = s.before.0 <= s.before.1 || s.after.0 <= s.after.1;
        let loose_days = if loose {
            " OR EXISTS (SELECT 1 FROM inspection i WHERE i.establishment_id = e.id AND \
             ((i.inspected_on >= $3 AND i.inspected_on <= $4) OR (i.inspected_on >= $5 AND i.inspected_on <= $6)))"
        } else {
            " OR $3 < $4 OR $5 < $6"
        };
        let sql = format!(
            "SELECT e.unit_id, COUNT(*), CAST(SUM(e.workers) AS BIGINT), \
             CAST(SUM(CASE WHEN y.establishment_id IS NOT NULL{loose_days} THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN y.establishment_id IS NOT NULL{loose_days} OR e.closed_on IS NULL OR e.closed_on > $2 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM establishment e {join} \
             WHERE (e.opened_on IS NULL OR e.opened_on <= $2) AND (e.closed_on IS NULL OR e.closed_on >= $1) GROUP BY e.unit_id"
        );
        let packed = self.packed_sql(&sql, 5);
        let rows = self.fetch_packed::<5>(bind_split(sqlx::query(&packed), s, Some((iso(from), iso(to))))).await?;
        Ok(rows.into_iter().map(establishment_of).collect())
    }

    pub(super) async fn activity_facts_by_month(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        within: Option<&[i64]>,
    ) -> Result<Vec<ActivityFact>, StoreError> {
        let s = split(from, to, None);
        let sql = format!(
            "SELECT unit_id, CAST(SUM(n) AS BIGINT), CAST(SUM(a) AS BIGINT), CAST(SUM(b) AS BIGINT), CAST(SUM(c) AS BIGINT) FROM (\
             SELECT unit_id, activities AS n, at_risk_workers AS a, industrial_workers AS b, students AS c FROM activity_month \
             WHERE month >= $1 AND month <= $2{w} \
             UNION ALL SELECT unit_id, 1, reached_at_risk_workers, reached_industrial_workers, reached_students FROM activity \
             WHERE ((held_on >= $3 AND held_on <= $4) OR (held_on >= $5 AND held_on <= $6)){w}) x GROUP BY unit_id",
            w = within_sql("unit_id", within)
        );
        let packed = self.packed_sql(&sql, 5);
        let rows = self.fetch_packed::<5>(bind_split(sqlx::query(&packed), s, None)).await?;
        Ok(rows.into_iter().map(activity_of).collect())
    }

    /// A month's aggregate counts every tip recorded, settled or not: it answers
    /// "as known on `as_of`" only when nothing recorded is dated after `as_of`.
    /// Dates after today are refused at entry, so the whole months ending by
    /// `as_of` come from `tip_month`, corrected by the few tips it cannot tell:
    /// for an earlier `as_of`, those settled after it are added back as still
    /// open (found by the `tip_closed` index); those due on `as_of` itself and
    /// open are not yet overdue. The loose days are read from the tips.
    pub(super) async fn tip_facts_by_month(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        as_of: NaiveDate,
        within: Option<&[i64]>,
    ) -> Result<Vec<TipFact>, StoreError> {
        // Entry refuses dates after today (`RecordMeta::today`, Vietnam's; before 07/12/2026 it was
        // UTC's, which is never later than Vietnam's).
        let today = pcmd_domain::date::today_vn();
        // Whole months end on `as_of` at the latest: their tips were received and due by then, and
        // one settled by its deadline was settled by then. Only "still open" is as of now.
        let s = split(from, to, as_of.succ_opt());
        let due = "due_on";
        // A tip of those months settled after an earlier `as_of` was still open, and overdue, on it
        // (the deadline test sits in the select list so that the only search is by `tip_closed`).
        let settled_later = if as_of < today {
            format!(
                " UNION ALL SELECT unit_id, 0, 0, CASE WHEN {due} >= $8 AND {due} <= $9 AND {due} < $7 THEN 1 ELSE 0 END FROM tip WHERE closed_on > $7{w}",
                w = within_sql("unit_id", within)
            )
        } else {
            String::new()
        };
        // A tip due on `as_of` itself and still open is not yet overdue.
        let due_that_day = format!(
            " UNION ALL SELECT unit_id, 0, 0, -1 FROM tip WHERE {due} = $7 AND {due} >= $8 AND {due} <= $9 AND closed_on IS NULL{w}",
            w = within_sql("unit_id", within)
        );
        let sql = format!(
            "SELECT unit_id, CAST(SUM(due) AS BIGINT), CAST(SUM(on_time) AS BIGINT), CAST(SUM(overdue) AS BIGINT) FROM (\
             SELECT unit_id, due, on_time, still_open AS overdue FROM tip_month WHERE month >= $1 AND month <= $2{w}{settled_later}{due_that_day} \
             UNION ALL SELECT unit_id, 1, \
             CASE WHEN closed_on IS NOT NULL AND closed_on <= $7 AND closed_on <= {due} THEN 1 ELSE 0 END, \
             CASE WHEN (closed_on IS NULL OR closed_on > $7) AND {due} < $7 THEN 1 ELSE 0 END \
             FROM tip WHERE (({due} >= $3 AND {due} <= $4) OR ({due} >= $5 AND {due} <= $6)) AND received_on <= $7{w}) x GROUP BY unit_id HAVING SUM(due) > 0",
            w = within_sql("unit_id", within)
        );
        let (first, last) = month_days(&s.months);
        let packed = self.packed_sql(&sql, 4);
        let q = bind_split(sqlx::query(&packed), s, None).bind(iso(as_of)).bind(first).bind(last);
        let rows = self.fetch_packed::<4>(q).await?;
        Ok(rows.into_iter().map(|[unit_id, due, on_time, overdue_open]| TipFact { unit_id, due, on_time, overdue_open }).collect())
    }
}

/// The first and last day of a range of whole months `YYYY-MM`..`YYYY-MM` (empty when reversed).
fn month_days(months: &(String, String)) -> (String, String) {
    (format!("{}-01", months.0), format!("{}-31", months.1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.into(), b.into())
    }

    #[test]
    fn a_calendar_year_is_twelve_whole_months() {
        let s = split(d(2025, 1, 1), d(2025, 12, 31), None);
        assert_eq!(s.months, pair("2025-01", "2025-12"));
        assert!(s.before.0 > s.before.1 && s.after.0 > s.after.1, "no loose days: {s:?}");
    }

    #[test]
    fn a_decree_09_year_has_loose_days_at_both_ends() {
        // 15/12/2024 – 14/12/2025: 17 days of December 2024, January–November whole, 14 days of December 2025.
        let s = split(d(2024, 12, 15), d(2025, 12, 14), None);
        assert_eq!(s.months, pair("2025-01", "2025-11"));
        assert_eq!(s.before, pair("2024-12-15", "2024-12-31"));
        assert_eq!(s.after, pair("2025-12-01", "2025-12-14"));
    }

    #[test]
    fn a_month_ending_on_as_of_is_read_by_days() {
        // Tips due on as_of itself are not yet overdue, so March (ending on as_of) is read by days.
        let s = split(d(2025, 1, 1), d(2025, 3, 31), Some(d(2025, 3, 31)));
        assert_eq!(s.months, pair("2025-01", "2025-02"));
        assert_eq!(s.after, pair("2025-03-01", "2025-03-31"));
        // The day after, March is whole.
        assert_eq!(split(d(2025, 1, 1), d(2025, 3, 31), Some(d(2025, 4, 1))).months, pair("2025-01", "2025-03"));
    }

    #[test]
    fn whole_months_become_one_mask_per_year() {
        // 15/12/2024 – 14/12/2025: January (bit 0) to November (bit 10) of 2025 = 2^11 - 1 = 2047.
        assert_eq!(inspected_months_sql(split(d(2024, 12, 15), d(2025, 12, 14), None).whole), "(year = '2025' AND (months & 2047) <> 0)");
        // 01/07/2024 – 31/03/2025: July–December 2024 = 4032 (bits 6–11), January–March 2025 = 7.
        assert_eq!(
            inspected_months_sql(split(d(2024, 7, 1), d(2025, 3, 31), None).whole),
            "(year = '2024' AND (months & 4032) <> 0) OR (year = '2025' AND (months & 7) <> 0)"
        );
        assert_eq!(inspected_months_sql(split(d(2025, 3, 5), d(2025, 3, 20), None).whole), "1 = 0");
    }

    #[test]
    fn a_range_inside_one_month_is_all_days() {
        let s = split(d(2025, 3, 5), d(2025, 3, 20), None);
        assert!(s.months.0 > s.months.1);
        assert_eq!(s.before, pair("2025-03-05", "2025-03-20"));
        let s = split(d(2025, 3, 5), d(2025, 4, 20), None);
        assert!(s.months.0 > s.months.1, "no whole month between 05/03 and 20/04: {s:?}");
        assert_eq!((s.before, s.after), (pair("2025-03-05", "2025-04-20"), pair(EMPTY.0, EMPTY.1)));
    }
}
