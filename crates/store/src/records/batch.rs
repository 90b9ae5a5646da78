//! Writing many records of one kind at once (imports and the benchmark data):
//! the same checks as one by one (`checks.rs` for those that need the database),
//! in multi-row statements.

use super::rows::{row_of, RecordRow};
use super::{bind, RecordMeta};
use crate::{StoreError, Tx};
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::*;
use pcmd_domain::units::UnitIndex;
use sqlx::Row;

/// Rows per statement on SQLite (plain `?` placeholders, bound by place: see
/// `push_placeholders`), and at most this many parameters (it takes 32,766).
const BATCH: usize = 400;
const SQLITE_PARAMETERS: usize = 16_000;
/// PostgreSQL takes up to 65,535 parameters in a statement; its aggregate
/// triggers run once per statement, and each statement costs some milliseconds
/// of its own (plans, the triggers' transition tables): as few statements as the
/// parameters allow (100,000 inspections: 500 statements 6.2 s, 100 statements 2.2 s).
const POSTGRES_PARAMETERS: usize = 60_000;
/// The rows of an import's batch: what the import checks, then writes, while it reads the next.
pub const IMPORT_BATCH: usize = 5000;

/// A record checked without the database and ready to be written in a batch:
/// its row, and a support case's services (day, service).
pub struct Prepared {
    pub(super) row: RecordRow,
    /// The day a lock is checked on (`NewRecord::day`).
    pub(super) day: Option<chrono::NaiveDate>,
    services: Vec<(String, &'static str)>,
}

/// Checks a record (the domain's checks, its unit on its date) for a batch write.
pub fn prepare(units: &UnitIndex, rules: &RulesFile, record: &NewRecord, m: &RecordMeta) -> Result<Prepared, StoreError> {
    let row = row_of(units, rules, record, m, None)?;
    let services = match record {
        NewRecord::SupportCase(r) => r.services.iter().map(|(day, s)| (crate::units::iso(*day), s.as_str())).collect(),
        _ => Vec::new(),
    };
    Ok(Prepared { row, day: record.day(), services })
}

/// Whether records of this kind can be written in batches: the kinds that come in
/// large files. The checks that need the database (the importer's area, an
/// inspection's establishment, a support case's code, the periods accepted
/// reports lock) are made a batch at a time by
/// `BatchWriter::check`; yearly figures and plans, whose uniqueness and links need
/// a look at each row, keep the one-by-one path.
pub fn batchable(kind: RecordKind) -> bool {
    matches!(
        kind,
        RecordKind::Activity
            | RecordKind::Publication
            | RecordKind::Training
            | RecordKind::Establishment
            | RecordKind::PilotModel
            | RecordKind::Tip
            | RecordKind::Inspection
            | RecordKind::SupportCase
    )
}

/// Writes the batches of one import (or of benchmark data) in one transaction
/// (best begun with `Store::begin_bulk`): each batch checked (`check`), then
/// written (`write`); `finish` adds the audit entry for all of them.
#[derive(Default)]
pub struct BatchWriter {
    pub(super) codes: std::collections::HashSet<String>,
    table: Option<&'static str>,
    written: u64,
    /// An audit entry for each record, as one by one (a browser's import: its record
    /// histories, and figures kept by the server dropped only where the records fall),
    /// rather than one for all of them.
    each: bool,
}

impl BatchWriter {
    /// A writer that audits each record it writes.
    pub fn auditing_each() -> BatchWriter {
        BatchWriter { each: true, ..BatchWriter::default() }
    }

    /// Writes rows that passed `check` in the same transaction.
    pub async fn write(&mut self, tx: &mut Tx<'_>, rows: Vec<Prepared>, m: &RecordMeta) -> Result<(), StoreError> {
        let Some(first) = rows.first() else { return Ok(()) };
        let postgres = tx.backend_name() == "PostgreSQL";
        self.table = Some(first.row.table);
        let params = first.row.values.len() + 3;
        let per_statement = if postgres { POSTGRES_PARAMETERS / params } else { BATCH.min(SQLITE_PARAMETERS / params) }.max(1);
        self.written += rows.len() as u64;
        match first.row.table {
            "tip" => {
                for chunk in rows.chunks(per_statement) {
                    // Each tip's first status-history entry, as `insert` writes it, from the rows written.
                    let written = insert(tx, chunk, m, "RETURNING id, COALESCE(closed_on, received_on), status, outcome").await?;
                    write_tip_events(tx, &written, m).await?;
                    self.audit_each(tx, "tip", &written, m).await?;
                }
            }
            "support_case" => {
                for chunk in rows.chunks(per_statement) {
                    let written = insert(tx, chunk, m, "RETURNING id, code").await?;
                    super::people::write_services_and_audit(tx, chunk.iter().map(|p| (p.row.text("code"), &p.services[..])), &written, m).await?;
                }
            }
            table => {
                for chunk in rows.chunks(per_statement) {
                    let written = insert(tx, chunk, m, if self.each { "RETURNING id" } else { "" }).await?;
                    self.audit_each(tx, table, &written, m).await?;
                }
            }
        }
        Ok(())
    }

