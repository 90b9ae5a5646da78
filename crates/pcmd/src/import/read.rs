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
}
