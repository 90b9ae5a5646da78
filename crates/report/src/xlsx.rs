//! The report's tables as an XLSX workbook: one sheet a table, a bold frozen
//! header, widths set, numbers stored as numbers (shown with the reader's
//! thousands separator), Times New Roman as in the DOCX.

use crate::model::{Table, UnitReport};
use crate::ReportError;
use rust_xlsxwriter::{Color, Format, Workbook, Worksheet};

fn header(sheet: &mut Worksheet, titles: &[&str], widths: &[f64], head: &Format) -> Result<(), ReportError> {
    for (i, (t, w)) in titles.iter().zip(widths).enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, *t, head)?;
        sheet.set_column_width(col, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    // Printed on A4 across, one page wide, the header on every page.
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

/// Rows of wrapped text get a height for their longest cell (spreadsheet programs do not always grow them).
fn fit_row(sheet: &mut Worksheet, row: u32, cells: &[(&str, f64)]) -> Result<(), ReportError> {
    let lines = cells.iter().map(|(text, width)| (text.chars().count() as f64 / (width * 1.1)).ceil().max(1.0)).fold(1.0, f64::max);
    if lines > 1.0 {
        sheet.set_row_height(row, 15.0 * lines)?;
    }
    Ok(())
}

/// "1.234" → 1234, as written by `format_vnd`.
fn number(text: &str) -> Option<f64> {
    let t = text.replace('.', "").replace(',', ".");
    t.trim().parse().ok()
}

fn list_sheet(book: &mut Workbook, name: &str, table: &Table, head: &Format, body: &Format, num: &Format) -> Result<(), ReportError> {
    let sheet = book.add_worksheet();
    sheet.set_name(name)?;
    let titles: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    // As wide as the longest text of the column (header or cell), within reason.
    let widths: Vec<f64> = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let longest = table.rows.iter().take(500).filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0);
            (longest.max(h.chars().count() / 2) as f64 * 1.1 + 2.0).clamp(10.0, 45.0)
        })
        .collect();
    header(sheet, &titles, &widths, head)?;
    let head_cells: Vec<(&str, f64)> = titles.iter().zip(&widths).map(|(t, w)| (*t, *w)).collect();
    fit_row(sheet, 0, &head_cells)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        let cells: Vec<(&str, f64)> = row.iter().zip(&widths).map(|(c, w)| (c.as_str(), *w)).collect();
        fit_row(sheet, r, &cells)?;
        for (c, cell) in row.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            match number(cell).filter(|_| table.numeric.contains(&c)) {
                Some(n) => sheet.write_number_with_format(r, col, n, num)?,
                None => sheet.write_string_with_format(r, col, cell, body)?,
            };
        }
    }
    Ok(())
}

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    let font = "Times New Roman";
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_font_name(font)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let body = Format::new().set_font_name(font).set_text_wrap().set_align(rust_xlsxwriter::FormatAlign::Top);
    let num = Format::new().set_font_name(font).set_num_format("#,##0").set_align(rust_xlsxwriter::FormatAlign::Top);
    let pct = Format::new().set_font_name(font).set_num_format("#,##0.0").set_align(rust_xlsxwriter::FormatAlign::Top);
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Chỉ tiêu")?;
        header(sheet, &["Mã", "Nội dung chỉ tiêu", "Giá trị", "Ngưỡng", "Đánh giá", "Tử số / mẫu số"], &[20.0, 70.0, 12.0, 14.0, 22.0, 20.0], &head)?;
        for (i, t) in r.targets.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            sheet.write_string_with_format(row, 0, &t.code, &body)?;
            sheet.write_string_with_format(row, 1, &t.text, &body)?;
            match t.value {
                Some(v) => sheet.write_number_with_format(row, 2, (v * 100.0).round() / 100.0, &pct)?,
                None => sheet.write_string_with_format(row, 2, "—", &body)?,
            };
            sheet.write_string_with_format(row, 3, &t.threshold, &body)?;
            sheet.write_string_with_format(row, 4, &t.status, &body)?;
            sheet.write_string_with_format(row, 5, &t.figures, &body)?;
            fit_row(sheet, row, &[(&t.text, 70.0), (&t.status, 22.0)])?;
        }
    }
    let names = ["Hoạt động", "Kiểm tra", "Tập huấn"];
    for (table, name) in r.lists.iter().zip(names) {
        list_sheet(&mut book, name, table, &head, &body, &num)?;
    }
    {
        let sheet = book.add_worksheet();
        sheet.set_name("Tin báo")?;
        header(sheet, &["Nội dung", "Số liệu"], &[50.0, 14.0], &head)?;
        for (i, (k, v)) in r.tip_lines().iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            sheet.write_string_with_format(row, 0, k, &body)?;
            match number(v) {
                Some(n) => sheet.write_number_with_format(row, 1, n, &pct)?,
                None => sheet.write_string_with_format(row, 1, v, &body)?,
            };
        }
    }
    if !r.unit_reports.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Báo cáo đơn vị")?;
        header(sheet, &["Đơn vị", "Tình trạng", "Kết quả", "Đề xuất, kiến nghị"], &[30.0, 16.0, 60.0, 40.0], &head)?;
        for (i, u) in r.unit_reports.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            sheet.write_string_with_format(row, 0, &u.unit_name, &body)?;
            sheet.write_string_with_format(row, 1, u.status.label_vi(), &body)?;
            sheet.write_string_with_format(row, 2, &u.narrative.results, &body)?;
            sheet.write_string_with_format(row, 3, &u.narrative.proposals, &body)?;
            fit_row(sheet, row, &[(&u.narrative.results, 60.0), (&u.narrative.proposals, 40.0)])?;
        }
    }
    if !r.budget.is_empty() {
        let sheet = book.add_worksheet();
        sheet.set_name("Kinh phí")?;
        header(sheet, &["Năm", "Nội dung", "Dự toán (đồng)", "Đã chi (đồng)"], &[8.0, 40.0, 20.0, 20.0], &head)?;
        for (i, b) in r.budget.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            sheet.write_number_with_format(row, 0, b.year as f64, &body)?;
            sheet.write_string_with_format(row, 1, &b.item, &body)?;
            sheet.write_number_with_format(row, 2, b.allocated as f64, &num)?;
            if let Some(s) = b.spent {
                sheet.write_number_with_format(row, 3, s as f64, &num)?;
            }
        }
        let total_row = u32::try_from(r.budget.len() + 1).unwrap_or(u32::MAX);
        sheet.write_string_with_format(total_row, 1, "Tổng cộng", &head)?;
        sheet.write_number_with_format(total_row, 2, r.budget_total() as f64, &num)?;
        sheet.write_string_with_format(total_row + 1, 1, format!("Bằng chữ: {}", r.budget_total_words()), &body)?;
    }
    Ok(book.save_to_buffer()?)
}
