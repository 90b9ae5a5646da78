//! The scope matrix, continued (issue 12): the report routes for every role in
//! and out of scope, every form posted with a forged or missing CSRF token, and
//! a user of an old unit against the merged province. Expected answers from
//! SPEC §1 as written here; afterwards nothing has changed.

use crate::helpers::on_each_demo_backend;
use crate::matrix::{send, table_counts, users, Tally, Who};
use axum::http::StatusCode;
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use sqlx::Row;

/// A form to post: who, where, which fields.
type Form<'a> = (&'a Who, String, Vec<(&'static str, String)>);

#[tokio::test]
async fn every_report_route_every_role_and_every_forged_form() {
    on_each_demo_backend(async |db| {
        let who = users(db).await;
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let units = db.store.unit_index().await.unwrap();
        let on = |code: &str, y: i32| units.resolve(code, NaiveDate::from_ymd_opt(y, 6, 1).unwrap()).unwrap().id;
        let h1 = Period::parse("2024-H1", Cutoff::Decree09).unwrap();
        let inside = db.store.create_report("soc-trang-117-2023", on("941", 2024), &h1, "matrix").await.unwrap();
        let outside =
            db.store.create_report("lai-chau-2022", on("12", 2022), &Period::parse("2022", Cutoff::Decree09).unwrap(), "matrix").await.unwrap();
        let reports = async || -> Vec<(i64, i64)> {
            sqlx::query("SELECT id, version FROM report ORDER BY id")
                .fetch_all(db.store.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| (r.get(0), r.get(1)))
                .collect()
        };
        let (before, reports_before) = (table_counts(db).await, reports().await);
        let mut tally = Tally { cases: 0, failures: Vec::new() };
        let save = |v: &str| vec![("action", "save".to_string()), ("version", v.to_string()), ("results", "thử".to_string())];
        for w in &who {
            let r = w.role;
            let view = matches!(r, "coordinator" | "officer" | "supervisor");
            let got = send(&app, w.get("/reports?plan=soc-trang-117-2023&period=2024-H1")).await;
            tally.check(format!("{r} GET /reports"), view, StatusCode::OK, &got);
            // Outside the scope, a role that reads reports is told there is no such report (an id tells nothing).
            let refused = |inside: bool| if view && !inside { StatusCode::NOT_FOUND } else { StatusCode::FORBIDDEN };
            for (id, inside_scope) in [(inside, true), (outside, false)] {
                let got = send(&app, w.get(&format!("/reports/{id}"))).await;
                tally.check_as(format!("{r} GET report {inside_scope}"), view && inside_scope, StatusCode::OK, refused(inside_scope), &got);
                let got = send(&app, w.get(&format!("/reports/{id}/file/csv"))).await;
                tally.check_as(format!("{r} GET report file {inside_scope}"), view && inside_scope, StatusCode::OK, refused(inside_scope), &got);
            }
            let got = send(&app, w.post(&format!("/reports/{outside}"), &save("1"))).await;
            tally.check_as(format!("{r} POST report out"), false, StatusCode::SEE_OTHER, refused(false), &got);
            let fields = [("plan", "lai-chau-2022".to_string()), ("period", "2022".to_string()), ("unit", "12".to_string())];
            let got = send(&app, w.post("/reports", &fields)).await;
            tally.check(format!("{r} create report out"), false, StatusCode::SEE_OTHER, &got);
        }
        // 7 roles × (1 + 2 × 2 + 2) = 49.
        assert_eq!(tally.cases, 49);

        // Every form, with a forged token and with none: 403 before anything is read or written.
        let by = |role: &str| who.iter().find(|w| w.role == role).unwrap();
        let (officer, coordinator) = (by("officer"), by("coordinator"));
        let activity: i64 = sqlx::query("SELECT MIN(id) FROM activity").fetch_one(db.store.pool()).await.unwrap().get(0);
        let activity_form = vec![
            ("held_on", "01/03/2024".to_string()),
            ("unit_code", "941".to_string()),
            ("form", "meeting".to_string()),
            ("topic", "giả mạo".to_string()),
            ("version", "1".to_string()),
        ];
        let forms: Vec<Form> = vec![
            (officer, "/records/activity".into(), activity_form.clone()),
            (officer, format!("/records/activity/{activity}"), activity_form),
            (officer, "/plans/soc-trang-117-2023/tasks/2.1/progress".into(), vec![("reported_on", "01/03/2024".into()), ("status", "done".into())]),
            (coordinator, "/plans/soc-trang-117-2023/budget".into(), vec![("year", "2024".into()), ("spent", "1.000.000".into())]),
            (officer, "/reports".into(), vec![("plan", "soc-trang-117-2023".into()), ("period", "2025-H1".into()), ("unit", "941".into())]),
            (officer, format!("/reports/{inside}"), vec![("action", "submit".into()), ("version", "1".into())]),
            (coordinator, format!("/reports/{inside}"), vec![("action", "return".into()), ("version", "1".into()), ("comment", "x".into())]),
            (officer, "/logout".into(), Vec::new()),
        ];
        for (w, path, fields) in &forms {
            for token in [Some("forged-token"), None] {
                let got = send(&app, w.post_with(token, path, fields)).await;
                tally.check(format!("{} POST {path} with token {token:?}", w.role), false, StatusCode::SEE_OTHER, &got);
            }
        }
        assert!(send(&app, officer.get("/records/activity")).await.status == StatusCode::OK, "a forged sign-out did not end the session");

        // A user of an old unit (Thành phố Sóc Trăng, 941) against the merged province (92, Cần Thơ) — item 1.
        let old = users_at(db, "941").await;
        for (what, req) in [
            ("plan page of 92", old.get("/plans/soc-trang-117-2023?period=2025-H2&unit=92")),
            ("API evaluation of 92", old.api("/api/v1/plans/soc-trang-117-2023/evaluation?period=2025-H2&unit=92")),
            (
                "create a report of 92",
                old.post("/reports", &[("plan", "soc-trang-117-2023".into()), ("period", "2025-H2".into()), ("unit", "92".into())]),
            ),
        ] {
            let got = send(&app, req).await;
            tally.check(format!("officer of 941: {what}"), false, StatusCode::OK, &got);
        }
        assert!(tally.failures.is_empty(), "{} of {} cases failed on {}:\n{}", tally.failures.len(), tally.cases, db.name, tally.failures.join("\n"));
        // 49 + 8 forms × 2 tokens + 3 = 68.
        assert_eq!(tally.cases, 68);
        assert_eq!(table_counts(db).await, before, "no record written");
        assert_eq!(reports().await, reports_before, "no report made or changed");
    })
    .await;
}

/// An officer at home in an old unit, with a session and an API token.
async fn users_at(db: &crate::helpers::TestDb, code: &str) -> Who {
    let units = db.store.unit_index().await.unwrap();
    let home = units.resolve(code, NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).unwrap().id;
    let u = pcmd_store::NewUser {
        username: "matrix.old",
        display_name: "matrix.old",
        role: pcmd_domain::roles::Role::Officer,
        unit_id: home,
        agency_id: None,
        password_hash: "x",
        created_at: "2026-01-01T00:00:00Z",
    };
    db.store.create_user(&u).await.unwrap();
    let id = db.store.user_by_username("matrix.old").await.unwrap().unwrap().id;
    let sha = |s: &str| -> String {
        use sha2::Digest;
        sha2::Sha256::digest(s.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    };
    db.store.create_session(&sha("session-old"), id, "csrf-old", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
    db.store.create_api_token(&sha("bearer-old"), id, "matrix", "2026-01-01T00:00:00Z", "2999-01-01T00:00:00Z").await.unwrap();
    Who { role: "officer", cookie: "pcmd_session=session-old".into(), csrf: "csrf-old".into(), bearer: "bearer-old".into() }
}
