//! The report workflow and its lock: draft → submitted → returned with a
//! comment → submitted → accepted; a district waits for its communes; an
//! accepted report refuses imports and form posts into its period and changes
//! nothing; a coordinator reopens it with a reason, audited.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_store::reports::Step;
use sha2::{Digest, Sha256};
use sqlx::Row;
use tower::ServiceExt;

async fn activities_at(db: &crate::helpers::TestDb, unit: i64) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM activity WHERE unit_id = $1").bind(unit).fetch_one(db.store.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn accepted_reports_lock_their_period_until_reopened() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
        let commune = units.resolve("31507", day).unwrap().clone();
        let district = units.resolve("941", day).unwrap().clone();
        // 2024-H1 by Decree 09: 15/12/2023 – 14/06/2024.
        let h1 = Period::parse("2024-H1", Cutoff::Decree09).unwrap();
        let plan = "soc-trang-117-2023";
        let id = db.store.create_report(plan, commune.id, &h1, "canbo").await.unwrap();
        assert!(db.store.create_report(plan, commune.id, &h1, "canbo").await.unwrap_err().to_string().contains("đã có báo cáo"));
        let refused = |e: pcmd_store::StoreError| e.to_string();
        // Not yet submitted: it cannot be accepted.
        assert!(refused(db.store.report_step(id, 1, Step::Accept, None, "dieuphoi", &units).await.unwrap_err()).contains("dự thảo"));
        let narrative = pcmd_domain::report::Narrative {
            situation: "Trên địa bàn phường có 12 cơ sở kinh doanh dịch vụ.".into(),
            results: "Tổ chức 3 buổi tuyên truyền tại khu nhà trọ.".into(),
            proposals: "Đề nghị hỗ trợ in tờ rơi.".into(),
            ..Default::default()
        };
        // The officer dates the report 20/06/2024; submission keeps that date.
        let dated = chrono::NaiveDate::from_ymd_opt(2024, 6, 20).unwrap();
        let v = db.store.save_narrative(id, 1, &narrative, Some(dated), "canbo").await.unwrap();
        let v = db.store.report_step(id, v, Step::Submit, None, "canbo", &units).await.unwrap();
        let saved = db.store.report(id).await.unwrap().unwrap();
        assert_eq!(saved.issued_on, Some(dated), "the officer's date survives submission");
        assert_eq!(saved.narrative, narrative, "every section, the situation too, is kept");
        // Returned: a comment is required.
        assert!(refused(db.store.report_step(id, v, Step::Return, Some("  "), "dieuphoi", &units).await.unwrap_err()).contains("lý do"));
        let v = db.store.report_step(id, v, Step::Return, Some("Bổ sung số liệu tập huấn"), "dieuphoi", &units).await.unwrap();
        assert_eq!(db.store.report(id).await.unwrap().unwrap().comment.as_deref(), Some("Bổ sung số liệu tập huấn"));
        let v = db.store.report_step(id, v, Step::Submit, None, "canbo", &units).await.unwrap();
        // A stale step is refused.
        assert!(refused(db.store.report_step(id, v - 1, Step::Accept, None, "dieuphoi", &units).await.unwrap_err()).contains("người khác"));
        let v = db.store.report_step(id, v, Step::Accept, None, "dieuphoi", &units).await.unwrap();
        // For a week, the ward's officer's home says it went through.
        pcmd(db, &["user", "add", "--username", "canbo.p1", "--role", "officer", "--unit", "31507"]).await.unwrap();
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let (_, home, _) = call(&app, "GET", "/", &session(db, "canbo.p1").await, "").await;
        assert!(home.contains(&format!("Báo cáo đã được chấp nhận: {} — 6 tháng đầu năm 2024", commune.name)), "{home}");

        // The province's report compiles the accepted commune report.
        let dir = tempfile::tempdir().unwrap();
        let docx = dir.path().join("tinh.docx");
        pcmd(db, &["report", "--plan", plan, "--unit", "94", "--period", "2024-H1", "--format", "docx", "--out", docx.to_str().unwrap()])
            .await
            .unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
        assert!(doc.contains(&format!("- {}: Đề nghị hỗ trợ in tờ rơi.", commune.name)), "the commune's proposal is compiled");
        assert!(doc.contains("1 báo cáo, 1 đã được chấp nhận"), "the unit reports are counted");

        // The district's report waits for every commune of the district.
        let d = db.store.create_report(plan, district.id, &h1, "canbo").await.unwrap();
        let dv = db.store.report_step(d, 1, Step::Submit, None, "canbo", &units).await.unwrap();
        // Submitted with no date of its own, it is dated the day it went out.
        let today = pcmd_domain::date::today_vn();
        assert_eq!(db.store.report(d).await.unwrap().unwrap().issued_on, Some(today));
        let msg = refused(db.store.report_step(d, dv, Step::Accept, None, "dieuphoi", &units).await.unwrap_err());
        assert!(msg.contains("xã chưa có báo cáo được chấp nhận") && !msg.contains(&commune.name), "{msg}");

        // Locked: an import into the period changes nothing and says why.
        let before = activities_at(db, commune.id).await;
        let file = dir.path().join("a.csv");
        std::fs::write(&file, "held_on,unit_code,form,topic\n15/03/2024,31507,meeting,Tuyên truyền\n").unwrap();
        let err = format!("{:#}", pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap_err());
        assert!(err.contains("đã được chấp nhận và khóa số liệu") && err.contains("2024-H1"), "{err}");
        assert_eq!(activities_at(db, commune.id).await, before);

        // So does a form post, through the web application.
        let officer = db.store.user_by_username("canbo.tpst").await.unwrap().unwrap();
        let hash: String = Sha256::digest(b"lock-session").iter().map(|b| format!("{b:02x}")).collect();
        db.store.create_session(&hash, officer.id, "lock-csrf", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let form = "csrf=lock-csrf&held_on=15%2F03%2F2024&unit_code=31507&form=meeting&topic=Thu";
        let req = Request::post("/records/activity")
            .header(header::COOKIE, "pcmd_session=lock-session")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::LOCKED, "a locked period is its own kind of refusal (423)");
        let body = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(body.contains("khóa số liệu"), "{body}");
        assert_eq!(activities_at(db, commune.id).await, before);
        // A day outside the period is not locked.
        std::fs::write(&file, "held_on,unit_code,form,topic\n20/06/2024,31507,meeting,Tuyên truyền\n").unwrap();
        pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap();
        assert_eq!(activities_at(db, commune.id).await, before + 1);

        // Reopened with a reason (audited), the period takes the import.
        assert!(refused(db.store.report_step(id, v, Step::Reopen, None, "dieuphoi", &units).await.unwrap_err()).contains("lý do"));
        db.store.report_step(id, v, Step::Reopen, Some("Sai số liệu kiểm tra"), "dieuphoi", &units).await.unwrap();
        std::fs::write(&file, "held_on,unit_code,form,topic\n15/03/2024,31507,meeting,Tuyên truyền\n").unwrap();
        pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap();
        assert_eq!(activities_at(db, commune.id).await, before + 2);
        let audit = db.store.search_audit("report_reopen", 10, 0).await.unwrap();
        assert!(audit.iter().any(|a| a.subject == format!("report#{id}") && a.detail == "Sai số liệu kiểm tra" && a.actor == "dieuphoi"));
    })
    .await;
}

