//! Access rules (quy tắc truy cập), in one place: who may read and write each
//! kind of record and see its personal fields (`records`), who may write and
//! decide on reports and see tasks (`work`), and which figures a role is shown
//! only when no person can be singled out by them (`disclosure`). The pages,
//! the JSON API, reports and exports all ask here; scope (which units a home
//! unit reaches across the 2025 reform) is computed by the web layer's
//! `scope` from the unit index and checked on top of these rules.

mod disclosure;
mod records;
mod work;

pub use disclosure::{hides_small_counts, is_small_count, SMALL_COUNT};
pub use work::{decides_report, may_see_tasks, may_view_reports, may_write_reports};
