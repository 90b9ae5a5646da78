//! The report's tables as an XLSX workbook: one sheet a table, each under a
//! header block saying whose report it is (unit, plan, period and its days,
//! the day the figures are counted to, how the period is cut); a bold frozen
//! table header repeated on printed pages; widths set; numbers stored as
//! numbers — counts as whole numbers, percentages as percentages, numerator and
//! denominator in cells of their own — and dates as dates shown dd/mm/yyyy;
//! text stays text (nothing is read as a formula); Times New Roman as in the DOCX.

use crate::model::{Table, TargetLine, UnitReport};
use crate::ReportError;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

/// The rows of the header block; the table's header row comes after them.
pub const HEADER_ROW: u32 = 10;

/// The narrowest first column: the header block's labels live there.
const LABEL_WIDTH: f64 = 22.0;

struct Formats {
    head: Format,
    body: Format,
    /// Text of the header block: not wrapped, so that it runs over the empty cells to its right.
    plain: Format,
    label: Format,
    int: Format,
    dec: Format,
    pct: Format,
    growth: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let font = "Times New Roman";
        let base = Format::new().set_font_name(font).set_align(FormatAlign::Top);
        Formats {
            head: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xDDEBF7))
                .set_font_name(font)
                .set_border(FormatBorder::Thin),
            body: base.clone().set_text_wrap(),
            plain: Format::new().set_font_name(font),
            label: Format::new().set_font_name(font).set_bold(),
            int: base.clone().set_num_format("#,##0"),
            dec: base.clone().set_num_format("#,##0.0"),
            pct: base.clone().set_num_format("0.0%"),
            growth: base.clone().set_num_format("+0.0%;-0.0%;0.0%"),
            date: base.set_num_format("dd/mm/yyyy").set_align(FormatAlign::Left),
        }
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, ReportError> {
    let year = u16::try_from(d.year()).unwrap_or(1900);
    let month = u8::try_from(d.month()).unwrap_or(1);
    let day = u8::try_from(d.day()).unwrap_or(1);
    Ok(ExcelDateTime::from_ymd(year, month, day)?)
}

/// The header block: whose report, which plan, which period and its days, the
/// day the figures are counted to, and how the period is cut (Decree 09/2019).
fn header_block(sheet: &mut Worksheet, r: &UnitReport, f: &Formats) -> Result<(), ReportError> {
    sheet.write_string_with_format(0, 0, format!("{} {}", r.issuer[0], r.issuer[1]), &f.label)?;
    sheet.write_string_with_format(1, 0, format!("Báo cáo: {}", r.title), &f.label)?;
    let rows: [(&str, String); 3] =
        [("Đơn vị", format!("{} (mã {})", r.unit.name, r.unit.code)), ("Kế hoạch", r.plan_reference()), ("Kỳ báo cáo", r.period_words())];
    for (i, (label, value)) in rows.iter().enumerate() {
        let row = u32::try_from(i + 2).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, *label, &f.label)?;
        sheet.write_string_with_format(row, 1, value, &f.plain)?;
    }
    for (row, label, day) in [(5, "Từ ngày", r.period.from), (6, "Đến ngày", r.period.to), (7, "Số liệu tính đến ngày", r.as_of)] {
        sheet.write_string_with_format(row, 0, label, &f.label)?;
        sheet.write_datetime_with_format(row, 1, excel_date(day)?, &f.date)?;
    }
    sheet.write_string_with_format(8, 0, "Chốt số liệu", &f.label)?;
    sheet.write_string_with_format(8, 1, r.cut_text(), &f.plain)?;
    // An old unit after the 2025 reform: the ground its figures are counted on.
    if let Some(note) = &r.territory_note {
        // Wrapped across columns B–F, tall enough for its lines: printed one page wide, not cut off.
        sheet.write_string_with_format(9, 0, "Địa bàn tính số liệu", &f.label)?;
        sheet.merge_range(9, 1, 9, 5, note, &f.body)?;
        let lines = note.chars().count().div_ceil(110).max(1);
        sheet.set_row_height(9, 15.0 * lines as f64)?;
    }
    Ok(())
}

fn header(sheet: &mut Worksheet, r: &UnitReport, titles: &[&str], widths: &[f64], f: &Formats) -> Result<(), ReportError> {
    header_block(sheet, r, f)?;
    for (i, (t, w)) in titles.iter().zip(widths).enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(HEADER_ROW, col, *t, &f.head)?;
        sheet.set_column_width(col, if i == 0 { w.max(LABEL_WIDTH) } else { *w })?;
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    // Printed on A4 across, one page wide, the header on every page.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    Ok(())
}

