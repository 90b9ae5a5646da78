//! Quantities as Vietnamese plans write them: "100%", "ít nhất 70%", "03%",
//! "3% - 5%", "tăng từ 03% trở lên", "giảm 10%", "không quá 5%", "ít nhất 01
//! địa bàn", "ít nhất 01 tháng 01 lần", "một quý một lần".

use crate::plan::Comparator;
use serde::Serialize;

/// What a threshold counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share: "70% người lao động".
    Percent,
    /// A number of things: "01 địa bàn".
    Count,
    /// A change on the year before: "tăng 3%", "giảm 10%" (negative).
    PercentChange,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::PercentChange => "percent_change",
        }
    }
}

/// One quantity found in a clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte offset in the clause where the quantity's words begin ("ít nhất 70%").
    pub start: usize,
    pub comparator: Comparator,
    pub low: f64,
    pub high: Option<f64>,
    pub unit: Unit,
    /// How the words were read, for the person who checks the draft.
    pub reading: String,
}

const AT_LEAST: [&str; 8] = ["ít nhất", "tối thiểu", "không dưới", "không thấp hơn", "trở lên", "trên", "đạt", "phấn đấu"];
const AT_MOST: [&str; 6] = ["không quá", "không vượt quá", "tối đa", "dưới", "không để", "xuống còn"];
/// Words that may stand right before the number and belong to the quantity.
const LEAD_INS: [&str; 12] =
    ["ít nhất là", "ít nhất", "tối thiểu", "không dưới", "không quá", "tối đa", "trên", "dưới", "đạt", "từ", "khoảng", "thêm"];

const WORD_NUMBERS: [(&str, f64); 10] =
    [("một", 1.0), ("hai", 2.0), ("ba", 3.0), ("bốn", 4.0), ("năm", 5.0), ("sáu", 6.0), ("bảy", 7.0), ("tám", 8.0), ("chín", 9.0), ("mười", 10.0)];

/// Reads a number ending just before byte `end` (digits, with "," as the
/// decimal mark): its value and where it starts.
fn number_before(s: &str, end: usize) -> Option<(f64, usize)> {
    let head = s.get(..end)?.trim_end();
    let start = head.rfind(|c: char| !(c.is_ascii_digit() || c == ',')).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let digits = head.get(start..)?.trim_start_matches(',');
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let v = digits.replace(',', ".").parse().ok()?;
    Some((v, start + (head[start..].len() - digits.len())))
}

/// Reads a number starting at byte `at`: digits or a word (một … mười).
fn number_after(s: &str, at: usize) -> Option<(f64, usize)> {
    let tail = s.get(at..)?;
    let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        return Some((digits.parse().ok()?, at + digits.len()));
    }
    WORD_NUMBERS.iter().find_map(|(w, v)| tail.strip_prefix(w).filter(|r| r.starts_with(' ') || r.is_empty()).map(|_| (*v, at + w.len())))
}

/// The lead-in words just before `at`, if any: the start of the quantity's words.
fn lead_in(lower: &str, at: usize) -> usize {
    let head = lower.get(..at).unwrap_or("").trim_end();
    LEAD_INS.iter().find_map(|w| head.strip_suffix(w).filter(|h| h.is_empty() || h.ends_with(' ')).map(str::len)).unwrap_or(at)
}

