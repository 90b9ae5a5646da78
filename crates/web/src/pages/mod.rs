//! Pages: the list of plans and a plan's targets for a unit and period, with
//! drill-down to the units inside.

mod accounts;
mod agencies;
mod agenda;
mod dashboard;
mod explain;
pub(crate) mod places;
mod plan;
mod plan_new;
pub(crate) mod records;
pub(crate) mod reports;
mod reports_due;
mod scope;
mod settings;
mod target_values;
pub(crate) mod tasks;
mod unit_changes;
mod words;

pub use accounts::{
    account, change_password, create_user, end_sessions, set_password, set_password_form, totp_confirm, totp_form, user_action, users,
};
pub use agencies::{agencies, agencies_action};
pub use explain::explain;
pub use plan::{plan, plan_map_png, plan_map_svg};
pub use plan_new::{plan_confirm, plan_new, plan_upload, MAX_BODY as PLAN_UPLOAD_MAX};
pub use records::*;
pub use reports::*;
pub(crate) use scope::*;
pub use settings::*;
pub use target_values::{report_value, target_values, value_file, MAX_BODY as VALUE_UPLOAD_MAX};
pub use tasks::*;
pub use unit_changes::{record_earlier_change, record_unit_change, unit_changes};
pub(crate) use words::closed as closed_word;

use crate::auth::CurrentUser;
use crate::i18n::Tr;
use crate::query::Query;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use pcmd_domain::date::{format_instant_vn, format_vn};
use pcmd_domain::period::Period;
use pcmd_domain::units::Unit;
use pcmd_store::PlanSummary;

/// What the layout needs on every page.
pub struct Chrome {
    pub t: Tr,
    pub user_name: String,
    /// Whether the user may edit document settings (administrator, coordinator).
    pub settings: bool,
    /// Whether the menu offers the reports (a role that may read them).
    pub reports: bool,
    /// Whether the menu offers the audit log (administrator).
    pub audit: bool,
    pub role: String,
    pub csrf: String,
    /// The link that switches the language and comes back to this very view.
    pub switch_lang: String,
    pub other_lang: &'static str,
    /// The stylesheet, inline (see `STYLE`).
    pub style: &'static str,
}

