//! The data pcmd carries inside its binary: the unit lists and the demo's
//! agencies and plans (data/ at the repository's root).

/// A data file: its name (for messages) and text.
#[derive(Debug, Clone, Copy)]
pub struct DataFile {
    pub name: &'static str,
    pub text: &'static str,
}

macro_rules! data_file {
    ($path:literal) => {
        DataFile { name: concat!("data/", $path), text: include_str!(concat!("../../../data/", $path)) }
    };
}

pub const UNITS_OLD: DataFile = data_file!("admin-units/units-2025-06-30.csv");
pub const UNITS_NEW: DataFile = data_file!("admin-units/units-2025-07-01.csv");
pub const UNIT_SUCCESSORS: DataFile = data_file!("admin-units/ward-successors-2025.csv");

pub const DEADLINE_RULES: DataFile = data_file!("rules/deadlines.toml");
/// The days off that working-day periods skip.
pub const HOLIDAYS: DataFile = data_file!("rules/holidays.toml");

/// The legal time limits with the days off they count by.
pub fn deadline_rules() -> Result<pcmd_domain::records::RulesFile, pcmd_domain::FileError> {
    use pcmd_domain::SourceFile;
    pcmd_domain::records::RulesFile::parse(
        SourceFile { name: DEADLINE_RULES.name, text: DEADLINE_RULES.text },
        Some(SourceFile { name: HOLIDAYS.name, text: HOLIDAYS.text }),
    )
}

/// What each kind of personal data is processed for, on which basis, and how long it is kept.
pub const PRIVACY: DataFile = data_file!("privacy/processing.toml");

pub const AGENCIES: &[DataFile] = &[data_file!("agencies/soc-trang.toml"), data_file!("agencies/lai-chau.toml")];

/// Plans, each after the plan it implements; with the original text where held.
pub const PLANS: &[(DataFile, Option<DataFile>)] = &[
    (data_file!("plans/national-1629-2021.toml"), None),
    (data_file!("plans/lai-chau-3742-2021.toml"), None),
    (data_file!("plans/lai-chau-2022.toml"), Some(data_file!("plans/lai-chau-2022.txt"))),
    (data_file!("plans/soc-trang-117-2023.toml"), Some(data_file!("plans/soc-trang-117-2023.txt"))),
];
