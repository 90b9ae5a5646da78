//! The heading of a plan's text: number (số, ký hiệu), kind, issuer, date,
//! title, the territory and period it covers, the plan it implements.

use super::outline::{Mark, Para};
use crate::plan::PlanKind;
use chrono::NaiveDate;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Header {
    pub number: String,
    pub kind: Option<PlanKind>,
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    pub place: String,
    pub title: String,
    pub unit_name: Option<String>,
    pub period: Option<(i32, i32)>,
    pub implements: Option<String>,
}

const KINDS: [(&str, PlanKind); 4] =
    [("NGHỊ QUYẾT", PlanKind::Resolution), ("KẾ HOẠCH", PlanKind::Plan), ("QUYẾT ĐỊNH", PlanKind::Decision), ("CHƯƠNG TRÌNH", PlanKind::Programme)];

/// Reads the heading from the paragraphs before the first marked one.
pub fn header(paras: &[Para]) -> Header {
    let first_marked = paras.iter().position(|p| p.mark != Mark::None).unwrap_or(paras.len());
    let head = paras.get(..first_marked).unwrap_or(paras);
    let mut h = Header::default();
    for p in head {
        if let Some(n) = p.text.strip_prefix("Số:").or_else(|| p.text.strip_prefix("Số :")) {
            h.number = n.split_whitespace().next().unwrap_or("").to_string();
        }
        if let Some((place, date)) = place_and_date(&p.text) {
            h.place = place;
            h.issued_on = date;
        }
    }
    // The kind's word alone on its line, the title after it.
    if let Some(k) = head.iter().position(|p| KINDS.iter().any(|(w, _)| p.text.to_uppercase() == *w)) {
        let word = head.get(k).map(|p| p.text.to_uppercase()).unwrap_or_default();
        h.kind = KINDS.iter().find(|(w, _)| *w == word).map(|(_, kind)| *kind);
        let mut title = head.get(k + 1).map(|p| p.text.clone()).unwrap_or_default();
        // A title broken over lines (a PDF's centred heading): the words it cannot end on.
        const OPEN: [&str; 13] = ["ĐỊA", "BÀN", "TRÊN", "VỀ", "CỦA", "VÀ", "GIAI", "ĐOẠN", "NĂM", "-", "TỈNH", "CHỐNG", "PHÒNG,"];
        for next in head.iter().skip(k + 2) {
            let last = title.split_whitespace().last().unwrap_or("").to_uppercase();
            let upper = next.text.chars().filter(|c| c.is_alphabetic()).all(|c| !c.is_lowercase());
            if !upper || !OPEN.contains(&last.as_str()) {
                break;
            }
            title = format!("{title} {}", next.text);
        }
        h.title = title_case(&word, &title);
    }
    if h.kind.is_none() {
        let n = h.number.to_uppercase();
        h.kind = [("/NQ-", PlanKind::Resolution), ("/KH-", PlanKind::Plan), ("/QĐ-", PlanKind::Decision), ("/CTR-", PlanKind::Programme)]
            .iter()
            .find(|(w, _)| n.contains(w))
            .map(|(_, k)| *k);
    }
    h.issuer = issuer(head, &h);
    let lower_title = h.title.to_lowercase();
    if let Some(at) = lower_title.find("trên địa bàn ") {
        let name = h.title.get(at + "trên địa bàn ".len()..).unwrap_or("").trim().to_string();
        h.unit_name = Some(name);
    }
    h.period = period(&lower_title);
    h.implements = implements(head);
    h
}

/// "Sóc Trăng, ngày 07 tháng 12 năm 2023" → place and date; an undated
/// "ngày tháng năm 2022" gives the place only.
fn place_and_date(line: &str) -> Option<(String, Option<NaiveDate>)> {
    let (place, rest) = line.split_once(", ngày")?;
    let nums: Vec<u32> = rest.split(|c: char| !c.is_ascii_digit()).filter_map(|d| d.parse().ok()).collect();
    let date = match nums.as_slice() {
        [d, m, y] => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d),
        _ => None,
    };
    Some((place.trim().to_string(), date))
}

/// "NGHỊ QUYẾT" + "VỀ CÔNG TÁC … TỈNH SÓC TRĂNG" → "Nghị quyết về công tác … tỉnh Sóc Trăng".
fn title_case(kind: &str, title: &str) -> String {
    let upper = title.chars().filter(|c| c.is_alphabetic()).all(|c| !c.is_lowercase());
    let kind = sentence(kind);
    if !upper {
        // Already as a sentence ("Phòng, chống mại dâm năm 2022 …"): the kind before it.
        let mut t = title.to_string();
        if let Some(first) = t.chars().next() {
            let lowered: String = first.to_lowercase().collect();
            t.replace_range(..first.len_utf8(), &lowered);
        }
        return format!("{kind} {t}");
    }
    let lower = title.to_lowercase();
    format!("{kind} {}", proper_names(&lower))
}

