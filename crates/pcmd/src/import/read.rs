//! Reading a CSV or XLSX file into rows of text cells, with their line numbers.

use anyhow::{bail, Context};
use calamine::{Data, DataType, Reader};
use std::io::Cursor;
use std::path::Path;

/// A sheet as text: each row with its 1-based line number in the file.
pub struct Sheet {
    pub rows: Vec<(usize, Vec<String>)>,
}

pub fn read(path: &Path) -> anyhow::Result<Sheet> {
    let bytes = std::fs::read(path).with_context(|| format!("không đọc được tệp {} (cannot read the file)", path.display()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "txt" => read_csv(&bytes),
        "xlsx" => read_xlsx(bytes),
        _ => bail!("chỉ nhận tệp .csv hoặc .xlsx: «{}» (only .csv and .xlsx files are read)", path.display()),
    }
}

pub fn read_csv(bytes: &[u8]) -> anyhow::Result<Sheet> {
    let text = std::str::from_utf8(bytes).context("tệp CSV phải mã hóa UTF-8 (the CSV file must be UTF-8)")?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains(';') && !first.contains(',') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.with_context(|| format!("dòng {}: CSV không đúng định dạng (line {}: malformed CSV)", i + 1, i + 1))?;
        let line = rec.position().map_or(i + 1, |p| p.line() as usize);
        rows.push((line, rec.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok(Sheet { rows })
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

pub fn read_xlsx(bytes: Vec<u8>) -> anyhow::Result<Sheet> {
    let mut book = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
        .context("tệp XLSX không mở được (the XLSX file cannot be opened)")?;
    let Some(name) = book.sheet_names().first().cloned() else { bail!("tệp XLSX không có trang tính nào (the XLSX file has no sheet)") };
    let range = book.worksheet_range(&name).context("không đọc được trang tính đầu (cannot read the first sheet)")?;
    let start = range.start().map_or(0, |(r, _)| r as usize);
    Ok(Sheet { rows: range.rows().enumerate().map(|(i, r)| (start + i + 1, r.iter().map(cell_text).collect())).collect() })
}
