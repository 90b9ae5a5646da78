//! Reports as files: the DOCX opened as a package and read as XML (layout of
//! Decree 30/2020, texts, the engine's values in its table), the XLSX read back
//! with a spreadsheet reader (numbers as numbers, equal to the engine's), and
//! the lock of an accepted report.

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};
use calamine::{Data, Reader, Xlsx};
use quick_xml::events::Event;
use std::io::Read;

/// A part of a DOCX package as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut f = zip.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

/// The text of every paragraph, in order.
fn paragraphs(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut out, mut cur, mut in_t) = (Vec::new(), String::new(), false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_t = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_t = false,
            Event::Text(t) if in_t => cur.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => cur.push_str(match r.xml10_content().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                _ => "?",
            }),
            Event::End(e) if e.name().as_ref() == "w:p" => out.push(std::mem::take(&mut cur)),
            Event::Empty(e) if e.name().as_ref() == "w:p" => out.push(String::new()),
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// The value of attribute `attr` of the first element `tag`.
fn attr(xml: &str, tag: &str, attr: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == tag => {
                return e.attributes().flatten().find(|a| a.key.as_ref() == attr).map(|a| a.value.to_string());
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[tokio::test]
async fn docx_and_xlsx_hold_the_engines_figures_in_the_official_layout() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("bao-cao.docx");
        let xlsx = dir.path().join("bao-cao.xlsx");
        // Made on 02/12/2026, after the reform ended Tỉnh Sóc Trăng (30/06/2025).
        let base = ["report", "--plan", "117/NQ-HĐND", "--period", "2024", "--as-of", "2025-01-15", "--issued-on", "02/12/2026", "--format"];
        pcmd(db, &[&base[..], &["docx", "--out", docx.to_str().unwrap()]].concat()).await.unwrap();
        pcmd(db, &[&base[..], &["xlsx", "--out", xlsx.to_str().unwrap()]].concat()).await.unwrap();
        let engine =
            pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2024", "--as-of", "2025-01-15", "--format", "json"]).await;
        let plan = db.store.plan("117/NQ-HĐND").await.unwrap();

        let bytes = std::fs::read(&docx).unwrap();
        let doc = part(&bytes, "word/document.xml");
        // A4 (210 × 297 mm = 11906 × 16838 twips); margins 20 mm top and bottom, 30 mm left, 15 mm right (1 mm = 56.7 twips).
        assert_eq!(attr(&doc, "w:pgSz", "w:w").as_deref(), Some("11906"));
        assert_eq!(attr(&doc, "w:pgSz", "w:h").as_deref(), Some("16838"));
        let mm = |a: &str| attr(&doc, "w:pgMar", a).unwrap().parse::<f64>().unwrap() / 56.7;
        assert!((20.0..=25.0).contains(&mm("w:top")) && (20.0..=25.0).contains(&mm("w:bottom")), "top/bottom");
        assert!((30.0..=35.0).contains(&mm("w:left")), "left {}", mm("w:left"));
        assert!((15.0..=20.0).contains(&mm("w:right")), "right {}", mm("w:right"));
        // Times New Roman throughout; the body at 14 pt (28 half-points).
        let styles = part(&bytes, "word/styles.xml");
        assert_eq!(attr(&styles, "w:rFonts", "w:ascii").as_deref(), Some("Times New Roman"));
        assert_eq!(attr(&styles, "w:sz", "w:val").as_deref(), Some("28"));
        // Page numbers from page 2: a different first page, the PAGE field centred in the other pages' header.
        assert!(doc.contains("<w:titlePg/>"));
        let header = part(&bytes, "word/header1.xml");
        assert!(header.contains(" PAGE ") && header.contains("w:val=\"center\""));
        assert!(!part(&bytes, "word/header2.xml").contains("PAGE"));
        let p = paragraphs(&doc);
        for text in [
            "ỦY BAN NHÂN DÂN",
            "THÀNH PHỐ CẦN THƠ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "BÁO CÁO",
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
        ] {
            assert!(p.iter().any(|x| x == text), "«{text}» missing");
        }
        assert!(p.iter().any(|x| x.starts_with("Số:") && x.ends_with("/BC-UBND")));
        assert!(p.iter().any(|x| x.starts_with("Cần Thơ, ngày ")), "place and date");
        // The motto is bold, 13 pt, centred, with a rule under it (the next paragraph's top border);
        // the national title bold, 12 pt.
        let motto_at = doc.find("Độc lập - Tự do - Hạnh phúc").unwrap();
        let motto_p = &doc[doc[..motto_at].rfind("<w:p>").unwrap()..motto_at];
        assert!(motto_p.contains("<w:b/>") && motto_p.contains("w:sz w:val=\"26\"") && motto_p.contains("w:val=\"center\""), "{motto_p}");
        let after = &doc[motto_at..];
        let next = &after[after.find("<w:p>").unwrap()..];
        let next_p = &next[..next.find("</w:p>").unwrap()];
        assert!(next_p.contains("<w:top w:val=\"single\""), "{next_p}");
        let title_at = doc.find("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").unwrap();
        let title_p = &doc[doc[..title_at].rfind("<w:p>").unwrap()..title_at];
        assert!(title_p.contains("<w:b/>") && title_p.contains("w:sz w:val=\"24\""), "{title_p}");
        assert_eq!(engine.as_array().unwrap().len(), 15, "15 targets in 2024");
        assert_eq!(plan.targets.len(), 15);
        // The table: after its header, six cells a target — the clause (the code up to its last
        // part of letters: a3.workers → a3), the text, numerator / denominator, the engine's value
        // as people read it, the threshold, the status.
        let head = p.iter().position(|x| x == "Số liệu").expect("the targets' header") - 2;
        assert_eq!(&p[head..head + 6], ["Chỉ tiêu", "Nội dung", "Số liệu", "Kết quả", "Mức giao", "Đánh giá"]);
        for (i, (t, e)) in plan.targets.iter().zip(engine.as_array().unwrap()).enumerate() {
            assert_eq!(e["target"], t.code.as_str());
            let row = &p[head + 6 * (i + 1)..head + 6 * (i + 2)];
            let clause = t.code.split_once('.').map_or(t.code.as_str(), |(c, _)| c);
            assert_eq!(row[0], clause, "{}", t.code);
            let n = pcmd_domain::money::format_decimal_vn;
            match (e["numerator"].as_f64(), e["denominator"].as_f64()) {
                (Some(a), Some(b)) => assert_eq!(row[2], format!("{} / {}", n(a), n(b)), "{}", t.code),
                _ => assert_eq!(row[2], "", "{}", t.code),
            }
            let shown = pcmd_domain::plan::indicator::value_text(&t.indicator_kind, e["value"].as_f64());
            assert_eq!(row[3], shown, "{}", t.code);
        }
        // The budget total in words, as a legal text writes it.
        assert!(p.iter().any(|x| x.contains("Một tỷ, một trăm linh bảy triệu, sáu trăm tám mươi nghìn đồng")), "budget in words");

        // XLSX: the same values, stored as numbers, under a header block of 10 rows
        // (pcmd_report::xlsx::HEADER_ROW): a percentage as a fraction with a % format.
        let h = pcmd_report::xlsx::HEADER_ROW as usize;
        let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        assert!(book.sheet_names().contains(&"Chỉ tiêu".to_string()));
        let sheet = book.worksheet_range("Chỉ tiêu").unwrap();
        assert_eq!(sheet.get((0, 0)), Some(&Data::String("ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ".into())));
        assert_eq!(sheet.get((h, 0)), Some(&Data::String("Chỉ tiêu".into())));
        for (i, (t, e)) in plan.targets.iter().zip(engine.as_array().unwrap()).enumerate() {
            assert_eq!(sheet.get((h + i + 1, 7)), Some(&Data::String(e["target"].as_str().unwrap().into())));
            match e["value"].as_f64() {
                Some(v) if t.indicator_kind == "count" => assert_eq!(sheet.get((h + i + 1, 2)), Some(&Data::Float((v * 100.0).round() / 100.0))),
                Some(v) => assert_eq!(sheet.get((h + i + 1, 2)), Some(&Data::Float((v * 100.0).round() / 10000.0)), "{}", e["target"]),
                None => assert_eq!(sheet.get((h + i + 1, 2)), Some(&Data::String("—".into()))),
            }
            for (col, part) in [(3, "numerator"), (4, "denominator")] {
                assert_eq!(sheet.get((h + i + 1, col)), e[part].as_f64().map(Data::Float).as_ref(), "{} {part}", e["target"]);
            }
        }
        let budget = book.worksheet_range("Kinh phí").unwrap();
        assert_eq!(budget.get((h + 1, 2)), Some(&Data::Float(1_107_680_000.0)));
    })
    .await;
}

