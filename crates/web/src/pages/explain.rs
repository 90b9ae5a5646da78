//! The records behind a figure (`/plans/{key}/explain?target=…&period=…&unit=…`),
//! the web's `pcmd targets explain`: the target's value, numerator and
//! denominator, its parts, and every record it counted in the unit's
//! territory, each a link — in the reader's scope, records about persons as
//! counts only, and nothing listed where the reader's copy withholds small counts.

use super::scope::{in_scope, plan_visible};
use super::Chrome;
use crate::auth::CurrentUser;
use crate::query::Path;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use pcmd_domain::date::format_vn;
use pcmd_domain::money::format_decimal_vn as number_vn;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::plan::indicator::value_text;
use pcmd_domain::records::form::RecordKind;
use pcmd_engine::Engine;
use pcmd_store::records::read::has_pages;

#[derive(serde::Deserialize)]
pub struct ExplainQuery {
    target: String,
    period: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
    /// The page of the records' list (100 a page).
    page: Option<usize>,
}

/// Records listed on one page.
const PAGE: usize = 100;

/// A record counted: what, when, where, and its page when it has one the reader may open.
pub struct Counted {
    pub what: String,
    pub date: String,
    pub unit: String,
    pub label: String,
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "explain.html")]
struct ExplainPage {
    c: Chrome,
    plan_number: String,
    heading: String,
    text: String,
    lines: Vec<(String, String)>,
    parts: Vec<(String, String, String)>,
    records: Option<Vec<Counted>>,
    /// How many records in all, the first shown (1-based) and the last, and the links to the pages around.
    total: usize,
    first: usize,
    last: usize,
    previous: Option<String>,
    next: Option<String>,
    /// A note on the list: why none is shown, or what it leaves out.
    withheld: Option<String>,
    back: String,
}

/// Why `n` records counted are not listed: outside the reader's scope, for the press the new
/// province's after a merger, for other records those of old communes of other units that
/// went into the same new commune.
fn outside_note(vi: bool, n: usize, indicator: &str) -> String {
    let press = pcmd_store::record_kind_behind(indicator) == Some("publication");
    match (vi, press) {
        (true, true) => {
            format!("{} tin, bài của báo chí tỉnh mới (sau sáp nhập), ngoài phạm vi của bạn, được tính nhưng không liệt kê.", number_vn(n as f64))
        }
        (true, false) => format!(
            "{} bản ghi của xã, phường cũ thuộc đơn vị khác đã nhập vào cùng xã, phường mới, ngoài phạm vi của bạn, được tính nhưng không liệt kê.",
            number_vn(n as f64)
        ),
        (false, true) => format!(
            "{n} {} of the new province's press (after a merger), outside your scope, counted but not listed.",
            if n == 1 { "item" } else { "items" }
        ),
        (false, false) => format!(
            "{n} {} of old communes of other units that went into the same new commune, outside your scope, counted but not listed.",
            if n == 1 { "record" } else { "records" }
        ),
    }
}

/// The link to a figure's records from the dashboard.
pub fn href(key: &str, target: &str, period: &str, unit: &str, as_of: &str) -> String {
    let q = serde_urlencoded::to_string([("target", target), ("period", period), ("unit", unit), ("as_of", as_of)]).unwrap_or_default();
    format!("/plans/{key}/explain?{q}")
}

