//! Records of every kind through the API: a list with filters and paging, one
//! record, a new record (with an `Idempotency-Key`), a new version of one (with
//! the version read). The same checks as the forms: a record is read from its
//! fields by the kind's one description (`RecordKind::columns`, `input`),
//! written through the same store path, and kept only inside the user's scope.
//! Records are never deleted (a government record is corrected, and its history
//! kept), so the API offers no DELETE, as the pages offer none.

use super::idempotent::{self, Key};
use super::{bad_request, error, forbidden, ApiError, ApiPath, ApiQuery, ApiUser, Fault};
use crate::pages::records as pages;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use pcmd_domain::records::form::{Input, RecordKind};
use pcmd_store::records::read::{ListFilter, RecordItem};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The most records one page of a list holds.
pub const PER_PAGE_MAX: i64 = 500;

fn kind_of(text: &str) -> Result<RecordKind, ApiError> {
    pages::kind_of(text)
        .map_err(|_| error(StatusCode::NOT_FOUND, "not_found", format!("không có loại hồ sơ «{text}»"), format!("no record kind «{text}»")))
}

/// The user's role may read (or write) `kind`, else 403.
fn allowed(user: &ApiUser, kind: RecordKind, write: bool) -> Result<(), ApiError> {
    let role = user.0.role;
    if (write && role.may_write(kind)) || (!write && role.may_read(kind)) {
        Ok(())
    } else {
        Err(forbidden())
    }
}

/// A record as the API gives it.
#[derive(Serialize)]
pub struct Record {
    id: i64,
    kind: &'static str,
    version: i64,
    unit_code: Option<String>,
    unit_name: Option<String>,
    /// The record's fields by key (dates ISO, counts as numbers, flags as true/false).
    fields: Map<String, Value>,
    source: String,
    entered_by: Option<String>,
    entered_at: String,
    /// The personal fields, for a role that may see them and asked (`?personal=true`); the read is audited.
    #[serde(skip_serializing_if = "Option::is_none")]
    personal: Option<Map<String, Value>>,
}

/// A cell as JSON, typed by how the kind's field is entered.
fn typed(kind: RecordKind, key: &str, raw: Option<&str>) -> Value {
    let Some(raw) = raw else { return Value::Null };
    match kind.input(key) {
        Input::Number => raw.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(raw)),
        Input::Flag => Value::Bool(raw == "1"),
        _ => Value::from(raw),
    }
}

fn record_of(state: &AppState, kind: RecordKind, item: &RecordItem) -> Record {
    let unit = state.units.get(item.unit_id);
    Record {
        id: item.id,
        kind: kind.as_str(),
        version: item.version,
        unit_code: unit.map(|u| u.code.clone()),
        unit_name: unit.map(|u| u.name.clone()),
        // The unit by its code, as a record is written (`unit_code`), not by the store's id.
        fields: item
            .cells
            .iter()
            .map(|(k, v)| match *k {
                "unit_id" => ("unit_code".to_string(), unit.map_or(Value::Null, |u| Value::from(u.code.clone()))),
                _ => (k.to_string(), typed(kind, k, v.as_deref())),
            })
            .collect(),
        source: item.source.clone(),
        entered_by: item.entered_by.clone(),
        entered_at: item.entered_at.clone(),
        personal: None,
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    unit: Option<String>,
    from: Option<String>,
    to: Option<String>,
    status: Option<String>,
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

#[derive(Serialize)]
pub struct Page {
    kind: &'static str,
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<Record>,
}

/// A day parameter, `YYYY-MM-DD`.
pub(crate) fn day(text: Option<&str>, name: &str) -> Result<Option<chrono::NaiveDate>, ApiError> {
    // Strict, as the document says (format date): an empty day is a fault, not an absent one.
    match text {
        None => Ok(None),
        Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").map(Some).map_err(|_| {
            bad_request(
                "bad_date",
                format!("«{name}»: ngày phải viết YYYY-MM-DD, ví dụ 2025-03-07"),
                format!("«{name}»: a day is written YYYY-MM-DD, e.g. 2025-03-07"),
            )
        }),
    }
}

