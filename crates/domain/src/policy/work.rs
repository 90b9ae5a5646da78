//! Reports and tasks: who reads, writes and decides.

use crate::roles::Role;
use crate::units::Level;

/// Who may open periodic reports (in scope).
pub fn may_view_reports(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Officer | Role::Supervisor)
}

/// Who may open, write and submit a report.
pub fn may_write_reports(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Officer)
}

/// Who may accept, return or reopen a report: a coordinator, for a unit below
/// their home unit's level (a province's coordinator decides on its districts'
/// and communes' reports), and never on a report they submitted themselves.
/// By level, not by id: the province before the 2025 reform is another unit
/// with the same code (Lai Châu 12 until 30/06/2025 and from 01/07/2025), and
/// its report is the coordinator's own province's.
pub fn decides_report(role: Role, home_level: Level, report_level: Level, submitted_by_self: bool) -> bool {
    role == Role::Coordinator && report_level > home_level && !submitted_by_self
}

/// Who may accept, return or reopen an agency's report on its tasks: a
/// coordinator (of the lead agency that compiles), not one of the reporting
/// agency itself, and never on a report they submitted themselves.
pub fn decides_agency_report(role: Role, own_agency: Option<i64>, report_agency: i64, submitted_by_self: bool) -> bool {
    role == Role::Coordinator && own_agency != Some(report_agency) && !submitted_by_self
}

/// Who may write an agency's report: its own officers, or a coordinator.
pub fn writes_agency_report(role: Role, own_agency: Option<i64>, report_agency: i64) -> bool {
    may_write_reports(role) && (role == Role::Coordinator || own_agency == Some(report_agency))
}

/// Who sees a plan's tasks and their progress.
pub fn may_see_tasks(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Officer | Role::Supervisor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_eyes_on_reports() {
        use Level::{Commune, District, Province};
        assert!(decides_report(Role::Coordinator, Province, District, false));
        assert!(decides_report(Role::Coordinator, Province, Commune, false));
        assert!(!decides_report(Role::Coordinator, Province, Commune, true), "not on one's own submission");
        assert!(!decides_report(Role::Coordinator, Province, Province, false), "not on one's own province, before or after the reform");
        assert!(!decides_report(Role::Coordinator, District, District, false), "not on one's own level");
        assert!(!decides_report(Role::Officer, Province, Commune, false));
        assert!(may_write_reports(Role::Officer) && !may_write_reports(Role::Supervisor) && may_view_reports(Role::Supervisor));
        assert!(!may_see_tasks(Role::Inspector));
    }
}
