//! The public portal for tips (cổng tiếp nhận tố giác, tin báo): a citizen,
//! with no account, sends a tip about a commune of today's map, with files if
//! they have them, and receives a receipt code shown once; with the code they
//! later see the tip's status and exchange messages with the officer handling
//! it — nothing else. Works without script on a cheap phone; the sender's
//! network address and browser are kept nowhere (see `limit`).

mod code;
pub mod limit;
mod rules;

pub use rules::deadlines;

use crate::auth::{lang_of, ClientIp};
use crate::i18n::{Lang, Tr};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use pcmd_domain::records::{NewTip, RecordSource, TipCategory, TipChannel, TipStatus};
use pcmd_domain::units::Level;
use pcmd_store::portal::{Attachment, Receipt};
use std::collections::HashMap;

/// At most this many files, each at most `MAX_FILE` bytes.
pub const MAX_FILES: usize = 3;
pub const MAX_FILE: usize = 5 * 1024 * 1024;
/// A whole form, files included.
pub const MAX_BODY: usize = MAX_FILES * MAX_FILE + 1024 * 1024;
const MAX_TEXT: usize = 10_000;

/// The categories a citizen chooses from, in their words.
fn categories(lang: Lang) -> Vec<(&'static str, &'static str)> {
    let vi = lang == Lang::Vi;
    vec![
        (
            TipCategory::Denunciation.as_str(),
            if vi {
                "Tố giác hành vi có dấu hiệu tội phạm về mại dâm (chứa mại dâm, môi giới mại dâm, mua dâm người dưới 18 tuổi…)"
            } else {
                "Report a crime related to prostitution (running a brothel, procuring, buying sex from a minor…)"
            },
        ),
        (
            TipCategory::AdminViolation.as_str(),
            if vi {
                "Báo tin hành vi mua dâm, bán dâm hoặc vi phạm hành chính khác về mại dâm"
            } else {
                "Report buying or selling sex or another administrative offence related to prostitution"
            },
        ),
        (
            TipCategory::Accusation.as_str(),
            if vi {
                "Tố cáo cán bộ, cơ quan, tổ chức vi phạm pháp luật (theo Luật Tố cáo), ví dụ bao che, bảo kê"
            } else {
                "Denounce an official or body breaking the law (Law on Denunciations), e.g. protecting a brothel"
            },
        ),
        (
            TipCategory::Complaint.as_str(),
            if vi { "Khiếu nại việc giải quyết của cơ quan nhà nước" } else { "Complain about how an authority handled a matter" },
        ),
    ]
}

#[derive(Template)]
#[template(path = "portal_form.html")]
struct FormPage {
    t: Tr,
    provinces: Vec<(String, String)>,
    province: String,
    communes: Vec<(String, String)>,
    categories: Vec<(&'static str, &'static str)>,
    values: HashMap<String, String>,
    errors: HashMap<&'static str, String>,
    /// A fault not about one field (too many tips, no key).
    error: Option<String>,
    max_files: usize,
    max_mb: usize,
}

impl FormPage {
    fn value(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }

    fn error_of(&self, key: &str) -> Option<&str> {
        self.errors.get(key).map(String::as_str)
    }
}

fn today() -> chrono::NaiveDate {
    pcmd_domain::date::today_vn()
}

fn provinces(state: &AppState) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = state
        .units
        .codes_at(Level::Province, today())
        .into_iter()
        .filter_map(|c| state.units.resolve(&c, today()).map(|u| (c, u.name.clone())))
        .collect();
    out.sort_by_cached_key(|a| pcmd_domain::text::collation_key(&a.1));
    out
}

fn communes(state: &AppState, province: &str) -> Vec<(String, String)> {
    let Some(p) = state.units.resolve(province, today()).filter(|p| p.level == Level::Province) else { return Vec::new() };
    let mut out: Vec<(String, String)> = state
        .units
        .communes_under(p.id)
        .iter()
        .filter_map(|id| state.units.get(*id))
        .filter(|u| u.valid_on(today()))
        .map(|u| (u.code.clone(), u.name.clone()))
        .collect();
    out.sort_by_cached_key(|a| pcmd_domain::text::collation_key(&a.1));
    out
}

fn form_page(
    state: &AppState,
    lang: Lang,
    values: HashMap<String, String>,
    errors: HashMap<&'static str, String>,
    error: Option<String>,
) -> FormPage {
    let province = values.get("tinh").cloned().unwrap_or_default();
    FormPage {
        t: Tr { lang },
        provinces: provinces(state),
        communes: communes(state, &province),
        province,
        categories: categories(lang),
        values,
        errors,
        error,
        max_files: MAX_FILES,
        max_mb: MAX_FILE / (1024 * 1024),
    }
}

