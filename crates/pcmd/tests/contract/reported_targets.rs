//! Issue 14, items 2 and 3: a target no indicator computes is followed from the
//! values its agency reports with evidence, and says everywhere that its figure
//! is reported; a plan's reporting duty says what is due when, and the reports
//! page counts who sent on time, late, or owes it — units and agencies, whose
//! own reports go through the same steps. On both backends, on the demo.

use crate::helpers::{on_each_demo_backend, TestDb};
use crate::pcmd;
use crate::workflow::{call, multipart, session};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// A Lai Châu plan for 2022 with two targets only an agency can report:
/// health checks (a percentage, the health department reports it) and clubs
/// founded (a count over the whole year, the coordinators report it).
const PLAN: &str = r#"
[plan]
key = "lc-bao-cao-2022"
number = "99/KH-UBND"
kind = "plan"
title = "Kế hoạch thử nghiệm chỉ tiêu do cơ quan báo cáo"
issuer = "Ủy ban nhân dân tỉnh Lai Châu"
unit = "12"
period_from = 2022-01-01
period_to = 2022-12-31

[[targets]]
code = "y1"
group = "y"
text = "Ít nhất 80% người lao động tại cơ sở kinh doanh dịch vụ được khám sức khỏe định kỳ."
indicator = "reported"
measure = "percent"
reporter = "lc-syt"
comparator = "at_least"
threshold = 80
evaluation = "each_year"

[[targets]]
code = "c1"
group = "c"
text = "Thành lập ít nhất 04 câu lạc bộ đồng đẳng."
indicator = "reported"
measure = "count"
comparator = "at_least"
threshold = 4
evaluation = "whole_period"

[[tasks]]
code = "t1"
title = "Sở Y tế"
text = "Tổ chức khám sức khỏe cho người lao động."
lead = "lc-syt"
"#;

fn plan_file(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// A value posted as the browser's form does (multipart), with an evidence file.
async fn post_value(
    app: &axum::Router,
    who: &(String, String),
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> (StatusCode, String) {
    let all: Vec<(&str, &str)> = std::iter::once(("csrf", who.1.as_str())).chain(fields.iter().copied()).collect();
    let (status, body, _) = multipart(app, &who.0, path, &all, file.map(|(n, b)| (n, "application/pdf", b))).await;
    (status, body)
}

/// A GET's body as bytes (a DOCX).
async fn raw(app: &axum::Router, path: &str, who: &(String, String)) -> Vec<u8> {
    let req = Request::builder().uri(path).header(header::COOKIE, &who.0).body(Body::empty()).unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    resp.into_body().collect().await.unwrap().to_bytes().to_vec()
}

async fn values(db: &TestDb) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) FROM target_value").fetch_one(db.store.pool()).await.unwrap().get(0)
}

