//! Writing many records of one kind at once (national-size imports and the
//! benchmark data): the same checks, in multi-row statements.

use super::rows::{row_of, RecordRow};
use super::{bind, RecordMeta};
use crate::{StoreError, Tx};
use pcmd_domain::records::*;
use pcmd_domain::units::UnitIndex;

/// Rows per statement: SQLite looks `$n` parameters up by name, so the cost of
/// one statement grows with the square of its parameters (see `units`).
const BATCH: usize = 40;
/// PostgreSQL takes up to 65,535 parameters; its aggregate triggers run once per
/// statement, so fewer, larger statements cost less.
const BATCH_POSTGRES: usize = 1000;
/// A batch this large gets a bigger page cache on SQLite (see `write_many`).
const BIG: usize = 5000;

async fn write_many(tx: &mut Tx<'_>, rows: &[RecordRow], m: &RecordMeta) -> Result<u64, StoreError> {
    let Some(first) = rows.first() else { return Ok(0) };
    let postgres = tx.backend_name() == "PostgreSQL";
    let big = !postgres && rows.len() > BIG;
    if big {
        // Many rows go into every index of the table at random places: a page cache
        // of 64 MiB for this connection instead of 2 keeps those pages in memory.
        sqlx::query("PRAGMA cache_size = -65536").execute(&mut **tx).await?;
    }
    let written = insert_chunks(tx, rows, if postgres { BATCH_POSTGRES } else { BATCH }, m).await;
    if big {
        // SQLite's default again for the pooled connection, whether or not the rows went in.
        sqlx::query("PRAGMA cache_size = -2000").execute(&mut **tx).await?;
    }
    written?;
    let detail = format!("{} {} rows", m.source.as_str(), rows.len());
    crate::audit::append(tx, &crate::audit::AuditEntry { actor: m.actor(), action: "insert_many", subject: first.table, detail: &detail }).await?;
    Ok(rows.len() as u64)
}

/// The rows of one table in statements of `batch` rows.
async fn insert_chunks(tx: &mut Tx<'_>, rows: &[RecordRow], batch: usize, m: &RecordMeta) -> Result<(), StoreError> {
    let Some(first) = rows.first() else { return Ok(()) };
    let cols: Vec<&str> = first.values.iter().map(|(c, _)| *c).collect();
    let tips = first.table == "tip";
    for chunk in rows.chunks(batch) {
        let mut sql = format!("INSERT INTO {} ({}, source, entered_by, entered_at) VALUES ", first.table, cols.join(", "));
        crate::units::push_placeholders(&mut sql, chunk.len(), cols.len() + 3);
        if tips {
            // Each tip's first status-history entry, as `insert` writes it, from the rows written.
            sql.push_str(" RETURNING id, COALESCE(closed_on, received_on), status, outcome");
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for (_, v) in &row.values {
                q = bind(q, v);
            }
            q = q.bind(m.source.as_str()).bind(m.entered_by.clone()).bind(m.entered_at.clone());
        }
        if tips {
            let written = q.fetch_all(&mut **tx).await?;
            write_tip_events(tx, &written, m).await?;
        } else {
            q.execute(&mut **tx).await?;
        }
    }
    Ok(())
}

async fn write_tip_events(tx: &mut Tx<'_>, written: &[sqlx::any::AnyRow], m: &RecordMeta) -> Result<(), StoreError> {
    use sqlx::Row;
    if written.is_empty() {
        return Ok(());
    }
    let mut sql = String::from("INSERT INTO tip_event (tip_id, happened_on, status, note, entered_by, entered_at) VALUES ");
    crate::units::push_placeholders(&mut sql, written.len(), 6);
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

fn rows_of(units: &UnitIndex, rules: &RulesFile, records: impl Iterator<Item = NewRecord>, m: &RecordMeta) -> Result<Vec<RecordRow>, StoreError> {
    records.map(|r| row_of(units, rules, &r, m, None)).collect()
}

pub async fn insert_activities(tx: &mut Tx<'_>, units: &UnitIndex, rows: &[NewActivity], m: &RecordMeta) -> Result<u64, StoreError> {
    let rows = rows_of(units, &RulesFile::default(), rows.iter().cloned().map(NewRecord::Activity), m)?;
    write_many(tx, &rows, m).await
}

/// Many inspections; the establishments must exist (the foreign key checks it).
pub async fn insert_inspections(tx: &mut Tx<'_>, rows: &[NewInspection], m: &RecordMeta) -> Result<u64, StoreError> {
    let rows = rows_of(&UnitIndex::default(), &RulesFile::default(), rows.iter().cloned().map(NewRecord::Inspection), m)?;
    write_many(tx, &rows, m).await
}

/// Many tips with their legal deadlines and first status entries.
pub async fn insert_tips(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, rows: &[NewTip], m: &RecordMeta) -> Result<u64, StoreError> {
    let rows = rows_of(units, rules, rows.iter().cloned().map(NewRecord::Tip), m)?;
    write_many(tx, &rows, m).await
}

/// A record checked without the database and ready to be written in a batch.
pub struct Prepared(RecordRow);

/// Checks a record (the domain's checks, its unit on its date) for a batch write.
pub fn prepare(units: &UnitIndex, rules: &RulesFile, record: &NewRecord, m: &RecordMeta) -> Result<Prepared, StoreError> {
    row_of(units, rules, record, m, None).map(Prepared)
}

/// Writes prepared records of one kind in multi-row statements, with one audit
/// entry for the batch. For kinds whose checks need no database (see `batchable`).
pub async fn write_prepared(tx: &mut Tx<'_>, rows: Vec<Prepared>, m: &RecordMeta) -> Result<u64, StoreError> {
    let rows: Vec<RecordRow> = rows.into_iter().map(|p| p.0).collect();
    write_many(tx, &rows, m).await
}

/// Whether records of this kind can be written in batches: no check against other
/// rows (uniqueness, an establishment's dates), no rows in other tables but a
/// tip's first status entry. A tip's content is sealed as in `insert`; support
/// cases (a person's identity and services) keep the one-by-one path with an
/// audit entry per person.
pub fn batchable(record: &NewRecord) -> bool {
    matches!(
        record,
        NewRecord::Activity(_)
            | NewRecord::Publication(_)
            | NewRecord::Training(_)
            | NewRecord::Establishment(_)
            | NewRecord::PilotModel(_)
            | NewRecord::Tip(_)
    )
}