fn page(status: StatusCode, html: String) -> Response {
    (status, [(CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// `/to-giac`: the form; `?tinh=` chooses the province whose communes are offered.
pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::query::Query(q): crate::query::Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let values: HashMap<String, String> = q.into_iter().filter(|(k, _)| k == "tinh").collect();
    Ok(page(StatusCode::OK, form_page(&state, lang_of(&headers), values, HashMap::new(), None).render()?))
}

/// The kind of a file by its first bytes: only images (JPEG, PNG) and PDF are taken.
fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

fn who(client: Option<Extension<ClientIp>>) -> String {
    client.map(|c| c.0 .0.to_string()).unwrap_or_default()
}

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

#[derive(Template)]
#[template(path = "portal_receipt.html")]
struct ReceiptPage {
    t: Tr,
    code: String,
    received: String,
}

/// Sends a tip: checked field by field (all faults at once, what was typed kept),
/// stored with its files sealed, and answered with the receipt code, shown once.
pub async fn send(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<ClientIp>>,
    mut multipart: Multipart,
) -> Result<Response, WebError> {
    let lang = lang_of(&headers);
    let vi = lang == Lang::Vi;
    let mut values: HashMap<String, String> = HashMap::new();
    let mut errors: HashMap<&'static str, String> = HashMap::new();
    let mut files: Vec<Attachment> = Vec::new();
    let too_big = || {
        if vi {
            format!("Mỗi tệp tối đa {} MB.", MAX_FILE / (1024 * 1024))
        } else {
            format!("Each file may be at most {} MB.", MAX_FILE / (1024 * 1024))
        }
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                errors.insert(
                    "files",
                    if vi {
                        "Không đọc được biểu mẫu gửi lên (tệp quá lớn?).".into()
                    } else {
                        "The form could not be read (files too large?).".into()
                    },
                );
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let file_name = field.file_name().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect::<String>();
            let Ok(bytes) = field.bytes().await else {
                errors.insert("files", too_big());
                continue;
            };
            if bytes.is_empty() && file_name.is_empty() {
                continue;
            }
            if bytes.len() > MAX_FILE {
                errors.insert("files", too_big());
            } else if files.len() == MAX_FILES {
                errors.insert("files", if vi { format!("Tối đa {MAX_FILES} tệp.") } else { format!("At most {MAX_FILES} files.") });
            } else {
                match media_type(&bytes) {
                    Some(kind) => files.push(Attachment { name: file_name, media_type: kind, bytes: bytes.to_vec() }),
                    None => {
                        errors.insert(
                            "files",
                            if vi {
                                format!("«{file_name}» không phải ảnh (JPEG, PNG) hay tệp PDF.")
                            } else {
                                format!("«{file_name}» is not an image (JPEG, PNG) or a PDF.")
                            },
                        );
                    }
                }
            }
        } else if let Ok(text) = field.text().await {
            values.insert(name, pcmd_domain::text::nfc(text.trim()));
        }
    }
    let get = |k: &str| values.get(k).map_or("", String::as_str);
    let category = get("category").parse::<TipCategory>().ok().filter(|c| categories(lang).iter().any(|(v, _)| *v == c.as_str()));
    if category.is_none() {
        errors.insert("category", if vi { "Hãy chọn loại tin.".into() } else { "Choose what kind of tip this is.".into() });
    }
    let commune = state.units.resolve(get("commune"), today()).filter(|u| u.level == Level::Commune);
    if commune.is_none() {
        errors.insert("commune", if vi { "Hãy chọn xã, phường nơi xảy ra việc.".into() } else { "Choose the commune where it happened.".into() });
    }
    let happened = match get("happened_on") {
        "" => None,
        d => match pcmd_domain::date::parse(d) {
            Ok(day) if day <= today() => Some(day),
            Ok(_) => {
                errors.insert("happened_on", if vi { "Ngày xảy ra không thể sau hôm nay.".into() } else { "The day cannot be after today.".into() });
                None
            }
            Err(m) => {
                errors.insert("happened_on", m.text(vi).to_string());
                None
            }
        },
    };
    let content = get("content").to_string();
    if content.is_empty() {
        errors.insert("content", if vi { "Hãy cho biết việc gì đã xảy ra.".into() } else { "Say what happened.".into() });
    } else if content.chars().count() > MAX_TEXT {
        errors.insert("content", if vi { "Nội dung dài quá 10.000 ký tự.".into() } else { "The text is longer than 10,000 characters.".into() });
    }
    let contact = Some(get("contact").chars().take(300).collect::<String>()).filter(|c| !c.is_empty());
    let (Some(category), Some(commune), true) = (category, commune, errors.is_empty()) else {
        if !files.is_empty() {
            errors.entry("files").or_insert_with(|| if vi { "Hãy chọn lại tệp đính kèm.".into() } else { "Choose the files again.".into() });
        }
        return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, lang, values, errors, None).render()?));
    };
    // Counted only once the tip is whole: a sender correcting a field is not held up.
    if !state.portal_limiter.allow(&who(client), limit::Action::Send, now_secs()) {
        let msg = if vi {
            "Bạn đã gửi nhiều tin trong một giờ qua. Hãy thử lại sau, hoặc gọi đường dây nóng."
        } else {
            "You have sent several tips in the past hour. Try again later, or call the hotline."
        };
        return Ok(page(StatusCode::TOO_MANY_REQUESTS, form_page(&state, lang, values, HashMap::new(), Some(msg.into())).render()?));
    }
    let text = match happened {
        Some(d) => format!("{}: {}\n{content}", if vi { "Ngày xảy ra" } else { "Day it happened" }, pcmd_domain::date::format_vn(d)),
        None => content,
    };
    let Some(sealer) = state.sealer.clone() else {
        let msg = if vi {
            "Cổng tạm thời không nhận tin (chưa cấu hình khóa mã hóa). Hãy gọi đường dây nóng."
        } else {
            "The portal cannot take tips now (no encryption key). Call the hotline."
        };
        return Ok(page(StatusCode::SERVICE_UNAVAILABLE, form_page(&state, lang, values, HashMap::new(), Some(msg.into())).render()?));
    };
    let meta = pcmd_store::records::RecordMeta::now(RecordSource::Public, Some(pcmd_store::portal::SENDER.to_string())).with_sealer(sealer);
    let tip = NewTip {
        received_on: meta.today,
        channel: TipChannel::PublicPortal,
        category,
        unit_code: commune.code.clone(),
        is_complex: false,
        is_remote: false,
        is_very_complex: false,
        accepted_on: None,
        suspended_on: None,
        resumed_on: None,
        status: TipStatus::Received,
        extended_until: None,
        closed_on: None,
        outcome: None,
        content: Some(text),
    };
    let mut code = code::fresh().map_err(|e| WebError::Internal(e.to_string()))?;
    for _ in 0..8 {
        if !state.store.locator_taken(&code.locator).await? {
            break;
        }
        code = code::fresh().map_err(|e| WebError::Internal(e.to_string()))?;
    }
    let receipt =
        Receipt { locator: code.locator.clone(), secret_hash: code::hash(&code.secret).map_err(WebError::Internal)?, contact, attachments: files };
    match state.store.receive_public_tip(&state.units, &state.rules, &tip, &receipt, &meta).await {
        // Answered by a redirect to the receipt (post, redirect, get): reloading the
        // receipt, or going back to it, shows it again instead of sending the tip twice.
        Ok(_) => {
            let mut resp = Redirect::to(RECEIPT_PATH).into_response();
            let value = format!("{}_{}", code.shown(), meta.today.format("%Y-%m-%d"));
            receipt_cookie(resp.headers_mut(), &value, RECEIPT_SECONDS, state.secure_cookies);
            Ok(resp)
        }
        Err(e) => {
            let msg = crate::pages::refusal(e, lang)?;
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, form_page(&state, lang, values, HashMap::new(), Some(msg)).render()?))
        }
    }
}

