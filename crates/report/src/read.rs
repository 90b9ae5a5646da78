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
    // A plan of a hundred pages holds some 300,000 characters; drafting reads
    // the text several times over, so a larger one is refused.
    if text.len() > MAX_TEXT_BYTES {
        return Err(ReadError::TooLarge(MAX_TEXT_BYTES / 1024 / 1024));
    }
    Ok(pcmd_domain::text::nfc(&text))
}

/// The most text a document may hold for drafting.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// word/document.xml: one line per paragraph (w:p), its runs' text (w:t), tabs
/// and line breaks kept.
fn docx_text(bytes: &[u8]) -> Result<String, ReadError> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| ReadError::Docx(e.to_string()))?;
    let part = zip.by_name("word/document.xml").map_err(|_| ReadError::Docx("word/document.xml".into()))?;
    let mut xml = String::new();
    // A plan's document.xml is a few megabytes at most; more is refused, not read.
    part.take(MAX_BYTES as u64 + 1).read_to_string(&mut xml).map_err(|e| ReadError::Docx(e.to_string()))?;
    if xml.len() > MAX_BYTES {
        return Err(ReadError::TooLarge(MAX_BYTES / 1024 / 1024));
    }
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
    let result = std::panic::catch_unwind(move || -> Result<String, ReadError> {
        let doc = pdf_extract::Document::load_mem(&owned).map_err(|e| ReadError::Pdf(e.to_string()))?;
        if has_reference_loop(&doc) {
            return Err(ReadError::Pdf("các đối tượng trỏ vòng về nhau / objects refer to each other in a loop".into()));
        }
        if drawing_cost(&doc) > MAX_DRAWINGS {
            return Err(ReadError::Pdf("các hình vẽ lồng nhau quá nhiều lần / forms drawn within forms too many times".into()));
        }
        let mut out = Positioned::default();
        pdf_extract::output_doc(&doc, &mut out).map_err(|e| ReadError::Pdf(e.to_string()))?;
        Ok(out.text)
    });
    let text = match result {
        Ok(r) => r?,
        Err(_) => return Err(ReadError::Pdf("malformed".into())),
    };
    if text.chars().filter(|c| c.is_alphabetic()).count() < 20 {
        return Err(ReadError::NoText);
    }
    Ok(reflow(&text))
}

/// Whether following a page's or a form's `/Parent`, its `/Resources` or the
/// forms those name (`/XObject`) comes back where it started. The PDF library
/// follows these links without counting, and a 400-byte file whose page is its
/// own parent kept a worker busy for good: such a file is refused before it
/// is read.
fn has_reference_loop(doc: &pdf_extract::Document) -> bool {
    use pdf_extract::{Dictionary, Object, ObjectId};
    use std::collections::HashMap;
    fn dict_of(o: &Object) -> Option<&Dictionary> {
        match o {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }
    let resolve = |o: &'_ Object| -> Option<Object> {
        match o {
            Object::Reference(id) => doc.objects.get(id).cloned(),
            other => Some(other.clone()),
        }
    };
    let edges = |id: &ObjectId| -> Vec<ObjectId> {
        let mut out = Vec::new();
        let Some(d) = doc.objects.get(id).and_then(dict_of) else { return out };
        if let Ok(Object::Reference(p)) = d.get(b"Parent") {
            out.push(*p);
        }
        let Ok(r) = d.get(b"Resources") else { return out };
        if let Object::Reference(rid) = r {
            out.push(*rid);
        }
        let Some(res) = resolve(r) else { return out };
        let Some(x) = dict_of(&res).and_then(|res| res.get(b"XObject").ok()) else { return out };
        if let Object::Reference(xid) = x {
            out.push(*xid);
        }
        if let Some(forms) = resolve(x) {
            if let Some(forms) = dict_of(&forms) {
                out.extend(forms.iter().filter_map(|(_, v)| if let Object::Reference(v) = v { Some(*v) } else { None }));
            }
        }
        out
    };
    // Depth first, iteratively: 1 on the path, 2 done.
    let mut state: HashMap<ObjectId, u8> = HashMap::new();
    for start in doc.objects.keys() {
        if state.contains_key(start) {
            continue;
        }
        let mut stack: Vec<(ObjectId, Vec<ObjectId>)> = vec![(*start, edges(start))];
        state.insert(*start, 1);
        while let Some((node, next)) = stack.last_mut() {
            match next.pop() {
                Some(n) => match state.get(&n) {
                    Some(1) => return true,
                    Some(_) => {}
                    None => {
                        state.insert(n, 1);
                        let e = edges(&n);
                        stack.push((n, e));
                    }
                },
                None => {
                    state.insert(*node, 2);
                    stack.pop();
                }
            }
        }
    }
    false
}

