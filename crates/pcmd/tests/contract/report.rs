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
        let base = ["report", "--plan", "117/NQ-HĐND", "--period", "2024", "--as-of", "2025-01-15", "--format"];
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
            "TỈNH SÓC TRĂNG",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "BÁO CÁO",
            "Nơi nhận:",
            "TM. ỦY BAN NHÂN DÂN",
        ] {
            assert!(p.iter().any(|x| x == text), "«{text}» missing");
        }
        assert!(p.iter().any(|x| x.starts_with("Số:") && x.ends_with("/BC-UBND")));
        assert!(p.iter().any(|x| x.starts_with("Sóc Trăng, ngày ")), "place and date");
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
        // The table: each target's row holds the engine's value as people read it.
        for (t, e) in plan.targets.iter().zip(engine.as_array().unwrap()) {
            assert_eq!(e["target"], t.code.as_str());
            let shown = pcmd_domain::plan::indicator::value_text(&t.indicator_kind, e["value"].as_f64());
            let at = p.iter().position(|x| *x == t.code).unwrap_or_else(|| panic!("{} row missing", t.code));
            assert_eq!(p[at + 2], shown, "{}", t.code);
        }
        // The budget total in words, as a legal text writes it.
        assert!(p.iter().any(|x| x.contains("Một tỷ, một trăm linh bảy triệu, sáu trăm tám mươi nghìn đồng")), "budget in words");

        // XLSX: the same values, stored as numbers.
        let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
        assert!(book.sheet_names().contains(&"Chỉ tiêu".to_string()));
        let sheet = book.worksheet_range("Chỉ tiêu").unwrap();
        assert_eq!(sheet.get((0, 0)), Some(&Data::String("Mã".into())));
        for (i, e) in engine.as_array().unwrap().iter().enumerate() {
            assert_eq!(sheet.get((i + 1, 0)), Some(&Data::String(e["target"].as_str().unwrap().into())));
            match e["value"].as_f64() {
                Some(v) => assert_eq!(sheet.get((i + 1, 2)), Some(&Data::Float((v * 100.0).round() / 100.0)), "{}", e["target"]),
                None => assert_eq!(sheet.get((i + 1, 2)), Some(&Data::String("—".into()))),
            }
        }
        let budget = book.worksheet_range("Kinh phí").unwrap();
        assert_eq!(budget.get((1, 2)), Some(&Data::Float(1_107_680_000.0)));
    })
    .await;
}
