//! Issue 19: personal data as Law 91/2025/QH15 asks — retention, consent, the
//! person's export. The demo has no closed support case, so the test closes
//! two itself (one long enough ago to be past its five years on the sweep's
//! day, one not); the tips closed in 2022, 2024 and 2025 are the demo's.

use crate::helpers::on_each_demo_backend;
use crate::{pcmd, pcmd_json};
use chrono::NaiveDate;
use pcmd_domain::records::Service;
use sqlx::Row;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Every figure of both seed plans at their provinces, districts and a commune, for each year.
async fn figures(db: &crate::helpers::TestDb) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for (plan, units, periods) in
        [("117/NQ-HĐND", ["94", "941", "31498"], ["2024", "2025"]), ("lai-chau-2022", ["12", "105", "03386"], ["2022", "2022-H1"])]
    {
        for unit in units {
            for period in periods {
                let args = ["targets", "evaluate", "--plan", plan, "--period", period, "--unit", unit, "--as-of", "2026-06-01", "--format", "json"];
                out.push(pcmd_json(db, &args).await);
            }
        }
    }
    out
}

async fn one(db: &crate::helpers::TestDb, sql: &str, id: i64) -> sqlx::any::AnyRow {
    sqlx::query(sql).bind(id).fetch_one(db.store.pool()).await.unwrap()
}

