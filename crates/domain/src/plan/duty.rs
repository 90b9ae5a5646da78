//! Reporting duties (chế độ báo cáo) of a plan as data: "Định kỳ 06 tháng, 01
//! năm báo cáo UBND tỉnh (qua Sở Lao động - Thương binh và Xã hội để tổng hợp)"
//! becomes a six-monthly and a yearly report, cut off as Decree 09/2019/NĐ-CP
//! says (15/12 – 14/06, 15/12 – 14/12), due some days after the cut-off, from
//! the units of a level and/or the agencies the plan gives tasks, to a
//! recipient through an agency.

use crate::period::{Cutoff, Period};
use crate::units::Level;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How often a report is due. "Định kỳ 06 tháng, 01 năm" is two of them: the
/// six-month report (6 tháng đầu năm) and the year report (năm).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// Each quarter (calendar quarters).
    Quarterly,
    /// The first six months (6 tháng đầu năm): `Y-H1`.
    SixMonthly,
    /// The year (năm): `Y-Y`.
    Yearly,
}

impl Frequency {
    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Quarterly => "quarterly",
            Frequency::SixMonthly => "six_monthly",
            Frequency::Yearly => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Frequency> {
        [Frequency::Quarterly, Frequency::SixMonthly, Frequency::Yearly].into_iter().find(|f| f.as_str() == s)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Frequency::Quarterly => "quý",
            Frequency::SixMonthly => "6 tháng",
            Frequency::Yearly => "năm",
        }
    }
}

/// Who reports under a duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reporters {
    /// The units of `unit_level` within the plan's unit (Chủ tịch UBND các huyện).
    Units,
    /// The agencies the plan gives a task, as lead or with the lead (các sở, ban, ngành).
    Agencies,
    UnitsAndAgencies,
}

impl Reporters {
    pub fn as_str(self) -> &'static str {
        match self {
            Reporters::Units => "units",
            Reporters::Agencies => "agencies",
            Reporters::UnitsAndAgencies => "units_and_agencies",
        }
    }

    pub fn parse(s: &str) -> Option<Reporters> {
        [Reporters::Units, Reporters::Agencies, Reporters::UnitsAndAgencies].into_iter().find(|r| r.as_str() == s)
    }

    pub fn units(self) -> bool {
        matches!(self, Reporters::Units | Reporters::UnitsAndAgencies)
    }

    pub fn agencies(self) -> bool {
        matches!(self, Reporters::Agencies | Reporters::UnitsAndAgencies)
    }
}

/// A duty as a plan file writes it (`[[duties]]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutySpec {
    pub code: String,
    /// The sentence of the plan, verbatim.
    pub text: String,
    pub frequency: Vec<Frequency>,
    /// `decree09` (the default) or `calendar`.
    pub cutoff: Option<String>,
    /// Days after the cut-off by which the report is due.
    pub due_days: u32,
    /// Where the due day comes from: the plan's words, or the province's rule when the plan is silent.
    pub due_basis: String,
    pub reporters: Reporters,
    /// The level of the units that report (for `units`): district, commune…
    pub unit_level: Option<Level>,
    /// To whom ("Ủy ban nhân dân tỉnh").
    pub recipient: String,
    /// Through which agency (its code): "qua Sở Lao động - Thương binh và Xã hội".
    pub through: Option<toml::Spanned<String>>,
}

/// A validated reporting duty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Duty {
    pub code: String,
    pub text: String,
    pub frequency: Vec<Frequency>,
    pub calendar: bool,
    pub due_days: u32,
    pub due_basis: String,
    pub reporters: Reporters,
    pub unit_level: Option<Level>,
    pub recipient: String,
    pub through: Option<String>,
}

/// One report a duty asks for: its period and the day it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueReport {
    pub frequency: Frequency,
    pub period: Period,
    pub due: NaiveDate,
}

impl Duty {
    pub fn cutoff(&self) -> Cutoff {
        if self.calendar {
            Cutoff::Calendar
        } else {
            Cutoff::Decree09
        }
    }

