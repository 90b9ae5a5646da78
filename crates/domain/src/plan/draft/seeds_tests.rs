//! Drafts of real plan texts against targets written by hand: the two seeds
//! against `data/plans/*.toml`, other provinces' texts against their
//! `tests/plan_texts/*.expected.toml`. At least 90% of the targets found with
//! their threshold, comparator and period; never a wrong threshold.

use super::*;
use crate::plan::{PlanFile, Threshold};
use crate::SourceFile;

/// A target as written by hand: its item's code, comparator, threshold, period.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub item: String,
    pub comparator: Comparator,
    pub low: f64,
    pub high: Option<f64>,
    pub evaluation: Evaluation,
}

#[derive(Debug, Default)]
pub struct Score {
    pub expected: usize,
    pub found: usize,
    /// Drafted in an expected item with a threshold no hand target of that item has.
    pub wrong: Vec<String>,
    /// Expected and not drafted.
    pub missed: Vec<String>,
    /// Drafted where nothing was expected.
    pub extra: Vec<String>,
}

/// The item of a hand-written code: "a3.workers" → "a3", "3.3.2.growth" → "3.3.2", "đ.local" → "đ".
fn item_of(code: &str) -> String {
    let mut parts: Vec<&str> = code.split('.').collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| p.chars().count() > 1 && p.chars().all(|c| c.is_alphabetic() || c == '_')) {
        parts.pop();
    }
    parts.join(".")
}

fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

pub fn score(d: &Draft, expected: &[Expected]) -> Score {
    let mut s = Score { expected: expected.len(), ..Score::default() };
    let mut used = vec![false; d.targets.len()];
    for e in expected {
        let hit = d.targets.iter().enumerate().position(|(i, t)| {
            !used[i]
                && t.code == e.item
                && same(t.threshold_low, e.low)
                && t.threshold_high.zip(e.high).map_or(t.threshold_high.is_none() && e.high.is_none(), |(a, b)| same(a, b))
                && t.comparator == e.comparator
                && t.evaluation == e.evaluation
        });
        match hit {
            Some(i) => {
                used[i] = true;
                s.found += 1;
            }
            None => s.missed.push(format!("{} {:?} {} {:?} {:?}", e.item, e.comparator, e.low, e.high, e.evaluation)),
        }
    }
    for (i, t) in d.targets.iter().enumerate().filter(|(i, _)| !used[*i]) {
        let desc = format!("{} {} ({:?}, line {})", t.code, t.threshold, t.evaluation, t.line);
        let _ = i;
        let of_item: Vec<&Expected> = expected.iter().filter(|e| e.item == t.code).collect();
        if of_item.is_empty() {
            s.extra.push(desc);
        } else if !of_item.iter().any(|e| same(e.low, t.threshold_low)) {
            s.wrong.push(desc);
        }
    }
    s
}

fn from_plan_file(name: &str, text: &str) -> Vec<Expected> {
    let f = PlanFile::parse(SourceFile { name, text }).unwrap();
    f.targets
        .iter()
        .map(|t| {
            let t = t.get_ref();
            let (low, high) = match *t.threshold.get_ref() {
                Threshold::Value(v) => (v, None),
                Threshold::Range([a, b]) => (a, Some(b)),
            };
            Expected { item: item_of(&t.code), comparator: t.comparator, low, high, evaluation: t.evaluation }
        })
        .collect()
}

fn check(name: &str, d: &Draft, expected: &[Expected]) -> Score {
    let s = score(d, expected);
    println!(
        "{name}: {} expected, {} found, {} wrong, {} missed, {} unplaced, {} extra\n  missed: {:?}\n  wrong: {:?}\n  extra: {:?}",
        s.expected,
        s.found,
        s.wrong.len(),
        s.missed.len(),
        d.unplaced.len(),
        s.extra.len(),
        s.missed,
        s.wrong,
        s.extra
    );
    for t in &d.targets {
        println!("  {} {} {:?} ({}) [{}] {:?} | {}", t.code, t.threshold, t.evaluation, t.evaluation_reason, t.reading, t.indicator, t.text);
    }
    assert!(s.wrong.is_empty(), "{name}: wrong thresholds {:?}", s.wrong);
    assert!(s.found * 10 >= s.expected * 9, "{name}: only {} of {} targets found; missed {:?}", s.found, s.expected, s.missed);
    s
}

