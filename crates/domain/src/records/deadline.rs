//! Legal time limits (thời hạn giải quyết) for tips, denunciations, complaints and
//! reports of administrative violations, kept as dated data
//! (data/rules/deadlines.toml, with the days off of data/rules/holidays.toml):
//! a later amendment is a new dated entry, and a tip keeps the rule of its date.
//! How a tip's clock runs under its rule is in `clock`.

use super::TipCategory;
use crate::source::{FileDate, FileError, SourceFile};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::str::FromStr;

/// A duration as the law writes it: calendar days ("20d"), working days
/// ("7wd", ngày làm việc) or months ("2m").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Days(u32),
    WorkingDays(u32),
    Months(u32),
}

impl Duration {
    /// The last day of the period that starts the day after `date` (Civil Code
    /// art. 147: the first day is not counted), before any rest-day roll.
    pub fn after(self, date: NaiveDate, days_off: &DaysOff) -> Option<NaiveDate> {
        match self {
            Duration::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
            Duration::Months(m) => date.checked_add_months(Months::new(m)),
            Duration::WorkingDays(n) => {
                let mut day = date;
                let mut left = n;
                while left > 0 {
                    day = day.succ_opt()?;
                    if !days_off.is_rest_day(day) {
                        left -= 1;
                    }
                }
                Some(day)
            }
        }
    }

    pub fn as_text(self) -> String {
        match self {
            Duration::Days(d) => format!("{d}d"),
            Duration::WorkingDays(d) => format!("{d}wd"),
            Duration::Months(m) => format!("{m}m"),
        }
    }

    /// In words, Vietnamese first: "20 ngày", "7 ngày làm việc", "2 tháng".
    pub fn words(self) -> (String, String) {
        match self {
            Duration::Days(d) => (format!("{d} ngày"), format!("{d} days")),
            Duration::WorkingDays(d) => (format!("{d} ngày làm việc"), format!("{d} working days")),
            Duration::Months(m) => (format!("{m} tháng"), format!("{m} months")),
        }
    }
}

impl FromStr for Duration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || format!("thời hạn «{t}» phải viết như 20d, 7wd hoặc 2m (a duration is written 20d, 7wd or 2m)");
        let (n, unit) = match t.strip_suffix("wd") {
            Some(n) => (n, "wd"),
            None => t.split_at(t.len().saturating_sub(1)),
        };
        let n: u32 = n.parse().map_err(|_| bad())?;
        match unit {
            "d" => Ok(Duration::Days(n)),
            "wd" => Ok(Duration::WorkingDays(n)),
            "m" => Ok(Duration::Months(n)),
            _ => Err(bad()),
        }
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.as_text())
    }
}

/// The law a category of tip is settled under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleCategory {
    /// Tố giác, tin báo về tội phạm: Criminal Procedure Code 2015, art. 147–149.
    Crime,
    /// Tố cáo: Law on Denunciations 2018, art. 29–31, 34.
    Denunciation,
    /// Khiếu nại lần đầu: Law on Complaints 2011, art. 27–28.
    Complaint,
    /// Khiếu nại lần hai: Law on Complaints 2011, art. 36–37.
    SecondComplaint,
    /// Vi phạm hành chính: Law on Handling Administrative Violations, art. 58, 66.
    Administrative,
}

impl RuleCategory {
    pub const ALL: &'static [RuleCategory] =
        &[RuleCategory::Crime, RuleCategory::Denunciation, RuleCategory::Complaint, RuleCategory::SecondComplaint, RuleCategory::Administrative];

    pub fn of(category: TipCategory) -> Self {
        match category {
            TipCategory::Denunciation | TipCategory::CrimeReport => RuleCategory::Crime,
            TipCategory::Accusation => RuleCategory::Denunciation,
            TipCategory::Complaint => RuleCategory::Complaint,
            TipCategory::SecondComplaint => RuleCategory::SecondComplaint,
            TipCategory::AdminViolation => RuleCategory::Administrative,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleCategory::Crime => "crime",
            RuleCategory::Denunciation => "denunciation",
            RuleCategory::Complaint => "complaint",
            RuleCategory::SecondComplaint => "second_complaint",
            RuleCategory::Administrative => "administrative",
        }
    }

