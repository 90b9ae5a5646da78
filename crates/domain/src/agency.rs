//! Agencies (cơ quan, đơn vị) and who leads the programme in a unit over time.
//!
//! The lead agency (cơ quan thường trực) is data: the Department of Labour,
//! Invalids and Social Affairs until state management passed to Health in 2025
//! (Decree 42/2025/NĐ-CP), so a lead is held over a date interval.

use crate::plan::Directory;
use crate::source::FileDate;
use crate::source::{FileError, SourceFile};
use crate::units::OPEN_END;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// What kind of body an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// Sở, ban, ngành: a department of the People's Committee.
    Department,
    /// Công an: police.
    Police,
    /// Bộ đội biên phòng: border guard.
    BorderGuard,
    /// Báo, đài: press, radio and television.
    Media,
    /// Ủy ban nhân dân: a People's Committee.
    PeoplesCommittee,
    /// Hội đồng nhân dân: a People's Council.
    PeoplesCouncil,
    /// Ban của Đảng: a Party board.
    PartyBoard,
    /// Viện kiểm sát: procuracy.
    Procuracy,
    /// Tòa án: court.
    Court,
    /// Mặt trận Tổ quốc và đoàn thể: Fatherland Front and mass organisations.
    MassOrganisation,
    Other,
}

impl AgencyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyKind::Department => "department",
            AgencyKind::Police => "police",
            AgencyKind::BorderGuard => "border_guard",
            AgencyKind::Media => "media",
            AgencyKind::PeoplesCommittee => "peoples_committee",
            AgencyKind::PeoplesCouncil => "peoples_council",
            AgencyKind::PartyBoard => "party_board",
            AgencyKind::Procuracy => "procuracy",
            AgencyKind::Court => "court",
            AgencyKind::MassOrganisation => "mass_organisation",
            AgencyKind::Other => "other",
        }
    }
}

/// An agency as a data file declares it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencySpec {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    /// The code of the unit it belongs to, valid on `from`.
    pub unit: Spanned<String>,
    pub from: FileDate,
    pub to: Option<FileDate>,
}

/// The lead of the programme in a unit over an interval.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadSpec {
    pub unit: Spanned<String>,
    pub agency: Spanned<String>,
    pub from: FileDate,
    pub to: Option<FileDate>,
    /// The legal basis of the assignment.
    pub basis: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyFile {
    #[serde(default)]
    pub agencies: Vec<Spanned<AgencySpec>>,
    #[serde(default)]
    pub leads: Vec<Spanned<LeadSpec>>,
}

impl AgencyFile {
    pub fn parse(src: SourceFile<'_>) -> Result<Self, FileError> {
        src.parse_toml()
    }
}

/// A validated agency; its unit is still a code, valid on `from`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: AgencyKind,
    pub unit_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A validated lead assignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Lead {
    pub unit_code: String,
    pub agency_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub basis: String,
}

/// Checks an agency file: units valid on the dates given, agencies of leads
/// known (`dir` must already hold this file's agencies), intervals in order.
pub fn validate_agencies(src: SourceFile<'_>, file: &AgencyFile, dir: &dyn Directory) -> Result<(Vec<Agency>, Vec<Lead>), Vec<FileError>> {
    let mut errors = Vec::new();
    let check_unit = |errors: &mut Vec<FileError>, unit: &Spanned<String>, from: NaiveDate, to: NaiveDate| {
        // The unit must exist on the first day; an open end is not checked.
        let last = if to == OPEN_END { from } else { to };
        for on in [from, last] {
            if dir.unit_level(unit.get_ref(), on).is_none() {
                errors.push(src.error(
                    unit.span(),
                    format!("không có đơn vị hành chính mã «{}» vào ngày {}", unit.get_ref(), crate::date::format_vn(on)),
                    format!("no administrative unit with code «{}» on {on}", unit.get_ref()),
                ));
                break;
            }
        }
        if from > to {
            errors.push(src.error(unit.span(), "ngày bắt đầu sau ngày kết thúc", "the interval starts after it ends"));
        }
    };
    let mut agencies = Vec::new();
    for a in &file.agencies {
        let spec = a.get_ref();
        let (from, to) = (spec.from.0, spec.to.map_or(OPEN_END, |d| d.0));
        check_unit(&mut errors, &spec.unit, from, to);
        agencies.push(Agency {
            code: spec.code.clone(),
            name: nfc(spec.name.trim()),
            short_name: spec.short_name.as_deref().map(nfc),
            kind: spec.kind,
            unit_code: spec.unit.get_ref().clone(),
            from,
            to,
        });
    }
    let mut leads = Vec::new();
    for l in &file.leads {
        let spec = l.get_ref();
        let (from, to) = (spec.from.0, spec.to.map_or(OPEN_END, |d| d.0));
        check_unit(&mut errors, &spec.unit, from, to);
        if !dir.agency_known(spec.agency.get_ref()) {
            errors.push(src.error(
                spec.agency.span(),
                format!("không có cơ quan «{}»", spec.agency.get_ref()),
                format!("unknown agency «{}»", spec.agency.get_ref()),
            ));
        }
        leads.push(Lead {
            unit_code: spec.unit.get_ref().clone(),
            agency_code: spec.agency.get_ref().clone(),
            from,
            to,
            basis: nfc(spec.basis.trim()),
        });
    }
    // Two leads of one unit must not overlap.
    for (i, a) in leads.iter().enumerate() {
        for b in leads.iter().skip(i + 1) {
            if a.unit_code == b.unit_code && a.from <= b.to && b.from <= a.to {
                if let Some(span) = file.leads.get(i).map(|s| s.span()) {
                    errors.push(src.error(
                        span,
                        format!("hai cơ quan thường trực của đơn vị «{}» trùng thời gian", a.unit_code),
                        format!("two leads of unit «{}» overlap in time", a.unit_code),
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((agencies, leads))
    } else {
        Err(errors)
    }
}

fn nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}