/// The paragraph (`<w:p>…</w:p>`) holding the text `text` exactly, the first one.
fn paragraph_of<'a>(doc: &'a str, text: &str) -> &'a str {
    let at = doc.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("«{text}» missing"));
    let start = doc[..at].rfind("<w:p>").unwrap();
    &doc[start..at + doc[at..].find("</w:p>").unwrap()]
}

/// The number in `attr="…"` of the first `<tag ` in `xml`.
fn number_attr(xml: &str, tag: &str, attr: &str) -> u32 {
    let at = xml.find(&format!("<{tag} ")).unwrap_or_else(|| panic!("{tag} missing"));
    let el = &xml[at..at + xml[at..].find('>').unwrap()];
    let v = el.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    el[v..v + el[v..].find('"').unwrap()].parse().unwrap()
}

/// The length of the rule drawn after the paragraph of `text`: its cell's width less the rule's indents.
fn rule_length(doc: &str, text: &str) -> u32 {
    let at = doc.find(&format!(">{text}</w:t>")).unwrap();
    let cell = number_attr(&doc[doc[..at].rfind("<w:tc>").unwrap()..], "w:tcW", "w:w");
    let rest = &doc[at..];
    let rule = &rest[rest.find("<w:pBdr>").unwrap()..];
    let rule = &rule[..rule.find("</w:p>").unwrap()];
    cell - number_attr(rule, "w:ind", "w:left") - number_attr(rule, "w:ind", "w:right")
}

