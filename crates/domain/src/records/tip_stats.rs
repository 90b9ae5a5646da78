//! How tips were handled over a period: counts by status, time to handle
//! (median and 90th percentile in days) and how many are overdue — the figures
//! a work report gives for "tố giác, tin báo, khiếu nại".

use super::TipStatus;
use chrono::NaiveDate;

/// What the statistics need of one tip.
#[derive(Debug, Clone, PartialEq)]
pub struct TipFact {
    pub received_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub status: TipStatus,
    /// The day it is due (extension and suspension counted); None while no clock runs.
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct TipStats {
    pub total: i64,
    /// Each status with its count, in the order of the workflow; statuses with none left out.
    pub by_status: Vec<(TipStatus, i64)>,
    /// Settled (handled, transferred or dismissed) with a closing date.
    pub closed: i64,
    /// Days from receipt to closing: the median (the mean of the two middle ones for an even count).
    pub median_days: Option<f64>,
    /// Days within which 90 % were settled (nearest rank).
    pub p90_days: Option<i64>,
    /// Still open on the day asked, past the deadline.
    pub overdue: i64,
    /// Settled, but after the deadline.
    pub closed_late: i64,
}

pub fn tip_stats(tips: &[TipFact], as_of: NaiveDate) -> TipStats {
    let mut s = TipStats { total: tips.len() as i64, ..TipStats::default() };
    for st in TipStatus::ALL {
        let n = tips.iter().filter(|t| t.status == *st).count() as i64;
        if n > 0 {
            s.by_status.push((*st, n));
        }
    }
    let mut days: Vec<i64> = Vec::new();
    for t in tips {
        match (t.status.is_closed(), t.closed_on) {
            (true, Some(c)) => {
                days.push((c - t.received_on).num_days());
                if t.due.is_some_and(|d| c > d) {
                    s.closed_late += 1;
                }
            }
            (true, None) => {}
            (false, _) => {
                if t.due.is_some_and(|d| d < as_of) {
                    s.overdue += 1;
                }
            }
        }
    }
    days.sort_unstable();
    s.closed = days.len() as i64;
    let n = days.len();
    if n > 0 {
        let mid = n / 2;
        s.median_days = Some(if n % 2 == 1 {
            days.get(mid).copied().unwrap_or(0) as f64
        } else {
            (days.get(mid - 1).copied().unwrap_or(0) + days.get(mid).copied().unwrap_or(0)) as f64 / 2.0
        });
        // Nearest rank: the ⌈0.9·n⌉-th smallest.
        let rank = (9 * n).div_ceil(10);
        s.p90_days = days.get(rank.saturating_sub(1)).copied();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, m, day).unwrap()
    }

    #[test]
    fn median_percentile_and_overdue_by_hand() {
        let closed = |received: NaiveDate, days: u64, due: NaiveDate| TipFact {
            received_on: received,
            closed_on: received.checked_add_days(chrono::Days::new(days)),
            status: TipStatus::Handled,
            due: Some(due),
        };
        let tips = vec![
            // Settled in 5, 10, 12, 20 and 40 days; the last after its deadline of 20 days.
            closed(d(1, 1), 5, d(1, 21)),
            closed(d(1, 1), 10, d(1, 21)),
            closed(d(1, 1), 12, d(1, 21)),
            closed(d(1, 1), 20, d(1, 21)),
            closed(d(1, 1), 40, d(1, 21)),
            // Open: one past its deadline on 01/03, one not yet due.
            TipFact { received_on: d(1, 10), closed_on: None, status: TipStatus::Verifying, due: Some(d(1, 30)) },
            TipFact { received_on: d(2, 20), closed_on: None, status: TipStatus::Received, due: Some(d(3, 12)) },
            // Suspended since before its deadline: its clock stands still, it is not overdue.
            TipFact { received_on: d(1, 5), closed_on: None, status: TipStatus::Suspended, due: None },
        ];
        let s = tip_stats(&tips, d(3, 1));
        assert_eq!(s.total, 8);
        assert_eq!(s.by_status, vec![(TipStatus::Received, 1), (TipStatus::Verifying, 1), (TipStatus::Suspended, 1), (TipStatus::Handled, 5)]);
        assert_eq!(s.closed, 5);
        // Sorted days 5, 10, 12, 20, 40: the middle one is 12; ⌈0.9·5⌉ = 5th → 40.
        assert_eq!(s.median_days, Some(12.0));
        assert_eq!(s.p90_days, Some(40));
        assert_eq!(s.overdue, 1);
        assert_eq!(s.closed_late, 1);
        // An even count: days 5, 10, 12, 20 → (10 + 12) / 2 = 11; ⌈0.9·4⌉ = 4th → 20.
        let s = tip_stats(&tips[..4], d(3, 1));
        assert_eq!((s.median_days, s.p90_days), (Some(11.0), Some(20)));
        assert_eq!(tip_stats(&[], d(3, 1)).median_days, None);
    }
}
