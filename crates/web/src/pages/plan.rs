//! A plan's dashboard for a unit and period: its targets with the figures
//! behind them, the trend and its charts, the commune map (also as a file), the
//! way up to the province and down to the units the figures count.

use super::{dashboard, explain, places, Chrome};
use crate::auth::CurrentUser;
use crate::packed::Packed;
use crate::query::Path;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use pcmd_domain::date::format_vn;
use pcmd_domain::money::format_decimal_vn as number_vn;
use pcmd_domain::period::Period;
use pcmd_domain::units::{Level, Unit};
use pcmd_engine::Evaluation;
use pcmd_store::{PlanView, TargetView};
use std::sync::Arc;

#[derive(Template)]
#[template(path = "dashboard_children.html")]
struct ChildrenSection {
    t: crate::i18n::Tr,
    children: Vec<(places::Place, String)>,
}

#[derive(Template)]
#[template(path = "unit_datalist.html")]
struct UnitDatalist {
    choices: Vec<String>,
}

#[derive(serde::Deserialize)]
pub struct PlanQuery {
    period: Option<String>,
    unit: Option<String>,
    as_of: Option<String>,
    /// The target the map colours communes by.
    map: Option<String>,
    /// Set after a plan was saved from its draft.
    saved: Option<String>,
}

/// One row of the targets table.
pub struct Row {
    /// The records behind the figure (`/plans/{key}/explain…`).
    pub explain: String,
    pub code: String,
    pub text: String,
    pub value: String,
    pub threshold: String,
    pub status: &'static str,
    pub status_label: String,
    pub figures: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    title: String,
    /// All that is below the menu: the same for every reader of the same role, area and language.
    body: Arc<Packed>,
}

#[derive(Template)]
#[template(path = "plan_body.html")]
struct PlanBody {
    t: crate::i18n::Tr,
    plan: PlanView,
    unit: Unit,
    /// "Phường 2 — Thành phố Sóc Trăng" where the name alone repeats.
    unit_name: String,
    period: String,
    period_text: String,
    periods: Vec<(String, Vec<places::PeriodChoice>)>,
    /// The period as typed when the picker does not list it.
    period_custom: bool,
    /// The unit picker's suggestions (a datalist), kept with the unit lists.
    unit_choices: Option<Arc<Packed>>,
    as_of: String,
    /// The day as typed, and why it could not be read.
    as_of_error: Option<(String, String)>,
    /// Why the period asked for could not be read.
    period_error: Option<String>,
    rows: Vec<Row>,
    notes: Vec<String>,
    breadcrumb: Vec<(String, String)>,
    /// The units below, each a link to its own dashboard.
    children: Option<Arc<Packed>>,
    synthetic: bool,
    trend: Arc<Packed>,
    map: Option<Arc<Packed>>,
    /// Each target's key, its label and whether the map shows it.
    map_choices: Vec<(String, String, bool)>,
    map_query: String,
    may_see_tasks: bool,
    saved: bool,
    versions: Vec<pcmd_store::PlanVersionView>,
}

impl PlanBody {
    /// The link to this dashboard for another unit, same period and date.
    fn unit_href(&self, code: &str) -> String {
        unit_href(&self.plan.summary.key, code, &self.period, &self.as_of)
    }
}

fn unit_href(key: &str, code: &str, period: &str, as_of: &str) -> String {
    let q = serde_urlencoded::to_string([("unit", code), ("period", period), ("as_of", as_of)]).unwrap_or_default();
    format!("/plans/{key}?{q}")
}