#[tokio::test]
async fn the_sweep_anonymises_what_is_past_retention_and_changes_no_figure() {
    on_each_demo_backend(async |db| {
        let pool = db.store.pool();
        // Two cases opened before 2025: A closed on 10/01/2025, B on 01/10/2026.
        let ids: Vec<i64> = sqlx::query("SELECT id FROM support_case WHERE opened_on <= '2025-01-10' ORDER BY id LIMIT 3")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let (a, b, open) = (ids[0], ids[1], ids[2]);
        for (id, day) in [(a, "2025-01-10"), (b, "2026-10-01")] {
            sqlx::query("UPDATE support_case SET closed_on = $2 WHERE id = $1").bind(id).bind(day).execute(pool).await.unwrap();
        }
        let sealed_a: Vec<u8> = one(db, "SELECT identity_sealed FROM support_case WHERE id = $1", a).await.get(0);
        // Tips keep their content five years after closing: on 01/06/2030 those closed up to 31/05/2025 go.
        let tips_due: i64 = sqlx::query("SELECT COUNT(*) FROM tip WHERE content_sealed IS NOT NULL AND closed_on <= '2025-05-31'")
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert!(tips_due > 50, "{tips_due}");
        let before = figures(db).await;

        // The warning comes first: 30 days before A's last day (10/01/2030), A is listed, B is not.
        let due = pcmd(db, &["privacy", "due", "--today", "2029-12-20"]).await.unwrap();
        assert!(due.contains(&format!("hồ sơ hỗ trợ số {a}:")) && !due.contains(&format!("hồ sơ hỗ trợ số {b}:")), "{due}");
        // A dry run changes nothing.
        let dry = pcmd(db, &["privacy", "sweep", "--today", "2030-06-01", "--dry-run"]).await.unwrap();
        assert!(dry.contains(&format!("1 hồ sơ hỗ trợ (support cases), {tips_due} tin")), "{dry}");
        assert!(one(db, "SELECT identity_sealed FROM support_case WHERE id = $1", a).await.get::<Option<Vec<u8>>, _>(0).is_some());

        let swept = pcmd(db, &["privacy", "sweep", "--today", "2030-06-01"]).await.unwrap();
        assert!(swept.contains(&format!("Đã ẩn danh (anonymised): 1 hồ sơ hỗ trợ (support cases), {tips_due} tin")), "{swept}");
        // A's identity is gone; B (still in its period) and the open case keep theirs.
        let identity = |id| async move { one(db, "SELECT identity_sealed, anonymised_on FROM support_case WHERE id = $1", id).await };
        let row = identity(a).await;
        assert_eq!((row.get::<Option<Vec<u8>>, _>(0), row.get::<Option<String>, _>(1).as_deref()), (None, Some("2030-06-01")));
        for id in [b, open] {
            assert!(identity(id).await.get::<Option<Vec<u8>>, _>(0).is_some(), "case {id} untouched");
        }
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM tip WHERE content_sealed IS NOT NULL AND closed_on <= '2025-05-31'")
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
        // Every figure of both plans is the same.
        assert_eq!(figures(db).await, before, "the engine never needed an identity");
        // Not even in the database file (SQLite: zeroed on delete, the log folded in).
        if db.name == "sqlite" {
            let path = db.url.trim_start_matches("sqlite://").to_string();
            let mut bytes = std::fs::read(&path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            assert!(!bytes.windows(sealed_a.len()).any(|w| w == sealed_a.as_slice()), "the sealed identity is still in the file");
        }
        // The audit log is intact and says what went, and why.
        pcmd(db, &["audit", "verify"]).await.unwrap();
        let why: String = sqlx::query("SELECT detail FROM audit_log WHERE action = 'anonymise' AND subject = $1")
            .bind(format!("support_case#{a}"))
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert!(why.contains("hết thời hạn lưu trữ"), "{why}");
        // A second sweep finds nothing more.
        assert!(pcmd(db, &["privacy", "sweep", "--today", "2030-06-01"]).await.unwrap().contains(": 0 hồ sơ hỗ trợ (support cases), 0 tin"));
    })
    .await;
}

#[tokio::test]
async fn withdrawn_consent_stops_new_services_and_the_export_holds_everything_about_one_person() {
    on_each_demo_backend(async |db| {
        let store = &db.store;
        let pool = store.pool();
        let ids: Vec<i64> = sqlx::query("SELECT id FROM support_case WHERE consent = 1 ORDER BY id LIMIT 2")
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        let (id, other) = (ids[0], ids[1]);
        let services = |id| async move { one(db, "SELECT COUNT(*) FROM support_service WHERE case_id = $1", id).await.get::<i64, _>(0) };
        let before = services(id).await;
        store.add_service(id, d(2026, 11, 2), Service::Legal, "ctxh", "2026-11-02T08:00:00Z").await.unwrap();
        assert_eq!(services(id).await, before + 1);

        store.set_consent(id, pcmd_store::privacy::Consent::Withdrawn { on: d(2026, 11, 20) }, "ctxh").await.unwrap();
        let err = store.add_service(id, d(2026, 11, 25), Service::Health, "ctxh", "2026-11-25T08:00:00Z").await.unwrap_err().to_string();
        assert!(err.contains("đã rút lại sự đồng ý ngày 20/11/2026"), "{err}");
        assert_eq!(services(id).await, before + 1, "nothing written");
        // Given again (a new consent with its scope), services are recorded again.
        let again = pcmd_store::privacy::Consent::Given { on: d(2026, 11, 28), scope: "hỗ trợ y tế, học nghề".into() };
        store.set_consent(id, again, "ctxh").await.unwrap();
        store.add_service(id, d(2026, 11, 29), Service::Health, "ctxh", "2026-11-29T08:00:00Z").await.unwrap();

        // The export: every column the case row holds (but its id, version, the sealed bytes, given
        // opened, and the erasure key, a random system key that says nothing about the person).
        let sealer = pcmd_store::Sealer::from_file(&db.key_file).unwrap();
        let json = store.person_export(id, &sealer, "ctxh").await.unwrap();
        let row = sqlx::query("SELECT * FROM support_case WHERE id = $1").bind(id).fetch_one(pool).await.unwrap();
        for col in row.columns() {
            let name = sqlx::Column::name(col);
            if !["id", "version", "identity_sealed", "erasure_key"].contains(&name) {
                assert!(json["case"].get(name).is_some(), "the export lacks {name}");
            }
        }
        let code: String = one(db, "SELECT code FROM support_case WHERE id = $1", id).await.get(0);
        let other_code: String = one(db, "SELECT code FROM support_case WHERE id = $1", other).await.get(0);
        assert_eq!(json["case"]["code"], code.as_str());
        assert!(json["identity"]["full_name"].as_str().is_some_and(|n| n.starts_with("Họ tên mẫu")), "{}", json["identity"]);
        assert_eq!(json["services"].as_array().unwrap().len() as i64, services(id).await);
        assert_eq!(json["case"]["consent_scope"], "hỗ trợ y tế, học nghề");
        let text = json.to_string();
        assert!(!text.contains(&other_code) && !text.contains(&format!("support_case#{other}\"")), "nothing about anyone else");
        assert!(json["history"].as_array().unwrap().iter().any(|h| h["action"] == "consent_withdrawn"));
        // The export itself is audited.
        let audited: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'read_personal' AND subject = $1 AND detail = 'export'")
            .bind(format!("support_case#{id}"))
            .fetch_one(pool)
            .await
            .unwrap()
            .get(0);
        assert_eq!(audited, 1);

        // Erasure on request: refused while the case is open, with the legal reason; done once closed.
        let err = store.anonymise_case(id, d(2026, 12, 1), "người được hỗ trợ đề nghị xóa", "ctxh").await.unwrap_err().to_string();
        assert!(err.contains("hồ sơ đang mở"), "{err}");
        sqlx::query("UPDATE support_case SET closed_on = '2026-11-30' WHERE id = $1").bind(id).execute(pool).await.unwrap();
        store.anonymise_case(id, d(2026, 12, 1), "người được hỗ trợ đề nghị xóa", "ctxh").await.unwrap();
        assert!(store.read_identity(id, &sealer, "ctxh").await.unwrap().is_none());
        // The free text about the person goes too, and the audit log never held the consent's scope
        // (the safety review of 07/12/2026: scope and referral outcomes outlived the erasure).
        let scope: Option<String> = one(db, "SELECT consent_scope FROM support_case WHERE id = $1", id).await.get(0);
        assert_eq!(scope, None);
        let outcomes: i64 = one(db, "SELECT COUNT(*) FROM referral WHERE case_id = $1 AND outcome IS NOT NULL", id).await.get(0);
        assert_eq!(outcomes, 0);
        let logged: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%học nghề%'").fetch_one(pool).await.unwrap().get(0);
        assert_eq!(logged, 0, "the scope is not in the audit log");
        // And nothing is written to it again: a new consent with its scope is refused, the scope stays empty
        // (the review of the change: consent, referral answers and messages still wrote to an erased record).
        let again = pcmd_store::privacy::Consent::Given { on: d(2026, 12, 2), scope: "Lê Thị D, CCCD 094190009999".into() };
        let err = store.set_consent(id, again, "ctxh").await.unwrap_err().to_string();
        assert!(err.contains("đã được ẩn danh"), "{err}");
        let scope: Option<String> = one(db, "SELECT consent_scope FROM support_case WHERE id = $1", id).await.get(0);
        assert_eq!(scope, None);
    })
    .await;
}

#[tokio::test]
async fn the_case_page_says_consent_was_withdrawn_and_refuses_a_new_service() {
    use crate::workflow::{call, session};
    use axum::http::StatusCode;
    on_each_demo_backend(async |db| {
        let sealer = std::sync::Arc::new(pcmd_store::Sealer::from_file(&db.key_file).unwrap());
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_sealer(sealer));
        // A consenting case in Thành phố Sóc Trăng (941), the demo caseworker's unit.
        let id: i64 = sqlx::query(
            "SELECT c.id FROM support_case c JOIN unit u ON u.id = c.unit_id JOIN unit p ON p.id = u.parent_id WHERE p.code = '941' AND c.consent = 1 ORDER BY c.id",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
        let caseworker = session(db, "ctxh.tpst").await;
        // The identity inputs ask the browser not to keep what is typed for autofill on the device
        // (the safety review of 07/12/2026).
        let (s, form, _) = call(&app, "GET", "/records/support_case/new", &caseworker, "").await;
        assert_eq!(s, StatusCode::OK);
        let at = form.find("name=\"full_name\"").expect("the name input");
        let input = &form[form[..at].rfind('<').unwrap()..at + form[at..].find('>').unwrap()];
        assert!(input.contains("autocomplete=\"off\""), "{input}");
        let path = format!("/records/support_case/{id}/rights");
        let (s, _, _) = call(&app, "POST", &path, &caseworker, "action=withdraw&on=20%2F11%2F2026").await;
        assert_eq!(s, StatusCode::SEE_OTHER);
        let (s, page, _) = call(&app, "GET", &format!("/records/support_case/{id}"), &caseworker, "").await;
        assert_eq!(s, StatusCode::OK);
        assert!(page.contains("Đã rút lại sự đồng ý ngày 20/11/2026") && page.contains("không ghi nhận xử lý mới cho mục đích hỗ trợ"), "the page says so");
        let (s, page, _) = call(&app, "POST", &path, &caseworker, "action=service&on=25%2F11%2F2026&service=health").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.contains("đã rút lại sự đồng ý ngày 20/11/2026"), "the refusal beside the case");
        // A wrong date is said, and changes nothing.
        let (s, page, _) = call(&app, "POST", &path, &caseworker, "action=consent&on=31%2F02%2F2026&scope=y").await;
        assert!(s == StatusCode::UNPROCESSABLE_ENTITY && page.contains("role=\"alert\""), "{s}");
        // The export, for the caseworker only.
        let (s, body, kind) = call(&app, "GET", &format!("/records/support_case/{id}/export"), &caseworker, "").await;
        assert_eq!((s, kind.as_deref()), (StatusCode::OK, Some("application/json; charset=utf-8")));
        assert!(body.contains("\"consent_withdrawn_on\": \"2026-11-20\""), "{body}");
        let coordinator = session(db, "dieuphoi").await;
        for (method, p, form) in [("GET", format!("/records/support_case/{id}/export"), ""), ("POST", path.clone(), "action=withdraw&on=21%2F11%2F2026")] {
            let (s, _, _) = call(&app, method, &p, &coordinator, form).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{method} {p}");
        }
    })
    .await;
}

