//! The report as a DOCX file laid out as Decree 30/2020/NĐ-CP asks of an
//! administrative document: A4; margins top and bottom 20 mm, left 30 mm,
//! right 15 mm; Times New Roman; the issuing body top left with the number and
//! symbol under it; the national title and motto top right, the motto
//! underlined by a rule, the place and date in italics under them; the title;
//! a 14 pt body; tables; "Nơi nhận:" and the signature block; the page number
//! centred at the top from page 2. Written as WordprocessingML by hand: no
//! office suite is needed to make it.
//!
//! Pagination: every table row is kept whole on a page (`w:cantSplit`), a data
//! table's header row repeats on each page, headings and the lines that
//! introduce a table are kept with what follows (`w:keepNext`), dates and
//! amounts keep to one line in cells wide enough for them (`w:noWrap`), and the
//! body ends with a paragraph kept with the signature block.

use crate::model::{Table, UnitReport};
use crate::words;
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

/// The width of the text between the margins.
pub const TEXT_WIDTH: u32 = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;

/// The left and right padding of a data table's cells.
pub const CELL_MARGIN: u32 = 80;

/// A data table is indented by one cell margin and is as much narrower than
/// the text: its borders stay between the margins whether a word processor
/// measures the indent to the border (Word 2013 and later) or to the first
/// cell's text (older Word, which puts the border one cell margin to the left).
pub const TABLE_WIDTH: u32 = TEXT_WIDTH - CELL_MARGIN;
pub const TABLE_INDENT: u32 = CELL_MARGIN;

/// The width of a character in a 12 pt table cell, in twips: a digit of Times
/// New Roman is 0.5 em and a dot 0.25 em; 0.6 em leaves room for wider
/// glyphs, and 12 pt is 240 twips an em: 0.6 × 240 = 144, taken as 150.
pub const CHAR_12PT: u32 = 150;

/// The width of a cell holding `chars` characters at 12 pt on one line, its margins included:
/// "04/01/2024" (10) needs 1 660 twips, "1.005.000.000" (13) needs 2 110.
pub fn fit_chars(chars: usize) -> u32 {
    u32::try_from(chars).unwrap_or(u32::MAX / 2).saturating_mul(CHAR_12PT).saturating_add(2 * CELL_MARGIN)
}

/// The estimated width, in twips, of `text` set in Times New Roman bold at
/// `half_points` (26 = 13 pt). Advance widths in em, rounded from the font's
/// metrics: a capital 0.72 (bold capitals run 0.67–0.78), a small letter or a
/// digit 0.5, a space 0.25, a hyphen or punctuation 0.33, a combining mark 0.
/// An em is the font size: `half_points` × 10 twips. "TỈNH SÓC TRĂNG" at 13 pt:
/// 12 capitals and 2 spaces = 9.14 em × 260 = 2 376 twips.
pub fn text_width(text: &str, half_points: u32) -> u32 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' => 0.25,
            '\u{300}'..='\u{36f}' => 0.0,
            '-' | '.' | ',' | ':' | ';' | '/' | '(' | ')' | '\'' | '!' => 0.33,
            c if c.is_uppercase() => 0.72,
            _ => 0.5,
        })
        .sum();
    let twips = (em * f64::from(half_points) * 10.0).round();
    if twips <= 0.0 {
        0
    } else {
        twips.min(f64::from(u32::MAX)) as u32
    }
}

/// The rule under a text line is 1/3 to 1/2 of the line's length (Decree 30/2020,
/// Appendix I): midway, 5/12 of it.
pub const RULE_RATIO: (u32, u32) = (5, 12);

/// The length of the short rule under a line `line` twips long.
pub fn short_rule(line: u32) -> u32 {
    line * RULE_RATIO.0 / RULE_RATIO.1
}

/// The national motto, underlined by a rule as long as it.
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";

/// The issuing body's cell, left of the heading, and the national title's, right.
pub const ISSUER_CELL: u32 = TEXT_WIDTH * 2 / 5;
pub const MOTTO_CELL: u32 = TEXT_WIDTH - ISSUER_CELL;

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
    right: bool,
    first_line: bool,
    after: u32,
    /// Kept on the page of the next paragraph (headings, the last paragraph before the signature).
    keep_next: bool,
}

const BODY: Style =
    Style { bold: false, italic: false, size: 28, center: false, justify: true, right: false, first_line: true, after: 120, keep_next: false };

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
    let mut ppr = String::new();
    if s.keep_next {
        ppr.push_str("<w:keepNext/>");
    }
    ppr.push_str(&format!("<w:spacing w:before=\"0\" w:after=\"{}\"/>", s.after));
    if s.first_line {
        ppr.push_str("<w:ind w:firstLine=\"567\"/>");
    }
    if s.center {
        ppr.push_str("<w:jc w:val=\"center\"/>");
    } else if s.right {
        ppr.push_str("<w:jc w:val=\"right\"/>");
    } else if s.justify {
        ppr.push_str("<w:jc w:val=\"both\"/>");
    }
    format!("<w:p><w:pPr>{ppr}</w:pPr>{}</w:p>", run(text, s))
}

fn centered(text: &str, size: u32, bold: bool, italic: bool) -> String {
    para(text, Style { bold, italic, size, center: true, after: 0, keep_next: true, ..Style::default() })
}

fn heading(text: &str) -> String {
    para(text, Style { bold: true, size: 28, justify: true, first_line: true, after: 120, keep_next: true, ..Style::default() })
}

/// A bold line introducing a table or a list: kept with what follows.
fn subheading(text: &str) -> String {
    para(text, Style { bold: true, keep_next: true, ..BODY })
}

