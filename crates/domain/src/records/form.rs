//! How a record's fields are entered and read: the input of each field (from
//! its kind in `kinds.rs`) and a file or form row read cell by cell.

use super::*;
use chrono::NaiveDate;
use std::collections::HashMap;
use std::str::FromStr;

pub use super::describe::Column;
pub use super::kinds::{parse_row, RecordKind};

/// How a field is entered on a form.
#[derive(Debug, Clone, Copy)]
pub enum Input {
    Text,
    LongText,
    /// dd/mm/yyyy.
    Date,
    Number,
    /// Có / không.
    Flag,
    /// One of a closed list: value and Vietnamese label.
    Choice(fn() -> Vec<(&'static str, &'static str)>),
    /// Services received: `dd/mm/yyyy loại; …`.
    Services,
}

impl RecordKind {
    fn column(self, key: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.key == key)
    }

    /// How `key` of this kind is entered (and shown). A column the store adds (a tip's
    /// `due_on`, its `deadline`) is shown as a date when named as one, else as text.
    pub fn input(self, key: &str) -> Input {
        match self.column(key) {
            Some(c) => c.input,
            None if key.ends_with("_on") || key == "deadline" => Input::Date,
            None => Input::Text,
        }
    }

    /// Whether `key` holds personal data (sealed at rest, shown to the role that may see it).
    pub fn is_personal(self, key: &str) -> bool {
        self.column(key).is_some_and(|c| c.personal)
    }
}

/// One row's cells by key, collecting every fault as it goes.
pub struct Row<'a> {
    cells: HashMap<&'a str, &'a str>,
    pub errors: Vec<FieldError>,
}

fn fault(field: &'static str, vi: String, en: String) -> FieldError {
    FieldError { field, vi, en }
}

impl<'a> Row<'a> {
    pub fn new(keys: &[&'a str], cells: &'a [String]) -> Self {
        let cells = keys.iter().zip(cells.iter()).map(|(k, v)| (*k, v.as_str())).collect();
        Row { cells, errors: Vec::new() }
    }

    fn raw(&self, key: &str) -> Option<&'a str> {
        self.cells.get(key).copied().filter(|v| !v.is_empty())
    }

    fn required<T: Default>(&mut self, key: &'static str, v: Option<T>) -> T {
        if v.is_none() && self.raw(key).is_none() {
            self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
        }
        v.unwrap_or_default()
    }

    pub fn opt_text(&mut self, key: &'static str) -> Option<String> {
        self.raw(key).map(|v| crate::text::nfc(v.trim())).filter(|v| !v.is_empty())
    }

    pub fn text(&mut self, key: &'static str) -> String {
        let v = self.opt_text(key);
        self.required(key, v)
    }

    pub fn opt_date(&mut self, key: &'static str) -> Option<NaiveDate> {
        let raw = self.raw(key)?;
        match crate::date::parse(raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.errors.push(fault(key, e.vi, e.en));
                None
            }
        }
    }

    pub fn date(&mut self, key: &'static str) -> NaiveDate {
        let v = self.opt_date(key);
        let fallback = NaiveDate::default();
        if v.is_none() && self.raw(key).is_none() {
            self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
        }
        v.unwrap_or(fallback)
    }

    pub fn opt_int(&mut self, key: &'static str) -> Option<i64> {
        let raw = self.raw(key)?;
        match crate::money::parse_vnd(raw) {
            Some(n) => Some(n),
            None => {
                self.errors.push(fault(key, format!("«{raw}» không phải số nguyên"), format!("«{raw}» is not a whole number")));
                None
            }
        }
    }

    pub fn int(&mut self, key: &'static str) -> i64 {
        let v = self.opt_int(key);
        self.required(key, v)
    }

    pub fn count(&mut self, key: &'static str) -> i64 {
        self.opt_int(key).unwrap_or(0)
    }

    pub fn year(&mut self, key: &'static str) -> i32 {
        let v = self.int(key);
        i32::try_from(v).unwrap_or(0)
    }

    pub fn flag(&mut self, key: &'static str) -> bool {
        match self.raw(key).map(|v| v.to_lowercase()) {
            None => false,
            Some(v) => match v.as_str() {
                "1" | "x" | "có" | "co" | "yes" | "true" | "đúng" => true,
                "0" | "không" | "khong" | "no" | "false" | "sai" => false,
                other => {
                    self.errors.push(fault(key, format!("«{other}» phải là có hoặc không"), format!("«{other}» must be yes or no")));
                    false
                }
            },
        }
    }

    pub fn vocab<T: FromStr<Err = String> + Copy>(&mut self, key: &'static str, default: T) -> T {
        match self.raw(key) {
            None => {
                self.errors.push(fault(key, "không được để trống".into(), "must not be empty".into()));
                default
            }
            Some(raw) => raw.parse().unwrap_or_else(|e: String| {
                self.errors.push(fault(key, e.clone(), e));
                default
            }),
        }
    }

    /// `01/02/2024 health; 03/05/2024 legal`.
    pub fn services(&mut self, key: &'static str) -> Vec<(NaiveDate, Service)> {
        let Some(raw) = self.raw(key) else { return Vec::new() };
        let mut out = Vec::new();
        for item in raw.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            let (date, service) = item.split_once(' ').unwrap_or((item, ""));
            match (crate::date::parse(date), service.trim().parse::<Service>()) {
                (Ok(d), Ok(s)) => out.push((d, s)),
                _ => {
                    self.errors.push(fault(key, format!("«{item}»: viết «dd/mm/yyyy loại-dịch-vụ»"), format!("«{item}»: write «dd/mm/yyyy service»")))
                }
            }
        }
        out
    }
}
