//! The report as a DOCX file laid out as Decree 30/2020/NĐ-CP asks of an
//! administrative document: A4; margins top and bottom 20 mm, left 30 mm,
//! right 15 mm; Times New Roman; the issuing body top left with the number and
//! symbol under it; the national title and motto top right, the motto
//! underlined by a rule, the place and date in italics under them; the title;
//! a 14 pt body; tables; "Nơi nhận:" and the signature block; the page number
//! centred at the top from page 2. Written as WordprocessingML by hand: no
//! office suite is needed to make it.

use crate::model::{Table, UnitReport};
use crate::ReportError;
use pcmd_domain::money::format_vnd;
use pcmd_domain::report::SECTIONS;
use std::io::Write;

/// Page size and margins in twentieths of a point (1 mm = 56.7).
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: u32 = 1134; // 20 mm
pub const MARGIN_BOTTOM: u32 = 1134; // 20 mm
pub const MARGIN_LEFT: u32 = 1701; // 30 mm
pub const MARGIN_RIGHT: u32 = 851; // 15 mm
pub const FONT: &str = "Times New Roman";

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
    /// Half-points: 28 = 14 pt.
    size: u32,
    center: bool,
    justify: bool,
    first_line: bool,
    after: u32,
}

const BODY: Style = Style { bold: false, italic: false, size: 28, center: false, justify: true, first_line: true, after: 120 };

fn run(text: &str, s: Style) -> String {
    let mut rpr = String::new();
    if s.bold {
        rpr.push_str("<w:b/>");
    }
    if s.italic {
        rpr.push_str("<w:i/>");
    }
    rpr.push_str(&format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/>", s.size));
    format!("<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>", esc(text))
}

fn para(text: &str, s: Style) -> String {
    let mut ppr = format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", s.after);
    if s.first_line {
        ppr.push_str("<w:ind w:firstLine=\"567\"/>");
    }
    if s.center {
        ppr.push_str("<w:jc w:val=\"center\"/>");
    } else if s.justify {
        ppr.push_str("<w:jc w:val=\"both\"/>");
    }
    format!("<w:p><w:pPr>{ppr}</w:pPr>{}</w:p>", run(text, s))
}

fn centered(text: &str, size: u32, bold: bool, italic: bool) -> String {
    para(text, Style { bold, italic, size, center: true, after: 0, ..Style::default() })
}

fn heading(text: &str) -> String {
    para(text, Style { bold: true, size: 28, justify: true, first_line: true, after: 120, ..Style::default() })
}

/// A short centred rule of `length` twips in a cell `width` twips wide: an empty paragraph with a top border.
fn rule(width: u32, length: u32) -> String {
    let side = width.saturating_sub(length) / 2;
    format!(
        "<w:p><w:pPr><w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:spacing w:before=\"0\" w:after=\"120\"/>\
         <w:ind w:left=\"{side}\" w:right=\"{side}\"/><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:pPr></w:p>"
    )
}

/// A cell of `width` twips holding paragraphs.
fn cell(width: u32, inner: &str) -> String {
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{inner}</w:tc>")
}

/// A table without borders, for the heading and the signature blocks.
fn layout(widths: &[u32], cells: &[String]) -> String {
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let tcs: String = widths.iter().zip(cells).map(|(w, c)| cell(*w, c)).collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>\
         <w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr>\
         <w:tblGrid>{grid}</w:tblGrid><w:tr>{tcs}</w:tr></w:tbl>",
        widths.iter().sum::<u32>()
    )
}

const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

