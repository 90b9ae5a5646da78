//! Templates: the file an officer fills in. Row 1 holds the Vietnamese headers,
//! row 2 the stable column keys that import reads; data starts on row 3.

use super::RecordKind;
use anyhow::Context;
use rust_xlsxwriter::{Color, Format, Workbook};
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

pub fn write_template(kind: RecordKind, format: TemplateFormat, out: &Path) -> anyhow::Result<()> {
    let bytes = template_bytes(kind, format)?;
    std::fs::write(out, bytes).with_context(|| format!("không ghi được {} (cannot write)", out.display()))
}

/// The template as the bytes of its file.
pub fn template_bytes(kind: RecordKind, format: TemplateFormat) -> anyhow::Result<Vec<u8>> {
    let cols = kind.columns();
    Ok(match format {
        TemplateFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(cols.iter().map(|c| if c.required { format!("{} *", c.vi) } else { c.vi.to_string() }))?;
            w.write_record(cols.iter().map(|c| c.key))?;
            // A byte-order mark, so that spreadsheet programs read the Vietnamese as UTF-8.
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            bytes.extend(w.into_inner().context("CSV")?);
            bytes
        }
        TemplateFormat::Xlsx => {
            let mut book = Workbook::new();
            let head = Format::new().set_bold().set_text_wrap().set_background_color(Color::RGB(0xDDEBF7)).set_font_name("Times New Roman");
            let key = Format::new().set_font_color(Color::Gray).set_italic().set_font_size(9);
            let sheet = book.add_worksheet();
            sheet.set_name(kind.as_str())?;
            for (i, c) in cols.iter().enumerate() {
                let col = u16::try_from(i).context("too many columns")?;
                let title = if c.required { format!("{} *", c.vi) } else { c.vi.to_string() };
                sheet.write_string_with_format(0, col, &title, &head)?;
                sheet.write_string_with_format(1, col, c.key, &key)?;
                sheet.set_column_width(col, (c.vi.chars().count() as f64 * 0.9).clamp(12.0, 40.0))?;
            }
            sheet.set_row_height(0, 45)?;
            sheet.set_freeze_panes(2, 0)?;
            let guide = book.add_worksheet();
            guide.set_name("Hướng dẫn")?;
            let lines = [
                format!("Mẫu nhập {} — pcmd", kind.label_vi()),
                "Dòng 1: tên cột; dòng 2: mã cột (không sửa); nhập dữ liệu từ dòng 3.".to_string(),
                "Cột có dấu * là bắt buộc. Ngày viết dd/mm/yyyy. Số không có dấu phân cách hoặc dùng dấu chấm (1.250).".to_string(),
                "Một dòng sai thì cả tệp không được nhập; pcmd báo mọi dòng sai và lý do.".to_string(),
            ];
            for (i, l) in lines.iter().enumerate() {
                guide.write_string(u32::try_from(i).unwrap_or(0), 0, l)?;
            }
            guide.set_column_width(0, 110)?;
            book.save_to_buffer()?
        }
    })
}
