//! Sign-in with a memory-hard password hash (Argon2id), server-side sessions
//! in the database (the browser holds only a random token; the database only
//! its SHA-256), protection against cross-site request forgery on every form,
//! and throttling of failed sign-ins.

mod csrf;
mod password;
pub mod totp;

pub use csrf::Posted;
pub use password::{hash_password, random_token, verify_password, NoRandomness};

use crate::i18n::{Lang, Tr};
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::{Duration, Utc};
use pcmd_store::audit::AuditEntry;
use pcmd_store::UserRecord;
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "pcmd_session";
const LOGIN_CSRF_COOKIE: &str = "pcmd_login_csrf";
const LANG_COOKIE: &str = "pcmd_lang";
/// How long a session lasts.
const SESSION_HOURS: i64 = 8;
/// Failed sign-ins allowed per username in the window before refusing.
const MAX_FAILURES: i64 = 5;
const FAILURE_WINDOW_MINUTES: i64 = 15;

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

pub(crate) fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now_text() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The language of a request: the `pcmd_lang` cookie, Vietnamese by default.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match cookie(headers, LANG_COOKIE) {
        Some("en") => Lang::En,
        _ => Lang::Vi,
    }
}

fn set_cookie(headers: &mut HeaderMap, name: &str, value: &str, max_age: i64, secure: bool) {
    let c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}", if secure { "; Secure" } else { "" });
    if let Ok(v) = HeaderValue::from_str(&c) {
        headers.append(SET_COOKIE, v);
    }
}

/// The signed-in user of a request; pages that need one redirect to /login without it.
pub struct CurrentUser {
    pub user: UserRecord,
    /// The session's token against cross-site request forgery, for forms.
    pub csrf: String,
    pub lang: Lang,
    /// The address asked for, with its query: where switching the language leads back to.
    pub here: String,
    /// The SHA-256 of this session's token (empty outside a session), to keep it when others end.
    pub session: String,
    /// The data version read with the session, as the request began (`cache::version_seen`).
    pub(crate) seen_version: Option<i64>,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(Redirect::to("/login").into_response());
        };
        let session = token_hash(token);
        match state.store.session_user_at(&session, &now_text()).await {
            Ok(Some((user, csrf, version))) => {
                // A form's answer (POST) is not a view to come back to: its path alone.
                let here = match parts.uri.query() {
                    Some(q) if parts.method == axum::http::Method::GET => format!("{}?{q}", parts.uri.path()),
                    _ => parts.uri.path().to_string(),
                };
                Ok(CurrentUser { user, csrf, lang, here, session, seen_version: Some(version) })
            }
            Ok(None) => Err(Redirect::to("/login").into_response()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    csrf: String,
    error: Option<&'static str>,
    username: String,
}

fn login_form(lang: Lang, secure: bool, error: Option<&'static str>, username: String) -> Result<Response, WebError> {
    let csrf = random_token()?;
    let page = LoginPage { t: Tr { lang }, csrf: csrf.clone(), error, username };
    let mut resp = Html(page.render()?).into_response();
    set_cookie(resp.headers_mut(), LOGIN_CSRF_COOKIE, &csrf, 3600, secure);
    Ok(resp)
}

pub async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    login_form(lang_of(&headers), state.secure_cookies, None, String::new())
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
    /// The authenticator's code, for accounts with two-factor sign-in.
    #[serde(default)]
    code: String,
}

/// The address a connection came from, put on each request by the server loop.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub std::net::IpAddr);

/// An address as failed sign-ins are counted by it: a keyed hash under a key drawn
/// when the server starts and kept only in memory, so that the database and the
/// audit log never hold a network address (personal data) and a restart forgets
/// the window's counts, at most 15 minutes of them.
fn client_tag(ip: std::net::IpAddr) -> String {
    use hmac::{Hmac, Mac};
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let key = KEY.get_or_init(|| {
        let mut k = [0u8; 32];
        // Without randomness the key is fixed: counting still works, only the hiding is weaker.
        let _ = getrandom::getrandom(&mut k);
        k
    });
    let Ok(mut mac) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key) else { return String::new() };
    mac.update(ip.to_string().as_bytes());
    mac.finalize().into_bytes().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// The longest name a sign-in keeps (account names have at most 32 characters).