/// Where the receipt is shown after a tip is sent.
pub const RECEIPT_PATH: &str = "/to-giac/bien-nhan";
/// The sender's own copy of the code, in their browser only (HttpOnly, sent to
/// the receipt's address alone), from the redirect to the receipt page; the page
/// clears it as it shows the code, which is so shown once; never stored by pcmd.
const RECEIPT_COOKIE: &str = "pcmd_receipt";
/// How long the copy waits for the receipt page (a slow connection).
const RECEIPT_SECONDS: i64 = 5 * 60;

fn receipt_cookie(headers: &mut HeaderMap, value: &str, max_age: i64, secure: bool) {
    let c = format!(
        "{RECEIPT_COOKIE}={value}; Path={RECEIPT_PATH}; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    );
    if let Ok(v) = axum::http::HeaderValue::from_str(&c) {
        headers.append(axum::http::header::SET_COOKIE, v);
    }
}

/// `/to-giac/bien-nhan`: the receipt of the tip just sent, from the sender's
/// cookie, which it clears (a reload, or the next person at a shared computer,
/// finds the look-up form); without it, the look-up form.
pub async fn receipt(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    let t = Tr { lang: lang_of(&headers) };
    let Some((code, day)) = crate::auth::cookie(&headers, RECEIPT_COOKIE).and_then(|v| v.split_once('_')) else {
        return Ok(Redirect::to("/to-giac/tra-cuu").into_response());
    };
    let received = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").map(pcmd_domain::date::format_vn).unwrap_or_default();
    let code: String = code.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').take(64).collect();
    let mut resp = page(StatusCode::OK, ReceiptPage { t, code, received }.render()?);
    receipt_cookie(resp.headers_mut(), "", 0, state.secure_cookies);
    Ok(resp)
}

#[derive(Template)]
#[template(path = "portal_lookup.html")]
struct LookupPage {
    t: Tr,
    /// The code as typed (kept in the form, never in an address).
    code: String,
    error: Option<String>,
    found: Option<Found>,
}

struct Found {
    received: String,
    category: String,
    status: String,
    /// The day due under the law, dd/mm/yyyy (empty while no clock runs), and the rule's anchor on /thoi-han.
    due: String,
    rule: String,
    messages: Vec<(bool, String, String)>,
}

#[derive(serde::Deserialize)]
pub struct LookupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    message: String,
}

