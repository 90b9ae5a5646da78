//! The report's tables as CSV files, one table a file with a single header
//! row, in one ZIP archive (UTF-8 with a byte-order mark, so that Excel reads
//! the Vietnamese letters); `00-thong-tin.csv` says whose report it is. Numbers are written raw — a dot before decimals, no thousands
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

/// One CSV file: UTF-8 with a byte-order mark, a header row, then the rows.
fn file(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(header.iter().map(|h| text(h)))?;
        for row in rows {
            w.write_record(row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A table's file name in the archive, without diacritics so that every unzip tool keeps it.
pub fn file_name(key: &str) -> &'static str {
    match key {
        "about" => "00-thong-tin.csv",
        "targets" => "01-chi-tieu.csv",
        "activities" => "02-hoat-dong-tuyen-truyen.csv",
        "publications" => "03-tin-bai-bao-chi.csv",
        "inspections" => "04-kiem-tra.csv",
        "trainings" => "05-tap-huan.csv",
        "pilot_models" => "06-mo-hinh.csv",
        "district_plans" => "07-ke-hoach-cap-huyen.csv",
        "summary" => "08-so-lieu-tong-hop.csv",
        "support_services" => "09-dich-vu-ho-tro.csv",
        "tips" => "10-to-giac-tin-bao.csv",
        "unit_reports" => "11-bao-cao-don-vi.csv",
        "budget" => "12-kinh-phi.csv",
        "agency_tasks" => "13-nhiem-vu-cua-co-quan.csv",
        _ => "bang.csv",
    }
}

/// The report's tables as CSV files, one table a file, each with one header
/// row: (file name, bytes). `00-thong-tin.csv` says whose report it is.
pub fn files(r: &UnitReport) -> Result<Vec<(&'static str, Vec<u8>)>, ReportError> {
    let mut out = Vec::new();
    let day = pcmd_domain::date::format_vn;
    let about = [
        ("Báo cáo", r.title.clone()),
        ("Đơn vị", r.unit.name.clone()),
        ("Mã đơn vị", r.unit.code.clone()),
        ("Kế hoạch", r.plan_reference()),
        ("Kỳ báo cáo", r.period_words()),
        ("Từ ngày", day(r.period.from)),
        ("Đến ngày", day(r.period.to)),
        ("Số liệu tính đến ngày", day(r.as_of)),
        ("Chốt số liệu", r.cut_text().to_string()),
    ];
    // An old unit after the 2025 reform: the ground its figures are counted on, as in the DOCX and XLSX.
    let ground = r.territory_note.as_ref().map(|n| ("Địa bàn tính số liệu", n.clone()));
    let rows: Vec<Vec<String>> = about.iter().cloned().chain(ground).map(|(k, v)| vec![text(k), text(&v)]).collect();
    out.push((file_name("about"), file(&["Mục", "Nội dung"], &rows)?));

    let opt = |v: Option<f64>| v.map(raw).unwrap_or_default();
    let rows: Vec<Vec<String>> = r
        .targets
        .iter()
        .map(|t| {
            let (num, den) = if t.suppressed {
                (crate::model::SUPPRESSED.to_string(), crate::model::SUPPRESSED.to_string())
            } else {
                (opt(t.numerator), opt(t.denominator))
            };
            vec![text(&t.code), text(&t.label), text(&t.text), opt(t.value), num, den, text(&t.threshold), text(&t.status)]
        })
        .collect();
    out.push((file_name("targets"), file(&["Mã", "Chỉ tiêu", "Nội dung", "Giá trị", "Tử số", "Mẫu số", "Ngưỡng", "Đánh giá"], &rows)?));

    for table in r.all_tables() {
        let headers: Vec<&str> = table.headers.iter().map(String::as_str).collect();
        out.push((file_name(table.key), file(&headers, &table_rows(&table))?));
    }
    let rows: Vec<Vec<String>> = r.tip_rows().into_iter().map(|l| vec![text(&l.label), l.value.map_or_else(|| text(&l.text), raw)]).collect();
    out.push((file_name("tips"), file(&["Nội dung (tin tiếp nhận trong kỳ)", "Số liệu"], &rows)?));
    if !r.unit_reports.is_empty() {
        let rows: Vec<Vec<String>> = r
            .unit_reports
            .iter()
            .map(|u| vec![text(&u.unit_name), text(u.status.label_vi()), text(&u.narrative.results), text(&u.narrative.proposals)])
            .collect();
        out.push((file_name("unit_reports"), file(&["Đơn vị", "Tình trạng", "Kết quả", "Đề xuất, kiến nghị"], &rows)?));
    }
    if !r.budget.is_empty() {
        let rows: Vec<Vec<String>> = r
            .budget
            .iter()
            .map(|b| vec![b.year.to_string(), text(&b.item), b.allocated.to_string(), b.spent.map(|s| s.to_string()).unwrap_or_default()])
            .collect();
        out.push((file_name("budget"), file(&["Năm", "Nội dung", "Dự toán (đồng)", "Đã chi (đồng)"], &rows)?));
    }
    Ok(out)
}

/// The whole report as a ZIP archive of its CSV files.
pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files(r)? {
        zip.start_file(name, opts)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;

    /// Every file of the sample report's archive, read back as rows (header first).
    fn archive() -> Vec<(String, Vec<Vec<String>>)> {
        let bytes = write(&sample::report(94, chrono::NaiveDate::from_ymd_opt(2024, 12, 20).unwrap())).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut out = Vec::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut raw = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut raw).unwrap();
            assert!(raw.starts_with("\u{feff}".as_bytes()), "{} starts with a BOM", f.name().unwrap());
            let text = String::from_utf8(raw).unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            out.push((f.name().unwrap().to_string(), r.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect()));
        }
        out
    }

    fn records() -> Vec<Vec<String>> {
        archive().into_iter().flat_map(|(_, rows)| rows).collect()
    }

    #[test]
    fn one_table_a_file_each_of_one_width() {
        let files = archive();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        // The sample has activities, inspections, trainings and models; the summary and services; tips and a budget.
        assert_eq!(
            names,
            [
                "00-thong-tin.csv",
                "01-chi-tieu.csv",
                "02-hoat-dong-tuyen-truyen.csv",
                "04-kiem-tra.csv",
                "05-tap-huan.csv",
                "06-mo-hinh.csv",
                "08-so-lieu-tong-hop.csv",
                "09-dich-vu-ho-tro.csv",
                "10-to-giac-tin-bao.csv",
                "12-kinh-phi.csv"
            ]
        );
        for (name, rows) in &files {
            // The csv reader refuses rows of another width than the first: one table per file.
            let width = rows[0].len();
            assert!(rows.iter().all(|r| r.len() == width), "{name}");
        }
        let about = &files[0].1;
        assert!(about.contains(&vec!["Mã đơn vị".to_string(), "94".into()]));
        assert!(about.contains(&vec!["Số liệu tính đến ngày".to_string(), "14/12/2024".into()]));
        // The summary: 23 establishments, raw.
        let summary = &files[6].1;
        assert_eq!(summary[1], vec!["Cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm hoạt động trong kỳ".to_string(), "23".into()]);
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
