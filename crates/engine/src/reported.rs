//! Targets no indicator computes (chỉ tiêu do cơ quan báo cáo): the figure is
//! the value the responsible agency reported, with its evidence.
//!
//! For a window, the value taken is the one reported for the latest period
//! that ends within the window and starts within the target's span (a Decree
//! 09 period may start on 15/12 of the year before) and is known by the
//! as-of day (its period over by then, or reported by then: a value entered
//! later for a past period counts, as a record entered late does); of several
//! for that period, the last entered. It is judged like a
//! computed value over the days it covers: a count as a cumulative figure
//! (on track along a straight line), a percentage or a growth as a rate; it is
//! final once its period reaches the span's end (a Decree 09 year, ending on
//! 14/12, closes a calendar year) and the span is over.

use crate::source::FactSource;
use crate::{status, Evaluation, Status};
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::period::Period;
use pcmd_domain::plan::{IndicatorKind, Target};
use pcmd_domain::units::Unit;
use pcmd_store::StoreError;
use serde::Serialize;

/// Days between a Decree 09 cut-off (14/12, or 15/12 for a start) and the calendar's.
const DECREE_09_SHIFT: i64 = 17;

/// Who reported the value, for what period, on what evidence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reported {
    pub value_id: i64,
    pub period: Period,
    pub agency: Option<String>,
    pub entered_by: String,
    pub entered_on: Option<NaiveDate>,
    pub evidence: String,
    pub has_file: bool,
}

pub(crate) async fn fill<S: FactSource>(
    source: &S,
    target: &Target,
    scope: &Unit,
    window: &Period,
    span: &Period,
    as_of: NaiveDate,
    e: &mut Evaluation,
) -> Result<(), StoreError> {
    let values = source.reported_values(&target.plan_key, &target.code, scope.id).await?;
    let earliest = span.from - chrono::Duration::days(DECREE_09_SHIFT);
    let chosen = values
        .iter()
        .filter(|v| v.period.to <= window.to && v.period.to >= span.from && v.period.from >= earliest)
        // Known by the as-of day: its period was over by then, or it had been reported by then.
        .filter(|v| v.period.to <= as_of || v.entered_on().is_some_and(|d| d <= as_of))
        .max_by_key(|v| (v.period.to, v.id));
    let Some(v) = chosen else {
        e.note = Some(
            "chưa có số liệu báo cáo cho kỳ này; chỉ tiêu này do cơ quan báo cáo số liệu, không do hệ thống tính từ hồ sơ \
             (no value reported for this period; this target's value is reported, not computed)"
                .into(),
        );
        return Ok(());
    };
    let who = v.agency.clone().unwrap_or_else(|| v.entered_by.clone());
    e.note = Some(format!(
        "số liệu do {who} báo cáo cho kỳ {} – {}, không do hệ thống tính từ hồ sơ; căn cứ: {} (reported for {} – {}, not computed)",
        format_vn(v.period.from),
        format_vn(v.period.to),
        v.evidence,
        v.period.from,
        v.period.to
    ));
    e.value = Some(v.value);
    e.reported = Some(Reported {
        value_id: v.id,
        period: v.period.clone(),
        agency: v.agency.clone(),
        entered_by: v.entered_by.clone(),
        entered_on: v.entered_on(),
        evidence: v.evidence.clone(),
        has_file: v.file_name.is_some(),
    });
    // Judged over the days the value covers, within the window.
    let covered = Period::new(window.label.clone(), window.from, v.period.to);
    let reaches_end = v.period.to + chrono::Duration::days(DECREE_09_SHIFT) >= span.to;
    let cumulative = target.kind == IndicatorKind::Count;
    e.is_final = reaches_end && status::is_final(window, span, as_of);
    e.exceeded = status::exceeds(v.value, target.comparator, target.threshold_high);
    let overdue = !reaches_end && status::is_final(window, span, as_of);
    e.status = if overdue {
        // The span is over but no value reaches its end: the final figure is owed.
        e.note = e.note.take().map(|n| {
            format!("{n} — kỳ đánh giá đã hết mà chưa có số liệu báo cáo đến cuối kỳ (the span is over and no value reported reaches its end)")
        });
        Status::AtRisk
    } else if e.is_final {
        if status::satisfies(v.value, target.comparator, target.threshold_low) {
            Status::Met
        } else {
            Status::NotMet
        }
    } else {
        // Not final: provisional over what the value covers, never met or not met for good.
        match status::decide(v.value, target.comparator, target.threshold_low, &covered, span, as_of.min(v.period.to), cumulative) {
            Status::Met => Status::OnTrack,
            Status::NotMet => Status::AtRisk,
            s => s,
        }
    };
    Ok(())
}
