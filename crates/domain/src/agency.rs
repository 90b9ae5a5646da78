//! Agencies (cơ quan, đơn vị) and who leads the programme in a unit over time.
//!
//! The lead agency (cơ quan thường trực) is data: the Department of Labour,
//! Invalids and Social Affairs until state management passed to Health in 2025
//! (Decree 42/2025/NĐ-CP), so a lead is held over a date interval.

use crate::source::{FileError, SourceFile};
use crate::source::FileDate;
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
