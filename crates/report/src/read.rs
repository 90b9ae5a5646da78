//! The text of a document someone sends (a plan as DOCX, PDF with a text
//! layer, or plain text), one paragraph a line, for drafting from it.

use std::io::Read;

/// Why a document's text could not be read; Vietnamese first.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("tệp quá lớn (tối đa {0} MB) (the file is too large, at most {0} MB)")]
    TooLarge(usize),
    #[error("không đọc được tệp DOCX: {0} (the DOCX file cannot be read: {0})")]
    Docx(String),
    #[error("không đọc được tệp PDF: {0} (the PDF file cannot be read: {0})")]
    Pdf(String),
    #[error(
        "tệp PDF không có lớp chữ (ảnh quét): cần bản có chữ hoặc bản Word (the PDF has no text layer, a scan: send one with text or the Word file)"
    )]
    NoText,
    #[error("tệp không phải DOCX, PDF hay văn bản UTF-8 (the file is not DOCX, PDF or UTF-8 text)")]
    Unknown,
}

/// At most this many bytes are read, and at most this many once unpacked.
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// Reads a document's text, by its content (not its name).
pub fn document_text(bytes: &[u8]) -> Result<String, ReadError> {
    if bytes.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(MAX_BYTES / 1024 / 1024));
    }
    let text = if bytes.starts_with(b"PK\x03\x04") {
        docx_text(bytes)?
    } else if bytes.starts_with(b"%PDF") {
        pdf_text(bytes)?
    } else {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        std::str::from_utf8(b).map_err(|_| ReadError::Unknown)?.replace("\r\n", "\n")
    };
    Ok(pcmd_domain::text::nfc(&text))
}

/// word/document.xml: one line per paragraph (w:p), its runs' text (w:t), tabs
/// and line breaks kept.
fn docx_text(bytes: &[u8]) -> Result<String, ReadError> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ReadError::Docx(e.to_string()))?;
    let part = zip.by_name("word/document.xml").map_err(|_| ReadError::Docx("word/document.xml".into()))?;
    let mut xml = String::new();
    part.take(MAX_BYTES as u64 * 5).read_to_string(&mut xml).map_err(|e| ReadError::Docx(e.to_string()))?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "w:t" => in_text = true,
            Ok(Event::End(e)) if e.name().as_ref() == "w:t" => in_text = false,
            Ok(Event::End(e)) if e.name().as_ref() == "w:p" => out.push('\n'),
            Ok(Event::Empty(e)) if e.name().as_ref() == "w:tab" => out.push('\t'),
            Ok(Event::Empty(e)) if e.name().as_ref() == "w:br" => out.push('\n'),
            Ok(Event::Text(t)) if in_text => out.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) if in_text => out.push_str(match r.xml10_content().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                _ => "",
            }),
            Ok(Event::Eof) => break,
            Err(e) => return Err(ReadError::Docx(e.to_string())),
            _ => {}
        }
    }
    Ok(out)
}

/// The text layer of a PDF, its lines joined back into paragraphs. The PDF
/// library may panic on a malformed file: that is caught and told as an error.
fn pdf_text(bytes: &[u8]) -> Result<String, ReadError> {
    let owned = bytes.to_vec();
    let result = std::panic::catch_unwind(move || -> Result<String, pdf_extract::OutputError> {
        let doc = pdf_extract::Document::load_mem(&owned)?;
        let mut out = Positioned::default();
        pdf_extract::output_doc(&doc, &mut out)?;
        Ok(out.text)
    });
    let text = match result {
        Ok(Ok(t)) => t,
        Ok(Err(e)) => return Err(ReadError::Pdf(e.to_string())),
        Err(_) => return Err(ReadError::Pdf("malformed".into())),
    };
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ReadError::NoText);
    }
    Ok(reflow(&text))
}

/// One glyph where the page shows it.
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    text: String,
}

/// Text laid out by where each glyph stands, line by line from the top and
/// left to right: a font that lacks "ộ" draws it from another font after the
/// rest of the line, and the order of drawing is not the order of reading.
#[derive(Default)]
struct Positioned {
    glyphs: Vec<Glyph>,
    text: String,
}