/// A short centred rule of `length` twips (at most `width`) in a space `width`
/// twips wide: an empty paragraph with a top border, indented on both sides.
fn rule(width: u32, length: u32) -> String {
    let side = width.saturating_sub(length.min(width)) / 2;
    format!(
        "<w:p><w:pPr><w:keepNext/><w:pBdr><w:top w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"000000\"/></w:pBdr><w:spacing w:before=\"0\" w:after=\"120\"/>\
         <w:ind w:left=\"{side}\" w:right=\"{side}\"/><w:rPr><w:sz w:val=\"8\"/></w:rPr></w:pPr></w:p>"
    )
}

/// A cell of `width` twips holding paragraphs; `no_wrap` keeps its text on one line.
fn cell(width: u32, no_wrap: bool, inner: &str) -> String {
    let nw = if no_wrap { "<w:noWrap/>" } else { "" };
    format!("<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{nw}</w:tcPr>{inner}</w:tc>")
}

/// A table without borders nor cell margins, for the heading and the signature
/// blocks: one row that never splits across pages.
fn layout(widths: &[u32], cells: &[String]) -> String {
    let grid: String = widths.iter().map(|w| format!("<w:gridCol w:w=\"{w}\"/>")).collect();
    let tcs: String = widths.iter().zip(cells).map(|(w, c)| cell(*w, false, c)).collect();
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblBorders><w:top w:val=\"nil\"/><w:left w:val=\"nil\"/><w:bottom w:val=\"nil\"/>\
         <w:right w:val=\"nil\"/><w:insideH w:val=\"nil\"/><w:insideV w:val=\"nil\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"0\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
         <w:tblGrid>{grid}</w:tblGrid><w:tr><w:trPr><w:cantSplit/></w:trPr>{tcs}</w:tr></w:tbl>",
        widths.iter().sum::<u32>()
    )
}

/// A column of a data table: its width, numbers right-aligned, and whether its
/// cells keep their text on one line (dates, amounts).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Col {
    width: u32,
    right: bool,
    no_wrap: bool,
}

impl Col {
    fn text(width: u32) -> Col {
        Col { width, right: false, no_wrap: false }
    }
    fn number(width: u32) -> Col {
        Col { width, right: true, no_wrap: true }
    }
    fn date() -> Col {
        Col { width: fit_chars(10), right: false, no_wrap: true }
    }
}

/// The width left for the text columns shared out by `weights`, the last one taking the rounding.
fn share(fixed: &[Option<Col>], weights: &[u32]) -> Vec<Col> {
    let used: u32 = fixed.iter().flatten().map(|c| c.width).sum();
    let left = TABLE_WIDTH.saturating_sub(used);
    let total: u32 = fixed.iter().zip(weights).filter(|(c, _)| c.is_none()).map(|(_, w)| *w).sum::<u32>().max(1);
    let mut out: Vec<Col> = fixed.iter().zip(weights).map(|(c, w)| c.unwrap_or(Col::text(left * w / total))).collect();
    let sum: u32 = out.iter().map(|c| c.width).sum();
    if let Some(last) = out.iter_mut().rev().find(|c| !c.no_wrap) {
        last.width = (last.width + TABLE_WIDTH).saturating_sub(sum);
    }
    out
}

/// A data table with borders (12 pt): every row kept whole on a page, the
/// header row repeated on every page and kept with the first row.
fn grid(headers: &[String], rows: &[Vec<String>], cols: &[Col]) -> String {
    let cell_para = |t: &str, bold: bool, right: bool, keep_next: bool| {
        let keep = if keep_next { "<w:keepNext/>" } else { "" };
        let jc = if right { "<w:jc w:val=\"right\"/>" } else { "" };
        format!(
            "<w:p><w:pPr>{keep}<w:spacing w:before=\"20\" w:after=\"20\"/>{jc}</w:pPr>{}</w:p>",
            run(t, Style { bold, size: 24, ..Style::default() })
        )
    };
    let grid_cols: String = cols.iter().map(|c| format!("<w:gridCol w:w=\"{}\"/>", c.width)).collect();
    let head: String = headers.iter().zip(cols).map(|(h, c)| cell(c.width, false, &cell_para(h, true, false, true))).collect();
    let mut body = String::new();
    for r in rows {
        body.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (c, col) in r.iter().zip(cols) {
            body.push_str(&cell(col.width, col.no_wrap, &cell_para(c, false, col.right, false)));
        }
        body.push_str("</w:tr>");
    }
    let border = |side: &str| format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>");
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:tblInd w:w=\"{TABLE_INDENT}\" w:type=\"dxa\"/><w:tblBorders>{}{}{}{}{}{}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
         <w:tblCellMar><w:left w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/><w:right w:w=\"{CELL_MARGIN}\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>\
         <w:tblGrid>{grid_cols}</w:tblGrid><w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{head}</w:tr>{body}</w:tbl>{}",
        cols.iter().map(|c| c.width).sum::<u32>(),
        border("top"),
        border("left"),
        border("bottom"),
        border("right"),
        border("insideH"),
        border("insideV"),
        para("", Style { size: 12, after: 60, ..Style::default() })
    )
}

/// Lists longer than this are summarised in the document; the XLSX and CSV hold every row.
pub const LIST_LIMIT: usize = 30;
/// The press list is summarised by medium beyond this many articles.
pub const PRESS_LIMIT: usize = 10;

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
    // The most numerous first; "khác" (other) last, as a summary reads.
    groups.sort_by(|a, b| (a.0.to_lowercase() == "khác").cmp(&(b.0.to_lowercase() == "khác")).then(b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0)));
    let mut headers = vec![words::capitalise(&t.headers.get(by).cloned().unwrap_or_default()), format!("Số {}", t.count_word)];
    headers.extend(t.numeric.iter().filter_map(|i| t.headers.get(*i).cloned()));
    let mut rows: Vec<Vec<String>> = groups
        .iter()
        .map(|(k, n, sums)| {
            let mut r = vec![words::capitalise(k), format_vnd(*n)];
            r.extend(sums.iter().map(|s| format_vnd(*s)));
            r
        })
        .collect();
    let mut total = vec!["Tổng cộng".to_string(), format_vnd(t.rows.len() as i64)];
    total.extend((0..t.numeric.len()).map(|i| format_vnd(groups.iter().map(|g| g.2.get(i).copied().unwrap_or(0)).sum())));
    rows.push(total);
    Table {
        key: t.key,
        title: t.title.clone(),
        headers,
        rows,
        numeric: (1..2 + t.numeric.len()).collect(),
        dates: Vec::new(),
        count_word: t.count_word.clone(),
        withheld: t.withheld.clone(),
    }
}

