//! Import from CSV and XLSX: all rows or none, every bad row named.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use sqlx::Row;

async fn count(db: &crate::helpers::TestDb, sql: &str) -> i64 {
    sqlx::query(sql).fetch_one(db.store.pool()).await.unwrap().get(0)
}

/// On PostgreSQL, returns once another transaction waits on a lock: a second
/// writer whose check passed and whose insert met the first's row in a unique
/// index, so that the race is the one tested (at most 5 s). On SQLite the
/// second writer waits for the write lock instead: returns at once.
async fn second_waits(db: &crate::helpers::TestDb) {
    for _ in 0..200 {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        if db.name != "postgres" {
            return;
        }
        let waiting: i64 = sqlx::query("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        if waiting > 0 {
            return;
        }
    }
}

/// Runs `second` and commits `first` once `second` waits on it; returns the error
/// `second` ends with.
async fn when_first_commits<T: std::fmt::Debug>(
    db: &crate::helpers::TestDb,
    first: pcmd_store::Tx<'static>,
    second: impl std::future::Future<Output = Result<T, pcmd_store::StoreError>>,
) -> pcmd_store::StoreError {
    let commit_first = async {
        second_waits(db).await;
        first.commit().await.unwrap();
    };
    let (refused, ()) = tokio::join!(second, commit_first);
    refused.unwrap_err()
}

/// A case in ward 31498 opened on 10/03/2024, with need, eligibility and consent, no identity.
fn support_case(code: &str) -> pcmd_domain::records::NewSupportCase {
    pcmd_domain::records::NewSupportCase {
        code: code.into(),
        unit_code: "31498".into(),
        opened_on: chrono::NaiveDate::from_ymd_opt(2024, 3, 10).unwrap(),
        closed_on: None,
        age_band: pcmd_domain::records::AgeBand::From25To34,
        sex: pcmd_domain::records::Sex::Female,
        needs_support: true,
        eligible: true,
        consent: true,
        services: Vec::new(),
        full_name: None,
        date_of_birth: None,
        id_number: None,
        address: None,
        phone: None,
    }
}

#[tokio::test]
async fn a_file_with_a_bad_row_imports_nothing_and_names_every_bad_row() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let template = dir.path().join("activity.csv");
        pcmd(db, &["template", "activity", "--format", "csv", "--out", template.to_str().unwrap()]).await.unwrap();
        let head = std::fs::read_to_string(&template).unwrap();
        assert!(head.starts_with('\u{feff}') && head.contains("Ngày tổ chức (dd/mm/yyyy) *") && head.contains("held_on,unit_code,form"));
        // Lines 3–4 good, 5–7 bad: an impossible date, an unknown commune, an unknown form with an empty topic.
        let body = format!(
            "{head}15/03/2024,31507,meeting,Tuyên truyền,UBND phường,10,0,50,120\n\
             2024-04-02,31510,loa truyền thanh,Phát thanh,,0,0,0,300\n\
             31/02/2024,31507,meeting,X,,1,0,0,0\n\
             01/05/2024,99999,meeting,Y,,0,0,0,0\n\
             01/08/2024,31507,dance,,,0,0,0,0\n"
        );
        let file = dir.path().join("bad.csv");
        std::fs::write(&file, body).unwrap();
        let before = count(db, "SELECT COUNT(*) FROM activity").await;
        let msg = format!("{:#}", pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("4 lỗi") && msg.contains("nothing imported"), "{msg}");
        assert!(msg.contains("dòng 5 (line 5), cột held_on") && msg.contains("31/02/2024"), "{msg}");
        assert!(msg.contains("dòng 6 (line 6): không có đơn vị hành chính mã «99999»"), "{msg}");
        assert!(msg.contains("dòng 7 (line 7), cột form") && msg.contains("dòng 7 (line 7), cột topic"), "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM activity").await, before, "the store is unchanged");
        // The good rows alone: a dry run writes nothing, the import writes both.
        let good: String = std::fs::read_to_string(&file).unwrap().lines().take(4).map(|l| format!("{l}\n")).collect();
        std::fs::write(&file, good).unwrap();
        let out = pcmd(db, &["import", "activity", file.to_str().unwrap(), "--dry-run"]).await.unwrap();
        assert!(out.contains("2 rows checked"), "{out}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM activity").await, before);
        pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap();
        assert_eq!(count(db, "SELECT COUNT(*) FROM activity").await, before + 2);
        assert_eq!(count(db, "SELECT COUNT(*) FROM activity WHERE source = 'import'").await, 2);
    })
    .await;
}