fn row_at(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX).saturating_add(HEADER_ROW + 1)
}

/// Rows of wrapped text get a height for their longest cell (spreadsheet programs do not always grow them).
fn fit_row(sheet: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), ReportError> {
    let lines = cells.iter().map(|(text, width)| (text.chars().count() as f64 / (width * 1.1)).ceil().max(1.0)).fold(1.0, f64::max);
    if lines > 1.0 {
        sheet.set_row_height(row, 15.0 * lines)?;
    }
    Ok(())
}

/// "1.234" → 1234, "12,5" → 12.5, as written by `format_vnd` and `format_decimal_vn`.
pub fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-')) {
        return None;
    }
    t.replace('.', "").replace(',', ".").parse().ok()
}

/// "04/01/2024" → the day.
fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y").ok()
}

/// A whole number as an integer cell, another with one decimal.
fn write_count(sheet: &mut Worksheet, row: u32, col: u16, v: f64, f: &Formats) -> Result<(), ReportError> {
    sheet.write_number_with_format(row, col, v, if v.fract() == 0.0 { &f.int } else { &f.dec })?;
    Ok(())
}

/// A sheet's name (at most 31 characters): "Hoạt động".
pub fn sheet_name(key: &str) -> &'static str {
    match key {
        "activities" => "Hoạt động",
        "publications" => "Báo chí",
        "inspections" => "Kiểm tra",
        "trainings" => "Tập huấn",
        "pilot_models" => "Mô hình",
        "district_plans" => "Kế hoạch cấp huyện",
        "summary" => "Tổng hợp",
        "support_services" => "Dịch vụ hỗ trợ",
        _ => "Bảng",
    }
}

fn list_sheet(book: &mut Workbook, r: &UnitReport, name: &str, table: &Table, f: &Formats) -> Result<(), ReportError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let titles: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    let widths = column_widths(table);
    header(sheet, r, &titles, &widths, f)?;
    table_rows(sheet, table, &widths, HEADER_ROW, f)
}

/// Each column as wide as its longest text (header or cell), within reason.
fn column_widths(table: &Table) -> Vec<f64> {
    table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let longest = table.rows.iter().take(500).filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0);
            (longest.max(h.chars().count() / 2) as f64 * 1.1 + 2.0).clamp(10.0, 45.0)
        })
        .collect()
}

/// The table's rows under its header row `head`: dates as dates, numbers as numbers, the rest as text.
fn table_rows(sheet: &mut Worksheet, table: &Table, widths: &[f64], head: u32, f: &Formats) -> Result<(), ReportError> {
    let head_cells: Vec<(&str, f64)> = table.headers.iter().map(String::as_str).zip(widths.iter().copied()).collect();
    fit_row(sheet, head, &head_cells)?;
    for (i, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(i).unwrap_or(u32::MAX).saturating_add(head + 1);
        let cells: Vec<(&str, f64)> = row.iter().zip(widths).map(|(c, w)| (c.as_str(), *w)).collect();
        fit_row(sheet, r, &cells)?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            if let Some(d) = day(cell).filter(|_| table.dates.contains(&c)) {
                sheet.write_datetime_with_format(r, col, excel_date(d)?, &f.date)?;
            } else if let Some(n) = number(cell).filter(|_| table.numeric.contains(&c)) {
                write_count(sheet, r, col, n, f)?;
            } else {
                sheet.write_string_with_format(r, col, cell, &f.body)?;
            }
        }
    }
    Ok(())
}

/// A list as it stands on a page (a record list with its filters) as a workbook of
/// one sheet: the `heading` lines (label, value) above the table, its header bold,
/// frozen and repeated on printed pages.
pub fn write_list(heading: &[(String, String)], name: &str, table: &Table) -> Result<Vec<u8>, ReportError> {
    let f = Formats::new();
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name.chars().filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\')).take(31).collect::<String>())?;
    for (i, (label, value)) in heading.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        sheet.write_string_with_format(row, 0, label, &f.label)?;
        sheet.write_string_with_format(row, 1, value, &f.plain)?;
    }
    let head = u32::try_from(heading.len() + 1).unwrap_or(u32::MAX);
    let widths = column_widths(table);
    for (i, (t, w)) in table.headers.iter().zip(&widths).enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(head, col, t, &f.head)?;
        sheet.set_column_width(col, if i == 0 { w.max(LABEL_WIDTH) } else { *w })?;
    }
    sheet.set_freeze_panes(head + 1, 0)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(head, head)?;
    table_rows(sheet, table, &widths, head, &f)?;
    Ok(book.save_to_buffer()?)
}

