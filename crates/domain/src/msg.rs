//! A message for a person, in Vietnamese and in English (thông báo): what was
//! refused or went wrong, said in both languages rather than one string for both.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Msg {
    pub vi: String,
    pub en: String,
}

impl Msg {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Msg { vi: vi.into(), en: en.into() }
    }

    /// The message in one language: Vietnamese when `vietnamese`, else English.
    pub fn text(&self, vietnamese: bool) -> &str {
        if vietnamese {
            &self.vi
        } else {
            &self.en
        }
    }
}

/// Both languages, Vietnamese first: "Không có báo cáo số 3 (no report 3)".
impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.vi, self.en)
    }
}