/// Whether `text` holds an internal target code: a letter, maybe a digit, a dot, then
/// small letters or underscores (`a3.workers`, `c2.inspected_yearly`, `đ.province`).
fn internal_code(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let letter = |c: &char| c.is_ascii_lowercase() || *c == 'đ';
        if !letter(c) {
            continue;
        }
        let mut j = i + 1;
        if chars.get(j).is_some_and(|d| d.is_ascii_digit()) {
            j += 1;
        }
        if chars.get(j) == Some(&'.') && chars.get(j + 1).is_some_and(|c| c.is_ascii_lowercase() || *c == '_') {
            let end = (j + 1..chars.len()).find(|k| !(chars[*k].is_ascii_lowercase() || chars[*k] == '_')).unwrap_or(chars.len());
            return Some(chars[i..end].iter().collect());
        }
    }
    None
}

#[test]
fn the_internal_code_pattern_is_found() {
    assert_eq!(internal_code("Chỉ tiêu a3.workers đạt").as_deref(), Some("a3.workers"));
    assert!(internal_code("x đ.province").is_some() && internal_code("c2.inspected_yearly").is_some());
    assert_eq!(internal_code("a3 – người lao động; 1.015 lượt; Sóc Trăng./."), None);
}

/// Issue: the DOCX of Sóc Trăng's 2024 reporting year, read as the People's Committee office reads it before signing.
#[tokio::test]
async fn the_provinces_year_report_can_be_signed_as_it_comes_out() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("tinh-2024-Y.docx");
        // Made on 20/12/2024, by the province as it then was.
        pcmd(
            db,
            &["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", "2024-Y", "--issued-on", "20/12/2024", "--format", "docx", "--out", docx.to_str().unwrap()],
        )
        .await
        .unwrap();
        let doc = part(&std::fs::read(&docx).unwrap(), "word/document.xml");
        let p = paragraphs(&doc);

        // Both lines of the issuing body bold, 13 pt.
        for line in ["ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"] {
            let para = paragraph_of(&doc, line);
            assert!(para.contains("<w:b/>") && para.contains("w:sz w:val=\"26\""), "{line}: {para}");
        }
        // Rules from the width of their lines (Times New Roman bold 13 pt, 260 twips an em; capitals
        // 0.72 em, small letters 0.5, spaces 0.25, hyphens 0.33): "TỈNH SÓC TRĂNG" = 12 × 0.72 + 2 × 0.25
        // = 9.14 em = 2 376 twips, its rule 5/12 of it (between 1/3 and 1/2) = 990, not a fixed 1 400;
        // the motto = 3 × 0.72 + 15 × 0.5 + 7 × 0.25 + 2 × 0.33 = 12.07 em = 3 138 twips, its rule as long.
        let issuer_rule = rule_length(&doc, "TỈNH SÓC TRĂNG");
        assert!((989..=991).contains(&issuer_rule), "issuer rule {issuer_rule}");
        let motto_rule = rule_length(&doc, "Độc lập - Tự do - Hạnh phúc");
        assert!((3137..=3139).contains(&motto_rule), "motto rule {motto_rule}");
        // A short rule under the title, centred.
        let title = "Kết quả thực hiện công tác phòng, chống mại dâm năm 2024 trên địa bàn tỉnh Sóc Trăng";
        assert!(p.iter().any(|x| x == title), "title");
        let after_title = &doc[doc.find(&format!(">{title}<")).unwrap()..];
        let next = &after_title[after_title.find("<w:p>").unwrap()..];
        assert!(next[..next.find("</w:p>").unwrap()].contains("<w:pBdr><w:top w:val=\"single\""), "rule under the title");

        // Every table row kept on one page; each data table's header repeated.
        let rows = doc.matches("<w:tr>").count();
        assert_eq!(doc.matches("<w:tr><w:trPr><w:cantSplit/>").count(), rows, "cantSplit on every row");
        assert_eq!(doc.matches("<w:tblHeader/>").count(), doc.matches("<w:tblBorders><w:top w:val=\"single\"").count());
        // Headings kept with what follows.
        for h in ["I. TÌNH HÌNH", "II. KẾT QUẢ THỰC HIỆN", "III. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "IV. ĐÁNH GIÁ CHUNG", "VI. ĐỀ XUẤT, KIẾN NGHỊ"] {
            assert!(paragraph_of(&doc, h).contains("<w:keepNext/>"), "{h}");
        }
        // Dates and amounts on one line: noWrap, in cells of at least 10 × 150 + 160 = 1 660 twips for a
        // date, 13 × 150 + 160 = 2 110 for "1.005.000.000" (0.6 em a character at 12 pt, plus the margins).
        for (text, chars) in [("29/07/2024", 10), ("1.005.000.000", 13), ("1.107.680.000", 13)] {
            let at = doc.find(&format!(">{text}</w:t>")).unwrap_or_else(|| panic!("{text}"));
            let tc = &doc[doc[..at].rfind("<w:tc>").unwrap()..at];
            assert!(tc.contains("<w:noWrap/>"), "{text}: {tc}");
            assert!(number_attr(tc, "w:tcW", "w:w") >= chars * 150 + 160, "{text}");
        }
        // The body ends with a paragraph kept with the signature block, which stays whole.
        let sign = doc.rfind("<w:tbl>").unwrap();
        assert!(doc[sign..].contains("Nơi nhận:"));
        assert!(doc[..sign].ends_with("</w:p>"), "a paragraph, not a table, before the signature");
        let last = &doc[doc[..sign].rfind("<w:p>").unwrap()..sign];
        assert!(last.contains("<w:keepNext/>") && last.contains("Trên đây là báo cáo"), "{last}");
        let block = &doc[sign..];
        assert_eq!(block.matches("<w:p><w:pPr><w:keepNext/>").count(), block.matches("<w:p>").count(), "the signature block keeps together");

        // Text a signer would strike out: internal codes, English, placeholders.
        let all = p.join("\n");
        assert_eq!(internal_code(&all), None);
        for bad in ["(Chưa viết.)", "XLSX", "Ký, ghi rõ", "2024-Y", "trên địa bàn huyện"] {
            assert!(!all.contains(bad), "«{bad}»");
        }
        // The 3 training courses are classes; the activities and inspections "lượt".
        assert!(p.iter().any(|x| x == "Tập huấn: 3 lớp"), "trainings in classes");
        assert!(p.iter().any(|x| x == "Kiểm tra cơ sở kinh doanh dịch vụ: 174 lượt"));
        // Place and date: made on 20/12/2024 by the province as it then was; the Ministry of Labour led the
        // work until 01/03/2025; the resolution's People's Council gets a copy.
        assert!(p.iter().any(|x| x == "Sóc Trăng, ngày 20 tháng 12 năm 2024"), "place and date");
        assert!(p.iter().any(|x| x == "Kính gửi: Bộ Lao động – Thương binh và Xã hội."));
        assert!(p.iter().any(|x| x == "- Như trên;") && p.iter().any(|x| x == "- Sở Lao động – Thương binh và Xã hội (cơ quan thường trực);"));
        assert!(p.iter().any(|x| x == "- Thường trực Hội đồng nhân dân tỉnh Sóc Trăng;"));
        assert!(p.iter().any(|x| x == "- Lưu: VT, LĐTBXH."));
        // The opening cites the resolution by number, date and issuer, the period in words.
        assert!(all.contains(
            "Thực hiện Nghị quyết số 117/NQ-HĐND ngày 07/12/2023 của Hội đồng nhân dân tỉnh Sóc Trăng về công tác phòng, chống mại dâm"
        ));
        assert!(all.contains(", Ủy ban nhân dân tỉnh Sóc Trăng báo cáo kết quả thực hiện công tác phòng, chống mại dâm năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024), số liệu"));

        // The same report made on 02/12/2026: Tỉnh Sóc Trăng ceased on 30/06/2025, merged into Thành phố Cần
        // Thơ, whose People's Committee makes it on the old province's territory, dated the day it is made
        // (never back to the old province's last day); Cần Thơ's People's Council, not the old one, gets its copy.
        let late_docx = dir.path().join("tinh-2024-Y-2026.docx");
        pcmd(
            db,
            &["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", "2024-Y", "--issued-on", "02/12/2026", "--format", "docx", "--out", late_docx.to_str().unwrap()],
        )
        .await
        .unwrap();
        let late = paragraphs(&part(&std::fs::read(&late_docx).unwrap(), "word/document.xml"));
        let late_all = late.join("\n");
        assert!(late.iter().any(|x| x == "THÀNH PHỐ CẦN THƠ") && !late.iter().any(|x| x == "TỈNH SÓC TRĂNG"), "issuer");
        assert!(late.iter().any(|x| x == "Cần Thơ, ngày 02 tháng 12 năm 2026"), "place and date");
        assert!(late.iter().any(|x| x == "Kết quả thực hiện công tác phòng, chống mại dâm năm 2024 trên địa bàn tỉnh Sóc Trăng (cũ)"), "title");
        assert!(late.iter().any(|x| x == "Kính gửi: Bộ Y tế.") && late.iter().any(|x| x == "- Sở Y tế (cơ quan thường trực);"));
        assert!(late.iter().any(|x| x == "- Thường trực Hội đồng nhân dân thành phố Cần Thơ;"), "the council of today");
        assert!(late_all.contains(
            ", Ủy ban nhân dân thành phố Cần Thơ báo cáo kết quả thực hiện công tác phòng, chống mại dâm năm 2024 (từ ngày 15/12/2023 đến ngày 14/12/2024) trên địa bàn tỉnh Sóc Trăng (cũ), số liệu"
        ));
        // The year's direction was the old province's.
        assert!(late_all.contains("- Ủy ban nhân dân tỉnh Sóc Trăng chỉ đạo triển khai thực hiện"));
        // A period ending before the reform is counted on the unit's own subtree: nothing to say.
        assert!(!late_all.contains("Địa bàn tính số liệu"));
        // Thành phố Sóc Trăng's 2025 report says the ground it is counted on, as its page does: Phường 10
        // counts with Huyện Mỹ Xuyên (the hand check of 07/12/2026 found its 2025 report short of
        // Phường 10's establishments without a word).
        let city = dir.path().join("tp-2025-Y.docx");
        pcmd(db, &["report", "--plan", "117/NQ-HĐND", "--unit", "941", "--period", "2025-Y", "--issued-on", "02/12/2026", "--format", "docx", "--out", city.to_str().unwrap()])
            .await
            .unwrap();
        let city_all = paragraphs(&part(&std::fs::read(&city).unwrap(), "word/document.xml")).join("\n");
        assert!(
            city_all.contains("Địa bàn tính số liệu: Sau 01/07/2025 tính trên")
                && city_all.contains("Phường 10 (nay thuộc Phường Mỹ Xuyên, tính cho Huyện Mỹ Xuyên).")
                && !city_all.contains("(After 1 July"),
            "{city_all}"
        );
        // The province's second half of 2025 lists the press its a2 figure counts: Cần Thơ's papers
        // after July reach the old province (the hand check found the list empty beside a2 = 4/6).
        let h2 = dir.path().join("tinh-2025-H2.docx");
        pcmd(db, &["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", "2025-H2", "--issued-on", "02/12/2026", "--format", "docx", "--out", h2.to_str().unwrap()])
            .await
            .unwrap();
        let h2_all = paragraphs(&part(&std::fs::read(&h2).unwrap(), "word/document.xml")).join("\n");
        assert!(h2_all.contains("Báo Cần Thơ"), "{h2_all}");
        // A district's report lists only its own outlets' work: no provincial paper of Cần Thơ.
        assert!(!city_all.contains("Báo Cần Thơ"), "{city_all}");
        // The tips: one settled count (64 received in the period, all 64 settled: 53 handled, 4 transferred,
        // 7 dismissed — the demo's statistics), and the c1 target's 63 / 63 said to count the tips due in the period.
        let settled = p.iter().position(|x| x == "Số tin đã xử lý xong").expect("settled row");
        assert_eq!(p[settled + 1], "64");
        assert!(!all.to_lowercase().contains("đã giải quyết"), "no second settled count");
        assert!(all.contains("Chỉ tiêu c1 tính trên số tin đến hạn xử lý trong kỳ"));
        // The parts of a work report, each stating its figures. Counted by hand (SQL on the demo records of
        // the 120 units of Tỉnh Sóc Trăng, 15/12/2023–14/12/2024): 309 establishments open in the period with
        // 4 336 workers (the a3 denominator); the 11 case summaries of 2024: 15 cases, 23 defendants, 55
        // administrative cases, 63 persons fined; 6 support cases opened, 33 persons served (d2's numerator),
        // 46 still open on 14/12/2024 (none closed, so no "kết thúc 0"); 28 articles; 2 models running; 11 of 11 districts with a 2024 plan.
        for line in [
            "- Trên địa bàn tỉnh Sóc Trăng có 309 cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn mại dâm hoạt động trong kỳ",
            "với 4.336 người lao động.",
            "- 11/11 đơn vị cấp huyện đã ban hành kế hoạch thực hiện năm 2024.",
            "các cơ quan báo chí đăng, phát 28 tin, bài",
            "Trong năm 2024, phát hiện, điều tra 15 vụ án hình sự với 23 bị can liên quan đến hoạt động mại dâm; xử lý 55 vụ vi phạm hành chính, xử phạt 63 người.",
            "Mở 6 hồ sơ hỗ trợ người bán dâm",
            "33 người được nhận ít nhất một dịch vụ hỗ trợ trong kỳ; đến cuối kỳ còn 46 hồ sơ đang theo dõi.",
            "Duy trì, triển khai 2 mô hình phòng, chống mại dâm trong kỳ.",
            "(một tỷ, không trăm linh năm triệu đồng)",
        ] {
            assert!(all.contains(line), "«{line}»");
        }
        // The narrative drafted from the figures: 1 015 activities for 146 724 people, 174 inspections.
        assert!(all.contains("tổ chức 1.015 hoạt động tuyên truyền cho 146.724 lượt người"), "results drafted");
        assert!(all.contains("Chỉ tiêu a3 – người lao động tại cơ sở kinh doanh dịch vụ: đạt 43,2% (1.873 / 4.336)"), "shortcomings drafted");
    })
    .await;
}