#[tokio::test]
async fn reference_figures_import_from_xlsx() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        // An XLSX as a spreadsheet program would save it: headers, keys, then numbers as numbers.
        let path = dir.path().join("figures.xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        let s = book.add_worksheet();
        for (c, (vi, key)) in
            [("Loại", "kind"), ("Cấp", "level"), ("Mã đơn vị", "unit_code"), ("Năm", "year"), ("Số liệu", "value"), ("Nguồn", "reference")]
                .iter()
                .enumerate()
        {
            s.write_string(0, c as u16, *vi).unwrap();
            s.write_string(1, c as u16, *key).unwrap();
        }
        for (r, (kind, level, unit, year, value)) in
            [("students", "all", "12", 2021.0, 13_900.0), ("staff", "province", "12", 2021.0, 88.0)].iter().enumerate()
        {
            let r = r as u32 + 2;
            s.write_string(r, 0, *kind).unwrap();
            s.write_string(r, 1, *level).unwrap();
            s.write_string(r, 2, *unit).unwrap();
            s.write_number(r, 3, *year).unwrap();
            s.write_number(r, 4, *value).unwrap();
            s.write_string(r, 5, "Cục Thống kê tỉnh").unwrap();
        }
        book.save(&path).unwrap();
        let out = pcmd(db, &["import", "reference_figure", path.to_str().unwrap()]).await.unwrap();
        assert!(out.contains("imported 2 rows"), "{out}");
        assert_eq!(count(db, "SELECT value FROM reference_figure WHERE kind = 'students' AND year = 2021").await, 13_900);
        // The same file again: duplicates, so nothing more is written.
        let msg = format!("{:#}", pcmd(db, &["import", "reference_figure", path.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("dòng 3 (line 3)") && msg.contains("dòng 4 (line 4)") && msg.contains("already has"), "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM reference_figure WHERE year = 2021").await, 2);
        // The template itself opens as XLSX with the keys on row 2.
        let template = dir.path().join("t.xlsx");
        pcmd(db, &["template", "tip", "--out", template.to_str().unwrap()]).await.unwrap();
        let bytes = std::fs::read(&template).unwrap();
        assert_eq!(&bytes[..2], b"PK", "an XLSX is a zip file");
    })
    .await;
}

#[tokio::test]
async fn task_progress_and_spending_import_against_the_plan() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let progress = dir.path().join("progress.csv");
        std::fs::write(
            &progress,
            "plan,task_code,reported_on,status,note\n\
             lai-chau-2022,V.1,30/06/2022,in_progress,Đã tổ chức 3 lớp tập huấn\n\
             lai-chau-2022,V.99,30/06/2022,done,\n",
        )
        .unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "task_progress", progress.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("dòng 3 (line 3)") && msg.contains("no task «V.99»"), "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM task_progress").await, 0);
        std::fs::write(&progress, "plan,task_code,reported_on,status,note\nlai-chau-2022,V.1,30/06/2022,in_progress,Đã tổ chức 3 lớp\n").unwrap();
        pcmd(db, &["import", "task_progress", progress.to_str().unwrap()]).await.unwrap();
        assert_eq!(count(db, "SELECT COUNT(*) FROM task_progress").await, 1);

        // What was spent of Resolution 117's 2024 allocation of 1.107.680.000 đồng.
        let spending = dir.path().join("spending.csv");
        std::fs::write(&spending, "plan,year,spent\n117/NQ-HĐND,2024,1.050.000.000\n117/NQ-HĐND,2023,5\n").unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "budget_spending", spending.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("dòng 3 (line 3)") && msg.contains("0 matching budget lines for 2023"), "{msg}");
        std::fs::write(&spending, "plan,year,spent\n117/NQ-HĐND,2024,1.050.000.000\n").unwrap();
        pcmd(db, &["import", "budget_spending", spending.to_str().unwrap()]).await.unwrap();
        let p = crate::pcmd_json(db, &["plans", "show", "117/NQ-HĐND", "--format", "json"]).await;
        assert_eq!(p["budget"]["years"][0]["spent"], 1_050_000_000_i64);
        assert_eq!(p["budget"]["years"][1]["spent"], serde_json::Value::Null);
    })
    .await;
}