/// The longest text of a column, in characters.
fn longest(rows: &[Vec<String>], i: usize) -> usize {
    rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)
}

/// Columns of a list: dates and numbers as wide as their longest text on one
/// line, the text columns sharing the rest by the length of their texts.
fn list_cols(t: &Table) -> Vec<Col> {
    let fixed: Vec<Option<Col>> = (0..t.headers.len())
        .map(|i| {
            if t.dates.contains(&i) {
                Some(Col::date())
            } else if t.numeric.contains(&i) {
                Some(Col::number(fit_chars(longest(&t.rows, i).max(4)).max(900)))
            } else {
                None
            }
        })
        .collect();
    let weights: Vec<u32> = (0..t.headers.len()).map(|i| u32::try_from(longest(&t.rows, i).clamp(8, 40)).unwrap_or(40)).collect();
    let first = share(&fixed, &weights);
    // A text column narrower than its longest word would break the word ("Phườn|g 2"): widen it to the word.
    let mut fixed = fixed;
    let mut widened = false;
    for (i, col) in first.iter().enumerate() {
        let word = t
            .rows
            .iter()
            .chain(std::iter::once(&t.headers))
            .filter_map(|r| r.get(i))
            .flat_map(|c| c.split_whitespace())
            .map(|w| w.chars().count())
            .max()
            .unwrap_or(0);
        let need = fit_chars(word + 1);
        if let Some(slot) = fixed.get_mut(i).filter(|f| f.is_none() && col.width < need) {
            *slot = Some(Col::text(need));
            widened = true;
        }
    }
    if widened {
        share(&fixed, &weights)
    } else {
        first
    }
}

fn list_table(t: &Table) -> String {
    grid(&t.headers, &t.rows, &list_cols(t))
}

/// The heading: issuing body and number left; national title, motto, place and date right.
/// Both lines of a People's Committee's name are bold (the body is the issuer);
/// the rule under it is 5/12 of its last line, the motto's as long as the motto.
fn heading_block(r: &UnitReport) -> String {
    let [body, unit] = &r.issuer;
    let issuer_line = text_width(unit, 26).min(ISSUER_CELL);
    let left = [
        centered(body, 26, true, false),
        centered(unit, 26, true, false),
        rule(ISSUER_CELL, short_rule(issuer_line)),
        centered(&format!("Số:        {}", r.number_symbol), 26, false, false),
    ]
    .concat();
    let right = [
        centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24, true, false),
        centered(MOTTO, 26, true, false),
        rule(MOTTO_CELL, text_width(MOTTO, 26).min(MOTTO_CELL)),
        centered(&r.place_and_date(), 26, false, true),
    ]
    .concat();
    layout(&[ISSUER_CELL, MOTTO_CELL], &[left, right])
}

/// "BÁO CÁO", the title with a short rule under it, and "Kính gửi:".
fn title_block(r: &UnitReport) -> String {
    let mut b = String::new();
    b.push_str(&centered("BÁO CÁO", 28, true, false));
    b.push_str(&centered(&r.title, 28, true, false));
    b.push_str(&rule(TEXT_WIDTH, short_rule(text_width(&r.title, 28).min(TEXT_WIDTH))));
    if let Some(to) = &r.addressing.recipient {
        b.push_str(&para(&format!("Kính gửi: {to}."), Style { size: 28, center: true, after: 240, ..Style::default() }));
    }
    b
}

/// "Nơi nhận:" left; who signs right, room for the signature and the seal, and
/// the name when known. Kept whole on one page with the paragraph before it.
fn signature_block(r: &UnitReport) -> String {
    let small = Style { size: 22, after: 0, keep_next: true, ..Style::default() };
    let mut left = vec![para("Nơi nhận:", Style { bold: true, italic: true, size: 24, after: 0, keep_next: true, ..Style::default() })];
    if r.addressing.recipient.is_some() {
        left.push(para("- Như trên;", small));
    }
    for c in &r.addressing.copies_to {
        left.push(para(&format!("- {c};"), small));
    }
    left.push(para(&format!("- Lưu: {}.", r.addressing.filed_with), small));
    let mut right = Vec::new();
    if let Some(c) = &r.signer.capacity {
        right.push(centered(c, 28, true, false));
    }
    right.push(centered(&r.signer.title, 28, true, false));
    // Room for the signature and the seal.
    right.push(para("", Style { size: 28, after: 1440, keep_next: true, ..Style::default() }));
    right.push(centered(r.signer.name.as_deref().unwrap_or(""), 28, true, false));
    layout(&[TEXT_WIDTH / 2, TEXT_WIDTH / 2], &[left.concat(), right.concat()])
}

/// The targets' table: clause, content, figures, result, threshold, status.
fn targets_table(r: &UnitReport) -> String {
    let rows: Vec<Vec<String>> = r
        .targets
        .iter()
        .map(|t| {
            let text = match &t.judged {
                Some(j) => format!("{} ({j})", words::capitalise(&t.text)),
                None => words::capitalise(&t.text),
            };
            vec![t.clause.clone(), text, t.figures.clone(), t.value_text.clone(), t.threshold.clone(), t.status.clone()]
        })
        .collect();
    let headers = ["Chỉ tiêu", "Nội dung", "Số liệu", "Kết quả", "Mức giao", "Đánh giá"].map(String::from);
    // The figures may break after the slash: as wide as their longest half.
    let half = r.targets.iter().flat_map(|t| t.figures.split(" / ").map(|p| p.chars().count() + 2)).max().unwrap_or(4);
    let fixed = [
        Some(Col::text(fit_chars(longest(&rows, 0).max(4)).max(800))),
        None,
        Some(Col { width: fit_chars(half.max(6)), right: true, no_wrap: false }),
        Some(Col::number(fit_chars(longest(&rows, 3).max(5)))),
        Some(Col { width: fit_chars(longest(&rows, 4).clamp(5, 7)), right: false, no_wrap: false }),
        Some(Col::text(1500)),
    ];
    grid(&headers, &rows, &share(&fixed, &[1; 6]))
}

