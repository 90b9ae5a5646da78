//! The budget (kinh phí) of a plan's text: the stated total, checked against
//! its words and the years, and where the money comes from.

use super::outline::{Mark, Para};
use crate::money::{format_vnd, parse_vnd, vnd_in_words};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DraftBudget {
    pub total: Option<i64>,
    pub total_formatted: Option<String>,
    /// The total in words as printed ("Hai tỷ, ba trăm …").
    pub total_in_words: Option<String>,
    /// Whether the printed words read the printed figure.
    pub words_match: Option<bool>,
    pub sum_of_years: i64,
    /// Whether the years add up to the stated total.
    pub sum_matches: Option<bool>,
    pub source: Option<String>,
    pub years: Vec<DraftBudgetYear>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftBudgetYear {
    pub year: i32,
    pub allocated: i64,
    pub allocated_formatted: String,
    pub item: String,
    pub line: usize,
}

/// Amounts in đồng in a sentence: "2.361.370.000 đồng", "500 triệu đồng", "1,5 tỷ đồng".
pub fn amounts(s: &str) -> Vec<(usize, i64)> {
    let mut out = Vec::new();
    for (at, _) in s.match_indices("đồng") {
        let head = s.get(..at).unwrap_or("").trim_end();
        let (head, scale) = if let Some(h) = head.strip_suffix("triệu") {
            (h.trim_end(), 1_000_000.0)
        } else if let Some(h) = head.strip_suffix("tỷ") {
            (h.trim_end(), 1_000_000_000.0)
        } else {
            (head, 1.0)
        };
        let start =
            head.rfind(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',')).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
        let token = head.get(start..).unwrap_or("");
        let value = if scale > 1.0 {
            token.replace('.', "").replace(',', ".").parse::<f64>().ok().map(|v| (v * scale).round() as i64)
        } else {
            parse_vnd(token)
        };
        if let Some(v) = value.filter(|v| *v > 0) {
            out.push((start, v));
        }
    }
    out
}

fn normalised_words(s: &str) -> String {
    s.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect::<String>().replace("đồng", "")
}

/// Reads the budget from the section about money ("Kinh phí").
pub fn budget(paras: &[Para]) -> Option<DraftBudget> {
    let start = paras.iter().position(|p| p.mark != Mark::None && p.body.to_lowercase().starts_with("kinh phí"))?;
    let end = super::outline::item_end(paras, start);
    let mut b = DraftBudget::default();
    for p in paras.get(start..end).unwrap_or(&[]) {
        let lower = p.body.to_lowercase();
        let found = amounts(&p.body);
        if lower.contains("tổng kinh phí") || (lower.contains("tổng") && b.total.is_none() && !found.is_empty()) {
            if let Some((_, total)) = found.first() {
                b.total = Some(*total);
                b.total_formatted = Some(format_vnd(*total));
                if let Some((_, after)) = p.body.split_once('(') {
                    let words = after.split(')').next().unwrap_or("").trim().to_string();
                    b.words_match = Some(normalised_words(&words) == normalised_words(&vnd_in_words(*total)));
                    b.total_in_words = Some(words);
                }
            }
            continue;
        }
        if let (Some(year), Some((_, amount))) = (year_in(&lower), found.first()) {
            let item = p.body.split(" là ").next().unwrap_or(&p.body).trim().to_string();
            b.years.push(DraftBudgetYear { year, allocated: *amount, allocated_formatted: format_vnd(*amount), item, line: p.line });
            continue;
        }
        if lower.starts_with("nguồn kinh phí") || lower.contains("nguồn kinh phí thực hiện:") {
            b.source = p.body.split_once(':').map(|(_, s)| s.trim().to_string()).filter(|s| !s.is_empty());
        } else if b.source.is_none() && p.mark == Mark::None && lower.contains("ngân sách") {
            b.source = Some(p.body.clone());
        }
    }
    b.sum_of_years = b.years.iter().map(|y| y.allocated).sum();
    b.sum_matches = b.total.filter(|_| !b.years.is_empty()).map(|t| t == b.sum_of_years);
    Some(b)
}

fn year_in(lower: &str) -> Option<i32> {
    let at = lower.find("năm ")?;
    let digits: String = lower.get(at + "năm ".len()..)?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|y| (1990..2100).contains(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_written() {
        assert_eq!(amounts("là 2.361.370.000 đồng (Hai tỷ)"), vec![(4, 2_361_370_000)]);
        assert_eq!(amounts("khoảng 500 triệu đồng").first().map(|a| a.1), Some(500_000_000));
        assert_eq!(amounts("1,5 tỷ đồng").first().map(|a| a.1), Some(1_500_000_000));
    }
}