/// The percentages of a clause, ranges merged, each with its comparator and unit.
pub fn percents(clause: &str) -> Vec<Quantity> {
    let lower = clause.to_lowercase();
    let mut out: Vec<Quantity> = Vec::new();
    let mut last_end = 0;
    for (pct, _) in lower.match_indices('%') {
        let Some((value, num_start)) = number_before(&lower, pct) else { continue };
        // "3% - 5%" or "3 - 5%": the second number closes a range opened by the first.
        let between = lower.get(last_end..num_start).unwrap_or("").trim();
        if let Some(prev) = out.last_mut() {
            if prev.high.is_none() && last_end > 0 && matches!(between, "-" | "–" | "đến") {
                prev.high = Some(value);
                prev.comparator = Comparator::Between;
                prev.reading = format!("{} – {}%", prev.low, value);
                last_end = pct + 1;
                continue;
            }
        }
        let before = lower.get(..num_start).unwrap_or("").trim_end();
        let bare_low =
            before.strip_suffix(['-', '–']).or_else(|| before.strip_suffix("đến")).map(str::trim_end).and_then(|h| number_before(h, h.len()));
        let (low, high, start_at) = match bare_low {
            Some((low, s)) => (low, Some(value), s),
            None => (value, None, num_start),
        };
        let start = lead_in(&lower, start_at);
        let after = lower.get(pct + 1..).unwrap_or("").trim_start();
        // "tăng từ 3%", "giảm 10%": the verb governs the number ("tăng cường", "giảm hại" do not).
        let verb = lower.get(..start).unwrap_or("").trim_end();
        let change = if verb.ends_with("giảm") {
            Some(-1.0)
        } else if verb.ends_with("tăng") || verb.ends_with("tăng thêm") {
            Some(1.0)
        } else {
            None
        };
        let near = window_before(&lower, start_at, 16).trim_end();
        let floor = near.ends_with("không dưới") || near.ends_with("không thấp hơn");
        let at_most = !floor && AT_MOST.iter().any(|w| near.ends_with(w) || near.ends_with(&format!("{w} là")));
        let at_least_said = AT_LEAST.iter().any(|w| near.contains(w)) || after.starts_with("trở lên");
        let (comparator, low, high, unit, reading) = match (change, high) {
            (Some(sign), None) if sign < 0.0 => {
                (Comparator::AtMost, -low, None, Unit::PercentChange, format!("giảm {low}%: a change of at most −{low}%"))
            }
            (Some(sign), Some(h)) if sign < 0.0 => (Comparator::Between, -h, Some(-low), Unit::PercentChange, format!("giảm {low}–{h}%")),
            (Some(_), None) => (Comparator::AtLeast, low, None, Unit::PercentChange, format!("tăng {low}%: a change of at least +{low}%")),
            (Some(_), Some(h)) => (Comparator::Between, low, Some(h), Unit::PercentChange, format!("tăng {low}–{h}%")),
            (None, Some(h)) => (Comparator::Between, low, Some(h), Unit::Percent, format!("{low}–{h}%")),
            (None, None) if at_most => (Comparator::AtMost, low, None, Unit::Percent, format!("at most {low}%")),
            (None, None) => {
                let how = if at_least_said { "said as a floor" } else { "a share to reach" };
                (Comparator::AtLeast, low, None, Unit::Percent, format!("at least {low}% ({how})"))
            }
        };
        out.push(Quantity { start, comparator, low, high, unit, reading });
        last_end = pct + 1;
    }
    out
}

fn window_before(lower: &str, at: usize, chars: usize) -> &str {
    let head = lower.get(..at).unwrap_or("");
    let from = head.char_indices().rev().nth(chars.saturating_sub(1)).map_or(0, |(i, _)| i);
    &head[from..]
}

const PERIODS: [(&str, &str); 3] = [("tháng", "month"), ("quý", "quarter"), ("năm", "year")];

/// A share written as a fraction of all: "10/10 huyện" — every one of them, 100%.
pub fn fraction(clause: &str) -> Option<Quantity> {
    let lower = clause.to_lowercase();
    for (slash, _) in lower.match_indices('/') {
        let (Some((a, start)), Some((b, _))) = (number_before(&lower, slash), number_after(&lower, slash + 1)) else { continue };
        let noun = lower.get(slash + 1..).unwrap_or("").trim_start_matches(|c: char| c.is_ascii_digit()).trim_start();
        let units = ["huyện", "xã", "phường", "sở", "cơ sở", "đơn vị", "địa phương", "trường"];
        if b > 0.0 && a <= b && units.iter().any(|u| noun.starts_with(u)) {
            let share = a / b * 100.0;
            return Some(Quantity {
                start,
                comparator: Comparator::AtLeast,
                low: (share * 100.0).round() / 100.0,
                high: None,
                unit: Unit::Percent,
                reading: format!("{a}/{b}: a share of {}%", (share * 100.0).round() / 100.0),
            });
        }
    }
    None
}

/// A frequency: "ít nhất 01 tháng 01 lần", "một quý một lần", "01 lần/quý",
/// "mỗi quý ít nhất 01 lần" — read as every such period having one: 100% of periods.
pub fn frequency(clause: &str) -> Option<Quantity> {
    let lower = clause.to_lowercase();
    for (word, english) in PERIODS {
        for one in ["01", "1", "một"] {
            let patterns = [
                (format!("{one} {word} {one} lần"), true),
                (format!("{one} {word} một lần"), true),
                (format!("{one} lần/{word}"), true),
                (format!("{one} lần/ {word}"), true),
                (format!("mỗi {word} ít nhất {one} lần"), false),
                (format!("hằng {word} ít nhất {one} lần"), false),
            ];
            for (p, _) in patterns {
                if let Some(at) = lower.find(&p) {
                    let start = lead_in(&lower, at);
                    return Some(Quantity {
                        start,
                        comparator: Comparator::AtLeast,
                        low: 100.0,
                        high: None,
                        unit: Unit::Percent,
                        reading: format!("at least once a {english}: every {english} of the period has one, 100%"),
                    });
                }
            }
        }
    }
    None
}

