//! Loading is idempotent and all-or-nothing; bad files name their line.

use crate::helpers::{on_each_demo_backend, TestDb};
use crate::pcmd;
use sqlx::Row;
use std::path::PathBuf;

const TABLES: &[&str] = &[
    "dataset",
    "unit",
    "unit_successor",
    "agency",
    "lead_agency",
    "plan",
    "target",
    "task",
    "task_co_agency",
    "budget_line",
    "deadline_rule",
    "establishment",
    "activity",
    "publication",
    "inspection",
    "tip",
    "tip_event",
    "case_summary",
    "district_plan",
    "pilot_model",
    "support_case",
    "support_service",
    "training",
    "reference_figure",
];

/// Row counts of every table, the sum of every version, and when data sets were loaded.
async fn fingerprint(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    for t in TABLES {
        let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(db.store.pool()).await.unwrap().get(0);
        out.push(format!("{t}={n}"));
    }
    for t in ["agency", "plan", "target", "task", "budget_line"] {
        let row = sqlx::query(&format!("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) FROM {t}")).fetch_one(db.store.pool()).await.unwrap();
        out.push(format!("{t}.version={}", row.get::<i64, _>(0)));
    }
    for r in sqlx::query("SELECT name, content_hash, loaded_at FROM dataset ORDER BY name").fetch_all(db.store.pool()).await.unwrap() {
        out.push(format!("{}:{}:{}", r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2)));
    }
    for r in sqlx::query("SELECT key, content_hash FROM plan ORDER BY key").fetch_all(db.store.pool()).await.unwrap() {
        out.push(format!("{}:{}", r.get::<String, _>(0), r.get::<String, _>(1)));
    }
    out
}

#[tokio::test]
async fn a_second_demo_changes_nothing() {
    on_each_demo_backend(async |db| {
        let first = fingerprint(db).await;
        // 14,149 units = 63 + 696 + 10,035 old and 34 + 3,321 new; 10,602 successor rows.
        assert!(first.contains(&"unit=14149".to_string()) && first.contains(&"unit_successor=10602".to_string()), "{first:?}");
        let out = pcmd(db, &["demo"]).await.unwrap();
        assert!(out.contains("units unchanged") && out.contains("0 dòng") && out.contains("synthetic records unchanged"), "{out}");
        assert_eq!(fingerprint(db).await, first);
        // Migrating again changes nothing either.
        pcmd(db, &["migrate"]).await.unwrap();
        assert_eq!(fingerprint(db).await, first);
    })
    .await;
}

/// Writes the Sóc Trăng plan file, changed by `edit`, with its text file, into a temp dir.
fn edited_plan(edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/plans");
    let text = std::fs::read_to_string(root.join("soc-trang-117-2023.toml")).unwrap();
    std::fs::copy(root.join("soc-trang-117-2023.txt"), dir.path().join("soc-trang-117-2023.txt")).unwrap();
    let path = dir.path().join("plan.toml");
    std::fs::write(&path, edit(text)).unwrap();
    (dir, path)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[tokio::test]
async fn a_bad_plan_file_names_file_and_line_and_loads_nothing() {
    on_each_demo_backend(async |db| {
        let before = fingerprint(db).await;
        let cases: [(&str, &str, &str); 3] = [
            // An indicator the engine does not know.
            ("indicator = \"press_monthly_provincial\"", "indicator = \"press_weekly\"", "unknown indicator «press_weekly»"),
            // A budget whose years do not add up: 1.107.680.000 + 1.253.690.001 ≠ 2.361.370.000.
            ("amount = 1253690000", "amount = 1253690001", "differs from the sum of the years"),
            // A unit code that does not exist on the plan's dates (no province 99).
            ("unit = \"94\"", "unit = \"99\"", "no administrative unit with code «99»"),
        ];
        for (from, to, expected) in cases {
            let (_dir, path) = edited_plan(|t| t.replace(from, to).replace("key = \"soc-trang-117-2023\"", "key = \"edited\""));
            let text = std::fs::read_to_string(&path).unwrap();
            let line = line_of(&text, if from.starts_with("amount") { "total =" } else { to });
            let err = pcmd(db, &["plans", "load", path.to_str().unwrap()]).await.unwrap_err();
            let msg = format!("{err:#}");
            assert!(msg.contains(&format!("{}:{line}:", path.display())), "expected line {line}: {msg}");
            assert!(msg.contains(expected), "{msg}");
            assert_eq!(fingerprint(db).await, before, "nothing written after: {msg}");
        }
        // A syntax error too.
        let (_dir, path) = edited_plan(|t| t.replace("period_to = 2025-12-31", "period_to = 2025-12-"));
        let line = line_of(&std::fs::read_to_string(&path).unwrap(), "period_to");
        let msg = format!("{:#}", pcmd(db, &["plans", "load", path.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains(&format!("plan.toml:{line}:")) && msg.contains("malformed file"), "{msg}");
        assert_eq!(fingerprint(db).await, before);
    })
    .await;
}

#[tokio::test]
async fn a_changed_plan_file_replaces_the_plan() {
    on_each_demo_backend(async |db| {
        let (_dir, path) = edited_plan(|t| t.replace("threshold = 10\n", "threshold = 20\n"));
        let out = pcmd(db, &["plans", "load", path.to_str().unwrap()]).await.unwrap();
        assert!(out.contains("soc-trang-117-2023: cập nhật (replaced)"), "{out}");
        let p = crate::pcmd_json(db, &["plans", "show", "117/NQ-HĐND", "--format", "json"]).await;
        let d1 = p["targets"].as_array().unwrap().iter().find(|t| t["code"] == "d1").unwrap();
        assert_eq!(d1["threshold"], "≥ 20%");
        assert_eq!(p["targets"].as_array().unwrap().len(), 15);
        let again = pcmd(db, &["plans", "load", path.to_str().unwrap()]).await.unwrap();
        assert!(again.contains("không thay đổi (unchanged)"), "{again}");
    })
    .await;
}

#[tokio::test]
async fn only_sqlite_and_postgres_urls_are_accepted() {
    let err = pcmd_store::Store::connect("mysql://localhost/pcmd").await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("không được hỗ trợ") && msg.contains("unsupported database URL"), "{msg}");
    let err = pcmd_store::Store::connect("postgres://pcmd:secret@127.0.0.1:1/pcmd").await.unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("cannot connect") && !msg.contains("secret"), "the password is never shown: {msg}");
}
