//! Periods (kỳ): year, half-year, quarter, month, a range of years or days.
//!
//! Half-years follow the cut-off dates of the government reporting regime by
//! default (Decree 09/2019/NĐ-CP: the first six months run from 15 December of
//! the previous year to 14 June); `Cutoff::Calendar` makes them calendar halves.
//! Years, quarters and months are calendar ones: plans set yearly targets by
//! calendar year.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::fmt;

/// How half-years are cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Cutoff {
    /// 15/12 – 14/06 and 15/06 – 14/12 (Decree 09/2019/NĐ-CP, art. 12).
    #[default]
    Decree09,
    Calendar,
}

/// A closed interval of days with the label it was asked by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1)?.pred_opt()
}

impl Period {
    pub fn new(label: impl Into<String>, from: NaiveDate, to: NaiveDate) -> Self {
        Period { label: label.into(), from, to }
    }

    pub fn year(y: i32) -> Option<Self> {
        Some(Period::new(y.to_string(), ymd(y, 1, 1)?, ymd(y, 12, 31)?))
    }

    /// Reads `2025`, `2025-H1`, `2025-Q3`, `2025-03`, `2024..2025` or `2024-03-01..2024-05-31`.
    pub fn parse(text: &str, cutoff: Cutoff) -> Result<Period, crate::Msg> {
        let t = text.trim();
        let bad = || {
            crate::Msg::new(
                format!("kỳ «{t}» không hợp lệ: dùng 2025, 2025-Y (năm báo cáo), 2025-H1, 2025-Q3, 2025-03, 2024..2025 hoặc 2024-01-01..2024-06-30"),
                format!("invalid period «{t}»: use 2025, 2025-Y (reporting year), 2025-H1, 2025-Q3, 2025-03, 2024..2025 or a day range"),
            )
        };
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        let p = if let Some((a, b)) = t.split_once("..") {
            if let (Some(ya), Some(yb)) = (year(a), year(b)) {
                Some(Period::new(t, ymd(ya, 1, 1).ok_or_else(bad)?, ymd(yb, 12, 31).ok_or_else(bad)?))
            } else {
                let from = crate::date::parse(a).map_err(|_| bad())?;
                let to = crate::date::parse(b).map_err(|_| bad())?;
                Some(Period::new(t, from, to))
            }
        } else if let Some(y) = year(t) {
            Period::year(y)
        } else if let Some((y, rest)) = t.split_once('-') {
            let y = year(y).ok_or_else(bad)?;
            match rest {
                "H1" | "h1" => match cutoff {
                    Cutoff::Decree09 => Some(Period::new(t, ymd(y - 1, 12, 15).ok_or_else(bad)?, ymd(y, 6, 14).ok_or_else(bad)?)),
                    Cutoff::Calendar => Some(Period::new(t, ymd(y, 1, 1).ok_or_else(bad)?, ymd(y, 6, 30).ok_or_else(bad)?)),
                },
                // The year report: 15/12 of the year before to 14/12 under Decree 09, else the calendar year.
                "Y" | "y" => match cutoff {
                    Cutoff::Decree09 => Some(Period::new(t, ymd(y - 1, 12, 15).ok_or_else(bad)?, ymd(y, 12, 14).ok_or_else(bad)?)),
                    Cutoff::Calendar => Period::year(y).map(|p| Period::new(t, p.from, p.to)),
                },
                "H2" | "h2" => match cutoff {
                    Cutoff::Decree09 => Some(Period::new(t, ymd(y, 6, 15).ok_or_else(bad)?, ymd(y, 12, 14).ok_or_else(bad)?)),
                    Cutoff::Calendar => Some(Period::new(t, ymd(y, 7, 1).ok_or_else(bad)?, ymd(y, 12, 31).ok_or_else(bad)?)),
                },
                q if q.len() == 2 && (q.starts_with('Q') || q.starts_with('q')) => {
                    let n: u32 = q.get(1..).and_then(|n| n.parse().ok()).filter(|n| (1..=4).contains(n)).ok_or_else(bad)?;
                    let first = (n - 1) * 3 + 1;
                    Some(Period::new(t, ymd(y, first, 1).ok_or_else(bad)?, month_end(y, first + 2).ok_or_else(bad)?))
                }
                m => {
                    let m: u32 = m.parse().ok().filter(|m| (1..=12).contains(m)).ok_or_else(bad)?;
                    Some(Period::new(t, ymd(y, m, 1).ok_or_else(bad)?, month_end(y, m).ok_or_else(bad)?))
                }
            }
        } else {
            None
        };
        let p = p.ok_or_else(bad)?;
        if p.from > p.to {
            return Err(bad());
        }
        Ok(p)
    }

