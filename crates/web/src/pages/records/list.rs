//! A kind's list of records: filtered by unit, period and status, searched by
//! words, sorted by any column (Vietnamese order for text), paged, and taken
//! away as an XLSX workbook of exactly what the filters show (no personal data:
//! sealed fields are never among a list's columns).

use super::fields::{label, shown};
use super::{allowed, chosen_units, kind_label, kind_of, status_label, statuses, tip_overdue, unit_choices, PAGE};
use crate::auth::CurrentUser;
use crate::i18n::{Lang, Tr};
use crate::pages::Chrome;
use crate::query::Path;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::records::form::{Input, RecordKind};
use pcmd_store::records::read::{list_keys, ListFilter};

#[derive(serde::Deserialize, Default)]
pub struct ListQuery {
    unit: Option<String>,
    period: Option<String>,
    status: Option<String>,
    /// Words to find in the rows.
    q: Option<String>,
    /// The column key to sort by, and `desc` for the largest first.
    sort: Option<String>,
    dir: Option<String>,
    page: Option<i64>,
    /// Rows just imported from a file, said once.
    imported: Option<usize>,
}

/// One column head: its words, the link that sorts by it, and how it is sorted now.
pub struct Head {
    /// The column's key, for the sort picker.
    pub key: &'static str,
    pub label: String,
    pub href: String,
    /// `ascending`, `descending` or `none` (for aria-sort).
    pub sorted: &'static str,
}

/// A record's line: its id, each cell with its column's words (for phones), and whether it is overdue.
type ListRow = (i64, Vec<(String, String)>, bool);

#[derive(Template)]
#[template(path = "records_list.html")]
struct ListPage {
    c: Chrome,
    imported: Option<usize>,
    kind: String,
    title: String,
    heads: Vec<Head>,
    rows: Vec<ListRow>,
    total: String,
    unit: String,
    period: String,
    status: String,
    search: String,
    statuses: Vec<(String, String)>,
    /// The label of that filter: the field it picks by.
    status_label: String,
    page: i64,
    more: bool,
    can_write: bool,
    /// The filters, search and sort as a query string, for paging and export.
    query: String,
    units_list: Vec<(String, String)>,
    /// For tips: how they were handled (counts, time to handle, overdue).
    summary: Option<String>,
    /// The sort as the picker shows it: "held_on:desc", or empty for the default.
    sort: String,
    /// The periods offered, by year, the latest first.
    periods: Vec<(String, Vec<crate::pages::places::PeriodChoice>)>,
    /// The period asked for is not among them (kept as typed).
    period_custom: bool,
}

/// Each year from 2018 (Decree 09's reporting periods begin) to this one, the latest
/// first, with its halves, quarters and months.
fn period_choices(lang: Lang) -> Vec<(String, Vec<crate::pages::places::PeriodChoice>)> {
    use chrono::Datelike;
    let this = pcmd_domain::date::today_vn().year();
    (2018..=this).rev().flat_map(|y| crate::pages::places::period_choices(y, y, lang == Lang::Vi)).collect()
}

/// The columns a list shows: long texts and the legal basis stay on the record's page.
fn columns(kind: RecordKind) -> Vec<&'static str> {
    list_keys(kind).into_iter().filter(|k| !matches!(*k, "rule_code" | "outcome" | "findings" | "address")).collect()
}