fn document_xml(r: &UnitReport) -> String {
    let mut b = String::new();
    b.push_str(&heading_block(r));
    b.push_str(&para("", Style { size: 28, after: 120, ..Style::default() }));
    b.push_str(&title_block(r));
    b.push_str(&para(
        &format!(
            "Thực hiện {}, {} báo cáo kết quả thực hiện công tác phòng, chống mại dâm {}{}, số liệu tính đến ngày {}, như sau:",
            r.plan_reference(),
            r.issuing_body(),
            r.period_in_full(),
            r.old_territory(),
            pcmd_domain::date::format_vn(r.as_of)
        ),
        BODY,
    ));
    // An old unit after the 2025 reform: which ground its figures are counted on, as the page says it.
    if let Some(note) = &r.territory_note {
        b.push_str(&para(&format!("Địa bàn tính số liệu: {note}"), Style { italic: true, ..BODY }));
    }
    // I. The situation: the officer's text, or a draft from the figures.
    b.push_str(&heading("I. TÌNH HÌNH"));
    section(&mut b, r, "situation");

    // II. The results, part by part: a line of figures, then the list.
    b.push_str(&heading("II. KẾT QUẢ THỰC HIỆN"));
    let mut part = 0;
    let mut sub = |b: &mut String, title: &str| {
        part += 1;
        b.push_str(&subheading(&format!("{part}. {title}")));
    };
    sub(&mut b, "Công tác chỉ đạo, điều hành");
    section(&mut b, r, "direction");
    // An agency's report: its tasks in the plan and how far each has gone.
    work_list(&mut b, r, "agency_tasks");
    work_list(&mut b, r, "district_plans");
    sub(&mut b, "Công tác tuyên truyền");
    b.push_str(&para(&r.propaganda_line(), BODY));
    work_list(&mut b, r, "activities");
    work_list(&mut b, r, "publications");
    sub(&mut b, "Công tác kiểm tra, xử lý vi phạm tại các cơ sở kinh doanh dịch vụ");
    b.push_str(&para(&r.inspection_line(), BODY));
    work_list(&mut b, r, "inspections");
    sub(&mut b, "Công tác đấu tranh, xử lý tội phạm; tiếp nhận, xử lý tố giác, tin báo, khiếu nại");
    b.push_str(&para(&r.fight_line(), BODY));
    let tip_rows: Vec<Vec<String>> = r.tip_lines().into_iter().map(|(k, v)| vec![k, v]).collect();
    let value_col = Col::number(fit_chars(longest(&tip_rows, 1).max(6)));
    b.push_str(&grid(&["Nội dung (tin tiếp nhận trong kỳ)".into(), "Số tin".into()], &tip_rows, &share(&[None, Some(value_col)], &[1, 1])));
    for c in r.targets.iter().filter(|c| c.indicator == "tips_handled_on_time" && !c.figures.is_empty()) {
        b.push_str(&para(
            &format!(
                "Chỉ tiêu {} tính trên số tin đến hạn xử lý trong kỳ (kể cả tin tiếp nhận từ kỳ trước): {} tin được xử lý xong đúng hạn, đạt {}.",
                c.clause, c.figures, c.value_text
            ),
            Style { italic: true, ..BODY },
        ));
    }
    sub(&mut b, "Công tác hỗ trợ người bán dâm");
    b.push_str(&para(&r.support_line(), BODY));
    let services = r.service_rows();
    if !services.is_empty() {
        let col = Col::number(fit_chars(longest(&services, 1).max(longest(&services, 2)).max(8)));
        b.push_str(&grid(
            &["Dịch vụ hỗ trợ".into(), "Số lượt".into(), "Số người".into()],
            &services,
            &share(&[None, Some(col), Some(col)], &[1, 1, 1]),
        ));
    }
    sub(&mut b, "Xây dựng, nhân rộng mô hình");
    b.push_str(&para(&r.models_line(), BODY));
    work_list(&mut b, r, "pilot_models");
    sub(&mut b, "Công tác tập huấn, bồi dưỡng nghiệp vụ");
    b.push_str(&para(&r.training_line(), BODY));
    work_list(&mut b, r, "trainings");
    if !r.budget.is_empty() {
        sub(&mut b, "Kinh phí thực hiện");
        let mut rows: Vec<Vec<String>> = r
            .budget
            .iter()
            // Spending not yet recorded is said so, not left blank (a blank reads as a cell forgotten).
            .map(|l| vec![l.year.to_string(), l.item.clone(), format_vnd(l.allocated), l.spent.map_or_else(|| "chưa có số liệu".into(), format_vnd)])
            .collect();
        let spent: Option<i64> = r.budget.iter().map(|l| l.spent).sum();
        rows.push(vec![String::new(), "Tổng cộng".into(), format_vnd(r.budget_total()), spent.map(format_vnd).unwrap_or_default()]);
        let amount = Col::number(fit_chars(longest(&rows, 2).max(longest(&rows, 3)).max(9)));
        b.push_str(&grid(
            &["Năm".into(), "Nội dung".into(), "Dự toán (đồng)".into(), "Đã chi (đồng)".into()],
            &rows,
            &share(&[Some(Col::number(fit_chars(4).max(900))), None, Some(amount), Some(amount)], &[1, 1, 1, 1]),
        ));
        b.push_str(&para(&format!("(Tổng dự toán bằng chữ: {}.)", r.budget_total_words()), Style { italic: true, ..BODY }));
    }
    if r.unit_reports.is_empty() && r.unit.level != pcmd_domain::units::Level::Commune {
        sub(&mut b, "Báo cáo của các đơn vị: chưa có báo cáo nào của các đơn vị trực thuộc cho kỳ này trên hệ thống");
    }
    if !r.unit_reports.is_empty() {
        let accepted = r.accepted().count();
        sub(&mut b, &format!("Báo cáo của các đơn vị: {} báo cáo, {} đã được chấp nhận và tổng hợp vào báo cáo này", r.unit_reports.len(), accepted));
        let rows: Vec<Vec<String>> = r.unit_reports.iter().map(|u| vec![u.unit_name.clone(), u.status.label_vi().to_string()]).collect();
        b.push_str(&grid(&["Đơn vị".into(), "Tình trạng báo cáo".into()], &rows, &share(&[None, Some(Col::text(2600))], &[1, 1])));
    }

    // III. The targets, each with its figures and status.
    b.push_str(&heading("III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
    b.push_str(&targets_table(r));
    let growth = r.targets.iter().any(|t| t.kind == "growth");
    b.push_str(&para(
        &format!(
            "Ghi chú: cột «Số liệu» ghi số đạt / tổng số{}.",
            if growth { "; chỉ tiêu về mức tăng ghi số của kỳ này / số của cùng kỳ năm trước" } else { "" }
        ),
        Style { italic: true, size: 24, ..BODY },
    ));

    // IV. The assessment; V. what comes next; VI. proposals.
    b.push_str(&heading("IV. ĐÁNH GIÁ CHUNG"));
    for (i, key) in ["results", "shortcomings", "causes"].iter().enumerate() {
        b.push_str(&subheading(&format!("{}. {}", i + 1, section_title(key))));
        section(&mut b, r, key);
    }
    for (numeral, key) in [("V", "tasks_ahead"), ("VI", "proposals")] {
        b.push_str(&heading(&format!("{numeral}. {}", section_title(key).to_uppercase())));
        section(&mut b, r, key);
    }
    // The body ends with a paragraph, kept on the page of the signature.
    b.push_str(&para(&closing(r), Style { keep_next: true, after: 240, ..BODY }));
    b.push_str(&signature_block(r));
    body_xml(&b)
}

/// The document part around a body: A4, the decree's margins, a page number from page 2.
fn body_xml(b: &str) -> String {
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

/// A narrative section's title ("Tồn tại, hạn chế").
fn section_title(key: &str) -> &'static str {
    SECTIONS.iter().find(|(k, _, _)| *k == key).map_or("", |(_, vi, _)| vi)
}

/// A narrative section: the officer's text (or the draft from the figures),
/// then what the accepted reports of the units inside say under it.
fn section(b: &mut String, r: &UnitReport, key: &str) {
    for line in r.section_text(key) {
        b.push_str(&para(&line, BODY));
    }
    for u in r.accepted() {
        let t = u.narrative.get(key).trim();
        for (i, line) in t.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
            let line = if i == 0 { format!("- {}: {line}", u.unit_name) } else { line.to_string() };
            b.push_str(&para(&line, BODY));
        }
    }
}

/// A list of the period's work under its title and count: whole when short,
/// summarised when long (every row is in the XLSX and CSV); nothing when empty.
fn work_list(b: &mut String, r: &UnitReport, key: &str) {
    let Some(t) = r.lists.iter().find(|t| t.key == key).filter(|t| !t.rows.is_empty()) else { return };
    // A supervisor's copy: the count alone (`UnitReport::for_supervisor`).
    if let Some(text) = &t.withheld {
        b.push_str(&para(&format!("{}: {text}", t.title), Style { italic: true, ..BODY }));
        return;
    }
    b.push_str(&para(&format!("{}: {} {}", t.title, format_vnd(t.rows.len() as i64), t.count_word), Style { italic: true, keep_next: true, ..BODY }));
    // The press is summed by medium sooner: its rows say little one by one.
    let limit = if key == "publications" { PRESS_LIMIT } else { LIST_LIMIT };
    if t.rows.len() > limit {
        b.push_str(&para(
            &format!(
                "Tổng hợp theo {} (danh sách chi tiết tại bảng tính Excel kèm theo báo cáo):",
                t.headers.get(2).map_or("", |h| h.as_str()).to_lowercase()
            ),
            Style { keep_next: true, ..BODY },
        ));
        b.push_str(&list_table(&summarise(t, 2)));
    } else {
        b.push_str(&list_table(t));
    }
}

/// The last paragraph: "Trên đây là báo cáo … của Ủy ban nhân dân tỉnh Sóc Trăng./."
fn closing(r: &UnitReport) -> String {
    let when = r.period_heading();
    format!("Trên đây là báo cáo kết quả thực hiện công tác phòng, chống mại dâm {when}{} của {}./.", r.old_territory(), r.issuing_body())
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

fn core_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:title>{}</dc:title><dc:creator>pcmd</dc:creator><dc:language>vi-VN</dc:language></cp:coreProperties>",
        esc(title)
    )
}

