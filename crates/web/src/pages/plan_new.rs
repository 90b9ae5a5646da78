//! `/plans/new`: a plan drafted from its text (DOCX, PDF or text), checked by
//! a coordinator or an administrator beside the text with each target's
//! sentence marked, corrected in the form and confirmed. The plan is then
//! active; each save keeps a version with who changed what (audited).

use super::Chrome;
use crate::auth::{constant_time_eq, CurrentUser, Posted};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::plan::draft::{to_toml, Draft, DraftTarget, DraftTask, Unit};
use pcmd_domain::plan::{validate_plan, Comparator, Evaluation, MemoryDirectory, PlanFile, PlanKind, CATALOGUE};
use pcmd_domain::roles::Role;
use pcmd_domain::SourceFile;
use std::collections::{BTreeSet, HashMap};

/// The most targets or tasks a form may carry.
const MAX_ROWS: usize = 500;

/// The largest document accepted (the reader refuses more once unpacked).
pub const MAX_BODY: usize = pcmd_report::read::MAX_BYTES + 64 * 1024;

fn allowed(user: &CurrentUser) -> Result<(), WebError> {
    if matches!(user.user.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "plan_new.html")]
struct UploadPage {
    c: Chrome,
    error: String,
}

/// A line of the text, marked when a target was read from it.
pub struct SourceLine {
    pub n: usize,
    pub text: String,
    pub marked: bool,
}

/// A choice in a select: value, label, chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub chosen: bool,
}

pub struct TargetRow {
    pub i: usize,
    pub t: DraftTarget,
    pub low: String,
    pub high: String,
    pub indicators: Vec<Choice>,
    pub comparators: Vec<Choice>,
    pub evaluations: Vec<Choice>,
}

pub struct TaskRow {
    pub i: usize,
    pub t: DraftTask,
    pub leads: Vec<Choice>,
    pub co: String,
}

#[derive(Template)]
#[template(path = "plan_review.html")]
struct ReviewPage {
    c: Chrome,
    d: Draft,
    kinds: Vec<Choice>,
    issued_on: String,
    period_from: String,
    period_to: String,
    lines: Vec<SourceLine>,
    targets: Vec<TargetRow>,
    tasks: Vec<TaskRow>,
    /// Tasks whose lead is not among the province's agencies: left out unless one is chosen.
    tasks_without_lead: usize,
    note: String,
    original_text: String,
    errors: Vec<String>,
    budget_years: String,
    text_seal: String,
}

pub async fn plan_new(user: CurrentUser) -> Result<Html<String>, WebError> {
    allowed(&user)?;
    Ok(Html(UploadPage { c: Chrome::of(&user, "/plans/new".into()), error: String::new() }.render()?))
}

/// Reads the uploaded document and shows its draft beside its text.
pub async fn plan_upload(State(state): State<AppState>, user: CurrentUser, mut multipart: Multipart) -> Result<Response, WebError> {
    allowed(&user)?;
    let (mut csrf, mut bytes) = (String::new(), Vec::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => return Err(WebError::bad_request("tệp gửi lên không đọc được", "the upload cannot be read")),
        };
        match field.name() {
            Some("csrf") => csrf = field.text().await.unwrap_or_default(),
            Some("file") => bytes = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
            _ => {}
        }
    }
    if !constant_time_eq(&csrf, &user.csrf) {
        return Err(WebError::Refused(
            axum::http::StatusCode::FORBIDDEN,
            pcmd_domain::Msg::new("biểu mẫu đã hết hạn: hãy tải lại trang rồi gửi lại", "the form has expired: reload the page and send it again"),
        ));
    }
    let c = Chrome::of(&user, "/plans/new".into());
    if bytes.is_empty() {
        let error = c.t.get("plan_new_no_file").to_string();
        return Ok(Html(UploadPage { c, error }.render()?).into_response());
    }
    // Reading a PDF or DOCX is CPU work: on a blocking thread, so that the pages
    // and the tip portal keep answering, and given up after a while.
    let read = tokio::time::timeout(READ_TIMEOUT, tokio::task::spawn_blocking(move || pcmd_report::read::document_text(&bytes))).await;
    let text = match read {
        Ok(Ok(Ok(text))) => text,
        Ok(Ok(Err(e))) => return Ok(Html(UploadPage { c, error: e.to_string() }.render()?).into_response()),
        Ok(Err(_)) | Err(_) => {
            tracing::warn!("a plan document could not be read within {} s", READ_TIMEOUT.as_secs());
            let error = "không đọc được tệp trong thời gian cho phép: hãy gửi bản Word (DOCX) hoặc văn bản (the file could not be read in time: send the Word file or plain text)".to_string();
            return Ok(Html(UploadPage { c, error }.render()?).into_response());
        }
    };
    let (text, d) = match pcmd_report::read::draft_text(&state.store, text).await {
        Ok(x) => x,
        Err(pcmd_report::read::DraftError::Read(e)) => {
            return Ok(Html(UploadPage { c, error: e.to_string() }.render()?).into_response());
        }
        Err(pcmd_report::read::DraftError::Store(e)) => return Err(e.into()),
    };
    let note = d.reporting.iter().map(|r| r.sentence.clone()).collect::<Vec<_>>().join(" ");
    Ok(Html(review(&state, &user, d, text, note, Vec::new(), None).await?.render()?).into_response())
}