/// `GET /records/{kind}`: the user's scope, narrowed by `unit`, `from`, `to`, `status` and words `q`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(kind): ApiPath<String>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Page>, ApiError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, false)?;
    let page = q.page.unwrap_or(1);
    let per_page = q.per_page.unwrap_or(100);
    if page < 1 || !(1..=PER_PAGE_MAX).contains(&per_page) {
        return Err(bad_request("bad_page", "trang từ 1; mỗi trang từ 1 đến 500 hồ sơ", "page from 1; 1 to 500 records a page"));
    }
    let scope = state.scope(user.0.unit_id);
    let units = pages::chosen_units(&state, &scope, q.unit.as_deref())?;
    let filter = ListFilter {
        units,
        from: day(q.from.as_deref(), "from")?,
        to: day(q.to.as_deref(), "to")?,
        status: q.status.filter(|s| !s.trim().is_empty()),
        today: Some(pcmd_domain::date::today_vn()),
        search: q.q.filter(|s| !s.trim().is_empty()),
        sort: None,
        offset: (page - 1).saturating_mul(per_page),
        limit: per_page,
    };
    let (items, total) = state.store.list_records(kind, &filter).await?;
    let items = items.iter().map(|i| record_of(&state, kind, i)).collect();
    Ok(Json(Page { kind: kind.as_str(), total, page, per_page, items }))
}

#[derive(Deserialize)]
pub struct ReadQuery {
    personal: Option<bool>,
}

/// `GET /records/{kind}/{id}`; with `?personal=true` the personal fields, for
/// the role that may see them (every such read is audited by the store).
pub async fn read(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((kind, id)): ApiPath<(String, i64)>,
    ApiQuery(q): ApiQuery<ReadQuery>,
) -> Result<Json<Record>, ApiError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, false)?;
    let item = pages::visible_record(&state, &user.as_current(), kind, id).await?;
    let mut record = record_of(&state, kind, &item);
    if q.personal == Some(true) {
        if !user.0.role.sees_personal(kind) {
            return Err(forbidden());
        }
        record.personal = Some(personal(&state, &user, kind, id).await?);
    }
    Ok(Json(record))
}

async fn personal(state: &AppState, user: &ApiUser, kind: RecordKind, id: i64) -> Result<Map<String, Value>, ApiError> {
    let sealer = state.sealer.as_ref().ok_or_else(|| {
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_key",
            "máy chủ chưa có khóa giải mã dữ liệu cá nhân",
            "the server has no key to open personal data",
        )
    })?;
    let actor = &user.0.username;
    let mut out = Map::new();
    match kind {
        RecordKind::SupportCase => {
            if let Some(i) = state.store.read_identity(id, sealer, actor).await? {
                out.insert("full_name".into(), Value::from(i.full_name));
                for (k, v) in [("date_of_birth", i.date_of_birth), ("id_number", i.id_number), ("address", i.address), ("phone", i.phone)] {
                    out.insert(k.into(), v.map_or(Value::Null, Value::from));
                }
            }
        }
        RecordKind::Tip => {
            if let Some(c) = state.store.read_tip_content(id, sealer, actor).await? {
                out.insert("content".into(), Value::from(c));
            }
        }
        _ => {}
    }
    Ok(out)
}

/// A JSON body as the cells of a form, each checked against the type the
/// OpenAPI document gives it: text for text, choices and dates (YYYY-MM-DD),
/// whole numbers for counts and amounts, true/false for flags. Unknown fields
/// are refused, so that a misspelt field is not silently dropped.
pub(crate) fn cells(kind: RecordKind, body: &Map<String, Value>, allow: &[&str]) -> Result<HashMap<String, String>, Vec<Fault>> {
    let mut out = HashMap::new();
    let mut faults = Vec::new();
    let fault = |field: &str, vi: String, en: String| Fault { line: None, field: Some(field.to_string()), vi, en };
    for (key, value) in body {
        if allow.contains(&key.as_str()) {
            continue;
        }
        if !kind.columns().iter().any(|c| c.key == key) {
            faults.push(fault(key, format!("không có trường «{key}»"), format!("no field «{key}»")));
            continue;
        }
        let input = kind.input(key);
        let text = match (input, value) {
            (_, Value::Null) => Some(String::new()),
            (Input::Number, Value::Number(n)) => n.as_i64().map(|n| n.to_string()),
            (Input::Flag, Value::Bool(b)) => Some(if *b { "1" } else { "0" }.to_string()),
            (Input::Date, Value::String(s)) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok().map(|_| s.clone()),
            (Input::Number | Input::Flag | Input::Date, _) => None,
            (_, Value::String(s)) => Some(s.clone()),
            _ => None,
        };
        match text {
            Some(t) => {
                out.insert(key.clone(), t);
            }
            None => {
                let (vi, en) = match input {
                    Input::Number => ("phải là số nguyên", "must be a whole number"),
                    Input::Flag => ("phải là true hoặc false", "must be true or false"),
                    Input::Date => ("phải là ngày YYYY-MM-DD", "must be a day written YYYY-MM-DD"),
                    _ => ("phải là chuỗi chữ", "must be a string"),
                };
                faults.push(fault(key, vi.into(), en.into()));
            }
        }
    }
    if faults.is_empty() {
        Ok(out)
    } else {
        Err(faults)
    }
}

