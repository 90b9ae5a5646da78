//! Records: for every kind a list (filtered by unit, period and status, in
//! Vietnamese order, paged), a form with field-level errors, and a detail view
//! with its history. Role and scope are checked on every request; a write
//! whose unit falls outside the user's scope is rolled back.

mod fields;
mod import;
mod import_jobs;
mod list;
mod referrals;
mod rights;
mod thread;

pub use import::{
    import_form, import_upload, template as import_template, MAX_BODY as IMPORT_MAX_BODY, MAX_FILE as IMPORT_MAX_FILE, MAX_ROWS as IMPORT_MAX_ROWS,
};
pub use import_jobs::{job as import_job, Jobs as ImportJobs};
pub use list::{records_export, records_list};
pub use referrals::referral_action;
pub use rights::{case_export, case_rights_action};
pub use thread::{tip_file, tip_reply};

use super::Chrome;
use crate::auth::{CurrentUser, Posted};
use crate::i18n::{Lang, Tr};
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use fields::{form_fields, form_values, label, shown, Field};

use pcmd_domain::records::form::{parse_row, RecordKind, Row};
use pcmd_domain::records::{NewRecord, RecordSource};
use pcmd_domain::roles::Role;
use pcmd_domain::units::{Level, LAST_DAY_BEFORE_REFORM};
use pcmd_store::records::read::{has_pages, record_unit, HistoryLine, ListFilter, RecordItem};
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::StoreError;
use std::collections::{HashMap, HashSet};

const PAGE: i64 = 50;

/// A field's label in the user's language.
pub(crate) fn field_label(kind: RecordKind, key: &str, lang: Lang) -> String {
    label(kind, key, lang)
}

pub(crate) fn kind_of(text: &str) -> Result<RecordKind, WebError> {
    text.parse::<RecordKind>().ok().filter(|k| has_pages(*k)).ok_or(WebError::NotFound)
}

/// The user's role if it may read (or write) `kind`; else 403.
fn allowed(user: &CurrentUser, kind: RecordKind, write: bool) -> Result<Role, WebError> {
    let role = user.user.role;
    let ok = if write { role.may_write(kind) } else { role.may_read(kind) };
    if ok {
        Ok(role)
    } else {
        Err(WebError::Forbidden)
    }
}

