//! The names both DHIS2 commands give things, from one place, so that the
//! values of `export dhis2` always find the objects of `export dhis2-metadata`.
//!
//! * **UIDs.** DHIS2 metadata refers to other objects by UID (`#{UID}` in an
//!   indicator's expression, `{"id": UID}` in a data set). A UID is 11
//!   characters, a letter first, then letters and digits: dhis2-core
//!   `dhis-api/src/main/java/org/hisp/dhis/common/CodeGenerator.java`
//!   (`^[a-zA-Z]{1}[a-zA-Z0-9]{10}$`). Ours are derived from the object's kind
//!   and code by SHA-256, so that every run, every server and every plan gives
//!   the same object the same UID, and a second import updates it.
//! * **Codes** (at most 50 characters in DHIS2) say what an object is:
//!   `PCMD_Y_REACH_STUDENTS_NUM` is the numerator of `reach_students` for
//!   yearly periods; data values name data elements and units by code
//!   (`dataElementIdScheme`/`orgUnitIdScheme` CODE).
//! * **Units.** GSO codes are reused across the 2025 reform (31510 was Phường 2
//!   of Sóc Trăng city until 30/06/2025 and is Phường Phú Lợi of Cần Thơ since
//!   01/07/2025). A DHIS2 organisation unit's code is `VN-{year its validity
//!   starts}-{GSO code}`: `VN-2020-31510` and `VN-2025-31510` (the units of the
//!   30 June 2025 list are valid from the start date the lists were loaded with,
//!   2020 by default; the reform's units from 2025).

use chrono::Datelike;
use pcmd_domain::plan::{Indicator, IndicatorKind};
use pcmd_domain::units::Unit;
use sha2::{Digest, Sha256};

/// DHIS2's longest code and short name.
pub const MAX_CODE: usize = 50;
pub const MAX_SHORT_NAME: usize = 50;
/// DHIS2's longest name.
pub const MAX_NAME: usize = 230;

/// A valid DHIS2 UID for an object of `kind` ("dataElement"…) with `code`.
pub fn uid(kind: &str, code: &str) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const ALLOWED: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let digest = Sha256::digest(format!("pcmd-dhis2\u{0}{kind}\u{0}{code}").as_bytes());
    let mut out = String::with_capacity(11);
    for (i, pair) in digest.chunks(2).take(11).enumerate() {
        let n = pair.iter().fold(0_usize, |acc, b| acc * 256 + usize::from(*b));
        let set = if i == 0 { LETTERS } else { ALLOWED };
        if let Some(c) = set.get(n % set.len()) {
            out.push(char::from(*c));
        }
    }
    out
}

/// Whether `s` is a DHIS2 UID.
pub fn is_uid(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() == 11 && chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric())
}

/// The DHIS2 organisation unit code of a unit: unique across the reform.
pub fn org_unit_code(u: &Unit) -> String {
    format!("VN-{}-{}", u.valid_from.year(), u.code)
}

/// `text` cut to at most `max` UTF-16 units (how DHIS2, in Java, counts), on a character boundary.
pub fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in text.chars() {
        len += c.len_utf16();
        if len > max {
            break;
        }
        out.push(c);
    }
    out
}

/// A code of at most 50 characters: cut, with a hash of the whole to keep it unique.
pub fn fit_code(code: &str) -> String {
    if code.chars().count() <= MAX_CODE {
        return code.to_string();
    }
    format!("{}_{}", cut(code, MAX_CODE - 12), uid("code", code))
}

/// The DHIS2 period types pcmd exports to, one data set each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PeriodType {
    Yearly,
    SixMonthly,
    Quarterly,
    Monthly,
}

impl PeriodType {
    pub const ALL: [PeriodType; 4] = [PeriodType::Yearly, PeriodType::SixMonthly, PeriodType::Quarterly, PeriodType::Monthly];