/// The most drawings of forms a plan's PDF may ask for, all pages together.
const MAX_DRAWINGS: u64 = 100_000;

/// How many times the PDF's pages draw a form, counting forms drawn within
/// forms: a page or form that draws `n` times, each a form costing at most `c`,
/// costs `1 + n × c`. A file of 8 KB whose 40 nested forms each draw the next
/// twice asks for 2^40 drawings (the review of 07/12/2026: its reading took
/// memory without bound and went on after the page gave up); such a file is
/// refused before it is read.
fn drawing_cost(doc: &pdf_extract::Document) -> u64 {
    use pdf_extract::{Object, ObjectId};
    use std::collections::HashMap;
    fn draws(content: &[u8]) -> u64 {
        // "Do" as an operator: after a space or a line, before one or the end.
        let n = content
            .windows(4)
            .filter(|w| match w {
                [a, b'D', b'o', z] => a.is_ascii_whitespace() && (z.is_ascii_whitespace() || *z == b'/'),
                _ => false,
            })
            .count();
        let tail = content.len() >= 3 && content.ends_with(b"Do") && content.iter().rev().nth(2).is_some_and(u8::is_ascii_whitespace);
        (n + usize::from(tail)) as u64
    }
    // The forms a page or form may draw: the references in its (or an ancestor's) /Resources /XObject.
    let forms = |id: ObjectId| -> Vec<ObjectId> {
        let mut cur = Some(id);
        for _ in 0..32 {
            let Some(d) = cur.and_then(|i| doc.objects.get(&i)).and_then(|o| match o {
                Object::Dictionary(d) => Some(d),
                Object::Stream(s) => Some(&s.dict),
                _ => None,
            }) else {
                return Vec::new();
            };
            if let Ok(r) = d.get(b"Resources") {
                let res = match r {
                    Object::Reference(i) => doc.get_dictionary(*i).ok(),
                    Object::Dictionary(d) => Some(d),
                    _ => None,
                };
                let x = res.and_then(|r| r.get(b"XObject").ok()).and_then(|x| match x {
                    Object::Reference(i) => doc.get_dictionary(*i).ok(),
                    Object::Dictionary(d) => Some(d),
                    _ => None,
                });
                return x.map(|x| x.iter().filter_map(|(_, v)| v.as_reference().ok()).collect()).unwrap_or_default();
            }
            cur = d.get(b"Parent").and_then(Object::as_reference).ok();
        }
        Vec::new()
    };
    fn cost(
        id: ObjectId,
        content: &dyn Fn(ObjectId) -> Vec<u8>,
        forms: &dyn Fn(ObjectId) -> Vec<ObjectId>,
        memo: &mut HashMap<ObjectId, u64>,
        depth: u32,
    ) -> u64 {
        if let Some(c) = memo.get(&id) {
            return *c;
        }
        // The loop check ran first; a chain deeper than this is refused as costly.
        if depth > 64 {
            return u64::MAX;
        }
        let n = draws(&content(id));
        let dearest = if n == 0 { 0 } else { forms(id).into_iter().map(|f| cost(f, content, forms, memo, depth + 1)).max().unwrap_or(0) };
        let c = n.saturating_mul(dearest.max(1)).saturating_add(1);
        memo.insert(id, c);
        c
    }
    let content = |id: ObjectId| -> Vec<u8> {
        match doc.objects.get(&id) {
            Some(Object::Stream(s)) => s.decompressed_content().unwrap_or_else(|_| s.content.clone()),
            Some(Object::Dictionary(_)) => doc.get_page_content(id).unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    let mut memo = HashMap::new();
    doc.get_pages().values().fold(0_u64, |sum, page| sum.saturating_add(cost(*page, &content, &forms, &mut memo, 0)))
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
    let text = document_text(bytes)?;
    draft_text(store, text).await
}

/// Drafts a plan from a document's text (`document_text`, which a server reads
/// off its request workers).
pub async fn draft_text(store: &pcmd_store::Store, text: String) -> Result<(String, pcmd_domain::plan::draft::Draft), DraftError> {
    use pcmd_domain::plan::draft::{draft, KnownAgency};
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

    /// A PDF of one page whose `/Parent` is the page itself (and whose
    /// `/Resources` is too): refused, not followed for ever.
    fn looping_pdf() -> Vec<u8> {
        use pdf_extract::{Dictionary, Document, Object};
        let mut doc = Document::with_version("1.5");
        let pages = doc.new_object_id();
        let page = doc.new_object_id();
        let mut p = Dictionary::new();
        p.set("Type", Object::Name(b"Page".to_vec()));
        p.set("Parent", Object::Reference(page));
        p.set("Resources", Object::Reference(page));
        p.set("MediaBox", Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]));
        doc.objects.insert(page, Object::Dictionary(p));
        let mut ps = Dictionary::new();
        ps.set("Type", Object::Name(b"Pages".to_vec()));
        ps.set("Kids", Object::Array(vec![Object::Reference(page)]));
        ps.set("Count", Object::Integer(1));
        doc.objects.insert(pages, Object::Dictionary(ps));
        let catalog = doc.add_object({
            let mut c = Dictionary::new();
            c.set("Type", Object::Name(b"Catalog".to_vec()));
            c.set("Pages", Object::Reference(pages));
            c
        });
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    /// A page drawing form 0, each of `depth` forms drawing the next twice (no loop: 2^depth drawings).
    fn nested_forms_pdf(depth: usize) -> Vec<u8> {
        use pdf_extract::{Dictionary, Document, Object, Stream};
        let mut doc = Document::with_version("1.5");
        let ids: Vec<_> = (0..=depth).map(|_| doc.new_object_id()).collect();
        for i in 0..=depth {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"XObject".to_vec()));
            d.set("Subtype", Object::Name(b"Form".to_vec()));
            d.set("BBox", Object::Array(vec![0.into(), 0.into(), 10.into(), 10.into()]));
            let body = if i < depth {
                let mut x = Dictionary::new();
                x.set("X", Object::Reference(ids[i + 1]));
                let mut r = Dictionary::new();
                r.set("XObject", Object::Dictionary(x));
                d.set("Resources", Object::Dictionary(r));
                b"/X Do /X Do".to_vec()
            } else {
                b"0 0 1 1 re f".to_vec()
            };
            doc.objects.insert(ids[i], Object::Stream(Stream::new(d, body)));
        }
        let pages = doc.new_object_id();
        let content = doc.add_object(Stream::new(Dictionary::new(), b"/X Do".to_vec()));
        let mut x = Dictionary::new();
        x.set("X", Object::Reference(ids[0]));
        let mut r = Dictionary::new();
        r.set("XObject", Object::Dictionary(x));
        let mut p = Dictionary::new();
        p.set("Type", Object::Name(b"Page".to_vec()));
        p.set("Parent", Object::Reference(pages));
        p.set("Resources", Object::Dictionary(r));
        p.set("Contents", Object::Reference(content));
        p.set("MediaBox", Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]));
        let page = doc.add_object(p);
        let mut ps = Dictionary::new();
        ps.set("Type", Object::Name(b"Pages".to_vec()));
        ps.set("Kids", Object::Array(vec![Object::Reference(page)]));
        ps.set("Count", Object::Integer(1));
        doc.objects.insert(pages, Object::Dictionary(ps));
        let mut c = Dictionary::new();
        c.set("Type", Object::Name(b"Catalog".to_vec()));
        c.set("Pages", Object::Reference(pages));
        let catalog = doc.add_object(c);
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn forms_drawn_within_forms_without_end_are_refused_before_reading() {
        // 3 levels: the page draws form 0 once (1 + 1 × cost 0); form i draws form i+1 twice;
        // the last draws nothing (cost 1): costs 1, 3, 7, 15, and the page 1 + 15 = 16.
        let small = pdf_extract::Document::load_mem(&nested_forms_pdf(3)).unwrap();
        assert_eq!(drawing_cost(&small), 16);
        // 40 levels (the review's 8 KB file): 2^41-ish drawings, refused at once.
        let bytes = nested_forms_pdf(40);
        let big = pdf_extract::Document::load_mem(&bytes).unwrap();
        assert!(drawing_cost(&big) > MAX_DRAWINGS);
        match document_text(&bytes) {
            Err(ReadError::Pdf(why)) => assert!(why.contains("lồng nhau"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_pdf_whose_objects_loop_is_refused_at_once() {
        let bytes = looping_pdf();
        let doc = pdf_extract::Document::load_mem(&bytes).unwrap();
        assert!(has_reference_loop(&doc));
        match document_text(&bytes) {
            Err(ReadError::Pdf(why)) => assert!(why.contains("vòng"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_is_not_a_document_is_refused() {
        assert!(matches!(document_text(&[0xff, 0xfe, 0x00]), Err(ReadError::Unknown)));
        assert!(matches!(document_text(b"PK\x03\x04garbage"), Err(ReadError::Docx(_))));
        assert!(matches!(document_text(b"%PDF-1.4 garbage"), Err(ReadError::Pdf(_))));
        assert_eq!(document_text("\u{feff}Kế hoạch\r\n".as_bytes()).unwrap(), "Kế hoạch\n");
    }
}
