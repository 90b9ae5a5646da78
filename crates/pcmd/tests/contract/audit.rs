//! The audit log's hash chain holds, and a changed or removed entry is named.

use crate::helpers::on_each_backend;
use crate::{demo, pcmd};
use sqlx::Row;

#[tokio::test]
async fn the_audit_chain_names_the_first_altered_entry() {
    on_each_backend(async |db| {
        demo(db).await;
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
