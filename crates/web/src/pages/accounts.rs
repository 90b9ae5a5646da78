//! Accounts in the browser (issue 14 item 4): `/account` for every user (the
//! password, the sessions), `/account/set-password` for a one-time link, and
//! `/admin/users` for the administrator (every account) and the coordinator
//! (the accounts of their territory, never an administrator's). Every change
//! is audited by the store.

use super::Chrome;
use crate::auth::{hash_password, now_text, random_token, token_hash, verify_password, CurrentUser, Posted};
use crate::query::Path;
use crate::{AppState, WebError};
use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pcmd_domain::roles::Role;
use pcmd_domain::Msg;
use pcmd_store::{AccountView, NewUser, SessionView};
use std::collections::HashMap;

/// A one-time link works this long.
const LINK_HOURS: i64 = 72;
/// The shortest password accepted.
const MIN_PASSWORD: usize = 12;

fn refused(vi: &str, en: &str) -> WebError {
    WebError::Refused(axum::http::StatusCode::UNPROCESSABLE_ENTITY, Msg::new(vi, en))
}

fn hours_from_now(h: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(h)).format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A new password's faults, in the reader's language; none when acceptable.
fn password_fault(new: &str, repeat: &str, username: &str, vi: bool) -> Option<String> {
    let say = |a: &str, b: &str| Some(if vi { a.to_string() } else { b.to_string() });
    if new.chars().count() < MIN_PASSWORD {
        return say("mật khẩu mới cần ít nhất 12 ký tự", "the new password needs at least 12 characters");
    }
    if new != repeat {
        return say("hai lần nhập mật khẩu mới không giống nhau", "the new password and its repetition differ");
    }
    if new.to_lowercase().contains(&username.to_lowercase()) {
        return say("mật khẩu không được chứa tên đăng nhập", "the password may not contain the username");
    }
    None
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    totp: bool,
    sessions: Vec<(SessionView, bool)>,
    message: String,
    error: String,
}

async fn account_page(state: &AppState, user: &CurrentUser, message: String, error: String) -> Result<Html<String>, WebError> {
    let sessions = state.store.sessions_of(user.user.id, &now_text()).await?;
    let sessions = sessions.into_iter().map(|s| (s.clone(), user.session.starts_with(&s.id))).collect();
    Ok(Html(AccountPage { c: Chrome::of(user, "/account".into()), totp: user.user.totp_secret.is_some(), sessions, message, error }.render()?))
}

#[derive(serde::Deserialize, Default)]
pub struct AccountQuery {
    totp: Option<String>,
}

pub async fn account(
    State(state): State<AppState>,
    user: CurrentUser,
    crate::query::Query(q): crate::query::Query<AccountQuery>,
) -> Result<Html<String>, WebError> {
    let message = if q.totp.is_some() { crate::i18n::Tr { lang: user.lang }.get("account_totp_done").to_string() } else { String::new() };
    account_page(&state, &user, message, String::new()).await
}

/// Changes one's own password (the current one asked again); other sessions end.
pub async fn change_password(State(state): State<AppState>, Posted { user, form }: Posted<Vec<(String, String)>>) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let vi = user.lang == crate::i18n::Lang::Vi;
    // Guessing the current password from a session left open: five tries in 15 minutes,
    // each counted as a failed sign-in and audited.
    let since = (chrono::Utc::now() - chrono::Duration::minutes(15)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    if state.store.login_failures_since(&user.user.username, "account-page", &since).await?.0 >= 5 {
        let e = if vi {
            "đã nhập sai mật khẩu hiện tại nhiều lần: hãy đợi 15 phút"
        } else {
            "too many wrong current passwords: wait 15 minutes"
        };
        return Ok((axum::http::StatusCode::TOO_MANY_REQUESTS, account_page(&state, &user, String::new(), e.into()).await?).into_response());
    }
    if !verify_password(&get("current"), &user.user.password_hash) {
        state.store.record_login_failure(&user.user.username, "account-page", &now_text()).await?;
        let subject = format!("app_user:{}", user.user.username);
        let entry = pcmd_store::audit::AuditEntry {
            actor: &user.user.username,
            action: "password_change_refused",
            subject: &subject,
            detail: "wrong current password",
        };
        state.store.audit(&entry).await?;
        let e =
            if vi { "mật khẩu hiện tại không đúng; không có gì thay đổi" } else { "the current password is wrong; nothing changed" };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, account_page(&state, &user, String::new(), e.into()).await?).into_response());
    }
    if let Some(e) = password_fault(&get("new"), &get("repeat"), &user.user.username, vi) {
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, account_page(&state, &user, String::new(), e).await?).into_response());
    }
    let hash = hash_password(&get("new")).map_err(|e| refused(&e, &e))?;
    state.store.change_password(user.user.id, &hash, &user.session).await?;
    let m = if vi {
        "Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc."
    } else {
        "The password was changed; the other sessions ended."
    };
    Ok(account_page(&state, &user, m.into(), String::new()).await?.into_response())
}