/// `/to-giac/tra-cuu`: the form for the code.
pub async fn lookup_form(headers: HeaderMap) -> Result<Response, WebError> {
    Ok(page(StatusCode::OK, LookupPage { t: Tr { lang: lang_of(&headers) }, code: String::new(), error: None, found: None }.render()?))
}

/// The tip a code names: its status and thread, after adding the sender's message if any.
/// A wrong code learns nothing, and is counted against its address.
pub async fn lookup(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: Option<Extension<ClientIp>>,
    Form(f): Form<LookupForm>,
) -> Result<Response, WebError> {
    let lang = lang_of(&headers);
    let vi = lang == Lang::Vi;
    let t = Tr { lang };
    let who = who(client);
    let refuse = |status: StatusCode, msg: &str| -> Result<Response, WebError> {
        Ok(page(status, LookupPage { t, code: f.code.clone(), error: Some(msg.to_string()), found: None }.render()?))
    };
    if state.portal_limiter.exhausted(&who, limit::Action::WrongCode, now_secs()) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            if vi { "Đã nhập sai mã nhiều lần. Hãy thử lại sau một giờ." } else { "Too many wrong codes. Try again in an hour." },
        );
    }
    let Some(sealer) = state.sealer.clone() else {
        return refuse(StatusCode::SERVICE_UNAVAILABLE, if vi { "Cổng tạm thời không tra cứu được." } else { "Lookups are unavailable for now." });
    };
    let found = match code::read(&f.code) {
        Some(c) => match state.store.receipt(&c.locator).await? {
            Some((tip, hash)) if code::matches(&c.secret, &hash) => Some(tip),
            _ => None,
        },
        None => None,
    };
    let Some(tip) = found else {
        state.portal_limiter.allow(&who, limit::Action::WrongCode, now_secs());
        return refuse(
            StatusCode::NOT_FOUND,
            if vi { "Không có tin nào với mã này. Hãy kiểm tra lại mã." } else { "No tip has this code. Check the code." },
        );
    };
    let mut error = None;
    if !f.message.trim().is_empty() {
        let at = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
        if let Err(e) = state.store.add_tip_message(tip, true, &f.message, &sealer, pcmd_store::portal::SENDER, &at).await {
            error = Some(crate::pages::refusal(e, lang)?);
        }
    }
    let Some(v) = state.store.sender_view(tip, &sealer).await? else {
        return refuse(StatusCode::NOT_FOUND, if vi { "Không có tin nào với mã này." } else { "No tip has this code." });
    };
    let status = v.status.parse::<TipStatus>().map_or(v.status.clone(), |s| crate::pages::closed_word(lang, "tip_status", s.as_str(), s.label_vi()));
    let category =
        v.category.parse::<TipCategory>().map_or(v.category.clone(), |c| crate::pages::closed_word(lang, "tip_category", c.as_str(), c.label_vi()));
    let found = Found {
        received: v.received_on.parse::<chrono::NaiveDate>().map_or(v.received_on.clone(), pcmd_domain::date::format_vn),
        category,
        status,
        due: v.due_on.as_deref().and_then(|d| d.parse::<chrono::NaiveDate>().ok()).map(pcmd_domain::date::format_vn).unwrap_or_default(),
        rule: v.rule_code.clone(),
        messages: v.messages.into_iter().map(|m| (m.from_sender, pcmd_domain::date::format_instant_vn(&m.sent_at), m.body)).collect(),
    };
    Ok(page(StatusCode::OK, LookupPage { t, code: f.code.clone(), error, found: Some(found) }.render()?))
}
