//! Dates as Vietnamese documents write them (dd/mm/yyyy) and as the store keeps them (ISO).

use chrono::NaiveDate;

/// `2023-12-07` → `07/12/2023`.
pub fn format_vn(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Reads `YYYY-MM-DD` or `dd/mm/yyyy`.
pub fn parse(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| format!("ngày không hợp lệ «{t}»: viết dd/mm/yyyy hoặc YYYY-MM-DD (invalid date «{t}»: write dd/mm/yyyy or YYYY-MM-DD)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms() {
        let d = NaiveDate::from_ymd_opt(2023, 12, 7).unwrap();
        assert_eq!(parse("2023-12-07"), Ok(d));
        assert_eq!(parse("07/12/2023"), Ok(d));
        assert_eq!(format_vn(d), "07/12/2023");
        assert!(parse("31/02/2024").is_err());
        assert!(parse("2024-13-01").is_err());
    }
}
