//! Dates as Vietnamese documents write them (dd/mm/yyyy) and as the store keeps them (ISO).

use chrono::NaiveDate;

/// `2023-12-07` → `07/12/2023`.
pub fn format_vn(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Vietnam's clock (UTC+7, no daylight saving), whatever the server's time
/// zone: a server kept in UTC would otherwise date a tip received at 06:30 in
/// Lai Châu the day before, and call 15:00 there "outside working hours".
pub fn now_vn() -> chrono::NaiveDateTime {
    in_vn(&chrono::Utc::now())
}

/// An instant as Vietnam's clock reads it (UTC+7, no daylight saving).
fn in_vn<Tz: chrono::TimeZone>(t: &chrono::DateTime<Tz>) -> chrono::NaiveDateTime {
    chrono::FixedOffset::east_opt(7 * 3600).map_or_else(|| t.naive_utc(), |z| t.with_timezone(&z).naive_local())
}

/// Today in Vietnam (see `now_vn`).
pub fn today_vn() -> NaiveDate {
    now_vn().date()
}

/// The hour of the day in Vietnam (see `now_vn`).
pub fn hour_vn() -> u32 {
    chrono::Timelike::hour(&now_vn())
}

/// The day in Vietnam of a stored UTC instant (`2026-12-07T18:30:00Z` →
/// 08/12/2026); a bare `YYYY-MM-DD…` is read as the day it names.
pub fn day_of_instant_vn(iso: &str) -> Option<NaiveDate> {
    match chrono::DateTime::parse_from_rfc3339(iso) {
        Ok(t) => Some(in_vn(&t).date()),
        Err(_) => NaiveDate::parse_from_str(iso.get(..10)?, "%Y-%m-%d").ok(),
    }
}

/// A stored UTC instant (`2026-11-24T09:02:24Z`) as Vietnam's clock reads it
/// (UTC+7, no daylight saving): `24/11/2026 16:02`. Unreadable text is returned as is.
pub fn format_instant_vn(iso: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(iso) {
        Ok(t) => in_vn(&t).format("%d/%m/%Y %H:%M").to_string(),
        Err(_) => iso.to_string(),
    }
}

/// `YYYY-MM-DD` or `dd/mm/yyyy` written in full, read by hand: chrono's format
/// parser costs about a microsecond a date, which a 100,000-row file or the
/// 28,298 dates of the unit lists feel. Anything else is `None`, for chrono to read.
fn ten(t: &str) -> Option<NaiveDate> {
    let b: &[u8; 10] = t.as_bytes().try_into().ok()?;
    let num = |digits: &[u8]| digits.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')));
    let (y, m, d) = match (b[4], b[7], b[2], b[5]) {
        (b'-', b'-', _, _) => (num(&b[0..4])?, num(&b[5..7])?, num(&b[8..10])?),
        (_, _, b'/', b'/') => (num(&b[6..10])?, num(&b[3..5])?, num(&b[0..2])?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// Reads a stored date (`YYYY-MM-DD`).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    ten(text).filter(|_| text.as_bytes().get(4) == Some(&b'-')).or_else(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
}

/// Reads `YYYY-MM-DD` or `dd/mm/yyyy`.
pub fn parse(text: &str) -> Result<NaiveDate, crate::Msg> {
    let t = text.trim();
    // Eight digits are a day typed on a phone's number pad, which has no "/": 28122025.
    let eight = |t: &str| (t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit())).then(|| NaiveDate::parse_from_str(t, "%d%m%Y").ok()).flatten();
    if let Some(d) = ten(t) {
        return Ok(d);
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .ok()
        .or_else(|| eight(t))
        .ok_or_else(|| {
            crate::Msg::new(
                format!("ngày không hợp lệ «{t}»: viết ngày/tháng/năm, ví dụ 28/12/2025"),
                format!("invalid date «{t}»: write day/month/year, e.g. 28/12/2025"),
            )
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_day_of_an_instant_is_vietnams() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // 16:59:59 UTC is 23:59:59 in Vietnam; 17:00 UTC is midnight of the next day there.
        assert_eq!(day_of_instant_vn("2026-12-07T16:59:59Z"), Some(d(2026, 12, 7)));
        assert_eq!(day_of_instant_vn("2026-12-07T17:00:00Z"), Some(d(2026, 12, 8)));
        assert_eq!(day_of_instant_vn("2026-12-07"), Some(d(2026, 12, 7)));
        assert_eq!(day_of_instant_vn("hôm nay"), None);
        let utc_plus_7 = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
        let today = today_vn();
        // The clock may turn between the two readings: one of them, never the UTC day 7 hours behind.
        assert!(today == utc_plus_7 || today.succ_opt() == Some(utc_plus_7), "{today} {utc_plus_7}");
    }

    use super::*;

    #[test]
    fn both_forms() {
        let d = NaiveDate::from_ymd_opt(2023, 12, 7).unwrap();
        assert_eq!(parse("2023-12-07"), Ok(d));
        assert_eq!(parse("07/12/2023"), Ok(d));
        assert_eq!(format_vn(d), "07/12/2023");
        assert!(parse("31/02/2024").is_err());
        // From a number pad: eight digits, day first; and with dashes.
        assert_eq!(parse("07122023"), Ok(d));
        assert_eq!(parse("07-12-2023"), Ok(d));
        assert!(parse("20231207x").is_err() && parse("31022024").is_err());
        assert!(parse("2024-13-01").is_err());
        // 20:30 UTC is 03:30 the next morning in Hà Nội.
        assert_eq!(format_instant_vn("2025-06-30T20:30:00Z"), "01/07/2025 03:30");
        assert_eq!(format_instant_vn("2026-11-24T09:02:24.678072Z"), "24/11/2026 16:02");
        assert_eq!(format_instant_vn("không rõ"), "không rõ");
    }

    /// The hand-read forms give what chrono gives, and refuse what it refuses.
    #[test]
    fn the_fast_forms_agree_with_chrono() {
        for t in [
            "2023-12-07",
            "07/12/2023",
            "29/02/2024",
            "2024-02-29",
            "29/02/2023",
            "2023-02-29",
            "31/04/2025",
            "00/01/2025",
            "2025-00-10",
            "2025-13-01",
            "1x/12/2023",
            "2023-1x-07",
            "2023/12/07",
            "07-12-2023",
            "7/12/2023",
            "2023-12-7",
            "+023-12-07",
            "0000-01-01",
        ] {
            let chrono = NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
                .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"));
            assert_eq!(parse(t).ok(), chrono.ok(), "{t}");
            assert_eq!(parse_iso(t), NaiveDate::parse_from_str(t, "%Y-%m-%d").ok(), "{t}");
        }
        assert_eq!(ten("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(ten("29/02/2024"), NaiveDate::from_ymd_opt(2024, 2, 29));
        assert_eq!(ten("2023-12-7"), None, "not ten characters: left to chrono");
        assert_eq!(ten("Hà-Nội-12"), None);
    }
}
