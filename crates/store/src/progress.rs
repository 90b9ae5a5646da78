//! Tasks' progress reports and budget spending of a plan, as its pages show them.

use crate::{Store, StoreError};
use sqlx::Row;

/// One progress report on a task (tiến độ nhiệm vụ).
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProgressView {
    pub task_code: String,
    pub reported_on: String,
    pub status: String,
    pub note: Option<String>,
    pub attachment_name: Option<String>,
    pub entered_by: Option<String>,
    pub entered_at: String,
}

/// A task's latest progress reported on or before `until` (`progress` newest first, as
/// `task_progress` gives it); None when nothing was reported by then.
pub fn latest_status(progress: &[ProgressView], task: &str, until: chrono::NaiveDate) -> Option<pcmd_domain::records::TaskStatus> {
    progress
        .iter()
        .filter(|p| p.task_code == task)
        .filter(|p| chrono::NaiveDate::parse_from_str(&p.reported_on, "%Y-%m-%d").is_ok_and(|d| d <= until))
        .find_map(|p| p.status.parse().ok())
}

impl Store {
    /// Every progress report on a plan's tasks, newest first.
    pub async fn task_progress(&self, plan_key: &str) -> Result<Vec<ProgressView>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.code, r.reported_on, r.status, r.note, r.attachment_name, r.entered_by, r.entered_at FROM task_progress r \
             JOIN task k ON k.id = r.task_id JOIN plan p ON p.id = k.plan_id WHERE p.key = $1 ORDER BY r.reported_on DESC, r.id DESC",
        )
        .bind(plan_key)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ProgressView {
                    task_code: r.try_get(0)?,
                    reported_on: r.try_get(1)?,
                    status: r.try_get(2)?,
                    note: r.try_get(3)?,
                    attachment_name: r.try_get(4)?,
                    entered_by: r.try_get(5)?,
                    entered_at: r.try_get(6)?,
                })
            })
            .collect()
    }

    /// The agencies a task is assigned to: its lead, then its co-agencies.
    pub async fn task_agencies(&self, plan_key: &str, task_code: &str) -> Result<Vec<i64>, StoreError> {
        let rows = sqlx::query(
            "SELECT k.lead_agency_id FROM task k JOIN plan p ON p.id = k.plan_id WHERE p.key = $1 AND k.code = $2 \
             UNION ALL SELECT c.agency_id FROM task_co_agency c JOIN task k ON k.id = c.task_id JOIN plan p ON p.id = k.plan_id \
             WHERE p.key = $1 AND k.code = $2",
        )
        .bind(plan_key)
        .bind(task_code)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(|r| r.try_get::<i64, _>(0).map_err(StoreError::from)).collect()
    }
}
