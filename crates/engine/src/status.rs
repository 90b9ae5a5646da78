//! How a value compares with its threshold, given how much of the period is gone.
//!
//! * A period that has ended: `met` if the value satisfies the threshold, else `not met`.
//! * A period in progress, for a *cumulative* indicator (one that can only grow
//!   within the period: communes covered, people reached, establishments
//!   inspected, staff trained, districts with a plan or a model): `met` once the
//!   threshold is reached; `on track` if the value is at least the threshold
//!   times the share of the period gone by (a straight line from zero); else `at risk`.
//! * A period in progress, for a *rate* (tips on time, months with a
//!   publication, growth, persons served): `on track` while it satisfies the
//!   threshold, `at risk` while it does not.
//! * `no data` when there is nothing to compute from (no denominator, no
//!   reference figure, a level that does not exist): the reason is given.

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
}

impl Status {
    pub const ALL: [Status; 5] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::NotMet, Status::NoData];

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::Met => "đạt",
            Status::OnTrack => "đúng tiến độ",
            Status::AtRisk => "có nguy cơ không đạt",
            Status::NotMet => "không đạt",
            Status::NoData => "chưa có số liệu",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::NotMet => "not_met",
            Status::NoData => "no_data",
        }
    }
}

pub fn satisfies(value: f64, comparator: Comparator, low: f64, high: Option<f64>) -> bool {
    // Values are rounded to 0.01 first, so that 69.999… shown as 70,00 counts as 70.
    let v = (value * 100.0).round() / 100.0;
    match comparator {
        Comparator::AtLeast => v >= low,
        Comparator::AtMost => v <= low,
        Comparator::Between => v >= low && high.is_none_or(|h| v <= h),
    }
}

pub fn decide(value: f64, comparator: Comparator, low: f64, high: Option<f64>, elapsed: f64, cumulative: bool) -> Status {
    let ok = satisfies(value, comparator, low, high);
    if elapsed >= 1.0 {
        return if ok { Status::Met } else { Status::NotMet };
    }
    match (ok, cumulative, comparator) {
        (true, true, Comparator::AtLeast) => Status::Met,
        (true, _, _) => Status::OnTrack,
        (false, true, Comparator::AtLeast | Comparator::Between) if value >= low * elapsed => Status::OnTrack,
        (false, true, Comparator::AtMost) => Status::NotMet,
        (false, _, _) => Status::AtRisk,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Comparator::*;

    #[test]
    fn ended_periods_are_met_or_not() {
        assert_eq!(decide(70.0, AtLeast, 70.0, None, 1.0, true), Status::Met);
        assert_eq!(decide(69.99, AtLeast, 70.0, None, 1.0, true), Status::NotMet);
        assert_eq!(decide(69.996, AtLeast, 70.0, None, 1.0, true), Status::Met, "rounds to 70,00");
        assert_eq!(decide(4.0, Between, 3.0, Some(5.0), 1.0, false), Status::Met);
        assert_eq!(decide(6.0, Between, 3.0, Some(5.0), 1.0, false), Status::NotMet);
    }

    #[test]
    fn periods_in_progress() {
        // Half the year gone: 40 % of communes covered against 70 % → 35 % expected → on track.
        assert_eq!(decide(40.0, AtLeast, 70.0, None, 0.5, true), Status::OnTrack);
        assert_eq!(decide(30.0, AtLeast, 70.0, None, 0.5, true), Status::AtRisk);
        assert_eq!(decide(75.0, AtLeast, 70.0, None, 0.5, true), Status::Met);
        // A rate is judged as it stands.
        assert_eq!(decide(100.0, AtLeast, 100.0, None, 0.5, false), Status::OnTrack);
        assert_eq!(decide(90.0, AtLeast, 100.0, None, 0.5, false), Status::AtRisk);
    }
}
