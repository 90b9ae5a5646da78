//! `pcmd backup` and `pcmd restore`: a backup restored into an empty database
//! holds exactly the same rows in every table, its audit chain holds, its
//! sealed fields open with the same key, and it takes new records; a damaged
//! file restores nothing.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use pcmd_domain::records::form::RecordKind;
use pcmd_store::audit::AuditCheck;

/// Each table's rows as sorted JSON lines (row order within a table is not part of the comparison).
fn sections(dump: &[u8]) -> Vec<(String, Vec<String>)> {
    let text = String::from_utf8(dump.to_vec()).unwrap();
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines().skip(1) {
        if line.starts_with('{') && line.contains("\"table\":") {
            out.push((line.to_string(), Vec::new()));
        } else if let Some(last) = out.last_mut() {
            if line.starts_with('[') {
                last.1.push(line.to_string());
            }
        }
    }
    for s in &mut out {
        s.1.sort();
    }
    out
}

#[tokio::test]
async fn a_restored_backup_is_the_same_database() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let h1 = pcmd_domain::period::Period::parse("2024-H1", pcmd_domain::period::Cutoff::Decree09).unwrap();
        db.store.create_report("soc-trang-117-2023", units.resolve("94", h1.from).unwrap().id, &h1, "dieuphoi").await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pcmd-backup.jsonl");
        let out = pcmd(db, &["backup", file.to_str().unwrap()]).await.unwrap();
        assert!(out.contains("Đã sao lưu"), "{out}");

        let copy = db.sibling().await;
        let key = db.key_file.to_str().unwrap().to_string();
        let args = |cmd: &'static str| vec!["pcmd".to_string(), "--database".into(), copy.url.clone(), "--key-file".into(), key.clone(), cmd.into()];
        // A truncated file restores nothing.
        let text = std::fs::read_to_string(&file).unwrap();
        let cut = dir.path().join("cut.jsonl");
        let half = (0..=text.len() / 2).rev().find(|i| text.is_char_boundary(*i)).unwrap();
        std::fs::write(&cut, &text[..half]).unwrap();
        let mut a = args("restore");
        a.push(cut.to_str().unwrap().into());
        let err = pcmd::cli::run(clap::Parser::try_parse_from(a).unwrap()).await.unwrap_err();
        assert!(format!("{err:#}").contains("tệp sao lưu"), "{err:#}");
        assert!(copy.store.unit_index().await.unwrap().get(1).is_none(), "nothing restored from a damaged file");
        // The whole file restores, and the audit chain it brings is intact.
        let mut a = args("restore");
        a.push(file.to_str().unwrap().into());
        let out = pcmd::cli::run(clap::Parser::try_parse_from(a).unwrap()).await.unwrap();
        assert!(out.contains("Intact"), "{out}");
        assert!(matches!(copy.store.verify_audit(None).await.unwrap(), AuditCheck::Intact { .. }));

        // Every table holds the same rows.
        let (mut before, mut after) = (Vec::new(), Vec::new());
        db.store.backup(&mut before).await.unwrap();
        copy.store.backup(&mut after).await.unwrap();
        let (before, after) = (sections(&before), sections(&after));
        // Every table that holds data, including those added since the first backup format:
        // document settings, the portal's receipts, files and messages, reminders sent, days
        // off, plan versions, password links, reported values and reporting duties (the
        // maintained aggregates are rebuilt, below).
        assert_eq!(before.len(), 43);
        for (b, a) in before.iter().zip(after.iter()) {
            assert_eq!(b.0, a.0);
            if b.0.contains("\"audit_") {
                continue;
            }
            assert!(b.1 == a.1, "table {} differs after restore", b.0);
        }
        // The audit log: the original's last entry is the backup itself (written after
        // the file), the copy's is its restore; every entry before is the same.
        let actions = |store: &pcmd_store::Store| {
            let store = store.clone();
            async move {
                let rows = sqlx::query("SELECT action, actor FROM audit_log ORDER BY id").fetch_all(store.pool()).await.unwrap();
                rows.iter().map(|r| (sqlx::Row::get::<String, _>(r, 0), sqlx::Row::get::<String, _>(r, 1))).collect::<Vec<_>>()
            }
        };
        let (mut original, mut restored) = (actions(&db.store).await, actions(&copy.store).await);
        assert_eq!(original.pop(), Some(("backup".to_string(), "pcmd backup".to_string())));
        assert_eq!(restored.pop(), Some(("restore".to_string(), "pcmd restore".to_string())));
        assert_eq!(original, restored);
        for table in ["support_case", "plan_version", "rest_day"] {
            assert!(before.iter().any(|(t, rows)| t.contains(&format!("\"{table}\"")) && !rows.is_empty()), "{table} is in the file");
        }
        // The maintained aggregates are not in the file: the triggers rebuild them as the rows go in.
        let (from, to) = (chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        let sorted = |mut v: Vec<pcmd_store::ActivityFact>| {
            v.sort_by_key(|f| f.unit_id);
            v
        };
        let original = sorted(db.store.activity_facts(from, to, None).await.unwrap());
        assert!(!original.is_empty());
        assert_eq!(sorted(copy.store.activity_facts(from, to, None).await.unwrap()), original);
        assert_eq!(
            sorted(copy.store.with_raw_facts().activity_facts(from, to, None).await.unwrap()),
            original,
            "restored aggregates match the restored records"
        );

        // Sealed identities open with the same key; new records get new ids.
        let sealer = pcmd_store::Sealer::from_file(&db.key_file).unwrap();
        let filter =
            pcmd_store::records::read::ListFilter { units: units.subtree(units.resolve("94", h1.from).unwrap().id), limit: 1, ..Default::default() };
        let case = copy.store.list_records(RecordKind::SupportCase, &filter).await.unwrap().0[0].id;
        assert!(copy.store.read_identity(case, &sealer, "ctxh").await.unwrap().is_some());
        let file_csv = dir.path().join("a.csv");
        std::fs::write(&file_csv, "held_on,unit_code,form,topic\n15/03/2024,31507,meeting,Sau khi khôi phục\n").unwrap();
        let mut a = args("import");
        a.extend(["activity".to_string(), file_csv.to_str().unwrap().to_string()]);
        pcmd::cli::run(clap::Parser::try_parse_from(a).unwrap()).await.unwrap();
        copy.drop_database().await;
    })
    .await;
}