/// A count: "ít nhất 01 địa bàn", "phấn đấu có 02 mô hình" (not a frequency,
/// not "01 hình thức" which describes what is counted).
pub fn count(clause: &str) -> Option<Quantity> {
    let lower = clause.to_lowercase();
    for w in ["ít nhất", "tối thiểu", "phấn đấu có", "phấn đấu", "xây dựng được", "thành lập"] {
        for (at, _) in lower.match_indices(w) {
            let from = at + w.len();
            let gap = lower.get(from..).unwrap_or("");
            let skipped = gap.len() - gap.trim_start().len();
            let Some((n, end)) = number_after(&lower, from + skipped) else { continue };
            let noun = lower.get(end..).unwrap_or("").trim_start();
            let described = ["lần", "hình thức", "tháng", "quý", "năm", "%"].iter().any(|x| noun.starts_with(x));
            if described || noun.is_empty() {
                continue;
            }
            let first: String = noun.split_whitespace().take(2).collect::<Vec<_>>().join(" ");
            return Some(Quantity {
                start: at,
                comparator: Comparator::AtLeast,
                low: n,
                high: None,
                unit: Unit::Count,
                reading: format!("at least {n} ({first})"),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (Comparator, f64, Option<f64>, Unit) {
        let q = percents(s);
        assert_eq!(q.len(), 1, "{s}: {q:?}");
        (q[0].comparator, q[0].low, q[0].high, q[0].unit)
    }

    #[test]
    fn percentages_as_written() {
        use Comparator::*;
        assert_eq!(one("100% số xã, phường, thị trấn"), (AtLeast, 100.0, None, Unit::Percent));
        assert_eq!(one("Ít nhất 70% người lao động"), (AtLeast, 70.0, None, Unit::Percent));
        assert_eq!(one("số tội phạm được xử lý tăng từ 03% trở lên"), (AtLeast, 3.0, None, Unit::PercentChange));
        assert_eq!(one("Hằng năm, tăng từ 3% - 5% số tội phạm"), (Between, 3.0, Some(5.0), Unit::PercentChange));
        assert_eq!(one("tỷ lệ từ 3 - 5%"), (Between, 3.0, Some(5.0), Unit::Percent));
        assert_eq!(one("giảm 10% số người bán dâm"), (AtMost, -10.0, None, Unit::PercentChange));
        assert_eq!(one("tỷ lệ tái phạm không quá 5%"), (AtMost, 5.0, None, Unit::Percent));
        assert_eq!(one("đạt 92,5% số cơ sở"), (AtLeast, 92.5, None, Unit::Percent));
        assert_eq!(one("dạy nghề cho 50 đến 60% số đối tượng"), (Between, 50.0, Some(60.0), Unit::Percent));
        let two = percents("ít nhất 70% cán bộ cấp tỉnh và ít nhất 50% ở cấp huyện");
        assert_eq!(two.len(), 2);
        assert_eq!((two[0].low, two[1].low), (70.0, 50.0));
        assert!("ít nhất 70% cán bộ cấp tỉnh và ít nhất 50% ở cấp huyện"[two[1].start..].starts_with("ít nhất 50%"));
    }

    #[test]
    fn frequencies_and_counts() {
        assert_eq!(frequency("đăng tải trên báo chí cấp tỉnh ít nhất 01 tháng 01 lần").map(|q| q.low), Some(100.0));
        assert_eq!(frequency("ít nhất một quý một lần").map(|q| q.reading.contains("quarter")), Some(true));
        assert_eq!(frequency("100% xã có ít nhất 01 hình thức"), None);
        assert_eq!(count("Phân đầu ít nhất 01 địa bàn huyện xây dựng mô hình").map(|q| q.low), Some(1.0));
        assert_eq!(count("tổ chức được ít nhất 01 hình thức tuyên truyền"), None);
        assert_eq!(count("ít nhất hai mô hình").map(|q| q.low), Some(2.0));
        assert_eq!(fraction("10/10 huyện, thị xã, thành phố xây dựng kế hoạch").map(|q| q.low), Some(100.0));
        assert_eq!(fraction("Công văn số 1224/LĐTBXH-PCTNXH ngày 31/3/2017"), None);
    }
}
