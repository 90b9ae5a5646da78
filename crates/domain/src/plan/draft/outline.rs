//! A plan's text as paragraphs with their numbering (số thứ tự) as printed:
//! "II.", "Điều 1.", "3.1.", "a)", "(1)", "-" and "+", and where each sits in
//! the outline of the document.

use crate::text::nfc;

/// The mark a paragraph opens with.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// "II." — a part (phần) numbered in Roman.
    Roman(String),
    /// "Điều 1." — an article.
    Article(u32),
    /// "3.1." — a numbered item, its components.
    Number(Vec<u32>),
    /// "a)" — a point (điểm).
    Letter(char),
    /// "(1)".
    Paren(u32),
    /// "-", "–" or "•": a bullet (gạch đầu dòng).
    Dash,
    /// "+".
    Plus,
    /// No mark: the body of the item above.
    None,
}

impl Mark {
    /// Smaller ranks hold greater ones.
    fn rank(&self) -> usize {
        match self {
            Mark::Roman(_) => 0,
            Mark::Article(_) => 1,
            Mark::Number(v) => 1 + v.len(),
            Mark::Letter(_) => 10,
            Mark::Paren(_) => 11,
            Mark::Dash => 12,
            Mark::Plus => 13,
            Mark::None => usize::MAX,
        }
    }
}

/// One step of a paragraph's place in the outline.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub mark: Mark,
    /// For bullets, their position among the bullets of the same item (from 1).
    pub index: u32,
    /// The paragraph that opened the step.
    pub para: usize,
}

/// A paragraph: what was printed, its line in the file, its mark and body,
/// and the steps from the top of the document down to it (its own included
/// when it is marked).
#[derive(Debug, Clone)]
pub struct Para {
    pub line: usize,
    pub text: String,
    pub mark: Mark,
    pub body: String,
    pub path: Vec<Step>,
}

impl Para {
    /// The number of steps that lie above this paragraph's own item.
    pub fn depth(&self) -> usize {
        self.path.len()
    }
}

/// Splits a text into paragraphs: NFC, tabs and non-breaking spaces as spaces,
/// and a line that carries on a sentence broken by a page (it starts with a
/// small letter and the line before did not end a sentence) joined to it.
pub fn paragraphs(text: &str) -> Vec<Para> {
    let text = nfc(text);
    let mut out: Vec<Para> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.replace(['\t', '\u{a0}', '\u{feff}'], " ");
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        let (mark, body) = parse_mark(&line);
        if mark == Mark::None {
            if let Some(prev) = out.last_mut() {
                let ends = prev.text.trim_end().ends_with(['.', ';', ':', '!', '?']);
                let small = line.chars().next().is_some_and(|c| c.is_lowercase());
                if !ends && small {
                    prev.text.push(' ');
                    prev.text.push_str(&line);
                    prev.body.push(' ');
                    prev.body.push_str(&line);
                    continue;
                }
            }
        }
        out.push(Para { line: i + 1, text: line.clone(), mark, body, path: Vec::new() });
    }
    place(&mut out);
    out
}

/// Gives each paragraph its path in the outline.
fn place(paras: &mut [Para]) {
    let mut stack: Vec<(Step, u32)> = Vec::new(); // a step and the bullets counted under it
    for (i, p) in paras.iter_mut().enumerate() {
        if p.mark != Mark::None {
            let rank = p.mark.rank();
            while stack.last().is_some_and(|(s, _)| s.mark.rank() >= rank) {
                stack.pop();
            }
            let index = if matches!(p.mark, Mark::Dash | Mark::Plus) {
                match stack.last_mut() {
                    Some((_, n)) => {
                        *n += 1;
                        *n
                    }
                    None => 1,
                }
            } else {
                0
            };
            stack.push((Step { mark: p.mark.clone(), index, para: i }, 0));
        }
        p.path = stack.iter().map(|(s, _)| s.clone()).collect();
    }
}

