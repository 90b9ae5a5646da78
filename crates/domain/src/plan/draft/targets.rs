//! The targets (chỉ tiêu) of a plan's text: the section that lists them, each
//! quantified goal in it with its code as printed, and the sentences with a
//! number that could not be read as one.

use super::numbers::{count, fraction, frequency, percents, Quantity, Unit};
use super::outline::{clause, code, item_end, Mark, Para};
use super::suggest::{once_over_the_plan, suggest};
use super::{DraftTarget, Unplaced};
use crate::plan::{Comparator, Evaluation};
use crate::units::Level;

/// The innermost sections whose heading names targets ("chỉ tiêu"), or else
/// objectives ("mục tiêu"): (heading index, end).
pub fn sections(paras: &[Para]) -> Vec<(usize, usize)> {
    for word in ["chỉ tiêu", "mục tiêu"] {
        let heads: Vec<usize> = paras
            .iter()
            .enumerate()
            .filter(|(_, p)| p.mark != Mark::None && p.body.chars().count() < 160 && p.body.to_lowercase().contains(word))
            .map(|(i, _)| i)
            .collect();
        let ranges: Vec<(usize, usize)> = heads.iter().map(|&h| (h, item_end(paras, h))).collect();
        let inner: Vec<(usize, usize)> = ranges.iter().copied().filter(|&(h, e)| !ranges.iter().any(|&(h2, _)| h2 > h && h2 < e)).collect();
        if !inner.is_empty() {
            return inner;
        }
    }
    Vec::new()
}

/// Splits a paragraph into sentences, then clauses at ";". "Hằng năm" opening a
/// sentence holds for all its clauses.
fn clauses(body: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for sentence in body.split(". ").map(str::trim).filter(|s| !s.is_empty()) {
        let yearly = starts_yearly(sentence);
        for c in sentence.split(';').map(str::trim).filter(|c| !c.is_empty()) {
            out.push((c.to_string(), yearly));
        }
    }
    out
}

fn starts_yearly(s: &str) -> bool {
    let l = s.to_lowercase();
    ["hằng năm", "hàng năm", "mỗi năm"].iter().any(|w| l.starts_with(w))
}

fn has_digit(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
}

/// The targets of the sections, and what had a number but was not read.
pub fn targets(paras: &[Para], one_year: bool) -> (Vec<DraftTarget>, Vec<Unplaced>) {
    let mut found = Vec::new();
    let mut unplaced = Vec::new();
    let sections = sections(paras);
    if sections.is_empty() {
        // No section names the targets: goals stated in running text ("một số mục
        // tiêu phấn đấu đạt được là: 100% …"). Only percentages and frequencies are
        // read there; a bare number in prose is too often something else.
        for p in paras.iter().filter(|p| !preamble(p)) {
            let item = code(&p.path);
            for (c, yearly) in clauses(&p.body) {
                let c = after_title(&c);
                let mut qs = percents(&c);
                if qs.is_empty() {
                    qs.extend(frequency(&c));
                }
                push_all(&mut found, &qs, &c, p, &item, &item, &p.body, yearly, one_year, false);
            }
        }
        return (found, unplaced);
    }
    for (head, end) in sections {
        let Some(h) = paras.get(head) else { continue };
        let base = h.depth();
        let heading_whole = whole_period_words(&h.body);
        for (at, p) in paras.iter().enumerate().take(end).skip(head) {
            // The heading itself may hold targets after its title ("2. Chỉ tiêu: phấn đấu 100% …").
            // Bullets have no printed number of their own: under "2. Chỉ tiêu" the first
            // is "2.1". Letters and numbers are printed: under "4." point a) is "a".
            let bullets = p.path.get(base).is_some_and(|st| matches!(st.mark, Mark::Dash | Mark::Plus));
            let from = if at == head || bullets { base.saturating_sub(1) } else { base };
            let steps = p.path.get(from..).unwrap_or(&[]);
            let item_code = code(steps);
            let group = match steps.len() {
                0 | 1 => item_code.clone(),
                n => code(steps.get(..n - 1).unwrap_or(&[])),
            };
            // The target's words start after a title that ends in ":" ("đ) Đào tạo …: ít nhất 70%").
            let context = steps.iter().filter_map(|s| paras.get(s.para)).map(|q| q.body.as_str()).collect::<Vec<_>>().join(" ");
            for (c, yearly) in clauses(&p.body) {
                let c = after_title(&c);
                let mut qs = percents(&c);
                if qs.is_empty() {
                    qs.extend(frequency(&c).or_else(|| fraction(&c)).or_else(|| count(&c)).or_else(|| bare_count(&c)));
                }
                if qs.is_empty() {
                    if has_digit(&c) && !is_reference(&c) && !only_years(&c) {
                        unplaced.push(Unplaced { line: p.line, sentence: c.clone(), reason: "a number that reads as no target".into() });
                    }
                    continue;
                }
                push_all(&mut found, &qs, &c, p, &item_code, &group, &context, yearly, one_year, heading_whole);
            }
        }
    }
    (found, unplaced)
}