    /// The letter in codes, as in DHIS2's period notation (`2025`, `2025S1`, `2025Q3`, `202503`).
    pub fn letter(self) -> &'static str {
        match self {
            PeriodType::Yearly => "Y",
            PeriodType::SixMonthly => "S",
            PeriodType::Quarterly => "Q",
            PeriodType::Monthly => "M",
        }
    }

    /// DHIS2's name of the period type (`periodType` of a data set).
    pub fn dhis2_name(self) -> &'static str {
        match self {
            PeriodType::Yearly => "Yearly",
            PeriodType::SixMonthly => "SixMonthly",
            PeriodType::Quarterly => "Quarterly",
            PeriodType::Monthly => "Monthly",
        }
    }

    pub fn name_vi(self) -> &'static str {
        match self {
            PeriodType::Yearly => "năm",
            PeriodType::SixMonthly => "6 tháng",
            PeriodType::Quarterly => "quý",
            PeriodType::Monthly => "tháng",
        }
    }

    /// The type of a period in DHIS2's notation.
    pub fn of(dhis2_period: &str) -> Option<PeriodType> {
        match dhis2_period.len() {
            4 => Some(PeriodType::Yearly),
            6 if dhis2_period.contains('S') => Some(PeriodType::SixMonthly),
            6 if dhis2_period.contains('Q') => Some(PeriodType::Quarterly),
            6 => Some(PeriodType::Monthly),
            _ => None,
        }
    }
}

/// What a data element holds of an indicator's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The numerator (a count: additive across units).
    Numerator,
    /// The denominator (a count: additive across units).
    Denominator,
    /// The value itself: a count, or a growth in % (not additive).
    Value,
}

impl Part {
    pub fn suffix(self) -> &'static str {
        match self {
            Part::Numerator => "NUM",
            Part::Denominator => "DEN",
            Part::Value => "VAL",
        }
    }

    /// Tử số, mẫu số, giá trị — and their initials for short names.
    pub fn name_vi(self) -> (&'static str, &'static str) {
        match self {
            Part::Numerator => ("tử số", "TS"),
            Part::Denominator => ("mẫu số", "MS"),
            Part::Value => ("giá trị", "GT"),
        }
    }
}

/// The data elements of an indicator and their aggregation type: a share
/// exports its numerator and denominator, both counts that DHIS2 may sum over
/// units (SUM), and DHIS2 computes the share with an indicator; a count
/// exports its value (SUM); a growth exports its value, a percent change that
/// must not be summed (NONE), with its two yearly counts (SUM).
pub fn parts(kind: IndicatorKind) -> &'static [(Part, &'static str)] {
    match kind {
        IndicatorKind::PercentOfUnits | IndicatorKind::PercentOfItems | IndicatorKind::Frequency => {
            &[(Part::Numerator, "SUM"), (Part::Denominator, "SUM")]
        }
        IndicatorKind::Count => &[(Part::Value, "SUM")],
        IndicatorKind::Growth => &[(Part::Value, "NONE"), (Part::Numerator, "SUM"), (Part::Denominator, "SUM")],
    }
}

/// The period types an indicator is exported for: a growth is known for whole years only.
pub fn period_types(kind: IndicatorKind) -> &'static [PeriodType] {
    match kind {
        IndicatorKind::Growth => &[PeriodType::Yearly],
        _ => &PeriodType::ALL,
    }
}

/// Whether DHIS2 computes the indicator's figure from its numerator and denominator.
pub fn has_dhis2_indicator(kind: IndicatorKind) -> bool {
    !matches!(kind, IndicatorKind::Count)
}

/// `PCMD_Y_REACH_STUDENTS_NUM`.
pub fn data_element_code(pt: PeriodType, indicator: &str, part: Part) -> String {
    fit_code(&format!("PCMD_{}_{}_{}", pt.letter(), indicator.to_uppercase(), part.suffix()))
}

