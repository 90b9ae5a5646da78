//! Reading a CSV or XLSX file into rows of text cells, with their line numbers.

use anyhow::{bail, Context};
use calamine::{Data, DataRef, DataType, Reader};
use std::io::Cursor;
use std::path::Path;

/// A sheet as text: each row with its 1-based line number in the file.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Shared, not copied, with the thread that checks an import's rows.
    pub rows: std::sync::Arc<[(usize, Vec<String>)]>,
}

pub fn read(path: &Path) -> anyhow::Result<Sheet> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được tệp {} (cannot read the file)", path.display()))?;
    read_bytes(&path.display().to_string(), bytes)
}

/// A file's rows, by the extension of its name (.csv, .txt or .xlsx).
pub fn read_bytes(name: &str, bytes: Vec<u8>) -> anyhow::Result<Sheet> {
    let ext = Path::new(name).extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => read_csv(&bytes),
        "xlsx" => read_xlsx(bytes),
        _ => bail!("chỉ nhận tệp .csv hoặc .xlsx: «{name}» (only .csv and .xlsx files are read)"),
    }
}

/// The line on which a quoted field opens and never closes, if one does. The
/// CSV reader would take the rest of the file into that field (a tip's sealed
/// content landing in clear in another column): such a file is refused whole.
fn unclosed_quote(text: &str) -> Option<usize> {
    let (mut open_at, mut line) = (None, 1);
    for c in text.chars() {
        match c {
            '"' => open_at = if open_at.is_some() { None } else { Some(line) },
            '\n' => line += 1,
            _ => {}
        }
    }
    open_at
}

pub fn read_csv(bytes: &[u8]) -> anyhow::Result<Sheet> {
    let text = std::str::from_utf8(bytes).context("tệp CSV phải mã hóa UTF-8 (the CSV file must be UTF-8)")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(line) = unclosed_quote(text) {
        bail!(
            "dòng {line}: dấu ngoặc kép (\") mở mà không đóng; tệp không được nhập, không có gì được ghi \
             (line {line}: a quote (\") opens and never closes; the file is refused and nothing is written)"
        );
    }
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("dòng {}: CSV không đúng định dạng (line {}: malformed CSV)", i + 1, i + 1))?;
        let line = rec.position().map_or(i + 1, |p| p.line() as usize);
        rows.push((line, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(Sheet { rows: rows.into() })
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => {
            if *b {
                "1".into()
            } else {
                "0".into()
            }
        }
        Data::DateTime(_) | Data::DateTimeIso(_) => c.as_date().map(|d| d.to_string()).unwrap_or_default(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Bounds on an XLSX file, far above any real import (a province's year of
/// establishments is a few thousand rows of some twenty columns) and far below
/// what would exhaust the machine: a file past them is refused whole.
pub const XLSX_MAX_ROWS: u32 = 200_000;
pub const XLSX_MAX_COLUMNS: u32 = 256;
pub const XLSX_MAX_CELLS: usize = 1_000_000;
/// Unpacked size of the whole archive, and of its parts, as the archive declares them.
pub const XLSX_MAX_UNPACKED: u64 = 256 * 1024 * 1024;
pub const XLSX_MAX_PARTS: usize = 1_000;

fn too_big(what_vi: &str, what_en: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "tệp XLSX quá lớn: {what_vi}; tệp không được nhập, không có gì được ghi (the XLSX file is too large: {what_en}; it is refused and nothing is written)"
    )
}

/// Looks at the archive's table of contents before anything is unpacked: a
/// few kilobytes that unpack to gigabytes are refused here.
fn check_archive(bytes: &[u8]) -> anyhow::Result<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).context("tệp XLSX không mở được (the XLSX file cannot be opened)")?;
    if zip.len() > XLSX_MAX_PARTS {
        return Err(too_big(&format!("{} phần (tối đa {XLSX_MAX_PARTS})", zip.len()), &format!("{} parts (at most {XLSX_MAX_PARTS})", zip.len())));
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).context("tệp XLSX hỏng (the XLSX file is damaged)")?;
        total = total.saturating_add(part.size());
    }
    if total > XLSX_MAX_UNPACKED {
        let mib = total / (1024 * 1024);
        return Err(too_big(&format!("giải nén ra {mib} MiB (tối đa 256 MiB)"), &format!("it unpacks to {mib} MiB (at most 256 MiB)")));
    }
    Ok(())
}

fn data_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::SharedString(s) => s.trim().to_string(),
        DataRef::String(s) => s.trim().to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => cell_text(&Data::Float(*f)),
        DataRef::Bool(b) => cell_text(&Data::Bool(*b)),
        DataRef::DateTime(d) => cell_text(&Data::DateTime(*d)),
        DataRef::DateTimeIso(s) => cell_text(&Data::DateTimeIso(s.clone())),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
        DataRef::Empty => String::new(),
    }
}

