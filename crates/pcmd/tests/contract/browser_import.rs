//! Issue 16, item 1: imports in the browser. An officer downloads the template,
//! uploads a file with faults and sees each beside its cell, nothing written;
//! fixes it, sees the rows that would be written, confirms; a row of a unit
//! outside the officer's area is a fault like any other. On both backends.

use crate::helpers::on_each_demo_backend;
use crate::workflow::{multipart, session};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use sqlx::Row;
use tower::ServiceExt;

async fn post(
    app: &axum::Router,
    who: &(String, String),
    kind: &str,
    parts: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, String, Option<String>) {
    let all: Vec<(&str, &str)> = std::iter::once(("csrf", who.1.as_str())).chain(parts.iter().copied()).collect();
    multipart(app, &who.0, &format!("/records/{kind}/import"), &all, file.map(|(n, b)| (n, "text/csv", b))).await
}

/// The value of a hidden input in a page.
fn hidden(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).unwrap() + name.len() + 15;
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn an_officer_imports_a_file_after_seeing_its_faults_beside_their_cells() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = session(db, "canbo.tpst").await;
        let inspector = session(db, "kiemtra.tpst").await;
        let count = || async { sqlx::query("SELECT COUNT(*) FROM activity").fetch_one(db.store.pool()).await.unwrap().get::<i64, _>(0) };

        // The template from the list's page: Vietnamese headers on row 1, column keys on row 2.
        let req = Request::builder().uri("/records/activity/template/csv").header(header::COOKIE, &officer.0).body(Body::empty()).unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let head = String::from_utf8(resp.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(head.starts_with('\u{feff}') && head.contains("held_on,unit_code,form"), "{head}");
        // An inspector does not write activities: no template, no import.
        let req = Request::builder().uri("/records/activity/template/csv").header(header::COOKIE, &inspector.0).body(Body::empty()).unwrap();
        assert_eq!(app.clone().oneshot(req).await.unwrap().status(), StatusCode::FORBIDDEN);

        // Lines 3 and 5 good; line 4 has an impossible date; line 6 is a ward of Thành phố Sóc Trăng's
        // neighbour, Huyện Mỹ Xuyên (31600s), outside the officer's city.
        let outside = db
            .store
            .unit_index()
            .await
            .unwrap()
            .iter()
            .find(|u| {
                u.level == pcmd_domain::units::Level::Commune
                    && u.code.starts_with("316")
                    && u.valid_on(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
            })
            .unwrap()
            .code
            .clone();
        let bad = format!(
            "{head}15/03/2024,31507,meeting,Tuyên truyền,UBND phường,10,0,50,120\n\
             31/02/2024,31507,meeting,Ngày sai,,1,0,0,0\n\
             02/04/2024,31510,leaflet,Phát tờ rơi,,0,0,0,300\n\
             03/04/2024,{outside},meeting,Ngoài địa bàn,,0,0,0,10\n"
        );
        let before = count().await;
        let (s, page, _) = post(&app, &officer, "activity", &[("action", "preview")], Some(("hoat-dong.csv", bad.as_bytes()))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("Số lỗi: <strong>2</strong>"), "{page}");
        // Each fault beside its cell: the date on line 4, the unit on line 6.
        assert!(page.contains("<td class=\"fault\"><span>31/02/2024</span>"), "{page}");
        assert!(page.contains(&format!("<td class=\"fault\"><span>{outside}</span><br><small role=\"note\">⚠ đơn vị ngoài địa bàn")), "{page}");
        assert!(!page.contains("name=\"action\" value=\"commit\""), "no confirmation while faults remain");
        // A commit of a faulty file is refused as a whole too.
        let (s, _, _) = post(&app, &officer, "activity", &[("action", "commit")], Some(("hoat-dong.csv", bad.as_bytes()))).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(count().await, before, "nothing written");

        // Fixed: the two good lines and a corrected date. The preview lists the three rows and offers the confirmation.
        let good = format!(
            "{head}15/03/2024,31507,meeting,Tuyên truyền,UBND phường,10,0,50,120\n\
             28/02/2024,31507,meeting,Ngày đúng,,1,0,0,0\n\
             02/04/2024,31510,leaflet,Phát tờ rơi,,0,0,0,300\n"
        );
        let (s, page, _) = post(&app, &officer, "activity", &[("action", "preview")], Some(("hoat-dong.csv", good.as_bytes()))).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(page.contains("Không có lỗi; số dòng sẽ được ghi: <strong>3</strong>") && page.contains("Phát tờ rơi"), "{page}");
        assert_eq!(count().await, before, "a preview writes nothing");
        let (name, data) = (hidden(&page, "name"), hidden(&page, "data"));
        let last_entry: i64 = sqlx::query("SELECT MAX(id) FROM audit_log").fetch_one(db.store.pool()).await.unwrap().get(0);
        let (s, _, to) = post(&app, &officer, "activity", &[("action", "commit"), ("name", &name), ("data", &data)], None).await;
        assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/records/activity?imported=3")));
        assert_eq!(count().await, before + 3);
        let by: i64 = sqlx::query("SELECT COUNT(*) FROM activity WHERE source = 'import' AND entered_by = 'canbo.tpst'")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(by, 3, "imported, by the officer");
        // Each record audited as a form's is (its history, and the figures kept dropped only where it falls).
        let audited: i64 = sqlx::query(
            "SELECT COUNT(*) FROM audit_log l JOIN activity a ON l.subject = 'activity#' || CAST(a.id AS TEXT) \
             WHERE a.source = 'import' AND a.entered_by = 'canbo.tpst' AND l.action = 'insert' AND l.actor = 'canbo.tpst'",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
        assert_eq!(audited, 3, "one entry per record");
        let changes = db.store.changes(last_entry, i64::MAX).await.unwrap();
        let records = changes.iter().filter(|c| matches!(c, pcmd_store::changes::Change::Record { .. })).count();
        assert!(records == 3 && !changes.iter().any(|c| matches!(c, pcmd_store::changes::Change::Anything)), "{changes:?}");
        // A form from another sign-in is refused.
        let (s, _, _) =
            post(&app, &(officer.0.clone(), "wrong".into()), "activity", &[("action", "preview")], Some(("x.csv", good.as_bytes()))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    })
    .await;
}

/// GET a page with the session cookie: status, body, where it redirects.
async fn get(app: &axum::Router, cookie: &str, path: &str) -> (StatusCode, String, Option<String>) {
    let req = Request::builder().uri(path).header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let location = resp.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
    (status, String::from_utf8_lossy(&resp.into_body().collect().await.unwrap().to_bytes()).to_string(), location)
}

/// Follows a background job's page until it is no longer the progress bar.
async fn until_done(app: &axum::Router, cookie: &str, job: &str) -> (StatusCode, String, Option<String>) {
    for _ in 0..600 {
        let (s, body, to) = get(app, cookie, job).await;
        if !body.contains("<progress") {
            return (s, body, to);
        }
        assert!(body.contains("http-equiv=\"refresh\""), "the progress page refreshes itself");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the job did not finish");
}

#[tokio::test]
async fn a_large_file_is_checked_and_written_in_the_background_with_its_progress() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = session(db, "canbo.tpst").await;
        let other = session(db, "canbo.syt.lc").await;
        let count = || async {
            sqlx::query("SELECT COUNT(*) FROM activity WHERE topic = 'Tệp lớn'").fetch_one(db.store.pool()).await.unwrap().get::<i64, _>(0)
        };
        // 1,500 rows (more than the 1,000 checked within the request), in two wards of the officer's city.
        let mut file = String::from(
            "held_on,unit_code,form,topic,organiser,reached_at_risk_workers,reached_industrial_workers,reached_students,reached_community\n",
        );
        for i in 0..1500 {
            file.push_str(&format!(
                "{:02}/0{}/2024,{},meeting,Tệp lớn,,0,0,0,{}\n",
                1 + i % 28,
                1 + i % 9,
                if i % 2 == 0 { "31507" } else { "31510" },
                i % 50
            ));
        }
        let (s, _, job) = post(&app, &officer, "activity", &[("action", "preview")], Some(("lon.csv", file.as_bytes()))).await;
        let job = job.unwrap();
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert!(job.starts_with("/records/activity/import/jobs/"), "{job}");
        // Another officer cannot follow the officer's job.
        assert_eq!(get(&app, &other.0, &job).await.0, StatusCode::NOT_FOUND);
        let (s, page, _) = until_done(&app, &officer.0, &job).await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(page.contains("Không có lỗi; số dòng sẽ được ghi: <strong>1500</strong>"), "{page}");
        assert_eq!(count().await, 0, "a check writes nothing");
        // Confirmed by naming the job: written in the background, then the list says how many.
        let id = job.rsplit('/').next().unwrap();
        let (s, _, next) = post(&app, &officer, "activity", &[("action", "commit"), ("job", id)], None).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _, to) = until_done(&app, &officer.0, &next.unwrap()).await;
        assert_eq!((s, to.as_deref()), (StatusCode::SEE_OTHER, Some("/records/activity?imported=1500")));
        assert_eq!(count().await, 1500);
        // The confirmation is taken once: the same form sent again writes nothing twice.
        let (s, _, _) = post(&app, &officer, "activity", &[("action", "commit"), ("job", id)], None).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        assert_eq!(count().await, 1500);

        // A large file with one bad row (line 702: 30/02): its fault is shown, nothing written.
        let bad = {
            let mut lines: Vec<String> = file.replace("Tệp lớn", "Tệp lớn 2").lines().map(str::to_string).collect();
            lines[701] = "30/02/2024,31507,meeting,Tệp lớn 2,,0,0,0,1".into();
            lines.join("\n")
        };
        let (_, _, job) = post(&app, &officer, "activity", &[("action", "preview")], Some(("lon.csv", bad.as_bytes()))).await;
        let (s, page, _) = until_done(&app, &officer.0, &job.unwrap()).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("Số lỗi: <strong>1</strong>") && page.contains("Dòng 702"), "{page}");
        assert!(!page.contains("name=\"job\""), "no confirmation while a fault remains");
    })
    .await;
}