impl pdf_extract::OutputDev for Positioned {
    fn begin_page(&mut self, _: u32, _: &pdf_extract::MediaBox, _: Option<(f64, f64, f64, f64)>) -> Result<(), pdf_extract::OutputError> {
        self.glyphs.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        let mut glyphs = std::mem::take(&mut self.glyphs);
        glyphs.sort_by(|a, b| b.y.total_cmp(&a.y));
        let mut lines: Vec<Vec<Glyph>> = Vec::new();
        for g in glyphs {
            match lines.last_mut() {
                Some(line) if line.first().is_some_and(|f| (f.y - g.y).abs() < f.size.max(g.size) * 0.5) => line.push(g),
                _ => lines.push(vec![g]),
            }
        }
        for mut line in lines {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut last_end: Option<f64> = None;
            for g in line {
                if last_end.is_some_and(|e| g.x > e + g.size * 0.1) {
                    self.text.push(' ');
                }
                self.text.push_str(&g.text);
                last_end = Some(g.end);
            }
            self.text.push('\n');
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _: f64,
        font_size: f64,
        c: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        // A glyph the font maps to no character (NUL) draws nothing a reader reads.
        let text: String = c.chars().filter(|ch| !ch.is_control()).collect();
        if !text.is_empty() {
            self.glyphs.push(Glyph { x: trm.m31, y: trm.m32, end: trm.m31 + width * size, size, text });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Joins the lines a PDF wrapped at its right margin: a line that reached
/// the margin (near the longest line's length) and did not end a sentence
/// goes on in the next, unless the next opens a numbered item.
pub fn reflow(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut out: Vec<String> = Vec::new();
    let mut joinable = false;
    for line in lines {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let opens_item = pcmd_domain::plan::draft::outline::parse_mark(t).0 != pcmd_domain::plan::draft::outline::Mark::None;
        match out.last_mut() {
            Some(prev) if joinable && !opens_item => {
                prev.push(' ');
                prev.push_str(t);
            }
            _ => out.push(t.to_string()),
        }
        let n = line.chars().count();
        joinable = n * 10 >= longest * 8 && !t.ends_with(['.', ';', ':', '!', '?']);
    }
    out.join("\n")
}

/// Why a plan could not be drafted from a document.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error(transparent)]
    Store(#[from] pcmd_store::StoreError),
}

/// Drafts a plan from a document's bytes: its text read, the covered unit found
/// by name, then the province's agencies recognised in the tasks. Returns the
/// text with the draft, to show them side by side.
pub async fn draft_document(store: &pcmd_store::Store, bytes: &[u8]) -> Result<(String, pcmd_domain::plan::draft::Draft), DraftError> {
    use pcmd_domain::plan::draft::{draft, KnownAgency};
    let text = document_text(bytes)?;
    let mut d = draft(&text, &[]);
    let units = store.unit_index().await?;
    if let Some(id) = d.find_unit(&units) {
        let known: Vec<KnownAgency> =
            store.agencies(Some(id)).await?.into_iter().map(|a| KnownAgency { code: a.code, name: a.name, short_name: a.short_name }).collect();
        let code = d.unit_code.clone();
        d = draft(&text, &known);
        d.unit_code = code;
    }
    Ok((text, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_come_back_together() {
        let text = "1. Mục tiêu\nTuyên truyền cho ít nhất 70% người lao động tại các cơ sở\nkinh doanh dịch vụ.\n2. Chỉ tiêu\n";
        assert_eq!(reflow(text), "1. Mục tiêu\nTuyên truyền cho ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ.\n2. Chỉ tiêu");
    }

    #[test]
    fn what_is_not_a_document_is_refused() {
        assert!(matches!(document_text(&[0xff, 0xfe, 0x00]), Err(ReadError::Unknown)));
        assert!(matches!(document_text(b"PK\x03\x04garbage"), Err(ReadError::Docx(_))));
        assert!(matches!(document_text(b"%PDF-1.4 garbage"), Err(ReadError::Pdf(_))));
        assert_eq!(document_text("\u{feff}Kế hoạch\r\n".as_bytes()).unwrap(), "Kế hoạch\n");
    }
}