/// Issue: a commune's report is placed and dated in the commune and addressed to its district.
#[tokio::test]
async fn a_communes_report_is_placed_in_the_commune_and_sent_to_its_district() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("phuong-2.docx");
        pcmd(db, &["report", "--plan", "117/NQ-HĐND", "--unit", "31510", "--period", "2024-H1", "--format", "docx", "--out", docx.to_str().unwrap()])
            .await
            .unwrap();
        let p = paragraphs(&part(&std::fs::read(&docx).unwrap(), "word/document.xml"));
        // Phường 2 (31510) ceased on 30/06/2025 and went into Phường Phú Lợi of Thành phố Cần Thơ: made
        // today, the report is Phú Lợi's on the old ward's territory, sent to Cần Thơ (no district any more).
        assert!(p.iter().any(|x| x.starts_with("Phú Lợi, ngày ")), "{:?}", &p[..8]);
        assert!(p.iter().any(|x| x == "PHƯỜNG PHÚ LỢI"));
        assert!(p.iter().any(|x| x == "Kết quả thực hiện công tác phòng, chống mại dâm 6 tháng đầu năm 2024 trên địa bàn Phường 2 (cũ)"));
        assert!(p.iter().any(|x| x == "Kính gửi: Ủy ban nhân dân thành phố Cần Thơ."));
        assert!(p.iter().any(|x| x == "- Lưu: VT, VH-XH."));
        let all = p.join("\n");
        assert!(!all.contains("Sở Y tế") && !all.contains("địa bàn xã") && !all.contains("(Chưa viết.)"));
        assert_eq!(internal_code(&all), None);
        // `--issued-on` dates it as the office decides: 20/06/2024, within the reporting window.
        let dated = dir.path().join("phuong-2-dated.docx");
        pcmd(
            db,
            &[
                "report",
                "--plan",
                "117/NQ-HĐND",
                "--unit",
                "31510",
                "--period",
                "2024-H1",
                "--issued-on",
                "20/06/2024",
                "--format",
                "docx",
                "--out",
                dated.to_str().unwrap(),
            ],
        )
        .await
        .unwrap();
        let p2 = paragraphs(&part(&std::fs::read(&dated).unwrap(), "word/document.xml"));
        assert!(p2.iter().any(|x| x == "Phường 2, ngày 20 tháng 6 năm 2024"), "{:?}", &p2[..8]);

        // Dated as the caller asks within the reporting window: 05/06/2024 → a zero before the day, none before June.
        let units = db.store.unit_index().await.unwrap();
        let period = pcmd_domain::period::Period::parse("2024-H1", pcmd_domain::period::Cutoff::Decree09).unwrap();
        let unit = units.resolve_for("31510", period.from, period.to).unwrap().clone();
        let req = pcmd_report::Request {
            plan: "117/NQ-HĐND",
            unit: &unit,
            period: &period,
            as_of: period.to,
            issued_on: chrono::NaiveDate::from_ymd_opt(2024, 6, 5).unwrap(),
            narrative: Default::default(),
            status: None,
            reader: None,
        };
        let report = pcmd_report::build(&db.store, &units, req).await.unwrap();
        assert_eq!(report.place_and_date(), "Phường 2, ngày 05 tháng 6 năm 2024");
        let p = paragraphs(&part(&pcmd_report::write(&report, pcmd_report::Format::Docx).unwrap(), "word/document.xml"));
        assert!(p.iter().any(|x| x == "Phường 2, ngày 05 tháng 6 năm 2024"));
    })
    .await;
}