/// A data table with borders and a header row repeated on every page (12 pt).
fn grid(headers: &[String], rows: &[Vec<String>], widths: &[u32], numeric: &[usize]) -> String {
    let cell_para = |t: &str, bold: bool, right: bool| {
        let jc = if right { "<w:jc w:val=\"right\"/>" } else { "" };
        format!("<w:p><w:pPr><w:spacing w:before=\"20\" w:after=\"20\"/>{jc}</w:pPr>{}</w:p>", run(t, Style { bold, size: 24, ..Style::default() }))
    };
    let grid_cols: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let head: String = headers.iter().zip(widths).map(|(h, w)| cell(*w, &cell_para(h, true, false))).collect();
    let mut body = String::new();
    for r in rows {
        body.push_str("<w:tr>");
        for (i, (c, w)) in r.iter().zip(widths).enumerate() {
            body.push_str(&cell(*w, &cell_para(c, false, numeric.contains(&i))));
        }
        body.push_str("</w:tr>");
    }
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
         <w:tblGrid>{grid_cols}</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>{head}</w:tr>{body}</w:tbl>{}",
        widths.iter().sum::<u32>(),
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV"),
        para("", Style { size: 12, after: 60, ..Style::default() })
    )
}

/// Column widths in proportion to `parts`, filling the text width.
fn widths(parts: &[u32]) -> Vec<u32> {
    let total: u32 = parts.iter().sum();
    parts.iter().map(|p| TEXT_WIDTH * p / total.max(1)).collect()
}

/// Lists longer than this are summarised in the document; the XLSX and CSV hold every row.
pub const LIST_LIMIT: usize = 30;

/// A long list summarised by one of its columns: how many, and the sums of its numeric columns.
fn summarise(t: &Table, by: usize) -> Table {
    let mut groups: Vec<(String, i64, Vec<i64>)> = Vec::new();
    let number = |s: &str| s.replace('.', "").parse::<i64>().unwrap_or(0);
    for row in &t.rows {
        let key = row.get(by).cloned().unwrap_or_default();
        let sums: Vec<i64> = t.numeric.iter().map(|i| row.get(*i).map_or(0, |c| number(c))).collect();
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => {
                g.1 += 1;
                for (a, b) in g.2.iter_mut().zip(&sums) {
                    *a += b;
                }
            }
            None => groups.push((key, 1, sums)),
        }
    }
    groups.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut headers = vec![t.headers.get(by).cloned().unwrap_or_default(), "Số lượt".to_string()];
    headers.extend(t.numeric.iter().filter_map(|i| t.headers.get(*i).cloned()));
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|(k, n, sums)| {
            let mut r = vec![k.clone(), format_vnd(*n)];
            r.extend(sums.iter().map(|s| format_vnd(*s)));
            r
        })
        .collect();
    let mut total = vec!["Tổng cộng".to_string(), format_vnd(t.rows.len() as i64)];
    total.extend((0..t.numeric.len()).map(|i| format_vnd(groups.iter().map(|g| g.2.get(i).copied().unwrap_or(0)).sum())));
    rows.push(total);
    Table { title: t.title.clone(), headers, rows, numeric: (1..2 + t.numeric.len()).collect() }
}

fn list_table(t: &Table) -> String {
    let parts: Vec<u32> = (0..t.headers.len()).map(|i| if t.numeric.contains(&i) || i == 0 { 2 } else { 4 }).collect();
    grid(&t.headers, &t.rows, &widths(&parts), &t.numeric)
}

/// The heading: issuing body and number left; national title, motto, place and date right.
fn heading_block(r: &UnitReport) -> String {
    let left = [
        centered(&r.issuer[0], 26, false, false),
        centered(&r.issuer[1], 26, true, false),
        rule(TEXT_WIDTH * 2 / 5, 1400),
        centered("Số:        /BC-UBND", 26, false, false),
    ]
    .concat();
    let right = [
        centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24, true, false),
        centered("Độc lập - Tự do - Hạnh phúc", 26, true, false),
        rule(TEXT_WIDTH * 3 / 5, 3500),
        centered(&r.place_and_date(), 26, false, true),
    ]
    .concat();
    layout(&[TEXT_WIDTH * 2 / 5, TEXT_WIDTH * 3 / 5], &[left, right])
}

