//! Access rules (quy tắc truy cập), in one place: who may read and write each
//! kind of record and see its personal fields (`records`), who may write and
//! decide on reports and see tasks (`work`), and which figures a role is shown
//! only when no person can be singled out by them (`disclosure`), and which
//! tips are still open against their deadline (`open_tip_statuses_sql`). The pages,
//! the JSON API, reports and exports all ask here, and so they do for scope:
//! which units a home unit reaches across the 2025 reform (`scope_units`),
//! checked on top of the role's rules.

mod disclosure;
pub mod privacy;
mod records;
mod scope;
mod work;

pub use disclosure::{hides_small_counts, is_small_count, withheld_items, SMALL_COUNT};
pub use scope::scope_units;

use crate::records::TipStatus;

/// The statuses of a tip still open — still running against its legal deadline
/// (`TipStatus::is_closed` is the rule; a suspended tip is open, but has no
/// day due while its clock stands still), as an SQL list: `'received', 'verifying'`.
pub fn open_tip_statuses_sql() -> String {
    TipStatus::ALL.iter().filter(|s| !s.is_closed()).map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}
pub use work::{decides_agency_report, decides_report, may_see_tasks, may_view_reports, may_write_reports, writes_agency_report};

#[cfg(test)]
mod tests {
    #[test]
    fn open_tips_are_those_not_settled() {
        // Received, verifying, classified and suspended are open; handled, transferred and dismissed are settled.
        assert_eq!(super::open_tip_statuses_sql(), "'received', 'verifying', 'classified', 'suspended'");
    }
}