/// One line of the targets table, from an evaluation already made fit for its
/// reader (`Evaluation::for_reader`): a withheld figure reads `suppressed`.
fn row(t: &TargetView, e: &Evaluation, with_period: bool, tr: crate::i18n::Tr) -> Row {
    let suppressed = tr.get("suppressed");
    let value = if e.suppressed { "—".to_string() } else { pcmd_domain::plan::indicator::value_text(&t.indicator_kind, e.value) };
    let figures = match (e.numerator, e.denominator) {
        _ if e.suppressed => suppressed.to_string(),
        // Reported, not computed: said where the counts would be.
        _ if t.is_reported() => match e.reported.as_ref().and_then(|r| r.agency.clone()) {
            Some(agency) => format!("{} ({agency})", tr.get("figures_reported")),
            None => tr.get("figures_reported").to_string(),
        },
        (Some(n), Some(d)) => format!("{} / {}", number_vn(n), number_vn(d)),
        (Some(n), None) => number_vn(n),
        _ => String::new(),
    };
    let mut text = t.text.clone();
    if let Some(s) = &e.secondary {
        let words = if tr.lang == crate::i18n::Lang::Vi { &s.label_vi } else { &s.label_en };
        text = format!("{text} — {words}: {} / {}", number_vn(s.numerator), number_vn(s.denominator));
    }
    let status_label = dashboard::status_words(tr, e.status);
    let status_label = if e.exceeded { format!("{status_label} ({})", tr.get("exceeded")) } else { status_label.to_string() };
    Row {
        explain: String::new(),
        code: if with_period { format!("{} ({})", t.printed_code(), e.period.label) } else { t.printed_code().to_string() },
        text,
        value,
        threshold: t.threshold_text(),
        status: e.status.as_str(),
        status_label,
        figures,
    }
}

/// What a dashboard shows: the plan, the unit, the period and the day the figures stand on.
struct View {
    plan: PlanView,
    unit: Unit,
    period_text: String,
    period: Period,
    as_of: NaiveDate,
    /// Where the way up ends: the plan's unit (or the user's own), unless it is the unit shown.
    top: Option<Unit>,
    /// Why the day typed could not be read.
    as_of_error: Option<pcmd_domain::Msg>,
    /// Why the period asked for could not be read.
    period_error: Option<pcmd_domain::Msg>,
}

async fn view(state: &AppState, user: &CurrentUser, version: crate::cache::Version, key: &str, q: &PlanQuery) -> Result<View, WebError> {
    let cached = crate::cache::plan(state, version, key).await.map_err(|_| WebError::NotFound)?;
    let plan = cached.view.clone();
    let default_period = plan.summary.period_to.format("%Y").to_string();
    let period_text = q.period.clone().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| default_period.clone());
    // A period that cannot be read is said beside the picker; the plan's last year is shown meanwhile.
    let (period_text, period, period_error) = match places::period(&period_text) {
        Ok(p) => (period_text, p, None),
        Err(m) => (default_period.clone(), places::period(&default_period)?, Some(m)),
    };
    // A day that cannot be read is said beside its field, and the figures stand on the default day meanwhile.
    let default_day = pcmd_engine::default_as_of(&period, pcmd_domain::date::today_vn());
    let (as_of, as_of_error) = match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => match pcmd_domain::date::parse(s) {
            Ok(d) => (d, None),
            Err(m) => (default_day, Some(m)),
        },
        None => (default_day, None),
    };
    let units = &state.units;
    let plan_unit = cached.unit_id;
    if plan_unit.and_then(|id| units.get(id)).is_some_and(|u| !super::plan_visible(state, user.user.unit_id, u, &period)) {
        return Err(WebError::Forbidden);
    }
    // A code is read on the as-of day when the period reaches past 1 July 2025 and that day is before it.
    let known = pcmd_domain::units::territory::known_window(&period, as_of);
    let unit = match q.unit.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(text) => places::pick(units, text, known.as_ref().unwrap_or(&period), &state.scope(user.user.unit_id)).cloned().ok_or_else(|| {
            WebError::bad_request(
                format!(
                    "Không tìm thấy đơn vị «{text}» trong kỳ này, hoặc có nhiều đơn vị cùng tên: hãy chọn trong danh sách gợi ý hoặc nhập mã đơn vị."
                ),
                format!("No unit «{text}» in this period, or several share that name: choose one from the suggestions or type its code."),
            )
        })?,
        None => super::default_unit(state, user.user.unit_id, plan_unit, &period).ok_or(WebError::NotFound)?,
    };
    if !super::in_scope(state, user, &unit, &period) {
        return Err(WebError::Forbidden);
    }
    let top = super::default_unit(state, user.user.unit_id, plan_unit, &period).filter(|t| t.id != unit.id);
    Ok(View { plan, unit, period_text, period, as_of, top, as_of_error, period_error })
}