/// A target's value as a spreadsheet holds it: a percentage as a fraction
/// shown with "%" (64,81% → 0.6481, two decimals of the percentage kept), a
/// count as a number.
pub fn stored_value(t: &TargetLine) -> Option<f64> {
    let v = t.value?;
    Some(match t.kind.as_str() {
        "count" => (v * 100.0).round() / 100.0,
        _ => (v * 100.0).round() / 10000.0,
    })
}

fn targets_sheet(book: &mut Workbook, r: &UnitReport, f: &Formats) -> Result<(), ReportError> {
    let sheet = book.add_worksheet();
    sheet.set_name("Chỉ tiêu")?;
    let titles = ["Chỉ tiêu", "Nội dung chỉ tiêu", "Giá trị", "Tử số", "Mẫu số", "Mức giao", "Đánh giá", "Mã chỉ tiêu"];
    header(sheet, r, &titles, &[34.0, 70.0, 12.0, 12.0, 12.0, 14.0, 22.0, 22.0], f)?;
    for (i, t) in r.targets.iter().enumerate() {
        let row = row_at(i);
        sheet.write_string_with_format(row, 0, &t.label, &f.body)?;
        sheet.write_string_with_format(row, 1, &t.text, &f.body)?;
        match (stored_value(t), t.kind.as_str()) {
            (Some(v), "count") => write_count(sheet, row, 2, v, f)?,
            (Some(v), "growth") => {
                sheet.write_number_with_format(row, 2, v, &f.growth)?;
            }
            (Some(v), _) => {
                sheet.write_number_with_format(row, 2, v, &f.pct)?;
            }
            (None, _) => {
                sheet.write_string_with_format(row, 2, "—", &f.body)?;
            }
        }
        for (col, part) in [(3, t.numerator), (4, t.denominator)] {
            match part {
                Some(v) => write_count(sheet, row, col, v, f)?,
                None if t.suppressed => {
                    sheet.write_string_with_format(row, col, crate::model::SUPPRESSED, &f.body)?;
                }
                None => {}
            }
        }
        sheet.write_string_with_format(row, 5, &t.threshold, &f.body)?;
        sheet.write_string_with_format(row, 6, &t.status, &f.body)?;
        sheet.write_string_with_format(row, 7, &t.code, &f.body)?;
        fit_row(sheet, row, &[(&t.text, 70.0), (&t.label, 34.0), (&t.status, 22.0)])?;
    }
    Ok(())
}

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    targets_sheet(&mut book, r, &f)?;
    // An empty list makes no sheet (it would print a page of headers).
    for table in r.all_tables().into_iter().filter(|t| !t.rows.is_empty()) {
        list_sheet(&mut book, r, sheet_name(table.key), &table, &f)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Tin báo")?;
        header(sheet, r, &["Nội dung (tin tiếp nhận trong kỳ)", "Số liệu"], &[55.0, 14.0], &f)?;
        for (i, line) in r.tip_rows().iter().enumerate() {
            let row = row_at(i);
            sheet.write_string_with_format(row, 0, &line.label, &f.body)?;
            match line.value {
                Some(v) => {
                    sheet.write_number_with_format(row, 1, v, if line.whole { &f.int } else { &f.dec })?;
                }
                None => {
                    sheet.write_string_with_format(row, 1, &line.text, &f.body)?;
                }
            }
        }
    }
    if !r.unit_reports.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Báo cáo đơn vị")?;
        header(sheet, r, &["Đơn vị", "Tình trạng", "Kết quả", "Đề xuất, kiến nghị"], &[30.0, 16.0, 60.0, 40.0], &f)?;
        for (i, u) in r.unit_reports.iter().enumerate() {
            let row = row_at(i);
            sheet.write_string_with_format(row, 0, &u.unit_name, &f.body)?;
            sheet.write_string_with_format(row, 1, u.status.label_vi(), &f.body)?;
            sheet.write_string_with_format(row, 2, &u.narrative.results, &f.body)?;
            sheet.write_string_with_format(row, 3, &u.narrative.proposals, &f.body)?;
            fit_row(sheet, row, &[(&u.narrative.results, 60.0), (&u.narrative.proposals, 40.0)])?;
        }
    }
    if !r.budget.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Kinh phí")?;
        header(sheet, r, &["Năm", "Nội dung", "Dự toán (đồng)", "Đã chi (đồng)"], &[8.0, 40.0, 20.0, 20.0], &f)?;
        let year = Format::new().set_font_name("Times New Roman").set_num_format("0").set_align(FormatAlign::Top);
        for (i, b) in r.budget.iter().enumerate() {
            let row = row_at(i);
            sheet.write_number_with_format(row, 0, b.year as f64, &year)?;
            sheet.write_string_with_format(row, 1, &b.item, &f.body)?;
            sheet.write_number_with_format(row, 2, b.allocated as f64, &f.int)?;
            if let Some(s) = b.spent {
                sheet.write_number_with_format(row, 3, s as f64, &f.int)?;
            }
        }
        let total_row = row_at(r.budget.len());
        sheet.write_string_with_format(total_row, 1, "Tổng cộng", &f.head)?;
        sheet.write_number_with_format(total_row, 2, r.budget_total() as f64, &f.int)?;
        sheet.write_string_with_format(total_row + 1, 1, format!("Bằng chữ: {}", r.budget_total_words()), &f.body)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;
    use calamine::{Data, DataType, Reader, Xlsx};

    fn book() -> Xlsx<std::io::Cursor<Vec<u8>>> {
        let bytes = write(&sample::report(94, NaiveDate::from_ymd_opt(2024, 12, 20).unwrap())).unwrap();
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
    }

    fn ymd(cell: Option<&Data>) -> (u16, u8, u8) {
        match cell {
            Some(Data::DateTime(d)) => {
                let (y, m, d, ..) = d.to_ymd_hms_milli();
                (y, m, d)
            }
            other => panic!("not a date: {other:?}"),
        }
    }

    #[test]
    fn every_sheet_opens_with_whose_report_it_is() {
        let mut book = book();
        for name in book.sheet_names() {
            let s = book.worksheet_range(&name).unwrap();
            let text = |r: u32, c: u32| s.get_value((r, c)).and_then(|d| d.get_string().map(String::from)).unwrap_or_default();
            assert_eq!(text(0, 0), "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", "{name}");
            assert_eq!(text(2, 1), "Tỉnh Sóc Trăng (mã 94)", "{name}");
            assert!(text(3, 1).starts_with("Nghị quyết số 117/NQ-HĐND ngày 07/12/2023"), "{name}");
            assert_eq!(text(4, 1), "năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)");
            // The period's days and the as-of day as dates.
            assert_eq!(ymd(s.get_value((5, 1))), (2023, 12, 15), "{name}");
            assert_eq!(ymd(s.get_value((6, 1))), (2024, 12, 14), "{name}");
            assert_eq!(ymd(s.get_value((7, 1))), (2024, 12, 14), "{name}");
            assert!(text(8, 1).contains("Nghị định 09/2019/NĐ-CP"), "{name}");
            assert!(!text(HEADER_ROW, 0).is_empty(), "{name}: the table's header");
        }
    }

    #[test]
    fn numbers_are_numbers_dates_dates_and_text_text() {
        let mut book = book();
        let t = book.worksheet_range("Chỉ tiêu").unwrap();
        let h = HEADER_ROW;
        // a3.workers: 1 873 / 4 336 = 43,196…% → stored 0.4320 with a % format; its figures apart.
        assert_eq!(t.get_value((h + 1, 0)), Some(&Data::String("a3 – người lao động tại cơ sở kinh doanh dịch vụ".into())));
        assert_eq!(t.get_value((h + 1, 2)), Some(&Data::Float(0.432)));
        assert_eq!(t.get_value((h + 1, 3)), Some(&Data::Float(1873.0)));
        assert_eq!(t.get_value((h + 1, 4)), Some(&Data::Float(4336.0)));
        assert_eq!(t.get_value((h + 1, 7)), Some(&Data::String("a3.workers".into())));
        let a = book.worksheet_range("Hoạt động").unwrap();
        assert_eq!(ymd(a.get_value((h + 1, 0))), (2024, 1, 4));
        assert_eq!(a.get_value((h + 1, 4)), Some(&Data::Float(100.0)));
        // A text that looks like a formula stays text.
        assert_eq!(a.get_value((h + 2, 3)), Some(&Data::String("=1+2".into())));
        let k = book.worksheet_range("Kiểm tra").unwrap();
        assert_eq!(k.get_value((h + 1, 5)), Some(&Data::Float(1_005_000_000.0)));
        let tips = book.worksheet_range("Tin báo").unwrap();
        assert_eq!(tips.get_value((h + 1, 1)), Some(&Data::Float(64.0)));
        // Counts are shown whole, percentages as percentages, dates dd/mm/yyyy.
        let bytes = write(&sample::report(94, NaiveDate::from_ymd_opt(2024, 12, 20).unwrap())).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut styles = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
        for code in ["formatCode=\"#,##0\"", "formatCode=\"0.0%\"", "formatCode=\"dd/mm/yyyy\""] {
            assert!(styles.contains(code), "{code}");
        }
    }
}