/// The mark a line opens with, and the rest of the line.
pub fn parse_mark(line: &str) -> (Mark, String) {
    let rest = |n: usize| line.get(n..).unwrap_or("").trim_start().to_string();
    if let Some(after) = line.strip_prefix("Điều ") {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if let (Ok(n), true) = (digits.parse(), after[digits.len()..].starts_with(['.', ':'])) {
            return (Mark::Article(n), rest("Điều ".len() + digits.len() + 1));
        }
    }
    let roman: String = line.chars().take_while(|c| matches!(c, 'I' | 'V' | 'X')).collect();
    if !roman.is_empty() && line[roman.len()..].starts_with(". ") {
        return (Mark::Roman(roman.clone()), rest(roman.len() + 1));
    }
    if let Some((parts, len)) = decimal(line) {
        return (Mark::Number(parts), rest(len));
    }
    let mut chars = line.chars();
    if let (Some(c), Some(')')) = (chars.next(), chars.next()) {
        if c.is_ascii_lowercase() || c == 'đ' {
            return (Mark::Letter(c), rest(c.len_utf8() + 1));
        }
    }
    if let Some(after) = line.strip_prefix('(') {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if let (Ok(n), true) = (digits.parse(), after[digits.len()..].starts_with(')')) {
            return (Mark::Paren(n), rest(digits.len() + 2));
        }
    }
    for (prefix, mark) in [("- ", Mark::Dash), ("– ", Mark::Dash), ("• ", Mark::Dash), ("+ ", Mark::Plus)] {
        if line.starts_with(prefix) {
            return (mark, rest(prefix.len()));
        }
    }
    (Mark::None, line.to_string())
}

/// "3.1. " or "3.1 " or "1. ": components of at most two digits, then a dot
/// or a space. Returns the components and the length of the mark.
fn decimal(line: &str) -> Option<(Vec<u32>, usize)> {
    let mut parts = Vec::new();
    let mut at = 0;
    loop {
        let digits: String = line[at..].chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 2 {
            return None;
        }
        parts.push(digits.parse().ok()?);
        at += digits.len();
        let next = line[at..].chars().next();
        let after = line[at..].chars().nth(1);
        match (next, after) {
            (Some('.'), Some(c)) if c.is_ascii_digit() => at += 1,
            (Some('.'), Some(' ')) => return Some((parts, at + 1)),
            (Some(' '), _) if parts.len() > 1 => return Some((parts, at)),
            // "3 Bộ chỉ huy …": a dot left out before a capital.
            (Some(' '), Some(c)) if c.is_uppercase() => return Some((parts, at)),
            _ => return None,
        }
    }
}

/// The index just past the last paragraph of the item that `at` opens.
pub fn item_end(paras: &[Para], at: usize) -> usize {
    let Some(head) = paras.get(at) else { return at };
    let rank = head.mark.rank();
    paras.iter().enumerate().skip(at + 1).find(|(_, p)| p.mark != Mark::None && p.mark.rank() <= rank).map_or(paras.len(), |(i, _)| i)
}

/// The code of an item as printed, from the steps below a section:
/// "3.1" then bullet 1 is "3.1.1"; "a" then "(3)" is "a3".
pub fn code(steps: &[Step]) -> String {
    let mut out = String::new();
    for s in steps {
        let part = match &s.mark {
            Mark::Number(v) => {
                out.clear();
                v.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
            }
            Mark::Roman(r) => {
                out.clear();
                r.clone()
            }
            Mark::Article(n) => {
                out.clear();
                format!("Điều {n}")
            }
            Mark::Letter(c) => c.to_string(),
            Mark::Paren(n) => n.to_string(),
            Mark::Dash | Mark::Plus => s.index.to_string(),
            Mark::None => continue,
        };
        let glue = out.chars().last().is_some_and(char::is_alphabetic) && part.starts_with(|c: char| c.is_ascii_digit());
        if !out.is_empty() && !glue {
            out.push('.');
        }
        out.push_str(&part);
    }
    out
}

