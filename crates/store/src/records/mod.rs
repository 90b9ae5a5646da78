//! Writing records. Each record is checked (domain), its unit resolved on the
//! record's date, and written with who, when and where it came from. One
//! code path writes every kind: a kind only says which columns it fills
//! (`rows`). Updates name the version they read: a stale update is refused.

mod batch;
mod checks;
mod people;
pub mod read;
mod rows;
pub mod support;

pub use batch::{batchable, insert_activities, insert_inspections, insert_tips, prepare, BatchWriter, Prepared, IMPORT_BATCH};
pub use checks::BatchFault;

use crate::audit::{append, AuditEntry};
use crate::units::iso;
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::records::*;
use pcmd_domain::units::UnitIndex;
use rows::{RecordRow, Val};
use sqlx::Row;

/// Who wrote a record, when, and how it came in.
#[derive(Debug, Clone)]
pub struct RecordMeta {
    pub source: RecordSource,
    pub entered_by: Option<String>,
    /// ISO timestamp (UTC).
    pub entered_at: String,
    /// "Today" for the checks on dates (Vietnam's).
    pub today: NaiveDate,
    /// Seals personal data; a record holding some is refused without it.
    pub sealer: Option<std::sync::Arc<crate::Sealer>>,
    /// On an update, leave the sealed personal data as stored (a writer that
    /// sent no personal field: an API client that never read them).
    pub keep_personal: bool,
}

impl RecordMeta {
    /// Who the audit log names.
    pub fn actor(&self) -> &str {
        self.entered_by.as_deref().unwrap_or("(không rõ)")
    }

    /// Appends an audit entry for a write to `subject`.
    pub(crate) async fn audit(&self, tx: &mut Tx<'_>, action: &str, subject: &str) -> Result<(), StoreError> {
        append(tx, &AuditEntry { actor: self.actor(), action, subject, detail: self.source.as_str() }).await
    }

    pub fn now(source: RecordSource, entered_by: Option<String>) -> Self {
        let now = chrono::Utc::now();
        RecordMeta {
            source,
            entered_by,
            entered_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            // Vietnam's day: a tip sent at 06:30 there is of that day, not the day before in UTC.
            today: pcmd_domain::date::today_vn(),
            sealer: None,
            keep_personal: false,
        }
    }

    pub fn with_sealer(mut self, sealer: std::sync::Arc<crate::Sealer>) -> Self {
        self.sealer = Some(sealer);
        self
    }
}

pub(crate) type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

pub(crate) fn bind<'q>(q: Query<'q>, v: &Val) -> Query<'q> {
    match v {
        Val::Int(i) => q.bind(*i),
        Val::Text(t) => q.bind(t.clone()),
        Val::OptText(t) => q.bind(t.clone()),
        Val::Sealed(b) => q.bind(b.clone()),
    }
}

async fn write_new(tx: &mut Tx<'_>, row: &RecordRow, record: &NewRecord, m: &RecordMeta) -> Result<i64, StoreError> {
    let cols: Vec<&str> = row.values.iter().map(|(c, _)| *c).collect();
    let n = cols.len();
    let marks: Vec<String> = (1..=n + 3).map(|i| format!("${i}")).collect();
    let sql = format!("INSERT INTO {} ({}, source, entered_by, entered_at) VALUES ({}) RETURNING id", row.table, cols.join(", "), marks.join(", "));
    let mut q = sqlx::query(&sql);
    for (_, v) in &row.values {
        q = bind(q, v);
    }
    let q = q.bind(m.source.as_str()).bind(m.entered_by.clone()).bind(m.entered_at.clone());
    Ok(q.fetch_one(&mut **tx).await.map_err(|e| clash(row.table, e, || natural_key(row, record).map(|k| k.refusal)))?.try_get(0)?)
}

