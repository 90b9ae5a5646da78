//! Robustness: a `pcmd import` killed with SIGKILL in the middle leaves the
//! database as it was (the import is one transaction), and the database still
//! works: the same file then imports whole.

use crate::helpers::{on_each_demo_backend, TestDb};
use sqlx::Row;
use std::time::{Duration, Instant};

// Enough rows for the write phase to last well past the moment it is killed.
const ROWS: usize = 100_000;

async fn activities(db: &TestDb) -> i64 {
    sqlx::query("SELECT COUNT(*) FROM activity").fetch_one(db.store.pool()).await.unwrap().get(0)
}

/// 100,000 activities in the communes of Sóc Trăng as they were in 2024.
fn big_file(db_units: &pcmd_domain::units::UnitIndex, dir: &std::path::Path) -> std::path::PathBuf {
    let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
    let province = db_units.resolve("94", day).unwrap().id;
    let communes: Vec<String> = db_units
        .within(province, pcmd_domain::units::Level::Commune)
        .into_iter()
        .filter_map(|id| db_units.get(id))
        .filter(|u| u.valid_on(day))
        .map(|u| u.code.clone())
        .collect();
    let mut text = String::from("held_on,unit_code,form,topic,reached_community\n");
    for i in 0..ROWS {
        let c = &communes[i % communes.len()];
        text.push_str(&format!("{:02}/{:02}/2024,{c},meeting,Tuyên truyền {i},{}\n", 1 + i % 28, 1 + i % 12, i % 50));
    }
    let path = dir.join("big.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// Whether another process is writing activities in an open transaction: on
/// SQLite its write-ahead log grows; on PostgreSQL it holds a row-exclusive lock on the table.
async fn writing(db: &TestDb) -> bool {
    if db.name == "sqlite" {
        let wal = format!("{}-wal", db.url.trim_start_matches("sqlite://"));
        std::fs::metadata(wal).is_ok_and(|m| m.len() > 1024 * 1024)
    } else {
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation \
             WHERE c.relname = 'activity' AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()",
        )
        .fetch_one(db.store.pool())
        .await
        .unwrap()
        .get(0);
        n > 0
    }
}

fn import(db: &TestDb, file: &std::path::Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pcmd"));
    cmd.args(["--database", &db.url, "--key-file", db.key_file.to_str().unwrap(), "import", "activity", file.to_str().unwrap()]);
    cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    cmd
}

#[tokio::test]
async fn an_import_killed_midway_leaves_nothing_and_the_next_one_goes_in_whole() {
    on_each_demo_backend(async |db| {
        let units = db.store.unit_index().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = big_file(&units, dir.path());
        let before = activities(db).await;
        if db.name == "sqlite" {
            // An empty write-ahead log, so that its growth shows the import writing.
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(db.store.pool()).await.unwrap();
        }
        let mut child = import(db, &file).spawn().unwrap();
        // It reads and checks the file, then writes in one transaction: wait until the writing has begun.
        let started = Instant::now();
        while !writing(db).await {
            assert!(child.try_wait().unwrap().is_none(), "the import ended before it was seen writing");
            assert!(started.elapsed() < Duration::from_secs(120), "the import never began writing");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let finished = child.try_wait().unwrap().is_some();
        assert!(!finished, "the import of {ROWS} rows must still be running when it is killed");
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        println!("{}: killed while writing, {:.2} s after the start", db.name, started.elapsed().as_secs_f64());
        assert_eq!(activities(db).await, before, "nothing of the killed import is there");
        if db.name == "sqlite" {
            let ok: String = sqlx::query("PRAGMA integrity_check").fetch_one(db.store.pool()).await.unwrap().get(0);
            assert_eq!(ok, "ok");
        }
        // The database works on: the same file imports whole.
        let status = import(db, &file).status().unwrap();
        assert!(status.success());
        assert_eq!(activities(db).await, before + ROWS as i64);
    })
    .await;
}