/// Where an item sits, as an official cites it: "Điều 1, khoản 4, điểm a, (1)"
/// or "I.3.1, gạch đầu dòng 2".
pub fn clause(steps: &[Step]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut under_article = false;
    let mut roman = String::new();
    for s in steps {
        match &s.mark {
            Mark::Roman(r) => roman = r.clone(),
            Mark::Article(n) => {
                under_article = true;
                parts.push(format!("Điều {n}"));
            }
            Mark::Number(v) => {
                let n = v.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
                if under_article {
                    parts.push(format!("khoản {n}"));
                } else if !roman.is_empty() {
                    parts.retain(|p| !p.starts_with(&roman));
                    parts.push(format!("{roman}.{n}"));
                } else {
                    parts.push(n);
                }
            }
            Mark::Letter(c) => parts.push(format!("điểm {c}")),
            Mark::Paren(n) => parts.push(format!("({n})")),
            Mark::Dash | Mark::Plus => parts.push(format!("gạch đầu dòng {}", s.index)),
            Mark::None => {}
        }
    }
    if parts.is_empty() && !roman.is_empty() {
        parts.push(roman);
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_as_printed() {
        assert_eq!(parse_mark("Điều 1. Nhất trí").0, Mark::Article(1));
        assert_eq!(parse_mark("II. NHIỆM VỤ").0, Mark::Roman("II".into()));
        assert_eq!(parse_mark("3.1. Về công tác").0, Mark::Number(vec![3, 1]));
        assert_eq!(parse_mark("3.1 Về công tác").0, Mark::Number(vec![3, 1]));
        assert_eq!(parse_mark("6. Sở Y tế: Tổ chức").0, Mark::Number(vec![6]));
        assert_eq!(parse_mark("đ) Đào tạo").0, Mark::Letter('đ'));
        assert_eq!(parse_mark("(3) Ít nhất").0, Mark::Paren(3));
        assert_eq!(parse_mark("- 100% các huyện").0, Mark::Dash);
        // An amount or a year is not a mark.
        assert_eq!(parse_mark("2.361.370.000 đồng").0, Mark::None);
        assert_eq!(parse_mark("2025, 100% các cơ sở").0, Mark::None);
        assert_eq!(parse_mark("Ít nhất 70%").0, Mark::None);
        assert_eq!(parse_mark("3 Bộ chỉ huy Bộ đội biên phòng tỉnh").0, Mark::Number(vec![3]));
        assert_eq!(parse_mark("30 ngày").0, Mark::None);
    }

    #[test]
    fn broken_lines_are_joined_and_items_coded() {
        let text = "3. Một số chỉ tiêu\n3.1. Về tuyên truyền:\n- 60% xã\n- cho 60% người lao động dịch\n\nvụ dễ phát sinh, 100% học sinh.\n3.5. Về đào tạo:\nĐào tạo cho 70% người.\n";
        let p = paragraphs(text);
        assert_eq!(p.len(), 6);
        assert_eq!(p[3].text, "- cho 60% người lao động dịch vụ dễ phát sinh, 100% học sinh.");
        assert_eq!(code(&p[3].path[1..]), "3.1.2");
        assert_eq!(code(&p[5].path[1..]), "3.5");
        assert_eq!(clause(&p[3].path), "3, 3.1, gạch đầu dòng 2");
        let text = "Điều 1. Thông qua\n4. Các nhóm chỉ tiêu\na) Tuyên truyền:\n(3) Ít nhất 70%\nđ) Đào tạo: ít nhất 70%\n";
        let p = paragraphs(text);
        assert_eq!(code(&p[3].path[2..]), "a3");
        assert_eq!(code(&p[4].path[2..]), "đ");
        assert_eq!(clause(&p[3].path), "Điều 1, khoản 4, điểm a, (3)");
        assert_eq!(item_end(&p, 1), 5);
    }
}