/// A write refused by the unique key of its own table (not its id): another
/// writer saved the same support-case code or the same yearly figure between
/// this one's check and its write (on PostgreSQL two transactions check at once;
/// SQLite takes the write lock first). It gets the check's refusal (`refusal`);
/// any other error stays what it is.
pub(crate) fn clash(table: &str, e: sqlx::Error, refusal: impl FnOnce() -> Option<StoreError>) -> StoreError {
    let own_key = matches!(&e, sqlx::Error::Database(d) if d.is_unique_violation() && match d.constraint() {
        // PostgreSQL names the constraint (`support_case_code_key`); SQLite names
        // the columns in its message ("UNIQUE constraint failed: support_case.code").
        Some(c) => c.starts_with(&format!("{table}_")) && c != format!("{table}_pkey"),
        None => d.message().contains(&format!(" {table}.")) && !d.message().contains(&format!(" {table}.id")),
    });
    match own_key.then(refusal).flatten() {
        Some(r) => r,
        None => e.into(),
    }
}

async fn write_update(tx: &mut Tx<'_>, row: &RecordRow, record: &NewRecord, id: i64, version: i64, m: &RecordMeta) -> Result<i64, StoreError> {
    let n = row.values.len();
    let sets: Vec<String> = row.values.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 3)).collect();
    let sql = format!(
        "UPDATE {} SET {}, entered_by = ${}, entered_at = ${}, version = version + 1 WHERE id = $1 AND version = $2",
        row.table,
        sets.join(", "),
        n + 3,
        n + 4
    );
    let mut q = sqlx::query(&sql).bind(id).bind(version);
    for (_, v) in &row.values {
        q = bind(q, v);
    }
    let res = q
        .bind(m.entered_by.clone())
        .bind(m.entered_at.clone())
        .execute(&mut **tx)
        .await
        .map_err(|e| clash(row.table, e, || natural_key(row, record).map(|k| k.refusal)))?;
    settle_version(tx, row.table, id, version, res.rows_affected()).await
}

