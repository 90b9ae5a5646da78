//! Support cases (hồ sơ hỗ trợ) written in batches: their services, an audit
//! entry for each person, and the uniqueness of their codes.

use super::RecordMeta;
use crate::audit::AuditEntry;
use crate::{StoreError, Tx};
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// The refusal of a code that another case has.
pub(crate) fn code_taken(code: &str) -> StoreError {
    StoreError::invalid(
        Some("code"),
        format!("đã có hồ sơ mã «{code}»; mỗi hồ sơ một mã riêng"),
        format!("a support case with code «{code}» exists; each case has its own code"),
    )
}

/// Which of `codes` other cases have.
pub(crate) async fn codes_taken<'a>(tx: &mut Tx<'_>, codes: impl Iterator<Item = &'a str>) -> Result<HashSet<String>, StoreError> {
    let codes: Vec<&str> = codes.collect();
    let numbered = tx.backend_name() == "PostgreSQL";
    let mut taken = HashSet::new();
    for chunk in codes.chunks(500) {
        let mut sql = String::from("SELECT code FROM support_case WHERE code IN ");
        crate::units::push_placeholders(&mut sql, 1, chunk.len(), numbered);
        // Planned afresh each time: a plan kept from the first batches, made when the
        // table was small, scans the whole table and grows slower with every batch written.
        let mut q = sqlx::query(&sql).persistent(false);
        for c in chunk {
            q = q.bind(c.to_string());
        }
        for r in q.fetch_all(&mut **tx).await? {
            taken.insert(r.try_get::<String, _>(0)?);
        }
    }
    Ok(taken)
}

/// For cases just written (`written`: their ids and codes), the services each
/// received and an audit entry per case, as `insert` writes them one by one.
pub(super) async fn write_services_and_audit<'a>(
    tx: &mut Tx<'_>,
    cases: impl Iterator<Item = (&'a str, &'a [(String, &'static str)])>,
    written: &[sqlx::any::AnyRow],
    m: &RecordMeta,
) -> Result<(), StoreError> {
    let mut ids = HashMap::new();
    for r in written {
        ids.insert(r.try_get::<String, _>(1)?, r.try_get::<i64, _>(0)?);
    }
    let mut services = Vec::new();
    let mut subjects = Vec::new();
    for (code, given) in cases {
        let id = *ids.get(code).ok_or_else(|| StoreError::corrupt("hồ sơ vừa ghi không đọc lại được", "a case just written cannot be read back"))?;
        subjects.push(format!("support_case#{id}"));
        services.extend(given.iter().map(|(day, s)| (id, day, *s)));
    }
    let numbered = tx.backend_name() == "PostgreSQL";
    for chunk in services.chunks(1000) {
        let mut sql = String::from("INSERT INTO support_service (case_id, provided_on, service, entered_by, entered_at) VALUES ");
        crate::units::push_placeholders(&mut sql, chunk.len(), 5, numbered);
        let mut q = sqlx::query(&sql);
        for (id, day, s) in chunk {
            q = q.bind(*id).bind(day.to_string()).bind(s.to_string()).bind(m.entered_by.clone()).bind(m.entered_at.clone());
        }
        q.execute(&mut **tx).await?;
    }
    let entries: Vec<AuditEntry<'_>> =
        subjects.iter().map(|s| AuditEntry { actor: m.actor(), action: "insert", subject: s, detail: m.source.as_str() }).collect();
    crate::audit::append_many(tx, &entries).await
}
