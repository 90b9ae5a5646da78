//! Accounts administered in the browser (issue 14 item 4): a coordinator
//! creates an account of their territory and gets a one-time link; the link
//! sets the password once and the account signs in; a coordinator may not
//! touch an administrator nor give that role; the password is changed with the
//! current one; sessions are ended; every change is in the audit log.
//! On both backends.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{call, enc, session};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A request without a session (the link's page), a form as a browser sends it.
async fn public(app: &axum::Router, method: &str, path: &str, form: &str) -> (StatusCode, String) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    (status, String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string())
}

fn link_token(page: &str) -> String {
    let at = page.find("set-password?token=").expect("a link on the page") + "set-password?token=".len();
    page[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

#[tokio::test]
async fn accounts_are_administered_in_the_browser() {
    on_each_demo_backend(async |db| {
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let coordinator = session(db, "dieuphoi").await;
        let officer = session(db, "canbo.tpst").await;
        let admin_session = session(db, "quantri").await;

        // Only an administrator or a coordinator opens the list; the coordinator sees no administrator.
        assert_eq!(call(&app, "GET", "/admin/users", &officer, "").await.0, StatusCode::FORBIDDEN);
        let (s, page, _) = call(&app, "GET", "/admin/users", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("canbo.tpst") && !page.contains(">quantri<"), "no administrator in a coordinator's list");
        assert!(!page.contains("<option value=\"admin\""), "nor the administrator's role to give");

        // A new officer of Phường Phú Lợi (31510, in the coordinator's territory), with the link shown once.
        let form = format!("username=canbo.phuloi&display_name={}&role=officer&unit=31510", enc("Cán bộ phường Phú Lợi"));
        let (s, page, _) = call(&app, "POST", "/admin/users", &coordinator, &form).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let token = link_token(&page);
        assert!(token.len() >= 40, "{token}");
        // The same name again is refused with a message, nothing created.
        let (s, page, _) = call(&app, "POST", "/admin/users", &coordinator, &form).await;
        assert_eq!(s, StatusCode::CONFLICT, "{page}");
        assert!(page.contains("đã có"));
        // An administrator's role may not be given by a coordinator.
        let admin_form = "username=quantri2&display_name=X&role=admin&unit=31510";
        assert_eq!(call(&app, "POST", "/admin/users", &coordinator, admin_form).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(db.store.user_by_username("quantri2").await.unwrap().is_none());

        // The link: a short password refused, then set once; used again, it is refused.
        let (s, page) = public(&app, "GET", &format!("/account/set-password?token={token}"), "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("canbo.phuloi"));
        let (s, _) = public(&app, "POST", "/account/set-password", &format!("token={token}&new=ngan&repeat=ngan")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let pw = enc("mùa lúa chín vàng trên đồng");
        let (s, page) = public(&app, "POST", "/account/set-password", &format!("token={token}&new={pw}&repeat={pw}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Đã đặt mật khẩu"), "{page}");
        assert_eq!(public(&app, "GET", &format!("/account/set-password?token={token}"), "").await.0, StatusCode::NOT_FOUND);
        let u = db.store.user_by_username("canbo.phuloi").await.unwrap().unwrap();
        assert!(pcmd_web::auth::verify_password("mùa lúa chín vàng trên đồng", &u.password_hash));

        // A coordinator may not give the roles that see persons or tips, nor act on a peer coordinator.
        for role in ["caseworker", "investigator", "coordinator"] {
            let f = format!("username=thu.{role}&display_name=X&role={role}&unit=31510");
            assert_eq!(call(&app, "POST", "/admin/users", &coordinator, &f).await.0, StatusCode::UNPROCESSABLE_ENTITY, "{role}");
        }
        let (s, page, _) = call(&app, "GET", "/admin/users", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(!page.contains("<option value=\"caseworker\""), "nor offered");
        let ctxh = db.store.user_by_username("ctxh.tpst").await.unwrap().unwrap();
        assert_eq!(call(&app, "POST", &format!("/admin/users/{}", ctxh.id), &coordinator, "action=reset").await.0, StatusCode::FORBIDDEN);

        // The coordinator may not act on an administrator's account.
        let admin = db.store.user_by_username("quantri").await.unwrap().unwrap();
        assert_eq!(call(&app, "POST", &format!("/admin/users/{}", admin.id), &coordinator, "action=disable").await.0, StatusCode::FORBIDDEN);
        // Disabling the new account ends its sessions; the officer's page stops working.
        let newbie = session(db, "canbo.phuloi").await;
        assert_eq!(call(&app, "GET", "/account", &newbie, "").await.0, StatusCode::OK);
        assert_eq!(call(&app, "POST", &format!("/admin/users/{}", u.id), &coordinator, "action=disable").await.0, StatusCode::SEE_OTHER);
        assert_eq!(call(&app, "GET", "/account", &newbie, "").await.0, StatusCode::SEE_OTHER, "sent to sign in");
        // Enabling it again is the administrator's.
        assert_eq!(call(&app, "POST", &format!("/admin/users/{}", u.id), &coordinator, "action=enable").await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "POST", &format!("/admin/users/{}", u.id), &admin_session, "action=enable").await.0, StatusCode::SEE_OTHER);

        // The officer changes their own password: the current one is asked for.
        let (s, page, _) = call(&app, "POST", "/account/password", &officer, &format!("current=sai&new={pw}&repeat={pw}")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("mật khẩu hiện tại không đúng"));
        // Each wrong try is a failed sign-in, audited; the sixth within 15 minutes waits.
        for _ in 0..4 {
            assert_eq!(
                call(&app, "POST", "/account/password", &officer, &format!("current=sai&new={pw}&repeat={pw}")).await.0,
                StatusCode::UNPROCESSABLE_ENTITY
            );
        }
        assert_eq!(
            call(&app, "POST", "/account/password", &officer, &format!("current=sai&new={pw}&repeat={pw}")).await.0,
            StatusCode::TOO_MANY_REQUESTS
        );
        assert_eq!(db.store.search_audit("password_change_refused", 20, 0).await.unwrap().len(), 5);

        // A caseworker, made by the administrator, enrols the second factor with the password on the link's page.
        let form = format!("username=ctxh.phuloi&display_name={}&role=caseworker&unit=31510", enc("Nhân viên CTXH"));
        let (s, page, _) = call(&app, "POST", "/admin/users", &admin_session, &form).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let link = link_token(&page);
        let (_, page) = public(&app, "GET", &format!("/account/set-password?token={link}"), "").await;
        assert!(page.contains("<svg") && page.contains("name=\"secret\""), "the QR code on the link's page");
        let at = page.find("name=\"secret\" value=\"").unwrap() + "name=\"secret\" value=\"".len();
        let secret: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let (s, _) = public(&app, "POST", "/account/set-password", &format!("token={link}&new={pw}&repeat={pw}&secret={secret}&code=000000")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "no password without the second factor");
        let code = pcmd_web::auth::totp::code_at(&secret, chrono::Utc::now().timestamp()).unwrap();
        let (s, page) =
            public(&app, "POST", "/account/set-password", &format!("token={link}&new={pw}&repeat={pw}&secret={secret}&code={code}")).await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Đã đặt mật khẩu"), "{page}");
        assert!(db.store.user_by_username("ctxh.phuloi").await.unwrap().unwrap().totp_secret.is_some());

        // Two-factor sign-in: the QR code drawn as SVG, a wrong code refused, the right one turns it on.
        let (s, page, _) = call(&app, "GET", "/account/totp", &officer, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("<svg") && !page.contains("style="), "an SVG with attributes only (the CSP allows no inline style)");
        let at = page.find("name=\"secret\" value=\"").unwrap() + "name=\"secret\" value=\"".len();
        let secret: String = page[at..].chars().take_while(|c| *c != '"').collect();
        assert_eq!(secret.len(), 32);
        let (s, _, _) = call(&app, "POST", "/account/totp", &officer, &format!("secret={secret}&code=000000")).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        let code = pcmd_web::auth::totp::code_at(&secret, chrono::Utc::now().timestamp()).unwrap();
        let (s, _, _) = call(&app, "POST", "/account/totp", &officer, &format!("secret={secret}&code={code}")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(db.store.user_by_username("canbo.tpst").await.unwrap().unwrap().totp_secret.is_some());

        // Every change is in the audit log, with who made it.
        let audit = db.store.search_audit("canbo.phuloi", 20, 0).await.unwrap();
        let actions: Vec<(&str, &str)> = audit.iter().map(|a| (a.actor.as_str(), a.action.as_str())).collect();
        for expected in [("dieuphoi", "password_link"), ("canbo.phuloi", "password_set"), ("dieuphoi", "user_disable"), ("quantri", "user_enable")] {
            assert!(actions.contains(&expected), "{expected:?} in {actions:?}");
        }
        assert!(db.store.search_audit("create_user", 20, 0).await.unwrap().iter().any(|a| a.actor == "dieuphoi"));
    })
    .await;
}

#[tokio::test]
async fn agencies_and_the_lead_are_changed_in_the_browser() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        let officer = session(db, "canbo.tpst").await;
        assert_eq!(call(&app, "GET", "/admin/agencies", &officer, "").await.0, StatusCode::FORBIDDEN);
        let (s, page, _) = call(&app, "GET", "/admin/agencies", &coordinator, "").await;
        assert_eq!(s, StatusCode::OK);
        let at = page.find("name=\"unit\" value=\"").unwrap() + "name=\"unit\" value=\"".len();
        let province: String = page[at..].chars().take_while(|c| *c != '"').collect();
        let unit = db.store.unit_index().await.unwrap().resolve(&province, chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).unwrap().id;
        let before = db.store.leads(unit).await.unwrap();
        let latest = before.last().unwrap().clone();

        // A new agency of the province.
        let add = format!("action=add&unit={province}&code=st-thu&name={}&kind=department&from=01%2F01%2F2026", enc("Sở Thử nghiệm"));
        assert_eq!(call(&app, "POST", "/admin/agencies", &coordinator, &add).await.0, StatusCode::SEE_OTHER);
        assert!(db.store.agency_id_of("st-thu").await.unwrap().is_some());
        // The same code again: refused with a message, nothing added.
        let (s, page, _) = call(&app, "POST", "/admin/agencies", &coordinator, &add).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert!(page.contains("đã có"), "{page}");

        // The lead handed to it ten days from today with its basis: the lead before ends the day before.
        let today = pcmd_domain::date::today_vn();
        let day = |d: chrono::NaiveDate| enc(&d.format("%d/%m/%Y").to_string());
        let from = today + chrono::Days::new(10);
        let lead = format!("action=lead&unit={province}&agency=st-thu&from={}&basis={}", day(from), enc("Quyết định thử số 1/QĐ-UBND"));
        assert_eq!(call(&app, "POST", "/admin/agencies", &coordinator, &lead).await.0, StatusCode::SEE_OTHER);
        let after = db.store.leads(unit).await.unwrap();
        assert_eq!(after.len(), before.len() + 1);
        let (old, new) = (&after[after.len() - 2], &after[after.len() - 1]);
        // (A lead that had already ended — old Sóc Trăng's, on 30/06/2025 — keeps its end.)
        assert_eq!((old.agency_code.as_str(), old.valid_to), (latest.agency_code.as_str(), latest.valid_to.min(from - chrono::Days::new(1))));
        assert_eq!((new.agency_code.as_str(), new.basis.as_str()), ("st-thu", "Quyết định thử số 1/QĐ-UBND"));
        // A hand-over before the latest one is refused; so is one without a basis.
        let early = format!("action=lead&unit={province}&agency={}&from={}&basis=x", latest.agency_code, day(from - chrono::Days::new(5)));
        let (s, page, _) = call(&app, "POST", "/admin/agencies", &coordinator, &early).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("phải sau lần giao gần nhất"), "{page}");
        let no_basis = format!("action=lead&unit={province}&agency={}&from={}&basis=", latest.agency_code, day(from + chrono::Days::new(5)));
        assert_eq!(call(&app, "POST", "/admin/agencies", &coordinator, &no_basis).await.0, StatusCode::UNPROCESSABLE_ENTITY);
        // Another province's agency may not lead; nor may a day years ahead or months back be set.
        let foreign = format!("action=lead&unit={province}&agency=lc-ca&from={}&basis=x", day(from + chrono::Days::new(5)));
        assert_eq!(call(&app, "POST", "/admin/agencies", &coordinator, &foreign).await.0, StatusCode::BAD_REQUEST);
        for far in [chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(), today - chrono::Days::new(200)] {
            let form = format!("action=lead&unit={province}&agency={}&from={}&basis=x", latest.agency_code, day(far));
            assert_eq!(call(&app, "POST", "/admin/agencies", &coordinator, &form).await.0, StatusCode::BAD_REQUEST, "{far}");
        }
        assert_eq!(db.store.leads(unit).await.unwrap().len(), after.len());
        let audit = db.store.search_audit("lead_hand_over", 10, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.actor == "dieuphoi" && a.detail.contains("Quyết định thử")));
    })
    .await;
}

/// The status of `GET /api/v1/plans` with `token`.
async fn api_status(app: &axum::Router, token: String) -> StatusCode {
    let req = Request::builder().uri("/api/v1/plans").header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
    app.clone().oneshot(req).await.unwrap().status()
}

#[tokio::test]
async fn a_password_reset_by_link_revokes_the_accounts_api_tokens() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let admin = session(db, "quantri").await;
        let out = crate::pcmd(db, &["token", "create", "--username", "canbo.tpst", "--name", "bao-cao-xa"]).await.unwrap();
        let token = out
            .split_whitespace()
            .find(|w| w.len() >= 32 && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap()
            .to_string();
        let api = |token: String| api_status(&app, token);
        assert_eq!(api(token.clone()).await, StatusCode::OK, "the token works");
        // The administrator makes a reset link; the owner sets a new password with it.
        let officer = db.store.user_by_username("canbo.tpst").await.unwrap().unwrap();
        let (s, page, _) = call(&app, "POST", &format!("/admin/users/{}", officer.id), &admin, "action=reset").await;
        assert_eq!(s, StatusCode::OK, "{page}");
        let link = link_token(&page);
        let pw = enc("ruộng bậc thang mùa nước đổ");
        let (s, page) = public(&app, "POST", "/account/set-password", &format!("token={link}&new={pw}&repeat={pw}")).await;
        assert!(s == StatusCode::OK && page.contains("Đã đặt mật khẩu"), "{page}");
        // The token stops with the reset, and the audit says so.
        assert_eq!(api(token).await, StatusCode::UNAUTHORIZED);
        let audit = db.store.search_audit("password_set", 5, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.detail.contains("1 API token(s) revoked")), "{audit:?}");
    })
    .await;
}