fn invalid(faults: Vec<Fault>) -> ApiError {
    error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", "hồ sơ có lỗi: xem từng trường", "the record has faults: see each field").with_faults(faults)
}

/// The body as a JSON object.
pub(crate) fn object(body: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(bad_request("bad_json", "nội dung phải là một đối tượng JSON", "the body must be a JSON object")),
    }
}

/// What a write answers: the record's address and its version now.
#[derive(Serialize)]
pub struct Saved {
    id: i64,
    kind: &'static str,
    version: i64,
    href: String,
}

fn saved(kind: RecordKind, id: i64, version: i64) -> Saved {
    Saved { id, kind: kind.as_str(), version, href: format!("/api/v1/records/{kind}/{id}") }
}

/// Reads a JSON object's fields (besides those `allow`ed) into a record of `kind`; every fault by field.
pub(crate) fn parse(kind: RecordKind, fields: &Map<String, Value>, allow: &[&str]) -> Result<pcmd_domain::records::NewRecord, ApiError> {
    let values = cells(kind, fields, allow).map_err(invalid)?;
    pages::parse_form(kind, &values, crate::i18n::Lang::Vi).map_err(|faults| {
        // The message in both languages: read the row again in English for the `en` side.
        let en = pages::parse_form(kind, &values, crate::i18n::Lang::En).err().unwrap_or_default();
        let mut list: Vec<Fault> = faults
            .into_iter()
            .map(|(field, vi)| Fault { line: None, en: en.get(&field).cloned().unwrap_or_default(), field: Some(field), vi })
            .collect();
        list.sort_by(|a, b| a.field.cmp(&b.field));
        invalid(list)
    })
}

/// Reads the fields into a record and writes it; the transaction is returned
/// open for the caller to commit.
async fn write(
    state: &AppState,
    user: &ApiUser,
    kind: RecordKind,
    fields: &Map<String, Value>,
    existing: Option<(i64, i64)>,
) -> Result<(i64, pcmd_store::Tx<'static>), ApiError> {
    let record = parse(kind, fields, &["version"])?;
    let current = user.as_current();
    // A new version that names no personal field leaves the sealed ones as stored: a client
    // that read the record without `?personal=true` must not erase a person's data by sending it back.
    let keep_personal = existing.is_some() && !kind.columns().iter().any(|c| kind.is_personal(c.key) && fields.contains_key(c.key));
    match pages::write(state, &current, kind, &record, existing, keep_personal).await? {
        Ok(done) => Ok(done),
        Err(refused) => {
            let m = refused.message;
            let e = error(refused.status, super::code_of(refused.status), m.vi.clone(), m.en.clone());
            Err(match refused.field {
                Some(f) => e.with_faults(vec![Fault { line: None, field: Some(f), vi: m.vi, en: m.en }]),
                None => e,
            })
        }
    }
}

/// `POST /records/{kind}`: a new record; with `Idempotency-Key`, a request sent
/// again is answered as the first was and makes no second record.
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath(kind): ApiPath<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let fields = object(&body)?;
    let key = Key::of(&headers, "POST", &format!("/records/{kind}"), &Value::Object(fields.clone()))?;
    if let Some(first) = idempotent::earlier(&state, user.0.id, key.as_ref()).await? {
        return Ok(first);
    }
    let (id, tx) = write(&state, &user, kind, &fields, None).await?;
    let done = saved(kind, id, 1);
    let text = serde_json::to_string(&done).map_err(|e| error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string(), e.to_string()))?;
    if let Some(first) = idempotent::commit(&state, user.0.id, key.as_ref(), tx, 201, &text).await? {
        return Ok(first);
    }
    Ok(idempotent::answer(201, text))
}

/// `PUT /records/{kind}/{id}`: a new version of a record, with every field and
/// the `version` read; a version someone else has changed since is refused (409).
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    ApiPath((kind, id)): ApiPath<(String, i64)>,
    body: Bytes,
) -> Result<Json<Saved>, ApiError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let fields = object(&body)?;
    let version = fields.get("version").and_then(Value::as_i64).ok_or_else(|| {
        bad_request("no_version", "thiếu «version»: phiên bản đã đọc của hồ sơ", "«version» is missing: the version of the record read")
    })?;
    pages::visible_record(&state, &user.as_current(), kind, id).await?;
    let (id, tx) = write(&state, &user, kind, &fields, Some((id, version))).await?;
    tx.commit().await.map_err(pcmd_store::StoreError::from)?;
    Ok(Json(saved(kind, id, version + 1)))
}