/// Tips are written in batches: each gets its legal deadline, its content sealed
/// and its first status entry, as one entered through the form; a file with a
/// bad row writes nothing.
#[tokio::test]
async fn tips_imported_in_a_batch_get_deadlines_sealed_content_and_history() {
    on_each_demo_backend(async |db| {
        let (tips, events) = (count(db, "SELECT COUNT(*) FROM tip").await, count(db, "SELECT COUNT(*) FROM tip_event").await);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("tips.csv");
        let header = "received_on,channel,category,unit_code,status,closed_on,content\n";
        std::fs::write(
            &file,
            format!(
                "{header}03/02/2024,phone,denunciation,31498,received,,Nhà nghỉ Hoa Sen có dấu hiệu môi giới\n\
                 05/02/2024,in_person,crime_report,31501,handled,20/02/2024,\n\
                 31/02/2024,phone,denunciation,31501,received,,\n"
            ),
        )
        .unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "tip", file.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("dòng 4 (line 4)"), "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM tip").await, tips, "nothing written from a file with a bad date");
        // A comma left unquoted in the content splits it into an eighth cell, under no column key:
        // refused, naming the column but not repeating the text, rather than kept cut short.
        std::fs::write(&file, format!("{header}03/02/2024,phone,denunciation,31498,received,,Người báo: Trần Văn D, địa chỉ 12 Lê Lợi\n")).unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "tip", file.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("dòng 2 (line 2)") && msg.contains("cột 8") && msg.contains("ngoặc kép"), "{msg}");
        assert!(!msg.contains("Lê Lợi"), "the cell's text is not repeated: {msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM tip").await, tips, "nothing written from a row with a stray cell");
        std::fs::write(
            &file,
            format!(
                "{header}03/02/2024,phone,denunciation,31498,received,,Nhà nghỉ Hoa Sen có dấu hiệu môi giới\n\
                 05/02/2024,in_person,crime_report,31501,handled,20/02/2024,\n"
            ),
        )
        .unwrap();
        let out = pcmd(db, &["import", "tip", file.to_str().unwrap()]).await.unwrap();
        assert!(out.contains("imported 2 rows"), "{out}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM tip").await, tips + 2);
        // One status entry each: received on 03/02, handled on the day it was closed.
        assert_eq!(count(db, "SELECT COUNT(*) FROM tip_event").await, events + 2);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM tip_event e JOIN tip t ON t.id = e.tip_id WHERE t.source = 'import' AND e.status = t.status AND e.happened_on = COALESCE(t.closed_on, t.received_on)").await,
            2
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM tip WHERE source = 'import' AND deadline > received_on").await, 2, "deadlines computed");
        let sealed: Vec<u8> = sqlx::query("SELECT content_sealed FROM tip WHERE source = 'import' AND content_sealed IS NOT NULL")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert!(!String::from_utf8_lossy(&sealed).contains("Hoa Sen"), "the content is sealed, not stored as text");
    })
    .await;
}