/// Found by the safety review of 07/12/2026: an officer's token, the account then made a
/// caseworker by the administrator, read a support case's identity without the caseworker's
/// second factor; disabling and enabling brought tokens back; a new password kept them.
/// Now each of the three revokes the account's tokens (one token made before each: 1 revoked).
#[tokio::test]
async fn a_change_of_rights_password_or_activity_revokes_the_accounts_tokens() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let admin = session(db, "quantri").await;
        let new_token = || async {
            let out = crate::pcmd(db, &["token", "create", "--username", "canbo.tpst", "--name", "t"]).await.unwrap();
            out.lines().last().unwrap().trim().to_string()
        };
        let api = |token: String| api_status(&app, token);
        let officer = db.store.user_by_username("canbo.tpst").await.unwrap().unwrap();

        // 1. The role changed (officer → caseworker of Cần Thơ, 92, the review's step).
        let token = new_token().await;
        assert_eq!(api(token.clone()).await, StatusCode::OK, "the token works");
        let form = "action=change&role=caseworker&unit=92&agency=";
        let (s, page, _) = call(&app, "POST", &format!("/admin/users/{}", officer.id), &admin, form).await;
        assert!(s.is_success() || s.is_redirection(), "{s} {page}");
        assert_eq!(db.store.user_by_id(officer.id).await.unwrap().unwrap().role.as_str(), "caseworker");
        assert_eq!(api(token).await, StatusCode::UNAUTHORIZED, "revoked with the change of rights");
        let audit = db.store.search_audit("user_change", 5, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.detail.contains("1 API token(s) revoked")), "{audit:?}");

        // 2. Disabled, then enabled: the token made before does not come back.
        let token = new_token().await;
        assert_eq!(api(token.clone()).await, StatusCode::OK);
        db.store.set_account_active(officer.id, false, "quantri").await.unwrap();
        db.store.set_account_active(officer.id, true, "quantri").await.unwrap();
        assert_eq!(api(token).await, StatusCode::UNAUTHORIZED, "revoked by disabling, not suspended");

        // 3. A new password chosen by the owner.
        let token = new_token().await;
        assert_eq!(api(token.clone()).await, StatusCode::OK);
        db.store.change_password(officer.id, &officer.password_hash, "no-session").await.unwrap();
        assert_eq!(api(token).await, StatusCode::UNAUTHORIZED, "revoked by the new password");
        let audit = db.store.search_audit("password_change", 5, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.detail.contains("1 API token(s) revoked")), "{audit:?}");

        // 4. The administrator's "end all sessions" (an account feared taken) takes its tokens too.
        let token = new_token().await;
        assert_eq!(api(token.clone()).await, StatusCode::OK);
        let (s, page, _) = call(&app, "POST", &format!("/admin/users/{}", officer.id), &admin, "action=revoke").await;
        assert!(s.is_success() || s.is_redirection(), "{s} {page}");
        assert_eq!(api(token).await, StatusCode::UNAUTHORIZED, "revoked with every session");
        let audit = db.store.search_audit("session_revoke", 5, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.detail.contains("khóa API thu hồi (API tokens revoked): 1")), "{audit:?}");
    })
    .await;
}
