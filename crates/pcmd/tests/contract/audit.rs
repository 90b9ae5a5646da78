//! The audit log's hash chain holds, and a changed or removed entry is named.

use crate::helpers::on_each_demo_backend;
use crate::pcmd;
use sqlx::Row;

#[tokio::test]
async fn the_audit_chain_names_the_first_altered_entry() {
    on_each_demo_backend(async |db| {
        let out = pcmd(db, &["audit", "verify"]).await.unwrap();
        assert!(out.contains("audit log intact"), "{out}");
        // The demo's writes are there: the reference data load and the synthetic records.
        let n: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'insert' AND detail = 'synthetic'")
            .fetch_one(db.store.pool())
            .await
            .unwrap()
            .get(0);
        assert!(n > 3000, "{n}");
        let load: i64 =
            sqlx::query("SELECT COUNT(*) FROM audit_log WHERE action = 'load_reference_data'").fetch_one(db.store.pool()).await.unwrap().get(0);
        assert_eq!(load, 1);

        // Someone edits entry 10 in the database.
        let original: String = sqlx::query("SELECT detail FROM audit_log WHERE id = 10").fetch_one(db.store.pool()).await.unwrap().get(0);
        sqlx::query("UPDATE audit_log SET detail = 'đã sửa' WHERE id = 10").execute(db.store.pool()).await.unwrap();
        let msg = format!("{:#}", pcmd(db, &["audit", "verify"]).await.unwrap_err());
        assert!(msg.contains("mục số 10") && msg.contains("entry altered"), "{msg}");
        // Put back, the chain holds again; removing the last entry is caught too.
        sqlx::query("UPDATE audit_log SET detail = $1 WHERE id = 10").bind(original).execute(db.store.pool()).await.unwrap();
        assert!(pcmd(db, &["audit", "verify"]).await.is_ok());
        let last: i64 = sqlx::query("SELECT MAX(id) FROM audit_log").fetch_one(db.store.pool()).await.unwrap().get(0);
        sqlx::query("DELETE FROM audit_log WHERE id = $1").bind(last).execute(db.store.pool()).await.unwrap();
        let msg = format!("{:#}", pcmd(db, &["audit", "verify"]).await.unwrap_err());
        assert!(msg.contains(&format!("mục số {last}")) && msg.contains("removed from the end"), "{msg}");
    })
    .await;
}