    /// Every report the duty asks for while the plan runs (`from`..=`to`),
    /// in the order they fall due: a report is asked for when its period
    /// ends within the plan's.
    pub fn reports(&self, from: NaiveDate, to: NaiveDate) -> Vec<DueReport> {
        let mut out = Vec::new();
        for year in from.year()..=to.year() {
            for &f in &self.frequency {
                let labels: Vec<String> = match f {
                    Frequency::Quarterly => (1..=4).map(|q| format!("{year}-Q{q}")).collect(),
                    Frequency::SixMonthly => vec![format!("{year}-H1")],
                    Frequency::Yearly => vec![format!("{year}-Y")],
                };
                for label in labels {
                    let Ok(period) = Period::parse(&label, self.cutoff()) else { continue };
                    // A Decree 09 year ends on 14/12: it is the plan's last year when the plan ends on 31/12.
                    if period.to < from || period.to > to {
                        continue;
                    }
                    let due = period.to + chrono::Duration::days(i64::from(self.due_days));
                    out.push(DueReport { frequency: f, period, due });
                }
            }
        }
        out.sort_by_key(|r| (r.due, r.period.from));
        out
    }
}

/// Where one reporter's report stands against its due day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "standing", content = "days")]
pub enum Standing {
    /// Submitted (or accepted) by the due day.
    OnTime,
    /// Submitted this many days after the due day.
    Late(i64),
    /// Not submitted, and the due day passed this many days ago.
    Overdue(i64),
    /// Not submitted, not yet due.
    NotDue,
}

impl Standing {
    /// `submitted_on`: the day it was submitted, if it stands submitted or
    /// accepted (a returned report is not received: it is owed again).
    pub fn of(due: NaiveDate, submitted_on: Option<NaiveDate>, today: NaiveDate) -> Standing {
        match submitted_on {
            Some(d) if d <= due => Standing::OnTime,
            Some(d) => Standing::Late((d - due).num_days()),
            None if today > due => Standing::Overdue((today - due).num_days()),
            None => Standing::NotDue,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Standing::OnTime => "on_time",
            Standing::Late(_) => "late",
            Standing::Overdue(_) => "overdue",
            Standing::NotDue => "not_due",
        }
    }

    pub fn label_vi(self) -> String {
        match self {
            Standing::OnTime => "gửi đúng hạn".into(),
            Standing::Late(n) => format!("gửi trễ {n} ngày"),
            Standing::Overdue(n) => format!("quá hạn {n} ngày, chưa gửi"),
            Standing::NotDue => "chưa đến hạn".into(),
        }
    }

    pub fn label_en(self) -> String {
        match self {
            Standing::OnTime => "sent on time".into(),
            Standing::Late(n) => format!("sent {n} days late"),
            Standing::Overdue(n) => format!("{n} days overdue, not sent"),
            Standing::NotDue => "not yet due".into(),
        }
    }
}