#[tokio::test]
async fn many_identity_reads_in_an_hour_alert_the_administrator_once() {
    on_each_demo_backend(async |db| {
        let sealer = pcmd_store::Sealer::from_file(&db.key_file).unwrap();
        let id: i64 = sqlx::query("SELECT id FROM support_case ORDER BY id").fetch_one(db.store.pool()).await.unwrap().get(0);
        let alerts = || async {
            sqlx::query("SELECT detail FROM audit_log WHERE action = 'alert_unusual_access' AND subject = 'app_user:ctxh.nhieu'")
                .fetch_all(db.store.pool())
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(0))
                .collect::<Vec<_>>()
        };
        // 30 reads within the hour are the threshold (UNUSUAL_READS_PER_HOUR); the 31st is one too many.
        for _ in 0..pcmd_store::audit::UNUSUAL_READS_PER_HOUR {
            db.store.read_identity(id, &sealer, "ctxh.nhieu").await.unwrap();
        }
        let hour = pcmd_domain::date::hour_vn();
        let (from, to) = pcmd_store::audit::WORKING_HOURS;
        let working = (from..to).contains(&hour);
        if working {
            assert!(alerts().await.is_empty(), "30 reads in working hours raise nothing");
        }
        for _ in 0..5 {
            db.store.read_identity(id, &sealer, "ctxh.nhieu").await.unwrap();
        }
        // One alert within the hour, however many reads follow; its reason as the hour makes it.
        let got = alerts().await;
        assert_eq!(got.len(), 1, "{got:?}");
        if working {
            assert!(got[0].contains("31 lần đọc dữ liệu cá nhân trong một giờ"), "{}", got[0]);
        } else {
            assert!(got[0].contains("ngoài giờ làm việc"), "{}", got[0]);
        }
    })
    .await;
}

