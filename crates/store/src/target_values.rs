//! Values reported for targets no indicator computes (số liệu do cơ quan báo
//! cáo): each for a unit and a period, with its evidence — a text and a file.
//! Nothing is overwritten: a later value for the same period stands in for an
//! earlier one, and both stay with who entered them. Every entry is audited.

use crate::audit::{append, AuditEntry};
use crate::units::{date_of, iso};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use serde::Serialize;
use sqlx::Row;

/// The largest evidence file kept with a value.
pub const EVIDENCE_MAX: usize = 5 * 1024 * 1024;

/// One reported value as the engine and the pages read it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportedValue {
    pub id: i64,
    pub unit_id: i64,
    pub period: Period,
    pub value: f64,
    pub evidence: String,
    pub file_name: Option<String>,
    /// The agency that reported it, by name.
    pub agency: Option<String>,
    pub entered_by: String,
    /// When it was entered (RFC 3339, UTC).
    pub entered_at: String,
}

impl ReportedValue {
    /// The day it was entered.
    pub fn entered_on(&self) -> Option<NaiveDate> {
        pcmd_domain::date::day_of_instant_vn(&self.entered_at)
    }
}

/// A value as an officer enters it.
pub struct NewReportedValue<'a> {
    pub plan_key: &'a str,
    pub target_code: &'a str,
    pub unit_id: i64,
    pub period: &'a Period,
    pub value: f64,
    pub evidence: &'a str,
    pub file: Option<(&'a str, &'a str, &'a [u8])>,
    pub agency_id: Option<i64>,
}