/// Checks a plan file's duties, pushing every fault to `errors`.
pub(super) fn validate(
    src: &crate::source::SourceFile<'_>,
    specs: &[toml::Spanned<DutySpec>],
    plan_level: Option<Level>,
    dir: &dyn super::Directory,
    errors: &mut Vec<crate::source::FileError>,
) -> Vec<Duty> {
    use unicode_normalization::UnicodeNormalization;
    let nfc = |s: &str| -> String { s.trim().nfc().collect() };
    let mut codes = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in specs {
        let spec = d.get_ref();
        let mut fault = |vi: String, en: String| errors.push(src.error(d.span(), vi, en));
        if !codes.insert(spec.code.clone()) {
            fault(format!("mã chế độ báo cáo «{}» lặp lại", spec.code), format!("duplicate duty code «{}»", spec.code));
        }
        if spec.frequency.is_empty() {
            fault("chế độ báo cáo cần ít nhất một kỳ (quarterly, six_monthly, yearly)".into(), "a duty needs at least one frequency".into());
        }
        let calendar = match spec.cutoff.as_deref() {
            None | Some("decree09") => false,
            Some("calendar") => true,
            Some(other) => {
                fault(format!("mốc chốt số liệu «{other}» không hợp lệ: decree09 hoặc calendar"), format!("cut-off «{other}»: decree09 or calendar"));
                false
            }
        };
        if spec.due_days > 60 {
            fault("hạn gửi quá 60 ngày sau ngày chốt số liệu".into(), "a report due more than 60 days after its cut-off".into());
        }
        if spec.due_basis.trim().is_empty() || spec.recipient.trim().is_empty() {
            fault("cần ghi nơi nhận báo cáo và căn cứ của hạn gửi".into(), "the recipient and the basis of the due day are needed".into());
        }
        match (spec.reporters.units(), spec.unit_level) {
            (true, None) => fault("cần cấp của đơn vị báo cáo (unit_level)".into(), "the reporting units' level (unit_level) is needed".into()),
            (true, Some(l)) if plan_level.is_some_and(|p| l < p) => {
                fault("đơn vị báo cáo phải thuộc cấp dưới của đơn vị ban hành".into(), "reporting units must be below the plan's unit".into())
            }
            _ => {}
        }
        if let Some(t) = &spec.through {
            if !dir.agency_known(t.get_ref()) {
                errors.push(src.error(t.span(), format!("không có cơ quan «{}»", t.get_ref()), format!("unknown agency «{}»", t.get_ref())));
            }
        }
        let mut frequency = spec.frequency.clone();
        frequency.sort_by_key(|f| f.as_str());
        frequency.dedup();
        out.push(Duty {
            code: spec.code.clone(),
            text: nfc(&spec.text),
            frequency,
            calendar,
            due_days: spec.due_days,
            due_basis: nfc(&spec.due_basis),
            reporters: spec.reporters,
            unit_level: spec.unit_level.filter(|_| spec.reporters.units()),
            recipient: nfc(&spec.recipient),
            through: spec.through.as_ref().map(|t| t.get_ref().clone()),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn six_monthly_and_yearly_under_decree_09() {
        // Sóc Trăng 117/NQ-HĐND, 2024–2025: "định kỳ 6 tháng, năm", due 5 days after the cut-off.
        let duty = Duty {
            code: "r1".into(),
            text: String::new(),
            frequency: vec![Frequency::SixMonthly, Frequency::Yearly],
            calendar: false,
            due_days: 5,
            due_basis: String::new(),
            reporters: Reporters::UnitsAndAgencies,
            unit_level: Some(Level::District),
            recipient: "UBND tỉnh".into(),
            through: None,
        };
        let r = duty.reports(d(2024, 1, 1), d(2025, 12, 31));
        let got: Vec<(&str, NaiveDate, NaiveDate, NaiveDate)> =
            r.iter().map(|r| (r.period.label.as_str(), r.period.from, r.period.to, r.due)).collect();
        // 2024-H1: 15/12/2023–14/06/2024, due 14/06 + 5 = 19/06; 2024-Y: 15/12/2023–14/12/2024, due 19/12; the same in 2025.
        assert_eq!(
            got,
            vec![
                ("2024-H1", d(2023, 12, 15), d(2024, 6, 14), d(2024, 6, 19)),
                ("2024-Y", d(2023, 12, 15), d(2024, 12, 14), d(2024, 12, 19)),
                ("2025-H1", d(2024, 12, 15), d(2025, 6, 14), d(2025, 6, 19)),
                ("2025-Y", d(2024, 12, 15), d(2025, 12, 14), d(2025, 12, 19)),
            ]
        );
        // Calendar quarters of a plan starting in July: Q3 and Q4 only; Q4 ends 31/12 and is due 31/12 + 10 = 10/01.
        let q = Duty { frequency: vec![Frequency::Quarterly], calendar: true, due_days: 10, ..duty };
        let r = q.reports(d(2022, 7, 1), d(2022, 12, 31));
        let got: Vec<(&str, NaiveDate)> = r.iter().map(|r| (r.period.label.as_str(), r.due)).collect();
        assert_eq!(got, vec![("2022-Q3", d(2022, 10, 10)), ("2022-Q4", d(2023, 1, 10))]);
    }

    #[test]
    fn standing_against_the_due_day() {
        let due = d(2024, 6, 19);
        assert_eq!(Standing::of(due, Some(d(2024, 6, 19)), d(2024, 7, 1)), Standing::OnTime);
        // Sent 21/06: two days after 19/06.
        assert_eq!(Standing::of(due, Some(d(2024, 6, 21)), d(2024, 7, 1)), Standing::Late(2));
        // Not sent by 01/07: 12 days overdue (19/06 → 01/07).
        assert_eq!(Standing::of(due, None, d(2024, 7, 1)), Standing::Overdue(12));
        assert_eq!(Standing::of(due, None, d(2024, 6, 19)), Standing::NotDue);
    }
}