pub async fn explain(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    Query(q): Query<ExplainQuery>,
) -> Result<Html<String>, WebError> {
    let vi = user.lang == crate::i18n::Lang::Vi;
    let plan = state.store.plan(&key).await.map_err(|_| WebError::NotFound)?;
    let period_text = q.period.clone().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| plan.summary.period_to.format("%Y").to_string());
    let period = Period::parse(&period_text, Cutoff::Decree09)?;
    let as_of = match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => pcmd_domain::date::parse(s)?,
        None => pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn()),
    };
    let units = &state.units;
    let plan_unit = state.store.plan_unit(&key).await?;
    if plan_unit.and_then(|id| units.get(id)).is_some_and(|u| !plan_visible(&state, user.user.unit_id, u, &period)) {
        return Err(WebError::Forbidden);
    }
    let unit = match &q.unit {
        Some(code) => units.resolve_as_of(code, &period, as_of).cloned(),
        None => super::scope::default_unit(&state, user.user.unit_id, plan_unit, &period),
    }
    .ok_or(WebError::NotFound)?;
    if !in_scope(&state, &user, &unit, &period) {
        return Err(WebError::Forbidden);
    }
    let t = plan.targets.iter().find(|t| t.code == q.target).ok_or(WebError::NotFound)?;
    let typed = t.typed().ok_or(WebError::NotFound)?;
    let mut engine = Engine::new(&state.store, units);
    let role = user.user.role;
    let e = super::scope::for_user(
        &state,
        &user.user,
        unit.level,
        &engine.evaluate_target(&typed, &unit, &period, as_of).await?.pop().ok_or(WebError::NotFound)?,
    );
    let (clause, label) = pcmd_report::words::target_label(&t.code, &t.indicator, &t.text);
    // In English the catalogue's name of what is counted stands for the Vietnamese one.
    let label = match pcmd_domain::plan::indicator::find(&t.indicator) {
        Some(ind) if !vi => format!("{} – {}", t.printed_code(), ind.name_en),
        _ => label,
    };
    let mut lines = vec![
        ((if vi { "Đơn vị" } else { "Unit" }).to_string(), unit.name.clone()),
        ((if vi { "Kỳ" } else { "Period" }).to_string(), pcmd_report::words::period_words(&e.period)),
        ((if vi { "Số liệu đến ngày" } else { "Counted up to" }).to_string(), format_vn(as_of)),
        ((if vi { "Kết quả" } else { "Value" }).to_string(), if e.suppressed { "—".into() } else { value_text(&t.indicator_kind, e.value) }),
        ((if vi { "Mức giao" } else { "Threshold" }).to_string(), t.threshold_text()),
        (
            (if vi { "Đánh giá" } else { "Status" }).to_string(),
            super::dashboard::status_words(crate::i18n::Tr { lang: user.lang }, e.status).to_string(),
        ),
    ];
    if let Some(ind) = pcmd_domain::plan::indicator::find(&t.indicator) {
        if !e.suppressed {
            if let Some(n) = e.numerator {
                lines.push((if vi { pcmd_report::words::capitalise(ind.numerator_vi) } else { "Numerator".into() }, number_vn(n)));
            }
            if let Some(d) = e.denominator {
                lines.push((if vi { pcmd_report::words::capitalise(ind.denominator_vi) } else { "Denominator".into() }, number_vn(d)));
            }
        }
    }
    if let Some(note) = &e.note {
        lines.push(((if vi { "Ghi chú" } else { "Note" }).to_string(), super::words::in_language(user.lang, note)));
    }
    let parts = if e.suppressed {
        Vec::new()
    } else {
        e.parts.iter().map(|p| (p.label.to_string(), number_vn(p.numerator), p.denominator.map(number_vn).unwrap_or_default())).collect()
    };
    let (records, withheld) = if e.suppressed {
        (
            None,
            Some(
                (if vi {
                    "Số nhỏ hơn 5 được ẩn trong bản của bạn: không liệt kê bản ghi."
                } else {
                    "Counts below 5 are withheld in your copy: no records listed."
                })
                .to_string(),
            ),
        )
    } else {
        let territory = pcmd_engine::Territory::build_as_of(units, &unit, &e.period, as_of).ok();
        match super::scope::records_for_user(&state, &user.user, &t.indicator, (&e.period, as_of), territory.as_ref()).await? {
            super::scope::Behind::Persons => (
                None,
                Some(
                    (if vi {
                        "Bản ghi về cá nhân chỉ hiển thị dưới dạng số đếm."
                    } else {
                        "Records about persons are shown as counts only."
                    })
                    .to_string(),
                ),
            ),
            super::scope::Behind::NotReadable => (
                None,
                Some(
                    (if vi {
                        "Vai trò của bạn không được xem loại bản ghi này: chỉ hiển thị số liệu."
                    } else {
                        "Your role may not read records of this kind: the figures alone are shown."
                    })
                    .to_string(),
                ),
            ),
            super::scope::Behind::Listed { records: mine, outside_scope } => {
                let list = mine
                    .into_iter()
                    .map(|r| {
                        let kind = r.kind.parse::<RecordKind>().ok();
                        let href = kind.filter(|k| has_pages(*k) && role.may_read(*k)).map(|k| format!("/records/{}/{}", k.as_str(), r.id));
                        Counted {
                            what: kind.map_or_else(|| r.kind.to_string(), |k| pcmd_report::words::capitalise(k.label_vi())),
                            date: format_vn(r.date),
                            unit: units.get(r.unit_id).map(|u| u.name.clone()).unwrap_or_default(),
                            label: r.label,
                            href,
                        }
                    })
                    .collect::<Vec<_>>();
                (Some(list), (outside_scope > 0).then(|| outside_note(vi, outside_scope, &t.indicator)))
            }
        }
    };
    let back = format!(
        "/plans/{key}?{}",
        serde_urlencoded::to_string([("period", period_text.as_str()), ("unit", unit.code.as_str()), ("as_of", &format_vn(as_of))])
            .unwrap_or_default()
    );
    let total = records.as_ref().map_or(0, Vec::len);
    let page_no = q.page.unwrap_or(0).min(total.saturating_sub(1) / PAGE);
    let records = records.map(|all| all.into_iter().skip(page_no * PAGE).take(PAGE).collect::<Vec<_>>());
    let page_link = |n: usize| {
        let q = serde_urlencoded::to_string([
            ("target", q.target.as_str()),
            ("period", period_text.as_str()),
            ("unit", unit.code.as_str()),
            ("as_of", &format_vn(as_of)),
            ("page", &n.to_string()),
        ])
        .unwrap_or_default();
        format!("/plans/{key}/explain?{q}")
    };
    let page = ExplainPage {
        total,
        first: if total == 0 { 0 } else { page_no * PAGE + 1 },
        last: (page_no * PAGE + PAGE).min(total),
        previous: (page_no > 0).then(|| page_link(page_no - 1)),
        next: ((page_no + 1) * PAGE < total).then(|| page_link(page_no + 1)),
        c: Chrome::of(&user, format!("/plans/{key}/explain")),
        plan_number: plan.summary.number.clone(),
        heading: format!("{clause} – {}", label.split_once(" – ").map_or(label.as_str(), |(_, l)| l)),
        text: t.text.clone(),
        lines,
        parts,
        records,
        withheld,
        back,
    };
    Ok(Html(page.render()?))
}
