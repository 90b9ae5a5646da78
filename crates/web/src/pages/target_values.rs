//! Targets no indicator computes (chỉ tiêu do cơ quan báo cáo): the values
//! reported for the plan's unit, period by period, each with its evidence (a
//! text and a file), and the form with which the agency responsible — or a
//! coordinator of the plan — reports a new one. `/plans/{key}/targets/{code}/values`.

use super::Chrome;
use crate::auth::{constant_time_eq, CurrentUser};
use crate::i18n::Lang;
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use pcmd_domain::date::format_vn;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::roles::Role;
use pcmd_store::target_values::{NewReportedValue, EVIDENCE_MAX};
use pcmd_store::{PlanView, TargetView};

/// The largest request: the evidence file and the form's fields.
pub const MAX_BODY: usize = EVIDENCE_MAX + 64 * 1024;

pub struct ValueRow {
    pub period: String,
    pub value: String,
    pub evidence: String,
    pub file: Option<(i64, String)>,
    pub by: String,
    pub at: String,
    /// A later value for the same period stands in for this one.
    pub replaced: bool,
}

#[derive(Template)]
#[template(path = "target_values.html")]
struct ValuesPage {
    c: Chrome,
    key: String,
    number: String,
    code: String,
    text: String,
    threshold: String,
    measure: String,
    reporter: String,
    unit_name: String,
    rows: Vec<ValueRow>,
    may_report: bool,
    periods: Vec<(String, String)>,
    error: Option<String>,
    typed: (String, String, String),
}

/// The plan, the target (a reported one) and the plan's unit, if the user may see the plan.
async fn target_of(state: &AppState, user: &CurrentUser, key: &str, code: &str) -> Result<(PlanView, TargetView, i64), WebError> {
    if !matches!(user.user.role, Role::Coordinator | Role::Officer | Role::Supervisor) {
        return Err(WebError::Forbidden);
    }
    let plan = state.store.plan(key).await.map_err(|_| WebError::NotFound)?;
    let unit = state.store.plan_unit(&plan.summary.key).await?.ok_or(WebError::NotFound)?;
    let period = Period::new("", plan.summary.period_from, plan.summary.period_to);
    let u = state.units.get(unit).ok_or(WebError::NotFound)?;
    if !super::plan_visible(state, user.user.unit_id, u, &period) {
        return Err(WebError::Forbidden);
    }
    let t = plan.targets.iter().find(|t| t.code == code && t.is_reported()).cloned().ok_or(WebError::NotFound)?;
    Ok((plan, t, unit))
}

/// Who reports a value: an officer of the agency the target names, or a
/// coordinator whose territory holds the plan's unit.
async fn may_report(state: &AppState, user: &CurrentUser, t: &TargetView, plan_unit: i64) -> Result<bool, WebError> {
    Ok(match user.user.role {
        Role::Coordinator => state.scope(user.user.unit_id).contains(&plan_unit),
        Role::Officer => match (&t.reporter, user.user.agency_id) {
            (Some(code), Some(mine)) => state.store.agency_id_of(code).await? == Some(mine),
            _ => false,
        },
        _ => false,
    })
}