/// Ends one of one's own sessions, or all but this one.
pub async fn end_sessions(State(state): State<AppState>, Posted { user, form }: Posted<Vec<(String, String)>>) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    match f.get("session").map(String::as_str) {
        Some("others") => {
            for s in state.store.sessions_of(user.user.id, &now_text()).await? {
                if !user.session.starts_with(&s.id) {
                    state.store.revoke_sessions(user.user.id, Some(&s.id), &user.user.username).await?;
                }
            }
        }
        Some(id) => {
            state.store.revoke_sessions(user.user.id, Some(id), &user.user.username).await?;
        }
        None => {}
    }
    Ok(Redirect::to("/account").into_response())
}

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage {
    c: Chrome,
    enrolled: bool,
    secret: String,
    grouped: String,
    qr_svg: String,
    error: String,
}

/// The otpauth address as a QR code, drawn as SVG (attributes only: the page's
/// security policy allows no inline style).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build()
            .replacen("<?xml version=\"1.0\" standalone=\"yes\"?>", "", 1),
        Err(_) => String::new(),
    }
}

fn totp_page(user: &CurrentUser, secret: String, error: String) -> Result<Html<String>, WebError> {
    let uri = crate::auth::totp::otpauth_uri(&user.user.username, &secret);
    let grouped = secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect::<Vec<_>>().join(" ");
    let page = TotpPage {
        c: Chrome::of(user, "/account/totp".into()),
        enrolled: user.user.totp_secret.is_some(),
        qr_svg: qr_svg(&uri),
        secret,
        grouped,
        error,
    };
    Ok(Html(page.render()?))
}

/// Two-factor sign-in: a new secret shown as a QR code and in letters; it takes
/// effect once a code from the app is entered.
pub async fn totp_form(user: CurrentUser) -> Result<Html<String>, WebError> {
    let secret = if user.user.totp_secret.is_some() { String::new() } else { crate::auth::totp::new_secret()? };
    totp_page(&user, secret, String::new())
}

pub async fn totp_confirm(State(state): State<AppState>, Posted { user, form }: Posted<Vec<(String, String)>>) -> Result<Response, WebError> {
    let f: HashMap<String, String> = form.into_iter().collect();
    let secret = f.get("secret").cloned().unwrap_or_default();
    let code: String = f.get("code").map(|c| c.chars().filter(char::is_ascii_digit).collect()).unwrap_or_default();
    let vi = user.lang == crate::i18n::Lang::Vi;
    if user.user.totp_secret.is_some() {
        return Err(refused("tài khoản đã bật xác thực hai lớp", "two-factor sign-in is already on"));
    }
    let valid_secret = valid_secret(&secret);
    if !valid_secret || !crate::auth::totp::verify(&secret, &code, chrono::Utc::now().timestamp()) {
        let e = if vi {
            "mã không đúng: hãy nhập mã 6 số đang hiện trong ứng dụng"
        } else {
            "wrong code: enter the 6 digits the app shows now"
        };
        let secret = if valid_secret { secret } else { crate::auth::totp::new_secret()? };
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, totp_page(&user, secret, e.into())?).into_response());
    }
    let hex = crate::auth::seal_secret(&state, &secret)?;
    if !state.store.enrol_totp_once(user.user.id, &hex, &user.user.username).await? {
        return Err(refused("tài khoản đã bật xác thực hai lớp", "two-factor sign-in is already on"));
    }
    // The code used to turn it on cannot sign in too.
    if let Some(step) = crate::auth::totp::matching_step(&secret, &code, chrono::Utc::now().timestamp()) {
        state.store.use_totp_step(user.user.id, step).await?;
    }
    Ok(Redirect::to("/account?totp=1").into_response())
}