#[tokio::test]
async fn the_impact_assessment_is_written_from_the_systems_own_statement() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let md = dir.path().join("dgtd.md");
        pcmd(db, &["privacy", "report", "--format", "md", "--out", md.to_str().unwrap()]).await.unwrap();
        let text = std::fs::read_to_string(&md).unwrap();
        // The headings of Form 10 (Decree 356/2025/NĐ-CP), in order.
        let order = [
            "PHẦN A.",
            "I. THÔNG TIN CƠ BẢN",
            "II. HOẠT ĐỘNG XỬ LÝ",
            "4. Sự đồng ý",
            "5. Chính sách lưu trữ",
            "11. Biện pháp bảo vệ",
            "III. ĐÁNH GIÁ TÁC ĐỘNG",
            "2.3.",
            "IV. PHỤ LỤC",
            "PHẦN B.",
        ];
        let at: Vec<usize> = order.iter().map(|h| text.find(h).unwrap_or_else(|| panic!("{h}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{order:?}");
        // The holdings, counted from the database.
        let count = |sql: &'static str| async move { sqlx::query(sql).fetch_one(db.store.pool()).await.unwrap().get::<i64, _>(0) };
        let (cases, tips) = (count("SELECT COUNT(*) FROM support_case").await, count("SELECT COUNT(*) FROM tip").await);
        assert!(text.contains(&format!("| {cases} ({cases} còn danh tính) |")), "cases");
        assert!(text.contains(&format!("| {tips} ({tips} còn nội dung) |")), "tips");
        // Below 10 000 sensitive subjects, 2.3 is not required; the exemption of Art. 21(6) is said.
        assert!(text.contains(&format!("dữ liệu nhạy cảm của {} chủ thể, dưới 10.000", pcmd_domain::money::format_vnd(cases + tips))));
        assert!(text.contains("khoản 6 Điều 21") && text.contains("(cơ quan điền)") && text.contains("356/2025/NĐ-CP ngày 31/12/2025"));
        // Each kind's retention, from processing.toml: the identities' five years.
        assert!(text.contains("5 năm kể từ ngày kết thúc hồ sơ, tin, sau đó ẩn danh tự động"));
        let docx = dir.path().join("dgtd.docx");
        pcmd(db, &["privacy", "report", "--format", "docx", "--out", docx.to_str().unwrap()]).await.unwrap();
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc).unwrap();
        assert!(doc.contains(">BÁO CÁO ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN<") && doc.contains("<w:tblHeader/>"));
    })
    .await;
}

