//! Codes as people read them: the audit log's and a record's history's actions
//! and subjects, a tip's status and a service in words, a legal basis by its law
//! and article — never `insert`, `app_user#1`, `hiv_sti` or `btths-2015-d147`.

use crate::i18n::{Lang, Tr};
use pcmd_domain::records::{RecordSource, Service, TipStatus};

/// An action in words ("tạo mới" for `insert`); an unknown code stays as it is.
pub fn action(t: Tr, code: &str) -> String {
    t.try_get(&format!("action_{code}")).map_or_else(|| code.replace('_', " "), str::to_string)
}

/// A subject in words: "tài khoản #1" for `app_user#1`, "hoạt động #5" for `activity#5`.
pub fn subject(t: Tr, s: &str) -> String {
    let (table, id) = s.split_once('#').unwrap_or((s, ""));
    let name = t.try_get(&format!("subject_{table}")).map_or_else(|| table.replace('_', " "), str::to_string);
    if id.is_empty() {
        name
    } else {
        format!("{name} #{id}")
    }
}

/// A stored word of a closed list in the reader's language: the Vietnamese label
/// `vi` as the domain gives it, or the English of `{family}_{code}`.
pub fn closed(lang: Lang, family: &str, code: &str, vi: &str) -> String {
    match lang {
        Lang::Vi => vi.to_string(),
        Lang::En => Tr { lang }.try_get(&format!("{family}_{code}")).map_or_else(|| code.replace('_', " "), str::to_string),
    }
}

/// A note the engine writes in both languages — "vi text (English text)", several
/// joined by " — " — in the reader's language only: the last bracketed part of each
/// that reads as English (hardly any Vietnamese letters) is the English.
pub fn in_language(lang: Lang, note: &str) -> String {
    note.split(" — ")
        .map(|part| match english_tail(part) {
            Some((vi, en)) => if lang == Lang::Vi { vi } else { en }.to_string(),
            None => part.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" — ")
}

/// Splits "vi (en)" at the bracket that closes at the end, when what it holds is English.
fn english_tail(part: &str) -> Option<(&str, &str)> {
    let body = part.trim_end().strip_suffix(')')?;
    let mut depth = 0usize;
    let mut open = None;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' if depth == 0 => {
                open = Some(i);
                break;
            }
            '(' => depth -= 1,
            _ => {}
        }
    }
    let open = open?;
    let (vi, en) = (body.get(..open)?.trim_end(), body.get(open + 1..)?.trim());
    let letters = en.chars().filter(|c| c.is_alphabetic()).count();
    let foreign = en.chars().filter(|c| c.is_alphabetic() && !c.is_ascii()).count();
    (letters > 0 && foreign * 100 < letters * 8 && !vi.is_empty()).then_some((vi, en))
}

/// A history line's detail in words: a tip's status ("handled (2024-03-01): …")
/// and a service ("hiv_sti (2024-03-01)") by their Vietnamese names and dates dd/mm/yyyy.
pub fn history_detail(lang: Lang, action: &str, detail: &str) -> String {
    let (code, rest) = detail.split_once(' ').unwrap_or((detail, ""));
    if action == "read_personal" {
        let t = Tr { lang };
        return t.try_get(&format!("personal_field_{}", detail.trim())).map_or_else(|| detail.to_string(), str::to_string);
    }
    let word = match action {
        "insert" | "update" if rest.is_empty() => code.parse::<RecordSource>().ok().map(|s| s.label_vi()),
        "status" => code.parse::<TipStatus>().ok().map(|s| s.label_vi()),
        "service" => code.parse::<Service>().ok().map(|s| s.label_vi()),
        _ => None,
    };
    let Some(word) = word.filter(|_| lang == Lang::Vi).map(str::to_string).or_else(|| word.map(|_| code.replace('_', " "))) else {
        return detail.to_string();
    };
    // "(2024-03-01)" → "(01/03/2024)".
    let rest = match rest.strip_prefix('(').and_then(|r| r.split_once(')')) {
        Some((day, after)) => match chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d") {
            Ok(d) => format!("({}){after}", pcmd_domain::date::format_vn(d)),
            Err(_) => rest.to_string(),
        },
        None => rest.to_string(),
    };
    format!("{word} {rest}").trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_as_words() {
        let vi = Tr { lang: Lang::Vi };
        assert_eq!(action(vi, "insert"), "tạo mới");
        assert_eq!(action(vi, "read_personal"), "xem dữ liệu cá nhân");
        assert_eq!(action(vi, "something_new"), "something new");
        assert_eq!(subject(vi, "app_user#1"), "tài khoản #1");
        assert_eq!(subject(vi, "activity#5"), "hoạt động tuyên truyền #5");
        assert_eq!(history_detail(Lang::Vi, "service", "hiv_sti (2024-03-01)"), "HIV/STI (01/03/2024)");
        assert_eq!(history_detail(Lang::Vi, "status", "handled (2024-03-01): đã xử lý"), "đã giải quyết (01/03/2024): đã xử lý");
        assert_eq!(history_detail(Lang::Vi, "insert", "synthetic"), "dữ liệu mẫu");
        assert_eq!(history_detail(Lang::Vi, "update", "ghi chú tự do"), "ghi chú tự do");
        assert_eq!(history_detail(Lang::Vi, "read_personal", "identity"), "danh tính người được hỗ trợ");
        assert_eq!(action(Tr { lang: Lang::En }, "insert"), "created");
    }

    #[test]
    fn a_note_in_both_languages_is_read_in_one() {
        let note = "kỳ chưa bắt đầu (the period has not begun) — Sau 01/07/2025 tính trên 43 xã, phường mới tiếp nhận địa bàn Tỉnh Sóc Trăng cũ (gồm cả 3 xã cũ ngoài Tỉnh Sóc Trăng đã nhập vào các xã, phường đó), theo liên kết sáp nhập. (After 1 July 2025: the 43 new communes that took in the former Tỉnh Sóc Trăng, by the successor links.)";
        assert_eq!(
            in_language(Lang::Vi, note),
            "kỳ chưa bắt đầu — Sau 01/07/2025 tính trên 43 xã, phường mới tiếp nhận địa bàn Tỉnh Sóc Trăng cũ (gồm cả 3 xã cũ ngoài Tỉnh Sóc Trăng đã nhập vào các xã, phường đó), theo liên kết sáp nhập."
        );
        assert_eq!(
            in_language(Lang::En, note),
            "the period has not begun — After 1 July 2025: the 43 new communes that took in the former Tỉnh Sóc Trăng, by the successor links."
        );
        // A bracket in Vietnamese at the end is kept: it is not the English.
        assert_eq!(in_language(Lang::Vi, "xã có ít nhất 1 hoạt động (trong kỳ)"), "xã có ít nhất 1 hoạt động (trong kỳ)");
    }
}
