//! Large imports in the background (nhập tệp lớn): the upload's request
//! answers at once; the file is checked (or written) by a task while the
//! officer's page shows a progress bar that refreshes itself (no script
//! needed), then the same preview as a small file's, or the list with the rows
//! written. A job is its owner's only, kept in memory for an hour; a restart
//! forgets it (nothing is written until a confirmed job commits, all or nothing).

use super::import::{page, preview, Outcome};
use super::{allowed, kind_of};
use crate::auth::CurrentUser;
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::records::form::RecordKind;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a job is kept after it started.
const KEEP: Duration = Duration::from_secs(3600);

/// What a finished job found.
#[derive(Clone)]
pub enum Finished {
    /// Checked clean (a dry run), or written: the rows.
    Done(usize),
    Faulty(Outcome),
}

pub struct Job {
    owner: i64,
    kind: RecordKind,
    pub name: String,
    pub sheet: pcmd_import::Sheet,
    commit: bool,
    total: usize,
    done: AtomicUsize,
    finished: Mutex<Option<Finished>>,
    started: Instant,
}

/// The jobs under way or finished within the hour, by id.
pub type Jobs = Arc<Mutex<HashMap<String, Arc<Job>>>>;

/// Jobs running at once: each holds the database's write lock while it checks.
const RUNNING_MAX: usize = 2;

impl Job {
    fn running(&self) -> bool {
        self.finished.lock().map(|f| f.is_none()).unwrap_or(false)
    }
}

/// A job of the user's, by id.
pub(crate) fn get(state: &AppState, user: &CurrentUser, id: &str) -> Option<Arc<Job>> {
    let mut jobs = state.import_jobs.lock().ok()?;
    jobs.retain(|_, j| j.started.elapsed() < KEEP || j.running());
    jobs.get(id).filter(|j| j.owner == user.user.id).cloned()
}

/// A check of the user's that found no fault, taken to be confirmed: once only,
/// so that a second click or a resent form writes nothing twice.
pub(crate) fn take_checked(state: &AppState, user: &CurrentUser, id: &str, kind: RecordKind) -> Option<Arc<Job>> {
    let mut jobs = state.import_jobs.lock().ok()?;
    let clean = jobs.get(id).is_some_and(|j| {
        j.owner == user.user.id && j.kind == kind && !j.commit && matches!(j.finished.lock().ok().and_then(|f| f.clone()), Some(Finished::Done(_)))
    });
    if clean {
        jobs.remove(id)
    } else {
        None
    }
}

/// Starts checking (or, with `commit`, writing) a file in the background; returns the
/// job's id, or why it cannot start now: one job at a time for a user, two in all.
pub(crate) fn start(
    state: &AppState,
    user: &CurrentUser,
    kind: RecordKind,
    name: String,
    sheet: pcmd_import::Sheet,
    commit: bool,
) -> Result<String, pcmd_domain::Msg> {
    let id = crate::auth::random_token().unwrap_or_else(|_| format!("{}-{}", user.user.id, chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)));
    let first = pcmd_import::header(kind, &sheet.rows).map_or(2, |(_, first)| first);
    let total = sheet.rows.iter().skip(first).filter(|(_, c)| c.iter().any(|v| !v.is_empty())).count();
    let job = Arc::new(Job {
        owner: user.user.id,
        kind,
        name,
        sheet,
        commit,
        total,
        done: AtomicUsize::new(0),
        finished: Mutex::new(None),
        started: Instant::now(),
    });
    {
        let mut jobs = state.import_jobs.lock().map_err(|_| busy())?;
        jobs.retain(|_, j| j.started.elapsed() < KEEP || j.running());
        if jobs.values().any(|j| j.owner == user.user.id && j.running()) {
            return Err(pcmd_domain::Msg::new(
                "một tệp của bạn đang được kiểm tra hoặc ghi: chờ xong rồi gửi tệp tiếp",
                "a file of yours is being checked or written: wait for it to finish, then send the next",
            ));
        }
        if jobs.values().filter(|j| j.running()).count() >= RUNNING_MAX {
            return Err(busy());
        }
        jobs.insert(id.clone(), job.clone());
    }
    let state = state.clone();
    let username = user.user.username.clone();
    let home = user.user.unit_id;
    tokio::spawn(async move {
        let scope = state.scope(home);
        let opts = pcmd_import::Options {
            dry_run: !job.commit,
            entered_by: Some(username),
            sealer: state.sealer.clone(),
            scope: Some(&scope),
            progress: Some(&job.done),
        };
        let outcome = pcmd_import::import_sheet(&state.store, &state.units, &state.rules, job.kind, &job.name, &job.sheet, opts).await;
        let finished = match outcome {
            Ok(report) => Finished::Done(report.rows),
            Err(e) => Finished::Faulty(match e.downcast_ref::<pcmd_import::ImportErrors>() {
                Some(errors) => Outcome::Rows(errors.errors.clone()),
                None => Outcome::File(format!("{e:#}")),
            }),
        };
        if let Ok(mut slot) = job.finished.lock() {
            *slot = Some(finished);
        }
    });
    Ok(id)
}

fn busy() -> pcmd_domain::Msg {
    pcmd_domain::Msg::new(
        "máy chủ đang kiểm tra các tệp lớn khác: gửi lại sau ít phút",
        "the server is checking other large files: send again in a few minutes",
    )
}

#[derive(Template)]
#[template(path = "records_import_job.html")]
struct JobPage {
    c: super::Chrome,
    kind: String,
    kind_label: String,
    done: usize,
    total: usize,
    percent: usize,
    commit: bool,
}

/// `/records/{kind}/import/jobs/{id}`: the progress bar while the job runs, then its outcome.
pub async fn job(State(state): State<AppState>, user: CurrentUser, Path((kind, id)): Path<(String, String)>) -> Result<Response, WebError> {
    let kind = kind_of(&kind)?;
    allowed(&user, kind, true)?;
    let job = get(&state, &user, &id).filter(|j| j.kind == kind).ok_or(WebError::NotFound)?;
    let finished = job.finished.lock().ok().and_then(|f| f.clone());
    match finished {
        None => {
            let done = job.done.load(Ordering::Relaxed).min(job.total);
            let page = JobPage {
                c: super::Chrome::of(&user, format!("/records/{kind}/import")),
                kind: kind.as_str().to_string(),
                kind_label: super::kind_label(kind, user.lang),
                done,
                total: job.total,
                percent: (done * 100).checked_div(job.total).unwrap_or(0),
                commit: job.commit,
            };
            Ok(Html(page.render()?).into_response())
        }
        Some(Finished::Done(rows)) if job.commit => Ok(Redirect::to(&format!("/records/{kind}?imported={rows}")).into_response()),
        Some(Finished::Done(_)) => preview(page(&user, kind), &user, kind, &job.name, &[], &job.sheet, Ok(()), Some(&id)),
        Some(Finished::Faulty(outcome)) => {
            let shown = preview(page(&user, kind), &user, kind, &job.name, &[], &job.sheet, Err(outcome), None)?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, shown).into_response())
        }
    }
}