fn kind_label(kind: RecordKind, lang: Lang) -> String {
    match lang {
        Lang::Vi => {
            let l = kind.label_vi();
            let mut c = l.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
        Lang::En => Tr { lang }.get(&format!("k_{kind}")).to_string(),
    }
}

#[derive(Template)]
#[template(path = "records_index.html")]
struct IndexPage {
    c: Chrome,
    kinds: Vec<(String, String, bool)>,
    overdue: bool,
    /// Whether the role enters a kind that can be entered without a connection.
    offline: bool,
}

/// The kinds of record the user may open, and whether they may enter new ones.
pub async fn records_index(user: CurrentUser) -> Result<Html<String>, WebError> {
    let role = user.user.role;
    let kinds: Vec<(String, String, bool)> = RecordKind::ALL
        .iter()
        .filter(|k| has_pages(**k) && role.may_read(**k))
        .map(|k| (k.as_str().to_string(), kind_label(*k, user.lang), role.may_write(*k)))
        .collect();
    let overdue = role.may_read(RecordKind::Tip);
    let offline = crate::api::OFFLINE_KINDS.iter().any(|k| role.may_write(*k));
    Ok(Html(IndexPage { c: Chrome::of(&user, "/records".into()), kinds, overdue, offline }.render()?))
}

/// What the status filter offers for a kind.
/// What the list's one choice filter picks by, as its label says: "Hình thức"
/// for activities (their form), "Trạng thái" for tips and cases.
fn status_label(kind: RecordKind, lang: Lang) -> String {
    let key = match kind {
        RecordKind::Activity => "form",
        RecordKind::Publication => "medium",
        RecordKind::Inspection => "team_level",
        RecordKind::Training => "level",
        RecordKind::ReferenceFigure => "kind",
        _ => "status",
    };
    Tr { lang }.get(&format!("f_{key}")).to_string()
}

fn statuses(kind: RecordKind, lang: Lang) -> Vec<(String, String)> {
    let t = Tr { lang };
    let key = match kind {
        RecordKind::Establishment | RecordKind::SupportCase => {
            return vec![("open".into(), t.get("open").into()), ("closed".into(), t.get("closed").into())];
        }
        RecordKind::Tip => "status",
        RecordKind::Activity => "form",
        RecordKind::Publication => "medium",
        RecordKind::Inspection => "team_level",
        RecordKind::PilotModel => "status",
        RecordKind::Training => "level",
        RecordKind::ReferenceFigure => "kind",
        _ => return Vec::new(),
    };
    let mut out: Vec<(String, String)> = match kind.input(key) {
        pcmd_domain::records::form::Input::Choice(f) => {
            f().into_iter().map(|(v, l)| (v.to_string(), if lang == Lang::Vi { l.to_string() } else { v.replace('_', " ") })).collect()
        }
        _ => Vec::new(),
    };
    if kind == RecordKind::Tip {
        out.push(("open".into(), t.get("tips_open").into()));
        out.push(("overdue".into(), t.get("overdue").into()));
    }
    out
}

/// Units offered in a unit field: the user's scope, valid today or on the last day before the reform.
pub(crate) fn unit_choices(state: &AppState, scope: &HashSet<i64>) -> Vec<(String, String)> {
    let today = pcmd_domain::date::today_vn();
    let mut out: Vec<(String, String)> = scope
        .iter()
        .filter_map(|id| state.units.get(*id))
        .filter(|u| u.valid_on(today) || u.valid_on(LAST_DAY_BEFORE_REFORM))
        .map(|u| {
            let when = if u.valid_on(today) { "" } else { " — trước 01/07/2025" };
            (u.code.clone(), format!("{}{when}", u.name))
        })
        .collect();
    out.sort_by_cached_key(|(_, name)| pcmd_domain::text::collation_key(name));
    out
}

/// The units a list shows: the user's scope, narrowed to a chosen unit's.
pub(crate) fn chosen_units(state: &AppState, scope: &HashSet<i64>, code: Option<&str>) -> Result<Vec<i64>, WebError> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(scope.iter().copied().collect());
    };
    let today = pcmd_domain::date::today_vn();
    let unit = state
        .units
        .resolve(code, today)
        .or_else(|| state.units.resolve(code, LAST_DAY_BEFORE_REFORM))
        // Or a name (with its district, or as the suggestion shows it) that one unit of the scope bears.
        .or_else(|| crate::pages::places::pick(&state.units, code, &pcmd_domain::period::Period::new("", LAST_DAY_BEFORE_REFORM, today), scope))
        .ok_or_else(|| WebError::bad_request(format!("không có đơn vị mã «{code}»"), format!("no unit with code «{code}»")))?;
    if !scope.contains(&unit.id) {
        return Err(WebError::Forbidden);
    }
    Ok(state.scope(unit.id).intersection(scope).copied().collect())
}

/// An open tip past the day it is due (extension and suspension counted).
fn tip_overdue(i: &RecordItem, today: chrono::NaiveDate) -> bool {
    let open = !i.get("status").and_then(|s| s.parse::<pcmd_domain::records::TipStatus>().ok()).is_some_and(|s| s.is_closed());
    let due = i.get("due_on").and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    open && due.is_some_and(|d| d < today)
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct FormPage {
    c: Chrome,
    kind: String,
    kind_name: String,
    title: String,
    action: String,
    fields: Vec<Field>,
    general: Vec<String>,
    version: i64,
    units_list: Vec<(String, String)>,
}

struct FormState<'a> {
    values: HashMap<String, String>,
    errors: HashMap<String, String>,
    general: Vec<String>,
    id: Option<(i64, i64)>,
    user: &'a CurrentUser,
}