#[tokio::test]
async fn a_disabled_account_loses_its_session_at_once() {
    use crate::workflow::{call, session};
    use axum::http::StatusCode;
    on_each_demo_backend(async |db| {
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap());
        let officer = session(db, "canbo.tpst").await;
        assert_eq!(call(&app, "GET", "/records", &officer, "").await.0, StatusCode::OK);
        pcmd(db, &["user", "disable", "--username", "canbo.tpst"]).await.unwrap();
        assert_ne!(call(&app, "GET", "/records", &officer, "").await.0, StatusCode::OK, "the session no longer works");
        assert!(pcmd(db, &["user", "disable", "--username", "khong.co"]).await.is_err(), "an unknown account is refused");
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'user_disable' AND subject = 'app_user:canbo.tpst'")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1);
    })
    .await;
}

#[tokio::test]
async fn the_coordinator_is_warned_before_personal_data_goes() {
    use crate::workflow::{call, session};
    on_each_demo_backend(async |db| {
        let rules = processing();
        let app = pcmd_web::router(pcmd_web::AppState::new(db.store.clone(), false).await.unwrap().with_privacy(rules));
        let coordinator = session(db, "dieuphoi").await;
        let (_, page, _) = call(&app, "GET", "/", &coordinator, "").await;
        assert!(!page.contains("sẽ được ẩn danh"), "nothing due in the demo");
        // A case closed five years less ten days ago is kept ten more days: within the 30 days' warning.
        let today = pcmd_domain::date::today_vn();
        let closed = today.checked_sub_months(chrono::Months::new(60)).unwrap() + chrono::Days::new(10);
        let id: i64 = sqlx::query("SELECT id FROM support_case ORDER BY id").fetch_one(db.store.pool()).await.unwrap().get(0);
        sqlx::query("UPDATE support_case SET closed_on = $2 WHERE id = $1").bind(id).bind(closed.to_string()).execute(db.store.pool()).await.unwrap();
        let (_, page, _) = call(&app, "GET", "/", &coordinator, "").await;
        let last = pcmd_domain::date::format_vn(today + chrono::Days::new(10));
        assert!(page.contains(&format!("1 hồ sơ sẽ được ẩn danh dữ liệu cá nhân vì hết thời hạn lưu trữ, sớm nhất sau ngày {last}")), "the warning");
        // An officer is not the one warned.
        let (_, page, _) = call(&app, "GET", "/", &session(db, "canbo.tpst").await, "").await;
        assert!(!page.contains("sẽ được ẩn danh"));
    })
    .await;
}

/// The statement of processing as pcmd carries it.
fn processing() -> pcmd_domain::policy::privacy::ProcessingFile {
    let text = include_str!("../../../../data/privacy/processing.toml");
    pcmd_domain::policy::privacy::ProcessingFile::parse(pcmd_domain::source::SourceFile { name: "processing.toml", text }).unwrap()
}
