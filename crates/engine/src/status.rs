//! How a value compares with its threshold, given what the value covers.
//!
//! A target is judged over a *span*: one year for a yearly target ("hằng
//! năm"), the plan's whole period for a target reached "by 2025". The value is
//! counted over a *window* inside it (the asked period: a year, a half-year, a
//! quarter, or the plan from its start for a whole-period target).
//!
//! * **Final** — `met` or `not met` — only when the window covers the whole span
//!   and the span is over on the as-of date. A yearly target in a half-year
//!   report, or a whole-period target asked for its first year, is never final.
//! * **Provisional** — `on track` or `at risk`. A *cumulative* indicator (one that
//!   can only grow: communes covered, people reached, establishments inspected,
//!   staff trained) is on track once its value is at least the threshold times
//!   the share of the span the window has covered so far (a straight line from
//!   zero); a *rate* (tips on time, months with a publication, growth, persons
//!   served) is on track while it satisfies the threshold.
//! * A **band** ("tăng từ 3% - 5%") is satisfied from its lower bound; above the
//!   band it is still met, marked exceeded ("vượt").
//! * `no data` when there is nothing to compute from (the reason is given), and
//!   `not applicable` at a level the target was not set for.

use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::plan::Comparator;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    OnTrack,
    AtRisk,
    NotMet,
    NoData,
    /// The target is not set for this level (a provincial-press target at a commune).
    NotApplicable,
}

impl Status {
    pub const ALL: [Status; 6] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoData, Status::NotApplicable];

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Met => "đạt",
            Status::OnTrack => "đúng tiến độ",
            Status::AtRisk => "có nguy cơ không đạt",
            Status::NotMet => "không đạt",
            Status::NoData => "chưa có số liệu",
            Status::NotApplicable => "không áp dụng ở cấp này",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::NotMet => "not_met",
            Status::NoData => "no_data",
            Status::NotApplicable => "not_applicable",
        }
    }
}

/// Values are rounded to 0.01 first, so that 69.999… shown as 70,00 counts as 70.
fn rounded(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

pub fn satisfies(value: f64, comparator: Comparator, low: f64) -> bool {
    let v = rounded(value);
    match comparator {
        Comparator::AtLeast | Comparator::Between => v >= low,
        Comparator::AtMost => v <= low,
    }
}

/// Above a band's upper bound ("vượt").
pub fn exceeds(value: f64, comparator: Comparator, high: Option<f64>) -> bool {
    comparator == Comparator::Between && high.is_some_and(|h| rounded(value) > h)
}

/// Whether a value counted over `window` is final for a target judged over `span`.
pub fn is_final(window: &Period, span: &Period, as_of: NaiveDate) -> bool {
    window.from <= span.from && window.to >= span.to && as_of >= span.to
}

/// The share of the span the window has covered by `as_of`, from 0 to 1.
pub fn covered(window: &Period, span: &Period, as_of: NaiveDate) -> f64 {
    let end = window.to.min(as_of).min(span.to);
    let start = window.from.max(span.from);
    if end < start || span.days() <= 0 {
        return 0.0;
    }
    (((end - start).num_days() + 1) as f64 / span.days() as f64).min(1.0)
}

/// The status of `value` for a target with `comparator` and `low` over `span`,
/// counted over `window` up to `as_of`.
pub fn decide(value: f64, comparator: Comparator, low: f64, window: &Period, span: &Period, as_of: NaiveDate, cumulative: bool) -> Status {
    let ok = satisfies(value, comparator, low);
    if is_final(window, span, as_of) {
        return if ok { Status::Met } else { Status::NotMet };
    }
    let share = covered(window, span, as_of);
    match (ok, cumulative, comparator) {
        (true, _, _) => Status::OnTrack,
        (false, true, Comparator::AtLeast | Comparator::Between) if rounded(value) >= low * share => Status::OnTrack,
        (false, _, _) => Status::AtRisk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Comparator::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn p(a: NaiveDate, b: NaiveDate) -> Period {
        Period::new("", a, b)
    }

    #[test]
    fn a_whole_window_after_its_span_is_final() {
        let y = p(d(2024, 1, 1), d(2024, 12, 31));
        let after = d(2025, 3, 1);
        assert_eq!(decide(70.0, AtLeast, 70.0, &y, &y, after, true), Status::Met);
        assert_eq!(decide(69.99, AtLeast, 70.0, &y, &y, after, true), Status::NotMet);
        assert_eq!(decide(69.996, AtLeast, 70.0, &y, &y, after, true), Status::Met, "rounds to 70,00");
        assert_eq!(decide(4.0, Between, 3.0, &y, &y, after, false), Status::Met);
        // Above a band: met, and exceeded.
        assert_eq!(decide(25.0, Between, 3.0, &y, &y, after, false), Status::Met);
        assert!(exceeds(25.0, Between, Some(5.0)) && !exceeds(5.0, Between, Some(5.0)));
        assert_eq!(decide(2.0, Between, 3.0, &y, &y, after, false), Status::NotMet);
    }

    #[test]
    fn a_half_year_of_a_yearly_target_is_never_final() {
        // 2024-H1 under Decree 09 inside the reporting year 2024: 183 of 366 days.
        let year = p(d(2023, 12, 15), d(2024, 12, 14));
        let h1 = p(d(2023, 12, 15), d(2024, 6, 14));
        let later = d(2026, 1, 1);
        assert_eq!(decide(100.0, AtLeast, 100.0, &h1, &year, later, true), Status::OnTrack);
        assert_eq!(decide(40.0, AtLeast, 70.0, &h1, &year, later, true), Status::OnTrack, "40 ≥ 70 × 183/366 = 35");
        assert_eq!(decide(30.0, AtLeast, 70.0, &h1, &year, later, true), Status::AtRisk);
        // A rate is judged as it stands.
        assert_eq!(decide(90.0, AtLeast, 100.0, &h1, &year, later, false), Status::AtRisk);
    }

    #[test]
    fn a_whole_period_target_asked_for_its_first_year() {
        // "đến năm 2025": 2024 alone covers 366 of 731 days of 2024–2025.
        let plan = p(d(2024, 1, 1), d(2025, 12, 31));
        let y2024 = p(d(2024, 1, 1), d(2024, 12, 31));
        assert_eq!(decide(83.0, AtLeast, 100.0, &y2024, &plan, d(2026, 6, 1), true), Status::OnTrack);
        assert_eq!(decide(40.0, AtLeast, 100.0, &y2024, &plan, d(2026, 6, 1), true), Status::AtRisk);
        assert_eq!(decide(100.0, AtLeast, 100.0, &y2024, &plan, d(2026, 6, 1), true), Status::OnTrack, "reached early: on track, not final");
        // The whole plan once it is over: final.
        assert_eq!(decide(83.0, AtLeast, 100.0, &plan, &plan, d(2026, 1, 1), true), Status::NotMet);
        // The whole plan before its end (as of 30/06/2025): not final.
        assert_eq!(decide(83.0, AtLeast, 100.0, &plan, &plan, d(2025, 6, 30), true), Status::OnTrack);
    }
}
