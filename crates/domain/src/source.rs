//! Errors that point into a data file: its name and the line of the fault.

use std::fmt;
use std::ops::Range;

/// A fault in a data file, with a message in Vietnamese and in English.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct FileError {
    pub file: String,
    pub line: usize,
    pub vi: String,
    pub en: String,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {} ({})", self.file, self.line, self.vi, self.en)
    }
}

/// All the faults found in one or more files; loading stops before writing anything.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct FileErrors(pub Vec<FileError>);

impl fmt::Display for FileErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

/// A data file's name and text, to turn byte offsets into line numbers.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl SourceFile<'_> {
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes().iter().take(end).filter(|b| **b == b'\n').count() + 1
    }

    pub fn error(&self, span: Range<usize>, vi: impl Into<String>, en: impl Into<String>) -> FileError {
        FileError { file: self.name.to_string(), line: self.line_of(span.start), vi: vi.into(), en: en.into() }
    }

    /// Parses TOML, turning a syntax or shape error into a `FileError` at its line.
    pub fn parse_toml<T: serde::de::DeserializeOwned>(&self) -> Result<T, FileError> {
        toml::from_str(self.text).map_err(|e| {
            let line = e.span().map_or(1, |s| self.line_of(s.start));
            let msg = e.message().to_string();
            FileError {
                file: self.name.to_string(), line, vi: format!("tệp không đúng cấu trúc: {msg}"), en: format!("malformed file: {msg}")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_from_one() {
        let f = SourceFile { name: "x.toml", text: "a = 1\nb = 2\nc = 3\n" };
        assert_eq!(f.line_of(0), 1);
        assert_eq!(f.line_of(6), 2);
        assert_eq!(f.line_of(13), 3);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            a: i64,
        }
        let f = SourceFile { name: "bad.toml", text: "# comment\n\na = \"x\"\n" };
        let e = f.parse_toml::<S>().unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("bad.toml", 3));
    }
}

/// A date in a data file, written either as a TOML date (`2023-12-07`) or as a
/// string (`"2023-12-07"` or `"07/12/2023"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileDate(pub chrono::NaiveDate);

impl serde::Serialize for FileDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.format("%Y-%m-%d").to_string())
    }
}

impl<'de> serde::Deserialize<'de> for FileDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Toml(toml::value::Datetime),
            Text(String),
        }
        let text = match Raw::deserialize(d)? {
            Raw::Toml(dt) => match (dt.date, dt.time) {
                (Some(date), None) => date.to_string(),
                _ => return Err(serde::de::Error::custom("cần một ngày, không kèm giờ (expected a date without a time)")),
            },
            Raw::Text(s) => s,
        };
        crate::date::parse(&text).map(FileDate).map_err(serde::de::Error::custom)
    }
}