#[derive(Template)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    t: crate::i18n::Tr,
    token: String,
    username: String,
    error: String,
    done: bool,
    /// For an account that must sign in with a second factor and has none (a
    /// caseworker): the secret to enrol with the password, as QR and letters.
    secret: String,
    qr_svg: String,
    grouped: String,
}

impl SetPasswordPage {
    fn new(t: crate::i18n::Tr, token: String, username: String, error: String, done: bool, secret: String) -> Self {
        let (qr_svg, grouped) = if secret.is_empty() {
            (String::new(), String::new())
        } else {
            (
                qr_svg(&crate::auth::totp::otpauth_uri(&username, &secret)),
                secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).to_string()).collect::<Vec<_>>().join(" "),
            )
        };
        SetPasswordPage { t, token, username, error, done, secret, qr_svg, grouped }
    }
}

/// A caseworker may not sign in without a second factor: one who has none
/// enrols it on the link's page, with the password.
fn needs_second_factor(user: &pcmd_store::UserRecord) -> bool {
    user.role == Role::Caseworker && user.totp_secret.is_none()
}

fn valid_secret(secret: &str) -> bool {
    secret.len() == 32 && secret.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
}

fn link_gone(t: crate::i18n::Tr) -> Result<Response, WebError> {
    let e = t.get("link_invalid").to_string();
    Ok((axum::http::StatusCode::NOT_FOUND, Html(SetPasswordPage::new(t, String::new(), String::new(), e, false, String::new()).render()?))
        .into_response())
}

#[derive(serde::Deserialize, Default)]
pub struct LinkQuery {
    token: Option<String>,
}

/// The page a one-time link opens: no sign-in needed, the link is the proof.
pub async fn set_password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    crate::query::Query(q): crate::query::Query<LinkQuery>,
) -> Result<Response, WebError> {
    let t = crate::i18n::Tr { lang: crate::auth::lang_of(&headers) };
    let token = q.token.unwrap_or_default();
    let Some(user) = state.store.password_link_user(&token_hash(&token), &now_text()).await? else { return link_gone(t) };
    let secret = if needs_second_factor(&user) { crate::auth::totp::new_secret()? } else { String::new() };
    Ok(Html(SetPasswordPage::new(t, token, user.username, String::new(), false, secret).render()?).into_response())
}

pub async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let t = crate::i18n::Tr { lang: crate::auth::lang_of(&headers) };
    let vi = t.lang == crate::i18n::Lang::Vi;
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let token = get("token");
    let Some(user) = state.store.password_link_user(&token_hash(&token), &now_text()).await? else { return link_gone(t) };
    let enrol = needs_second_factor(&user);
    let secret = if enrol && valid_secret(&get("secret")) {
        get("secret")
    } else if enrol {
        crate::auth::totp::new_secret()?
    } else {
        String::new()
    };
    let code: String = get("code").chars().filter(char::is_ascii_digit).collect();
    let now = chrono::Utc::now().timestamp();
    let fault = password_fault(&get("new"), &get("repeat"), &user.username, vi).or_else(|| {
        (enrol && !crate::auth::totp::verify(&secret, &code, now)).then(|| {
            if vi {
                "mã xác thực không đúng: nhập mã 6 số đang hiện trong ứng dụng".to_string()
            } else {
                "wrong code: enter the 6 digits the app shows now".to_string()
            }
        })
    });
    if let Some(e) = fault {
        let page = SetPasswordPage::new(t, token, user.username, e, false, secret);
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response());
    }
    let sealed = if enrol { Some(crate::auth::seal_secret(&state, &secret)?) } else { None };
    let hash = hash_password(&get("new")).map_err(|e| refused(&e, &e))?;
    let used = state.store.use_password_link(&token_hash(&token), &hash, &now_text()).await?;
    if let (true, Some(hex)) = (used, sealed) {
        state.store.enrol_totp_once(user.id, &hex, &user.username).await?;
        if let Some(step) = crate::auth::totp::matching_step(&secret, &code, now) {
            state.store.use_totp_step(user.id, step).await?;
        }
    }
    Ok(Html(SetPasswordPage::new(t, String::new(), user.username, String::new(), used, String::new()).render()?).into_response())
}

