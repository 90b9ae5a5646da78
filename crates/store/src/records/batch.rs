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