fn signature_block() -> String {
    let left = [
        para("Nơi nhận:", Style { bold: true, italic: true, size: 24, after: 0, ..Style::default() }),
        para("- Như trên;", Style { size: 22, after: 0, ..Style::default() }),
        para("- Sở Y tế (cơ quan thường trực);", Style { size: 22, after: 0, ..Style::default() }),
        para("- Lưu: VT.", Style { size: 22, after: 0, ..Style::default() }),
    ]
    .concat();
    let right = [
        centered("TM. ỦY BAN NHÂN DÂN", 28, true, false),
        centered("CHỦ TỊCH", 28, true, false),
        centered("(Ký, ghi rõ họ tên và đóng dấu)", 24, false, true),
        para("", Style { size: 28, after: 1200, ..Style::default() }),
    ]
    .concat();
    layout(&[TEXT_WIDTH / 2, TEXT_WIDTH / 2], &[left, right])
}

fn document_xml(r: &UnitReport) -> String {
    let mut b = String::new();
    b.push_str(&heading_block(r));
    b.push_str(&para("", Style { size: 28, after: 120, ..Style::default() }));
    b.push_str(&centered("BÁO CÁO", 28, true, false));
    b.push_str(&para(&r.title, Style { bold: true, size: 28, center: true, after: 240, ..Style::default() }));
    b.push_str(&para(
        &format!(
            "Thực hiện {} ({}), {} báo cáo kết quả thực hiện công tác phòng, chống mại dâm kỳ {} ({}), số liệu tính đến ngày {}, như sau:",
            r.plan_number,
            r.plan_title,
            r.unit.name,
            r.period.label,
            r.period_text(),
            pcmd_domain::date::format_vn(r.as_of)
        ),
        BODY,
    ));
    b.push_str(&heading("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
    let rows: Vec<Vec<String>> =
        r.targets.iter().map(|t| vec![t.code.clone(), t.text.clone(), t.value_text.clone(), t.threshold.clone(), t.status.clone()]).collect();
    let headers = ["Mã", "Chỉ tiêu", "Kết quả", "Chỉ tiêu giao", "Đánh giá"].map(String::from);
    b.push_str(&grid(&headers, &rows, &widths(&[3, 9, 2, 2, 3]), &[2]));
    b.push_str(&heading("II. CÔNG TÁC TRIỂN KHAI"));
    for (i, t) in r.lists.iter().enumerate() {
        b.push_str(&para(&format!("{}. {}: {} lượt", i + 1, t.title, format_vnd(t.rows.len() as i64)), Style { bold: true, ..BODY }));
        if t.rows.len() > LIST_LIMIT {
            b.push_str(&para(
                &format!(
                    "Tổng hợp theo {} (danh sách chi tiết trong phụ lục XLSX kèm theo):",
                    t.headers.get(2).map_or("", |h| h.as_str()).to_lowercase()
                ),
                BODY,
            ));
            b.push_str(&list_table(&summarise(t, 2)));
        } else if !t.rows.is_empty() {
            b.push_str(&list_table(t));
        }
    }
    b.push_str(&para(&format!("{}. Tiếp nhận, giải quyết tố giác, tin báo, khiếu nại", r.lists.len() + 1), Style { bold: true, ..BODY }));
    let tip_rows: Vec<Vec<String>> = r.tip_lines().into_iter().map(|(k, v)| vec![k, v]).collect();
    b.push_str(&grid(&["Nội dung".into(), "Số liệu".into()], &tip_rows, &widths(&[7, 2]), &[1]));
    if !r.unit_reports.is_empty() {
        let accepted = r.accepted().count();
        b.push_str(&para(
            &format!(
                "{}. Báo cáo của các đơn vị: {} báo cáo, {} đã được chấp nhận và tổng hợp vào báo cáo này",
                r.lists.len() + 2,
                r.unit_reports.len(),
                accepted
            ),
            Style { bold: true, ..BODY },
        ));
        let rows: Vec<Vec<String>> = r.unit_reports.iter().map(|u| vec![u.unit_name.clone(), u.status.label_vi().to_string()]).collect();
        b.push_str(&grid(&["Đơn vị".into(), "Tình trạng báo cáo".into()], &rows, &widths(&[6, 3]), &[]));
    }
    if !r.budget.is_empty() {
        b.push_str(&heading("III. KINH PHÍ"));
        let mut rows: Vec<Vec<String>> = r
            .budget
            .iter()
            .map(|l| vec![l.year.to_string(), l.item.clone(), format_vnd(l.allocated), l.spent.map(format_vnd).unwrap_or_default()])
            .collect();
        rows.push(vec![String::new(), "Tổng cộng".into(), format_vnd(r.budget_total()), String::new()]);
        b.push_str(&grid(
            &["Năm".into(), "Nội dung".into(), "Dự toán (đồng)".into(), "Đã chi (đồng)".into()],
            &rows,
            &widths(&[1, 5, 3, 3]),
            &[2, 3],
        ));
        b.push_str(&para(&format!("(Tổng dự toán bằng chữ: {}.)", r.budget_total_words()), Style { italic: true, ..BODY }));
    }
    // Sections go on from III (or IV after the budget).
    let numerals = ["III", "IV", "V", "VI", "VII", "VIII", "IX"];
    let start = usize::from(!r.budget.is_empty());
    for (i, (key, title, _)) in SECTIONS.iter().enumerate() {
        let numeral = numerals.get(i + start).copied().unwrap_or("");
        b.push_str(&heading(&format!("{numeral}. {}", title.to_uppercase())));
        let text = r.narrative.get(key);
        let from_units: Vec<(&str, &str)> =
            r.accepted().map(|u| (u.unit_name.as_str(), u.narrative.get(key).trim())).filter(|(_, t)| !t.is_empty()).collect();
        if text.trim().is_empty() && from_units.is_empty() {
            b.push_str(&para("(Chưa viết.)", Style { italic: true, ..BODY }));
        }
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            b.push_str(&para(line, BODY));
        }
        // What the accepted unit reports say, compiled under the province's own text.
        for (unit, t) in from_units {
            for (i, line) in t.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
                let line = if i == 0 { format!("- {unit}: {line}") } else { line.to_string() };
                b.push_str(&para(&line, BODY));
            }
        }
    }
    b.push_str(&para("", Style { size: 28, after: 120, ..Style::default() }));
    b.push_str(&signature_block());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>{b}\
         <w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:headerReference w:type=\"first\" r:id=\"rIdFirst\"/>\
         <w:pgSz w:w=\"{PAGE_WIDTH}\" w:h=\"{PAGE_HEIGHT}\"/>\
         <w:pgMar w:top=\"{MARGIN_TOP}\" w:right=\"{MARGIN_RIGHT}\" w:bottom=\"{MARGIN_BOTTOM}\" w:left=\"{MARGIN_LEFT}\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         <w:titlePg/></w:sectPr></w:body></w:document>"
    )
}

const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

fn header_xml(with_page_number: bool) -> String {
    let body = if with_page_number {
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:t>2</w:t></w:r>\
         <w:r><w:rPr><w:sz w:val=\"26\"/></w:rPr><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>"
    } else {
        "<w:p/>"
    };
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:hdr {NS}>{body}</w:hdr>")
}

fn styles_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr>\
         <w:rFonts w:ascii=\"{FONT}\" w:hAnsi=\"{FONT}\" w:cs=\"{FONT}\" w:eastAsia=\"{FONT}\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>\
         <w:lang w:val=\"vi-VN\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr>\
         </w:pPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/></w:style></w:styles>"
    )
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/header2.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
</Relationships>";

const DOC_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"rIdFirst\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header2.xml\"/>\
</Relationships>";

fn settings_xml() -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:settings {NS}><w:defaultTabStop w:val=\"720\"/><w:compat/></w:settings>")
}

fn core_xml(r: &UnitReport) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:title>{}</dc:title><dc:creator>pcmd</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>",
        esc(&r.title)
    )
}

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/document.xml", document_xml(r)),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/header1.xml", header_xml(true)),
        ("word/header2.xml", header_xml(false)),
        ("docProps/core.xml", core_xml(r)),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}
