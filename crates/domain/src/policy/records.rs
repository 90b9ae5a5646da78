//! Who may read and write each kind of record (SPEC §1). Scope (the unit
//! subtree, the agency) is checked on top of this by the pages and the API.

use crate::records::form::RecordKind;
use crate::roles::Role;

impl Role {
    /// Whether the role may list and open records of `kind` in its scope.
    pub fn may_read(self, kind: RecordKind) -> bool {
        use RecordKind as K;
        match self {
            // Users, units, agencies and settings: no records, no personal data.
            Role::Admin => false,
            // All aggregate data of its province; never a person's case file.
            Role::Coordinator => kind != K::SupportCase,
            Role::Officer => matches!(
                kind,
                K::Activity
                    | K::Publication
                    | K::Training
                    | K::DistrictPlan
                    | K::PilotModel
                    | K::ReferenceFigure
                    | K::TaskProgress
                    | K::BudgetSpending
            ),
            Role::Inspector => matches!(kind, K::Establishment | K::Inspection),
            Role::Investigator => matches!(kind, K::Tip | K::CaseSummary | K::Establishment | K::Inspection),
            Role::Caseworker => kind == K::SupportCase,
            // Targets, dashboards and reports only.
            Role::Supervisor => false,
        }
    }

    /// Whether the role may enter and change records of `kind` in its scope.
    pub fn may_write(self, kind: RecordKind) -> bool {
        use RecordKind as K;
        match self {
            Role::Admin | Role::Supervisor => false,
            Role::Coordinator => matches!(kind, K::TaskProgress | K::BudgetSpending | K::ReferenceFigure),
            Role::Officer => {
                matches!(kind, K::Activity | K::Publication | K::Training | K::DistrictPlan | K::PilotModel | K::ReferenceFigure | K::TaskProgress)
            }
            Role::Inspector => matches!(kind, K::Establishment | K::Inspection),
            Role::Investigator => matches!(kind, K::Tip | K::CaseSummary),
            Role::Caseworker => kind == K::SupportCase,
        }
    }

    /// Whether the role sees the personal fields of `kind` (in scope, audited):
    /// caseworkers a person's identity, investigators what a tip says.
    pub fn sees_personal(self, kind: RecordKind) -> bool {
        matches!((self, kind), (Role::Caseworker, RecordKind::SupportCase) | (Role::Investigator, RecordKind::Tip))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_caseworkers_open_support_cases_and_nobody_writes_what_they_cannot_read() {
        for role in Role::ALL {
            for kind in RecordKind::ALL {
                if role.may_write(*kind) {
                    assert!(role.may_read(*kind), "{role} writes {kind} without reading it");
                }
                if role.sees_personal(*kind) {
                    assert!(role.may_read(*kind));
                }
            }
            assert_eq!(role.may_read(RecordKind::SupportCase), *role == Role::Caseworker, "{role}");
        }
        assert!(!Role::Supervisor.may_read(RecordKind::Activity));
        assert!(!Role::Admin.may_read(RecordKind::Tip));
    }
}