/// Signs a demo account in by opening a session in the store; returns the cookie and CSRF token.
pub async fn session(db: &crate::helpers::TestDb, username: &str) -> (String, String) {
    let user = db.store.user_by_username(username).await.unwrap().unwrap();
    let token = format!("t-{username}");
    let hash: String = Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    db.store.create_session(&hash, user.id, &format!("c-{username}"), "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
    (format!("pcmd_session={token}"), format!("c-{username}"))
}

/// Text as a form or query value: every byte outside A–Z, a–z, 0–9 percent-encoded.
pub fn enc(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

pub async fn call(app: &axum::Router, method: &str, path: &str, who: &(String, String), form: &str) -> (StatusCode, String, Option<String>) {
    let body = if form.is_empty() { String::new() } else { format!("csrf={}&{form}", who.1) };
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &who.0)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let kind = resp.headers().get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string());
    let body = String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string();
    (status, body, kind)
}

/// A form posted as a browser sends one with a file (multipart): the fields as
/// given (the CSRF token among them), then the file (name, type, bytes) if any.
/// Status, body and the Location header.
pub async fn multipart(
    app: &axum::Router,
    cookie: &str,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> (StatusCode, String, Option<String>) {
    let b = "----pcmd-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((name, kind, bytes)) = file {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n").as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").as_bytes());
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let location = resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
    (status, String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string(), location)
}

