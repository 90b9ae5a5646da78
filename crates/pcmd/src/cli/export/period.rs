//! The period of a DHIS2 export: exactly a calendar year, half, quarter or
//! month, the only periods DHIS2 names. It is read as every pcmd command reads
//! it (Decree 09 cut-off), and also in DHIS2's own notation (`2024S1`).
//!
//! A Decree 09 period (`2024-Y` = 15/12/2023–14/12/2024, `2024-H1` =
//! 15/12/2023–14/06/2024, or any range from a 15th to a 14th) is refused: DHIS2
//! would file its figure under a calendar period, covering other days.

use super::codes::PeriodType;
use chrono::{Datelike, NaiveDate};
use pcmd_domain::date::format_vn;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::Msg;

/// A period DHIS2 names, with its name there and its type.
#[derive(Debug, Clone, PartialEq)]
pub struct Dhis2Period {
    pub period: Period,
    pub dhis2: String,
    pub kind: PeriodType,
}

fn calendar(label: &str, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<Period> {
    Some(Period::new(label, from?, to?))
}

/// DHIS2's own notation: `2024S1`, `2024S2`, `2024Q3`, `202403` (a year reads as in pcmd).
fn dhis2_notation(t: &str) -> Option<Period> {
    let year: i32 = t.get(..4)?.parse().ok().filter(|y| (2000..=2100).contains(y))?;
    let rest = t.get(4..)?;
    let ymd = NaiveDate::from_ymd_opt;
    let month_end = |m: u32| if m == 12 { ymd(year, 12, 31) } else { ymd(year, m + 1, 1)?.pred_opt() };
    match rest.as_bytes() {
        [b'S', h @ (b'1' | b'2')] => {
            let first = if *h == b'1' { 1 } else { 7 };
            calendar(t, ymd(year, first, 1), month_end(first + 5))
        }
        [b'Q', q @ b'1'..=b'4'] => {
            let first = u32::from(q - b'0') * 3 - 2;
            calendar(t, ymd(year, first, 1), month_end(first + 2))
        }
        [a @ b'0'..=b'1', b @ b'0'..=b'9'] => {
            let m = u32::from(a - b'0') * 10 + u32::from(b - b'0');
            if (1..=12).contains(&m) {
                calendar(t, ymd(year, m, 1), month_end(m))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Reads the period of a DHIS2 export, or says why DHIS2 has none for it.
pub fn parse(text: &str) -> Result<Dhis2Period, Msg> {
    let t = text.trim();
    let period = match dhis2_notation(t) {
        Some(p) => p,
        None => Period::parse(t, Cutoff::Decree09).map_err(|_| {
            Msg::new(
                format!(
                    "kỳ «{t}» không hợp lệ: dùng năm 2025, nửa năm 2025S1 (tháng 1–6) hoặc 2025S2, quý 2025Q3 hoặc 2025-Q3, \
                     tháng 202503 hoặc 2025-03, hoặc khoảng ngày dương lịch 2025-01-01..2025-06-30"
                ),
                format!(
                    "invalid period «{t}»: use a year 2025, a half 2025S1 (January–June) or 2025S2, a quarter 2025Q3 or \
                     2025-Q3, a month 202503 or 2025-03, or a calendar day range 2025-01-01..2025-06-30"
                ),
            )
        })?,
    };
    let (from, to) = (format_vn(period.from), format_vn(period.to));
    if period.is_reporting() {
        // What to ask instead: the calendar periods of the year the reporting period is named by.
        let y = period.to.year();
        return Err(Msg::new(
            format!(
                "DHIS2 không có kỳ «{t}»: đây là kỳ báo cáo theo Nghị định 09/2019/NĐ-CP ({from} – {to}), còn DHIS2 chỉ có \
                 kỳ dương lịch; dùng năm ({y}), nửa năm ({y}S1 = tháng 1–6, {y}S2 = tháng 7–12), quý ({y}Q1…) hoặc tháng ({y}01…)"
            ),
            format!(
                "DHIS2 has no period «{t}»: it is a Decree 09/2019 reporting period ({from} – {to}) and DHIS2 has calendar \
                 periods only; use a year ({y}), a half ({y}S1 = January–June, {y}S2 = July–December), a quarter ({y}Q1…) or a month ({y}01…)"
            ),
        ));
    }
    let Some((dhis2, kind)) = period.dhis2().and_then(|d| PeriodType::of(&d).map(|k| (d, k))) else {
        return Err(Msg::new(
            format!(
                "DHIS2 không có kỳ «{t}» ({from} – {to}): DHIS2 chỉ nhận trọn một năm, nửa năm (tháng 1–6 hoặc 7–12), quý \
                 hoặc tháng dương lịch"
            ),
            format!(
                "DHIS2 has no period for «{t}» ({from} – {to}): DHIS2 takes exactly one calendar year, half (January–June \
                 or July–December), quarter or month"
            ),
        ));
    };
    Ok(Dhis2Period { period, dhis2, kind })
}

/// Every period DHIS2 names within the calendar years of `from`..`to`.
pub fn all_within(from: NaiveDate, to: NaiveDate) -> Vec<Dhis2Period> {
    let mut out = Vec::new();
    for y in from.year()..=to.year() {
        let mut names = vec![y.to_string(), format!("{y}S1"), format!("{y}S2")];
        names.extend((1..=4).map(|q| format!("{y}Q{q}")));
        names.extend((1..=12).map(|m| format!("{y}{m:02}")));
        out.extend(names.iter().filter_map(|n| parse(n).ok()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(t: &str) -> Result<String, String> {
        parse(t).map(|p| p.dhis2).map_err(|m| m.to_string())
    }

    #[test]
    fn calendar_periods_are_named_as_dhis2_names_them() {
        assert_eq!(name("2024").as_deref(), Ok("2024"));
        assert_eq!(name("2024S1").as_deref(), Ok("2024S1"));
        assert_eq!(name("2024S2").as_deref(), Ok("2024S2"));
        assert_eq!(name("2024-01-01..2024-06-30").as_deref(), Ok("2024S1"));
        assert_eq!(name("2024Q3").as_deref(), Ok("2024Q3"));
        assert_eq!(name("2024-Q3").as_deref(), Ok("2024Q3"));
        assert_eq!(name("202402").as_deref(), Ok("202402"));
        assert_eq!(name("2024-02").as_deref(), Ok("202402"));
        let s2 = parse("2024S2").map(|p| (p.period.from, p.period.to, p.kind));
        assert_eq!(s2, Ok((d(2024, 7, 1), d(2024, 12, 31), PeriodType::SixMonthly)));
        assert_eq!(parse("202402").map(|p| p.period.to), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn decree_09_periods_and_other_ranges_are_refused() {
        for t in ["2024-Y", "2024-H1", "2024-H2", "2023-12-15..2024-06-14", "2024-03-15..2024-04-14"] {
            let e = name(t).unwrap_err();
            assert!(e.contains("Nghị định 09/2019/NĐ-CP") && e.contains("Decree 09/2019"), "{t}: {e}");
        }
        let e = name("2024-Y").unwrap_err();
        assert!(e.contains("15/12/2023 – 14/12/2024") && e.contains("2024S1 = tháng 1–6"), "{e}");
        for t in ["2024..2025", "2024-02-01..2024-04-30", "2024-01-01..2024-06-29"] {
            assert!(name(t).unwrap_err().starts_with("DHIS2 không có kỳ"), "{t}");
        }
        for t in ["2024S3", "2024Q5", "202413", "next year", "24"] {
            assert!(name(t).unwrap_err().starts_with("kỳ «"), "{t}");
        }
    }

    #[test]
    fn every_period_of_a_year() {
        assert_eq!(all_within(d(2024, 1, 1), d(2025, 12, 31)).len(), 2 * 19);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }
}