/// A backup file with `column` taken out of every table that has it, as a pcmd
/// from before that column wrote it.
fn without_column(text: &str, column: &str) -> String {
    let mut out = String::new();
    let mut drop: Option<usize> = None;
    for line in text.lines() {
        let mut v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(cols) = v.get_mut("columns").and_then(|c| c.as_array_mut()) {
            drop = cols.iter().position(|c| c == column);
            if let Some(i) = drop {
                cols.remove(i);
            }
        } else if let (Some(i), Some(row)) = (drop, v.as_array_mut()) {
            row.remove(i);
        } else if v.get("end").is_some() {
            drop = None;
        }
        out.push_str(&v.to_string());
        out.push('\n');
    }
    out
}

/// Law 91/2025/QH15: data erased stays erased. A backup taken before a person's
/// identity was erased brings it back when restored; the erasure register
/// beside the key names the case by its erasure key (not by its code, which
/// was edited between the backup and the erasure: the review's case), and the
/// restore anonymises it again and audits it. An entry whose id now belongs to
/// another record is not applied; a damaged line is passed over and said; a
/// missing register stops the restore unless the operator says there is none.
#[tokio::test]
async fn an_erasure_after_a_backup_stays_after_its_restore() {
    use sqlx::Row;
    on_each_demo_backend(async |db| {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("before-erasure.jsonl");
        // Every demo case is open: three are closed first (only a closed case may be erased).
        sqlx::query("UPDATE support_case SET closed_on = '2026-11-30' WHERE id IN (SELECT id FROM support_case ORDER BY id LIMIT 3)")
            .execute(db.store.pool())
            .await
            .unwrap();
        pcmd(db, &["backup", file.to_str().unwrap()]).await.unwrap();
        let closed = "SELECT id FROM support_case WHERE closed_on IS NOT NULL AND anonymised_on IS NULL AND identity_sealed IS NOT NULL ORDER BY id";
        let case: i64 = sqlx::query(closed).fetch_one(db.store.pool()).await.unwrap().get(0);
        // Its code is edited after the backup, then it is erased.
        sqlx::query("UPDATE support_case SET code = code || '-B' WHERE id = $1").bind(case).execute(db.store.pool()).await.unwrap();
        let register = pcmd_store::erasures::register_beside(&db.key_file);
        assert!(register.exists(), "pcmd demo made the register with the key");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        db.store.with_erasure_register(register.clone()).anonymise_case(case, today, "người được hỗ trợ yêu cầu xóa", "ctxh").await.unwrap();
        let read = pcmd_store::erasures::read_register(&register).unwrap();
        assert_eq!(read.entries.len(), 1);
        assert_eq!((read.entries[0].id, read.entries[0].table.as_str(), read.entries[0].key.len()), (case, "support_case", 32));
        // No personal data and no code in the register; readable by its owner only.
        let text = std::fs::read_to_string(&register).unwrap();
        assert!(!text.contains("HS-") && !text.contains("Họ tên"), "{text}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&register).unwrap().permissions().mode() & 0o777, 0o600);
        }

        let key = db.key_file.to_str().unwrap().to_string();
        let restore = |url: String, key: String, extra: Option<&'static str>| {
            let file = file.to_str().unwrap().to_string();
            async move {
                let mut argv = vec!["pcmd".to_string(), "--database".into(), url, "--key-file".into(), key, "restore".into(), file];
                argv.extend(extra.map(str::to_string));
                pcmd::cli::run(clap::Parser::try_parse_from(argv).unwrap()).await
            }
        };
        let copy = db.sibling().await;
        let out = restore(copy.url.clone(), key.clone(), None).await.unwrap();
        assert!(out.contains("có 1 mục, xóa lại 1 hồ sơ"), "{out}");
        let row = sqlx::query("SELECT identity_sealed, anonymised_on FROM support_case WHERE id = $1")
            .bind(case)
            .fetch_one(copy.store.pool())
            .await
            .unwrap();
        assert_eq!(row.get::<Option<String>, _>(0), None, "the identity erased after the backup did not come back");
        assert!(row.get::<Option<String>, _>(1).is_some());
        let detail: String = sqlx::query("SELECT detail FROM audit_log WHERE action = 'anonymise' AND subject = $1 ORDER BY id DESC")
            .bind(format!("support_case#{case}"))
            .fetch_one(copy.store.pool())
            .await
            .unwrap()
            .get(0);
        assert!(detail.contains("xóa lại theo sổ ghi xóa dữ liệu (đã xóa ngày 2026-12-07)"), "{detail}");

        // A backup made before the erasure keys (migration 0024: the same file without the column)
        // is matched by id as it loads (the attack of 07/12/2026 found every erased content back).
        let old_format = dir.path().join("before-0024.jsonl");
        std::fs::write(&old_format, without_column(&std::fs::read_to_string(&file).unwrap(), "erasure_key")).unwrap();
        let older = db.sibling().await;
        let argv = ["pcmd", "--database", &older.url, "--key-file", &key, "restore", old_format.to_str().unwrap()];
        let out = pcmd::cli::run(clap::Parser::try_parse_from(argv).unwrap()).await.unwrap();
        assert!(out.contains("xóa lại 1 hồ sơ"), "{out}");
        let sealed: Option<String> =
            sqlx::query("SELECT identity_sealed FROM support_case WHERE id = $1").bind(case).fetch_one(older.store.pool()).await.unwrap().get(0);
        assert_eq!(sealed, None, "erased again from a backup without erasure keys");
        older.drop_database().await;

        // An entry whose id belongs to another record here (its key differs) is not applied,
        // and a line cut short is passed over; the next entry still starts on a line of its own.
        let other: i64 = sqlx::query(closed).fetch_one(copy.store.pool()).await.unwrap().get(0);
        let mut text = std::fs::read_to_string(&register).unwrap();
        text.push_str(&format!("{{\"table\":\"support_case\",\"id\":{other},\"key\":\"0123456789abcdef0123456789abcdef\",\"on\":\"2026-12-07\"}}\n"));
        text.push_str("{\"table\":\"support_case\",\"id\":1");
        std::fs::write(&register, &text).unwrap();
        let with_register = copy.store.with_erasure_register(register.clone());
        let dry = with_register.reapply_erasures(today, "test", true).await.unwrap();
        assert_eq!((dry.again.len(), dry.already, dry.absent, dry.damaged.clone()), (0, 1, 1, vec![3]));
        let third: i64 = sqlx::query(closed).fetch_all(copy.store.pool()).await.unwrap()[1].get(0);
        with_register.anonymise_case(third, today, "yêu cầu", "ctxh").await.unwrap();
        let read = pcmd_store::erasures::read_register(&register).unwrap();
        assert_eq!((read.entries.len(), read.damaged.clone()), (3, vec![3]), "the new entry is whole on line 4");
        let untouched: Option<String> =
            sqlx::query("SELECT anonymised_on FROM support_case WHERE id = $1").bind(other).fetch_one(copy.store.pool()).await.unwrap().get(0);
        assert_eq!(untouched, None, "another person's record with the id is not touched");
        copy.drop_database().await;

        // No register beside the key: refused, nothing loaded, until the operator says so.
        let bare_dir = tempfile::tempdir().unwrap();
        let lone_key = bare_dir.path().join("lone.key");
        std::fs::copy(&db.key_file, &lone_key).unwrap();
        let empty = db.sibling().await;
        let err = restore(empty.url.clone(), lone_key.to_str().unwrap().to_string(), None).await.unwrap_err();
        assert!(format!("{err:#}").contains("không thấy sổ ghi xóa dữ liệu") && format!("{err:#}").contains("Chưa khôi phục gì"), "{err:#}");
        let units = sqlx::query("SELECT COUNT(*) FROM unit").fetch_one(empty.store.pool()).await.map(|r| r.get::<i64, _>(0));
        assert!(!matches!(units, Ok(n) if n > 0), "nothing restored");
        let out = restore(empty.url.clone(), lone_key.to_str().unwrap().to_string(), Some("--without-erasure-register")).await.unwrap();
        assert!(out.contains("không có sổ ghi xóa"), "{out}");
        // A sweep without the key beside which the register is kept erases nothing (it would start
        // a register wherever it runs, and lose it).
        let nowhere = bare_dir.path().join("none").join("absent.key");
        let argv = ["pcmd", "--database", &empty.url, "--key-file", nowhere.to_str().unwrap(), "privacy", "sweep", "--today", "2040-01-01"];
        let err = pcmd::cli::run(clap::Parser::try_parse_from(argv).unwrap()).await.unwrap_err();
        assert!(format!("{err:#}").contains("không thấy tệp khóa") && format!("{err:#}").contains("Chưa xóa gì"), "{err:#}");
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM support_case WHERE anonymised_on IS NULL AND closed_on IS NOT NULL")
            .fetch_one(empty.store.pool())
            .await
            .unwrap()
            .get(0);
        assert!(left > 0, "the closed cases are still whole");
        // A register that cannot be written (a directory in its place): the erasure is refused,
        // nothing changes, and the caseworker is told to call the administrator, without the
        // server's path or error (those go to the log).
        let blocked = bare_dir.path().join("blocked.erasures");
        std::fs::create_dir(&blocked).unwrap();
        let next: i64 = sqlx::query(closed).fetch_one(db.store.pool()).await.unwrap().get(0);
        let err = db.store.with_erasure_register(blocked.clone()).anonymise_case(next, today, "yêu cầu", "ctxh").await.unwrap_err().to_string();
        assert!(err.contains("hãy báo quản trị hệ thống") && !err.contains("os error") && !err.contains("blocked"), "{err}");
        let still: Option<String> =
            sqlx::query("SELECT anonymised_on FROM support_case WHERE id = $1").bind(next).fetch_one(db.store.pool()).await.unwrap().get(0);
        assert_eq!(still, None, "nothing erased");
        empty.drop_database().await;
    })
    .await;
}