/// The filter a query asks for, within the user's scope.
fn filter_of(state: &AppState, user: &CurrentUser, kind: RecordKind, q: &ListQuery, offset: i64, limit: i64) -> Result<ListFilter, WebError> {
    let scope = state.scope(user.user.unit_id);
    let units = chosen_units(state, &scope, q.unit.as_deref())?;
    let period = match q.period.as_deref().map(str::trim).unwrap_or_default() {
        "" => None,
        p => Some(Period::parse(p, Cutoff::Decree09)?),
    };
    // From a column head (?sort=held_on&dir=desc) or the phone's picker (?sort=held_on:desc).
    let (key, dir) = match q.sort.as_deref().and_then(|s| s.split_once(':')) {
        Some((k, d)) => (Some(k), Some(d)),
        None => (q.sort.as_deref(), q.dir.as_deref()),
    };
    let sort = key.filter(|k| columns(kind).contains(k)).map(|k| (k.to_string(), dir == Some("desc")));
    Ok(ListFilter {
        units,
        from: period.as_ref().map(|p| p.from),
        to: period.as_ref().map(|p| p.to),
        status: q.status.clone().filter(|s| !s.is_empty()),
        today: Some(pcmd_domain::date::today_vn()),
        search: q.q.clone().filter(|s| !s.trim().is_empty()),
        sort,
        offset,
        limit,
    })
}

fn query_string(q: &ListQuery, sort: Option<(&str, &str)>) -> String {
    let (sort, dir) = sort.unwrap_or((q.sort.as_deref().unwrap_or_default(), q.dir.as_deref().unwrap_or_default()));
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    serde_urlencoded::to_string([
        ("unit", o(&q.unit)),
        ("period", o(&q.period)),
        ("status", o(&q.status)),
        ("q", o(&q.q)),
        ("sort", sort.to_string()),
        ("dir", dir.to_string()),
    ])
    .unwrap_or_default()
}

pub async fn records_list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, WebError> {
    let kind = kind_of(&kind)?;
    let role = allowed(&user, kind, false)?;
    let page = q.page.unwrap_or(0).max(0);
    let filter = filter_of(&state, &user, kind, &q, page * PAGE, PAGE)?;
    let (items, total) = state.store.list_records(kind, &filter).await?;
    let summary = if kind == RecordKind::Tip { Some(tip_summary(&state, &filter, user.lang).await?) } else { None };
    let keys = columns(kind);
    let heads = keys
        .iter()
        .map(|k| {
            let now = filter.sort.as_ref().filter(|(s, _)| s == k).map(|(_, desc)| *desc);
            // A second click on the sorted column turns the order round.
            let dir = if now == Some(false) { "desc" } else { "asc" };
            Head {
                key: k,
                label: label(kind, k, user.lang),
                href: format!("/records/{kind}?{}", query_string(&q, Some((k, dir)))),
                sorted: match now {
                    Some(true) => "descending",
                    Some(false) => "ascending",
                    None => "none",
                },
            }
        })
        .collect();
    let today = pcmd_domain::date::today_vn();
    let rows = items
        .iter()
        .map(|i| {
            let cells = keys.iter().map(|k| (label(kind, k, user.lang), shown(kind, k, i.get(k), &state.units, user.lang))).collect();
            (i.id, cells, kind == RecordKind::Tip && tip_overdue(i, today))
        })
        .collect();
    let scope = state.scope(user.user.unit_id);
    let periods = period_choices(user.lang);
    let page_data = ListPage {
        imported: q.imported,
        c: Chrome::of(&user, format!("/records/{kind}")),
        kind: kind.as_str().into(),
        title: kind_label(kind, user.lang),
        heads,
        rows,
        total: pcmd_domain::money::format_vnd(total),
        search: q.q.clone().unwrap_or_default(),
        period_custom: q.period.as_deref().is_some_and(|p| !p.is_empty() && !crate::pages::places::is_listed(&periods, p)),
        periods,
        sort: filter.sort.as_ref().map(|(k, desc)| format!("{k}:{}", if *desc { "desc" } else { "asc" })).unwrap_or_default(),
        query: query_string(&q, None),
        unit: q.unit.unwrap_or_default(),
        period: q.period.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        statuses: statuses(kind, user.lang),
        status_label: status_label(kind, user.lang),
        more: (page + 1) * PAGE < total,
        page,
        can_write: role.may_write(kind),
        units_list: unit_choices(&state, &scope),
        summary,
    };
    Ok(Html(page_data.render()?))
}

