//! Imports in the browser (nhập từ tệp): on a record list, a writer downloads
//! the template, uploads the filled CSV or XLSX and sees a preview — every row
//! that would be written, and every fault by line and column beside its cell —
//! then confirms. All or nothing, as `pcmd import`, and only within the user's
//! scope: a row of a unit outside it is a fault of that row. A file of more
//! than `INLINE_ROWS` rows is checked (and written) in the background: the
//! request answers at once with a page whose progress bar follows the rows
//! checked (`import_jobs`), so no request is held open for minutes.

use super::{allowed, kind_label, kind_of, Chrome};
use crate::auth::{constant_time_eq, CurrentUser};
use crate::i18n::Lang;
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use base64::Engine as _;
use pcmd_domain::records::form::RecordKind;
use pcmd_import::{ImportErrors, Options, TemplateFormat};
use std::collections::HashMap;

/// The largest file taken in through the browser (larger ones: `pcmd import` on the server).
pub const MAX_FILE: usize = 8 * 1024 * 1024;
/// A request may carry the file twice over (the preview's confirmation sends it back encoded).
pub const MAX_BODY: usize = 2 * MAX_FILE + 64 * 1024;
/// Rows shown in a preview; every row is checked whatever its count.
const SHOWN: usize = 300;
/// The most rows a browser import takes: the check holds the database's write
/// lock while it runs; a larger file goes through `pcmd import`, which writes in batches.
pub const MAX_ROWS: usize = 20_000;
/// Files up to this many rows are checked within the request; larger ones in the background.
pub const INLINE_ROWS: usize = 1_000;

/// One cell of the preview, with its fault if it has one.
pub struct Cell {
    pub text: String,
    pub fault: Option<String>,
}

pub struct PreviewRow {
    pub line: usize,
    pub cells: Vec<Cell>,
    /// Faults of the row not tied to one of its columns.
    pub row_faults: Vec<String>,
}

#[derive(Template)]
#[template(path = "records_import.html")]
pub(crate) struct ImportPage {
    c: Chrome,
    kind: String,
    kind_label: String,
    /// The columns as the file names them (Vietnamese labels where known).
    headers: Vec<String>,
    rows: Vec<PreviewRow>,
    total: usize,
    faults: usize,
    /// Every fault in words, by line and column: read first on a phone, where the table scrolls.
    fault_list: Vec<String>,
    /// The file to send back on confirmation (encoded), when it checked clean.
    confirm: Option<(String, String)>,
    /// The background check to confirm (its id), when it checked clean.
    confirm_job: Option<String>,
    error: Option<String>,
}

pub(crate) fn page(user: &CurrentUser, kind: RecordKind) -> ImportPage {
    ImportPage {
        c: Chrome::of(user, format!("/records/{kind}/import")),
        kind: kind.as_str().to_string(),
        kind_label: kind_label(kind, user.lang),
        headers: Vec::new(),
        rows: Vec::new(),
        total: 0,
        faults: 0,
        fault_list: Vec::new(),
        confirm: None,
        confirm_job: None,
        error: None,
    }
}

pub async fn import_form(user: CurrentUser, Path(kind): Path<String>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    Ok(Html(page(&user, kind).render()?).into_response())
}

/// The template of a kind: `/records/{kind}/template/xlsx` or `csv`.
pub async fn template(user: CurrentUser, Path((kind, format)): Path<(String, String)>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let (format, mime) = match format.as_str() {
        "xlsx" => (TemplateFormat::Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "csv" => (TemplateFormat::Csv, "text/csv; charset=utf-8"),
        _ => return Err(WebError::NotFound),
    };
    let bytes = pcmd_import::template_bytes(kind, format).map_err(|e| WebError::Internal(e.to_string()))?;
    let name = format!("mau-nhap-{kind}.{}", if format == TemplateFormat::Xlsx { "xlsx" } else { "csv" });
    Ok(([(CONTENT_TYPE, mime.to_string()), (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))], bytes).into_response())
}

/// The file as sent: uploaded (`file`), or sent back from the preview (`data`, `name`).
struct Sent {
    csrf: String,
    name: String,
    bytes: Vec<u8>,
    commit: bool,
    /// A background check being confirmed.
    job: String,
}