/// The unit's name as a dashboard heads it: an old commune's with its district ("Phường 1" is in three of them).
fn heading_name(units: &pcmd_domain::units::UnitIndex, unit: &Unit) -> String {
    if unit.level == Level::Commune && unit.valid_from < pcmd_domain::units::REFORM_DAY {
        places::qualified(units, unit)
    } else {
        unit.name.clone()
    }
}

pub async fn plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, WebError> {
    // The data version was read with the session, in the same statement.
    let version = crate::cache::version_seen(&state, user.seen_version).await?;
    let view = view(&state, &user, version, &key, &q).await?;
    let faulty = view.as_of_error.is_some() || view.period_error.is_some();
    let title = format!("{} — {}", view.plan.summary.number, heading_name(&state.units, &view.unit));
    let unit_id = view.unit.id;
    // Kept: the views the page's own choices lead to (a listed period, the default day). A page
    // that says what could not be read, or a day or period typed by hand, is made for this request
    // alone (from kept figures): any text typed would otherwise make a new kept page.
    let listed = places::period_choices(view.plan.summary.period_from.year(), view.plan.summary.period_to.year(), user.lang == crate::i18n::Lang::Vi);
    let typed_day = q.as_of.as_deref().is_some_and(|d| !d.trim().is_empty());
    let body = if faulty || typed_day || !places::is_listed(&listed, &view.period_text) {
        Box::pin(body(&state, &user, version, &key, &q, view)).await?
    } else {
        // Kept with the unit's figures: what it depends on besides them is all in its name.
        let map = q.map.as_deref().and_then(|c| view.plan.targets.iter().position(|t| t.code == c)).unwrap_or(0);
        let what = format!(
            "page|{key}|{:?}|{}|{}|{}|{}|{map}|{}",
            user.user.unit_id,
            user.user.role,
            user.lang.code(),
            view.period_text,
            view.as_of,
            q.saved.is_some()
        );
        // On the heap: the body's future is large (it awaits the trend, the map and the figures).
        let made = Box::pin(body(&state, &user, version, &key, &q, view));
        (*crate::cache::fragment(&state, version, what, unit_id, made).await?).clone()
    };
    let status = if faulty { axum::http::StatusCode::BAD_REQUEST } else { axum::http::StatusCode::OK };
    let page = PlanPage { c: Chrome::of(&user, format!("/plans/{key}")), title, body: body.clone() };
    Ok((status, axum::Extension(crate::packed::Parts(vec![body])), Html(page.render()?)).into_response())
}

