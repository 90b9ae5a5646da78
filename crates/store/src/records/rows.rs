//! What each record kind writes: its table and its columns, after the checks
//! that need no database (the domain's) and the unit valid on its date.

use super::RecordMeta;
use crate::units::iso;
use crate::StoreError;
use chrono::NaiveDate;
use pcmd_domain::records::*;
use pcmd_domain::units::{Level, Unit, UnitIndex};

/// A value to bind.
#[derive(Debug, Clone)]
pub(crate) enum Val {
    Int(i64),
    Text(String),
    OptText(Option<String>),
    /// Personal data, sealed (see `Sealer`).
    Sealed(Option<Vec<u8>>),
}

/// The table and the columns a record fills.
#[derive(Debug, Clone)]
pub(crate) struct RecordRow {
    pub table: &'static str,
    pub values: Vec<(&'static str, Val)>,
}

fn text(s: &str) -> Val {
    Val::Text(s.trim().to_string())
}

fn date(d: NaiveDate) -> Val {
    Val::Text(iso(d))
}

fn opt_date(d: Option<NaiveDate>) -> Val {
    Val::OptText(d.map(iso))
}

fn flag(b: bool) -> Val {
    Val::Int(i64::from(b))
}

/// Seals personal data for `column`; without a key, personal data is refused.
fn sealed(m: &RecordMeta, column: &str, plain: Option<String>) -> Result<Val, StoreError> {
    match (plain, &m.sealer) {
        (None, _) => Ok(Val::Sealed(None)),
        (Some(p), Some(s)) => Ok(Val::Sealed(Some(s.seal(column, &p)?))),
        (Some(_), None) => Err(StoreError::refused(
            "không có khóa mã hóa: không lưu được dữ liệu cá nhân (đặt --key-file)",
            "no encryption key: personal data cannot be stored (set --key-file)",
        )),
    }
}

pub(crate) fn invalid(e: RecordErrors) -> StoreError {
    StoreError::refused(
        e.0.iter().map(|f| format!("{}: {}", f.field, f.vi)).collect::<Vec<_>>().join("; "),
        e.0.iter().map(|f| format!("{}: {}", f.field, f.en)).collect::<Vec<_>>().join("; "),
    )
}

/// The unit with `code` on `date`, at one of `levels` when given.
pub(crate) fn unit_on(units: &UnitIndex, code: &str, date: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    unit_checked(units.resolve(code, date), code, date, levels)
}

fn unit_checked(unit: Option<&Unit>, code: &str, date: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    let unit = unit.ok_or_else(|| {
        StoreError::refused(
            format!("không có đơn vị hành chính mã «{code}» vào ngày {}", pcmd_domain::date::format_vn(date)),
            format!("no administrative unit with code «{code}» on {date}"),
        )
    })?;
    if !levels.is_empty() && !levels.contains(&unit.level) {
        let names: Vec<&str> = levels.iter().map(|l| l.name_vi()).collect();
        let keys: Vec<&str> = levels.iter().map(|l| l.as_str()).collect();
        return Err(StoreError::refused(
            format!("«{code}» là đơn vị {}; bản ghi này cần đơn vị {}", unit.level.name_vi(), names.join(" hoặc ")),
            format!("«{code}» is a {} unit; this record needs a {} unit", unit.level, keys.join(" or ")),
        ));
    }
    Ok(unit.id)
}

/// A unit for a yearly record: valid at the end of the year (or today), or else on its first day.
fn year_unit(units: &UnitIndex, code: &str, year: i32, on: NaiveDate, levels: &[Level]) -> Result<i64, StoreError> {
    unit_on(units, code, on, levels).or_else(|e| match NaiveDate::from_ymd_opt(year, 1, 1) {
        Some(first) => unit_on(units, code, first, levels),
        None => Err(e),
    })
}

/// The tip's clock under the rule of its date: an extension beyond the law,
/// or a suspension where there is none, is refused with its field.
pub(crate) fn tip_clock(rules: &RulesFile, r: &NewTip) -> Result<pcmd_domain::records::Clock, StoreError> {
    pcmd_domain::records::clock(rules, r).map_err(invalid)
}

fn identity_json(i: &Identity) -> Result<String, StoreError> {
    serde_json::to_string(i).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))
}