/// Turns an update's row count into the new version, or a clear refusal.
async fn settle_version(tx: &mut Tx<'_>, table: &str, id: i64, version: i64, affected: u64) -> Result<i64, StoreError> {
    if affected == 1 {
        return Ok(version + 1);
    }
    let row = sqlx::query(&format!("SELECT version FROM {table} WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?;
    Err(match row {
        None => StoreError::not_found(format!("không có bản ghi số {id}"), format!("no record {id}")),
        Some(r) => {
            let current: i64 = r.try_get(0)?;
            StoreError::conflict(
                format!("bản ghi số {id} đã được người khác sửa (phiên bản {current}, bạn đã đọc phiên bản {version}); hãy tải lại rồi sửa"),
                format!("record {id} was changed by someone else (version {current}, you read {version}); reload and edit again"),
            )
        }
    })
}

/// Checks that need the database: the inspected establishment exists and was
/// open; a yearly figure or a district's yearly plan is not entered twice.
async fn check_in_store(tx: &mut Tx<'_>, row: &RecordRow, record: &NewRecord, except: Option<i64>) -> Result<(), StoreError> {
    if let NewRecord::Inspection(r) = record {
        let est = sqlx::query("SELECT closed_on FROM establishment WHERE id = $1").bind(r.establishment_id).fetch_optional(&mut **tx).await?;
        let Some(est) = est else { return Err(no_establishment(r.establishment_id)) };
        let closed: Option<String> = est.try_get(0)?;
        if let Some(e) = closed_before(closed.as_deref(), &iso(r.inspected_on)) {
            return Err(e);
        }
    }
    if let Some(key) = natural_key(row, record) {
        if duplicate(tx, key.sql, row, key.columns, except).await? {
            return Err(key.refusal);
        }
    }
    Ok(())
}

/// What makes a record of some kinds unique besides its id: a support case's
/// code, a unit's yearly figures or plan. The query that finds another record
/// with the same key, the key's columns, and the refusal when there is one.
struct NaturalKey {
    sql: &'static str,
    columns: &'static [&'static str],
    refusal: StoreError,
}

fn natural_key(row: &RecordRow, record: &NewRecord) -> Option<NaturalKey> {
    let key = |sql, columns, refusal| Some(NaturalKey { sql, columns, refusal });
    match record {
        NewRecord::CaseSummary(r) => key(
            "SELECT id FROM case_summary WHERE year = $1 AND unit_id = $2",
            &["year", "unit_id"],
            StoreError::conflict(
                format!("đã có số liệu xử lý năm {} của đơn vị «{}»; hãy sửa bản ghi đó", r.year, r.unit_code),
                format!("unit «{}» already has its {} figures; edit that record", r.unit_code, r.year),
            ),
        ),
        NewRecord::DistrictPlan(r) => key(
            "SELECT id FROM district_plan WHERE unit_id = $1 AND year = $2",
            &["unit_id", "year"],
            StoreError::conflict(
                format!("đơn vị «{}» đã có kế hoạch năm {}; hãy sửa bản ghi đó", r.unit_code, r.year),
                format!("unit «{}» already has its {} plan; edit that record", r.unit_code, r.year),
            ),
        ),
        NewRecord::ReferenceFigure(r) => key(
            "SELECT id FROM reference_figure WHERE kind = $1 AND level = $2 AND unit_id = $3 AND year = $4",
            &["kind", "level", "unit_id", "year"],
            StoreError::conflict(
                format!("đã có số liệu «{}» năm {} của đơn vị «{}»", r.kind.label_vi(), r.year, r.unit_code),
                format!("unit «{}» already has a {} figure for {}", r.unit_code, r.kind, r.year),
            ),
        ),
        // The stored code is the trimmed one (`describe.rs`), as the row holds it.
        NewRecord::SupportCase(_) => key("SELECT id FROM support_case WHERE code = $1", &["code"], people::code_taken(row.text("code"))),
        _ => None,
    }
}

fn no_establishment(id: i64) -> StoreError {
    StoreError::invalid(Some("establishment_id"), format!("không có cơ sở số {id}"), format!("no establishment {id}"))
}

/// The refusal of an inspection after its establishment closed (days as ISO text).
fn closed_before(closed_on: Option<&str>, inspected_on: &str) -> Option<StoreError> {
    closed_on.filter(|c| *c < inspected_on).map(|_| {
        StoreError::invalid(Some("inspected_on"), "cơ sở đã đóng cửa trước ngày kiểm tra", "the establishment had closed before the inspection date")
    })
}

/// Whether another row has the same values in `cols`.
async fn duplicate(tx: &mut Tx<'_>, sql: &str, row: &RecordRow, cols: &[&str], except: Option<i64>) -> Result<bool, StoreError> {
    let mut q = sqlx::query(sql);
    for c in cols {
        if let Some((_, v)) = row.values.iter().find(|(k, _)| k == c) {
            q = bind(q, v);
        }
    }
    let rows = q.fetch_all(&mut **tx).await?;
    for r in rows {
        if Some(r.try_get::<i64, _>(0)?) != except {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The task a progress report names, by plan (number or key) and task code.
async fn task_of(tx: &mut Tx<'_>, record: &NewRecord) -> Result<Option<i64>, StoreError> {
    let NewRecord::TaskProgress(r) = record else { return Ok(None) };
    let rows = sqlx::query("SELECT k.id FROM task k JOIN plan p ON p.id = k.plan_id WHERE (p.key = $1 OR p.number = $1) AND k.code = $2")
        .bind(r.plan.trim().to_string())
        .bind(r.task_code.trim().to_string())
        .fetch_all(&mut **tx)
        .await?;
    match rows.as_slice() {
        [one] => Ok(Some(one.try_get(0)?)),
        [] => Err(StoreError::refused(
            format!("kế hoạch «{}» không có nhiệm vụ «{}»", r.plan, r.task_code),
            format!("plan «{}» has no task «{}»", r.plan, r.task_code),
        )),
        _ => Err(StoreError::refused(
            format!("nhiều kế hoạch cùng số «{}»: hãy dùng khóa kế hoạch", r.plan),
            format!("several plans have the number «{}»: use the plan's key", r.plan),
        )),
    }
}

/// Sets what was spent on a plan's budget line for a year; returns the line's id.
async fn record_spending(tx: &mut Tx<'_>, r: &NewBudgetSpending, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(rows::invalid)?;
    let rows =
        sqlx::query("SELECT b.id, b.item FROM budget_line b JOIN plan p ON p.id = b.plan_id WHERE (p.key = $1 OR p.number = $1) AND b.year = $2")
            .bind(r.plan.trim().to_string())
            .bind(i64::from(r.year))
            .fetch_all(&mut **tx)
            .await?;
    let mut lines = Vec::new();
    for row in &rows {
        let item: String = row.try_get(1)?;
        if r.item.as_deref().is_none_or(|want| want.trim() == item) {
            lines.push(row.try_get::<i64, _>(0)?);
        }
    }
    let [id] = lines.as_slice() else {
        return Err(StoreError::refused(
            format!("kế hoạch «{}» có {} dòng dự toán năm {} khớp; cần đúng một (ghi rõ nội dung)", r.plan, lines.len(), r.year),
            format!("plan «{}» has {} matching budget lines for {}; exactly one is needed (name the item)", r.plan, lines.len(), r.year),
        ));
    };
    sqlx::query("UPDATE budget_line SET spent = $2, version = version + 1 WHERE id = $1").bind(*id).bind(r.spent).execute(&mut **tx).await?;
    m.audit(tx, "update", &format!("budget_line#{id}")).await?;
    Ok(*id)
}

/// The unit a row belongs to: its own, or its establishment's for an inspection.
async fn unit_of_row(tx: &mut Tx<'_>, row: &RecordRow) -> Result<Option<i64>, StoreError> {
    if let Some(u) = row.int("unit_id") {
        return Ok(Some(u));
    }
    match row.int("establishment_id") {
        Some(e) => Ok(sqlx::query("SELECT unit_id FROM establishment WHERE id = $1")
            .bind(e)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?),
        None => Ok(None),
    }
}

/// Refuses a write whose unit and day fall in a period an accepted report locked.
async fn check_lock(tx: &mut Tx<'_>, units: &UnitIndex, row: &RecordRow, record: &NewRecord) -> Result<(), StoreError> {
    let (Some(unit), Some(day)) = (unit_of_row(tx, row).await?, record.day()) else { return Ok(()) };
    crate::reports::check_unlocked(tx, units, unit, day).await
}

/// The same for the record as it stands before an update (moving it out of a locked period is a change too).
async fn check_lock_existing(tx: &mut Tx<'_>, units: &UnitIndex, table: &str, id: i64) -> Result<(), StoreError> {
    let (unit, day) = match table {
        "inspection" => ("e.unit_id", "r.inspected_on"),
        "activity" | "training" => ("r.unit_id", "r.held_on"),
        "publication" => ("r.unit_id", "r.published_on"),
        "tip" => ("r.unit_id", "r.received_on"),
        "pilot_model" => ("r.unit_id", "r.started_on"),
        "support_case" | "establishment" => ("r.unit_id", "r.opened_on"),
        "case_summary" | "district_plan" | "reference_figure" => ("r.unit_id", "CAST(r.year AS TEXT) || '-06-30'"),
        _ => return Ok(()),
    };
    let join = if table == "inspection" { " JOIN establishment e ON e.id = r.establishment_id" } else { "" };
    let sql = format!("SELECT {unit}, {day} FROM {table} r{join} WHERE r.id = $1");
    let Some(r) = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await? else { return Ok(()) };
    let (unit, day): (i64, Option<String>) = (r.try_get(0)?, r.try_get(1)?);
    match day.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()) {
        Some(d) => crate::reports::check_unlocked(tx, units, unit, d).await,
        None => Ok(()),
    }
}

/// Whether a record plainly falls outside `scope` before it is written: the unit
/// its code names on its day (`today` for an undated one), or for an inspection
/// its establishment's unit (one that does not exist counts as outside). Asked
/// before anything is compared with the stored records, so that a refusal
/// never tells what another area holds (duplicates, closing days, locks).
pub async fn outside_scope(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    record: &NewRecord,
    today: NaiveDate,
    scope: &std::collections::HashSet<i64>,
) -> Result<bool, StoreError> {
    let unit = match record {
        NewRecord::Inspection(r) => {
            Some(read::record_unit(tx, pcmd_domain::records::form::RecordKind::Establishment, r.establishment_id).await?.unwrap_or(-1))
        }
        other => other.unit_code().and_then(|code| units.resolve_from(code.trim(), other.day().unwrap_or(today))).map(|u| u.id),
    };
    Ok(unit.is_some_and(|u| !scope.contains(&u)))
}

/// Writes a new record of any kind; returns its id.
pub async fn insert(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, record: &NewRecord, m: &RecordMeta) -> Result<i64, StoreError> {
    if let NewRecord::BudgetSpending(r) = record {
        return record_spending(tx, r, m).await;
    }
    let task = task_of(tx, record).await?;
    let row = rows::row_of(units, rules, record, m, task)?;
    check_in_store(tx, &row, record, None).await?;
    check_lock(tx, units, &row, record).await?;
    let id = write_new(tx, &row, record, m).await?;
    m.audit(tx, "insert", &format!("{}#{id}", row.table)).await?;
    match record {
        NewRecord::Tip(r) => {
            sqlx::query("INSERT INTO tip_event (tip_id, happened_on, status, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id)
                .bind(iso(r.closed_on.unwrap_or(r.received_on)))
                .bind(r.status.as_str())
                .bind(r.outcome.clone())
                .bind(m.entered_by.clone())
                .bind(m.entered_at.clone())
                .execute(&mut **tx)
                .await?;
        }
        NewRecord::SupportCase(r) => {
            for (date, service) in &r.services {
                sqlx::query("INSERT INTO support_service (case_id, provided_on, service, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(id)
                    .bind(iso(*date))
                    .bind(service.as_str())
                    .bind(m.entered_by.clone())
                    .bind(m.entered_at.clone())
                    .execute(&mut **tx)
                    .await?;
            }
        }
        _ => {}
    }
    Ok(id)
}

/// Changes record `id` of the record's kind, if nobody changed it since
/// `version` was read; returns the new version. A tip's deadline is computed
/// anew and its status change recorded; a support case's services are not
/// touched (they are added one by one).
pub async fn update(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    rules: &RulesFile,
    id: i64,
    version: i64,
    record: &NewRecord,
    m: &RecordMeta,
) -> Result<i64, StoreError> {
    if let NewRecord::BudgetSpending(_) = record {
        return Err(StoreError::refused("ghi lại kinh phí đã chi bằng một bản ghi mới", "record the spending anew: it replaces the figure"));
    }
    let task = task_of(tx, record).await?;
    let mut row = rows::row_of(units, rules, record, m, task)?;
    if m.keep_personal {
        row.values.retain(|(_, v)| !matches!(v, Val::Sealed(_)));
    }
    check_in_store(tx, &row, record, Some(id)).await?;
    check_lock_existing(tx, units, row.table, id).await?;
    check_lock(tx, units, &row, record).await?;
    refuse_anonymised(tx, row.table, id).await?;
    let new_version = write_update(tx, &row, record, id, version, m).await?;
    m.audit(tx, "update", &format!("{}#{id}", row.table)).await?;
    if let NewRecord::Tip(r) = record {
        sqlx::query("INSERT INTO tip_event (tip_id, happened_on, status, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(iso(r.closed_on.unwrap_or(m.today)))
            .bind(r.status.as_str())
            .bind(r.outcome.clone())
            .bind(m.entered_by.clone())
            .bind(m.entered_at.clone())
            .execute(&mut **tx)
            .await?;
    }
    Ok(new_version)
}

/// A support case or tip anonymised (its retention ended, or its person's
/// erasure request carried out) is changed no more: whatever were written to it
/// again — a name, an outcome, a note, a consent's scope, a message — would be
/// kept for good, the sweep passing over what is anonymised already. Refused
/// for every write to such a record (new version, consent, referral answer,
/// message from either side).
pub(crate) async fn refuse_anonymised(tx: &mut Tx<'_>, table: &'static str, id: i64) -> Result<(), StoreError> {
    if !matches!(table, "support_case" | "tip") {
        return Ok(());
    }
    let anonymised: Option<Option<String>> =
        sqlx::query_scalar(&format!("SELECT anonymised_on FROM {table} WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?;
    if let Some(Some(day)) = anonymised {
        return Err(StoreError::refused(
            format!("bản ghi đã được ẩn danh ngày {day}: không sửa, không ghi thêm vào bản ghi này"),
            format!("the record was anonymised on {day}: it takes no change and nothing more"),
        ));
    }
    Ok(())
}

/// Stores the legal deadline rules (idempotent by code), each with its full
/// description (`spec`), and the days off that working-day periods skip.
pub async fn save_deadline_rules(tx: &mut Tx<'_>, rules: &RulesFile) -> Result<(), StoreError> {
    for r in &rules.rules {
        let spec = serde_json::to_string(r).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))?;
        sqlx::query(
            "INSERT INTO deadline_rule (code, category, base, complex, remote, remote_complex, extension, basis, valid_from, valid_to, spec) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (code) DO UPDATE SET category = $2, base = $3, complex = $4, \
             remote = $5, remote_complex = $6, extension = $7, basis = $8, valid_from = $9, valid_to = $10, spec = $11",
        )
        .bind(r.code.clone())
        .bind(r.category.as_str())
        .bind(r.base.as_text())
        .bind(r.complex.unwrap_or(r.base).as_text())
        .bind(r.remote.map(|d| d.as_text()))
        .bind(r.remote_complex.map(|d| d.as_text()))
        .bind(r.extension.map(|d| d.as_text()))
        .bind(r.basis.clone())
        .bind(iso(r.from.0))
        .bind(r.to.map_or_else(|| "9999-12-31".to_string(), |t| iso(t.0)))
        .bind(spec)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM rest_day").execute(&mut **tx).await?;
    let days = rules.days_off.off.iter().map(|d| (*d, 0_i64)).chain(rules.days_off.worked.iter().map(|d| (*d, 1_i64)));
    for (day, worked) in days {
        sqlx::query("INSERT INTO rest_day (day, worked) VALUES ($1, $2)").bind(iso(day)).bind(worked).execute(&mut **tx).await?;
    }
    Ok(())
}

/// An empty rule set, for kinds other than tips.
fn no_rules() -> RulesFile {
    RulesFile::default()
}

pub async fn insert_establishment(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewEstablishment, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::Establishment(r.clone()), m).await
}

pub async fn insert_activity(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewActivity, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::Activity(r.clone()), m).await
}

/// Changes an activity, if nobody changed it since `version` was read.
pub async fn update_activity(tx: &mut Tx<'_>, units: &UnitIndex, id: i64, version: i64, r: &NewActivity, m: &RecordMeta) -> Result<i64, StoreError> {
    update(tx, units, &no_rules(), id, version, &NewRecord::Activity(r.clone()), m).await
}

pub async fn insert_publication(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewPublication, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::Publication(r.clone()), m).await
}

pub async fn insert_inspection(tx: &mut Tx<'_>, r: &NewInspection, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, &UnitIndex::default(), &no_rules(), &NewRecord::Inspection(r.clone()), m).await
}

/// Records a tip with the legal deadline its category and date give it.
pub async fn insert_tip(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, r: &NewTip, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, rules, &NewRecord::Tip(r.clone()), m).await
}

pub async fn insert_case_summary(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewCaseSummary, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::CaseSummary(r.clone()), m).await
}

pub async fn insert_district_plan(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewDistrictPlan, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::DistrictPlan(r.clone()), m).await
}

pub async fn insert_pilot_model(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewPilotModel, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::PilotModel(r.clone()), m).await
}

pub async fn insert_support_case(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewSupportCase, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::SupportCase(r.clone()), m).await
}

pub async fn insert_training(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewTraining, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::Training(r.clone()), m).await
}

pub async fn insert_reference_figure(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewReferenceFigure, m: &RecordMeta) -> Result<i64, StoreError> {
    insert(tx, units, &no_rules(), &NewRecord::ReferenceFigure(r.clone()), m).await
}

/// Removes the activities with this topic entered by `entered_by` (what a
/// benchmark wrote); the maintained aggregates follow by trigger. Audited in the
/// same transaction, so that a server's kept figures and facts drop with them.
pub async fn remove_activities(store: &crate::Store, topic: &str, entered_by: &str) -> Result<u64, StoreError> {
    let mut tx = store.begin().await?;
    let removed = sqlx::query("DELETE FROM activity WHERE topic = $1 AND entered_by = $2")
        .bind(topic)
        .bind(entered_by)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    let detail = format!("{removed} hoạt động «{topic}» ({removed} activities)");
    crate::audit::append(&mut tx, &crate::audit::AuditEntry { actor: entered_by, action: "delete", subject: "activity", detail: &detail }).await?;
    tx.commit().await?;
    Ok(removed)
}