/// What an administrator or a coordinator may do to accounts.
fn may_administer(user: &CurrentUser) -> Result<(), WebError> {
    if matches!(user.user.role, Role::Admin | Role::Coordinator) {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

/// Roles only an administrator gives, and accounts only an administrator
/// changes: the administrator and the coordinator (a coordinator could otherwise
/// take a peer's account with a reset link), and the roles that see persons'
/// identities or tips (a coordinator could otherwise make an account they hold
/// into a caseworker).
fn admin_only(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Caseworker | Role::Investigator)
}

/// Whether `user` may change `target`: an administrator any other account; a
/// coordinator the accounts of their territory that are not administrators'.
fn may_change(state: &AppState, user: &CurrentUser, target: &pcmd_store::UserRecord) -> bool {
    if target.id == user.user.id {
        return false;
    }
    match user.user.role {
        Role::Admin => true,
        Role::Coordinator => !admin_only(target.role) && state.scope(user.user.unit_id).contains(&target.unit_id),
        _ => false,
    }
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    c: Chrome,
    accounts: Vec<AccountView>,
    roles: Vec<(String, String)>,
    link: String,
    link_for: String,
    error: String,
    /// For each account, whether the reader may act on it (never their own here).
    changeable: Vec<bool>,
    /// Whether the reader is an administrator (who alone enables an account).
    admin: bool,
}

fn roles_for(user: &CurrentUser) -> Vec<(String, String)> {
    let tr = crate::i18n::Tr { lang: user.lang };
    Role::ALL
        .iter()
        .filter(|r| user.user.role == Role::Admin || !admin_only(**r))
        .map(|r| (r.as_str().to_string(), tr.try_get(&format!("role_{}", r.as_str())).unwrap_or(r.label_vi()).to_string()))
        .collect()
}

async fn users_page(state: &AppState, user: &CurrentUser, link: String, link_for: String, error: String) -> Result<Html<String>, WebError> {
    let scope: Option<Vec<i64>> = (user.user.role != Role::Admin).then(|| state.scope(user.user.unit_id).iter().copied().collect());
    let mut accounts = state.store.accounts(scope.as_deref(), &now_text()).await?;
    if user.user.role != Role::Admin {
        accounts.retain(|a| a.role != Role::Admin);
    }
    let me = user.user.username.clone();
    let changeable: Vec<bool> = accounts.iter().map(|a| a.username != me && (user.user.role == Role::Admin || !admin_only(a.role))).collect();
    let page = UsersPage {
        c: Chrome::of(user, "/admin/users".into()),
        accounts,
        roles: roles_for(user),
        link,
        link_for,
        error,
        changeable,
        admin: user.user.role == Role::Admin,
    };
    Ok(Html(page.render()?))
}

pub async fn users(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, WebError> {
    may_administer(&user)?;
    users_page(&state, &user, String::new(), String::new(), String::new()).await
}

/// The link's full address, from the address the request came to.
fn link_url(headers: &HeaderMap, token: &str, secure: bool) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let path = format!("/account/set-password?token={token}");
    if host.is_empty() {
        path
    } else {
        format!("{}://{host}{path}", if secure { "https" } else { "http" })
    }
}

async fn new_link(state: &AppState, headers: &HeaderMap, user_id: i64, purpose: &str, actor: &str) -> Result<String, WebError> {
    let token = random_token()?;
    state.store.create_password_link(user_id, &token_hash(&token), purpose, actor, &now_text(), &hours_from_now(LINK_HOURS)).await?;
    Ok(link_url(headers, &token, state.secure_cookies))
}

/// Creates an account with no usable password and shows, once, the link that sets it.
pub async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    may_administer(&user)?;
    let f: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let vi = user.lang == crate::i18n::Lang::Vi;
    let fail = |vi_msg: &str, en_msg: &str| if vi { vi_msg.to_string() } else { en_msg.to_string() };
    let username = get("username");
    let role: Option<Role> = get("role").parse().ok();
    let today = pcmd_domain::date::today_vn();
    let unit = state.units.resolve(&get("unit"), today).cloned();
    let error = if !(3..=32).contains(&username.len()) || !username.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || ".-_".contains(c))
    {
        fail("tên đăng nhập gồm 3–32 chữ thường không dấu, số, dấu chấm, gạch", "a username is 3–32 small ASCII letters, digits, dots, dashes")
    } else if get("display_name").is_empty() {
        fail("cần họ tên", "a name is needed")
    } else if role.is_none_or(|r| admin_only(r) && user.user.role != Role::Admin) {
        fail("vai trò không được phép", "that role may not be given")
    } else if unit.as_ref().is_none_or(|u| user.user.role != Role::Admin && !state.scope(user.user.unit_id).contains(&u.id)) {
        fail("mã đơn vị không có hoặc ngoài địa bàn của bạn (đơn vị đang hiệu lực hôm nay)", "no such unit today, or outside your territory")
    } else {
        String::new()
    };
    let agency_code = get("agency");
    let in_scope = |a: &pcmd_store::AgencyView| {
        user.user.role == Role::Admin || state.units.resolve(&a.unit_code, today).is_some_and(|u| state.scope(user.user.unit_id).contains(&u.id))
    };
    let known = state.store.agencies(None).await?.iter().any(|a| a.code == agency_code && in_scope(a));
    let agency_id = if agency_code.is_empty() || !known { None } else { state.store.agency_id_of(&agency_code).await? };
    if !agency_code.is_empty() && agency_id.is_none() {
        let e = fail("không có cơ quan mã đó", "no agency with that code");
        return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, users_page(&state, &user, String::new(), String::new(), e).await?).into_response());
    }
    let (Some(role), Some(unit), true) = (role, unit, error.is_empty()) else {
        return Ok(
            (axum::http::StatusCode::UNPROCESSABLE_ENTITY, users_page(&state, &user, String::new(), String::new(), error).await?).into_response()
        );
    };
    // No one knows this password: the account is used only once its link sets one.
    let unusable = hash_password(&random_token()?).map_err(|e| refused(&e, &e))?;
    let created_at = now_text();
    let id = state
        .store
        .create_user_as(
            &NewUser {
                username: &username,
                display_name: &get("display_name"),
                role,
                unit_id: unit.id,
                agency_id,
                password_hash: &unusable,
                created_at: &created_at,
            },
            &user.user.username,
        )
        .await?;
    let link = new_link(&state, &headers, id, "new", &user.user.username).await?;
    Ok(users_page(&state, &user, link, username, String::new()).await?.into_response())
}

