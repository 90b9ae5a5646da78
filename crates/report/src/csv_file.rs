//! The report's tables as one CSV file (UTF-8 with a byte-order mark, so that
//! Excel reads the Vietnamese letters): each table under its title, a blank
//! line between. Numbers are written raw — a dot before decimals, no thousands
//! separator — so that a program reads them as numbers; dates dd/mm/yyyy. A
//! text that a spreadsheet would take for a formula (starting with =, +, -,
//! @, a tab or a carriage return) gets a leading apostrophe.

use crate::model::{Table, UnitReport};
use crate::ReportError;

/// A text cell, made safe from formula injection (OWASP: CSV injection).
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A number written raw: "1.005.000.000" → "1005000000", "12,5" → "12.5"; None for what is no number.
pub fn raw_number(s: &str) -> Option<String> {
    crate::xlsx::number(s).map(raw)
}

/// A number with a dot before its decimals, at most four of them, no separator.
pub fn raw(v: f64) -> String {
    let r = (v * 10_000.0).round() / 10_000.0;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        format!("{}", r as i64)
    } else {
        format!("{r}")
    }
}

fn table_rows(t: &Table) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, c)| match raw_number(c).filter(|_| t.numeric.contains(&i)) {
                    Some(n) => n,
                    None => text(c),
                })
                .collect()
        })
        .collect()
}

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        let opt = |v: Option<f64>| v.map(raw).unwrap_or_default();
        w.write_record([text(&format!("Báo cáo: {}", r.title))])?;
        w.write_record([text(&format!(
            "Đơn vị: {} ({}); kỳ {}; số liệu đến ngày {}",
            r.unit.name,
            r.unit.code,
            r.period_in_full(),
            pcmd_domain::date::format_vn(r.as_of)
        ))])?;
        w.write_record([""])?;
        w.write_record(["Chỉ tiêu"])?;
        w.write_record(["Mã", "Chỉ tiêu", "Nội dung", "Giá trị", "Tử số", "Mẫu số", "Ngưỡng", "Đánh giá"])?;
        for t in &r.targets {
            let (num, den) = if t.suppressed {
                (crate::model::SUPPRESSED.to_string(), crate::model::SUPPRESSED.to_string())
            } else {
                (opt(t.numerator), opt(t.denominator))
            };
            w.write_record([text(&t.code), text(&t.label), text(&t.text), opt(t.value), num, den, text(&t.threshold), text(&t.status)])?;
        }
        for table in &r.lists {
            w.write_record([""])?;
            w.write_record([text(&table.title)])?;
            w.write_record(table.headers.iter().map(|h| text(h)))?;
            for row in table_rows(table) {
                w.write_record(&row)?;
            }
        }
        w.write_record([""])?;
        w.write_record(["Tố giác, tin báo, khiếu nại"])?;
        for line in r.tip_rows() {
            w.write_record([text(&line.label), line.value.map_or_else(|| text(&line.text), raw)])?;
        }
        if !r.unit_reports.is_empty() {
            w.write_record([""])?;
            w.write_record(["Báo cáo của các đơn vị"])?;
            w.write_record(["Đơn vị", "Tình trạng", "Kết quả", "Đề xuất, kiến nghị"])?;
            for u in &r.unit_reports {
                w.write_record([text(&u.unit_name), text(u.status.label_vi()), text(&u.narrative.results), text(&u.narrative.proposals)])?;
            }
        }
        if !r.budget.is_empty() {
            w.write_record([""])?;
            w.write_record(["Kinh phí"])?;
            w.write_record(["Năm", "Nội dung", "Dự toán (đồng)", "Đã chi (đồng)"])?;
            for b in &r.budget {
                w.write_record([b.year.to_string(), text(&b.item), b.allocated.to_string(), b.spent.map(|s| s.to_string()).unwrap_or_default()])?;
            }
        }
        w.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;

    fn records() -> Vec<Vec<String>> {
        let bytes = write(&sample::report(94, chrono::NaiveDate::from_ymd_opt(2024, 12, 20).unwrap())).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let mut r = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()
    }

    #[test]
    fn numbers_are_raw_and_formulas_neutralised() {
        let rows = records();
        let find = |first: &str| rows.iter().find(|r| r.first().map(String::as_str) == Some(first)).unwrap_or_else(|| panic!("{first}")).clone();
        // The target: code, label, text, value with a dot, numerator and denominator apart.
        let a3 = find("a3.workers");
        assert_eq!(a3[3], "43.1965", "1 873 / 4 336 = 43.19649…%, four decimals");
        assert_eq!((a3[4].as_str(), a3[5].as_str()), ("1873", "4336"));
        // A fine of 1.005.000.000 đồng, raw.
        let inspection = rows.iter().find(|r| r.get(1).map(String::as_str) == Some("Khách sạn A")).unwrap();
        assert!(inspection.contains(&"1005000000".to_string()), "{inspection:?}");
        // A topic "=1+2" is not a formula.
        let activity = find("15/03/2024");
        assert_eq!(activity[3], "'=1+2");
        // No number anywhere with a thousands separator.
        for r in &rows {
            for c in r {
                let digits_and_dots = !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
                assert!(!(digits_and_dots && c.matches('.').count() > 1), "{c}");
            }
        }
        assert_eq!(text("-1"), "'-1");
        assert_eq!(text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text("\tx"), "'\tx");
        assert_eq!(text("— đã chuyển"), "— đã chuyển");
    }
}