    /// The entries for records just written (their ids first in `written`), when each is audited.
    async fn audit_each(&self, tx: &mut Tx<'_>, table: &str, written: &[sqlx::any::AnyRow], m: &RecordMeta) -> Result<(), StoreError> {
        if !self.each {
            return Ok(());
        }
        let subjects = written.iter().map(|r| r.try_get::<i64, _>(0).map(|id| format!("{table}#{id}"))).collect::<Result<Vec<_>, _>>()?;
        let entries: Vec<crate::audit::AuditEntry<'_>> =
            subjects.iter().map(|s| crate::audit::AuditEntry { actor: m.actor(), action: "insert", subject: s, detail: m.source.as_str() }).collect();
        crate::audit::append_many(tx, &entries).await
    }

    /// The audit entry for the rows written (none when each was audited); returns how many.
    pub async fn finish(self, tx: &mut Tx<'_>, m: &RecordMeta) -> Result<u64, StoreError> {
        if let Some(table) = self.table.filter(|_| !self.each) {
            let detail = format!("{} {} rows", m.source.as_str(), self.written);
            crate::audit::append(tx, &crate::audit::AuditEntry { actor: m.actor(), action: "insert_many", subject: table, detail: &detail }).await?;
        }
        Ok(self.written)
    }
}

/// A batch meeting a unique key cannot tell which of its rows did (the batch's
/// check saw none of them stored): only support cases have one among the kinds
/// written in batches.
fn batch_clash() -> Option<StoreError> {
    Some(StoreError::conflict(
        "một hồ sơ có mã trùng với mã trong tệp vừa được người khác lưu; hãy kiểm tra lại tệp",
        "a support case with one of the file's codes has just been saved by someone else; check the file again",
    ))
}

/// One multi-row statement for rows of one table, with `returning` after it.
async fn insert(tx: &mut Tx<'_>, rows: &[Prepared], m: &RecordMeta, returning: &str) -> Result<Vec<sqlx::any::AnyRow>, StoreError> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let cols: Vec<&str> = first.row.values.iter().map(|(c, _)| *c).collect();
    if tx.backend_name() == "PostgreSQL" && returning.is_empty() {
        // One JSON text for the whole statement instead of a parameter per value: PostgreSQL
        // reads the rows from it (`json_populate_recordset`, each field converted to its
        // column's type) faster than it binds tens of thousands of parameters (100,000
        // publications 1.67 → 1.31 s, establishments 1.71 → 1.36 s). Tips and support cases,
        // which read back what they wrote, were slower this way and keep the parameters.
        let list = cols.join(", ");
        let sql = format!(
            "INSERT INTO {t} ({list}, source, entered_by, entered_at) SELECT {list}, $2, $3, $4 FROM json_populate_recordset(NULL::{t}, $1::json)",
            t = first.row.table
        );
        sqlx::query(&sql)
            .bind(json_rows(rows))
            .bind(m.source.as_str())
            .bind(m.entered_by.clone())
            .bind(m.entered_at.clone())
            .execute(&mut **tx)
            .await
            .map_err(|e| super::clash(first.row.table, e, batch_clash))?;
        return Ok(Vec::new());
    }
    let mut sql = format!("INSERT INTO {} ({}, source, entered_by, entered_at) VALUES ", first.row.table, cols.join(", "));
    crate::units::push_placeholders(&mut sql, rows.len(), cols.len() + 3, tx.backend_name() == "PostgreSQL");
    sql.push(' ');
    sql.push_str(returning);
    let mut q = sqlx::query(&sql);
    for p in rows {
        for (_, v) in &p.row.values {
            q = bind(q, v);
        }
        q = q.bind(m.source.as_str()).bind(m.entered_by.clone()).bind(m.entered_at.clone());
    }
    if returning.is_empty() {
        q.execute(&mut **tx).await.map_err(|e| super::clash(first.row.table, e, batch_clash))?;
        Ok(Vec::new())
    } else {
        Ok(q.fetch_all(&mut **tx).await.map_err(|e| super::clash(first.row.table, e, batch_clash))?)
    }
}

async fn write_tip_events(tx: &mut Tx<'_>, written: &[sqlx::any::AnyRow], m: &RecordMeta) -> Result<(), StoreError> {
    if written.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("INSERT INTO tip_event (tip_id, happened_on, status, note, entered_by, entered_at) VALUES ");
    crate::units::push_placeholders(&mut sql, written.len(), 6, tx.backend_name() == "PostgreSQL");
    let mut q = sqlx::query(&sql);
    for r in written {
        q = q
            .bind(r.try_get::<i64, _>(0)?)
            .bind(r.try_get::<String, _>(1)?)
            .bind(r.try_get::<String, _>(2)?)
            .bind(r.try_get::<Option<String>, _>(3)?)
            .bind(m.entered_by.clone())
            .bind(m.entered_at.clone());
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Benchmark data: records checked as an import checks them (the foreign keys
/// stand for the establishments), written in one batch with one audit entry.
async fn write_records(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    rules: &RulesFile,
    records: impl Iterator<Item = NewRecord>,
    m: &RecordMeta,
) -> Result<u64, StoreError> {
    let rows = records.map(|r| prepare(units, rules, &r, m)).collect::<Result<Vec<_>, _>>()?;
    let mut w = BatchWriter::default();
    w.write(tx, rows, m).await?;
    w.finish(tx, m).await
}

pub async fn insert_activities(tx: &mut Tx<'_>, units: &UnitIndex, rows: &[NewActivity], m: &RecordMeta) -> Result<u64, StoreError> {
    write_records(tx, units, &RulesFile::default(), rows.iter().cloned().map(NewRecord::Activity), m).await
}

/// Many inspections; the establishments must exist (the foreign key checks it).
pub async fn insert_inspections(tx: &mut Tx<'_>, rows: &[NewInspection], m: &RecordMeta) -> Result<u64, StoreError> {
    write_records(tx, &UnitIndex::default(), &RulesFile::default(), rows.iter().cloned().map(NewRecord::Inspection), m).await
}

/// Many tips with their legal deadlines and first status entries.
pub async fn insert_tips(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, rows: &[NewTip], m: &RecordMeta) -> Result<u64, StoreError> {
    write_records(tx, units, rules, rows.iter().cloned().map(NewRecord::Tip), m).await
}

/// The rows as one JSON array of objects, each value under its column's name:
/// numbers, strings (escaped by serde_json), null, and sealed bytes in the hex
/// form PostgreSQL reads as `bytea` (`\\x0a1b…`).
fn json_rows(rows: &[Prepared]) -> String {
    use super::rows::Val;
    use std::fmt::Write;
    let mut out = String::with_capacity(rows.len() * 256);
    out.push('[');
    for (i, p) in rows.iter().enumerate() {
        out.push_str(if i == 0 { "{" } else { ",{" });
        for (j, (column, v)) in p.row.values.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            // Column names are the schema's own (lower-case ASCII): no escaping needed.
            let _ = write!(out, "\"{column}\":");
            match v {
                Val::Int(n) => {
                    let _ = write!(out, "{n}");
                }
                Val::Text(t) | Val::OptText(Some(t)) => out.push_str(&serde_json::Value::from(t.as_str()).to_string()),
                Val::OptText(None) | Val::Sealed(None) => out.push_str("null"),
                Val::Sealed(Some(bytes)) => {
                    out.push_str("\"\\\\x");
                    for b in bytes {
                        let _ = write!(out, "{b:02x}");
                    }
                    out.push('"');
                }
            }
        }
        out.push('}');
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    use super::super::rows::{RecordRow, Val};
    use super::{json_rows, Prepared};

    fn prepared(values: Vec<(&'static str, Val)>) -> Prepared {
        Prepared { row: RecordRow { table: "activity", values }, day: None, services: Vec::new() }
    }

    #[test]
    fn rows_become_one_json_array_postgresql_reads_back() {
        let rows = [
            prepared(vec![
                ("unit_id", Val::Int(42)),
                // A quote, a backslash, a line break and Vietnamese text (NFC) stay as they are.
                ("topic", Val::Text("Tuyên truyền \"Ngày 26/6\" \\ đợt 1\nxã Mỹ Xuyên".into())),
                ("note", Val::OptText(None)),
                ("name_sealed", Val::Sealed(Some(vec![0x00, 0x0a, 0xff]))),
            ]),
            prepared(vec![("unit_id", Val::Int(-7)), ("topic", Val::OptText(Some(String::new()))), ("name_sealed", Val::Sealed(None))]),
        ];
        let json = json_rows(&rows);
        assert_eq!(
            json,
            "[{\"unit_id\":42,\"topic\":\"Tuyên truyền \\\"Ngày 26/6\\\" \\\\ đợt 1\\nxã Mỹ Xuyên\",\"note\":null,\"name_sealed\":\"\\\\x000aff\"},\
             {\"unit_id\":-7,\"topic\":\"\",\"name_sealed\":null}]"
        );
        // It is JSON, and reads back to the same values (bytes as PostgreSQL's hex text of bytea).
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["topic"], "Tuyên truyền \"Ngày 26/6\" \\ đợt 1\nxã Mỹ Xuyên");
        assert_eq!(back[0]["name_sealed"], "\\x000aff");
        assert_eq!(back[1]["unit_id"], -7);
    }
}