    /// The period in DHIS2's notation — `2025`, `2025S1`, `2025Q3`, `202503` —
    /// when it is exactly a calendar year, half, quarter or month; DHIS2 has no
    /// notation for other ranges, nor for the Decree 09 year and half-years
    /// (`2025-Y`, `2025-H1`, `2025-H2` under `Cutoff::Decree09`, 15th to 14th):
    /// the name goes by the days, never by the label.
    pub fn dhis2(&self) -> Option<String> {
        use chrono::Datelike;
        let (y, m1, d1) = (self.from.year(), self.from.month(), self.from.day());
        if d1 != 1 || self.to.year() != y || self.to != month_end(y, self.to.month())? {
            return None;
        }
        let months = self.to.month() + 1 - m1;
        match (months, m1) {
            (12, 1) => Some(format!("{y}")),
            (6, 1) => Some(format!("{y}S1")),
            (6, 7) => Some(format!("{y}S2")),
            (3, m) if (m - 1) % 3 == 0 => Some(format!("{y}Q{}", (m - 1) / 3 + 1)),
            (1, m) => Some(format!("{y}{m:02}")),
            _ => None,
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The share of the period gone by on `as_of`, from 0 to 1.
    pub fn elapsed(&self, as_of: NaiveDate) -> f64 {
        if as_of < self.from {
            0.0
        } else if as_of >= self.to {
            1.0
        } else {
            ((as_of - self.from).num_days() + 1) as f64 / self.days() as f64
        }
    }

    /// The calendar months (year, month) the period touches, up to `as_of`.
    pub fn months_until(&self, as_of: NaiveDate) -> Vec<(i32, u32)> {
        let end = self.to.min(as_of);
        let mut out = Vec::new();
        let (mut y, mut m) = (self.from.year(), self.from.month());
        while ymd(y, m, 1).is_some_and(|first| first <= end) {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }

    /// The calendar years the period touches.
    pub fn years(&self) -> Vec<i32> {
        (self.from.year()..=self.to.year()).collect()
    }

    /// The same period one year earlier (for growth).
    pub fn year_before(&self) -> Option<Period> {
        let back = |d: NaiveDate| d.with_year(d.year() - 1).or_else(|| d.pred_opt().and_then(|p| p.with_year(d.year() - 1)));
        Some(Period::new(format!("{} − 1 năm", self.label), back(self.from)?, back(self.to)?))
    }
}

/// The start of the reporting month or year holding `d` (Decree 09: the 15th).
fn reporting_start(d: NaiveDate, months: u32) -> Option<NaiveDate> {
    // Reporting months run 15th–14th; quarters and years start on 15/12, 15/03, 15/06, 15/09.
    let (mut y, mut m) = (d.year(), d.month());
    if d.day() < 15 {
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
    }
    // Months counted from December: 15/12 starts quarter and year alike.
    let from_dec = (m % 12) % months;
    let mut back = from_dec;
    while back > 0 {
        (y, m) = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        back -= 1;
    }
    ymd(y, m, 15)
}

fn add_months(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_months(chrono::Months::new(n))
}

impl Period {
    /// Whether the period follows the reporting regime's cut-off (Decree
    /// 09/2019/NĐ-CP): it starts on a 15th and ends on a 14th.
    pub fn is_reporting(&self) -> bool {
        self.from.day() == 15 && self.to.day() == 14
    }

    /// The days of the period known on `as_of`: up to it, and at least the first day.
    pub fn known_on(&self, as_of: NaiveDate) -> Period {
        Period::new(self.label.as_str(), self.from, self.to.min(as_of).max(self.from))
    }

    /// The plan years the period speaks for, first and last: a reporting year
    /// 15/12/2023–14/12/2024 is 2024 (a district's plan for 2024 stands behind it).
    pub fn plan_years(&self) -> (i32, i32) {
        let first = if self.is_reporting() && self.from.month() == 12 { self.from.year() + 1 } else { self.from.year() };
        (first, self.to.year().max(first))
    }

    /// The period cut into spans of `months` months (1: months, 3: quarters,
    /// 12: years), each clipped to the period: reporting spans (15th to 14th,
    /// quarters and years starting on 15/12) for a reporting period, calendar
    /// ones otherwise.
    pub fn buckets(&self, months: u32) -> Vec<Period> {
        let months = months.clamp(1, 12);
        let reporting = self.is_reporting();
        let start = if reporting {
            reporting_start(self.from, months)
        } else {
            ymd(self.from.year(), self.from.month() - (self.from.month() - 1) % months, 1)
        };
        let mut out = Vec::new();
        let mut cur = start;
        while let Some(s) = cur.filter(|s| *s <= self.to) {
            let next = add_months(s, months);
            let end = next.and_then(|n| n.pred_opt()).unwrap_or(self.to);
            let (from, to) = (s.max(self.from), end.min(self.to));
            let label = bucket_label(s, months, reporting);
            out.push(Period::new(label, from, to));
            cur = next;
        }
        out
    }

    /// The years a yearly target is judged in within this period: each year
    /// (calendar, or reporting year for a reporting period) with the part of
    /// the period inside it. A part equal to its year is labelled by the year.
    pub fn years_within(&self) -> Vec<(Period, Period)> {
        let years = self.buckets(12);
        let single = years.len() == 1;
        years
            .into_iter()
            .filter_map(|part| {
                let year = if self.is_reporting() {
                    let y = part.from.year() + i32::from(part.from.month() == 12);
                    Period::new(format!("{y}-Y"), ymd(y - 1, 12, 15)?, ymd(y, 12, 14)?)
                } else {
                    Period::year(part.from.year())?
                };
                let label = if single {
                    self.label.clone()
                } else if part.from == year.from && part.to == year.to {
                    year.label.clone()
                } else {
                    format!("{}..{}", part.from, part.to)
                };
                Some((year, Period::new(label, part.from, part.to)))
            })
            .collect()
    }
}

fn bucket_label(start: NaiveDate, months: u32, reporting: bool) -> String {
    // A reporting span is named by the month it mostly covers (15/12–14/01 is January).
    let named = if reporting { add_months(start, 1).unwrap_or(start) } else { start };
    let (y, m) = (named.year(), named.month());
    match months {
        12 => format!("{y}"),
        3 => format!("{y}-Q{}", (m - 1) / 3 + 1),
        1 => format!("{y}-{m:02}"),
        n => format!("{y}-{m:02}+{n}"),
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} – {})", self.label, crate::date::format_vn(self.from), crate::date::format_vn(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_report_follows_the_cutoff() {
        let p = Period::parse("2024-Y", Cutoff::Decree09).unwrap();
        assert_eq!((p.from, p.to), (d(2023, 12, 15), d(2024, 12, 14)));
        let p = Period::parse("2024-Y", Cutoff::Calendar).unwrap();
        assert_eq!((p.from, p.to), (d(2024, 1, 1), d(2024, 12, 31)));
    }

    #[test]
    fn dhis2_names_calendar_years_halves_quarters_and_months_only() {
        let p = |t: &str, c| Period::parse(t, c).unwrap().dhis2();
        assert_eq!(p("2025", Cutoff::Calendar).as_deref(), Some("2025"));
        assert_eq!(p("2025-H1", Cutoff::Calendar).as_deref(), Some("2025S1"));
        assert_eq!(p("2025-H2", Cutoff::Calendar).as_deref(), Some("2025S2"));
        assert_eq!(p("2025-Q3", Cutoff::Calendar).as_deref(), Some("2025Q3"));
        assert_eq!(p("2025-03", Cutoff::Calendar).as_deref(), Some("202503"));
        // 15/12/2024–14/06/2025 is no DHIS2 period, nor are two years or a day range.
        assert_eq!(p("2025-H1", Cutoff::Decree09), None);
        // Nor the Decree 09 year (15/12/2024–14/12/2025) and half-years: only their calendar namesakes are named.
        assert_eq!(p("2025-Y", Cutoff::Decree09), None);
        assert_eq!(p("2025-H2", Cutoff::Decree09), None);
        assert_eq!(p("2024-12-15..2025-12-14", Cutoff::Calendar), None);
        assert_eq!(p("2025-Y", Cutoff::Calendar).as_deref(), Some("2025"));
        assert_eq!(p("2025-01-01..2025-06-30", Cutoff::Decree09).as_deref(), Some("2025S1"));
        assert_eq!(p("2024-02", Cutoff::Decree09).as_deref(), Some("202402"));
        assert_eq!(p("2025-12", Cutoff::Decree09).as_deref(), Some("202512"));
        assert_eq!(p("2024..2025", Cutoff::Calendar), None);
        assert_eq!(p("2025-02-01..2025-04-30", Cutoff::Calendar), None);
        assert_eq!(p("2025-02-01..2025-04-15", Cutoff::Calendar), None);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(t: &str) -> (NaiveDate, NaiveDate) {
        let p = Period::parse(t, Cutoff::Decree09).unwrap();
        (p.from, p.to)
    }

    #[test]
    fn every_form() {
        assert_eq!(p("2025"), (d(2025, 1, 1), d(2025, 12, 31)));
        // Decree 09/2019: 15/12 of the previous year to 14/06.
        assert_eq!(p("2025-H1"), (d(2024, 12, 15), d(2025, 6, 14)));
        assert_eq!(p("2025-H2"), (d(2025, 6, 15), d(2025, 12, 14)));
        assert_eq!(p("2025-Q3"), (d(2025, 7, 1), d(2025, 9, 30)));
        assert_eq!(p("2024-02"), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(p("2024..2025"), (d(2024, 1, 1), d(2025, 12, 31)));
        assert_eq!(p("2024-03-01..2024-05-31"), (d(2024, 3, 1), d(2024, 5, 31)));
        let cal = Period::parse("2025-H1", Cutoff::Calendar).unwrap();
        assert_eq!((cal.from, cal.to), (d(2025, 1, 1), d(2025, 6, 30)));
        for bad in ["2025-Q5", "2025-13", "25", "2025..2024", "next year", "2025-H3"] {
            assert!(Period::parse(bad, Cutoff::Decree09).is_err(), "{bad}");
        }
    }

    #[test]
    fn elapsed_months_and_years() {
        let y = Period::year(2025).unwrap();
        assert_eq!(y.elapsed(d(2024, 12, 31)), 0.0);
        assert_eq!(y.elapsed(d(2026, 1, 1)), 1.0);
        // 1 Jan .. 2 Jul 2025 is 183 of 365 days.
        assert!((y.elapsed(d(2025, 7, 2)) - 183.0 / 365.0).abs() < 1e-12);
        assert_eq!(y.months_until(d(2025, 3, 10)), [(2025, 1), (2025, 2), (2025, 3)]);
        assert_eq!(y.months_until(d(2030, 1, 1)).len(), 12);
        assert_eq!(Period::parse("2024..2025", Cutoff::Decree09).unwrap().years(), [2024, 2025]);
        let before = Period::parse("2024-02", Cutoff::Decree09).unwrap().year_before().unwrap();
        assert_eq!((before.from, before.to), (d(2023, 2, 1), d(2023, 2, 28)));
    }

    #[test]
    fn reporting_months_quarters_and_years() {
        // 2024-Y under Decree 09: 12 reporting months, the first 15/12/2023–14/01/2024.
        let y = Period::parse("2024-Y", Cutoff::Decree09).unwrap();
        let months = y.buckets(1);
        assert_eq!(months.len(), 12);
        assert_eq!((months[0].from, months[0].to, months[0].label.as_str()), (d(2023, 12, 15), d(2024, 1, 14), "2024-01"));
        assert_eq!((months[11].from, months[11].to), (d(2024, 11, 15), d(2024, 12, 14)));
        // Reporting quarters start on 15/12, 15/03, 15/06, 15/09.
        let q = y.buckets(3);
        assert_eq!(q.iter().map(|p| (p.from, p.to)).collect::<Vec<_>>()[1], (d(2024, 3, 15), d(2024, 6, 14)));
        assert_eq!(q.len(), 4);
        let h2 = Period::parse("2024-H2", Cutoff::Decree09).unwrap();
        assert_eq!(h2.buckets(3).iter().map(|p| p.from).collect::<Vec<_>>(), [d(2024, 6, 15), d(2024, 9, 15)]);
        // The calendar year: 12 months, 4 quarters.
        let cal = Period::year(2024).unwrap();
        assert_eq!(cal.buckets(1).len(), 12);
        assert_eq!(cal.buckets(3)[3].from, d(2024, 10, 1));
        // A range of days keeps its own ends.
        let r = Period::parse("2024-02-10..2024-04-05", Cutoff::Decree09).unwrap();
        let m = r.buckets(1);
        assert_eq!(
            m.iter().map(|p| (p.from, p.to)).collect::<Vec<_>>(),
            [(d(2024, 2, 10), d(2024, 2, 29)), (d(2024, 3, 1), d(2024, 3, 31)), (d(2024, 4, 1), d(2024, 4, 5))]
        );
    }

    #[test]
    fn the_years_a_yearly_target_is_judged_in() {
        let y = |t: &str| Period::parse(t, Cutoff::Decree09).unwrap().years_within();
        // 2024-H1 (15/12/2023–14/06/2024) lies in the reporting year 2024.
        let h1 = y("2024-H1");
        assert_eq!(h1.len(), 1);
        assert_eq!((h1[0].0.from, h1[0].0.to, h1[0].1.label.as_str()), (d(2023, 12, 15), d(2024, 12, 14), "2024-H1"));
        // Two calendar years, each whole.
        let two = y("2024..2025");
        assert_eq!(two.iter().map(|(_, w)| w.label.as_str()).collect::<Vec<_>>(), ["2024", "2025"]);
        // A day range across a new year is cut at 31/12.
        let cut = y("2024-07-01..2025-06-30");
        assert_eq!(cut.iter().map(|(_, w)| (w.from, w.to)).collect::<Vec<_>>(), [(d(2024, 7, 1), d(2024, 12, 31)), (d(2025, 1, 1), d(2025, 6, 30))]);
        assert_eq!(y("2025-Q3")[0].0, Period::year(2025).unwrap());
    }
}
