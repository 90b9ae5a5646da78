//! Both migration histories give the same tables with the same columns.

use crate::helpers::{on_each_backend, TestDb};
use pcmd_store::Backend;
use sqlx::Row;
use std::sync::Mutex;

async fn columns(db: &TestDb) -> Vec<(String, String)> {
    let sql = match db.store.backend() {
        Backend::Sqlite => {
            "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' ORDER BY m.name, p.name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY 1, 2"
        }
    };
    sqlx::query(sql).fetch_all(db.store.pool()).await.unwrap().iter().map(|r| (r.get(0), r.get(1))).collect()
}

#[tokio::test]
async fn the_schema_is_the_same_on_both_backends() {
    let seen: Mutex<Vec<Vec<(String, String)>>> = Mutex::new(Vec::new());
    on_each_backend(async |db| {
        let cols = columns(db).await;
        assert!(cols.iter().any(|(t, c)| t == "target" && c == "threshold_high"), "{cols:?}");
        seen.lock().unwrap().push(cols);
    })
    .await;
    let seen = seen.into_inner().unwrap();
    if let [sqlite, postgres] = seen.as_slice() {
        assert_eq!(sqlite, postgres);
    }
}