/// The SHA-256 chain as pcmd computes it (`store::audit::entry_hash`): each part preceded by its length.
fn chain_hash(prev: &str, id: i64, at: &str, actor: &str, action: &str, subject: &str, detail: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [prev, &id.to_string(), at, actor, action, subject, detail] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What someone with write access to the database (and not the key file) does:
/// change an entry, then recompute every hash after it and the head.
async fn rewrite_chain(db: &crate::helpers::TestDb, from: i64) {
    let pool = db.store.pool();
    let rows = sqlx::query("SELECT id, at, actor, action, subject, detail, prev_hash FROM audit_log WHERE id >= $1 ORDER BY id")
        .bind(from)
        .fetch_all(pool)
        .await
        .unwrap();
    let mut prev: String = rows[0].get(6);
    for r in &rows {
        let id: i64 = r.get(0);
        let h = chain_hash(
            &prev,
            id,
            &r.get::<String, _>(1),
            &r.get::<String, _>(2),
            &r.get::<String, _>(3),
            &r.get::<String, _>(4),
            &r.get::<String, _>(5),
        );
        sqlx::query("UPDATE audit_log SET prev_hash = $2, hash = $3 WHERE id = $1")
            .bind(id)
            .bind(prev.clone())
            .bind(h.clone())
            .execute(pool)
            .await
            .unwrap();
        prev = h;
    }
    let last: i64 = rows.last().unwrap().get(0);
    sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1").bind(last).bind(prev).execute(pool).await.unwrap();
}

/// Issue 12 item 7: an unkeyed chain proves nothing against someone who can write
/// to the database. Anchored under the key file, a recomputed chain is caught;
/// entries cut from the end are caught against a checkpoint kept elsewhere.
#[tokio::test]
async fn a_rewritten_or_cut_audit_chain_is_caught_by_its_anchor() {
    on_each_demo_backend(async |db| {
        let out = pcmd(db, &["audit", "verify"]).await.unwrap();
        let entries: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log").fetch_one(db.store.pool()).await.unwrap().get(0);
        let with_mac: i64 = sqlx::query("SELECT COUNT(*) FROM audit_log WHERE mac IS NOT NULL").fetch_one(db.store.pool()).await.unwrap().get(0);
        assert_eq!(with_mac, entries, "the demo, run with the key file, anchored every entry");
        assert!(out.contains(&format!("{entries} anchored under the key")), "{out}");

        // A checkpoint taken now and kept outside the database.
        let dir = tempfile::tempdir().unwrap();
        let cp = dir.path().join("moc.json");
        pcmd(db, &["audit", "checkpoint", "--out", cp.to_str().unwrap()]).await.unwrap();
        assert!(pcmd(db, &["audit", "verify", "--checkpoint", cp.to_str().unwrap()]).await.unwrap().contains("checkpoint holds"));

        // 1. Entry 10 altered and the whole chain after it recomputed: the hash chain holds, the anchor does not.
        let detail: String = sqlx::query("SELECT detail FROM audit_log WHERE id = 10").fetch_one(db.store.pool()).await.unwrap().get(0);
        sqlx::query("UPDATE audit_log SET detail = 'đã sửa' WHERE id = 10").execute(db.store.pool()).await.unwrap();
        rewrite_chain(db, 10).await;
        assert!(matches!(db.store.verify_audit(None).await.unwrap(), pcmd_store::audit::AuditCheck::Intact { .. }), "unkeyed, it passes");
        let msg = format!("{:#}", pcmd(db, &["audit", "verify"]).await.unwrap_err());
        assert!(msg.contains("mục số 10") && msg.contains("MAC under the key does not hold"), "{msg}");
        sqlx::query("UPDATE audit_log SET detail = $1 WHERE id = 10").bind(detail).execute(db.store.pool()).await.unwrap();
        rewrite_chain(db, 10).await;
        assert!(pcmd(db, &["audit", "verify"]).await.is_ok(), "put back, it holds");

        // 2. Every MAC removed as well: nothing is anchored any more, which is itself the alarm.
        sqlx::query("UPDATE audit_log SET mac = NULL WHERE id >= 10").execute(db.store.pool()).await.unwrap();
        let msg = format!("{:#}", pcmd(db, &["audit", "verify"]).await.unwrap_err());
        assert!(msg.contains("mục số 10") && msg.contains("without its MAC"), "{msg}");
        sqlx::query("UPDATE audit_log SET mac = NULL").execute(db.store.pool()).await.unwrap();
        let msg = format!("{:#}", pcmd(db, &["audit", "verify"]).await.unwrap_err());
        assert!(msg.contains("no entry is anchored"), "{msg}");

        // 3. On a fresh copy of the state before: the last entries deleted and the head set back.
        // The chain that is left is a genuine prefix (hash and anchor hold); the checkpoint shows the cut.
        let fresh = db.sibling().await;
        crate::pcmd(&fresh, &["demo"]).await.unwrap();
        let cp2 = dir.path().join("moc2.json");
        pcmd(&fresh, &["audit", "checkpoint", "--out", cp2.to_str().unwrap()]).await.unwrap();
        let last: i64 = sqlx::query("SELECT MAX(id) FROM audit_log").fetch_one(fresh.store.pool()).await.unwrap().get(0);
        sqlx::query("DELETE FROM audit_log WHERE id > $1").bind(last - 3).execute(fresh.store.pool()).await.unwrap();
        let keep: String = sqlx::query("SELECT hash FROM audit_log WHERE id = $1").bind(last - 3).fetch_one(fresh.store.pool()).await.unwrap().get(0);
        let keep_mac: String =
            sqlx::query("SELECT mac FROM audit_log WHERE id = $1").bind(last - 3).fetch_one(fresh.store.pool()).await.unwrap().get(0);
        sqlx::query("UPDATE audit_head SET last_id = $1, last_hash = $2, last_mac = $3 WHERE id = 1")
            .bind(last - 3)
            .bind(keep)
            .bind(keep_mac)
            .execute(fresh.store.pool())
            .await
            .unwrap();
        assert!(pcmd(&fresh, &["audit", "verify"]).await.is_ok(), "what remains: a cut after the last checkpoint is not seen without one");
        let msg = format!("{:#}", pcmd(&fresh, &["audit", "verify", "--checkpoint", cp2.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("entries were removed"), "{msg}");
        // A forged checkpoint (its tag not made with the key) is refused.
        let forged = std::fs::read_to_string(&cp2).unwrap().replace(&format!("\"id\":{last}"), &format!("\"id\":{}", last - 5));
        std::fs::write(&cp2, forged).unwrap();
        let msg = format!("{:#}", pcmd(&fresh, &["audit", "verify", "--checkpoint", cp2.to_str().unwrap()]).await.unwrap_err());
        assert!(msg.contains("not genuine"), "{msg}");
        fresh.drop_database().await;
    })
    .await;
}