    /// What the law is about, Vietnamese first.
    pub fn words(self) -> (&'static str, &'static str) {
        match self {
            RuleCategory::Crime => ("Tố giác, tin báo về tội phạm", "Crime tips and reports"),
            RuleCategory::Denunciation => ("Tố cáo", "Denunciations"),
            RuleCategory::Complaint => ("Khiếu nại lần đầu", "First complaints"),
            RuleCategory::SecondComplaint => ("Khiếu nại lần hai", "Second complaints"),
            RuleCategory::Administrative => ("Vi phạm hành chính", "Administrative violations"),
        }
    }
}

/// The day a rule's clock starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountsFrom {
    /// Ngày nhận được tin.
    #[default]
    Receipt,
    /// Ngày thụ lý: the acceptance decision (complaints, denunciations).
    Acceptance,
    /// Ngày lập biên bản: the record of the violation (administrative).
    Record,
}

/// When a period ends on a rest day (Saturday, Sunday or a day off): whether
/// the next working day is its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RestDayRoll {
    /// Civil Code 2015 art. 148 k.5 (and the laws that count by it): every period.
    #[default]
    All,
    /// CPC 2015 art. 134: the rule is written in the sentence on months.
    Months,
    /// Never (working-day periods end on a working day anyway).
    None,
}

/// What suspension (tạm đình chỉ) does to the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resume {
    /// The suspended time is not counted: the days left run on from resumption.
    Remaining,
    /// A new period (CPC art. 149: at most 1 month from the resume decision).
    Fresh,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    pub code: String,
    pub category: RuleCategory,
    #[serde(default)]
    pub counts_from: CountsFrom,
    /// The time to accept (thụ lý) from receipt, when the clock counts from acceptance.
    #[serde(default)]
    pub acceptance: Option<Duration>,
    pub base: Duration,
    pub complex: Option<Duration>,
    /// Particularly complex (đặc biệt phức tạp), where the law has its own limit.
    #[serde(default)]
    pub very_complex: Option<Duration>,
    #[serde(default)]
    pub remote: Option<Duration>,
    #[serde(default)]
    pub remote_complex: Option<Duration>,
    /// How much one extension may add.
    #[serde(default)]
    pub extension: Option<Duration>,
    /// How many extensions: for a complex case, and for a particularly complex one.
    #[serde(default)]
    pub extensions_complex: u32,
    #[serde(default)]
    pub extensions_very_complex: u32,
    /// Whether a plain (not complex) case may be extended too.
    #[serde(default)]
    pub extension_plain: bool,
    /// What suspension does; None: the law allows none.
    #[serde(default)]
    pub suspension: Option<Resume>,
    /// The new period after resumption, for `Resume::Fresh`.
    #[serde(default)]
    pub resume_period: Option<Duration>,
    #[serde(default)]
    pub rest_day_roll: RestDayRoll,
    pub basis: String,
    /// Where the text was read (address), and its date.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_date: Option<FileDate>,
    /// What could not be checked against an official text.
    #[serde(default)]
    pub unverified: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub from: FileDate,
    pub to: Option<FileDate>,
}

/// Days off (ngày nghỉ lễ, Tết) on weekdays, and Saturdays worked instead (làm bù).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DaysOff {
    pub off: BTreeSet<NaiveDate>,
    pub worked: BTreeSet<NaiveDate>,
}

impl DaysOff {
    pub fn is_rest_day(&self, day: NaiveDate) -> bool {
        if self.worked.contains(&day) {
            return false;
        }
        matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || self.off.contains(&day)
    }

