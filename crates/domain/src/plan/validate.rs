//! Checks a plan file against what the system knows, collecting every fault
//! with its line, so that nothing is loaded from a file with any fault.

use super::spec::{PlanFile, Threshold};
use super::{indicator, BudgetLine, Comparator, Plan, Target, Task};
use crate::source::{FileError, SourceFile};
use crate::units::Level;
use chrono::{Datelike, NaiveDate};
use std::collections::HashSet;
use unicode_normalization::UnicodeNormalization;

/// What a plan may refer to: units, agencies, other plans.
pub trait Directory {
    /// The level of the unit with this code valid on `on`, if any.
    fn unit_level(&self, code: &str, on: NaiveDate) -> Option<Level>;
    fn agency_known(&self, code: &str) -> bool;
    /// Whether a plan with this number or key is known.
    fn plan_known(&self, number_or_key: &str) -> bool;
}

fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Validates a parsed plan file. `original_text` is the text of `text_file`, if read.
pub fn validate_plan(src: SourceFile<'_>, file: &PlanFile, original_text: Option<&str>, dir: &dyn Directory) -> Result<Plan, Vec<FileError>> {
    let mut errors = Vec::new();
    let h = &file.plan;
    let key = h.key.get_ref().trim();
    if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        errors.push(src.error(
            h.key.span(),
            format!("khóa kế hoạch «{key}» chỉ gồm chữ không dấu, số và dấu gạch"),
            format!("plan key «{key}» may hold only ASCII letters, digits and dashes"),
        ));
    }
    let from = h.period_from.get_ref().0;
    let to = h.period_to.0;
    let issued_on = h.issued_on.map(|d| d.0);
    if from > to {
        errors.push(src.error(h.period_from.span(), "thời gian bắt đầu sau thời gian kết thúc", "the period starts after it ends"));
    }
    let mut plan_level = None;
    if let Some(unit) = &h.unit {
        let mut dates = vec![from];
        dates.extend(issued_on);
        for on in dates {
            match dir.unit_level(unit.get_ref(), on) {
                Some(level) => plan_level = Some(level),
                None => errors.push(src.error(
                    unit.span(),
                    format!("không có đơn vị hành chính mã «{}» vào ngày {}", unit.get_ref(), crate::date::format_vn(on)),
                    format!("no administrative unit with code «{}» on {on}", unit.get_ref()),
                )),
            }
        }
    }
    if let Some(parent) = &h.implements {
        if !dir.plan_known(parent.get_ref()) {
            errors.push(src.error(
                parent.span(),
                format!("không tìm thấy văn bản cấp trên «{}»", parent.get_ref()),
                format!("the plan it implements, «{}», is not known", parent.get_ref()),
            ));
        }
    }

    let (budget_total, budget_source, budget_lines) = match &file.budget {
        None => (None, None, Vec::new()),
        Some(b) => {
            let mut lines = Vec::new();
            let mut sum: i64 = 0;
            for y in &b.years {
                let spec = y.get_ref();
                if spec.amount < 0 {
                    errors.push(src.error(y.span(), "kinh phí không được âm", "an amount cannot be negative"));
                }
                if spec.year < from.year() || spec.year > to.year() {
                    errors.push(src.error(
                        y.span(),
                        format!("năm {} nằm ngoài thời gian thực hiện", spec.year),
                        format!("year {} is outside the plan's period", spec.year),
                    ));
                }
                if let Some(a) = &spec.agency {
                    if !dir.agency_known(a.get_ref()) {
                        errors.push(src.error(a.span(), format!("không có cơ quan «{}»", a.get_ref()), format!("unknown agency «{}»", a.get_ref())));
                    }
                }
                sum = sum.saturating_add(spec.amount);
                lines.push(BudgetLine {
                    year: spec.year,
                    item: nfc(spec.item.as_deref().unwrap_or("Kinh phí thực hiện")),
                    agency: spec.agency.as_ref().map(|a| a.get_ref().clone()),
                    allocated: spec.amount,
                });
            }
            let total = b.total.as_ref().map(|t| (*t.get_ref(), t.span()));
            if let Some((total, span)) = total.clone().filter(|(t, _)| *t != sum) {
                errors.push(src.error(
                    span,
                    format!("tổng kinh phí {} đồng khác tổng các năm {} đồng", crate::money::format_vnd(total), crate::money::format_vnd(sum)),
                    format!("the total {total} đồng differs from the sum of the years, {sum} đồng"),
                ));
            }
            (total.map(|(t, _)| t), b.source.as_deref().map(nfc), lines)
        }
    };

    let default_level = plan_level.unwrap_or(Level::Province);
    let mut codes = HashSet::new();
    let mut targets = Vec::new();
    for t in &file.targets {
        let spec = t.get_ref();
        if !codes.insert(spec.code.clone()) {
            errors.push(src.error(t.span(), format!("mã chỉ tiêu «{}» lặp lại", spec.code), format!("duplicate target code «{}»", spec.code)));
        }
        let Some(id) = indicator::IndicatorId::from_code(spec.indicator.get_ref()) else {
            errors.push(src.error(
                spec.indicator.span(),
                format!("chỉ số «{}» không có trong danh mục (ghi \"reported\" cho chỉ tiêu do cơ quan báo cáo số liệu)", spec.indicator.get_ref()),
                format!("unknown indicator «{}» (write \"reported\" for a target whose value an agency reports)", spec.indicator.get_ref()),
            ));
            continue;
        };
        let kind = match (id.is_reported(), spec.measure, indicator::find(id.code())) {
            (true, Some(m), _) => m.kind(),
            (true, None, _) => {
                errors.push(src.error(
                    spec.indicator.span(),
                    "chỉ tiêu do cơ quan báo cáo cần «measure»: percent (tỷ lệ %), count (số lượng) hoặc growth (mức tăng %)",
                    "a reported target needs «measure»: percent, count or growth",
                ));
                continue;
            }
            (false, None, Some(ind)) => ind.kind,
            (false, Some(_), _) | (false, None, None) => {
                errors.push(src.error(
                    spec.indicator.span(),
                    "«measure» chỉ dùng cho chỉ tiêu do cơ quan báo cáo (indicator = \"reported\"); chỉ số tính từ hồ sơ đã có đơn vị đo",
                    "«measure» is only for reported targets; a computed indicator has its own",
                ));
                continue;
            }
        };
        if let Some(r) = &spec.reporter {
            if !id.is_reported() {
                errors.push(src.error(
                    r.span(),
                    "«reporter» chỉ dùng cho chỉ tiêu do cơ quan báo cáo: chỉ số tính từ hồ sơ không cần ai báo cáo",
                    "«reporter» is only for reported targets",
                ));
            } else if !dir.agency_known(r.get_ref()) {
                errors.push(src.error(r.span(), format!("không có cơ quan «{}»", r.get_ref()), format!("unknown agency «{}»", r.get_ref())));
            }
        }
        let (low, high) = match (spec.comparator, *spec.threshold.get_ref()) {
            (Comparator::Between, Threshold::Range([lo, hi])) if lo <= hi => (lo, Some(hi)),
            (Comparator::AtLeast | Comparator::AtMost, Threshold::Value(v)) => (v, None),
            _ => {
                errors.push(src.error(
                    spec.threshold.span(),
                    "ngưỡng không khớp phép so sánh: «between» cần [thấp, cao], các phép khác cần một số",
                    "threshold does not fit the comparator: «between» takes [low, high], the others one number",
                ));
                continue;
            }
        };
        let out_of_range = |v: f64| !(0.0..=100.0).contains(&v);
        if (kind.is_percentage() && (out_of_range(low) || high.is_some_and(out_of_range))) || (kind == super::IndicatorKind::Count && low < 0.0) {
            errors.push(src.error(spec.threshold.span(), "ngưỡng nằm ngoài khoảng cho phép của chỉ số", "threshold outside the indicator's range"));
        }
        let (tf, tt) = (spec.period_from.map_or(from, |d| d.0), spec.period_to.map_or(to, |d| d.0));
        if tf < from || tt > to || tf > tt {
            errors.push(src.error(t.span(), "thời gian của chỉ tiêu nằm ngoài thời gian của kế hoạch", "the target's period is outside the plan's"));
        }
        targets.push(Target {
            code: spec.code.clone(),
            group: nfc(&spec.group),
            clause: spec.clause.as_deref().map(nfc),
            text: nfc(spec.text.trim()),
            indicator: id,
            kind,
            comparator: spec.comparator,
            threshold_low: low,
            threshold_high: high,
            evaluation: spec.evaluation,
            scope_level: spec.scope_level.unwrap_or(default_level),
            period_from: tf,
            period_to: tt,
            reporter: spec.reporter.as_ref().filter(|_| id.is_reported()).map(|r| r.get_ref().clone()),
            plan_key: key.to_string(),
        });
    }

    let mut task_codes = HashSet::new();
    let mut tasks = Vec::new();
    for t in &file.tasks {
        let spec = t.get_ref();
        if !task_codes.insert(spec.code.clone()) {
            errors.push(src.error(t.span(), format!("mã nhiệm vụ «{}» lặp lại", spec.code), format!("duplicate task code «{}»", spec.code)));
        }
        for a in std::iter::once(&spec.lead).chain(spec.co.iter()) {
            if !dir.agency_known(a.get_ref()) {
                errors.push(src.error(a.span(), format!("không có cơ quan «{}»", a.get_ref()), format!("unknown agency «{}»", a.get_ref())));
            }
        }
        tasks.push(Task {
            code: spec.code.clone(),
            title: nfc(spec.title.trim()),
            text: nfc(spec.text.trim()),
            lead_agency: spec.lead.get_ref().clone(),
            co_agencies: spec.co.iter().map(|a| a.get_ref().clone()).collect(),
            due: spec.due.map(|d| d.0),
        });
    }

    let duties = super::duty::validate(&src, &file.duties, plan_level, dir, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Plan {
        key: key.to_string(),
        number: nfc(h.number.trim()),
        kind: h.kind,
        title: nfc(h.title.trim()),
        issuer: nfc(h.issuer.trim()),
        issued_on,
        unit_code: h.unit.as_ref().map(|u| u.get_ref().clone()),
        period_from: from,
        period_to: to,
        implements: h.implements.as_ref().map(|p| p.get_ref().clone()),
        note: h.note.as_deref().map(nfc),
        original_text: original_text.map(nfc),
        budget_total,
        budget_source,
        budget_lines,
        targets,
        tasks,
        duties,
    })
}

#[cfg(test)]
mod tests;