/// An evidence file with what it belongs to, for the reader's rights to be checked.
pub struct EvidenceFile {
    pub plan_key: String,
    pub target_code: String,
    pub unit_id: i64,
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn refused(vi: impl Into<String>, en: impl Into<String>) -> StoreError {
    StoreError::refused(vi, en)
}

impl Store {
    /// The values reported for a target of a plan for a unit, by period end, then in the order entered.
    pub async fn reported_values(&self, plan_key: &str, target_code: &str, unit_id: i64) -> Result<Vec<ReportedValue>, StoreError> {
        let rows = sqlx::query(
            "SELECT v.id, v.unit_id, v.period_label, v.period_from, v.period_to, v.value, v.evidence, v.file_name, a.name, v.entered_by, v.entered_at \
             FROM target_value v JOIN plan p ON p.id = v.plan_id LEFT JOIN agency a ON a.id = v.agency_id \
             WHERE p.key = $1 AND v.target_code = $2 AND v.unit_id = $3 ORDER BY v.period_to, v.id",
        )
        .bind(plan_key.to_string())
        .bind(target_code.to_string())
        .bind(unit_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ReportedValue {
                    id: r.try_get(0)?,
                    unit_id: r.try_get(1)?,
                    period: Period::new(r.try_get::<String, _>(2)?, date_of(&r.try_get::<String, _>(3)?)?, date_of(&r.try_get::<String, _>(4)?)?),
                    value: r.try_get(5)?,
                    evidence: r.try_get(6)?,
                    file_name: r.try_get(7)?,
                    agency: r.try_get(8)?,
                    entered_by: r.try_get(9)?,
                    entered_at: r.try_get(10)?,
                })
            })
            .collect()
    }

    /// Records a reported value. Refused, changing nothing, when the target is
    /// not a reported one, the period lies outside the target's, the value is
    /// outside what the target measures, the evidence is missing, or an
    /// accepted report has locked the period's end.
    pub async fn add_reported_value(&self, v: &NewReportedValue<'_>, units: &pcmd_domain::units::UnitIndex, actor: &str) -> Result<i64, StoreError> {
        let target = sqlx::query(
            "SELECT p.id, t.indicator, t.indicator_kind, t.period_from, t.period_to FROM target t JOIN plan p ON p.id = t.plan_id \
             WHERE p.key = $1 AND t.code = $2",
        )
        .bind(v.plan_key.to_string())
        .bind(v.target_code.to_string())
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::not_found(format!("không có chỉ tiêu «{}»", v.target_code), format!("no target «{}»", v.target_code)))?;
        let (plan_id, indicator, kind): (i64, String, String) = (target.try_get(0)?, target.try_get(1)?, target.try_get(2)?);
        let (from, to) = (date_of(&target.try_get::<String, _>(3)?)?, date_of(&target.try_get::<String, _>(4)?)?);
        if indicator != pcmd_domain::plan::IndicatorId::Reported.code() {
            return Err(refused(
                "chỉ tiêu này được tính từ hồ sơ, không nhập số liệu báo cáo",
                "this target is computed from the records; no value is entered for it",
            ));
        }
        // A Decree 09 period starts on 15/12 of the year before the target's first year.
        let earliest = from - chrono::Duration::days(17);
        if v.period.to < from || v.period.to > to || v.period.from < earliest || v.period.from > v.period.to {
            return Err(refused(
                format!(
                    "kỳ {} – {} nằm ngoài thời gian của chỉ tiêu ({} – {})",
                    pcmd_domain::date::format_vn(v.period.from),
                    pcmd_domain::date::format_vn(v.period.to),
                    pcmd_domain::date::format_vn(from),
                    pcmd_domain::date::format_vn(to)
                ),
                "the period lies outside the target's",
            ));
        }
        let percent = kind != "count" && kind != "growth";
        if !v.value.is_finite() || (percent && !(0.0..=100.0).contains(&v.value)) || (kind == "count" && v.value < 0.0) {
            return Err(refused(
                if percent { "tỷ lệ phải từ 0 đến 100" } else { "số lượng không được âm" },
                if percent { "a percentage is from 0 to 100" } else { "a count cannot be negative" },
            ));
        }
        let evidence = v.evidence.trim();
        if evidence.chars().count() < 10 {
            return Err(refused(
                "cần ghi căn cứ của số liệu (văn bản, biên bản, danh sách… ít nhất 10 ký tự)",
                "the evidence for the value is needed (a document, minutes, a list…; at least 10 characters)",
            ));
        }
        if v.file.is_some_and(|(_, _, b)| b.len() > EVIDENCE_MAX || b.is_empty()) {
            return Err(refused("tệp minh chứng rỗng hoặc quá 5 MB", "the evidence file is empty or over 5 MB"));
        }
        let mut tx = self.begin().await?;
        // An accepted report locks its period's figures: a value for it waits until the report is reopened.
        if let Err(e) = crate::reports::check_unlocked(&mut tx, units, v.unit_id, v.period.to).await {
            tx.rollback().await?;
            return Err(e);
        }
        let row = sqlx::query(
            "INSERT INTO target_value (plan_id, target_code, unit_id, period_label, period_from, period_to, value, evidence, file_name, file_type, \
             file_bytes, agency_id, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .persistent(false)
        .bind(plan_id)
        .bind(v.target_code.to_string())
        .bind(v.unit_id)
        .bind(v.period.label.clone())
        .bind(iso(v.period.from))
        .bind(iso(v.period.to))
        .bind(v.value)
        .bind(evidence.to_string())
        .bind(v.file.map(|(n, _, _)| n.to_string()))
        .bind(v.file.map(|(_, t, _)| t.to_string()))
        .bind(v.file.map(|(_, _, b)| b.to_vec()))
        .bind(v.agency_id)
        .bind(actor.to_string())
        .bind(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        let detail = format!("{} = {} ({}); đơn vị {}", v.period.label, v.value, evidence, v.unit_id);
        append(
            &mut tx,
            &AuditEntry { actor, action: "target_value_add", subject: &format!("target:{}/{}", v.plan_key, v.target_code), detail: &detail },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The evidence file of a reported value, if it has one.
    pub async fn reported_value_file(&self, id: i64) -> Result<Option<EvidenceFile>, StoreError> {
        let row = sqlx::query(
            "SELECT p.key, v.target_code, v.unit_id, v.file_name, v.file_type, v.file_bytes FROM target_value v JOIN plan p ON p.id = v.plan_id \
             WHERE v.id = $1 AND v.file_bytes IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(EvidenceFile {
            plan_key: r.try_get(0)?,
            target_code: r.try_get(1)?,
            unit_id: r.try_get(2)?,
            name: r.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
            content_type: r.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
            bytes: r.try_get(5)?,
        }))
    }
}
