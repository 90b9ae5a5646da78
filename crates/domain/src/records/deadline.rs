//! Legal time limits (thời hạn giải quyết) for tips and complaints, as data
//! (data/rules/deadlines.toml), and the deadline they give a tip.

use super::TipCategory;
use crate::source::{FileDate, FileError, SourceFile};
use chrono::{Days, Months, NaiveDate};
use serde::Deserialize;
use std::str::FromStr;

/// A duration as the law writes it: days or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Days(u32),
    Months(u32),
}

impl Duration {
    pub fn after(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Duration::Days(d) => date.checked_add_days(Days::new(u64::from(d))),
            Duration::Months(m) => date.checked_add_months(Months::new(m)),
        }
    }

    pub fn as_text(self) -> String {
        match self {
            Duration::Days(d) => format!("{d}d"),
            Duration::Months(m) => format!("{m}m"),
        }
    }
}

impl FromStr for Duration {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let bad = || format!("thời hạn «{t}» phải viết như 20d hoặc 2m (a duration is written 20d or 2m)");
        let (n, unit) = t.split_at(t.len().saturating_sub(1));
        let n: u32 = n.parse().map_err(|_| bad())?;
        match unit {
            "d" => Ok(Duration::Days(n)),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleCategory {
    Crime,
    Complaint,
    SecondComplaint,
}

impl RuleCategory {
    pub fn of(category: TipCategory) -> Self {
        match category {
            TipCategory::Denunciation | TipCategory::CrimeReport => RuleCategory::Crime,
            TipCategory::Complaint => RuleCategory::Complaint,
            TipCategory::SecondComplaint => RuleCategory::SecondComplaint,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            RuleCategory::Crime => "crime",
            RuleCategory::Complaint => "complaint",
            RuleCategory::SecondComplaint => "second_complaint",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    pub code: String,
    pub category: RuleCategory,
    pub base: Duration,
    pub complex: Duration,
    pub remote: Option<Duration>,
    pub remote_complex: Option<Duration>,
    /// How much one extension may add (crime tips only).
    pub extension: Option<Duration>,
    pub basis: String,
    pub from: FileDate,
    pub to: Option<FileDate>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub rules: Vec<DeadlineRule>,
}

impl RulesFile {
    pub fn parse(src: SourceFile<'_>) -> Result<Self, FileError> {
        src.parse_toml()
    }

    /// The rule for a tip of this category received on this date.
    pub fn rule_for(&self, category: TipCategory, received_on: NaiveDate) -> Option<&DeadlineRule> {
        let c = RuleCategory::of(category);
        self.rules.iter().find(|r| r.category == c && r.from.0 <= received_on && r.to.is_none_or(|t| received_on <= t.0))
    }
}

impl DeadlineRule {
    /// The legal deadline of a tip received on `received_on`.
    pub fn deadline(&self, received_on: NaiveDate, complex: bool, remote: bool) -> Option<NaiveDate> {
        let d = match (complex, remote) {
            (false, false) => self.base,
            (true, false) => self.complex,
            (false, true) => self.remote.unwrap_or(self.base),
            (true, true) => self.remote_complex.or(self.remote).unwrap_or(self.complex),
        };
        d.after(received_on)
    }

    /// The latest date one extension may reach from `deadline`; None if the law allows none.
    pub fn latest_extension(&self, deadline: NaiveDate) -> Option<NaiveDate> {
        self.extension.and_then(|e| e.after(deadline))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RulesFile {
        let text = include_str!("../../../../data/rules/deadlines.toml");
        RulesFile::parse(SourceFile { name: "deadlines.toml", text }).unwrap()
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_laws_time_limits() {
        let r = rules();
        let crime = r.rule_for(TipCategory::Denunciation, d(2024, 3, 1)).unwrap();
        // CPC 2015 art. 147: 20 days; 2 months when complex; one extension of up to 2 months.
        assert_eq!(crime.deadline(d(2024, 3, 1), false, false), Some(d(2024, 3, 21)));
        assert_eq!(crime.deadline(d(2024, 3, 1), true, false), Some(d(2024, 5, 1)));
        assert_eq!(crime.latest_extension(d(2024, 5, 1)), Some(d(2024, 7, 1)));
        // Law on Complaints art. 28: 30 days, 45 complex; remote 45 and 60.
        let c = r.rule_for(TipCategory::Complaint, d(2024, 1, 10)).unwrap();
        assert_eq!(c.deadline(d(2024, 1, 10), false, false), Some(d(2024, 2, 9)));
        assert_eq!(c.deadline(d(2024, 1, 10), true, false), Some(d(2024, 2, 24)));
        assert_eq!(c.deadline(d(2024, 1, 10), false, true), Some(d(2024, 2, 24)));
        assert_eq!(c.deadline(d(2024, 1, 10), true, true), Some(d(2024, 3, 10)));
        assert_eq!(c.latest_extension(d(2024, 2, 9)), None);
        // Art. 37, second complaints: 45/60, remote 60/70.
        let s = r.rule_for(TipCategory::SecondComplaint, d(2024, 1, 1)).unwrap();
        assert_eq!(s.deadline(d(2024, 1, 1), true, true), Some(d(2024, 3, 11)));
        assert!(r.rule_for(TipCategory::Complaint, d(2010, 1, 1)).is_none(), "before the law");
    }

    #[test]
    fn durations_read_and_refuse() {
        assert_eq!("20d".parse::<Duration>(), Ok(Duration::Days(20)));
        assert_eq!("2m".parse::<Duration>(), Ok(Duration::Months(2)));
        assert!("2w".parse::<Duration>().is_err());
        assert!("d".parse::<Duration>().is_err());
    }
}
