//! What each record kind writes: its table (named as the kind) and the columns its
//! description gives, after the checks that need no database (the domain's) and
//! the unit valid on its date.

use super::RecordMeta;
use crate::units::iso;
use crate::StoreError;
use chrono::NaiveDate;
use pcmd_domain::records::describe::{Stored, Value};
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

impl RecordRow {
    /// The integer stored in `column`, if the row fills it.
    pub fn int(&self, column: &str) -> Option<i64> {
        self.values.iter().find(|(c, _)| *c == column).and_then(|(_, v)| if let Val::Int(i) = v { Some(*i) } else { None })
    }

    /// The text stored in `column` ("" when the row does not fill it).
    pub fn text(&self, column: &str) -> &str {
        match self.values.iter().find(|(c, _)| *c == column).map(|(_, v)| v) {
            Some(Val::Text(t)) | Some(Val::OptText(Some(t))) => t,
            _ => "",
        }
    }
}

fn opt_date(d: Option<NaiveDate>) -> Val {
    Val::OptText(d.map(iso))
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

/// The columns a record writes, from its kind's description: each field stored in
/// its table under its key, the unit's code as `unit_id` (the unit resolved by the caller).
fn described(record: &NewRecord, unit: Option<i64>) -> Vec<(&'static str, Val)> {
    let columns = record.kind().columns();
    record
        .values()
        .into_iter()
        .zip(columns)
        .filter_map(|((key, value), column)| match (column.stored, value) {
            (Stored::Unit, _) => unit.map(|u| ("unit_id", Val::Int(u))),
            (Stored::Elsewhere, _) => None,
            (Stored::Int | Stored::Text, Value::Int(n)) => Some((key, Val::Int(n))),
            (Stored::Int | Stored::Text, Value::Text(t)) => Some((key, Val::Text(t))),
            (Stored::Int | Stored::Text, Value::Null) => Some((key, Val::OptText(None))),
        })
        .collect()
}

/// Checks a record and gives the row it writes: the checks that need no database
/// (`Validate`), the unit valid on the record's date, and what the store adds
/// (a tip's clock, sealed personal data, a progress report's task).
/// `task_id` is the task a progress report is about, found by the caller.
pub(crate) fn row_of(
    units: &UnitIndex,
    rules: &RulesFile,
    record: &NewRecord,
    m: &RecordMeta,
    task_id: Option<i64>,
) -> Result<RecordRow, StoreError> {
    let today = m.today;
    record.validate(today).map_err(invalid)?;
    let end_of = |year: i32| NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today).min(today);
    let (unit, extra) = match record {
        NewRecord::Establishment(r) => {
            // An establishment older than the unit lists is attached to the first commune known with its code.
            let on = r.opened_on.unwrap_or(today);
            (Some(unit_checked(units.resolve_from(&r.unit_code, on).filter(|u| u.valid_from <= today), &r.unit_code, on, &[Level::Commune])?), vec![])
        }
        NewRecord::Activity(r) => (Some(unit_on(units, &r.unit_code, r.held_on, &[])?), vec![]),
        NewRecord::Publication(r) => (Some(unit_on(units, &r.unit_code, r.published_on, &[Level::Province, Level::District])?), vec![]),
        // An inspection is of its establishment's unit.
        NewRecord::Inspection(_) => (None, vec![]),
        NewRecord::Tip(r) => {
            let unit = unit_on(units, &r.unit_code, r.received_on, &[Level::Commune])?;
            let clock = tip_clock(rules, r)?;
            (
                Some(unit),
                vec![
                    ("rule_code", Val::Text(clock.rule_code)),
                    ("deadline", opt_date(clock.deadline)),
                    ("due_on", opt_date(clock.due)),
                    ("content_sealed", sealed(m, "tip.content", r.content.clone())?),
                ],
            )
        }
        NewRecord::CaseSummary(r) => (Some(year_unit(units, &r.unit_code, r.year, end_of(r.year), &[])?), vec![]),
        NewRecord::DistrictPlan(r) => {
            let on = r.adopted_on.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(today);
            (Some(year_unit(units, &r.unit_code, r.year, on, &[Level::District])?), vec![])
        }
        NewRecord::PilotModel(r) => (Some(unit_on(units, &r.unit_code, r.started_on, &[])?), vec![]),
        NewRecord::SupportCase(r) => {
            let unit = unit_on(units, &r.unit_code, r.opened_on, &[Level::Commune])?;
            let identity = r.identity().as_ref().map(identity_json).transpose()?;
            (Some(unit), vec![("identity_sealed", sealed(m, "support_case.identity", identity)?)])
        }
        NewRecord::Training(r) => (Some(unit_on(units, &r.unit_code, r.held_on, &[])?), vec![]),
        NewRecord::ReferenceFigure(r) => {
            let on = r.reference_date.or_else(|| NaiveDate::from_ymd_opt(r.year, 1, 1)).unwrap_or(today);
            (Some(year_unit(units, &r.unit_code, r.year, on, &[])?), vec![])
        }
        NewRecord::TaskProgress(_) => {
            let task = task_id.ok_or_else(|| StoreError::not_found("không tìm thấy nhiệm vụ", "no such task"))?;
            (None, vec![("task_id", Val::Int(task))])
        }
        NewRecord::BudgetSpending(_) => {
            return Err(StoreError::refused("kinh phí đã chi được ghi vào dòng dự toán", "spending is written on the budget line"));
        }
    };
    let mut values = described(record, unit);
    values.extend(extra);
    Ok(RecordRow { table: record.kind().as_str(), values })
}