/// Reads the first sheet cell by cell (never as a rectangle sized by its
/// corners: cells A1 and XFD1048576 alone once asked for 512 GiB), within the bounds above.
pub fn read_xlsx(bytes: Vec<u8>) -> anyhow::Result<Sheet> {
    check_archive(&bytes)?;
    let mut book = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
        .context("tệp XLSX không mở được (the XLSX file cannot be opened)")?;
    let Some(name) = book.sheet_names().first().cloned() else { bail!("tệp XLSX không có trang tính nào (the XLSX file has no sheet)") };
    let mut reader = book.worksheet_cells_reader(&name).context("không đọc được trang tính đầu (cannot read the first sheet)")?;
    let mut cells: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = reader.next_cell().context("trang tính đầu hỏng (the first sheet is damaged)")? {
        let (row, col) = cell.get_position();
        if row >= XLSX_MAX_ROWS {
            return Err(too_big(
                &format!("có ô ở dòng {} (tối đa {XLSX_MAX_ROWS} dòng)", row + 1),
                &format!("a cell on row {} (at most {XLSX_MAX_ROWS} rows)", row + 1),
            ));
        }
        if col >= XLSX_MAX_COLUMNS {
            return Err(too_big(
                &format!("có ô ở cột {} (tối đa {XLSX_MAX_COLUMNS} cột)", col + 1),
                &format!("a cell in column {} (at most {XLSX_MAX_COLUMNS} columns)", col + 1),
            ));
        }
        let text = data_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if cells.len() >= XLSX_MAX_CELLS {
            return Err(too_big(&format!("hơn {XLSX_MAX_CELLS} ô"), &format!("more than {XLSX_MAX_CELLS} cells")));
        }
        cells.push((row, col, text));
    }
    // Rows in order, each as long as its last filled cell, counted from the sheet's first used column.
    cells.sort_by_key(|c| (c.0, c.1));
    let first_col = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for (row, col, text) in cells {
        let line = row as usize + 1;
        if rows.last().is_none_or(|r| r.0 != line) {
            rows.push((line, Vec::new()));
        }
        if let Some((_, r)) = rows.last_mut() {
            let at = (col - first_col) as usize;
            if r.len() <= at {
                r.resize(at + 1, String::new());
            }
            if let Some(slot) = r.get_mut(at) {
                *slot = text;
            }
        }
    }
    Ok(Sheet { rows: rows.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_quote_refuses_the_whole_file() {
        // The second field opens a quote on line 2 that never closes: the content on line 3
        // would otherwise be read into it.
        let bad = "received_on,outcome,content\n2024-03-01,\"chưa xong,\n2024-03-02,,nội dung mật\n";
        let e = read_csv(bad.as_bytes()).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("dòng 2") && e.contains("nothing is written"), "{e}");
        // Quotes that close, doubled quotes and a newline inside a quoted field are fine.
        let good = "a,b\n\"x \"\"y\"\" z\",\"hai\ndòng\"\n";
        let sheet = read_csv(good.as_bytes()).map_err(|e| e.to_string());
        assert_eq!(sheet.map(|s| s.rows.len()), Ok(2));
    }

    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, c, t) in cells {
            sheet.write_string(*r, *c, *t).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn an_xlsx_bomb_is_refused_before_it_is_unpacked_into_memory() {
        // Issue 12 item 8: cells A1 and XFD1048576 alone made a rectangle of 17 billion cells.
        let bomb = xlsx(&[(0, 0, "a"), (1_048_575, 16_383, "z")]);
        assert!(bomb.len() < 20_000, "a small file: {} bytes", bomb.len());
        let e = read_xlsx(bomb).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("quá lớn") && e.contains("nothing is written"), "{e}");
        // A cell past the row bound, or past the column bound, is refused the same way.
        let e = read_xlsx(xlsx(&[(0, 0, "a"), (XLSX_MAX_ROWS, 0, "b")])).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("dòng 200001"), "{e}");
        let e = read_xlsx(xlsx(&[(0, 300, "a")])).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("cột 301"), "{e}");
        // An archive of more parts than any workbook pcmd reads has.
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..=XLSX_MAX_PARTS {
            w.start_file(format!("p{i}.xml"), zip::write::SimpleFileOptions::default()).unwrap();
        }
        let many = w.finish().unwrap().into_inner();
        let e = read_xlsx(many).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("1001 phần"), "{e}");
    }

    #[test]
    fn an_xlsx_sheet_is_read_row_by_row_from_its_first_used_column() {
        // A sheet that starts at B2, with a gap row (4) and a short row: lines keep their numbers.
        let sheet =
            read_xlsx(xlsx(&[(1, 1, "held_on"), (1, 2, "topic"), (2, 1, "2024-03-01"), (2, 2, "Tuyên truyền"), (4, 1, "2024-03-02")])).unwrap();
        assert_eq!(
            sheet.rows.to_vec(),
            vec![
                (2, vec!["held_on".to_string(), "topic".to_string()]),
                (3, vec!["2024-03-01".to_string(), "Tuyên truyền".to_string()]),
                (5, vec!["2024-03-02".to_string()]),
            ]
        );
    }
}