/// `PCMD_Y_REACH_STUDENTS`: the DHIS2 indicator of a share or a growth.
pub fn indicator_code(pt: PeriodType, indicator: &str) -> String {
    fit_code(&format!("PCMD_{}_{}", pt.letter(), indicator.to_uppercase()))
}

/// `PCMD_SOC_TRANG_117_2023`: a plan's category option (and its category, combination and option combination).
pub fn plan_code(plan_key: &str) -> String {
    let key: String = plan_key.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    fit_code(&format!("PCMD_{key}"))
}

/// `PCMD_SOC_TRANG_117_2023_Y`: a plan's data set for a period type.
pub fn data_set_code(plan_key: &str, pt: PeriodType) -> String {
    fit_code(&format!("{}_{}", plan_code(plan_key), pt.letter()))
}

/// The UID of a plan's attribute option combination, which every value of the plan carries.
pub fn attribute_option_combo(plan_key: &str) -> String {
    uid("categoryOptionCombo", &plan_code(plan_key))
}

/// A data element's name (unique in DHIS2), short name (unique, at most 50) and description.
pub fn data_element_names(pt: PeriodType, ind: &Indicator, part: Part) -> (String, String, String) {
    let (part_vi, initials) = part.name_vi();
    let name = cut(&format!("PCMD {}: {} – {part_vi}", pt.name_vi(), ind.name_vi), MAX_NAME);
    let short = cut(&format!("PCMD {} {} {initials}", pt.letter(), ind.code), MAX_SHORT_NAME);
    let what = match part {
        Part::Numerator => ind.numerator_vi,
        Part::Denominator => ind.denominator_vi,
        Part::Value => ind.name_vi,
    };
    let description = cut(&format!("{what} ({}; {})", ind.name_en, part.suffix().to_lowercase()), MAX_NAME);
    (name, short, description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_valid_stable_and_distinct() {
        let a = uid("dataElement", "PCMD_Y_REACH_STUDENTS_NUM");
        assert!(is_uid(&a), "{a}");
        assert_eq!(a, uid("dataElement", "PCMD_Y_REACH_STUDENTS_NUM"));
        assert_ne!(a, uid("indicator", "PCMD_Y_REACH_STUDENTS_NUM"));
        assert_ne!(a, uid("dataElement", "PCMD_Y_REACH_STUDENTS_DEN"));
        let many: std::collections::HashSet<String> = (0..5000).map(|i| uid("x", &i.to_string())).collect();
        assert_eq!(many.len(), 5000);
        assert!(many.iter().all(|u| is_uid(u)));
        assert!(!is_uid("1abcdefghij") && !is_uid("abc") && !is_uid("abcdefghij-"));
    }

    #[test]
    fn codes_and_names_fit_dhis2() {
        for ind in pcmd_domain::plan::CATALOGUE {
            for pt in PeriodType::ALL {
                for (part, _) in parts(ind.kind) {
                    assert!(data_element_code(pt, ind.code, *part).len() <= MAX_CODE);
                    let (name, short, _) = data_element_names(pt, ind, *part);
                    assert!(name.encode_utf16().count() <= MAX_NAME && short.encode_utf16().count() <= MAX_SHORT_NAME, "{short}");
                }
            }
        }
        assert_eq!(data_element_code(PeriodType::Yearly, "reach_students", Part::Numerator), "PCMD_Y_REACH_STUDENTS_NUM");
        assert_eq!(plan_code("soc-trang-117-2023"), "PCMD_SOC_TRANG_117_2023");
        let long = fit_code(&"X".repeat(80));
        assert_eq!(long.chars().count(), MAX_CODE);
        assert_ne!(long, fit_code(&"X".repeat(81)));
        assert_eq!(cut("Phường Phú Lợi", 9), "Phường Ph");
        assert_eq!(PeriodType::of("2024S1"), Some(PeriodType::SixMonthly));
        assert_eq!(PeriodType::of("202403"), Some(PeriodType::Monthly));
    }
}
