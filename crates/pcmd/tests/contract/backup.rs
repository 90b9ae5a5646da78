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
            assert!(b.1 == a.1, "table {} differs after restore", b.0);
        }
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
