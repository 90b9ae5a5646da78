//! Administrative units (đơn vị hành chính) before and after the 2025 reform.
//!
//! Until 2025-06-30 Vietnam had three levels: province (tỉnh), district (huyện)
//! and commune (xã, phường, thị trấn). From 2025-07-01 it has two: province and
//! commune (xã, phường, đặc khu). A unit is valid over a closed date interval;
//! codes are strings (leading zeros matter) and old and new codes overlap.

mod catalog;
pub mod ids;
mod index;
pub mod territory;

pub use catalog::{parse_catalog, Catalog, CatalogError, SuccessorRow, UnitRow};
pub use index::UnitIndex;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The last day of the three-level structure.
pub const LAST_DAY_BEFORE_REFORM: NaiveDate = match NaiveDate::from_ymd_opt(2025, 6, 30) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// The first day of the two-level structure.
pub const REFORM_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// How far back the 30 June 2025 list is taken as valid unless configured otherwise
/// (the lists do not hold the smaller mergers of 2019–2025).
pub const DEFAULT_OLD_STRUCTURE_START: NaiveDate = match NaiveDate::from_ymd_opt(2020, 1, 1) {
    Some(d) => d,
    None => panic!("valid constant date"),
};
/// An open end of validity, written as a date so that intervals compare as text.
pub const OPEN_END: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("valid constant date"),
};

/// Cấp hành chính: the level of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Cấp tỉnh.
    Province,
    /// Cấp huyện (abolished on 2025-07-01).
    District,
    /// Cấp xã.
    Commune,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }

    /// The Vietnamese name of the level.
    pub fn name_vi(self) -> &'static str {
        match self {
            Level::Province => "cấp tỉnh",
            Level::District => "cấp huyện",
            Level::Commune => "cấp xã",
        }
    }

    /// Whether the level exists on a date: the district level ends with the reform.
    pub fn exists_on(self, date: NaiveDate) -> bool {
        self != Level::District || date < REFORM_DAY
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "province" | "tinh" | "tỉnh" => Ok(Level::Province),
            "district" | "huyen" | "huyện" => Ok(Level::District),
            "commune" | "xa" | "xã" => Ok(Level::Commune),
            other => Err(format!(
                "cấp không hợp lệ «{other}»: dùng province, district hoặc commune \
                 (unknown level «{other}»: use province, district or commune)"
            )),
        }
    }
}

/// How an old commune went into a new one (ward-successors-2025.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuccessionKind {
    /// Went whole into one new commune.
    Whole,
    /// One part of a divided commune.
    Split,
    /// The part of a divided commune that holds most of it.
    SplitDefault,
}

impl SuccessionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SuccessionKind::Whole => "whole",
            SuccessionKind::Split => "split",
            SuccessionKind::SplitDefault => "split-default",
        }
    }
}

impl FromStr for SuccessionKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "whole" => Ok(SuccessionKind::Whole),
            "split" => Ok(SuccessionKind::Split),
            "split-default" => Ok(SuccessionKind::SplitDefault),
            other => Err(format!("unknown succession kind «{other}»")),
        }
    }
}

/// A unit as stored: its identity is `id`, since codes repeat across the reform.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// The Vietnamese type: Tỉnh, Thành phố, Quận, Huyện, Thị xã, Xã, Phường, Thị trấn, Đặc khu.
    pub unit_type: String,
    pub level: Level,
    pub parent_id: Option<i64>,
    pub parent_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub area_km2: Option<f64>,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
}

impl Unit {
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_to
    }
}