/// How long a plan document may take to read.
const READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

fn choices<T: Copy + PartialEq>(all: &[(T, &str, String)], chosen: Option<T>) -> Vec<Choice> {
    all.iter().map(|(v, code, label)| Choice { value: (*code).to_string(), label: label.clone(), chosen: Some(*v) == chosen }).collect()
}

fn num(v: f64) -> String {
    pcmd_domain::money::format_decimal_vn(v)
}

async fn review(
    state: &AppState,
    user: &CurrentUser,
    d: Draft,
    text: String,
    note: String,
    errors: Vec<String>,
    seal: Option<String>,
) -> Result<ReviewPage, WebError> {
    let c = Chrome::of(user, "/plans/new".into());
    let marked: BTreeSet<usize> = d.targets.iter().map(|t| t.line).collect();
    let lines = text.lines().enumerate().map(|(i, l)| SourceLine { n: i + 1, text: l.to_string(), marked: marked.contains(&(i + 1)) }).collect();
    let vi = user.lang == crate::i18n::Lang::Vi;
    let mut indicators: Vec<(Option<&str>, &str, String)> = vec![(None, "", c.t.get("plan_new_no_indicator").to_string())];
    indicators.extend(CATALOGUE.iter().map(|i| (Some(i.code), i.code, if vi { i.name_vi.to_string() } else { i.name_en.to_string() })));
    let comparators = [
        (Comparator::AtLeast, "at_least", "≥".to_string()),
        (Comparator::AtMost, "at_most", "≤".to_string()),
        (Comparator::Between, "between", c.t.get("plan_new_between").to_string()),
    ];
    let evaluations = [
        (Evaluation::EachYear, "each_year", c.t.get("plan_new_each_year").to_string()),
        (Evaluation::WholePeriod, "whole_period", c.t.get("plan_new_whole_period").to_string()),
    ];
    let targets = d
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| TargetRow {
            i,
            t: t.clone(),
            low: num(t.threshold_low),
            high: t.threshold_high.map(num).unwrap_or_default(),
            indicators: indicators
                .iter()
                .map(|(v, code, label)| Choice { value: (*code).to_string(), label: label.clone(), chosen: *v == t.indicator.as_deref() })
                .collect(),
            comparators: choices(&comparators, Some(t.comparator)),
            evaluations: choices(&evaluations, Some(t.evaluation)),
        })
        .collect();
    let agencies = match state.units.resolve(d.unit_code.as_deref().unwrap_or(""), d.as_of().unwrap_or_else(pcmd_domain::date::today_vn)) {
        Some(u) => state.store.agencies(Some(u.id)).await?,
        None => Vec::new(),
    };
    let tasks: Vec<TaskRow> = d
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut leads = vec![Choice { value: String::new(), label: c.t.get("plan_new_no_lead").to_string(), chosen: t.lead_agency.is_none() }];
            leads.extend(agencies.iter().map(|a| Choice {
                value: a.code.clone(),
                label: a.name.clone(),
                chosen: t.lead_agency.as_deref() == Some(a.code.as_str()),
            }));
            TaskRow { i, t: t.clone(), leads, co: t.co_agencies.join(", ") }
        })
        .collect();
    let kinds = [
        (PlanKind::Resolution, "resolution", c.t.get("plan_kind_resolution").to_string()),
        (PlanKind::Plan, "plan", c.t.get("plan_kind_plan").to_string()),
        (PlanKind::Decision, "decision", c.t.get("plan_kind_decision").to_string()),
        (PlanKind::Programme, "programme", c.t.get("plan_kind_programme").to_string()),
    ];
    let date = |x: Option<chrono::NaiveDate>| x.map(pcmd_domain::date::format_vn).unwrap_or_default();
    let budget_years = d
        .budget
        .as_ref()
        .map(|b| b.years.iter().map(|y| format!("{}: {}", y.year, pcmd_domain::money::format_vnd(y.allocated))).collect::<Vec<_>>().join("; "))
        .unwrap_or_default();
    Ok(ReviewPage {
        kinds: choices(&kinds, d.kind),
        issued_on: date(d.issued_on),
        period_from: date(d.period_from),
        period_to: date(d.period_to),
        c,
        lines,
        targets,
        tasks_without_lead: tasks.iter().filter(|t| t.t.lead_agency.is_none()).count(),
        tasks,
        note,
        // The seal made when the file was read goes back unchanged: never one of posted text.
        text_seal: seal.unwrap_or_else(|| text_seal(state, &text)),
        original_text: text,
        errors,
        budget_years,
        d,
    })
}