/// Issue 13, document settings: `pcmd settings set --unit 94 signer_name …` and
/// the name is in the DOCX; the change is audited; an empty value goes back to
/// the default; an unknown key is refused.
#[tokio::test]
async fn a_units_document_settings_sign_its_reports() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        for (key, value) in
            [("signer_name", "Trần Văn Lâu"), ("signer_capacity", "KT. CHỦ TỊCH"), ("signer_title", "PHÓ CHỦ TỊCH"), ("number_symbol", "/BC-UBND-VX")]
        {
            pcmd(db, &["settings", "set", "--unit", "94", key, value]).await.unwrap();
        }
        let shown = pcmd(db, &["settings", "show", "--unit", "94"]).await.unwrap();
        assert!(shown.contains("Trần Văn Lâu") && shown.contains("(mặc định / default)"), "{shown}");
        assert!(pcmd(db, &["settings", "set", "--unit", "94", "chu_ky", "x"]).await.is_err(), "an unknown key is refused");
        let docx = dir.path().join("tinh.docx");
        // Made on 20/12/2024, while Tỉnh Sóc Trăng existed: its settings (after 30/06/2025 its reports are Cần Thơ's, with Cần Thơ's settings).
        let args = [
            "report",
            "--plan",
            "117/NQ-HĐND",
            "--unit",
            "94",
            "--period",
            "2024-Y",
            "--issued-on",
            "20/12/2024",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ];
        pcmd(db, &args).await.unwrap();
        let p = paragraphs(&part(&std::fs::read(&docx).unwrap(), "word/document.xml"));
        for line in ["Trần Văn Lâu", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Số:        /BC-UBND-VX"] {
            assert!(p.iter().any(|x| x == line), "{line} missing from {:?}", &p[p.len().saturating_sub(12)..]);
        }
        let audited = db.store.search_audit("document_setting", 10, 0).await.unwrap();
        assert!(audited.iter().any(|e| e.detail == "signer_name = Trần Văn Lâu"), "{audited:?}");
        // Back to the default: the name is gone.
        pcmd(db, &["settings", "set", "--unit", "94", "signer_name", ""]).await.unwrap();
        pcmd(db, &args).await.unwrap();
        let p = paragraphs(&part(&std::fs::read(&docx).unwrap(), "word/document.xml"));
        assert!(!p.iter().any(|x| x == "Trần Văn Lâu"));
    })
    .await;
}

