//! Writing records. Each insert checks the record (domain), resolves its unit on
//! the record's date, and writes with who, when and where it came from.
//! Updates name the version they read: a stale update is refused.

use crate::units::iso;
use crate::{StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::records::*;
use pcmd_domain::units::{Level, UnitIndex};
use sqlx::Row;

/// Who wrote a record, when, and how it came in.
#[derive(Debug, Clone)]
pub struct RecordMeta {
    pub source: RecordSource,
    pub entered_by: Option<String>,
    /// ISO timestamp (UTC).
    pub entered_at: String,
    /// "Today" for the checks on dates.
    pub today: NaiveDate,
}

impl RecordMeta {
    pub fn now(source: RecordSource, entered_by: Option<String>) -> Self {
        let now = chrono::Utc::now();
        RecordMeta { source, entered_by, entered_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(), today: now.date_naive() }
    }
}

fn invalid(e: RecordErrors) -> StoreError {
    StoreError::refused(
        e.0.iter().map(|f| format!("{}: {}", f.field, f.vi)).collect::<Vec<_>>().join("; "),
        e.0.iter().map(|f| format!("{}: {}", f.field, f.en)).collect::<Vec<_>>().join("; "),
    )
}

/// The unit with `code` on `date`, at one of `levels` when given.
fn unit_on(units: &UnitIndex, code: &str, date: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    unit_checked(units.resolve(code, date), code, date, levels)
}

fn unit_checked(unit: Option<&pcmd_domain::units::Unit>, code: &str, date: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    let unit = unit.ok_or_else(|| {
        StoreError::refused(
            format!("không có đơn vị hành chính mã «{code}» vào ngày {}", pcmd_domain::date::format_vn(date)),
            format!("no administrative unit with code «{code}» on {date}"),
        )
    })?;
    if !levels.is_empty() && !levels.contains(&unit.level) {
        let names: Vec<&str> = levels.iter().map(|l| l.name_vi()).collect();
        return Err(StoreError::refused(
            format!("«{code}» là đơn vị {}; bản ghi này cần đơn vị {}", unit.level.name_vi(), names.join(" hoặc ")),
            format!(
                "«{code}» is a {} unit; this record needs a {} unit",
                unit.level,
                levels.iter().map(|l| l.as_str()).collect::<Vec<_>>().join(" or ")
            ),
        ));
    }
    Ok(unit.id)
}

async fn returning_id<'q>(q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>, tx: &mut Tx<'_>) -> Result<i64, StoreError> {
    Ok(q.fetch_one(&mut **tx).await?.try_get(0)?)
}