impl Chrome {
    pub(crate) fn of(u: &CurrentUser, path: String) -> Chrome {
        let role =
            Tr { lang: u.lang }.try_get(&format!("role_{}", u.user.role.as_str())).map_or_else(|| u.user.role.label_vi().to_string(), str::to_string);
        let settings = matches!(u.user.role, pcmd_domain::roles::Role::Admin | pcmd_domain::roles::Role::Coordinator);
        Chrome {
            style: STYLE,
            t: Tr { lang: u.lang },
            user_name: u.user.display_name.clone(),
            role,
            csrf: u.csrf.clone(),
            switch_lang: format!(
                "/lang/{}?{}",
                u.lang.other().code(),
                serde_urlencoded::to_string([("back", if u.here.starts_with(&path) { u.here.as_str() } else { path.as_str() })]).unwrap_or_default()
            ),
            other_lang: u.lang.other().code(),
            settings,
            reports: pcmd_domain::policy::may_view_reports(u.user.role),
            audit: u.user.role == pcmd_domain::roles::Role::Admin,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    c: Chrome,
    plans: Vec<PlanSummary>,
    /// What needs the user, each a link.
    agenda: Vec<agenda::Item>,
}

impl Home {
    fn issued(&self, p: &PlanSummary) -> String {
        p.issued_on.map(format_vn).unwrap_or_default()
    }

    fn span(&self, p: &PlanSummary) -> String {
        format!("{} – {}", format_vn(p.period_from), format_vn(p.period_to))
    }
}

pub async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, WebError> {
    let plans = visible_plans(&state, &user).await?;
    let agenda = agenda::agenda(&state, &user, &plans, pcmd_domain::date::today_vn()).await?;
    Ok(Html(Home { c: Chrome::of(&user, "/".into()), plans, agenda }.render()?))
}

/// What needs `user` on `today`, as the home page lists it (and the e-mail digest sends it).
pub(crate) async fn agenda_for(
    state: &AppState,
    user: &CurrentUser,
    plans: &[PlanSummary],
    today: chrono::NaiveDate,
) -> Result<Vec<agenda::Item>, WebError> {
    agenda::agenda(state, user, plans, today).await
}

/// The plans `user` sees, those with targets first, the latest first.
pub(crate) async fn visible_plans(state: &AppState, user: &CurrentUser) -> Result<Vec<PlanSummary>, WebError> {
    // National plans for everyone; a province's or district's plans for those whose scope holds its unit.
    let mut plans = Vec::new();
    for p in state.store.plans().await? {
        let visible = match state.store.plan_unit(&p.key).await? {
            None => true,
            Some(id) => state.units.get(id).is_some_and(|u| plan_visible(state, user.user.unit_id, u, &Period::new("", p.period_from, p.period_to))),
        };
        if visible {
            plans.push(p);
        }
    }
    // The user's own territory's plans first (the national programme after them), then
    // those with targets, the latest first.
    plans.sort_by(|a, b| {
        (b.unit_code.is_some() && b.target_count > 0)
            .cmp(&(a.unit_code.is_some() && a.target_count > 0))
            .then((b.target_count > 0).cmp(&(a.target_count > 0)))
            .then(b.period_to.cmp(&a.period_to))
    });
    Ok(plans)
}

/// What a refusal of the store says, in the user's language; other errors stay errors.
/// A store error the user can act on, as a message in their language with the
/// status to answer with; any other error goes up as a fault.
pub(crate) fn refusal_with_status(e: pcmd_store::StoreError, lang: crate::i18n::Lang) -> Result<(String, axum::http::StatusCode), WebError> {
    match e.user_message() {
        Some(m) => Ok((m.text(lang == crate::i18n::Lang::Vi).to_string(), crate::error::status_of(&e))),
        None => Err(e.into()),
    }
}

/// The message of `refusal_with_status`, for pages that answer 422 whatever the kind.
pub(crate) fn refusal(e: pcmd_store::StoreError, lang: crate::i18n::Lang) -> Result<String, WebError> {
    refusal_with_status(e, lang).map(|(m, _)| m)
}

/// The stylesheet. The signed-in pages carry it inline (allowed by its hash in
/// the content security policy), so that a page is one request: on a slow
/// mobile line each further request costs a round trip of up to two seconds.
pub(crate) const STYLE: &str = include_str!("../../static/pcmd.css");

pub async fn stylesheet() -> Response {
    ([(CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    q: String,
    rows: Vec<pcmd_store::audit::AuditRow>,
    page: i64,
    more: bool,
    /// The latest alerts of unusual access to personal data.
    alerts: Vec<pcmd_store::audit::AuditRow>,
}

impl AuditPage {
    fn at(&self, r: &pcmd_store::audit::AuditRow) -> String {
        format_instant_vn(&r.at)
    }

    fn action(&self, r: &pcmd_store::audit::AuditRow) -> String {
        words::action(self.c.t, &r.action)
    }

    fn detail(&self, r: &pcmd_store::audit::AuditRow) -> String {
        words::history_detail(self.c.t.lang, &r.action, &r.detail)
    }

    fn subject(&self, r: &pcmd_store::audit::AuditRow) -> String {
        words::subject(self.c.t, &r.subject)
    }
}

#[derive(serde::Deserialize)]
pub struct AuditQuery {
    q: Option<String>,
    page: Option<i64>,
}

/// The audit log, searchable, for administrators only; the search itself is audited.
pub async fn audit(State(state): State<AppState>, user: CurrentUser, Query(query): Query<AuditQuery>) -> Result<Html<String>, WebError> {
    if user.user.role != pcmd_domain::roles::Role::Admin {
        return Err(WebError::Forbidden);
    }
    const PAGE: i64 = 50;
    let q = query.q.unwrap_or_default();
    let page = query.page.unwrap_or(0).max(0);
    let mut rows = state.store.search_audit(&q, PAGE + 1, page * PAGE).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    state.store.audit(&pcmd_store::audit::AuditEntry { actor: &user.user.username, action: "read_audit", subject: "audit_log", detail: &q }).await?;
    let alerts = state.store.search_audit("alert_unusual_access", 10, 0).await?.into_iter().filter(|r| r.action == "alert_unusual_access").collect();
    Ok(Html(AuditPage { c: Chrome::of(&user, "/audit".into()), q, rows, page, more, alerts }.render()?))
}