#[tokio::test]
async fn inspections_and_support_cases_import_in_batches_with_the_checks_made_one_by_one() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.csv");
        let pool = db.store.pool();
        let open: i64 = sqlx::query("SELECT id FROM establishment WHERE closed_on IS NULL ORDER BY id").fetch_one(pool).await.unwrap().get(0);
        let closed = sqlx::query("SELECT id, closed_on FROM establishment WHERE closed_on < '2024-01-01' ORDER BY id").fetch_one(pool).await.unwrap();
        let (closed, closed_on): (i64, String) = (closed.get(0), closed.get(1));
        let inspections = count(db, "SELECT COUNT(*) FROM inspection").await;
        // Line 3 good; line 4 names no establishment; line 5 an establishment closed on `closed_on`, inspected in 2024.
        let header = "inspected_on,establishment_id,team_level,violations,sanctions,fines_vnd\n";
        std::fs::write(&file, format!("{header}10/03/2024,{open},district,1,1,1500000\n10/03/2024,999999,district,0,0,0\n10/03/2024,{closed},district,0,0,0\n")).unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "inspection", file.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("2 lỗi"), "{msg}");
        assert!(msg.contains("dòng 3 (line 3), cột establishment_id: không có cơ sở số 999999"), "{msg}");
        assert!(msg.contains("dòng 4 (line 4), cột inspected_on: cơ sở đã đóng cửa trước ngày kiểm tra") && closed_on.as_str() < "2024-03-10", "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM inspection").await, inspections, "nothing written");
        std::fs::write(&file, format!("{header}10/03/2024,{open},district,1,1,1500000\n")).unwrap();
        pcmd(db, &["import", "inspection", file.to_str().unwrap()]).await.unwrap();
        assert_eq!(count(db, "SELECT COUNT(*) FROM inspection").await, inspections + 1);

        // Support cases: a code given twice in the file (lines 3 and 4) and a code the demo has (line 5).
        let taken: String = sqlx::query("SELECT code FROM support_case ORDER BY id").fetch_one(pool).await.unwrap().get(0);
        let (cases, services) = (count(db, "SELECT COUNT(*) FROM support_case").await, count(db, "SELECT COUNT(*) FROM support_service").await);
        let header = "code,unit_code,opened_on,age_band,sex,needs_support,eligible,consent,services,full_name,phone\n";
        let row = |code: &str| format!("{code},31498,10/03/2024,25_34,female,có,có,có,10/03/2024 health; 12/03/2024 legal,Nguyễn Thị Lan,0912345678\n");
        std::fs::write(&file, format!("{header}{}{}{}", row("HS-T-1"), row("HS-T-1"), row(&taken))).unwrap();
        let msg = format!("{:#}", pcmd(db, &["import", "support_case", file.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("2 lỗi"), "{msg}");
        assert!(msg.contains("dòng 3 (line 3), cột code: đã có hồ sơ mã «HS-T-1»"), "{msg}");
        assert!(msg.contains(&format!("dòng 4 (line 4), cột code: đã có hồ sơ mã «{taken}»")), "{msg}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM support_case").await, cases, "nothing written");
        // Two new cases: 2 cases, 2 × 2 services, an audit entry for each person and one for the import.
        let entries = count(db, "SELECT COUNT(*) FROM audit_log").await;
        std::fs::write(&file, format!("{header}{}{}", row("HS-T-1"), row("HS-T-2"))).unwrap();
        let out = pcmd(db, &["import", "support_case", file.to_str().unwrap()]).await.unwrap();
        assert!(out.contains("imported 2 rows"), "{out}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM support_case").await, cases + 2);
        assert_eq!(count(db, "SELECT COUNT(*) FROM support_service").await, services + 4);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM support_service s JOIN support_case c ON c.id = s.case_id WHERE c.code IN ('HS-T-1', 'HS-T-2')").await,
            4,
            "each case's services under its own id"
        );
        assert_eq!(count(db, "SELECT COUNT(*) FROM audit_log").await, entries + 3);
        assert_eq!(
            count(db, "SELECT COUNT(*) FROM audit_log a JOIN support_case c ON a.subject = 'support_case#' || CAST(c.id AS TEXT) WHERE a.action = 'insert' AND c.code IN ('HS-T-1', 'HS-T-2')").await,
            2
        );
        let sealed: Vec<u8> = sqlx::query("SELECT identity_sealed FROM support_case WHERE code = 'HS-T-1'").fetch_one(pool).await.unwrap().get(0);
        assert!(!String::from_utf8_lossy(&sealed).contains("Lan"), "the identity is sealed");
        // The audit chain still holds, the entries written together included.
        pcmd(db, &["audit", "verify"]).await.unwrap();
        // The same code through the one-by-one path (a form) is refused with the same words.
        let refused = pcmd_store::records::insert_support_case(
            &mut db.store.begin().await.unwrap(),
            &db.store.unit_index().await.unwrap(),
            &support_case("HS-T-2"),
            &pcmd_store::records::RecordMeta::now(pcmd_domain::records::RecordSource::Entry, Some("test".into())),
        )
        .await
        .unwrap_err();
        assert!(refused.to_string().contains("đã có hồ sơ mã «HS-T-2»"), "{refused}");
    })
    .await;
}