#[test]
fn the_soc_trang_resolution_drafts_as_its_plan_file() {
    let text = include_str!("../../../../../data/plans/soc-trang-117-2023.txt");
    let d = draft(text, &[]);
    let expected = from_plan_file("soc-trang-117-2023.toml", include_str!("../../../../../data/plans/soc-trang-117-2023.toml"));
    assert_eq!(expected.len(), 15);
    check("117/NQ-HĐND", &d, &expected);
    assert_eq!(d.number, "117/NQ-HĐND");
    assert_eq!(d.kind, Some(PlanKind::Resolution));
    assert_eq!(d.issuer, "Hội đồng nhân dân tỉnh Sóc Trăng");
    assert_eq!(d.issued_on, NaiveDate::from_ymd_opt(2023, 12, 7));
    assert_eq!(d.period_from, NaiveDate::from_ymd_opt(2024, 1, 1));
    assert_eq!(d.period_to, NaiveDate::from_ymd_opt(2025, 12, 31));
    assert_eq!(d.implements.as_deref(), Some("1629/QĐ-TTg"));
    assert_eq!(d.key, "soc-trang-117-2023");
    // Điều 1 khoản 6: 2.361.370.000 = 1.107.680.000 + 1.253.690.000, and the words read it.
    let b = d.budget.as_ref().unwrap();
    assert_eq!(b.total, Some(2_361_370_000));
    assert_eq!(b.years.iter().map(|y| (y.year, y.allocated)).collect::<Vec<_>>(), vec![(2024, 1_107_680_000), (2025, 1_253_690_000)]);
    assert_eq!((b.sum_matches, b.words_match), (Some(true), Some(true)));
    assert_eq!(b.source.as_deref(), Some("Ngân sách địa phương bố trí trong dự toán chi thường xuyên hằng năm theo phân cấp ngân sách."));
    // Every target's indicator is the one the plan file chose.
    let f = PlanFile::parse(SourceFile { name: "x", text: include_str!("../../../../../data/plans/soc-trang-117-2023.toml") }).unwrap();
    let hand: Vec<String> = f.targets.iter().map(|t| t.get_ref().indicator.get_ref().clone()).collect();
    let drafted: Vec<String> = d.targets.iter().map(|t| t.indicator.clone().unwrap_or_default()).collect();
    assert_eq!(drafted, hand);
}

#[test]
fn the_lai_chau_plan_drafts_as_its_plan_file() {
    let text = include_str!("../../../../../data/plans/lai-chau-2022.txt");
    let d = draft(text, &[]);
    let expected = from_plan_file("lai-chau-2022.toml", include_str!("../../../../../data/plans/lai-chau-2022.toml"));
    assert_eq!(expected.len(), 12);
    check("Lai Châu 2022", &d, &expected);
    assert_eq!(d.number, "/KH-UBND");
    assert_eq!(d.kind, Some(PlanKind::Plan));
    assert_eq!(d.issuer, "Ủy ban nhân dân tỉnh Lai Châu");
    assert_eq!(d.issued_on, None);
    assert_eq!(d.title, "Kế hoạch phòng, chống mại dâm năm 2022 trên địa bàn tỉnh Lai Châu");
    assert_eq!(d.implements.as_deref(), Some("3742/KH-UBND"));
    let f = PlanFile::parse(SourceFile { name: "x", text: include_str!("../../../../../data/plans/lai-chau-2022.toml") }).unwrap();
    let hand: Vec<String> = f.targets.iter().map(|t| t.get_ref().indicator.get_ref().clone()).collect();
    let drafted: Vec<String> = d.targets.iter().map(|t| t.indicator.clone().unwrap_or_default()).collect();
    assert_eq!(drafted, hand);
    // Section V: fourteen bodies, each a task; the closing paragraph's duty is every body's.
    assert_eq!(d.tasks.len(), 14, "{:#?}", d.tasks.iter().map(|t| &t.title).collect::<Vec<_>>());
    assert_eq!(d.tasks[0].lead_agency_name, "Sở Lao động - Thương binh và Xã hội");
    assert_eq!(d.tasks[10].lead_agency_name, "Ban Tuyên giáo Tỉnh uỷ");
    let closing = d.reporting.iter().find(|r| r.sentence.starts_with("Định kỳ 06 tháng")).unwrap();
    assert_eq!(closing.frequencies, vec![Frequency::SixMonthly, Frequency::Yearly]);
    assert_eq!(closing.recipient, "UBND tỉnh");
    assert_eq!(closing.through.as_deref(), Some("Sở Lao động - Thương binh và Xã hội"));
    assert_eq!(closing.reporter, "");

    // With the province's agencies known, the duty comes out as the plan file writes it by hand:
    // the same frequencies, reporters, level and the agency it goes through.
    let list: toml::Value = toml::from_str(include_str!("../../../../../data/agencies/lai-chau.toml")).unwrap();
    let known: Vec<KnownAgency> = list["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| KnownAgency {
            code: a["code"].as_str().unwrap().into(),
            name: a["name"].as_str().unwrap().into(),
            short_name: a.get("short_name").and_then(|s| s.as_str()).map(str::to_string),
        })
        .collect();
    let mut d = draft(text, &known);
    d.unit_code = Some("12".into());
    let written = crate::plan::draft::to_toml(&d);
    let file = PlanFile::parse(SourceFile { name: "drafted", text: &written }).unwrap();
    assert_eq!(file.duties.len(), 1, "the closing duty only; the police's own is a comment");
    let drafted = file.duties[0].get_ref().clone();
    let hand = f.duties[0].get_ref();
    assert_eq!(drafted.frequency, hand.frequency);
    assert_eq!((drafted.reporters, drafted.unit_level), (hand.reporters, hand.unit_level));
    assert_eq!(drafted.through.map(|t| t.into_inner()), hand.through.clone().map(|t| t.into_inner()));
    assert_eq!(drafted.text, "Định kỳ 06 tháng 01 năm báo cáo UBND tỉnh (qua Sở Lao động - Thương binh và Xã hội để tổng hợp).");
}