async fn render_form(state: &AppState, kind: RecordKind, f: FormState<'_>, status: StatusCode) -> Result<Response, WebError> {
    let role = f.user.user.role;
    let scope = state.scope(f.user.user.unit_id);
    let establishments = if kind == RecordKind::Inspection {
        let filter = ListFilter { units: scope.iter().copied().collect(), status: Some("open".into()), limit: 5000, ..ListFilter::default() };
        let (items, _) = state.store.list_records(RecordKind::Establishment, &filter).await?;
        items
            .iter()
            .map(|i| {
                (
                    i.id.to_string(),
                    format!("{} — {}", i.get("name").unwrap_or(""), shown(kind, "unit_id", i.get("unit_id"), &state.units, f.user.lang)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let fields = form_fields(kind, f.user.lang, &f.values, &f.errors, role.sees_personal(kind), f.id.is_some(), &establishments);
    // A fault of a field the form does not show is said at the top, by the field's name, not dropped.
    let mut general = f.general;
    let mut unshown: Vec<(&String, &String)> = f.errors.iter().filter(|(k, _)| !fields.iter().any(|x| x.key == k.as_str())).collect();
    unshown.sort();
    general.extend(unshown.into_iter().map(|(k, m)| format!("{}: {m}", field_label(kind, k, f.user.lang))));
    let (action, version, title) = match f.id {
        Some((id, v)) => {
            (format!("/records/{kind}/{id}"), v, format!("{} — {} {id}", kind_label(kind, f.user.lang), Tr { lang: f.user.lang }.get("edit")))
        }
        None => (format!("/records/{kind}"), 0, format!("{} — {}", kind_label(kind, f.user.lang), Tr { lang: f.user.lang }.get("new_record"))),
    };
    let page = FormPage {
        c: Chrome::of(f.user, action.clone()),
        kind: kind.as_str().into(),
        kind_name: kind_label(kind, f.user.lang),
        title,
        action,
        fields,
        general,
        version,
        units_list: unit_choices(state, &scope),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn record_new(State(state): State<AppState>, user: CurrentUser, Path(kind): Path<String>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let mut values = HashMap::new();
    // A commune officer's own unit, filled in.
    if let Some(u) = state.units.get(user.user.unit_id).filter(|u| u.level == Level::Commune) {
        values.insert("unit_code".to_string(), u.code.clone());
    }
    let f = FormState { values, errors: HashMap::new(), general: Vec::new(), id: None, user: &user };
    render_form(&state, kind, f, StatusCode::OK).await
}

/// Reads a posted form as a record; every field's fault by key.
pub(crate) fn parse_form(kind: RecordKind, values: &HashMap<String, String>, lang: Lang) -> Result<NewRecord, HashMap<String, String>> {
    let keys: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
    let cells: Vec<String> = keys.iter().map(|k| values.get(*k).cloned().unwrap_or_default()).collect();
    let mut row = Row::new(&keys, &cells);
    parse_row(kind, &mut row).map_err(|errs| {
        let mut out: HashMap<String, String> = HashMap::new();
        for e in errs {
            let msg = if lang == Lang::Vi { e.vi } else { e.en };
            out.entry(e.field.to_string()).and_modify(|m| m.push_str(&format!("; {msg}"))).or_insert(msg);
        }
        out
    })
}

fn posted(form: Vec<(String, String)>) -> HashMap<String, String> {
    form.into_iter().collect()
}

fn meta(state: &AppState, user: &CurrentUser) -> RecordMeta {
    let m = RecordMeta::now(RecordSource::Entry, Some(user.user.username.clone()));
    match &state.sealer {
        Some(s) => m.with_sealer(s.clone()),
        None => m,
    }
}

fn outside_scope(lang: Lang) -> String {
    Tr { lang }.get("outside_scope").to_string()
}

/// Why a save was refused: the message, the status to answer with, and the field it is about (if any).
pub(crate) struct Refused {
    pub message: pcmd_domain::Msg,
    pub status: StatusCode,
    pub field: Option<String>,
}

impl Refused {
    /// The message beside its field when it names one, else above the form.
    fn placed(&self, lang: Lang) -> (HashMap<String, String>, Vec<String>) {
        let text = self.message.text(lang == Lang::Vi).to_string();
        match &self.field {
            Some(f) => (HashMap::from([(f.clone(), text)]), Vec::new()),
            None => by_field(&text),
        }
    }
}

/// The checks of a record as the store words them, "held_on: …; reached_students: …",
/// placed each beside its field (all at once, not the column's key at the top of
/// the form); a part that names no field stays at the top.
fn by_field(text: &str) -> (HashMap<String, String>, Vec<String>) {
    let mut fields: HashMap<String, String> = HashMap::new();
    let mut general = Vec::new();
    // A message may hold "; " itself: a part that names no field goes on the field before it.
    let mut last: Option<String> = None;
    for part in text.split("; ") {
        match part.split_once(": ") {
            Some((key, msg)) if !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                let mut msg = msg.to_string();
                if let Some(c) = msg.chars().next().filter(|c| c.is_lowercase()) {
                    msg.replace_range(..c.len_utf8(), &c.to_uppercase().to_string());
                }
                fields.entry(key.to_string()).and_modify(|m| m.push_str(&format!(" {msg}"))).or_insert(msg);
                last = Some(key.to_string());
            }
            _ => match last.as_ref().and_then(|k| fields.get_mut(k)) {
                Some(m) => m.push_str(&format!("; {part}")),
                None => general.push(part.to_string()),
            },
        }
    }
    (fields, general)
}

/// Writes a new record (or a new version of `existing`: id and version read)
/// in a transaction that is left open for the caller to commit (the API
/// claims its idempotency key in it), kept only if the record's unit is in the
/// user's scope. Returns its id, or the message and status of a refusal
/// (the transaction rolled back). With `keep_personal`, an update leaves the
/// sealed personal data as stored.
pub(crate) async fn write(
    state: &AppState,
    user: &CurrentUser,
    kind: RecordKind,
    record: &NewRecord,
    existing: Option<(i64, i64)>,
    keep_personal: bool,
) -> Result<Result<(i64, pcmd_store::Tx<'static>), Refused>, WebError> {
    let scope = state.scope(user.user.unit_id);
    let outside = |field: Option<&str>| Refused {
        message: pcmd_domain::Msg::new(outside_scope(Lang::Vi), outside_scope(Lang::En)),
        status: StatusCode::FORBIDDEN,
        field: field.map(str::to_string),
    };
    let mut tx = state.store.begin().await?;
    // A record plainly outside the scope is refused before anything is checked against the
    // stored records. An inspection's unit is its establishment's: one that does not exist and
    // one of another area get the same answer, so that neither its existence nor its dates show.
    if rec::outside_scope(&mut tx, &state.units, record, pcmd_domain::date::today_vn(), &scope).await? {
        tx.rollback().await.map_err(StoreError::from)?;
        return Ok(Err(match record {
            NewRecord::Inspection(r) => Refused {
                message: pcmd_domain::Msg::new(
                    format!("không có cơ sở số {} trong địa bàn của bạn", r.establishment_id),
                    format!("no establishment {} in your area", r.establishment_id),
                ),
                status: StatusCode::FORBIDDEN,
                field: Some("establishment_id".into()),
            },
            _ => outside(Some("unit_code")),
        }));
    }
    let mut m = meta(state, user);
    m.keep_personal = keep_personal;
    let written = match existing {
        None => rec::insert(&mut tx, &state.units, &state.rules, record, &m).await,
        Some((id, version)) => rec::update(&mut tx, &state.units, &state.rules, id, version, record, &m).await.map(|_| id),
    };
    let refused = match written {
        Ok(id) => {
            if record_unit(&mut tx, kind, id).await?.is_some_and(|u| scope.contains(&u)) {
                return Ok(Ok((id, tx)));
            }
            outside(None)
        }
        Err(e) => {
            let field = match &e {
                StoreError::Invalid { field, .. } => field.clone(),
                _ => None,
            };
            match e.user_message() {
                Some(m) => Refused { message: m.clone(), status: crate::error::status_of(&e), field },
                None => return Err(e.into()),
            }
        }
    };
    tx.rollback().await.map_err(StoreError::from)?;
    Ok(Err(refused))
}

/// `write`, committed.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    kind: RecordKind,
    record: &NewRecord,
    existing: Option<(i64, i64)>,
) -> Result<Result<i64, Refused>, WebError> {
    Ok(match write(state, user, kind, record, existing, false).await? {
        Ok((id, tx)) => {
            tx.commit().await.map_err(StoreError::from)?;
            Ok(id)
        }
        Err(r) => Err(r),
    })
}

pub async fn record_create(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let values = posted(form);
    let record = match parse_form(kind, &values, user.lang) {
        Ok(r) => r,
        Err(errors) => {
            let f = FormState { values, errors, general: Vec::new(), id: None, user: &user };
            return render_form(&state, kind, f, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match save(&state, &user, kind, &record, None).await? {
        Ok(id) => Ok(Redirect::to(&format!("/records/{kind}/{id}")).into_response()),
        Err(refused) => {
            let (errors, general) = refused.placed(user.lang);
            let f = FormState { values, errors, general, id: None, user: &user };
            render_form(&state, kind, f, refused.status).await
        }
    }
}

/// A record of `kind` that the user may see, or 404 (no such record, or one outside the scope).
pub(crate) async fn visible_record(state: &AppState, user: &CurrentUser, kind: RecordKind, id: i64) -> Result<RecordItem, WebError> {
    let item = state.store.record(kind, id).await?.ok_or(WebError::NotFound)?;
    // Outside the scope, the same answer as for no such record: a refusal would
    // tell, id by id, which records exist elsewhere.
    if !state.scope(user.user.unit_id).contains(&item.unit_id) {
        return Err(WebError::NotFound);
    }
    Ok(item)
}

#[derive(Template)]
#[template(path = "record_detail.html")]
struct DetailPage {
    c: Chrome,
    kind: String,
    kind_name: String,
    title: String,
    id: i64,
    cells: Vec<(String, String)>,
    personal: Vec<(String, String)>,
    history: Vec<HistoryLine>,
    can_write: bool,
    overdue: bool,
    entered: String,
    /// The person's rights (a support case, for the caseworker).
    rights: Option<rights::RightsPanel>,
    /// A portal tip's exchange with its sender (for the roles that read tips).
    thread: Option<thread::Thread>,
    /// A support case's referrals (for the roles that work with the person).
    referrals: Option<referrals::Panel>,
    error: Option<String>,
    today: String,
}

/// The personal fields of a record, decrypted for a role that may see them (audited).
pub(crate) async fn personal_fields(state: &AppState, user: &CurrentUser, kind: RecordKind, id: i64) -> Result<Vec<(String, String)>, WebError> {
    let Some(sealer) = &state.sealer else {
        return Ok(vec![(Tr { lang: user.lang }.get("personal_data").into(), Tr { lang: user.lang }.get("no_key").into())]);
    };
    let actor = &user.user.username;
    Ok(match kind {
        RecordKind::SupportCase => match state.store.read_identity(id, sealer, actor).await? {
            None => Vec::new(),
            Some(i) => [
                ("full_name", Some(i.full_name)),
                ("date_of_birth", i.date_of_birth),
                ("id_number", i.id_number),
                ("address", i.address),
                ("phone", i.phone),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (label(kind, k, user.lang), v)))
            .collect(),
        },
        RecordKind::Tip => {
            state.store.read_tip_content(id, sealer, actor).await?.map(|c| vec![(label(kind, "content", user.lang), c)]).unwrap_or_default()
        }
        _ => Vec::new(),
    })
}

pub async fn record_detail(State(state): State<AppState>, user: CurrentUser, Path((kind, id)): Path<(String, i64)>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    detail_page(&state, &user, kind, id, None, StatusCode::OK).await
}

/// A record's page, with a refusal to show when an action on it failed.
async fn detail_page(
    state: &AppState,
    user: &CurrentUser,
    kind: RecordKind,
    id: i64,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let role = allowed(user, kind, false)?;
    let item = visible_record(state, user, kind, id).await?;
    let cells = item
        .cells
        .iter()
        .map(|(k, v)| {
            // A tip's legal basis by its law and article, not its rule code.
            let value = match (&**k, v.as_deref()) {
                ("rule_code", Some(code)) => state.rules.rules.iter().find(|r| r.code == code).map_or_else(|| code.to_string(), |r| r.basis.clone()),
                _ => shown(kind, k, v.as_deref(), &state.units, user.lang),
            };
            (label(kind, k, user.lang), value)
        })
        .collect();
    let sees = role.sees_personal(kind);
    let personal = if sees { personal_fields(state, user, kind, id).await? } else { Vec::new() };
    let rights = if sees && kind == RecordKind::SupportCase { Some(rights::panel(&state.store.case_rights(id).await?, user.lang)) } else { None };
    let thread = if sees && kind == RecordKind::Tip { thread::thread(state, user, id).await? } else { None };
    let referrals = if sees && kind == RecordKind::SupportCase {
        Some(referrals::panel(state, id, item.unit_id, user.lang, role.may_write(kind) && item.get("closed_on").is_none()).await?)
    } else {
        None
    };
    let mut history = state.store.record_history(kind, id).await?;
    let tr = Tr { lang: user.lang };
    for h in &mut history {
        h.at = pcmd_domain::date::format_instant_vn(&h.at);
        h.detail = super::words::history_detail(user.lang, &h.action, &h.detail);
        h.action = super::words::action(tr, &h.action);
    }
    let entered = format!(
        "{} · {} · {}",
        item.entered_by.clone().unwrap_or_default(),
        pcmd_domain::date::format_instant_vn(&item.entered_at),
        item.source.parse::<RecordSource>().map_or(item.source.clone(), |s| super::closed_word(user.lang, "source", s.as_str(), s.label_vi()))
    );
    let page = DetailPage {
        c: Chrome::of(user, format!("/records/{kind}/{id}")),
        kind: kind.as_str().into(),
        kind_name: kind_label(kind, user.lang),
        title: format!("{} #{id}", kind_label(kind, user.lang)),
        id,
        cells,
        personal,
        history,
        can_write: role.may_write(kind),
        overdue: kind == RecordKind::Tip && tip_overdue(&item, pcmd_domain::date::today_vn()),
        entered,
        rights,
        thread,
        referrals,
        error,
        today: pcmd_domain::date::format_vn(pcmd_domain::date::today_vn()),
    };
    Ok((status, Html(page.render()?)).into_response())
}

pub async fn record_edit(State(state): State<AppState>, user: CurrentUser, Path((kind, id)): Path<(String, i64)>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    let role = allowed(&user, kind, true)?;
    let item = visible_record(&state, &user, kind, id).await?;
    let mut values = form_values(kind, &item, &state.units);
    if role.sees_personal(kind) {
        if let Some(sealer) = &state.sealer {
            let actor = &user.user.username;
            match kind {
                RecordKind::SupportCase => {
                    if let Some(i) = state.store.read_identity(id, sealer, actor).await? {
                        values.insert("full_name".into(), i.full_name);
                        for (k, v) in [("date_of_birth", i.date_of_birth), ("id_number", i.id_number), ("address", i.address), ("phone", i.phone)] {
                            if let Some(v) = v {
                                values.insert(k.into(), v);
                            }
                        }
                    }
                }
                RecordKind::Tip => {
                    if let Some(c) = state.store.read_tip_content(id, sealer, actor).await? {
                        values.insert("content".into(), c);
                    }
                }
                _ => {}
            }
        }
    }
    let f = FormState { values, errors: HashMap::new(), general: Vec::new(), id: Some((id, item.version)), user: &user };
    render_form(&state, kind, f, StatusCode::OK).await
}

pub async fn record_update(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, i64)>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let values = posted(form);
    visible_record(&state, &user, kind, id).await?;
    let version: i64 = values.get("version").and_then(|v| v.parse().ok()).unwrap_or(0);
    let record = match parse_form(kind, &values, user.lang) {
        Ok(r) => r,
        Err(errors) => {
            let f = FormState { values, errors, general: Vec::new(), id: Some((id, version)), user: &user };
            return render_form(&state, kind, f, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    match save(&state, &user, kind, &record, Some((id, version))).await? {
        Ok(_) => Ok(Redirect::to(&format!("/records/{kind}/{id}")).into_response()),
        Err(refused) => {
            let (errors, general) = refused.placed(user.lang);
            let f = FormState { values, errors, general, id: Some((id, version)), user: &user };
            render_form(&state, kind, f, refused.status).await
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_stores_checks_go_beside_their_fields() {
        // The reach review of 07/12/2026 saw "reached_students: số lượng không được âm" at the top of the form.
        let (fields, general) = super::by_field("held_on: ngày 05/12/2027 phải từ 01/01/2000 đến hôm nay; reached_students: số lượng không được âm");
        assert_eq!(fields.get("held_on").map(String::as_str), Some("Ngày 05/12/2027 phải từ 01/01/2000 đến hôm nay"));
        assert_eq!(fields.get("reached_students").map(String::as_str), Some("Số lượng không được âm"));
        assert!(general.is_empty());
        // A message holding "; " stays whole beside its field (the review of the change: "level: số cán bộ
        // phải ghi cấp; các số liệu khác ghi «all»" was split, its second half at the top).
        let (fields, general) = super::by_field("level: số cán bộ phải ghi cấp; các số liệu khác ghi «all»");
        assert_eq!(fields.get("level").map(String::as_str), Some("Số cán bộ phải ghi cấp; các số liệu khác ghi «all»"));
        assert!(general.is_empty());
        let (fields, general) = super::by_field("Đơn vị 31690 nằm ngoài phạm vi");
        assert!(fields.is_empty() && general == ["Đơn vị 31690 nằm ngoài phạm vi"]);
    }
}
