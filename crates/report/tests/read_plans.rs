//! A plan sent as DOCX or as PDF drafts as its text does. The fixtures are the
//! seeds as a province would send them: each line a paragraph in Times New Roman
//! 14 pt (an HTML page), converted by LibreOffice to DOCX (`soffice --convert-to
//! docx`) and that DOCX to PDF (`--convert-to pdf`). In the PDF, lines wrap at
//! the margin and the centred title over two lines; some letters come from a
//! fallback font drawn after the rest of their line.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use pcmd_domain::plan::draft::{draft, Draft};
use pcmd_report::read::document_text;

/// What must not change with the file's format.
fn essence(d: &Draft) -> String {
    let mut out = vec![
        format!("{} | {:?} | {} | {} | {:?} | {:?}", d.number, d.kind, d.title, d.issuer, d.issued_on, d.implements),
        format!("{:?}", d.budget.as_ref().map(|b| (b.total, b.sum_of_years, b.words_match, &b.source))),
    ];
    for t in &d.targets {
        out.push(format!("{} {} {:?} {:?} {:?}", t.code, t.threshold, t.comparator, t.evaluation, t.indicator));
    }
    for t in &d.tasks {
        out.push(format!("task {} {}", t.code, t.lead_agency_name));
    }
    out.join("\n")
}

fn check(stem: &str, text: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let from_text = essence(&draft(text, &[]));
    assert!(from_text.lines().count() > 10, "{from_text}");
    for ext in ["docx", "pdf"] {
        let bytes = std::fs::read(dir.join(format!("{stem}.{ext}"))).unwrap();
        let got = essence(&draft(&document_text(&bytes).unwrap(), &[]));
        assert_eq!(got, from_text, "{stem}.{ext}");
    }
}

#[test]
fn the_soc_trang_resolution_as_docx_and_pdf() {
    check("soc-trang-117-2023", include_str!("../../../data/plans/soc-trang-117-2023.txt"));
}

#[test]
fn the_lai_chau_plan_as_docx_and_pdf() {
    check("lai-chau-2022", include_str!("../../../data/plans/lai-chau-2022.txt"));
}

/// A damaged file is an error, never a panic: every cut of the fixtures, and
/// bytes flipped inside them.
#[test]
fn damaged_documents_are_errors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["soc-trang-117-2023.docx", "soc-trang-117-2023.pdf"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        for cut in [8, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
            let _ = document_text(&bytes[..cut]);
        }
        let mut flipped = bytes.clone();
        for i in (200..flipped.len()).step_by(997) {
            flipped[i] ^= 0x5a;
        }
        let _ = document_text(&flipped);
    }
}