#[tokio::test]
async fn a_reported_target_is_followed_from_values_with_evidence() {
    on_each_demo_backend(async |db| {
        // A reported target needs what it measures; «measure» on a computed one is refused; nothing is loaded.
        let (_d, bad) = plan_file(&PLAN.replace("measure = \"percent\"\n", ""));
        let msg = format!("{:#}", pcmd(db, &["plans", "load", bad.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("plan.toml:16:") && msg.contains("needs «measure»"), "{msg}");
        let (_d, bad) = plan_file(
            &PLAN.replace("indicator = \"reported\"\nmeasure = \"count\"", "indicator = \"districts_with_pilot_model_count\"\nmeasure = \"count\""),
        );
        let msg = format!("{:#}", pcmd(db, &["plans", "load", bad.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("only for reported targets"), "{msg}");
        assert!(db.store.plan("lc-bao-cao-2022").await.is_err(), "nothing loaded from a faulty file");
        let (_d, good) = plan_file(PLAN);
        pcmd(db, &["plans", "load", good.to_str().unwrap()]).await.unwrap();

        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let health = session(db, "canbo.syt.lc").await;
        let lead = session(db, "dieuphoi.lc").await;
        let other_province = session(db, "dieuphoi").await;
        let y1 = "/plans/lc-bao-cao-2022/targets/y1/values";
        let c1 = "/plans/lc-bao-cao-2022/targets/c1/values";

        // Another province's coordinator does not even see the plan; a computed target has no such page.
        assert_eq!(call(&app, "GET", y1, &other_province, "").await.0, StatusCode::FORBIDDEN);
        assert_eq!(call(&app, "GET", "/plans/lai-chau-2022/targets/3.4.2/values", &lead, "").await.0, StatusCode::NOT_FOUND);

        // Refused, changing nothing: no evidence; a value out of 0–100; a period outside the target's.
        let before = values(db).await;
        let (s, page) = post_value(&app, &health, y1, &[("period", "2022-H1"), ("value", "60"), ("evidence", "có")], None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("cần ghi căn cứ"), "{page}");
        let (s, page) = post_value(&app, &health, y1, &[("period", "2022-H1"), ("value", "160"), ("evidence", "Báo cáo số 12/BC-SYT")], None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("từ 0 đến 100"), "{page}");
        let (s, _) = post_value(&app, &health, y1, &[("period", "2023-H1"), ("value", "60"), ("evidence", "Báo cáo số 12/BC-SYT")], None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        // The health officer may not report the coordinators' target.
        let (s, _) =
            post_value(&app, &health, c1, &[("period", "2022-Y"), ("value", "3"), ("evidence", "Quyết định thành lập số 1, 2, 3")], None).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(values(db).await, before, "nothing written by a refused value");

        // H1: 60 % with a file; the year: 75 %, then corrected to 85 % (the later value for the same period stands).
        let pdf = b"%PDF-1.4 bien ban kham suc khoe";
        let (s, _) = post_value(
            &app,
            &health,
            y1,
            &[("period", "2022-H1"), ("value", "60"), ("evidence", "Báo cáo số 12/BC-SYT ngày 20/6/2022")],
            Some(("bao-cao.pdf", pdf)),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) =
            post_value(&app, &health, y1, &[("period", "2022-Y"), ("value", "75"), ("evidence", "Báo cáo số 30/BC-SYT ngày 18/12/2022")], None).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, _) = post_value(
            &app,
            &health,
            y1,
            &[("period", "2022-Y"), ("value", "85,0"), ("evidence", "Báo cáo số 31/BC-SYT ngày 19/12/2022 (đính chính)")],
            None,
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        // The coordinators report the clubs: 3 founded by 14/12/2022.
        let (s, _) =
            post_value(&app, &lead, c1, &[("period", "2022-Y"), ("value", "3"), ("evidence", "Quyết định thành lập số 1, 2, 3/QĐ-UBND")], None).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(values(db).await, before + 4);

        // The page lists them, the first year value struck through as replaced, and the file.
        let (_, page, _) = call(&app, "GET", y1, &lead, "").await;
        assert!(page.contains("Báo cáo số 31/BC-SYT") && page.contains("class=\"replaced\"") && page.contains("bao-cao.pdf"), "{page}");
        assert!(page.contains("không tự tính"), "the page says the figure is reported");
        let file = page.split("/values/").nth(1).and_then(|r| r.split('/').next()).unwrap().to_string();
        let (s, got, _) = call(&app, "GET", &format!("/plans/lc-bao-cao-2022/values/{file}/file"), &lead, "").await;
        assert_eq!((s, got.as_bytes()), (StatusCode::OK, &pdf[..]));
        assert_eq!(call(&app, "GET", &format!("/plans/lc-bao-cao-2022/values/{file}/file"), &other_province, "").await.0, StatusCode::FORBIDDEN);

        // The figures, by hand: 2022 (calendar) takes the corrected 85 ≥ 80 — met, final (the 2022-Y report
        // reaches 14/12, within Decree 09's 17 days of 31/12, and 2022 is over); 2022-H1 takes 60 < 80 — at risk;
        // c1 over 2022 has 3 < 4 at the span's end: not met, final.
        let eval = crate::pcmd_json(db, &["targets", "evaluate", "--plan", "lc-bao-cao-2022", "--period", "2022", "--format", "json"]).await;
        let find = |code: &str| eval.as_array().unwrap().iter().find(|e| e["target"] == code).unwrap().clone();
        let y = find("y1");
        assert_eq!((y["value"].as_f64(), y["status"].as_str(), y["final"].as_bool()), (Some(85.0), Some("met"), Some(true)), "{y}");
        assert_eq!(y["reported"]["evidence"], "Báo cáo số 31/BC-SYT ngày 19/12/2022 (đính chính)");
        assert!(y["note"].as_str().unwrap().contains("không do hệ thống tính"));
        let c = find("c1");
        assert_eq!((c["value"].as_f64(), c["status"].as_str(), c["final"].as_bool()), (Some(3.0), Some("not_met"), Some(true)), "{c}");
        let h1 = crate::pcmd_json(db, &["targets", "evaluate", "--plan", "lc-bao-cao-2022", "--period", "2022-H1", "--format", "json"]).await;
        let y = h1.as_array().unwrap().iter().find(|e| e["target"] == "y1").unwrap();
        assert_eq!((y["value"].as_f64(), y["status"].as_str()), (Some(60.0), Some("at_risk")), "{y}");

        // The dashboard says where the counts would be that the figure is reported, and links to the values.
        let (_, dash, _) = call(&app, "GET", "/plans/lc-bao-cao-2022?period=2022", &lead, "").await;
        assert!(dash.contains("do cơ quan báo cáo (Sở Y tế tỉnh Lai Châu)") && dash.contains(y1), "{dash}");
        // The province's report says it too, where the counts would be.
        let units = db.store.unit_index().await.unwrap();
        let year = pcmd_domain::period::Period::parse("2022", pcmd_domain::period::Cutoff::Decree09).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2022, 12, 31).unwrap();
        let req = pcmd_report::Request {
            plan: "lc-bao-cao-2022",
            unit: &units.resolve("12", day).unwrap().clone(),
            period: &year,
            as_of: day,
            issued_on: day,
            narrative: Default::default(),
            status: None,
            reader: None,
        };
        let built = pcmd_report::build(&db.store, &units, req).await.unwrap();
        let line = built.targets.iter().find(|t| t.code == "y1").unwrap();
        assert!(line.figures.contains("Sở Y tế tỉnh Lai Châu báo cáo, không do hệ thống tính"), "{}", line.figures);
        // Every value entered is in the audit log.
        use sqlx::Row;
        let audited: i64 =
            sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'target_value_add' AND subject LIKE 'target:lc-bao-cao-2022/%'")
                .fetch_one(db.store.pool())
                .await
                .unwrap()
                .get(0);
        assert_eq!(audited, 4);

        // A new version of the plan may not turn y1, which has values, into a count: refused, nothing changed.
        let (_d, recast) = plan_file(&PLAN.replace("measure = \"percent\"", "measure = \"count\""));
        let msg = format!("{:#}", pcmd(db, &["plans", "load", recast.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("đã có số liệu báo cáo"), "{msg}");
        assert_eq!(db.store.plan("lc-bao-cao-2022").await.unwrap().targets[0].indicator_kind, "percent_of_items");

        // Once the province's 2022 report is accepted, a value for 2022-Y waits until it is reopened.
        let y = pcmd_domain::period::Period::parse("2022-Y", pcmd_domain::period::Cutoff::Decree09).unwrap();
        let province = units.resolve("12", day).unwrap().id;
        let id = db.store.create_report("lai-chau-2022", province, &y, "dieuphoi.lc").await.unwrap();
        use pcmd_store::reports::Step;
        let v = db.store.report_step(id, 1, Step::Submit, None, "canbo.syt.lc", &units).await.unwrap();
        db.store.report_step(id, v, Step::Accept, None, "dieuphoi.lc", &units).await.unwrap();
        let before = values(db).await;
        let (s, page) =
            post_value(&app, &health, y1, &[("period", "2022-Y"), ("value", "90"), ("evidence", "Báo cáo bổ sung số 40/BC-SYT")], None).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("đã được chấp nhận và khóa số liệu"), "{page}");
        assert_eq!(values(db).await, before);
    })
    .await;
}

#[tokio::test]
async fn the_reports_page_counts_who_sent_on_time_late_or_owes_the_report() {
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let lead = session(db, "dieuphoi.lc").await;
        let health = session(db, "canbo.syt.lc").await;
        let page = "/reports?plan=lai-chau-2022&period=2022-H1";
        let (s, html, _) = call(&app, "GET", page, &lead, "").await;
        assert_eq!(s, StatusCode::OK);
        // Lai Châu 2022: "Định kỳ 06 tháng 01 năm báo cáo UBND tỉnh (qua Sở LĐTBXH)": 2022-H1 is
        // 15/12/2021 – 14/06/2022, due 5 days after, 19/06/2022; 2022-Y is due 19/12/2022.
        assert!(html.contains("19/06/2022") && html.contains("19/12/2022"), "{html}");
        assert!(html.contains("Sở Lao động - Thương binh và Xã hội tỉnh Lai Châu"), "through the lead agency");
        // Reporters: the 8 districts of 2022 (7 huyện and Thành phố Lai Châu) and the 13 provincial bodies
        // leading a task (14 named, less the districts' People's Committees, who report as units): 21.
        assert!(html.contains("Sở Y tế tỉnh Lai Châu") && !html.contains(">Ủy ban nhân dân các huyện, thành phố tỉnh Lai Châu<"), "{html}");
        let row = |html: &str, label: &str| -> Vec<String> {
            let at = html.find(&format!(">{label}</a>")).unwrap_or_else(|| panic!("no row {label}: {html}"));
            let rest = &html[at..html[at..].find("</tr>").unwrap() + at];
            rest.split("<td class=\"num\"").skip(1).map(|c| c.split_once('>').unwrap().1.split('<').next().unwrap().to_string()).collect()
        };
        let today = pcmd_domain::date::today_vn();
        let before = row(&html, "2022-H1");
        assert_eq!(before[0], "21", "expected reporters: {before:?}");
        // The coordinator's home says the latest report owed, with the reports page's count of those who owe
        // it (the 4th figure of its row: expected, on time, late, overdue), due 19/12/2022 (the reach review
        // of 07/12/2026: Lai Châu's home said nothing of the units owing their report).
        let owed = row(&html, "2022-Y");
        let (_, home, _) = call(&app, "GET", "/", &lead, "").await;
        let said = format!("{} đơn vị chưa gửi báo cáo năm 2022 của", owed[3]);
        assert!(owed[3] != "0" && home.contains(&said) && home.contains("(hạn 19/12/2022)"), "{said}: {home}");
        // A plan over for more than a year (Lai Châu's 2022, ended 31/12/2022) puts no targets of its last
        // year on the home page; the report still owed stays.
        assert!(!home.contains(", năm 2022: "), "{home}");

        // The health department opens its report on its tasks and submits it today: years after 19/06/2022, late.
        let (s, _, _) = call(&app, "POST", "/reports", &health, "plan=lai-chau-2022&period=2022-H1&agency=lc-syt").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let mine = db.store.reports(Some("lai-chau-2022")).await.unwrap();
        let id = mine.iter().find(|r| r.agency.as_ref().is_some_and(|a| a.code == "lc-syt") && r.period.label == "2022-H1").unwrap().id;
        // It may not open another agency's report.
        assert_eq!(call(&app, "POST", "/reports", &health, "plan=lai-chau-2022&period=2022-H1&agency=lc-ca").await.0, StatusCode::FORBIDDEN);
        let r = db.store.report(id).await.unwrap().unwrap();
        assert_eq!(r.agency.as_ref().map(|a| a.code.as_str()), Some("lc-syt"));
        let (s, _, _) = call(
            &app,
            "POST",
            &format!("/reports/{id}"),
            &health,
            &format!("version={}&action=submit&results=Kh%C3%A1m+cho+120+ng%C6%B0%E1%BB%9Di", r.version),
        )
        .await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (_, html, _) = call(&app, "GET", page, &lead, "").await;
        let after = row(&html, "2022-H1");
        let late_by = (today - chrono::NaiveDate::from_ymd_opt(2022, 6, 19).unwrap()).num_days();
        assert!(html.contains(&format!("gửi trễ {late_by} ngày")), "Sở Y tế sent it {late_by} days late");
        let n = |v: &[String], i: usize| v[i].parse::<i64>().unwrap();
        // Columns: expected, on time, late, overdue, not yet due. One moved from overdue to late.
        assert_eq!((n(&after, 2), n(&after, 3)), (n(&before, 2) + 1, n(&before, 3) - 1), "{before:?} → {after:?}");

        // Its document is the agency's: its name under the province's committee, its symbol, its head signs,
        // addressed to the lead agency, with its tasks (V.6, the health department's, which it leads).
        let (s, csv, _) = call(&app, "GET", &format!("/reports/{id}/file/csv?table=agency_tasks"), &lead, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(csv.contains("V.6") && csv.contains("Chủ trì"), "{csv}");
        let docx = raw(&app, &format!("/reports/{id}/file/docx"), &lead).await;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
        for expected in [
            "UBND TỈNH LAI CHÂU",
            "SỞ Y TẾ TỈNH LAI CHÂU",
            "/BC-SYT",
            "GIÁM ĐỐC",
            "Nhiệm vụ được giao",
            "Sở Lao động - Thương binh và Xã hội tỉnh Lai Châu",
        ] {
            assert!(doc.contains(expected), "the DOCX has «{expected}»");
        }
        let (_, html, _) = call(&app, "GET", &format!("/reports/{id}"), &lead, "").await;
        assert!(html.contains("<h1>Sở Y tế tỉnh Lai Châu — 6 tháng đầu năm 2022</h1>"), "{html}");

        // The health officer cannot accept their own agency's report; the lead agency's coordinator does,
        // and an accepted agency report locks no records of the province.
        let locked_before = db.store.any_accepted_report().await.unwrap();
        let v = db.store.report(id).await.unwrap().unwrap().version;
        assert_eq!(call(&app, "POST", &format!("/reports/{id}"), &health, &format!("version={v}&action=accept")).await.0, StatusCode::FORBIDDEN);
        let (s, _, _) = call(&app, "POST", &format!("/reports/{id}"), &lead, &format!("version={v}&action=accept")).await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        assert_eq!(db.store.report(id).await.unwrap().unwrap().status, pcmd_domain::report::ReportStatus::Accepted);
        assert_eq!(db.store.any_accepted_report().await.unwrap(), locked_before, "an agency's report locks nothing");
    })
    .await;
}