/// The list as the filters, search and sort show it, every page of it, as an XLSX
/// workbook: dates as dates, numbers as numbers, codes in words, and above the
/// table what was asked (unit, period, status, words) and when.
pub async fn records_export(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, false)?;
    let filter = filter_of(&state, &user, kind, &q, 0, i64::MAX)?;
    let (items, total) = state.store.list_records(kind, &filter).await?;
    let keys = columns(kind);
    let t = Tr { lang: user.lang };
    let mut headers = vec!["#".to_string()];
    headers.extend(keys.iter().map(|k| label(kind, k, user.lang)));
    let kinds: Vec<Input> = keys.iter().map(|k| kind.input(k)).collect();
    let numeric = kinds.iter().enumerate().filter(|(_, i)| matches!(i, Input::Number)).map(|(c, _)| c + 1).collect();
    let dates = keys.iter().zip(&kinds).enumerate().filter(|(_, (k, i))| matches!(i, Input::Date) || **k == "deadline").map(|(c, _)| c + 1).collect();
    let rows = items
        .iter()
        .map(|i| {
            let mut row = vec![i.id.to_string()];
            row.extend(keys.iter().map(|k| {
                let v = shown(kind, k, i.get(k), &state.units, user.lang);
                // Money is written "1.234.000 đồng" on pages; the workbook holds the number.
                v.strip_suffix(" đồng").map_or(v.clone(), str::to_string)
            }));
            row
        })
        .collect();
    let title = kind_label(kind, user.lang);
    let table =
        pcmd_report::model::Table { key: "records", title: title.clone(), headers, rows, numeric, dates, count_word: String::new(), withheld: None };
    let now = pcmd_domain::date::now_vn();
    let heading = vec![
        (title.clone(), String::new()),
        (t.get("unit").to_string(), q.unit.clone().filter(|u| !u.is_empty()).unwrap_or_else(|| t.get("all_in_scope").to_string())),
        (t.get("evaluate_period").to_string(), q.period.clone().unwrap_or_default()),
        (status_label(kind, user.lang), q.status.clone().unwrap_or_default()),
        (t.get("search").to_string(), q.q.clone().unwrap_or_default()),
        (t.get("total").to_string(), pcmd_domain::money::format_vnd(total)),
        (t.get("exported_at").to_string(), format!("{} {}", pcmd_domain::date::format_vn(now.date()), now.format("%H:%M"))),
        (t.get("exported_by").to_string(), user.user.display_name.clone()),
    ];
    let bytes = pcmd_report::xlsx::write_list(&heading, &title, &table).map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("{}-{}.xlsx", kind.as_str(), now.format("%Y%m%d"));
    Ok((
        [
            (CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

/// One line on how the listed unit's tips were handled in the period.
async fn tip_summary(state: &AppState, f: &ListFilter, lang: Lang) -> Result<String, WebError> {
    let facts = state.store.tip_handling(&f.units, f.from, f.to).await?;
    let s = pcmd_domain::records::tip_stats(&facts, pcmd_domain::date::today_vn());
    let n = |v: f64| pcmd_domain::money::format_decimal_vn(v);
    let days = match (s.median_days, s.p90_days) {
        (Some(m), Some(p)) if lang == Lang::Vi => format!("; thời gian giải quyết: trung vị {} ngày, 90% trong {} ngày", n(m), p),
        (Some(m), Some(p)) => format!("; time to settle: median {} days, 90% within {} days", n(m), p),
        _ => String::new(),
    };
    Ok(match lang {
        Lang::Vi => format!("{} tin; đã giải quyết {} ({} quá hạn){days}; đang quá hạn {}", s.total, s.closed, s.closed_late, s.overdue),
        Lang::En => format!("{} tips; settled {} ({} late){days}; overdue now {}", s.total, s.closed, s.closed_late, s.overdue),
    })
}