pub fn write(r: &UnitReport) -> Result<Vec<u8>, ReportError> {
    package(document_xml(r), &r.title)
}

fn package(document: String, title: &str) -> Result<Vec<u8>, ReportError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", ROOT_RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/document.xml", document),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/header1.xml", header_xml(true)),
        ("word/header2.xml", header_xml(false)),
        ("docProps/core.xml", core_xml(title)),
    ];
    for (name, text) in parts {
        zip.start_file(name, opts)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A block of a plain document (a form to complete, not a report).
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Centred, bold, capitals as given.
    Title(String),
    Heading(String),
    Subheading(String),
    Para(String),
    /// Italic: a note or an instruction.
    Note(String),
    Table(Vec<String>, Vec<Vec<String>>),
}

/// A plain document in the decree's page layout: the impact assessment, forms.
pub fn write_plain(title: &str, blocks: &[Block]) -> Result<Vec<u8>, ReportError> {
    let mut b = String::new();
    for block in blocks {
        match block {
            Block::Title(t) => b.push_str(&para(t, Style { bold: true, size: 28, center: true, after: 120, keep_next: true, ..Style::default() })),
            Block::Heading(t) => b.push_str(&heading(t)),
            Block::Subheading(t) => b.push_str(&subheading(t)),
            Block::Para(t) => b.push_str(&para(t, BODY)),
            Block::Note(t) => b.push_str(&para(t, Style { italic: true, ..BODY })),
            Block::Table(headers, rows) => {
                let weights: Vec<u32> = (0..headers.len()).map(|i| u32::try_from(longest(rows, i).clamp(8, 60)).unwrap_or(60)).collect();
                let fixed: Vec<Option<Col>> = vec![None; headers.len()];
                b.push_str(&grid(headers, rows, &share(&fixed, &weights)));
            }
        }
    }
    package(body_xml(&b), title)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::sample;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// The province's report dated 20/12/2024 (within the reporting window: dated as asked).
    fn province() -> String {
        document_xml(&sample::report(94, d(2024, 12, 20)))
    }

    /// The paragraph (`<w:p>…</w:p>`) whose text is exactly `text`, the first one.
    fn paragraph<'a>(xml: &'a str, text: &str) -> &'a str {
        let at = xml.find(&format!(">{}</w:t>", esc(text))).unwrap_or_else(|| panic!("«{text}» missing"));
        let start = xml[..at].rfind("<w:p>").unwrap();
        let end = at + xml[at..].find("</w:p>").unwrap() + "</w:p>".len();
        &xml[start..end]
    }

    /// The value of `attr` in the first `tag` of `xml`.
    fn attr(xml: &str, tag: &str, attr: &str) -> Option<u32> {
        let at = xml.find(&format!("<{tag} "))?;
        let el = &xml[at..at + xml[at..].find('>')?];
        let v = el.find(&format!("{attr}=\""))? + attr.len() + 2;
        el[v..v + el[v..].find('"')?].parse().ok()
    }

    /// The length of the rule after the paragraph of `text`, and the width of its cell or page.
    fn rule_after(xml: &str, text: &str, space: u32) -> u32 {
        let at = xml.find(&format!(">{}</w:t>", esc(text))).unwrap();
        let rest = &xml[at..];
        let rule = &rest[rest.find("<w:pBdr>").unwrap()..];
        let rule = &rule[..rule.find("</w:p>").unwrap()];
        let (left, right) = (attr(rule, "w:ind", "w:left").unwrap(), attr(rule, "w:ind", "w:right").unwrap());
        space - left - right
    }

    #[test]
    fn both_lines_of_the_issuing_body_are_bold() {
        let xml = province();
        for line in ["ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"] {
            let p = paragraph(&xml, line);
            assert!(p.contains("<w:b/>") && p.contains("w:sz w:val=\"26\""), "{line}: {p}");
        }
        // The number line is not.
        assert!(!paragraph(&xml, "Số:        /BC-UBND").contains("<w:b/>"));
    }

    #[test]
    fn rules_are_measured_from_the_lines_above_them() {
        // "TỈNH SÓC TRĂNG", bold 13 pt: 12 capitals × 0.72 em + 2 spaces × 0.25 em = 9.14 em;
        // 13 pt = 260 twips an em: 2 376 twips. The rule: 5/12 of it = 990 (1/3 = 792, 1/2 = 1 188).
        assert_eq!(text_width("TỈNH SÓC TRĂNG", 26), 2376);
        let xml = province();
        let issuer = rule_after(&xml, "TỈNH SÓC TRĂNG", ISSUER_CELL);
        assert!((989..=991).contains(&issuer), "issuer rule {issuer}");
        assert_ne!(issuer, 1400);
        // A shorter name, a shorter rule: "PHƯỜNG 2" = 6 capitals (4.32 em), a space (0.25), a digit (0.5)
        // = 5.07 em × 260 = 1 318 twips; 5/12 of it = 549.
        let ward = rule_after(&document_xml(&sample::report(31510, d(2024, 12, 20))), "PHƯỜNG 2", ISSUER_CELL);
        assert!((548..=550).contains(&ward), "ward rule {ward}");
        // The motto: 3 capitals (2.16 em), 15 small letters (7.5), 7 spaces (1.75), 2 hyphens (0.66) =
        // 12.07 em × 260 = 3 138 twips; its rule is as long.
        assert_eq!(text_width(MOTTO, 26), 3138);
        let motto = rule_after(&xml, MOTTO, MOTTO_CELL);
        assert!((3137..=3139).contains(&motto), "motto rule {motto}");
        // The title, bold 14 pt, has a rule 1/3 to 1/2 as long as its line (the text width when it wraps).
        let r = sample::report(94, d(2024, 12, 20));
        let line = text_width(&r.title, 28).min(TEXT_WIDTH);
        let title = rule_after(&xml, &r.title, TEXT_WIDTH);
        assert!(title * 3 >= line && title * 2 <= line, "title rule {title} for a line of {line}");
    }

    #[test]
    fn rows_never_split_headers_repeat_and_headings_keep_with_next() {
        let xml = province();
        // Every row of every table, data and layout alike, is kept on one page.
        let rows = xml.matches("<w:tr>").count();
        assert!(rows >= 12, "{rows} rows");
        assert_eq!(xml.matches("<w:tr><w:trPr><w:cantSplit/>").count(), rows);
        // Each data table (with borders) repeats its header row.
        let data_tables = xml.matches("<w:tblBorders><w:top w:val=\"single\"").count();
        assert_eq!(data_tables, 8, "targets, four lists (activities, inspections, trainings, models), tips, services, budget");
        assert_eq!(xml.matches("<w:cantSplit/><w:tblHeader/>").count(), data_tables);
        for h in [
            "I. TÌNH HÌNH",
            "II. KẾT QUẢ THỰC HIỆN",
            "1. Công tác chỉ đạo, điều hành",
            "8. Kinh phí thực hiện",
            "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            "IV. ĐÁNH GIÁ CHUNG",
            "2. Tồn tại, hạn chế",
            "VI. ĐỀ XUẤT, KIẾN NGHỊ",
            "Tập huấn: 1 lớp",
        ] {
            assert!(paragraph(&xml, h).contains("<w:keepNext/>"), "{h}");
        }
    }

    #[test]
    fn the_body_ends_with_a_paragraph_kept_with_the_signature() {
        let xml = province();
        let sign = xml.rfind("<w:tbl>").unwrap();
        assert!(xml[sign..].contains("Nơi nhận:"), "the last table is the signature block");
        let before = &xml[..sign];
        assert!(before.ends_with("</w:p>"), "a paragraph, not a table, before the signature");
        let last = &before[before.rfind("<w:p>").unwrap()..];
        assert!(last.contains("<w:keepNext/>") && last.contains("Trên đây là báo cáo") && last.contains("./."), "{last}");
        // The block: one row that never splits, every paragraph kept with the next.
        let block = &xml[sign..];
        assert!(block.contains("<w:tr><w:trPr><w:cantSplit/></w:trPr>"));
        let paras = block.matches("<w:p>").count();
        assert_eq!(block.matches("<w:p><w:pPr><w:keepNext/>").count(), paras, "{block}");
        // No placeholder; the default signer, and room for the signature.
        assert!(!xml.contains("Ký, ghi rõ") && !xml.contains("(Chưa viết.)"));
        assert!(block.contains(">TM. ỦY BAN NHÂN DÂN<") && block.contains(">CHỦ TỊCH<"));
    }

    #[test]
    fn a_deputy_signs_for_the_chair_with_a_name() {
        let mut r = sample::report(94, d(2024, 12, 20));
        r.signer = crate::Signer::deputy(Some("Nguyễn Văn A".into()));
        let xml = document_xml(&r);
        let block = &xml[xml.rfind("<w:tbl>").unwrap()..];
        let at = |s: &str| block.find(&format!(">{s}<")).unwrap_or_else(|| panic!("{s}"));
        assert!(at("KT. CHỦ TỊCH") < at("PHÓ CHỦ TỊCH") && at("PHÓ CHỦ TỊCH") < at("Nguyễn Văn A"));
        assert!(!block.contains("TM. "));
    }

    #[test]
    fn dates_and_amounts_keep_to_one_line_in_cells_wide_enough() {
        let xml = province();
        // 10 characters × 150 + 160 = 1 660 twips for a date; 13 × 150 + 160 = 2 110 for "1.005.000.000".
        for (text, chars) in [("04/01/2024", 10), ("29/07/2024", 10), ("1.005.000.000", 13), ("1.107.680.000", 13)] {
            let at = xml.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("{text}"));
            let tc = &xml[xml[..at].rfind("<w:tc>").unwrap()..at];
            assert!(tc.contains("<w:noWrap/>"), "{text}: {tc}");
            let width = attr(tc, "w:tcW", "w:w").unwrap();
            assert!(width >= chars * 150 + 160, "{text}: {width}");
        }
    }

    #[test]
    fn tables_stay_between_the_margins() {
        let xml = province();
        let mut seen = 0;
        for (at, _) in xml.match_indices("<w:tbl>") {
            let tbl = &xml[at..at + xml[at..].find("</w:tbl>").unwrap()];
            let width = attr(tbl, "w:tblW", "w:w").unwrap();
            let indent = attr(tbl, "w:tblInd", "w:w").unwrap();
            // Bordered tables: the border runs one cell margin left of the indent in older Word, at it in newer;
            // either way it stays within [0, text width].
            let margin = attr(tbl, "w:left", "w:w").unwrap_or(0);
            assert!(indent >= margin && indent + width <= TEXT_WIDTH, "indent {indent} width {width} margin {margin}");
            let grid: u32 = tbl.match_indices("<w:gridCol w:w=\"").map(|(i, _)| attr(&tbl[i..], "w:gridCol", "w:w").unwrap()).sum();
            assert_eq!(grid, width);
            seen += 1;
        }
        assert_eq!(seen, 10, "heading, eight data tables, signature");
    }

    #[test]
    fn place_date_title_and_opening_read_as_an_official_text() {
        let r = sample::report(31510, d(2024, 6, 5));
        let xml = document_xml(&r);
        // The ward's own place; the day with a zero, June without.
        assert!(xml.contains(">Phường 2, ngày 05 tháng 6 năm 2024<"), "place and date");
        assert!(xml.contains(">Kết quả thực hiện công tác phòng, chống mại dâm năm 2024 trên địa bàn Phường 2<"));
        assert!(xml.contains(">Kính gửi: Ủy ban nhân dân thành phố Sóc Trăng.<"));
        assert!(xml.contains("Thực hiện Nghị quyết số 117/NQ-HĐND ngày 07/12/2023 của Hội đồng nhân dân tỉnh Sóc Trăng về công tác"));
        assert!(xml.contains(
            ", Ủy ban nhân dân Phường 2 báo cáo kết quả thực hiện công tác phòng, chống mại dâm năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024)"
        ));
        // The commune's recipients: the district's People's Committee is "Như trên"; kept by its culture and social officers.
        assert!(xml.contains(">- Như trên;<") && xml.contains(">- Lưu: VT, VH-XH.<") && !xml.contains("Sở Y tế"));
        // Made on 02/12/2026, when Phường 2 (valid to 30/06/2025) no longer existed: never dated back to its last day,
        // but made by Phường Phú Lợi, which took it in, on the old ward's territory, to Cần Thơ's People's Committee.
        let late = document_xml(&sample::report(31510, d(2026, 12, 2)));
        assert!(late.contains(">Phú Lợi, ngày 02 tháng 12 năm 2026<") && !late.contains("tháng 6 năm 2025<"), "place and date");
        assert!(late.contains(">PHƯỜNG PHÚ LỢI<") && late.contains(">Kính gửi: Ủy ban nhân dân thành phố Cần Thơ.<"));
        assert!(late.contains(">Kết quả thực hiện công tác phòng, chống mại dâm năm 2024 trên địa bàn Phường 2 (cũ)<"));
        assert!(late.contains(
            ", Ủy ban nhân dân phường Phú Lợi báo cáo kết quả thực hiện công tác phòng, chống mại dâm năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024) trên địa bàn Phường 2 (cũ), số liệu"
        ));
        assert!(late.contains("năm 2024 trên địa bàn Phường 2 (cũ) của Ủy ban nhân dân phường Phú Lợi./."));
        // The direction of 2024 was the old ward's.
        assert!(late.contains("Ủy ban nhân dân Phường 2 chỉ đạo triển khai"));
        // February keeps its zero.
        assert!(document_xml(&sample::report(94, d(2025, 2, 3))).contains(">Sóc Trăng, ngày 03 tháng 02 năm 2025<"));
    }

    #[test]
    fn recipients_follow_the_reports_date() {
        let before = document_xml(&sample::report(94, d(2025, 1, 10)));
        assert!(before.contains(">Kính gửi: Bộ Lao động – Thương binh và Xã hội.<"));
        assert!(before.contains(">- Sở Lao động – Thương binh và Xã hội (cơ quan thường trực);<") && before.contains(">- Lưu: VT, LĐTBXH.<"));
        let after = document_xml(&sample::report(94, d(2025, 3, 1)));
        assert!(
            after.contains(">Kính gửi: Bộ Y tế.<") && after.contains(">- Sở Y tế (cơ quan thường trực);<") && after.contains(">- Lưu: VT, SYT.<")
        );
        // No "Kính gửi", no "Như trên".
        let mut r = sample::report(94, d(2025, 3, 1));
        r.addressing.recipient = None;
        let xml = document_xml(&r);
        assert!(!xml.contains("Kính gửi") && !xml.contains("Như trên"));
    }

    #[test]
    fn no_internal_code_nor_placeholder_and_drafts_from_the_figures() {
        let xml = province();
        for code in ["a3.workers", "c2.growth", "đ.local", "XLSX", "(Chưa viết.)", "lượt</w:t>" /* trainings */] {
            if code.starts_with("lượt") {
                assert!(xml.contains(">Tập huấn: 1 lớp<"), "trainings are counted in classes");
            } else {
                assert!(!xml.contains(code), "{code}");
            }
        }
        // The targets' table: clause, figures beside the value, status.
        for cell in [">a3<", ">1.873 / 4.336<", ">43,2%<", ">không đạt<", ">đ<", ">Số liệu<"] {
            assert!(xml.contains(cell), "{cell}");
        }
        // The report's parts in the order of a work report.
        let order = [
            "I. TÌNH HÌNH",
            "1. Công tác chỉ đạo",
            "2. Công tác tuyên truyền",
            "3. Công tác kiểm tra",
            "4. Công tác đấu tranh",
            "5. Công tác hỗ trợ",
            "6. Xây dựng, nhân rộng mô hình",
            "7. Công tác tập huấn",
            "8. Kinh phí",
            "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
            "IV. ĐÁNH GIÁ CHUNG",
            "V. NHIỆM VỤ",
            "VI. ĐỀ XUẤT",
        ];
        let at: Vec<usize> = order.iter().map(|h| xml.find(&format!(">{h}")).unwrap_or_else(|| panic!("{h}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?} in order");
        // Each part states its figures: cases, support, fines in words, models.
        assert!(xml.contains("phát hiện, điều tra 6 vụ án hình sự với 14 bị can"));
        assert!(xml.contains("Mở 18 hồ sơ hỗ trợ người bán dâm"));
        assert!(xml.contains("(một tỷ"), "the fines in words");
        assert!(xml.contains("Duy trì, triển khai 1 mô hình"));
        assert!(xml.contains("9/11 đơn vị cấp huyện đã ban hành kế hoạch"));
        // Drafts from the figures where the officer wrote nothing.
        assert!(xml.contains("tổ chức 2 hoạt động tuyên truyền cho 150 lượt người"));
        assert!(xml.contains("kiểm tra 2 lượt cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm, phát hiện 3 trường hợp vi phạm"));
        assert!(xml.contains("Chỉ tiêu a3 – người lao động tại cơ sở kinh doanh dịch vụ: đạt 43,2% (1.873 / 4.336), chưa đạt mức ≥ 70% đề ra."));
        // 70% of 4 336 = 3 035.2, so 3 036 are needed: 1 163 more than the 1 873 reached.
        // With what is counted, from the catalogue, so that the reader sees why.
        assert!(xml.contains(
            "cần đạt ít nhất 3.036 / 4.336 (tính số người lao động được tuyên truyền, mỗi xã không quá số người lao động của xã trên số người lao động tại các cơ sở đang hoạt động), mới thực hiện 1.873, còn thiếu 1.163."
        ));
        // One settled count: 64 settled (53 handled, 4 transferred, 7 dismissed), no second "đã giải quyết".
        assert!(xml.contains(">Số tin đã xử lý xong<") && !xml.to_lowercase().contains("đã giải quyết"));
        // The officer's text, when written, replaces the draft.
        let mut r = sample::report(94, d(2024, 12, 20));
        r.narrative.results = "Kết quả do cán bộ viết.".into();
        let own = document_xml(&r);
        assert!(own.contains(">Kết quả do cán bộ viết.<") && !own.contains("tổ chức 2 hoạt động tuyên truyền"));
    }
}
