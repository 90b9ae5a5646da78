//! Personal data as the Law on Personal Data Protection asks (Law
//! 91/2025/QH15): for each kind of personal data pcmd holds, why it is
//! processed, on which legal basis, who may see it and how long it is kept —
//! as data (`data/privacy/processing.toml`), so that the retention sweep, the
//! pages and the impact assessment all read one statement.

use crate::source::{FileError, SourceFile};
use chrono::NaiveDate;
use serde::Deserialize;

/// A legal text the statement rests on.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LegalSource {
    pub code: String,
    pub title: String,
    pub issued_on: NaiveDate,
    pub in_force: NaiveDate,
    /// Where it was read, and when.
    pub url: String,
    pub checked_on: NaiveDate,
}

/// Where a kind's retention runs from.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RetentionFrom {
    /// The day the case or tip was closed.
    Closed,
    /// The day the entry was made.
    Entered,
    /// The day the account was disabled.
    AccountDisabled,
}

/// A kind of personal data (loại dữ liệu cá nhân) and how it is processed.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataKind {
    pub key: String,
    pub name_vi: String,
    pub name_en: String,
    /// The fields it covers, as stored.
    pub fields: String,
    /// Sensitive personal data (dữ liệu cá nhân nhạy cảm).
    pub sensitive: bool,
    pub purpose: String,
    /// The legal basis (căn cứ xử lý) and where the law says so.
    pub basis: String,
    pub basis_ref: String,
    /// The roles that may see it in clear.
    pub roles: Vec<String>,
    /// Kept this many years after `retention_from`, then anonymised; none: kept while the record is.
    pub retention_years: Option<u32>,
    pub retention_from: RetentionFrom,
    /// Why that period.
    pub retention_ref: String,
    /// How it is protected.
    pub safeguards: String,
}

/// The whole statement: the legal sources and the kinds of data.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProcessingFile {
    /// The coordinator is warned this many days before anything is anonymised.
    pub warn_days: u32,
    /// The breach-notification time limit in hours, and where the law sets it.
    pub breach_hours: u32,
    pub breach_ref: String,
    pub sources: Vec<LegalSource>,
    pub kinds: Vec<DataKind>,
}

impl ProcessingFile {
    pub fn parse(src: SourceFile<'_>) -> Result<Self, FileError> {
        let file: ProcessingFile = src.parse_toml()?;
        for key in [SUPPORT_IDENTITY, TIP_CONTENT] {
            if file.kind(key).is_none() {
                return Err(FileError {
                    file: src.name.to_string(),
                    line: 1,
                    vi: format!("thiếu loại dữ liệu «{key}»"),
                    en: format!("the data kind «{key}» is missing"),
                });
            }
        }
        Ok(file)
    }

    pub fn kind(&self, key: &str) -> Option<&DataKind> {
        self.kinds.iter().find(|k| k.key == key)
    }
}

/// The support case's identity: name, birth date, ID number, address, phone.
pub const SUPPORT_IDENTITY: &str = "support_identity";
/// A tip's content as told.
pub const TIP_CONTENT: &str = "tip_content";

impl DataKind {
    /// The last day the data is kept for a record closed (or entered) on `from`; None: no end.
    pub fn kept_until(&self, from: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        let years = i32::try_from(self.retention_years?).ok()?;
        let y = from.year() + years;
        // 29 February moves to 28 February in a common year.
        from.with_year(y).or_else(|| NaiveDate::from_ymd_opt(y, from.month(), 28))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> ProcessingFile {
        let text = include_str!("../../../../data/privacy/processing.toml");
        ProcessingFile::parse(SourceFile { name: "processing.toml", text }).unwrap()
    }

    #[test]
    fn every_kind_states_purpose_basis_roles_and_retention() {
        let f = file();
        assert!(f.kinds.len() >= 6, "identity, services, tip content, tip contact, accounts, audit");
        for k in &f.kinds {
            assert!(!k.purpose.is_empty() && !k.basis.is_empty() && !k.basis_ref.is_empty() && !k.retention_ref.is_empty(), "{}", k.key);
            for r in &k.roles {
                assert!(r.parse::<crate::roles::Role>().is_ok(), "{}: role {r}", k.key);
            }
        }
        assert!(f.kind(SUPPORT_IDENTITY).is_some_and(|k| k.sensitive && k.retention_years.is_some()));
        for s in &f.sources {
            assert!(s.url.starts_with("https://"), "{}", s.code);
        }
    }

    #[test]
    fn retention_counts_whole_years_from_the_day() {
        let k = file().kind(SUPPORT_IDENTITY).unwrap().clone();
        let years = k.retention_years.unwrap() as i32;
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(k.kept_until(d(2020, 3, 1)), Some(d(2020 + years, 3, 1)));
        // 29/02/2020 + years: 28/02 when that year has no 29 February (2025 has none; 2024 has).
        let leap = k.kept_until(d(2020, 2, 29)).unwrap();
        let expected = NaiveDate::from_ymd_opt(2020 + years, 2, 29).unwrap_or_else(|| d(2020 + years, 2, 28));
        assert_eq!(leap, expected);
    }

    #[test]
    fn a_file_without_the_swept_kinds_is_refused() {
        let text = "warn_days = 30\nbreach_hours = 72\nbreach_ref = \"x\"\nsources = []\nkinds = []\n";
        let e = ProcessingFile::parse(SourceFile { name: "p.toml", text }).unwrap_err();
        assert!(e.vi.contains("support_identity"), "{}", e.vi);
    }
}