/// Two officers save a case under the same code at once. SQLite takes the write
/// lock at the start of a transaction, so the second waits and its check sees the
/// first case; on PostgreSQL both checks pass and the second insert meets the
/// unique index once the first commits. Either way the second gets the check's
/// words, not a database error, and one case is stored. A batch meeting the
/// index gets a refusal too.
#[tokio::test]
async fn a_code_saved_by_someone_else_meanwhile_is_refused_with_the_checks_words() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let m = pcmd_store::records::RecordMeta::now(pcmd_domain::records::RecordSource::Entry, Some("test".into()));
        let case = support_case("HS-CUNG-LUC");
        let mut first = db.store.begin().await.unwrap();
        pcmd_store::records::insert_support_case(&mut first, &units, &case, &m).await.unwrap();
        let second = async {
            let mut tx = db.store.begin().await?;
            pcmd_store::records::insert_support_case(&mut tx, &units, &case, &m).await?;
            tx.commit().await.map_err(pcmd_store::StoreError::from)
        };
        let refused = when_first_commits(db, first, second).await;
        assert!(refused.to_string().contains("đã có hồ sơ mã «HS-CUNG-LUC»"), "{refused}");
        assert!(refused.user_message().is_some(), "a refusal the officer can act on, not a fault: {refused:?}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM support_case WHERE code = 'HS-CUNG-LUC'").await, 1);
        // The same clash in a batch, which cannot tell which row met the index:
        // two rows of one code written without the batch's check.
        let rows = ["HS-LO-1", "HS-LO-1"]
            .iter()
            .map(|code| {
                pcmd_store::records::prepare(&units, &Default::default(), &pcmd_domain::records::NewRecord::SupportCase(support_case(code)), &m)
                    .unwrap()
            })
            .collect();
        let mut tx = db.store.begin().await.unwrap();
        let refused = pcmd_store::records::BatchWriter::default().write(&mut tx, rows, &m).await.unwrap_err();
        assert!(matches!(refused, pcmd_store::StoreError::Conflict(_)), "{refused:?}");
        assert!(refused.to_string().contains("mã trùng với mã trong tệp"), "{refused}");
        drop(tx);
        assert_eq!(count(db, "SELECT COUNT(*) FROM support_case WHERE code = 'HS-LO-1'").await, 0, "nothing written");
    })
    .await;
}

/// The same race on a unit's yearly figures (unique by year and unit): the
/// second officer is told the figures exist, as the check tells them.
#[tokio::test]
async fn yearly_figures_saved_by_someone_else_meanwhile_are_refused_with_the_checks_words() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let m = pcmd_store::records::RecordMeta::now(pcmd_domain::records::RecordSource::Entry, Some("test".into()));
        let figures = pcmd_domain::records::NewCaseSummary {
            year: 2023,
            unit_code: "94".into(),
            criminal_cases: 3,
            defendants: 4,
            admin_violations: 5,
            persons_sanctioned: 6,
        };
        let mut first = db.store.begin().await.unwrap();
        pcmd_store::records::insert_case_summary(&mut first, &units, &figures, &m).await.unwrap();
        let second = async {
            let mut tx = db.store.begin().await?;
            pcmd_store::records::insert_case_summary(&mut tx, &units, &figures, &m).await?;
            tx.commit().await.map_err(pcmd_store::StoreError::from)
        };
        let refused = when_first_commits(db, first, second).await;
        assert!(refused.to_string().contains("đã có số liệu xử lý năm 2023 của đơn vị «94»"), "{refused}");
        assert_eq!(count(db, "SELECT COUNT(*) FROM case_summary WHERE year = 2023 AND unit_id IN (SELECT id FROM unit WHERE code = '94')").await, 1);
    })
    .await;
}

/// What a file holds is what is stored, on both backends (PostgreSQL takes a
/// batch's rows as one JSON text, `records::batch::json_rows`): quotes, a
/// backslash, a line break inside a quoted cell, Vietnamese letters, numbers,
/// and an empty optional cell stored as nothing.
#[tokio::test]
async fn imported_text_and_numbers_are_stored_as_the_file_has_them() {
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.csv");
        let topic = "Tuyên truyền \"Ngày 26/6\" \\ đợt 1\nxã Mỹ Xuyên";
        let csv_topic = topic.replace('"', "\"\"");
        std::fs::write(
            &file,
            format!(
                "held_on,unit_code,form,topic,organiser,reached_at_risk_workers,reached_industrial_workers,reached_students,reached_community\n\
                 15/03/2024,31507,meeting,\"{csv_topic}\",,12,0,345,6789\n"
            ),
        )
        .unwrap();
        pcmd(db, &["import", "activity", file.to_str().unwrap()]).await.unwrap();
        let row = sqlx::query(
            "SELECT held_on, topic, organiser, reached_at_risk_workers, reached_students, reached_community, source FROM activity \
             WHERE held_on = '2024-03-15' AND source = 'import'",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>(0), "2024-03-15");
        assert_eq!(row.get::<String, _>(1), topic);
        assert_eq!(row.get::<Option<String>, _>(2), None, "an empty optional cell is stored as nothing");
        assert_eq!((row.get::<i64, _>(3), row.get::<i64, _>(4), row.get::<i64, _>(5)), (12, 345, 6789));
        assert_eq!(row.get::<String, _>(6), "import");
    })
    .await;
}