fn sentence(s: &str) -> String {
    let l = s.to_lowercase();
    let mut c = l.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// Capitalises the words of a place after "tỉnh", "thành phố", "huyện", "xã", "phường".
fn proper_names(lower: &str) -> String {
    let words: Vec<&str> = lower.split(' ').collect();
    let mut out = Vec::with_capacity(words.len());
    let mut name = false;
    for (i, w) in words.iter().enumerate() {
        let prev = if i > 0 { words.get(i - 1).copied().unwrap_or("") } else { "" };
        let prev2 = if i > 1 { format!("{} {prev}", words.get(i - 2).copied().unwrap_or("")) } else { String::new() };
        if ["tỉnh", "huyện", "xã", "phường"].contains(&prev) || prev2 == "thành phố" {
            name = true;
        }
        out.push(if name { sentence(w) } else { (*w).to_string() });
    }
    out.join(" ")
}

/// The body that issued the text: the lines above "CỘNG HÒA" when the text
/// keeps them, else read from the number's suffix and the place.
fn issuer(head: &[Para], h: &Header) -> String {
    let top: Vec<&str> = head
        .iter()
        .take_while(|p| !p.text.to_uppercase().starts_with("CỘNG HÒA") && !p.text.starts_with("Số"))
        .map(|p| p.text.as_str())
        .filter(|t| t.chars().any(char::is_alphabetic))
        .collect();
    if !top.is_empty() {
        return proper_names(&sentence(&top.join(" ")));
    }
    let n = h.number.to_uppercase();
    let body = if n.ends_with("HĐND") {
        "Hội đồng nhân dân"
    } else if n.ends_with("UBND") {
        "Ủy ban nhân dân"
    } else {
        return String::new();
    };
    if h.place.is_empty() {
        body.to_string()
    } else {
        format!("{body} tỉnh {}", h.place)
    }
}

/// "giai đoạn 2024 - 2025" or "năm 2022".
fn period(lower_title: &str) -> Option<(i32, i32)> {
    let years: Vec<i32> = lower_title
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 4)
        .filter_map(|d| d.parse().ok())
        .filter(|y| (1990..2100).contains(y))
        .collect();
    match years.as_slice() {
        [a, b, ..] if lower_title.contains("giai đoạn") => Some((*a, *b)),
        [a, ..] => Some((*a, *a)),
        [] => None,
    }
}

/// The last plan or programme on prostitution cited where the text says what
/// it carries out ("Thực hiện …", "Căn cứ …"): "3742/KH-UBND" after "1629/QĐ-TTg".
fn implements(head: &[Para]) -> Option<String> {
    let mut last = None;
    for p in head {
        let l = p.text.to_lowercase();
        if !(l.starts_with("thực hiện") || l.starts_with("căn cứ")) || !l.contains("mại dâm") {
            continue;
        }
        let mut cited: Vec<(usize, String)> = Vec::new();
        for kind in ["Quyết định số ", "Kế hoạch số ", "Chương trình số ", "Nghị quyết số "] {
            for (at, _) in p.text.match_indices(kind) {
                let num: String = p.text.get(at + kind.len()..).unwrap_or("").chars().take_while(|c| !c.is_whitespace() && *c != ',').collect();
                if num.contains('/') {
                    cited.push((at, num));
                }
            }
        }
        if let Some(c) = cited.into_iter().max_by_key(|(at, _)| *at) {
            last = Some(c);
        }
    }
    last.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::draft::outline::paragraphs;

    #[test]
    fn a_resolution_heading() {
        let text = "\tHỘI ĐỒNG NHÂN DÂN\nTỈNH SÓC TRĂNG\n-------\n\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\tSố: 117/NQ-HĐND\n\tSóc Trăng, ngày 07 tháng 12 năm 2023\nNGHỊ QUYẾT\nVỀ CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM GIAI ĐOẠN 2024 - 2025 TRÊN ĐỊA BÀN TỈNH SÓC TRĂNG\nCăn cứ Quyết định số 1629/QĐ-TTg ngày 28 tháng 9 năm 2021 của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025;\nĐiều 1. Thông qua\n";
        let h = header(&paragraphs(text));
        assert_eq!(h.number, "117/NQ-HĐND");
        assert_eq!(h.kind, Some(PlanKind::Resolution));
        assert_eq!(h.issuer, "Hội đồng nhân dân tỉnh Sóc Trăng");
        assert_eq!(h.issued_on, NaiveDate::from_ymd_opt(2023, 12, 7));
        assert_eq!(h.title, "Nghị quyết về công tác phòng, chống mại dâm giai đoạn 2024 - 2025 trên địa bàn tỉnh Sóc Trăng");
        assert_eq!(h.unit_name.as_deref(), Some("tỉnh Sóc Trăng"));
        assert_eq!(h.period, Some((2024, 2025)));
        assert_eq!(h.implements.as_deref(), Some("1629/QĐ-TTg"));
    }
}
