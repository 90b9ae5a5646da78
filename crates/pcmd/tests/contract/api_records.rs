//! Issue 16, item 2: records of every kind through the JSON API, on both
//! backends. For each kind its writer (by role, in Thành phố Sóc Trăng, 941):
//! two POSTs with one Idempotency-Key make one record; the key with another
//! body is refused; a PUT with the version read makes version 2 and a second
//! PUT with version 1 is refused 409; the same role in Lai Châu (12) is
//! refused the record's unit (403) and cannot read it; a supervisor writes
//! nothing. Personal fields are read only by their role, and each read is audited.

use crate::helpers::{on_each_demo_backend, TestDb};
use crate::matrix::{send, Reply};
use crate::web::add_user;
use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::Row;

pub(crate) async fn token(db: &TestDb, user: &str) -> String {
    crate::pcmd(db, &["token", "create", "--username", user]).await.unwrap().lines().last().unwrap().trim().to_string()
}

pub(crate) fn req(method: Method, path: &str, token: &str, body: Option<&Value>, key: Option<&str>) -> Request<Body> {
    let mut r = Request::builder().method(method).uri(path).header(header::AUTHORIZATION, format!("Bearer {token}"));
    if let Some(k) = key {
        r = r.header("idempotency-key", k);
    }
    match body {
        Some(b) => r.header(header::CONTENT_TYPE, "application/json").body(Body::from(b.to_string())).unwrap(),
        None => r.body(Body::empty()).unwrap(),
    }
}

fn json_of(r: &Reply) -> Value {
    serde_json::from_str(&r.body).unwrap_or_else(|_| panic!("not JSON: {} {}", r.status, r.body))
}

async fn count(db: &TestDb, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(db.store.pool()).await.unwrap().get(0)
}

/// A kind, its table, its writer's role and demo user, a valid body, and a field a PUT changes.
pub(crate) struct Case {
    pub kind: &'static str,
    table: &'static str,
    role: &'static str,
    pub writer: &'static str,
    pub body: Value,
    change: (&'static str, Value),
}

pub(crate) fn cases(establishment: i64) -> Vec<Case> {
    vec![
        Case {
            kind: "establishment",
            table: "establishment",
            role: "inspector",
            writer: "kiemtra.tpst",
            body: json!({ "name": "Nhà nghỉ Thử API", "kind": "guesthouse", "unit_code": "31507", "workers": 3, "opened_on": "2024-01-10" }),
            change: ("workers", json!(4)),
        },
        Case {
            kind: "activity",
            table: "activity",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "held_on": "2024-03-15", "unit_code": "31507", "form": "meeting", "topic": "Tuyên truyền qua API", "reached_community": 40 }),
            change: ("reached_community", json!(45)),
        },
        Case {
            kind: "publication",
            table: "publication",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "published_on": "2024-03-15", "unit_code": "941", "outlet": "Đài TP. Sóc Trăng", "outlet_level": "district", "medium": "radio", "title": "Tin phát qua API" }),
            change: ("title", json!("Tin phát qua API (sửa)")),
        },
        Case {
            kind: "inspection",
            table: "inspection",
            role: "inspector",
            writer: "kiemtra.tpst",
            body: json!({ "inspected_on": "2024-04-01", "establishment_id": establishment, "team_level": "district", "violations": 0 }),
            change: ("violations", json!(1)),
        },
        Case {
            kind: "tip",
            table: "tip",
            role: "investigator",
            writer: "congan",
            body: json!({ "received_on": "2024-05-02", "channel": "phone", "category": "denunciation", "unit_code": "31507", "status": "received", "content": "Nội dung tin báo thử" }),
            change: ("status", json!("verifying")),
        },
        Case {
            kind: "case_summary",
            table: "case_summary",
            role: "investigator",
            writer: "congan",
            body: json!({ "year": 2020, "unit_code": "941", "criminal_cases": 1, "defendants": 2, "admin_violations": 0, "persons_sanctioned": 0 }),
            change: ("defendants", json!(3)),
        },
        Case {
            kind: "district_plan",
            table: "district_plan",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "unit_code": "941", "year": 2020, "document_ref": "99/KH-UBND", "integrates_hiv": true }),
            change: ("integrates_drugs", json!(true)),
        },
        Case {
            kind: "pilot_model",
            table: "pilot_model",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "unit_code": "31507", "name": "Mô hình thử qua API", "kind": "club", "started_on": "2024-02-01", "status": "active" }),
            change: ("status", json!("paused")),
        },
        Case {
            kind: "support_case",
            table: "support_case",
            role: "caseworker",
            writer: "ctxh.tpst",
            body: json!({ "code": "API-0001", "unit_code": "31507", "opened_on": "2024-02-01", "age_band": "18_24", "sex": "female", "needs_support": true, "eligible": true, "consent": true, "full_name": "Nguyễn Thị Thử" }),
            change: ("eligible", json!(false)),
        },
        Case {
            kind: "training",
            table: "training",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "held_on": "2024-06-01", "unit_code": "941", "level": "district", "title": "Lớp tập huấn qua API", "participants_commune": 12 }),
            change: ("participants_commune", json!(14)),
        },
        Case {
            kind: "reference_figure",
            table: "reference_figure",
            role: "officer",
            writer: "canbo.tpst",
            body: json!({ "kind": "students", "level": "all", "unit_code": "941", "year": 2020, "value": 1234, "reference": "Phòng GD&ĐT, số liệu thử" }),
            change: ("value", json!(1240)),
        },
    ]
}