/// Issue 13: the coordinator edits the province's document settings in the
/// browser; the signer's name then signs the DOCX; an officer may not open the
/// page, and a coordinator may not edit a unit outside the scope.
#[tokio::test]
async fn document_settings_are_edited_in_the_browser() {
    use axum::http::StatusCode;
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = crate::workflow::session(db, "dieuphoi").await;
        let officer = crate::workflow::session(db, "canbo.tpst").await;
        let (s, page, _) = crate::workflow::call(&app, "GET", "/settings/documents?unit=94", &coordinator, "").await;
        assert!(s == StatusCode::OK && page.contains("name=\"signer_name\"") && page.contains("Họ tên người ký"), "{s}");
        let (s, _, _) = crate::workflow::call(&app, "GET", "/settings/documents?unit=94", &officer, "").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "an officer does not set documents");
        let (s, _, _) = crate::workflow::call(&app, "GET", "/settings/documents?unit=12", &coordinator, "").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "Lai Châu is outside Sóc Trăng's scope");
        let form = "unit=94&signer_name=Nguy%E1%BB%85n+Th%E1%BB%8B+Hoa&signer_title=PH%C3%93+CH%E1%BB%A6+T%E1%BB%8ACH&signer_capacity=KT.+CH%E1%BB%A6+T%E1%BB%8ACH";
        let (s, _, _) = crate::workflow::call(&app, "POST", "/settings/documents", &coordinator, form).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("tinh.docx");
        let args =
            ["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", "2024-Y", "--issued-on", "20/12/2024", "--format", "docx", "--out", docx.to_str().unwrap()];
        pcmd(db, &args).await.unwrap();
        let p = paragraphs(&part(&std::fs::read(&docx).unwrap(), "word/document.xml"));
        assert!(p.iter().any(|x| x == "Nguyễn Thị Hoa") && p.iter().any(|x| x == "KT. CHỦ TỊCH"), "{:?}", &p[p.len().saturating_sub(8)..]);
        let audited = db.store.search_audit("document_setting", 10, 0).await.unwrap();
        assert!(audited.iter().any(|e| e.actor == "dieuphoi" && e.detail == "signer_name = Nguyễn Thị Hoa"), "{audited:?}");
    })
    .await;
}