/// The target's words start after a title that ends in ":" ("đ) Đào tạo …: ít
/// nhất 70%", "Về chỉ tiêu đến năm 2025 gồm: Ít nhất 70%").
fn after_title(c: &str) -> String {
    c.rsplit_once(": ").filter(|(title, _)| !title.contains('%')).map_or(c.to_string(), |(_, rest)| rest.to_string())
}

/// What the text says it is based on, or carries out: not goals.
fn preamble(p: &Para) -> bool {
    let l = p.body.to_lowercase();
    ["căn cứ", "thực hiện quyết định", "thực hiện kế hoạch", "xét tờ trình"].iter().any(|w| l.starts_with(w))
}

/// One target for each quantity of a clause, each with its own words.
#[allow(clippy::too_many_arguments)]
fn push_all(
    found: &mut Vec<DraftTarget>,
    qs: &[Quantity],
    c: &str,
    p: &Para,
    item_code: &str,
    group: &str,
    context: &str,
    yearly: bool,
    one_year: bool,
    heading_whole: bool,
) {
    let starts: Vec<usize> = qs.iter().map(|q| q.start).collect();
    for (i, q) in qs.iter().enumerate() {
        let from = if i == 0 { 0 } else { q.start };
        let to = starts.get(i + 1).copied().unwrap_or(c.len());
        let own = c.get(from..to).unwrap_or(c).trim().trim_end_matches([',', ';']).trim_end();
        let own = own.strip_suffix(" và").unwrap_or(own).to_string();
        found.push(target(TargetContext {
            code: item_code,
            group,
            clause: clause(&p.path),
            own: &own,
            sentence: &p.text,
            context,
            line: p.line,
            q,
            yearly,
            one_year,
            heading_whole,
        }));
    }
}

/// Things a plan counts: "30 vụ án", "02 mô hình", "5 lớp tập huấn".
const COUNTED: [&str; 12] = ["vụ án", "vụ", "mô hình", "lớp", "buổi", "cuộc", "đợt", "phóng sự", "chuyên mục", "tin bài", "địa bàn", "cơ sở"];

/// A number to reach with no word before it, in a targets section only:
/// "xử lý hình sự 30 vụ án".
fn bare_count(clause: &str) -> Option<Quantity> {
    let lower = clause.to_lowercase();
    for (at, _) in lower.match_indices(|c: char| c.is_ascii_digit()) {
        if at > 0 && lower[..at].ends_with(|c: char| c.is_ascii_digit() || c == '/' || c == '.' || c == ',') {
            continue;
        }
        let digits: String = lower[at..].chars().take_while(char::is_ascii_digit).collect();
        let noun = lower[at + digits.len()..].trim_start();
        if let (Ok(n), Some(word)) = (digits.parse::<f64>(), COUNTED.iter().find(|w| noun.starts_with(*w))) {
            if (1900.0..2100.0).contains(&n) {
                continue;
            }
            return Some(Quantity {
                start: at,
                comparator: Comparator::AtLeast,
                low: n,
                high: None,
                unit: Unit::Count,
                reading: format!("{n} {word}: a number to reach"),
            });
        }
    }
    None
}

