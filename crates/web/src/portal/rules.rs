//! `/thoi-han`: the legal time limits pcmd counts by, public like the laws
//! they come from — for each category the dated entries, what each limit is,
//! the text it rests on with the address it was read at, and what could not be
//! checked against an official text.

use super::page;
use crate::auth::lang_of;
use crate::i18n::{Lang, Tr};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pcmd_domain::date::format_vn;
use pcmd_domain::records::{CountsFrom, DeadlineRule, Duration, RestDayRoll, Resume, RuleCategory};

pub struct CategoryView {
    pub title: String,
    pub rules: Vec<RuleView>,
}

pub struct RuleView {
    pub code: String,
    pub period: String,
    pub rows: Vec<(String, String)>,
    pub basis: String,
    pub source: String,
    pub source_date: String,
    pub unverified: Vec<String>,
}

#[derive(Template)]
#[template(path = "portal_rules.html")]
struct RulesPage {
    t: Tr,
    categories: Vec<CategoryView>,
    days_off: usize,
}

fn words(d: Duration, vi: bool) -> String {
    let (v, e) = d.words();
    if vi {
        v
    } else {
        e
    }
}

fn rule_view(r: &DeadlineRule, vi: bool) -> RuleView {
    let pick = |v: &str, e: &str| if vi { v.to_string() } else { e.to_string() };
    let w = |d: Duration| words(d, vi);
    let mut rows = Vec::new();
    let start = match r.counts_from {
        CountsFrom::Receipt => pick("ngày tiếp nhận tin", "the day the tip is received"),
        CountsFrom::Acceptance => pick("ngày thụ lý", "the day it is accepted"),
        CountsFrom::Record => pick("ngày lập biên bản vi phạm hành chính", "the day the violation is recorded"),
    };
    rows.push((pick("Tính từ", "Counted from"), start));
    if let Some(a) = r.acceptance {
        rows.push((pick("Thụ lý trong", "Accepted within"), format!("{} {}", w(a), pick("kể từ ngày tiếp nhận", "of receipt"))));
    }
    rows.push((pick("Thời hạn", "Time limit"), w(r.base)));
    if let Some(c) = r.complex {
        rows.push((pick("Vụ việc phức tạp", "Complex case"), w(c)));
    }
    if let Some(v) = r.very_complex {
        rows.push((pick("Đặc biệt phức tạp", "Particularly complex"), w(v)));
    }
    if let Some(rm) = r.remote {
        let both = r.remote_complex.map(|c| format!("; {} {}", pick("phức tạp", "complex"), w(c))).unwrap_or_default();
        rows.push((pick("Vùng sâu, vùng xa", "Remote areas"), format!("{}{both}", w(rm))));
    }
    let ext = match r.extension {
        None => pick("không có", "none"),
        Some(e) => {
            let mut parts = Vec::new();
            if r.extensions_complex > 0 {
                parts.push(if vi {
                    format!("vụ việc phức tạp: {} lần, mỗi lần không quá {}", r.extensions_complex, w(e))
                } else {
                    format!("complex case: {} time(s), each at most {}", r.extensions_complex, w(e))
                });
            }
            if r.extensions_very_complex > 0 {
                parts.push(if vi {
                    format!("đặc biệt phức tạp: {} lần, mỗi lần không quá {}", r.extensions_very_complex, w(e))
                } else {
                    format!("particularly complex: {} time(s), each at most {}", r.extensions_very_complex, w(e))
                });
            }
            parts.join("; ")
        }
    };
    rows.push((pick("Gia hạn", "Extension"), ext));
    let suspension = match (r.suspension, r.resume_period) {
        (None, _) => pick("không có", "none"),
        (Some(Resume::Remaining), _) => pick("thời gian tạm đình chỉ không tính vào thời hạn", "the time suspended is not counted"),
        (Some(Resume::Fresh), p) => {
            let p = w(p.unwrap_or(r.base));
            if vi {
                format!("khi phục hồi, thời hạn tiếp không quá {p} kể từ ngày phục hồi")
            } else {
                format!("once resumed, at most {p} from the resume decision")
            }
        }
    };
    rows.push((pick("Tạm đình chỉ", "Suspension"), suspension));
    let roll = match r.rest_day_roll {
        RestDayRoll::All => pick("hết vào ngày nghỉ thì lùi sang ngày làm việc tiếp theo", "ending on a rest day: the next working day"),
        RestDayRoll::Months => pick(
            "thời hạn tính bằng tháng hết vào ngày nghỉ thì lùi sang ngày làm việc tiếp theo",
            "a period in months ending on a rest day: the next working day",
        ),
        RestDayRoll::None => pick("không lùi", "not moved"),
    };
    rows.push((pick("Ngày nghỉ", "Rest days"), roll));
    let period = match r.to {
        Some(to) => format!("{} – {}", format_vn(r.from.0), format_vn(to.0)),
        None => format!("{} {}", pick("từ", "from"), format_vn(r.from.0)),
    };
    RuleView {
        code: r.code.clone(),
        period,
        rows,
        basis: r.basis.clone(),
        source: r.source.clone(),
        source_date: r.source_date.map(|d| format_vn(d.0)).unwrap_or_default(),
        unverified: r.unverified.clone(),
    }
}

/// The page, built from the rules the server counts by.
pub async fn deadlines(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let lang = lang_of(&headers);
    let vi = lang == Lang::Vi;
    let categories = RuleCategory::ALL
        .iter()
        .map(|c| {
            let (v, e) = c.words();
            let mut rules: Vec<&DeadlineRule> = state.rules.rules.iter().filter(|r| r.category == *c).collect();
            rules.sort_by_key(|r| std::cmp::Reverse(r.from));
            CategoryView { title: if vi { v.to_string() } else { e.to_string() }, rules: rules.into_iter().map(|r| rule_view(r, vi)).collect() }
        })
        .filter(|c| !c.rules.is_empty())
        .collect();
    let html = RulesPage { t: Tr { lang }, categories, days_off: state.rules.days_off.off.len() }.render()?;
    Ok(page(StatusCode::OK, html))
}