async fn sent(mut multipart: Multipart) -> Result<Sent, WebError> {
    let mut s = Sent { csrf: String::new(), name: String::new(), bytes: Vec::new(), commit: false, job: String::new() };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(WebError::bad_request("tệp gửi lên không đọc được hoặc quá 8 MB", "the upload cannot be read or is over 8 MB")),
        };
        match field.name() {
            Some("csrf") => s.csrf = field.text().await.unwrap_or_default(),
            Some("action") => s.commit = field.text().await.unwrap_or_default() == "commit",
            Some("name") => s.name = field.text().await.unwrap_or_default(),
            Some("job") => s.job = field.text().await.unwrap_or_default(),
            Some("data") => {
                let text = field.text().await.unwrap_or_default();
                s.bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).unwrap_or_default();
            }
            Some("file") => {
                let name = field.file_name().map(str::to_string).unwrap_or_default();
                let bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
                if !bytes.is_empty() {
                    s.name = name;
                    s.bytes = bytes;
                }
            }
            _ => {}
        }
    }
    Ok(s)
}

pub async fn import_upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(kind): Path<String>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let s = sent(multipart).await?;
    if !constant_time_eq(&s.csrf, &user.csrf) {
        return Err(WebError::Refused(
            StatusCode::FORBIDDEN,
            pcmd_domain::Msg::new("biểu mẫu đã hết hạn: hãy tải lại trang rồi gửi lại", "the form has expired: reload the page and send it again"),
        ));
    }
    let vi = user.lang == Lang::Vi;
    let mut p = page(&user, kind);
    if s.commit && !s.job.is_empty() {
        // A background check confirmed: written in the background from the file it checked.
        let job = super::import_jobs::take_checked(&state, &user, &s.job, kind).ok_or(WebError::NotFound)?;
        return match super::import_jobs::start(&state, &user, kind, job.name.clone(), job.sheet.clone(), true) {
            Ok(id) => Ok(Redirect::to(&format!("/records/{kind}/import/jobs/{id}")).into_response()),
            Err(m) => Err(WebError::Refused(StatusCode::TOO_MANY_REQUESTS, m)),
        };
    }
    if s.bytes.is_empty() || s.bytes.len() > MAX_FILE {
        p.error = Some(if vi {
            "Hãy chọn một tệp CSV hoặc XLSX (tối đa 8 MB).".into()
        } else {
            "Choose a CSV or XLSX file (at most 8 MB).".into()
        });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
    }
    let sheet = match pcmd_import::read::read_bytes(&s.name, s.bytes.clone()) {
        Ok(sheet) => sheet,
        Err(e) => {
            p.error = Some(format!("{e:#}"));
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
        }
    };
    if sheet.rows.len() > MAX_ROWS + 2 {
        p.error = Some(if vi {
            format!(
                "Tệp có {} dòng; nhập qua trình duyệt tối đa 20.000 dòng một lần: chia tệp, hoặc nhờ quản trị dùng lệnh pcmd import.",
                sheet.rows.len()
            )
        } else {
            format!(
                "The file has {} rows; the browser takes at most 20,000 at a time: split it, or have the administrator use pcmd import.",
                sheet.rows.len()
            )
        });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
    }
    if sheet.rows.len() > INLINE_ROWS + 2 {
        return match super::import_jobs::start(&state, &user, kind, s.name.clone(), sheet, s.commit) {
            Ok(id) => Ok(Redirect::to(&format!("/records/{kind}/import/jobs/{id}")).into_response()),
            Err(m) => {
                p.error = Some(m.text(vi).to_string());
                Ok((StatusCode::TOO_MANY_REQUESTS, Html(p.render()?)).into_response())
            }
        };
    }
    let scope = state.scope(user.user.unit_id);
    let opts = Options {
        dry_run: !s.commit,
        entered_by: Some(user.user.username.clone()),
        sealer: state.sealer.clone(),
        scope: Some(&scope),
        progress: None,
    };
    let outcome = pcmd_import::import_sheet(&state.store, &state.units, &state.rules, kind, &s.name, &sheet, opts).await;
    if let Ok(report) = &outcome {
        if s.commit {
            return Ok(Redirect::to(&format!("/records/{kind}?imported={}", report.rows)).into_response());
        }
    }
    let outcome = outcome.map(|_| ()).map_err(|e| match e.downcast_ref::<ImportErrors>() {
        Some(errors) => Outcome::Rows(errors.errors.clone()),
        None => Outcome::File(format!("{e:#}")),
    });
    preview(p, &user, kind, &s.name, &s.bytes, &sheet, outcome, None)
}