/// Checks a record and gives the row it writes.
/// `task_id` is the task a progress report is about, found by the caller.
pub(crate) fn row_of(
    units: &UnitIndex,
    rules: &RulesFile,
    record: &NewRecord,
    m: &RecordMeta,
    task_id: Option<i64>,
) -> Result<RecordRow, StoreError> {
    let today = m.today;
    let end_of = |year: i32| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    let (table, values) = match record {
        NewRecord::Establishment(r) => {
            r.validate(today).map_err(invalid)?;
            // An establishment older than the unit lists is attached to the first commune known with its code.
            let on = r.opened_on.unwrap_or(today);
            let unit = unit_checked(units.resolve_from(&r.unit_code, on).filter(|u| u.valid_from <= today), &r.unit_code, on, &[Level::Commune])?;
            (
                "establishment",
                vec![
                    ("name", text(&r.name)),
                    ("kind", text(r.kind.as_str())),
                    ("unit_id", Val::Int(unit)),
                    ("address", Val::OptText(r.address.clone())),
                    ("licence", Val::OptText(r.licence.clone())),
                    ("workers", Val::Int(r.workers)),
                    ("opened_on", opt_date(r.opened_on)),
                    ("closed_on", opt_date(r.closed_on)),
                ],
            )
        }
        NewRecord::Activity(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.held_on, &[])?;
            (
                "activity",
                vec![
                    ("held_on", date(r.held_on)),
                    ("unit_id", Val::Int(unit)),
                    ("form", text(r.form.as_str())),
                    ("topic", text(&r.topic)),
                    ("organiser", Val::OptText(r.organiser.clone())),
                    ("reached_at_risk_workers", Val::Int(r.reached_at_risk_workers)),
                    ("reached_industrial_workers", Val::Int(r.reached_industrial_workers)),
                    ("reached_students", Val::Int(r.reached_students)),
                    ("reached_community", Val::Int(r.reached_community)),
                ],
            )
        }
        NewRecord::Publication(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.published_on, &[Level::Province, Level::District])?;
            (
                "publication",
                vec![
                    ("published_on", date(r.published_on)),
                    ("unit_id", Val::Int(unit)),
                    ("outlet", text(&r.outlet)),
                    ("outlet_level", text(r.outlet_level.as_str())),
                    ("medium", text(r.medium.as_str())),
                    ("title", text(&r.title)),
                ],
            )
        }
        NewRecord::Inspection(r) => {
            r.validate(today).map_err(invalid)?;
            (
                "inspection",
                vec![
                    ("inspected_on", date(r.inspected_on)),
                    ("establishment_id", Val::Int(r.establishment_id)),
                    ("team_level", text(r.team_level.as_str())),
                    ("team", Val::OptText(r.team.clone())),
                    ("findings", Val::OptText(r.findings.clone())),
                    ("violations", Val::Int(r.violations)),
                    ("sanctions", Val::Int(r.sanctions)),
                    ("fines_vnd", Val::Int(r.fines_vnd)),
                ],
            )
        }
        NewRecord::Tip(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.received_on, &[Level::Commune])?;
            let clock = tip_clock(rules, r)?;
            (
                "tip",
                vec![
                    ("received_on", date(r.received_on)),
                    ("channel", text(r.channel.as_str())),
                    ("category", text(r.category.as_str())),
                    ("unit_id", Val::Int(unit)),
                    ("is_complex", flag(r.is_complex)),
                    ("is_remote", flag(r.is_remote)),
                    ("is_very_complex", flag(r.is_very_complex)),
                    ("status", text(r.status.as_str())),
                    ("rule_code", Val::Text(clock.rule_code)),
                    ("accepted_on", opt_date(r.accepted_on)),
                    ("deadline", opt_date(clock.deadline)),
                    ("extended_until", opt_date(r.extended_until)),
                    ("suspended_on", opt_date(r.suspended_on)),
                    ("resumed_on", opt_date(r.resumed_on)),
                    ("due_on", opt_date(clock.due)),
                    ("closed_on", opt_date(r.closed_on)),
                    ("outcome", Val::OptText(r.outcome.clone())),
                    ("content_sealed", sealed(m, "tip.content", r.content.clone())?),
                ],
            )
        }
        NewRecord::CaseSummary(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = year_unit(units, &r.unit_code, r.year, end_of(r.year), &[])?;
            (
                "case_summary",
                vec![
                    ("year", Val::Int(i64::from(r.year))),
                    ("unit_id", Val::Int(unit)),
                    ("criminal_cases", Val::Int(r.criminal_cases)),
                    ("defendants", Val::Int(r.defendants)),
                    ("admin_violations", Val::Int(r.admin_violations)),
                    ("persons_sanctioned", Val::Int(r.persons_sanctioned)),
                ],
            )
        }
        NewRecord::DistrictPlan(r) => {
            r.validate(today).map_err(invalid)?;
            let on = r.adopted_on.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(today);
            let unit = year_unit(units, &r.unit_code, r.year, on, &[Level::District])?;
            (
                "district_plan",
                vec![
                    ("unit_id", Val::Int(unit)),
                    ("year", Val::Int(i64::from(r.year))),
                    ("document_ref", text(&r.document_ref)),
                    ("adopted_on", opt_date(r.adopted_on)),
                    ("integrates_socio_economic", flag(r.integrates_socio_economic)),
                    ("integrates_social_security", flag(r.integrates_social_security)),
                    ("integrates_drugs", flag(r.integrates_drugs)),
                    ("integrates_hiv", flag(r.integrates_hiv)),
                ],
            )
        }
        NewRecord::PilotModel(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.started_on, &[])?;
            (
                "pilot_model",
                vec![
                    ("unit_id", Val::Int(unit)),
                    ("name", text(&r.name)),
                    ("kind", text(&r.kind)),
                    ("started_on", date(r.started_on)),
                    ("ended_on", opt_date(r.ended_on)),
                    ("status", text(r.status.as_str())),
                ],
            )
        }
        NewRecord::SupportCase(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.opened_on, &[Level::Commune])?;
            (
                "support_case",
                vec![
                    ("code", text(&r.code)),
                    ("unit_id", Val::Int(unit)),
                    ("opened_on", date(r.opened_on)),
                    ("closed_on", opt_date(r.closed_on)),
                    ("age_band", text(r.age_band.as_str())),
                    ("sex", text(r.sex.as_str())),
                    ("needs_support", flag(r.needs_support)),
                    ("eligible", flag(r.eligible)),
                    ("consent", flag(r.consent)),
                    ("identity_sealed", sealed(m, "support_case.identity", r.identity.as_ref().map(identity_json).transpose()?)?),
                ],
            )
        }
        NewRecord::Training(r) => {
            r.validate(today).map_err(invalid)?;
            let unit = unit_on(units, &r.unit_code, r.held_on, &[])?;
            (
                "training",
                vec![
                    ("held_on", date(r.held_on)),
                    ("unit_id", Val::Int(unit)),
                    ("level", text(r.level.as_str())),
                    ("title", text(&r.title)),
                    ("organiser", Val::OptText(r.organiser.clone())),
                    ("participants_province", Val::Int(r.participants_province)),
                    ("participants_district", Val::Int(r.participants_district)),
                    ("participants_commune", Val::Int(r.participants_commune)),
                ],
            )
        }
        NewRecord::ReferenceFigure(r) => {
            r.validate(today).map_err(invalid)?;
            let on = r.reference_date.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(today);
            let unit = year_unit(units, &r.unit_code, r.year, on, &[])?;
            (
                "reference_figure",
                vec![
                    ("kind", text(r.kind.as_str())),
                    ("level", text(r.level.as_str())),
                    ("unit_id", Val::Int(unit)),
                    ("year", Val::Int(i64::from(r.year))),
                    ("value", Val::Int(r.value)),
                    ("reference", text(&r.reference)),
                    ("reference_date", opt_date(r.reference_date)),
                ],
            )
        }
        NewRecord::TaskProgress(r) => {
            r.validate(today).map_err(invalid)?;
            let task = task_id.ok_or_else(|| StoreError::not_found("không tìm thấy nhiệm vụ", "no such task"))?;
            (
                "task_progress",
                vec![
                    ("task_id", Val::Int(task)),
                    ("reported_on", date(r.reported_on)),
                    ("status", text(r.status.as_str())),
                    ("note", Val::OptText(r.note.clone())),
                    ("attachment_name", Val::OptText(r.attachment_name.clone())),
                ],
            )
        }
        NewRecord::BudgetSpending(_) => {
            return Err(StoreError::refused("kinh phí đã chi được ghi vào dòng dự toán", "spending is written on the budget line"));
        }
    };
    Ok(RecordRow { table, values })
}