#[tokio::test]
async fn every_kind_is_written_once_per_key_versioned_and_scoped() {
    on_each_demo_backend(async |db| {
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let supervisor = token(db, "giamsat").await;
        let mut establishment = 0;
        for role in ["inspector", "officer", "investigator", "caseworker"] {
            add_user(db, &format!("lc.{role}"), role, "12", "khong-dung-den").await;
        }
        for (n, case) in cases(0).into_iter().enumerate() {
            let case = if case.kind == "inspection" { cases(establishment).swap_remove(n) } else { case };
            let writer = token(db, case.writer).await;
            let stranger = token(db, &format!("lc.{}", case.role)).await;
            let path = format!("/api/v1/records/{}", case.kind);
            let before = count(db, case.table).await;
            let key = format!("thu-api-{}", case.kind);

            // Sent twice with one key: one record, and the same answer (the second says it is replayed).
            let first = send(&app, req(Method::POST, &path, &writer, Some(&case.body), Some(&key))).await;
            assert_eq!(first.status, StatusCode::CREATED, "{}: {}", case.kind, first.body);
            let again = send(&app, req(Method::POST, &path, &writer, Some(&case.body), Some(&key))).await;
            assert_eq!((again.status, &again.body), (StatusCode::CREATED, &first.body), "{}", case.kind);
            assert_eq!(count(db, case.table).await, before + 1, "{}: one record for two POSTs with one key", case.kind);
            let saved = json_of(&first);
            let id = saved["id"].as_i64().unwrap();
            assert_eq!((saved["version"].as_i64(), first.location.as_deref()), (Some(1), Some(format!("{path}/{id}").as_str())));
            if case.kind == "establishment" {
                establishment = id;
            }
            // The key with another body: refused, nothing written.
            let mut other = case.body.clone();
            other[case.change.0] = case.change.1.clone();
            let reused = send(&app, req(Method::POST, &path, &writer, Some(&other), Some(&key))).await;
            assert_eq!((reused.status, json_of(&reused)["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("idempotency_key_reused")));
            assert_eq!(count(db, case.table).await, before + 1);

            // A new version with the version read; then a PUT from the stale version 1 is refused.
            other["version"] = json!(1);
            let put = send(&app, req(Method::PUT, &format!("{path}/{id}"), &writer, Some(&other), None)).await;
            assert_eq!(put.status, StatusCode::OK, "{}: {}", case.kind, put.body);
            assert_eq!(json_of(&put)["version"], 2);
            let stale = send(&app, req(Method::PUT, &format!("{path}/{id}"), &writer, Some(&other), None)).await;
            assert_eq!((stale.status, json_of(&stale)["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{}: {}", case.kind, stale.body);
            let read = json_of(&send(&app, req(Method::GET, &format!("{path}/{id}"), &writer, None, None)).await);
            assert_eq!(read["version"], 2, "{}", case.kind);

            // Another province's writer of the same role: the record's unit is outside, nothing written; nor may it read it.
            let n_before = count(db, case.table).await;
            let out = send(&app, req(Method::POST, &path, &stranger, Some(&case.body), Some("lc-1"))).await;
            if case.kind == "inspection" {
                // An establishment of another area answers as one that does not exist would: 403, "none in your area".
                assert_eq!(out.status, StatusCode::FORBIDDEN, "{}", out.body);
                assert!(out.body.contains("no establishment") && out.body.contains("establishment_id"), "{}", out.body);
            } else {
                assert_eq!(out.status, StatusCode::FORBIDDEN, "{}: {}", case.kind, out.body);
            }
            assert_eq!(count(db, case.table).await, n_before, "{}: nothing written for the stranger", case.kind);
            // Outside the stranger's scope the record is answered as none (an id tells nothing).
            let look = send(&app, req(Method::GET, &format!("{path}/{id}"), &stranger, None, None)).await;
            assert_eq!(look.status, StatusCode::NOT_FOUND, "{}", case.kind);
            // A supervisor reads but writes nothing.
            let sup = send(&app, req(Method::POST, &path, &supervisor, Some(&case.body), None)).await;
            assert_eq!(sup.status, StatusCode::FORBIDDEN, "{}", case.kind);
        }
    })
    .await;
}

#[tokio::test]
async fn faults_by_field_personal_data_by_role_and_the_document() {
    on_each_demo_backend(async |db| {
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        let officer = token(db, "canbo.tpst").await;
        let caseworker = token(db, "ctxh.tpst").await;
        let coordinator = token(db, "dieuphoi").await;
        let before = count(db, "activity").await;

        // Three faults, each by its field: an impossible day, a count as text, an unknown field.
        let bad = json!({ "held_on": "2024-02-30", "unit_code": "31507", "form": "meeting", "topic": "x", "reached_students": "nhiều", "ghi_chu": "?" });
        let r = send(&app, req(Method::POST, "/api/v1/records/activity", &officer, Some(&bad), Some("k-bad"))).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let v = json_of(&r);
        let fields: Vec<&str> = v["faults"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
        assert_eq!(fields.len(), 3, "{v}");
        for f in ["held_on", "reached_students", "ghi_chu"] {
            assert!(fields.contains(&f), "{f}: {v}");
        }
        // A choice outside its list, read by the domain's checks, in both languages.
        let wrong = json!({ "held_on": "2024-02-20", "unit_code": "31507", "form": "hội họp", "topic": "x" });
        let v = json_of(&send(&app, req(Method::POST, "/api/v1/records/activity", &officer, Some(&wrong), None)).await);
        assert_eq!(v["faults"][0]["field"], "form", "{v}");
        assert!(!v["faults"][0]["vi"].as_str().unwrap().is_empty() && !v["faults"][0]["en"].as_str().unwrap().is_empty());
        // Not JSON; a key too long: 400.
        let r = send(&app, Request::post("/api/v1/records/activity").header(header::AUTHORIZATION, format!("Bearer {officer}")).body(Body::from("held_on=1")).unwrap()).await;
        assert_eq!((r.status, json_of(&r)["code"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_json")));
        let long = "k".repeat(201);
        let r = send(&app, req(Method::POST, "/api/v1/records/activity", &officer, Some(&wrong), Some(&long))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert_eq!(count(db, "activity").await, before, "nothing written");
        // A PUT without the version read.
        let r = send(&app, req(Method::PUT, "/api/v1/records/activity/1", &officer, Some(&wrong), None)).await;
        assert_eq!((r.status, json_of(&r)["code"].as_str()), (StatusCode::BAD_REQUEST, Some("no_version")));

        // A support case's identity: the caseworker asks for it and reads it (audited); an officer may not open cases at all,
        // and a coordinator neither; without ?personal the record has no personal part.
        let case = json!({ "code": "API-0002", "unit_code": "31507", "opened_on": "2024-02-01", "age_band": "25_34", "sex": "female", "needs_support": true, "eligible": true, "consent": true, "full_name": "Trần Thị Riêng" });
        let r = send(&app, req(Method::POST, "/api/v1/records/support_case", &caseworker, Some(&case), None)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        let id = json_of(&r)["id"].as_i64().unwrap();
        let plain = json_of(&send(&app, req(Method::GET, &format!("/api/v1/records/support_case/{id}"), &caseworker, None, None)).await);
        assert!(plain.get("personal").is_none() && !plain.to_string().contains("Trần Thị Riêng"), "{plain}");
        let audited = || async { sqlx::query("SELECT COUNT(*) FROM audit_log WHERE actor = 'ctxh.tpst' AND action = 'read_personal'").fetch_one(db.store.pool()).await.unwrap().get::<i64, _>(0) };
        let reads = audited().await;
        let full = json_of(&send(&app, req(Method::GET, &format!("/api/v1/records/support_case/{id}?personal=true"), &caseworker, None, None)).await);
        assert_eq!(full["personal"]["full_name"], "Trần Thị Riêng", "{full}");
        assert_eq!(audited().await, reads + 1, "the read is audited");
        for t in [&officer, &coordinator] {
            let r = send(&app, req(Method::GET, &format!("/api/v1/records/support_case/{id}?personal=true"), t, None, None)).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN);
        }
        // A new version that names no personal field leaves the identity as stored (a client that read
        // the record without ?personal sends back what it read).
        let mut changed = plain["fields"].clone();
        let fields = changed.as_object_mut().unwrap();
        fields.retain(|k, _| case.as_object().unwrap().contains_key(k) && k != "full_name");
        fields.insert("eligible".into(), json!(false));
        fields.insert("version".into(), json!(1));
        let r = send(&app, req(Method::PUT, &format!("/api/v1/records/support_case/{id}"), &caseworker, Some(&changed), None)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let full = json_of(&send(&app, req(Method::GET, &format!("/api/v1/records/support_case/{id}?personal=true"), &caseworker, None, None)).await);
        assert_eq!((full["personal"]["full_name"].as_str(), full["fields"]["eligible"].as_bool()), (Some("Trần Thị Riêng"), Some(false)), "{full}");
        // The sealed column holds no clear text.
        let raw: Vec<u8> = sqlx::query("SELECT identity_sealed FROM support_case WHERE id = $1").bind(id).fetch_one(db.store.pool()).await.unwrap().get(0);
        assert!(!String::from_utf8_lossy(&raw).contains("Riêng"));
        // Closed and erased on the person's request, the case takes no identity again (the safety review
        // of 07/12/2026: a PUT with a name wrote it back, and the sweep then passed over it for good).
        sqlx::query("UPDATE support_case SET closed_on = '2024-06-30' WHERE id = $1").bind(id).execute(db.store.pool()).await.unwrap();
        db.store.anonymise_case(id, chrono::NaiveDate::from_ymd_opt(2024, 7, 1).unwrap(), "người được hỗ trợ đề nghị xóa", "ctxh.tpst").await.unwrap();
        let version: i64 = sqlx::query("SELECT version FROM support_case WHERE id = $1").bind(id).fetch_one(db.store.pool()).await.unwrap().get(0);
        let mut again = changed.clone();
        again["full_name"] = json!("Trần Thị Riêng");
        again["version"] = json!(version);
        let r = send(&app, req(Method::PUT, &format!("/api/v1/records/support_case/{id}"), &caseworker, Some(&again), None)).await;
        assert!(r.status.is_client_error() && r.body.contains("ẩn danh"), "{} {}", r.status, r.body);
        let sealed: Option<Vec<u8>> = sqlx::query("SELECT identity_sealed FROM support_case WHERE id = $1").bind(id).fetch_one(db.store.pool()).await.unwrap().get(0);
        assert!(sealed.is_none(), "nothing written back");

        // The list: the officer's activities in one ward, paged; a ward outside the scope is refused.
        let page = json_of(&send(&app, req(Method::GET, "/api/v1/records/activity?unit=31507&per_page=2&page=1", &officer, None, None)).await);
        assert_eq!(page["items"].as_array().unwrap().len(), 2, "{page}");
        assert!(page["total"].as_i64().unwrap() >= 2);
        assert!(page["items"].as_array().unwrap().iter().all(|i| i["unit_code"] == "31507"));
        let r = send(&app, req(Method::GET, "/api/v1/records/activity?unit=12", &officer, None, None)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = send(&app, req(Method::GET, "/api/v1/records/activity?per_page=501", &officer, None, None)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);

        // The document describes every kind's input from its columns, and the new routes.
        let doc: Value = serde_json::from_str(&send(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await.body).unwrap();
        for k in ["Establishment", "Activity", "Publication", "Inspection", "Tip", "CaseSummary", "DistrictPlan", "PilotModel", "SupportCase", "Training", "ReferenceFigure"] {
            assert!(doc["components"]["schemas"][format!("{k}Input")]["properties"].is_object(), "{k}");
        }
        for p in ["/records/{kind}", "/records/{kind}/{id}", "/records/{kind}/import", "/units", "/units/{code}", "/reports", "/reports/{id}/{action}"] {
            assert!(doc["paths"][p].is_object(), "{p}");
        }
    })
    .await;
}
