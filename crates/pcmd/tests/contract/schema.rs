//! Both migration histories give the same schema: the same tables with the same
//! columns (by type family, nullability and key), the same indexes (columns,
//! uniqueness), unique and foreign-key constraints, the same number of CHECK
//! constraints per table, and the same triggers — not only the same names.

use crate::helpers::{on_each_backend, TestDb};
use pcmd_store::Backend;
use sqlx::Row;
use std::collections::BTreeSet;
use std::sync::Mutex;

/// A declared type as a family both backends share.
fn family(t: &str) -> &'static str {
    let t = t.to_ascii_uppercase();
    if t.contains("INT") || t.contains("SERIAL") {
        "integer"
    } else if t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") {
        "text"
    } else if t.contains("REAL") || t.contains("DOUB") || t.contains("FLOA") || t.contains("NUMERIC") || t.contains("DECIMAL") {
        "real"
    } else if t.contains("BLOB") || t.contains("BYTEA") {
        "blob"
    } else if t.contains("BOOL") {
        "bool"
    } else {
        "other"
    }
}

/// Every fact of the schema as one line, so that two schemas compare as sets.
async fn facts(db: &TestDb) -> BTreeSet<String> {
    let pool = db.store.pool();
    let rows = |sql: &'static str| async move { sqlx::query(sql).fetch_all(pool).await.unwrap() };
    let mut out = BTreeSet::new();
    match db.store.backend() {
        Backend::Sqlite => {
            for r in rows(
                "SELECT m.name, p.name, p.type, p.\"notnull\", p.pk FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .await
            {
                let (t, c, ty, nn, pk): (String, String, String, i64, i64) = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
                out.insert(format!("column {t}.{c} {} {}", family(&ty), if nn == 1 || pk > 0 { "not null" } else { "null" }));
                if pk > 0 {
                    out.insert(format!("primary key {t}.{c}"));
                }
            }
            // Indexes: explicit ones by name; those of UNIQUE constraints by their columns.
            for r in rows(
                "SELECT m.name, l.name, l.\"unique\", l.origin, (SELECT group_concat(name, ',') FROM (SELECT i.name FROM pragma_index_info(l.name) i ORDER BY i.seqno)) \
                 FROM sqlite_master m JOIN pragma_index_list(m.name) l WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .await
            {
                let (t, name, unique, origin, cols): (String, String, i64, String, Option<String>) = (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
                let cols = cols.unwrap_or_default();
                match origin.as_str() {
                    "c" => out.insert(format!("index {name} on {t}({cols}){}", if unique == 1 { " unique" } else { "" })),
                    "u" => out.insert(format!("unique {t}({cols})")),
                    _ => false,
                };
            }
            for r in rows(
                "SELECT m.name, f.\"from\", f.\"table\", f.\"to\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%'",
            )
            .await
            {
                let (t, from, to_table, to): (String, String, String, Option<String>) = (r.get(0), r.get(1), r.get(2), r.get(3));
                out.insert(format!("foreign key {t}.{from} -> {to_table}.{}", to.unwrap_or_else(|| "id".into())));
            }
            for r in rows("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%'").await {
                let (t, sql): (String, String) = (r.get(0), r.get(1));
                let checks = sql.to_ascii_uppercase().matches("CHECK (").count() + sql.to_ascii_uppercase().matches("CHECK(").count();
                if checks > 0 {
                    out.insert(format!("checks on {t}: {checks}"));
                }
            }
            for r in rows("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'").await {
                let (name, t): (String, String) = (r.get(0), r.get(1));
                out.insert(format!("trigger {name} on {t}"));
            }
        }
        Backend::Postgres => {
            for r in rows(
                "SELECT CAST(c.table_name AS TEXT), CAST(c.column_name AS TEXT), CAST(c.data_type AS TEXT), CAST(c.is_nullable AS TEXT) \
                 FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name NOT LIKE '_sqlx%'",
            )
            .await
            {
                let (t, c, ty, nullable): (String, String, String, String) = (r.get(0), r.get(1), r.get(2), r.get(3));
                out.insert(format!("column {t}.{c} {} {}", family(&ty), if nullable == "NO" { "not null" } else { "null" }));
            }
            for r in rows(
                "SELECT CAST(rel.relname AS TEXT), CAST(con.contype AS TEXT), \
                 (SELECT string_agg(CAST(a.attname AS TEXT), ',' ORDER BY k.n) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) \
                  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum), \
                 CAST(frel.relname AS TEXT), \
                 (SELECT string_agg(CAST(a.attname AS TEXT), ',' ORDER BY k.n) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, n) \
                  JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) \
                 FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace \
                 LEFT JOIN pg_class frel ON frel.oid = con.confrelid \
                 WHERE ns.nspname = 'public' AND rel.relname NOT LIKE '_sqlx%'",
            )
            .await
            {
                let (t, kind, cols, ft, fcols): (String, String, Option<String>, Option<String>, Option<String>) =
                    (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
                let cols = cols.unwrap_or_default();
                match kind.as_str() {
                    "p" => {
                        for c in cols.split(',') {
                            out.insert(format!("primary key {t}.{c}"));
                        }
                    }
                    "u" => {
                        out.insert(format!("unique {t}({cols})"));
                    }
                    "f" => {
                        out.insert(format!("foreign key {t}.{cols} -> {}.{}", ft.unwrap_or_default(), fcols.unwrap_or_default()));
                    }
                    _ => {}
                }
            }
            for r in rows(
                "SELECT CAST(rel.relname AS TEXT), COUNT(*) FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid \
                 JOIN pg_namespace ns ON ns.oid = rel.relnamespace WHERE ns.nspname = 'public' AND con.contype = 'c' GROUP BY rel.relname",
            )
            .await
            {
                let (t, n): (String, i64) = (r.get(0), r.get(1));
                out.insert(format!("checks on {t}: {n}"));
            }
            // Explicit indexes: those that back no constraint.
            for r in rows(
                "SELECT CAST(t.relname AS TEXT), CAST(i.relname AS TEXT), ix.indisunique, \
                 (SELECT string_agg(CAST(a.attname AS TEXT), ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) \
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) \
                 FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid \
                 JOIN pg_namespace ns ON ns.oid = t.relnamespace \
                 WHERE ns.nspname = 'public' AND t.relname NOT LIKE '_sqlx%' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)",
            )
            .await
            {
                let (t, name, unique, cols): (String, String, bool, Option<String>) = (r.get(0), r.get(1), r.get(2), r.get(3));
                out.insert(format!("index {name} on {t}({}){}", cols.unwrap_or_default(), if unique { " unique" } else { "" }));
            }
            for r in rows(
                "SELECT DISTINCT CAST(trigger_name AS TEXT), CAST(event_object_table AS TEXT) FROM information_schema.triggers WHERE trigger_schema = 'public'",
            )
            .await
            {
                let (name, t): (String, String) = (r.get(0), r.get(1));
                out.insert(format!("trigger {name} on {t}"));
            }
        }
    }
    out
}

#[tokio::test]
async fn the_schema_is_the_same_on_both_backends() {
    let seen: Mutex<Vec<BTreeSet<String>>> = Mutex::new(Vec::new());
    on_each_backend(async |db| {
        let f = facts(db).await;
        assert!(f.contains("column target.threshold_high real null"), "{f:#?}");
        assert!(f.iter().any(|l| l.starts_with("index ")) && f.iter().any(|l| l.starts_with("foreign key ")), "{f:#?}");
        let kinds = ["column", "primary key", "unique", "foreign key", "index", "checks", "trigger"];
        let counts: Vec<String> = kinds.iter().map(|k| format!("{k} {}", f.iter().filter(|l| l.starts_with(k)).count())).collect();
        println!("schema on {}: {}", db.name, counts.join(", "));
        seen.lock().unwrap().push(f);
    })
    .await;
    let seen = seen.into_inner().unwrap();
    if let [sqlite, postgres] = seen.as_slice() {
        let only_sqlite: Vec<&String> = sqlite.difference(postgres).collect();
        let only_postgres: Vec<&String> = postgres.difference(sqlite).collect();
        assert!(only_sqlite.is_empty() && only_postgres.is_empty(), "only in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_postgres:#?}");
    }
}