/// Why a check did not pass: faults of rows, or of the file itself (no header row, no data rows) or the system.
#[derive(Clone)]
pub enum Outcome {
    Rows(Vec<pcmd_import::RowError>),
    File(String),
}

/// The preview of a checked file: every row that would be written (faulty rows first among those
/// shown), each fault beside its cell and listed; the confirmation when it checked clean, by
/// sending the file back (`job` None) or naming the background check that read it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn preview(
    mut p: ImportPage,
    user: &CurrentUser,
    kind: RecordKind,
    name: &str,
    bytes: &[u8],
    sheet: &pcmd_import::Sheet,
    outcome: Result<(), Outcome>,
    job: Option<&str>,
) -> Result<Response, WebError> {
    let vi = user.lang == Lang::Vi;
    let faults: Vec<pcmd_import::RowError> = match outcome {
        Ok(()) => Vec::new(),
        Err(Outcome::Rows(f)) => f,
        Err(Outcome::File(text)) => {
            p.error = Some(text);
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response());
        }
    };
    let (keys, first) = pcmd_import::header(kind, &sheet.rows).map_err(|e| WebError::Internal(e.to_string()))?;
    let mut by_line: HashMap<usize, Vec<&pcmd_import::RowError>> = HashMap::new();
    for f in &faults {
        by_line.entry(f.line).or_default().push(f);
    }
    let say = |f: &pcmd_import::RowError| if vi || f.en.is_empty() { f.vi.clone() } else { f.en.clone() };
    let data: Vec<&(usize, Vec<String>)> = sheet.rows.iter().skip(first).filter(|(_, cells)| cells.iter().any(|c| !c.is_empty())).collect();
    // Rows with faults first, so that they are among those shown, then the others in order.
    let mut ordered: Vec<&&(usize, Vec<String>)> = data.iter().filter(|(l, _)| by_line.contains_key(l)).collect();
    ordered.extend(data.iter().filter(|(l, _)| !by_line.contains_key(l)));
    p.rows = ordered
        .into_iter()
        .take(SHOWN)
        .map(|(line, cells)| {
            let row_faults = by_line.get(line).map(|v| v.as_slice()).unwrap_or(&[]);
            PreviewRow {
                line: *line,
                cells: keys
                    .iter()
                    .enumerate()
                    .map(|(i, key)| Cell {
                        text: cells.get(i).cloned().unwrap_or_default(),
                        fault: row_faults.iter().find(|f| f.field.as_deref() == Some(key.as_str())).map(|f| say(f)),
                    })
                    .collect(),
                row_faults: row_faults.iter().filter(|f| f.field.as_deref().is_none_or(|k| !keys.iter().any(|c| c == k))).map(|f| say(f)).collect(),
            }
        })
        .collect();
    p.rows.sort_by_key(|r| r.line);
    p.headers = keys.iter().map(|k| super::field_label(kind, k, user.lang)).collect();
    p.total = data.len();
    p.faults = faults.len();
    let word = if vi { "Dòng" } else { "Line" };
    p.fault_list = faults
        .iter()
        .map(|f| match &f.field {
            Some(k) => format!("{word} {}, {}: {}", f.line, super::field_label(kind, k, user.lang), say(f)),
            None => format!("{word} {}: {}", f.line, say(f)),
        })
        .collect();
    match job {
        Some(id) => p.confirm_job = faults.is_empty().then(|| id.to_string()),
        None => p.confirm = faults.is_empty().then(|| (name.to_string(), base64::engine::general_purpose::STANDARD.encode(bytes))),
    }
    let status = if faults.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Html(p.render()?)).into_response())
}
