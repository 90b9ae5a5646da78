//! Issue 16, item 2, beyond single records, on both backends: units on a day
//! and across the reform, imports by dry run and commit (one import for two
//! requests with one key), reports through their steps, a plan with its tasks
//! (progress reported once for two requests with one key) and the records
//! behind a figure.

use crate::helpers::{on_each_demo_backend, TestDb};
use crate::matrix::send;
use crate::web::add_user;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;

pub(crate) async fn token(db: &TestDb, user: &str) -> String {
    crate::pcmd(db, &["token", "create", "--username", user]).await.unwrap().lines().last().unwrap().trim().to_string()
}

pub(crate) fn req(method: Method, path: &str, token: &str, body: Option<(&str, Vec<u8>)>, key: Option<&str>) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(k) = key {
        r = r.header("idempotency-key", k);
    }
    match body {
        Some((mime, bytes)) => r.header(header::CONTENT_TYPE, mime).body(Body::from(bytes)).unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

pub(crate) fn json_body(v: &Value) -> Option<(&'static str, Vec<u8>)> {
    Some(("application/json", v.to_string().into_bytes()))
}

pub(crate) fn parsed(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

async fn count(db: &TestDb, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.store.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn units_imports_reports_and_plans_through_the_api() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = token(db, "canbo.tpst").await;
        let coordinator = token(db, "dieuphoi").await;
        add_user(db, "lc.canbo", "officer", "12", "khong-dung-den").await;
        let stranger = token(db, "lc.canbo").await;

        // Units. units-2025-06-30.csv lists 9 wards with district code 941 (Thành phố Sóc Trăng).
        let r = send(&app, req(Method::GET, "/api/v1/units?within=941&level=commune&on=2024-03-01", &officer, None, None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(parsed(&r.body).as_array().unwrap().len(), 9);
        // ward-successors-2025.csv: 31498, 31501, 31504 and 31507 went whole into the new 31507.
        let new = parsed(&send(&app, req(Method::GET, "/api/v1/units/31507?on=2025-08-01", &officer, None, None)).await.body);
        let mut olds: Vec<&str> = new["predecessors"].as_array().unwrap().iter().map(|u| u["code"].as_str().unwrap()).collect();
        olds.sort();
        assert_eq!(olds, ["31498", "31501", "31504", "31507"]);
        let old = parsed(&send(&app, req(Method::GET, "/api/v1/units/31498?on=2024-03-01", &officer, None, None)).await.body);
        assert_eq!((old["level"].as_str(), old["successor"]["code"].as_str()), (Some("commune"), Some("31507")));
        let r = send(&app, req(Method::GET, "/api/v1/units?level=xa", &officer, None, None)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        // Imports: a dry run writes nothing; a commit sent twice with one key writes the rows once.
        let csv = "held_on,unit_code,form,topic,organiser,reached_at_risk_workers,reached_industrial_workers,reached_students,reached_community\n\
                   2024-03-20,31507,meeting,Nhập qua API,,0,0,0,30\n\
                   21/03/2024,31510,leaflet,Nhập qua API,,0,0,0,60\n";
        let activities = "SELECT COUNT(*) FROM activity";
        let before = count(db, activities).await;
        let csv_body = || Some(("text/csv", csv.as_bytes().to_vec()));
        let r = send(&app, req(Method::POST, "/api/v1/records/activity/import?dry_run=true", &officer, csv_body(), None)).await;
        assert_eq!((r.status, parsed(&r.body)["rows"].as_i64()), (StatusCode::OK, Some(2)), "{}", r.body);
        assert_eq!(count(db, activities).await, before);
        for _ in 0..2 {
            let r = send(&app, req(Method::POST, "/api/v1/records/activity/import", &officer, csv_body(), Some("nhap-1"))).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        }
        assert_eq!(count(db, activities).await, before + 2, "two rows, once");
        // While a request with a key is still being written, a retry with it is told to wait and writes nothing.
        let officer_id = db.store.user_by_username("canbo.tpst").await.unwrap().unwrap().id;
        assert!(db.store.claim_pending(officer_id, "nhap-dang-chay", "x").await.unwrap());
        let r = send(&app, req(Method::POST, "/api/v1/records/activity/import", &officer, csv_body(), Some("nhap-dang-chay"))).await;
        assert_eq!((r.status, parsed(&r.body)["code"].as_str()), (StatusCode::CONFLICT, Some("in_progress")));
        assert_eq!(count(db, activities).await, before + 2);
        // A file with a fault on line 3 (the header is line 1): nothing written, the fault by line and column.
        let bad = "held_on,unit_code,form,topic\n2024-03-20,31507,meeting,Đúng\n30/02/2024,31507,meeting,Sai ngày\n";
        let r = send(&app, req(Method::POST, "/api/v1/records/activity/import", &officer, Some(("text/csv", bad.as_bytes().to_vec())), None)).await;
        let v = parsed(&r.body);
        assert_eq!((r.status, v["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("import_faults")));
        assert_eq!((v["faults"][0]["line"].as_i64(), v["faults"][0]["field"].as_str()), (Some(3), Some("held_on")), "{v}");
        assert_eq!(count(db, activities).await, before + 2);
        let r = send(&app, req(Method::POST, "/api/v1/records/activity/import", &officer, Some(("application/pdf", b"%PDF".to_vec())), None)).await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        // Reports: opened once for two POSTs with one key; submitted; a return needs its reason; files.
        let open = json!({ "plan": "soc-trang-117-2023", "period": "2025-H1", "unit": "31510" });
        let first = send(&app, req(Method::POST, "/api/v1/reports", &officer, json_body(&open), Some("bc-1"))).await;
        assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
        let again = send(&app, req(Method::POST, "/api/v1/reports", &officer, json_body(&open), Some("bc-1"))).await;
        assert_eq!(again.body, first.body);
        let report = parsed(&first.body);
        let id = report["id"].as_i64().unwrap();
        assert_eq!(count(db, "SELECT COUNT(*) FROM report WHERE period_label = '2025-H1'").await, 1);
        let step =
            |action: &str, token: &str, body: Value| req(Method::POST, &format!("/api/v1/reports/{id}/{action}"), token, json_body(&body), None);
        let r = send(&app, step("accept", &officer, json!({ "version": report["version"] }))).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "the officer does not accept");
        let sent = parsed(&send(&app, step("submit", &officer, json!({ "version": report["version"] }))).await.body);
        assert_eq!(sent["status"], "submitted", "{sent}");
        let r = send(&app, step("return", &coordinator, json!({ "version": sent["version"] }))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "a return without its reason: {}", r.body);
        let r = send(&app, step("return", &coordinator, json!({ "version": sent["version"], "comment": "Bổ sung số liệu tháng 5" }))).await;
        assert_eq!(parsed(&r.body)["status"], "returned", "{}", r.body);
        // Sent again from the version first read: someone changed it since.
        let r = send(&app, step("submit", &officer, json!({ "version": report["version"] }))).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "a stale version: {}", r.body);
        // Outside the stranger's scope the report is answered as none (an id tells nothing).
        let r = send(&app, req(Method::GET, &format!("/api/v1/reports/{id}"), &stranger, None, None)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        let app2 = app.clone();
        let resp =
            tower::ServiceExt::oneshot(app2, req(Method::GET, &format!("/api/v1/reports/{id}/file/docx"), &officer, None, None)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(resp.headers()[header::CONTENT_TYPE].to_str().unwrap().contains("wordprocessingml"));

        // A plan: its 15 targets (data/plans/soc-trang-117-2023.toml); another province's plan is refused.
        let plan = parsed(&send(&app, req(Method::GET, "/api/v1/plans/soc-trang-117-2023", &officer, None, None)).await.body);
        assert_eq!(plan["targets"].as_array().unwrap().len(), 15);
        assert!(plan["original_text"].is_null());
        let r = send(&app, req(Method::GET, "/api/v1/plans/lai-chau-2022", &officer, None, None)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // An inspector sees the plan's targets, not its tasks and budget (as on the plan's pages).
        let inspector = token(db, "kiemtra.tpst").await;
        let seen = parsed(&send(&app, req(Method::GET, "/api/v1/plans/soc-trang-117-2023", &inspector, None, None)).await.body);
        assert_eq!((seen["targets"].as_array().unwrap().len(), seen["tasks"].as_array().unwrap().len()), (15, 0));
        assert!(seen["budget_lines"].as_array().unwrap().is_empty() && !plan["budget_lines"].as_array().unwrap().is_empty());
        // Progress on task 2.1 by the province's coordinator, sent twice with one key: one report.
        let progress = "SELECT COUNT(*) FROM task_progress";
        let before = count(db, progress).await;
        let body = json!({ "reported_on": "2025-05-10", "status": "in_progress", "note": "Đã triển khai đến các xã" });
        for _ in 0..2 {
            let r =
                send(&app, req(Method::POST, "/api/v1/plans/soc-trang-117-2023/tasks/2.1/progress", &coordinator, json_body(&body), Some("td-1")))
                    .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        }
        assert_eq!(count(db, progress).await, before + 1);
        let tasks = parsed(&send(&app, req(Method::GET, "/api/v1/plans/soc-trang-117-2023/tasks", &coordinator, None, None)).await.body);
        let t21 = tasks.as_array().unwrap().iter().find(|t| t["code"] == "2.1").unwrap();
        assert_eq!(t21["status"], "in_progress");
        // The officer's agency leads no task of this plan: refused.
        let r = send(&app, req(Method::POST, "/api/v1/plans/soc-trang-117-2023/tasks/2.1/progress", &officer, json_body(&body), None)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        // a1 for Thành phố Sóc Trăng in 2024: its 9 wards are the denominator (as the evaluation route says), and the
        // activities behind the numerator are listed, each in the city.
        let ex = parsed(
            &send(&app, req(Method::GET, "/api/v1/plans/soc-trang-117-2023/targets/a1/explanation?period=2024&unit=941", &officer, None, None))
                .await
                .body,
        );
        assert_eq!(ex["evaluation"]["denominator"].as_f64(), Some(9.0), "{ex}");
        let listed = ex["records"].as_array().unwrap();
        assert!(!listed.is_empty() && listed.iter().all(|r| r["unit_code"].as_str().unwrap().starts_with("31")), "{ex}");
    })
    .await;
}