/// The draft as corrected in the form.
fn from_form(f: &HashMap<String, String>) -> (Draft, Vec<String>) {
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let mut errors = Vec::new();
    let mut date = |k: &str, label: &str| -> Option<chrono::NaiveDate> {
        let v = get(k);
        if v.is_empty() {
            return None;
        }
        match pcmd_domain::date::parse(&v) {
            Ok(d) => Some(d),
            Err(m) => {
                errors.push(format!("{label}: {}", m.vi));
                None
            }
        }
    };
    let issued_on = date("issued_on", "Ngày ban hành");
    let period_from = date("period_from", "Từ ngày");
    let period_to = date("period_to", "Đến ngày");
    let kind = match get("kind").as_str() {
        "resolution" => Some(PlanKind::Resolution),
        "plan" => Some(PlanKind::Plan),
        "decision" => Some(PlanKind::Decision),
        "programme" => Some(PlanKind::Programme),
        _ => None,
    };
    // The rows actually sent, in order, at most MAX_ROWS: an index is not a loop bound.
    let rows = |prefix: &str| -> Vec<usize> {
        let set: std::collections::BTreeSet<usize> =
            f.keys().filter_map(|k| k.strip_prefix(prefix)?.split('.').next()?.parse::<usize>().ok()).collect();
        set.into_iter().take(MAX_ROWS).collect()
    };
    let mut targets = Vec::new();
    for i in rows("t.") {
        let k = |name: &str| get(&format!("t.{i}.{name}"));
        if k("code").is_empty() || f.contains_key(&format!("t.{i}.drop")) {
            continue;
        }
        let number = |s: String, label: &str, errors: &mut Vec<String>| -> Option<f64> {
            if s.is_empty() {
                return None;
            }
            let v = s.replace('.', "").replace(',', ".").parse::<f64>().ok();
            if v.is_none() {
                errors.push(format!("chỉ tiêu {}: {label} «{s}» không phải là số", k("code")));
            }
            v
        };
        let low = number(k("low"), "ngưỡng", &mut errors).unwrap_or(0.0);
        let high = number(k("high"), "ngưỡng trên", &mut errors);
        let comparator = match k("comparator").as_str() {
            "at_most" => Comparator::AtMost,
            "between" => Comparator::Between,
            _ => Comparator::AtLeast,
        };
        let evaluation = if k("evaluation") == "whole_period" { Evaluation::WholePeriod } else { Evaluation::EachYear };
        let indicator = Some(k("indicator")).filter(|s| !s.is_empty());
        targets.push(DraftTarget {
            code: k("code"),
            group: k("group"),
            clause: k("clause"),
            text: k("text"),
            sentence: String::new(),
            line: k("line").parse().unwrap_or(0),
            indicator,
            indicator_reason: None,
            comparator,
            threshold_low: low,
            threshold_high: if comparator == Comparator::Between { high } else { None },
            threshold: String::new(),
            // What a reported value measures, as the draft read it.
            unit: match k("unit").as_str() {
                "count" => Unit::Count,
                "percent_change" => Unit::PercentChange,
                _ => Unit::Percent,
            },
            reading: String::new(),
            evaluation,
            evaluation_reason: String::new(),
            scope_level: None,
        });
    }
    let mut tasks = Vec::new();
    for i in rows("k.") {
        let k = |name: &str| get(&format!("k.{i}.{name}"));
        let lead = k("lead");
        if lead.is_empty() {
            continue; // a body not in the province's list is left out; the plan says so in its text
        }
        tasks.push(DraftTask {
            code: k("code"),
            clause: String::new(),
            title: k("title"),
            text: k("text"),
            lead_agency: Some(lead),
            lead_agency_name: String::new(),
            co_agencies: k("co").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
            co_agency_names: Vec::new(),
            line: 0,
        });
    }
    // The reporting duties as the draft found them, carried through the form.
    let mut reporting = Vec::new();
    for i in rows("r.") {
        let k = |name: &str| get(&format!("r.{i}.{name}"));
        if k("sentence").is_empty() {
            continue;
        }
        let opt = |s: String| Some(s).filter(|s| !s.is_empty());
        reporting.push(pcmd_domain::plan::draft::DraftDuty {
            frequencies: k("frequencies").split(',').filter_map(pcmd_domain::plan::draft::Frequency::parse).collect(),
            reporter: k("reporter"),
            recipient: k("recipient"),
            through: opt(k("through")),
            through_agency: opt(k("through_agency")),
            due: opt(k("due")),
            sentence: k("sentence"),
            line: k("line").parse().unwrap_or(0),
        });
    }
    // "2024: 1.107.680.000; 2025: 1.253.690.000"
    let mut years = Vec::new();
    for part in get("budget_years").split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let parsed = part.split_once(':').and_then(|(y, a)| Some((y.trim().parse::<i32>().ok()?, pcmd_domain::money::parse_vnd(a.trim())?)));
        match parsed {
            Some((year, allocated)) => years.push(pcmd_domain::plan::draft::DraftBudgetYear {
                year,
                allocated,
                allocated_formatted: String::new(),
                item: format!("Kinh phí thực hiện năm {year}"),
                line: 0,
            }),
            None => errors.push(format!("kinh phí theo năm: «{part}» không đọc được (viết năm: số tiền; ví dụ 2024: 1.107.680.000)")),
        }
    }
    let total = get("budget_total");
    let total = if total.is_empty() { None } else { pcmd_domain::money::parse_vnd(&total) };
    let source = Some(get("budget_source")).filter(|s| !s.is_empty());
    let budget = (total.is_some() || source.is_some() || !years.is_empty()).then(|| pcmd_domain::plan::draft::DraftBudget {
        total,
        source,
        years,
        ..Default::default()
    });
    let d = Draft {
        key: get("key"),
        number: get("number"),
        kind,
        title: get("title"),
        issuer: get("issuer"),
        issued_on,
        unit_name: None,
        unit_code: Some(get("unit")).filter(|s| !s.is_empty()),
        period_from,
        period_to,
        implements: Some(get("implements")).filter(|s| !s.is_empty()),
        budget,
        targets,
        tasks,
        reporting,
        unplaced: Vec::new(),
    };
    (d, errors)
}