    /// The day itself, or the first working day after it.
    pub fn next_working_day(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        while self.is_rest_day(d) {
            match d.succ_opt() {
                Some(n) => d = n,
                None => return d,
            }
        }
        d
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidaysFile {
    #[serde(default)]
    pub days_off: Vec<Holiday>,
    #[serde(default)]
    pub working_saturdays: Vec<Holiday>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Holiday {
    pub day: FileDate,
    pub name: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_date: Option<FileDate>,
    #[serde(default)]
    pub unverified: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub rules: Vec<DeadlineRule>,
    #[serde(skip)]
    pub days_off: DaysOff,
}

impl RulesFile {
    /// The rules, with the days off of `holidays` (None: weekends only).
    pub fn parse(src: SourceFile<'_>, holidays: Option<SourceFile<'_>>) -> Result<Self, FileError> {
        let mut rules: RulesFile = src.parse_toml()?;
        if let Some(h) = holidays {
            let h: HolidaysFile = h.parse_toml()?;
            rules.days_off =
                DaysOff { off: h.days_off.iter().map(|d| d.day.0).collect(), worked: h.working_saturdays.iter().map(|d| d.day.0).collect() };
        }
        Ok(rules)
    }

    /// The rule for a tip of this category whose clock starts on this date.
    pub fn rule_for(&self, category: TipCategory, on: NaiveDate) -> Option<&DeadlineRule> {
        let c = RuleCategory::of(category);
        self.rules.iter().find(|r| r.category == c && r.from.0 <= on && r.to.is_none_or(|t| on <= t.0))
    }

    /// The deadline to settle a tip whose clock starts on `start` (receipt, or
    /// acceptance the same day), with no extension or suspension.
    pub fn settling_deadline(&self, category: TipCategory, start: NaiveDate, complex: bool, remote: bool) -> Option<NaiveDate> {
        let rule = self.rule_for(category, start)?;
        self.end_of(rule, rule.limit(complex, false, remote)?, start)
    }

    /// The last day of `d` counted from `start` under `rule`, rolled past a rest day where the rule says so.
    pub fn end_of(&self, rule: &DeadlineRule, d: Duration, start: NaiveDate) -> Option<NaiveDate> {
        let end = d.after(start, &self.days_off)?;
        let rolls = match (rule.rest_day_roll, d) {
            (RestDayRoll::All, _) | (RestDayRoll::Months, Duration::Months(_)) => true,
            (RestDayRoll::Months | RestDayRoll::None, _) => false,
        };
        Some(if rolls { self.days_off.next_working_day(end) } else { end })
    }
}

impl DeadlineRule {
    /// The limit for a case of this kind; None when the law has none for it.
    pub fn limit(&self, complex: bool, very_complex: bool, remote: bool) -> Option<Duration> {
        if very_complex {
            return self.very_complex.or_else(|| (self.extensions_very_complex > 0).then_some(self.complex.unwrap_or(self.base)));
        }
        Some(match (complex, remote) {
            (false, false) => self.base,
            (true, false) => self.complex.unwrap_or(self.base),
            (false, true) => self.remote.unwrap_or(self.base),
            (true, true) => self.remote_complex.or(self.remote).or(self.complex).unwrap_or(self.base),
        })
    }

    /// How many extensions the law allows for this kind of case.
    pub fn extensions_allowed(&self, complex: bool, very_complex: bool) -> u32 {
        if self.extension.is_none() {
            return 0;
        }
        if very_complex {
            self.extensions_very_complex.max(self.extensions_complex)
        } else if complex {
            self.extensions_complex
        } else if self.extension_plain {
            self.extensions_complex.max(1)
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_refuse() {
        assert_eq!("20d".parse::<Duration>(), Ok(Duration::Days(20)));
        assert_eq!("7wd".parse::<Duration>(), Ok(Duration::WorkingDays(7)));
        assert_eq!("2m".parse::<Duration>(), Ok(Duration::Months(2)));
        assert!("2w".parse::<Duration>().is_err());
        assert!("d".parse::<Duration>().is_err());
        assert!("wd".parse::<Duration>().is_err());
    }

    #[test]
    fn working_days_skip_weekends_and_days_off() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let mut off = DaysOff::default();
        // Thursday 27/11/2025 + 2 working days = Monday 01/12/2025 (Sat 29, Sun 30 skipped).
        assert_eq!(Duration::WorkingDays(2).after(d(2025, 11, 27), &off), Some(d(2025, 12, 1)));
        // With Friday 28/11 a day off, the second working day is Tuesday 02/12.
        off.off.insert(d(2025, 11, 28));
        assert_eq!(Duration::WorkingDays(2).after(d(2025, 11, 27), &off), Some(d(2025, 12, 2)));
        // A Saturday worked instead counts.
        off.worked.insert(d(2025, 11, 29));
        assert_eq!(Duration::WorkingDays(2).after(d(2025, 11, 27), &off), Some(d(2025, 12, 1)));
        assert_eq!(off.next_working_day(d(2025, 11, 30)), d(2025, 12, 1));
    }
}