/// The periods a value may be reported for: for each year of the target, its
/// first six months and the year, on Decree 09's cut-offs.
fn periods(t: &TargetView, lang: Lang) -> Vec<(String, String)> {
    let vi = lang == Lang::Vi;
    (t.period_from.year()..=t.period_to.year())
        .flat_map(|y| {
            [
                (format!("{y}-H1"), if vi { format!("6 tháng đầu năm {y}") } else { format!("First half of {y}") }),
                (format!("{y}-Y"), if vi { format!("Năm {y}") } else { format!("Year {y}") }),
            ]
        })
        .collect()
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    key: &str,
    code: &str,
    error: Option<String>,
    typed: (String, String, String),
    status: StatusCode,
) -> Result<Response, WebError> {
    let (plan, t, unit) = target_of(state, user, key, code).await?;
    let values = state.store.reported_values(&plan.summary.key, &t.code, unit).await?;
    let kind = t.indicator_kind.clone();
    let rows = values
        .iter()
        .map(|v| ValueRow {
            period: format!("{} ({} – {})", v.period.label, format_vn(v.period.from), format_vn(v.period.to)),
            value: pcmd_domain::plan::indicator::value_text(&kind, Some(v.value)),
            evidence: v.evidence.clone(),
            file: v.file_name.clone().map(|n| (v.id, n)),
            by: v.agency.clone().map_or_else(|| v.entered_by.clone(), |a| format!("{a} ({})", v.entered_by)),
            at: pcmd_domain::date::format_instant_vn(&v.entered_at),
            replaced: values.iter().any(|o| o.id > v.id && o.period.from == v.period.from && o.period.to == v.period.to),
        })
        .collect();
    let tr = crate::i18n::Tr { lang: user.lang };
    let page = ValuesPage {
        c: Chrome::of(user, format!("/plans/{key}/targets/{code}/values")),
        key: plan.summary.key.clone(),
        number: plan.summary.number.clone(),
        code: t.printed_code().to_string(),
        text: t.text.clone(),
        threshold: t.threshold_text(),
        measure: tr.get(&format!("measure_{kind}")).to_string(),
        reporter: t.reporter_name.clone().unwrap_or_else(|| tr.get("values_reporter_coordinators").to_string()),
        unit_name: state.units.get(unit).map(|u| u.name.clone()).unwrap_or_default(),
        rows,
        may_report: may_report(state, user, &t, unit).await?,
        periods: periods(&t, user.lang),
        error,
        typed,
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn target_values(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    page(&state, &user, &key, &code, None, Default::default(), StatusCode::OK).await
}

/// A new value with its evidence (multipart: csrf, period, value, evidence, file).
pub async fn report_value(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((key, code)): Path<(String, String)>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let (mut csrf, mut period, mut value, mut evidence) = (String::new(), String::new(), String::new(), String::new());
    let mut file: Option<(String, String, Vec<u8>)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(WebError::bad_request("tệp gửi lên không đọc được hoặc quá 5 MB", "the upload cannot be read or is over 5 MB")),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("period") => period = field.text().await.unwrap_or_default(),
            Some("value") => value = field.text().await.unwrap_or_default(),
            Some("evidence") => evidence = field.text().await.unwrap_or_default(),
            Some("file") => {
                let name = field.file_name().map(str::to_string).unwrap_or_default();
                let kind = field.content_type().map(str::to_string).unwrap_or_else(|| "application/octet-stream".into());
                let bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                if !bytes.is_empty() {
                    file = Some((name, kind, bytes));
                }
            }
            _ => {}
        }
    }
    if !constant_time_eq(&csrf, &user.csrf) {
        return Err(WebError::Refused(
            StatusCode::FORBIDDEN,
            pcmd_domain::Msg::new("biểu mẫu đã hết hạn: hãy tải lại trang rồi gửi lại", "the form has expired: reload the page and send it again"),
        ));
    }
    let (plan, t, unit) = target_of(&state, &user, &key, &code).await?;
    if !may_report(&state, &user, &t, unit).await? {
        return Err(WebError::Forbidden);
    }
    let typed = (period.clone(), value.clone(), evidence.clone());
    let refuse = |vi: &str, en: &str| Some(if user.lang == Lang::Vi { vi.to_string() } else { en.to_string() });
    let parsed_period = Period::parse(&period, Cutoff::Decree09).ok().filter(|_| periods(&t, user.lang).iter().any(|(p, _)| *p == period));
    let parsed_value = pcmd_domain::money::parse_decimal_vn(value.trim());
    let error = match (&parsed_period, parsed_value) {
        (None, _) => refuse("hãy chọn kỳ báo cáo", "choose the period"),
        (_, None) => refuse("giá trị phải là một số (ví dụ 85 hoặc 85,5)", "the value must be a number (e.g. 85 or 85.5)"),
        _ => None,
    };
    if let (None, Some(p), Some(v)) = (&error, &parsed_period, parsed_value) {
        let agency = user.user.agency_id;
        let new = NewReportedValue {
            plan_key: &plan.summary.key,
            target_code: &t.code,
            unit_id: unit,
            period: p,
            value: v,
            evidence: &evidence,
            file: file.as_ref().map(|(n, k, b)| (n.as_str(), k.as_str(), b.as_slice())),
            agency_id: agency,
        };
        match state.store.add_reported_value(&new, &state.units, &user.user.username).await {
            Ok(_) => return Ok(Redirect::to(&format!("/plans/{key}/targets/{code}/values")).into_response()),
            Err(e) => {
                let msg = super::refusal(e, user.lang)?;
                return page(&state, &user, &key, &code, Some(msg), typed, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    }
    page(&state, &user, &key, &code, error, typed, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The evidence file of a value, to those who may see the plan.
pub async fn value_file(State(state): State<AppState>, user: CurrentUser, Path((key, id)): Path<(String, i64)>) -> Result<Response, WebError> {
    let f = state.store.reported_value_file(id).await?.ok_or(WebError::NotFound)?;
    if f.plan_key != key {
        return Err(WebError::NotFound);
    }
    target_of(&state, &user, &key, &f.target_code).await?;
    let safe: String = f.name.chars().filter(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_')).collect();
    let kind = if f.content_type.is_empty() { "application/octet-stream".to_string() } else { f.content_type.clone() };
    // Served as a download, never rendered in the page's origin.
    Ok((
        [
            (CONTENT_TYPE, kind),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", if safe.is_empty() { "minh-chung".into() } else { safe })),
        ],
        f.bytes,
    )
        .into_response())
}