const MAX_USERNAME_CHARS: usize = 64;

/// Failed sign-ins of one account from everywhere in the window before all are
/// refused: a bound on guessing from many addresses at once.
const MAX_FAILURES_ANYWHERE: i64 = 100;

pub async fn login(
    State(state): State<AppState>,
    client: Option<axum::Extension<ClientIp>>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let lang = lang_of(&headers);
    let secure = state.secure_cookies;
    if cookie(&headers, LOGIN_CSRF_COOKIE).is_none_or(|c| !constant_time_eq(c, &form.csrf)) {
        return login_form(lang, secure, Some("csrf_failed"), form.username);
    }
    // No account name is longer than 32 characters (`pages::accounts`): a longer
    // one is cut before it is counted, audited or shown again, so that a
    // megabyte typed as a name does not go into the append-only audit log.
    let username: String = form.username.trim().chars().take(MAX_USERNAME_CHARS).collect();
    let client = client.map(|c| client_tag(c.0 .0)).unwrap_or_default();
    let since = (Utc::now() - Duration::minutes(FAILURE_WINDOW_MINUTES)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    // Failures are counted per account and address: wrong passwords typed
    // elsewhere do not lock the account's owner out.
    let (here, anywhere) = state.store.login_failures_since(&username, &client, &since).await?;
    if here >= MAX_FAILURES || anywhere >= MAX_FAILURES_ANYWHERE {
        let detail = format!("throttled; client {client}; {here} here, {anywhere} in all within {FAILURE_WINDOW_MINUTES} min");
        state.store.audit(&AuditEntry { actor: &username, action: "login_refused", subject: &format!("user:{username}"), detail: &detail }).await?;
        return login_form(lang, secure, Some("login_throttled"), username);
    }
    let user = state.store.user_by_username(&username).await?.filter(|u| u.active);
    let ok = match &user {
        Some(u) => verify_password(&form.password, &u.password_hash),
        // Spend the same work on an unknown name, so that timing does not tell which names exist.
        None => {
            let _ = verify_password(&form.password, password::DUMMY_HASH);
            false
        }
    };
    // Second factor: the account's TOTP secret (sealed), required for caseworkers.
    // Whatever failed, the answer is the same, so that a wrong code does not
    // tell that the password was right; the audit log keeps the reason.
    let why = match (&user, ok) {
        (Some(u), true) => second_factor(&state, u, &form.code).await?.err(),
        _ => Some("password"),
    };
    let user = match (user, why) {
        (Some(u), None) => u,
        (u, why) => {
            state.store.record_login_failure(&username, &client, &now_text()).await?;
            let subject = u.map_or_else(|| format!("user:{username}"), |u| format!("app_user#{}", u.id));
            let detail = format!("{}; client {client}", why.unwrap_or("password"));
            state.store.audit(&AuditEntry { actor: &username, action: "login_failed", subject: &subject, detail: &detail }).await?;
            return login_form(lang, secure, Some("login_failed"), username);
        }
    };
    let token = random_token()?;
    let expires = (Utc::now() + Duration::hours(SESSION_HOURS)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    state.store.create_session(&token_hash(&token), user.id, &random_token()?, &now_text(), &expires).await?;
    state.store.audit(&AuditEntry { actor: &user.username, action: "login", subject: &format!("app_user#{}", user.id), detail: "" }).await?;
    let mut resp = Redirect::to("/").into_response();
    set_cookie(resp.headers_mut(), SESSION_COOKIE, &token, SESSION_HOURS * 3600, secure);
    set_cookie(resp.headers_mut(), LOGIN_CSRF_COOKIE, "", 0, secure);
    Ok(resp)
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Checks the authenticator code of an account that has a TOTP secret (each
/// code works once); a caseworker without one may not sign in at all.
/// `Ok(Err(reason))` is a refusal, with the reason for the audit log.
async fn second_factor(state: &AppState, user: &UserRecord, code: &str) -> Result<Result<(), &'static str>, WebError> {
    Ok(match (&user.totp_secret, user.role) {
        (None, pcmd_domain::roles::Role::Caseworker) => Err("second factor not enrolled"),
        (None, _) => Ok(()),
        (Some(sealed), _) => {
            let Some(secret) = open_secret(state, sealed) else { return Ok(Err("second factor unreadable")) };
            match totp::matching_step(&secret, code, Utc::now().timestamp()) {
                None => Err("second factor wrong"),
                Some(step) if state.store.use_totp_step(user.id, step).await? => Ok(()),
                Some(_) => Err("second factor used already"),
            }
        }
    })
}

/// Bytes from lower-case hex; pairs that are not hex are left out.
pub(crate) fn from_hex(h: &str) -> Vec<u8> {
    (0..h.len()).step_by(2).filter_map(|i| h.get(i..i + 2).and_then(|x| u8::from_str_radix(x, 16).ok())).collect()
}

pub(crate) fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// TOTP secrets are stored sealed (hex) under the same key as personal data.
fn open_secret(state: &AppState, sealed_hex: &str) -> Option<String> {
    state.sealer.as_ref()?.open("app_user.totp_secret", &from_hex(sealed_hex)).ok()
}

/// A TOTP secret sealed for storing (hex); refused when the server has no key.
pub(crate) fn seal_secret(state: &AppState, secret: &str) -> Result<String, WebError> {
    let Some(sealer) = state.sealer.as_ref() else {
        return Err(WebError::Refused(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            pcmd_domain::Msg::new("máy chủ chưa có khóa mã hóa (--key-file)", "the server has no sealing key (--key-file)"),
        ));
    };
    Ok(to_hex(&sealer.seal("app_user.totp_secret", secret)?))
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Posted { user, form: _ }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.store.delete_session(&token_hash(token)).await?;
    }
    state
        .store
        .audit(&AuditEntry { actor: &user.user.username, action: "logout", subject: &format!("app_user#{}", user.user.id), detail: "" })
        .await?;
    let mut resp = Redirect::to("/login").into_response();
    set_cookie(resp.headers_mut(), SESSION_COOKIE, "", 0, state.secure_cookies);
    Ok(resp)
}

#[derive(serde::Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// A path on this site, never another host: it starts with one `/`, and holds no
/// backslash, whitespace or control character (browsers read `/\host` and
/// `/<tab>/host` as `//host`).
pub(crate) fn is_local_path(b: &str) -> bool {
    b.starts_with('/') && !b.starts_with("//") && !b.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control())
}

/// Switches the language and goes back to the page it was asked from (a local path only).
pub async fn switch_language(crate::query::Path(code): crate::query::Path<String>, crate::query::Query(q): crate::query::Query<Back>) -> Response {
    let back = q.back.filter(|b| is_local_path(b)).unwrap_or_else(|| "/".into());
    let mut resp = Redirect::to(&back).into_response();
    let lang = if code == "en" { "en" } else { "vi" };
    set_cookie(resp.headers_mut(), LANG_COOKIE, lang, 365 * 24 * 3600, false);
    resp
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_paths_on_this_site_are_followed_back() {
        for good in ["/", "/plans/soc-trang-117-2023?period=2024", "/records/tip?status=overdue"] {
            assert!(is_local_path(good), "{good}");
        }
        // `/%5Cevil.example/x` and `/%09/evil.example` once decoded, and the plain tricks.
        for bad in ["/\\evil.example/x", "/\t/evil.example", "//evil.example", "https://evil.example", "/ /evil", "/\r\n/evil", ""] {
            assert!(!is_local_path(bad), "{bad:?}");
        }
    }
}