/// A dashboard below its menu, packed with the parts it is made of.
async fn body(
    state: &AppState,
    user: &CurrentUser,
    version: crate::cache::Version,
    key: &str,
    q: &PlanQuery,
    view: View,
) -> Result<Arc<Packed>, pcmd_store::StoreError> {
    let View { plan, unit, period_text, period, as_of, top, as_of_error, period_error } = view;
    let units = &state.units;
    let tr = crate::i18n::Tr { lang: user.lang };
    // Each figure as this reader may see it: a supervisor's view of a commune
    // holds no count below 5, so that nobody can be singled out.
    let role = user.user.role;
    let evaluations: Vec<Evaluation> = crate::cache::evaluations(state, version, &plan, &unit, &period, as_of)
        .await?
        .iter()
        .map(|e| super::scope::for_user(state, &user.user, unit.level, e))
        .collect();
    let mut rows = Vec::new();
    let mut notes: Vec<(Vec<String>, String)> = Vec::new();
    let as_of_text = format_vn(as_of);
    for e in evaluations.iter() {
        let Some(t) = plan.targets.iter().find(|t| t.code == e.target) else { continue };
        // Each part of a note once, after every target it is said of: the reform's note,
        // shared by most targets of a year across it, is read once.
        if let Some(n) = &e.note {
            // The target's own code: "đ" would not say which of đ.province and đ.local.
            let code = t.code.clone();
            for part in super::words::in_language(user.lang, n).split(" — ") {
                match notes.iter_mut().find(|(_, p)| p == part) {
                    Some((codes, _)) if codes.contains(&code) => {}
                    Some((codes, _)) => codes.push(code.clone()),
                    None => notes.push((vec![code.clone()], part.to_string())),
                }
            }
        }
        let mut r = row(t, e, evaluations.len() > plan.targets.len(), tr);
        // A year of a target judged year by year opens on that year.
        let judged = if evaluations.len() > plan.targets.len() { e.period.label.clone() } else { period_text.clone() };
        r.explain = if t.is_reported() {
            format!("/plans/{key}/targets/{}/values", t.code)
        } else {
            explain::href(key, &t.code, &judged, &unit.code, &as_of_text)
        };
        rows.push(r);
    }
    // Drill-down: the items the figures count, made from the unit lists alone (kept until they change).
    let lang = user.lang.code();
    // Its links lead to this plan's dashboards: kept by plan, as the links are.
    let plan_key = plan.summary.key.clone();
    let what = format!("children|{plan_key}|{}|{period_text}|{as_of_text}|{lang}", unit.id);
    let made = async {
        let children: Vec<(places::Place, String)> = places::drill_down(units, &unit, &period, as_of)
            .into_iter()
            .map(|p| {
                let href = unit_href(&plan_key, &p.code, &period_text, &as_of_text);
                (p, href)
            })
            .collect();
        if children.is_empty() {
            Ok(None)
        } else {
            crate::packed::render(&ChildrenSection { t: tr, children }).map(Some)
        }
    };
    let children = (*crate::cache::fragment(state, version, what, crate::cache::STATIC, made).await?).clone();
    let scope = state.scope(user.user.unit_id);
    // The way up: the units above in the user's scope; after the reform a new commune's
    // province may lie outside it, and the way up is then the plan's own unit.
    let mut breadcrumb = places::ancestors(units, &unit, |u| scope.contains(&u.id));
    if let Some(top) = top.filter(|t| breadcrumb.is_empty() && unit.level != Level::Province && scope.contains(&t.id)) {
        breadcrumb.push((top.code.clone(), top.name.clone()));
    }
    let unit_name = heading_name(units, &unit);
    let synthetic = crate::cache::synthetic(state, version).await?;
    // The trend and the map are kept with the figures they show, for every reader of the same role and language.
    let reporting = period.is_reporting();
    let what = format!("trend|{key}|{as_of}|{reporting}|{role}|{lang}");
    let made = async {
        let (periods, rows) = dashboard::trend(state, version, &plan, &unit, (as_of, reporting), role, tr).await?;
        dashboard::trend_part(tr, &periods, &rows)
    };
    let trend = (*crate::cache::fragment(state, version, what, unit.id, made).await?).clone();
    let map_index = q.map.as_deref().and_then(|c| plan.targets.iter().position(|t| t.code == c)).unwrap_or(0);
    let period_q = period_text.clone();
    let href = |code: &str| unit_href(&plan_key, code, &period_q, &as_of_text);
    let what = format!("map|{key}|{period_text}|{as_of}|{role}|{lang}|{map_index}");
    let made = async {
        match dashboard::commune_map(state, version, &plan, map_index, &unit, &period, as_of, role, tr, href).await? {
            Some(m) => dashboard::map_part(tr, &m).map(Some),
            None => Ok(None),
        }
    };
    let map = (*crate::cache::fragment(state, version, what, unit.id, made).await?).clone();
    let map_choices = plan.targets.iter().enumerate().map(|(i, t)| (t.code.clone(), t.short_label(60), i == map_index)).collect();
    let map_query = serde_urlencoded::to_string([
        ("unit", unit.code.as_str()),
        ("period", period_text.as_str()),
        ("as_of", as_of_text.as_str()),
        ("map", plan.targets.get(map_index).map_or("", |t| t.code.as_str())),
    ])
    .unwrap_or_default();
    let periods = places::period_choices(plan.summary.period_from.year(), plan.summary.period_to.year(), user.lang == crate::i18n::Lang::Vi);
    let period_custom = !places::is_listed(&periods, &period_text);
    let what = format!("unit_choices|{}|{}|{}", user.user.unit_id, period.from, period.to);
    let made = async {
        let choices = places::unit_choices(units, &scope, &period);
        if choices.is_empty() {
            Ok(None)
        } else {
            crate::packed::render(&UnitDatalist { choices }).map(Some)
        }
    };
    let unit_choices = (*crate::cache::fragment(state, version, what, crate::cache::STATIC, made).await?).clone();
    let may_see_tasks = pcmd_domain::policy::may_see_tasks(user.user.role);
    let parts: Vec<Arc<Packed>> = [Some(trend.clone()), map.clone(), children.clone(), unit_choices.clone()].into_iter().flatten().collect();
    let page = PlanBody {
        t: tr,
        trend,
        map,
        map_choices,
        map_query,
        may_see_tasks,
        saved: q.saved.is_some(),
        versions: state.store.plan_versions(key).await?,
        period_text: period.to_string(),
        period: period_text,
        periods,
        period_custom,
        unit_choices,
        period_error: period_error.map(|m| m.text(user.lang == crate::i18n::Lang::Vi).to_string()),
        as_of_error: as_of_error.map(|m| (q.as_of.clone().unwrap_or_default(), m.text(user.lang == crate::i18n::Lang::Vi).to_string())),
        as_of: as_of_text,
        plan,
        unit_name,
        unit,
        rows,
        notes: notes.into_iter().map(|(codes, part)| format!("{}: {part}", codes.join(", "))).collect(),
        breadcrumb,
        children,
        synthetic,
    };
    crate::packed::render_with(&page, &parts)
}