/// Every number in the clause is a year ("đến năm 2025", "giai đoạn 2021 - 2025").
fn only_years(c: &str) -> bool {
    c.split(|ch: char| !ch.is_ascii_digit()).filter(|d| !d.is_empty()).all(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
}

fn is_reference(c: &str) -> bool {
    // Legal references and dates carry numbers that are not goals.
    let l = c.to_lowercase();
    ["quyết định số", "kế hoạch số", "nghị quyết số", "nghị định", "thông tư", "ngày "].iter().any(|w| l.contains(w)) && !l.contains('%')
}

fn whole_period_words(s: &str) -> bool {
    let l = s.to_lowercase();
    ["đến năm 20", "đến hết năm", "đến cuối năm", "đến hết giai đoạn", "giai đoạn"].iter().any(|w| l.contains(w))
}

struct TargetContext<'a> {
    code: &'a str,
    group: &'a str,
    clause: String,
    own: &'a str,
    sentence: &'a str,
    context: &'a str,
    line: usize,
    q: &'a Quantity,
    yearly: bool,
    one_year: bool,
    heading_whole: bool,
}

fn target(t: TargetContext<'_>) -> DraftTarget {
    let q = t.q;
    let suggestion = suggest(t.own, t.context, q.unit);
    let own_lower = t.own.to_lowercase();
    let (evaluation, why) = if t.one_year {
        (Evaluation::EachYear, "kế hoạch một năm".to_string())
    } else if ["đến năm 20", "đến hết năm", "đến cuối năm", "đến hết giai đoạn"].iter().any(|w| own_lower.contains(w)) {
        (Evaluation::WholePeriod, "chỉ tiêu ghi «đến năm …»".to_string())
    } else if t.yearly || ["hằng năm", "hàng năm", "mỗi năm"].iter().any(|w| own_lower.contains(w)) {
        (Evaluation::EachYear, "«hằng năm»".to_string())
    } else if let Some((id, _)) = suggestion.as_ref().filter(|(id, _)| once_over_the_plan(*id)) {
        (Evaluation::WholePeriod, format!("{} tính một lần cho cả kế hoạch", id.code()))
    } else if t.heading_whole {
        (Evaluation::EachYear, "tỷ lệ giữ hằng năm đến hết giai đoạn".to_string())
    } else {
        (Evaluation::EachYear, "không ghi kỳ: tính từng năm".to_string())
    };
    let level = level_of(&own_lower);
    let threshold = readable(q);
    DraftTarget {
        code: t.code.to_string(),
        group: t.group.to_string(),
        clause: t.clause,
        text: t.own.to_string(),
        sentence: t.sentence.to_string(),
        line: t.line,
        indicator: suggestion.as_ref().map(|(id, _)| id.code().to_string()),
        indicator_reason: suggestion.map(|(_, why)| why),
        comparator: q.comparator,
        threshold_low: q.low,
        threshold_high: q.high,
        threshold,
        unit: q.unit,
        reading: q.reading.clone(),
        evaluation,
        evaluation_reason: why,
        scope_level: level,
    }
}

/// The level a target names for its staff: "cán bộ … cấp tỉnh", "ở cấp huyện, cấp xã".
fn level_of(own: &str) -> Option<Level> {
    let staff = ["cán bộ", "công chức", "chiến sĩ", "ở cấp"].iter().any(|w| own.contains(w));
    if !staff {
        return None;
    }
    if own.contains("cấp tỉnh") {
        Some(Level::Province)
    } else if own.contains("cấp huyện") {
        Some(Level::District)
    } else if own.contains("cấp xã") {
        Some(Level::Commune)
    } else {
        None
    }
}

/// "≥ 70%", "+3% – +5%", "≥ 1", "≤ −10%".
pub fn readable(q: &Quantity) -> String {
    let n = |v: f64| crate::money::format_decimal_vn(v);
    let sign = |v: f64| if q.unit == Unit::PercentChange && v > 0.0 { "+" } else { "" };
    let pct = if q.unit == Unit::Count { "" } else { "%" };
    match (q.comparator, q.high) {
        (Comparator::Between, Some(h)) => format!("{}{}{pct} – {}{}{pct}", sign(q.low), n(q.low), sign(h), n(h)),
        (Comparator::AtMost, _) => format!("≤ {}{}{pct}", sign(q.low), n(q.low)),
        _ => format!("≥ {}{}{pct}", sign(q.low), n(q.low)),
    }
}