/// The text as a form carries it back: a browser sends a textarea's lines
/// with CR LF and drops a first blank line, so both are set aside.
fn as_sent(text: &str) -> String {
    text.replace("\r\n", "\n").trim_matches('\n').to_string()
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    crate::auth::to_hex(&Sha256::digest(as_sent(text).as_bytes()))
}

/// The text's hash sealed under the server's key, for the form to carry.
fn text_seal(state: &AppState, text: &str) -> String {
    state.sealer.as_ref().and_then(|s| s.seal("plan_draft.text_sha256", &sha256_hex(text)).ok()).map(|b| crate::auth::to_hex(&b)).unwrap_or_default()
}

/// An administrator saves any plan; a coordinator those of the territory they hold.
fn within_scope(state: &AppState, user: &CurrentUser, plan: &pcmd_domain::plan::Plan) -> bool {
    if user.user.role == Role::Admin {
        return true;
    }
    let Some(code) = plan.unit_code.as_deref() else { return false };
    state.units.resolve(code, plan.period_from).is_some_and(|u| state.scope(user.user.unit_id).contains(&u.id))
}

/// A plan saved under a key already held replaces that plan: a coordinator
/// may replace only a plan of their own territory (not another province's,
/// nor the national programme).
async fn replaces_own(state: &AppState, user: &CurrentUser, key: &str) -> Result<bool, WebError> {
    if user.user.role == Role::Admin || !state.store.plans().await?.iter().any(|p| p.key == key) {
        return Ok(true);
    }
    Ok(match state.store.plan_unit(key).await? {
        Some(id) => state.scope(user.user.unit_id).contains(&id),
        None => false,
    })
}