/// Changes an account: `action` is change (role, unit, agency), disable, enable, reset (a new link) or revoke (its sessions).
pub async fn user_action(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Posted { user, form }: Posted<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    may_administer(&user)?;
    let f: HashMap<String, String> = form.into_iter().collect();
    let get = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let target = state.store.user_by_id(id).await?.ok_or(WebError::NotFound)?;
    if !may_change(&state, &user, &target) {
        return Err(WebError::Forbidden);
    }
    let actor = user.user.username.clone();
    match get("action").as_str() {
        "disable" => state.store.set_account_active(id, false, &actor).await?,
        // Enabling is the administrator's: a coordinator could otherwise undo the administrator's lock.
        "enable" if user.user.role == Role::Admin => state.store.set_account_active(id, true, &actor).await?,
        "enable" => return Err(WebError::Forbidden),
        "revoke" => {
            state.store.revoke_sessions(id, None, &actor).await?;
        }
        "reset" => {
            let link = new_link(&state, &headers, id, "reset", &actor).await?;
            return Ok(users_page(&state, &user, link, target.username, String::new()).await?.into_response());
        }
        "change" => {
            let role: Role = get("role").parse().map_err(|_| refused("vai trò không hợp lệ", "invalid role"))?;
            if admin_only(role) && user.user.role != Role::Admin {
                return Err(WebError::Forbidden);
            }
            let unit = state
                .units
                .resolve(&get("unit"), pcmd_domain::date::today_vn())
                .cloned()
                .ok_or_else(|| refused("không có đơn vị mã đó (đang hiệu lực hôm nay)", "no unit with that code today"))?;
            if user.user.role != Role::Admin && !state.scope(user.user.unit_id).contains(&unit.id) {
                return Err(WebError::Forbidden);
            }
            state.store.change_account(id, role, unit.id, target.agency_id, &actor).await?;
        }
        _ => return Err(refused("thao tác không hợp lệ", "invalid action")),
    }
    Ok(Redirect::to("/admin/users").into_response())
}