pub async fn insert_establishment(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewEstablishment, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    // An establishment older than the unit lists is attached to the first commune known with its code.
    let on = r.opened_on.unwrap_or(m.today);
    let unit = unit_checked(units.resolve_from(&r.unit_code, on).filter(|u| u.valid_from <= m.today), &r.unit_code, on, &[Level::Commune])?;
    let q = sqlx::query(
        "INSERT INTO establishment (name, kind, unit_id, address, licence, workers, opened_on, closed_on, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(r.name.trim().to_string())
    .bind(r.kind.as_str())
    .bind(unit)
    .bind(r.address.clone())
    .bind(r.licence.clone())
    .bind(r.workers)
    .bind(r.opened_on.map(iso))
    .bind(r.closed_on.map(iso))
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

pub async fn insert_activity(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewActivity, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.held_on, &[])?;
    let q = sqlx::query(
        "INSERT INTO activity (held_on, unit_id, form, topic, organiser, reached_at_risk_workers, reached_industrial_workers, \
         reached_students, reached_community, source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(iso(r.held_on))
    .bind(unit)
    .bind(r.form.as_str())
    .bind(r.topic.trim().to_string())
    .bind(r.organiser.clone())
    .bind(r.reached_at_risk_workers)
    .bind(r.reached_industrial_workers)
    .bind(r.reached_students)
    .bind(r.reached_community)
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

/// Changes an activity, if nobody changed it since `version` was read.
pub async fn update_activity(tx: &mut Tx<'_>, units: &UnitIndex, id: i64, version: i64, r: &NewActivity, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.held_on, &[])?;
    let res = sqlx::query(
        "UPDATE activity SET held_on = $3, unit_id = $4, form = $5, topic = $6, organiser = $7, reached_at_risk_workers = $8, \
         reached_industrial_workers = $9, reached_students = $10, reached_community = $11, entered_by = $12, entered_at = $13, \
         version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(iso(r.held_on))
    .bind(unit)
    .bind(r.form.as_str())
    .bind(r.topic.trim().to_string())
    .bind(r.organiser.clone())
    .bind(r.reached_at_risk_workers)
    .bind(r.reached_industrial_workers)
    .bind(r.reached_students)
    .bind(r.reached_community)
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone())
    .execute(&mut **tx)
    .await?;
    settle_version(tx, "activity", id, version, res.rows_affected()).await
}

/// Turns an update's row count into the new version, or a clear refusal.
async fn settle_version(tx: &mut Tx<'_>, table: &str, id: i64, version: i64, affected: u64) -> Result<i64, StoreError> {
    if affected == 1 {
        return Ok(version + 1);
    }
    let row = sqlx::query(&format!("SELECT version FROM {table} WHERE id = $1")).bind(id).fetch_optional(&mut **tx).await?;
    Err(match row {
        None => StoreError::refused(format!("không có bản ghi số {id}"), format!("no record {id}")),
        Some(r) => {
            let current: i64 = r.try_get(0)?;
            StoreError::refused(
                format!("bản ghi số {id} đã được người khác sửa (phiên bản {current}, bạn đã đọc phiên bản {version}); hãy tải lại rồi sửa"),
                format!("record {id} was changed by someone else (version {current}, you read {version}); reload and edit again"),
            )
        }
    })
}

pub async fn insert_publication(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewPublication, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.published_on, &[Level::Province, Level::District])?;
    let q = sqlx::query(
        "INSERT INTO publication (published_on, unit_id, outlet, outlet_level, medium, title, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(iso(r.published_on))
    .bind(unit)
    .bind(r.outlet.trim().to_string())
    .bind(r.outlet_level.as_str())
    .bind(r.medium.as_str())
    .bind(r.title.trim().to_string())
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

pub async fn insert_inspection(tx: &mut Tx<'_>, r: &NewInspection, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let est = sqlx::query("SELECT opened_on, closed_on FROM establishment WHERE id = $1").bind(r.establishment_id).fetch_optional(&mut **tx).await?;
    let Some(est) = est else {
        return Err(StoreError::refused(format!("không có cơ sở số {}", r.establishment_id), format!("no establishment {}", r.establishment_id)));
    };
    let closed: Option<String> = est.try_get(1)?;
    if closed.is_some_and(|c| c < iso(r.inspected_on)) {
        return Err(StoreError::refused("cơ sở đã đóng cửa trước ngày kiểm tra", "the establishment had closed before the inspection date"));
    }
    let q = sqlx::query(
        "INSERT INTO inspection (inspected_on, establishment_id, team_level, team, findings, violations, sanctions, fines_vnd, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(iso(r.inspected_on))
    .bind(r.establishment_id)
    .bind(r.team_level.as_str())
    .bind(r.team.clone())
    .bind(r.findings.clone())
    .bind(r.violations)
    .bind(r.sanctions)
    .bind(r.fines_vnd)
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

/// Stores the legal deadline rules (idempotent by code).
pub async fn save_deadline_rules(tx: &mut Tx<'_>, rules: &RulesFile) -> Result<(), StoreError> {
    for r in &rules.rules {
        sqlx::query(
            "INSERT INTO deadline_rule (code, category, base, complex, remote, remote_complex, extension, basis, valid_from, valid_to) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (code) DO UPDATE SET category = $2, base = $3, complex = $4, \
             remote = $5, remote_complex = $6, extension = $7, basis = $8, valid_from = $9, valid_to = $10",
        )
        .bind(r.code.clone())
        .bind(r.category.as_str())
        .bind(r.base.as_text())
        .bind(r.complex.as_text())
        .bind(r.remote.map(|d| d.as_text()))
        .bind(r.remote_complex.map(|d| d.as_text()))
        .bind(r.extension.map(|d| d.as_text()))
        .bind(r.basis.clone())
        .bind(iso(r.from.0))
        .bind(r.to.map_or_else(|| "9999-12-31".to_string(), |t| iso(t.0)))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Records a tip with the legal deadline its category and date give it.
pub async fn insert_tip(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, r: &NewTip, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.received_on, &[Level::Commune])?;
    let rule = rules.rule_for(r.category, r.received_on).ok_or_else(|| {
        StoreError::refused("không có quy định thời hạn cho loại tin này vào ngày tiếp nhận", "no legal time limit for this kind of tip on its date")
    })?;
    let deadline = rule
        .deadline(r.received_on, r.is_complex, r.is_remote)
        .ok_or_else(|| StoreError::refused("không tính được thời hạn", "the deadline cannot be computed"))?;
    if let Some(ext) = r.extended_until {
        match rule.latest_extension(deadline) {
            None => return Err(StoreError::refused(format!("{} không cho phép gia hạn", rule.basis), format!("{} allows no extension", rule.basis))),
            Some(latest) if ext > latest => {
                return Err(StoreError::refused(
                    format!("gia hạn quá mức luật cho phép (muộn nhất {})", pcmd_domain::date::format_vn(latest)),
                    format!("the extension goes past what the law allows (latest {latest})"),
                ))
            }
            _ => {}
        }
    }
    let q = sqlx::query(
        "INSERT INTO tip (received_on, channel, category, unit_id, is_complex, is_remote, status, rule_code, deadline, extended_until, \
         closed_on, outcome, source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
    )
    .bind(iso(r.received_on))
    .bind(r.channel.as_str())
    .bind(r.category.as_str())
    .bind(unit)
    .bind(i64::from(r.is_complex))
    .bind(i64::from(r.is_remote))
    .bind(r.status.as_str())
    .bind(rule.code.clone())
    .bind(iso(deadline))
    .bind(r.extended_until.map(iso))
    .bind(r.closed_on.map(iso))
    .bind(r.outcome.clone())
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    let id = returning_id(q, tx).await?;
    sqlx::query("INSERT INTO tip_event (tip_id, happened_on, status, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(id)
        .bind(iso(r.closed_on.unwrap_or(r.received_on)))
        .bind(r.status.as_str())
        .bind(r.outcome.clone())
        .bind(m.entered_by.clone())
        .bind(m.entered_at.clone())
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

pub async fn insert_case_summary(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewCaseSummary, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let on = NaiveDate::from_ymd_opt(r.year, 12, 31).unwrap_or(m.today).min(m.today);
    let unit = year_unit(units, &r.unit_code, r.year, on, &[])?;
    let dup = sqlx::query("SELECT id FROM case_summary WHERE year = $1 AND unit_id = $2")
        .bind(i64::from(r.year))
        .bind(unit)
        .fetch_optional(&mut **tx)
        .await?;
    if dup.is_some() {
        return Err(StoreError::refused(
            format!("đã có số liệu xử lý năm {} của đơn vị «{}»; hãy sửa bản ghi đó", r.year, r.unit_code),
            format!("unit «{}» already has its {} figures; edit that record", r.unit_code, r.year),
        ));
    }
    let q = sqlx::query(
        "INSERT INTO case_summary (year, unit_id, criminal_cases, defendants, admin_violations, persons_sanctioned, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(i64::from(r.year))
    .bind(unit)
    .bind(r.criminal_cases)
    .bind(r.defendants)
    .bind(r.admin_violations)
    .bind(r.persons_sanctioned)
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

/// A unit for a yearly record: valid on `on`, or else on the first day of the year.
fn year_unit(units: &UnitIndex, code: &str, year: i32, on: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    unit_on(units, code, on, levels).or_else(|e| match NaiveDate::from_ymd_opt(year, 1, 1) {
        Some(first) => unit_on(units, code, first, levels),
        None => Err(e),
    })
}

pub async fn insert_district_plan(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewDistrictPlan, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let on = r.adopted_on.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(m.today);
    let unit = year_unit(units, &r.unit_code, r.year, on, &[Level::District])?;
    let q = sqlx::query(
        "INSERT INTO district_plan (unit_id, year, document_ref, adopted_on, integrates_socio_economic, integrates_social_security, \
         integrates_drugs, integrates_hiv, source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(unit)
    .bind(i64::from(r.year))
    .bind(r.document_ref.trim().to_string())
    .bind(r.adopted_on.map(iso))
    .bind(i64::from(r.integrates_socio_economic))
    .bind(i64::from(r.integrates_social_security))
    .bind(i64::from(r.integrates_drugs))
    .bind(i64::from(r.integrates_hiv))
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

pub async fn insert_pilot_model(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewPilotModel, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.started_on, &[])?;
    let q = sqlx::query(
        "INSERT INTO pilot_model (unit_id, name, kind, started_on, ended_on, status, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(unit)
    .bind(r.name.trim().to_string())
    .bind(r.kind.clone())
    .bind(iso(r.started_on))
    .bind(r.ended_on.map(iso))
    .bind(r.status.as_str())
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

pub async fn insert_support_case(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewSupportCase, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.opened_on, &[Level::Commune])?;
    let q = sqlx::query(
        "INSERT INTO support_case (code, unit_id, opened_on, closed_on, age_band, sex, needs_support, eligible, consent, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(r.code.trim().to_string())
    .bind(unit)
    .bind(iso(r.opened_on))
    .bind(r.closed_on.map(iso))
    .bind(r.age_band.as_str())
    .bind(r.sex.as_str())
    .bind(i64::from(r.needs_support))
    .bind(i64::from(r.eligible))
    .bind(i64::from(r.consent))
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    let id = returning_id(q, tx).await?;
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
    Ok(id)
}

pub async fn insert_training(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewTraining, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let unit = unit_on(units, &r.unit_code, r.held_on, &[])?;
    let q = sqlx::query(
        "INSERT INTO training (held_on, unit_id, level, title, organiser, participants_province, participants_district, participants_commune, \
         source, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(iso(r.held_on))
    .bind(unit)
    .bind(r.level.as_str())
    .bind(r.title.trim().to_string())
    .bind(r.organiser.clone())
    .bind(r.participants_province)
    .bind(r.participants_district)
    .bind(r.participants_commune)
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

pub async fn insert_reference_figure(tx: &mut Tx<'_>, units: &UnitIndex, r: &NewReferenceFigure, m: &RecordMeta) -> Result<i64, StoreError> {
    r.validate(m.today).map_err(invalid)?;
    let on = r.reference_date.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(m.today);
    let unit = year_unit(units, &r.unit_code, r.year, on, &[])?;
    let dup = sqlx::query("SELECT id FROM reference_figure WHERE kind = $1 AND level = $2 AND unit_id = $3 AND year = $4")
        .bind(r.kind.as_str())
        .bind(r.level.as_str())
        .bind(unit)
        .bind(i64::from(r.year))
        .fetch_optional(&mut **tx)
        .await?;
    if dup.is_some() {
        return Err(StoreError::refused(
            format!("đã có số liệu «{}» năm {} của đơn vị «{}»", r.kind.label_vi(), r.year, r.unit_code),
            format!("unit «{}» already has a {} figure for {}", r.unit_code, r.kind, r.year),
        ));
    }
    let q = sqlx::query(
        "INSERT INTO reference_figure (kind, level, unit_id, year, value, reference, reference_date, source, entered_by, entered_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(r.kind.as_str())
    .bind(r.level.as_str())
    .bind(unit)
    .bind(i64::from(r.year))
    .bind(r.value)
    .bind(r.reference.trim().to_string())
    .bind(r.reference_date.map(iso))
    .bind(m.source.as_str())
    .bind(m.entered_by.clone())
    .bind(m.entered_at.clone());
    returning_id(q, tx).await
}

/// Rows per multi-row INSERT in the batch writers (see `units::ROWS_PER_INSERT`).
const BATCH: usize = 40;

/// Writes many activities at once (imports of national size, the benchmark data):
/// the same checks as `insert_activity`, in multi-row statements.
pub async fn insert_activities(tx: &mut Tx<'_>, units: &UnitIndex, rows: &[NewActivity], m: &RecordMeta) -> Result<u64, StoreError> {
    let mut resolved = Vec::with_capacity(rows.len());
    for r in rows {
        r.validate(m.today).map_err(invalid)?;
        resolved.push((r, unit_on(units, &r.unit_code, r.held_on, &[])?));
    }
    for chunk in resolved.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO activity (held_on, unit_id, form, topic, organiser, reached_at_risk_workers, reached_industrial_workers, \
             reached_students, reached_community, source, entered_by, entered_at) VALUES ",
        );
        crate::units::push_placeholders(&mut sql, chunk.len(), 12);
        let mut q = sqlx::query(&sql);
        for (r, unit) in chunk {
            q = q
                .bind(iso(r.held_on))
                .bind(*unit)
                .bind(r.form.as_str())
                .bind(r.topic.trim().to_string())
                .bind(r.organiser.clone())
                .bind(r.reached_at_risk_workers)
                .bind(r.reached_industrial_workers)
                .bind(r.reached_students)
                .bind(r.reached_community)
                .bind(m.source.as_str())
                .bind(m.entered_by.clone())
                .bind(m.entered_at.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(rows.len() as u64)
}

/// Writes many inspections at once; the establishments must exist (checked by the foreign key).
pub async fn insert_inspections(tx: &mut Tx<'_>, rows: &[NewInspection], m: &RecordMeta) -> Result<u64, StoreError> {
    for r in rows {
        r.validate(m.today).map_err(invalid)?;
    }
    for chunk in rows.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO inspection (inspected_on, establishment_id, team_level, team, findings, violations, sanctions, fines_vnd, source, entered_by, entered_at) VALUES ",
        );
        crate::units::push_placeholders(&mut sql, chunk.len(), 11);
        let mut q = sqlx::query(&sql);
        for r in chunk {
            q = q
                .bind(iso(r.inspected_on))
                .bind(r.establishment_id)
                .bind(r.team_level.as_str())
                .bind(r.team.clone())
                .bind(r.findings.clone())
                .bind(r.violations)
                .bind(r.sanctions)
                .bind(r.fines_vnd)
                .bind(m.source.as_str())
                .bind(m.entered_by.clone())
                .bind(m.entered_at.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(rows.len() as u64)
}

/// Writes many tips at once with their legal deadlines (no status history rows).
pub async fn insert_tips(tx: &mut Tx<'_>, units: &UnitIndex, rules: &RulesFile, rows: &[NewTip], m: &RecordMeta) -> Result<u64, StoreError> {
    let mut resolved = Vec::with_capacity(rows.len());
    for r in rows {
        r.validate(m.today).map_err(invalid)?;
        let unit = unit_on(units, &r.unit_code, r.received_on, &[Level::Commune])?;
        let rule = rules
            .rule_for(r.category, r.received_on)
            .ok_or_else(|| StoreError::refused("không có quy định thời hạn cho loại tin này", "no legal time limit for this kind of tip"))?;
        let deadline = rule
            .deadline(r.received_on, r.is_complex, r.is_remote)
            .ok_or_else(|| StoreError::refused("không tính được thời hạn", "the deadline cannot be computed"))?;
        resolved.push((r, unit, rule.code.clone(), deadline));
    }
    for chunk in resolved.chunks(BATCH) {
        let mut sql = String::from(
            "INSERT INTO tip (received_on, channel, category, unit_id, is_complex, is_remote, status, rule_code, deadline, extended_until, \
             closed_on, outcome, source, entered_by, entered_at) VALUES ",
        );
        crate::units::push_placeholders(&mut sql, chunk.len(), 15);
        let mut q = sqlx::query(&sql);
        for (r, unit, rule, deadline) in chunk {
            q = q
                .bind(iso(r.received_on))
                .bind(r.channel.as_str())
                .bind(r.category.as_str())
                .bind(*unit)
                .bind(i64::from(r.is_complex))
                .bind(i64::from(r.is_remote))
                .bind(r.status.as_str())
                .bind(rule.clone())
                .bind(iso(*deadline))
                .bind(r.extended_until.map(iso))
                .bind(r.closed_on.map(iso))
                .bind(r.outcome.clone())
                .bind(m.source.as_str())
                .bind(m.entered_by.clone())
                .bind(m.entered_at.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(rows.len() as u64)
}