#[tokio::test]
async fn the_report_pages_follow_the_roles() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = session(db, "canbo.tpst").await;
        let coordinator = session(db, "dieuphoi").await;
        let supervisor = session(db, "giamsat").await;
        let inspector = session(db, "kiemtra.tpst").await;
        // The officer of Thành phố Sóc Trăng opens the district's 2024-H1 report and submits it with a narrative.
        let (s, _, _) = call(&app, "POST", "/reports", &officer, "plan=soc-trang-117-2023&period=2024-H1&unit=941").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let id = db.store.reports(Some("soc-trang-117-2023")).await.unwrap()[0].id;
        let (s, page, _) = call(&app, "GET", &format!("/reports/{id}"), &officer, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Gửi báo cáo") && !page.contains("value=\"accept\""), "the officer submits but does not decide");
        // Issue 13: the empty sections start from a draft written from the figures, for the officer to edit.
        assert!(page.contains("- Công tác tuyên truyền: tổ chức") && page.contains("- Công tác kiểm tra:"), "results drafted in the text box");
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &officer, "version=1&action=submit&results=K%E1%BA%BFt+qu%E1%BA%A3").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // Nobody but a coordinator above the unit decides; an inspector may not even look.
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &officer, "version=3&action=accept").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, page, _) = call(&app, "GET", &format!("/reports/{id}"), &supervisor, "").await;
        assert!(s == StatusCode::OK && !page.contains("value=\"accept\"") && !page.contains("<textarea"), "supervisors read only");
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &supervisor, "version=3&action=accept").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _, _) = call(&app, "GET", &format!("/reports/{id}"), &inspector, "").await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The coordinator returns it with a comment; an empty comment is refused with a message.
        let (s, page, _) = call(&app, "POST", &format!("/reports/{id}"), &coordinator, "version=3&action=return&comment=").await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("hãy ghi lý do"), "{s}");
        // Issue 17: said beside the comment it is about, in the decision's form, not at the top of the page.
        assert!(page.find("hãy ghi lý do").unwrap() > page.find("id=\"decision\"").unwrap(), "the fault sits by the comment field");
        assert!(page.contains("aria-describedby=\"decision-error\""));
        let (s, _, _) =
            call(&app, "POST", &format!("/reports/{id}"), &coordinator, "version=3&action=return&comment=Thi%E1%BA%BFu+s%E1%BB%91+li%E1%BB%87u")
                .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(db.store.report(id).await.unwrap().unwrap().status, pcmd_domain::report::ReportStatus::Returned);
        // The files, for whoever may read the report.
        let (s, _, kind) = call(&app, "GET", &format!("/reports/{id}/file/xlsx"), &supervisor, "").await;
        assert_eq!((s, kind.as_deref()), (StatusCode::OK, Some(pcmd_report::Format::Xlsx.content_type())));
        // The CSV: a ZIP of one file a table, or one table on its own.
        let (s, _, kind) = call(&app, "GET", &format!("/reports/{id}/file/csv"), &coordinator, "").await;
        assert_eq!((s, kind.as_deref()), (StatusCode::OK, Some("application/zip")));
        let (s, body, _) = call(&app, "GET", &format!("/reports/{id}/file/csv?table=targets"), &coordinator, "").await;
        assert!(s == StatusCode::OK && body.starts_with("\u{feff}Mã,Chỉ tiêu,"), "{body}");
        let (s, _, _) = call(&app, "GET", &format!("/reports/{id}/file/csv?table=nothing"), &coordinator, "").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        // The overview counts what each unit has done.
        let (s, page, _) = call(&app, "GET", "/reports?plan=soc-trang-117-2023&period=2024-H1", &coordinator, "").await;
        assert!(s == StatusCode::OK && page.contains("report-status returned"), "{s}");
        // The period is chosen from the plan's reporting periods, with their days (Decree 09).
        assert!(page.contains("<option value=\"2024-H1\" selected>6 tháng đầu năm 2024 (15/12/2023 – 14/06/2024)</option>"));
    })
    .await;
}

/// Issue 12 item 11: a coordinator who writes and submits a report cannot also
/// accept it; a report is made only under a plan that covers its unit and for a
/// period that meets the plan's time.
#[tokio::test]
async fn a_report_is_decided_by_another_hand_and_only_under_its_own_plan() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let coordinator = session(db, "dieuphoi").await;
        // The province's coordinator opens, writes and submits Thành phố Sóc Trăng's 2024-H1 report …
        let (s, _, _) = call(&app, "POST", "/reports", &coordinator, "plan=soc-trang-117-2023&period=2024-H1&unit=941").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let id = db.store.reports(Some("soc-trang-117-2023")).await.unwrap()[0].id;
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &coordinator, "version=1&action=submit&results=K%E1%BA%BFt+qu%E1%BA%A3").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // … and then may neither accept nor return it, and is not offered the buttons.
        let (s, page, _) = call(&app, "GET", &format!("/reports/{id}"), &coordinator, "").await;
        assert!(s == StatusCode::OK && !page.contains("value=\"accept\""), "no accept button for the submitter");
        let (s, page, _) = call(&app, "POST", &format!("/reports/{id}"), &coordinator, "version=3&action=accept").await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("không thể tự duyệt"), "{s}");
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &coordinator, "version=3&action=return&comment=t%E1%BB%B1+tr%E1%BA%A3").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(db.store.report(id).await.unwrap().unwrap().status, pcmd_domain::report::ReportStatus::Submitted, "nothing changed");
        // Another coordinator may decide on it (through the store: the demo has one coordinator account).
        let units = db.store.unit_index().await.unwrap();
        db.store.report_step(id, 3, Step::Return, Some("Bổ sung số liệu"), "dieuphoi.2", &units).await.unwrap();

        // Lai Châu's plan does not cover Sóc Trăng: the report is refused with a message, nothing made.
        let before = db.store.reports(None).await.unwrap().len();
        let (s, page, _) = call(&app, "POST", "/reports", &coordinator, "plan=lai-chau-2022&period=2024-H1&unit=941").await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("không thuộc phạm vi của kế hoạch"), "{s}");
        // Sóc Trăng's plan runs 2023–2025: 2021 lies wholly outside it.
        let (s, page, _) = call(&app, "POST", "/reports", &coordinator, "plan=soc-trang-117-2023&period=2021&unit=941").await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("nằm ngoài thời gian của kế hoạch"), "{s}");
        assert_eq!(db.store.reports(None).await.unwrap().len(), before, "no report made by a refused request");
    })
    .await;
}
