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

/// A history line's detail in words: a tip's status ("handled (2024-03-01): …")
/// and a service ("hiv_sti (2024-03-01)") by their Vietnamese names and dates dd/mm/yyyy.
pub fn history_detail(lang: Lang, action: &str, detail: &str) -> String {
    let (code, rest) = detail.split_once(' ').unwrap_or((detail, ""));
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
        assert_eq!(action(Tr { lang: Lang::En }, "insert"), "created");
    }
}