/// The commune map alone, as an SVG or PNG file to keep or put in a document.
pub async fn plan_map_svg(state: State<AppState>, user: CurrentUser, key: Path<String>, q: Query<PlanQuery>) -> Result<Response, WebError> {
    plan_map(state, user, key, q, MapFormat::Svg).await
}

pub async fn plan_map_png(state: State<AppState>, user: CurrentUser, key: Path<String>, q: Query<PlanQuery>) -> Result<Response, WebError> {
    plan_map(state, user, key, q, MapFormat::Png).await
}

enum MapFormat {
    Svg,
    Png,
}

async fn plan_map(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(key): Path<String>,
    Query(q): Query<PlanQuery>,
    format: MapFormat,
) -> Result<Response, WebError> {
    // The data version was read with the session, in the same statement.
    let version = crate::cache::version_seen(&state, user.seen_version).await?;
    let View { plan, unit, period_text, period, as_of, as_of_error, period_error, .. } = view(&state, &user, version, &key, &q).await?;
    if let Some(m) = period_error.or(as_of_error) {
        return Err(WebError::BadRequest(m));
    }
    let tr = crate::i18n::Tr { lang: user.lang };
    let index = q.map.as_deref().and_then(|c| plan.targets.iter().position(|t| t.code == c)).unwrap_or(0);
    let as_of_text = format_vn(as_of);
    let href = |code: &str| unit_href(&plan.summary.key, code, &period_text, &as_of_text);
    let map =
        dashboard::commune_map(&state, version, &plan, index, &unit, &period, as_of, user.user.role, tr, href).await?.ok_or(WebError::NotFound)?;
    let stem = format!("ban-do-{}-{}-{}", map.target, unit.code, period_text).replace(|c: char| !(c.is_ascii_alphanumeric() || c == '-'), "-");
    let (kind, body, ext) = match format {
        MapFormat::Svg => ("image/svg+xml; charset=utf-8", format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}", map.svg).into_bytes(), "svg"),
        MapFormat::Png => ("image/png", crate::charts::png(&map.svg).map_err(WebError::Internal)?, "png"),
    };
    Ok(([(CONTENT_TYPE, kind.to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{stem}.{ext}\""))], body).into_response())
}
