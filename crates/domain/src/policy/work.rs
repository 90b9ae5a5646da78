//! Reports and tasks: who reads, writes and decides.

use crate::roles::Role;

/// Who may open periodic reports (in scope).
pub fn may_view_reports(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Officer | Role::Supervisor)
}

/// Who may open, write and submit a report.
pub fn may_write_reports(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::Officer)
}

/// Who may accept, return or reopen a report: a coordinator, for a unit other
/// than their home unit, and never on a report they submitted themselves.
pub fn decides_report(role: Role, home_unit: i64, report_unit: i64, submitted_by_self: bool) -> bool {
    role == Role::Coordinator && report_unit != home_unit && !submitted_by_self
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
        assert!(decides_report(Role::Coordinator, 1, 2, false));
        assert!(!decides_report(Role::Coordinator, 1, 2, true), "not on one's own submission");
        assert!(!decides_report(Role::Coordinator, 2, 2, false), "not on one's own unit");
        assert!(!decides_report(Role::Officer, 1, 2, false));
        assert!(may_write_reports(Role::Officer) && !may_write_reports(Role::Supervisor) && may_view_reports(Role::Supervisor));
        assert!(!may_see_tasks(Role::Inspector));
    }
}