/// What the store holds, for checking a plan as a file is checked.
async fn directory(state: &AppState) -> Result<MemoryDirectory, WebError> {
    let mut dir = MemoryDirectory::default();
    for u in state.units.iter() {
        dir.add_unit(&u.code, u.level, u.valid_from, u.valid_to);
    }
    for a in state.store.agencies(None).await? {
        dir.add_agency(&a.code);
    }
    for p in state.store.plans().await? {
        dir.add_plan(&p.number, &p.key);
    }
    Ok(dir)
}

/// Checks the corrected draft as a plan file is checked, then saves it as the
/// plan's new version; faults are shown beside the form, nothing saved.
pub async fn plan_confirm(State(state): State<AppState>, Posted { user, form }: Posted<Vec<(String, String)>>) -> Result<Response, WebError> {
    allowed(&user)?;
    let vi_user = user.lang == crate::i18n::Lang::Vi;
    let f: HashMap<String, String> = form.into_iter().collect();
    let (d, mut errors) = from_form(&f);
    let text = f.get("original_text").map_or(String::new(), |t| t.replace("\r\n", "\n"));
    let note = f.get("note").map(|s| s.trim().to_string()).unwrap_or_default();
    let mut toml = to_toml(&d);
    if !note.is_empty() {
        // The note goes in [plan]: after its last line, before [budget] or the targets.
        let line = format!("note = {}\n", toml::Value::String(note.clone()));
        let at = toml.find("\n[budget]").or_else(|| toml.find("\n[[targets]]")).unwrap_or(toml.len());
        toml.insert_str(at, &format!("\n{}", line.trim_end()));
    }
    // A number or key another plan holds would make that plan unreachable by it.
    for p in state.store.plans().await? {
        if p.key == d.key {
            continue;
        }
        let numbered = d.number.chars().any(|c| c.is_ascii_digit());
        if p.key == d.number || p.number == d.key || (numbered && p.number == d.number) {
            errors.push(if vi_user {
                format!("số hoặc khóa «{}» / «{}» trùng với kế hoạch đã có «{}» ({}): hãy dùng số, khóa khác", d.number, d.key, p.key, p.number)
            } else {
                format!("the number or key «{}» / «{}» is already plan «{}» ({}): use another", d.number, d.key, p.key, p.number)
            });
        }
    }
    // The original text is the one read from the file: sealed at upload, checked here.
    if let Some(sealer) = state.sealer.as_ref() {
        let sealed = f.get("text_seal").map(|h| crate::auth::from_hex(h)).unwrap_or_default();
        let read = sealer.open("plan_draft.text_sha256", &sealed).unwrap_or_default();
        if read != sha256_hex(&text) {
            errors.push(if vi_user {
                "văn bản gốc không khớp với tệp đã tải lên: hãy tải lại tệp".into()
            } else {
                "the original text does not match the file uploaded: upload it again".into()
            });
        }
    }
    if errors.is_empty() {
        let src = SourceFile { name: "dự thảo (draft)", text: &toml };
        match PlanFile::parse(src) {
            Err(e) => errors.push(if vi_user { e.vi.clone() } else { e.en.clone() }),
            Ok(file) => {
                let dir = directory(&state).await?;
                match validate_plan(src, &file, Some(&text), &dir) {
                    Err(es) => errors.extend(es.iter().map(|e| if vi_user { e.vi.clone() } else { e.en.clone() })),
                    Ok(plan) if !within_scope(&state, &user, &plan) || !replaces_own(&state, &user, &plan.key).await? => errors.push(if vi_user {
                        "điều phối viên chỉ lưu kế hoạch của địa bàn mình phụ trách; kế hoạch toàn quốc do quản trị viên lưu".into()
                    } else {
                        "a coordinator saves only the plans of their own territory; national plans are saved by an administrator".into()
                    }),
                    Ok(plan) => {
                        let mut tx = state.store.begin().await?;
                        let saver = pcmd_store::Saver { who: &user.user.username, how: "draft" };
                        pcmd_store::save_plan(&mut tx, &plan, saver).await?;
                        tx.commit().await.map_err(pcmd_store::StoreError::from)?;
                        return Ok(Redirect::to(&format!("/plans/{}?saved=1", plan.key)).into_response());
                    }
                }
            }
        }
    }
    let seal = f.get("text_seal").cloned().unwrap_or_default();
    let page = review(&state, &user, d, text, note, errors, Some(seal)).await?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