/// A report asked as on a day lists and counts the work done by that day, as its figures do:
/// the year 2025-Y (15/12/2024–14/12/2025) as on 14/06/2025 holds what the half-year 2025-H1
/// (to 14/06/2025) holds, and section II's people served is d2's numerator. Before 08/12/2026
/// it listed the inspections of July–December (131 where the half-year has 54) under "số liệu
/// tính đến ngày 14/06/2025". A half-year's direction counts the district plans of its year.
#[tokio::test]
async fn a_report_as_on_a_day_holds_the_work_done_by_that_day() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let made = async |period: &str, as_of: &str| {
            let out = dir.path().join(format!("{period}-{as_of}.zip"));
            let args = ["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", period, "--as-of", as_of, "--format", "csv", "--out"];
            pcmd(db, &[&args[..], &[out.to_str().unwrap()]].concat()).await.unwrap();
            std::fs::read(&out).unwrap()
        };
        let year = made("2025-Y", "2025-06-14").await;
        let half = made("2025-H1", "2025-06-14").await;
        for list in ["02-hoat-dong-tuyen-truyen.csv", "04-kiem-tra.csv", "10-to-giac-tin-bao.csv", "08-so-lieu-tong-hop.csv"] {
            let (y, h) = (part(&year, list), part(&half, list));
            assert!(y.lines().count() > 1, "{list}: {y}");
            assert_eq!(y, h, "{list} on {}", db.name);
        }
        // Section II's people served is d2's numerator.
        let summary = part(&year, "08-so-lieu-tong-hop.csv");
        let served = summary.lines().find_map(|l| l.strip_prefix("Người được nhận ít nhất một dịch vụ hỗ trợ trong kỳ,")).unwrap();
        let d2 =
            pcmd_json(db, &["targets", "evaluate", "--plan", "117/NQ-HĐND", "--period", "2025-Y", "--as-of", "2025-06-14", "--format", "json"]).await;
        let d2 = d2.as_array().unwrap().iter().find(|e| e["target"] == "d2").unwrap().clone();
        assert_eq!(served.parse::<f64>().ok(), d2["numerator"].as_f64(), "{d2}");
        // As on 03/01/2025 only the plans for 2025 adopted by then count (the demo's are adopted in
        // January and February), as b1 and b2 count them: the report's number is the database's.
        let early = made("2025-Y", "2025-01-03").await;
        let adopted: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT unit_id) FROM district_plan WHERE year = 2025 AND COALESCE(adopted_on, '2025-01-01') <= '2025-01-03'",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap();
        assert!(adopted < 11, "the demo adopts some plans later");
        let summary = part(&early, "08-so-lieu-tong-hop.csv");
        assert!(summary.contains(&format!("— đã ban hành kế hoạch của năm,{adopted}\n")), "{adopted}: {summary}");
        // The half-year 2024-H1 counts the districts' plans for 2024 and names the year.
        let h1 = made("2024-H1", "2024-06-14").await;
        let summary = part(&h1, "08-so-lieu-tong-hop.csv");
        assert!(summary.contains("— đã ban hành kế hoạch của năm,11"), "{summary}");
        // The draft of section I says so with its year (it read "0/11 … thực hiện năm ;").
        let docx = dir.path().join("2024-H1.docx");
        let args = ["report", "--plan", "117/NQ-HĐND", "--unit", "94", "--period", "2024-H1", "--as-of", "2024-06-14", "--format", "docx", "--out"];
        pcmd(db, &[&args[..], &[docx.to_str().unwrap()]].concat()).await.unwrap();
        let doc = paragraphs(&part(&std::fs::read(&docx).unwrap(), "word/document.xml"));
        assert!(doc.iter().any(|p| p == "- 11/11 đơn vị cấp huyện đã ban hành kế hoạch thực hiện năm 2024."), "{doc:?}");
    })
    .await;
}