/// The fixtures of other provinces: `<slug>.txt` and `<slug>.expected.toml`.
#[test]
fn other_provinces_texts_draft_as_written_by_hand() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan_texts");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries.iter().filter(|p| p.to_string_lossy().ends_with(".expected.toml")) {
        let stem = path.file_name().unwrap().to_string_lossy().trim_end_matches(".expected.toml").to_string();
        let text = std::fs::read_to_string(dir.join(format!("{stem}.txt"))).unwrap();
        let spec: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let expected: Vec<Expected> = spec
            .get("targets")
            .and_then(|t| t.as_array())
            .unwrap()
            .iter()
            .map(|t| {
                let f = |k: &str| t.get(k).and_then(|v| v.as_float().or(v.as_integer().map(|i| i as f64)));
                let (low, high) = match t.get("threshold").and_then(|v| v.as_array()) {
                    Some(a) => {
                        (a[0].as_float().or(a[0].as_integer().map(|i| i as f64)).unwrap(), a[1].as_float().or(a[1].as_integer().map(|i| i as f64)))
                    }
                    None => (f("threshold").unwrap(), None),
                };
                let comparator = match t.get("comparator").and_then(|v| v.as_str()).unwrap() {
                    "at_most" => Comparator::AtMost,
                    "between" => Comparator::Between,
                    _ => Comparator::AtLeast,
                };
                let evaluation = match t.get("evaluation").and_then(|v| v.as_str()).unwrap() {
                    "whole_period" => Evaluation::WholePeriod,
                    _ => Evaluation::EachYear,
                };
                Expected { item: t.get("item").and_then(|v| v.as_str()).unwrap().to_string(), comparator, low, high, evaluation }
            })
            .collect();
        let d = draft(&text, &[]);
        check(&stem, &d, &expected);
        seen += 1;
    }
    assert!(seen >= 3, "at least three other provinces' texts, found {seen}");
}

proptest::proptest! {
    /// Any text drafts without a panic (a request may send anything), and every
    /// target drafted points at a line of the text and has a finite threshold.
    #[test]
    fn any_text_drafts_without_a_panic(lines in proptest::collection::vec("[ -~àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵĐ%();:./,-]{0,80}", 0..40)) {
        let text = lines.join("\n");
        let d = draft(&text, &[]);
        for t in &d.targets {
            proptest::prop_assert!(t.threshold_low.is_finite());
            proptest::prop_assert!(t.line >= 1 && t.line <= text.lines().count(), "line {} of {}", t.line, text.lines().count());
        }
    }

    /// Texts made of plan-like lines: numbered items with percentages and counts.
    #[test]
    fn plan_like_texts_draft_without_a_panic(items in proptest::collection::vec((0u8..6, 0u32..150, "[a-zàđ ]{0,30}"), 0..30)) {
        let mut text = String::from("KẾ HOẠCH\nPhòng, chống mại dâm năm 2024 trên địa bàn tỉnh Thử\n2. Chỉ tiêu\n");
        for (kind, n, words) in &items {
            let line = match kind {
                0 => format!("- {n}% {words}"),
                1 => format!("a) ít nhất {n} {words}"),
                2 => format!("({n}) tăng từ {n}% - {}% {words}", n + 3),
                3 => format!("2.{n} {words}: giảm {n}%"),
                4 => format!("{words} ít nhất 01 tháng 01 lần; {n}/{n} huyện"),
                _ => format!("Điều {n}. {words} {n}.000.000 đồng"),
            };
            text.push_str(&line);
            text.push('\n');
        }
        let d = draft(&text, &[]);
        let _ = to_toml(&d);
    }
}
