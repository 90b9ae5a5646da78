//! Reports and their workflow (draft → submitted → accepted, or returned with
//! a comment; a coordinator may reopen an accepted one with a reason). Every
//! step is audited. An accepted report locks its unit's records for its period:
//! entry, edits and imports into it are refused until it is reopened.

use crate::audit::{append, AuditEntry};
use crate::units::{date_of, iso};
use crate::{Store, StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::report::{Narrative, ReportStatus};
use pcmd_domain::units::{Level, UnitIndex, REFORM_DAY};
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub plan_key: String,
    pub plan_number: String,
    pub unit_id: i64,
    pub period: Period,
    pub status: ReportStatus,
    pub narrative: Narrative,
    /// The report's own date when the officer set it, or when it was submitted.
    pub issued_on: Option<NaiveDate>,
    pub comment: Option<String>,
    pub created_by: String,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub version: i64,
    /// A report of an agency on its tasks (báo cáo của sở, ngành); None for a unit's report.
    pub agency: Option<ReportAgency>,
}

/// The agency a report is from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportAgency {
    pub id: i64,
    pub code: String,
    pub name: String,
}

impl ReportRow {
    /// When it was submitted, as a day (RFC 3339 in the store).
    pub fn submitted_on(&self) -> Option<NaiveDate> {
        self.submitted_at.as_deref().and_then(pcmd_domain::date::day_of_instant_vn)
    }
}

/// The tables a report is read from: its plan, and its agency if it has one.
const FROM: &str = "FROM report r JOIN plan p ON p.id = r.plan_id LEFT JOIN agency ag ON ag.id = r.agency_id";

const COLUMNS: &str = "r.id, p.key, p.number, r.unit_id, r.period_label, r.period_from, r.period_to, r.status, r.results, r.shortcomings, \
     r.causes, r.tasks_ahead, r.proposals, r.comment, r.created_by, r.submitted_by, r.submitted_at, r.decided_by, r.decided_at, r.version, \
     r.situation, r.direction, r.issued_on, ag.code, ag.name, ag.id";

fn row_of(r: &AnyRow) -> Result<ReportRow, StoreError> {
    let status: String = r.try_get(7)?;
    Ok(ReportRow {
        id: r.try_get(0)?,
        plan_key: r.try_get(1)?,
        plan_number: r.try_get(2)?,
        unit_id: r.try_get(3)?,
        period: Period::new(r.try_get::<String, _>(4)?, date_of(&r.try_get::<String, _>(5)?)?, date_of(&r.try_get::<String, _>(6)?)?),
        status: status.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))?,
        narrative: Narrative {
            situation: r.try_get(20)?,
            direction: r.try_get(21)?,
            results: r.try_get(8)?,
            shortcomings: r.try_get(9)?,
            causes: r.try_get(10)?,
            tasks_ahead: r.try_get(11)?,
            proposals: r.try_get(12)?,
        },
        comment: r.try_get(13)?,
        created_by: r.try_get(14)?,
        submitted_by: r.try_get(15)?,
        submitted_at: r.try_get(16)?,
        decided_by: r.try_get(17)?,
        decided_at: r.try_get(18)?,
        version: r.try_get(19)?,
        issued_on: r.try_get::<Option<String>, _>(22)?.as_deref().map(date_of).transpose()?,
        agency: match (r.try_get::<Option<i64>, _>(25)?, r.try_get::<Option<String>, _>(23)?, r.try_get::<Option<String>, _>(24)?) {
            (Some(id), Some(code), Some(name)) => Some(ReportAgency { id, code, name }),
            _ => None,
        },
    })
}

fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Accept,
    Return,
    Reopen,
}

impl Step {
    fn action(self) -> &'static str {
        match self {
            Step::Submit => "report_submit",
            Step::Accept => "report_accept",
            Step::Return => "report_return",
            Step::Reopen => "report_reopen",
        }
    }

    fn allowed_from(self) -> &'static [ReportStatus] {
        match self {
            Step::Submit => &[ReportStatus::Draft, ReportStatus::Returned],
            Step::Accept | Step::Return => &[ReportStatus::Submitted],
            Step::Reopen => &[ReportStatus::Accepted],
        }
    }

    fn to(self) -> ReportStatus {
        match self {
            Step::Submit => ReportStatus::Submitted,
            Step::Accept => ReportStatus::Accepted,
            Step::Return | Step::Reopen => ReportStatus::Returned,
        }
    }
}

impl Store {
    /// Opens a draft report of `unit_id` for a plan and period; one per plan, unit and period.
    pub async fn create_report(&self, plan_key: &str, unit_id: i64, period: &Period, actor: &str) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let result = create_in(&mut tx, plan_key, unit_id, None, period, actor).await;
        finish(tx, result).await
    }

    /// Opens a draft report of an agency (of `unit_id`, its province) on its
    /// tasks; one per plan, agency and period. It goes through the same steps
    /// as a unit's report, but locks no records when accepted.
    pub async fn create_agency_report(&self, plan_key: &str, unit_id: i64, agency_id: i64, period: &Period, actor: &str) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let result = create_in(&mut tx, plan_key, unit_id, Some(agency_id), period, actor).await;
        finish(tx, result).await
    }

    pub async fn report(&self, id: i64) -> Result<Option<ReportRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE r.id = $1");
        sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?.as_ref().map(row_of).transpose()
    }

    /// Every report of a plan (all plans when None), newest period first.
    pub async fn reports(&self, plan_key: Option<&str>) -> Result<Vec<ReportRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} {FROM} WHERE ($1 = '' OR p.key = $1) ORDER BY r.period_to DESC, r.unit_id, r.agency_id, r.id");
        let rows = sqlx::query(&sql).bind(plan_key.unwrap_or("").to_string()).fetch_all(self.pool()).await?;
        rows.iter().map(row_of).collect()
    }

    /// Saves the narrative of a draft or returned report read at `version`, and
    /// its date when the officer set one (None leaves it to the submission).
    pub async fn save_narrative(&self, id: i64, version: i64, n: &Narrative, issued_on: Option<NaiveDate>, actor: &str) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let result = narrative_in(&mut tx, id, version, n, issued_on, actor).await;
        finish(tx, result).await
    }
}

async fn narrative_in(tx: &mut Tx<'_>, id: i64, version: i64, n: &Narrative, issued_on: Option<NaiveDate>, actor: &str) -> Result<i64, StoreError> {
    let current = current(tx, id).await?;
    if !current.0.editable() {
        return Err(StoreError::refused(
            format!("báo cáo đang ở trạng thái «{}», không sửa được", current.0.label_vi()),
            format!("the report is {}, it cannot be edited", current.0),
        ));
    }
    let text = |s: &str| pcmd_domain::text::nfc(s.trim());
    let res = sqlx::query(
        "UPDATE report SET results = $3, shortcomings = $4, causes = $5, tasks_ahead = $6, proposals = $7, situation = $8, direction = $9, \
             issued_on = $10, version = version + 1 WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(text(&n.results))
    .bind(text(&n.shortcomings))
    .bind(text(&n.causes))
    .bind(text(&n.tasks_ahead))
    .bind(text(&n.proposals))
    .bind(text(&n.situation))
    .bind(text(&n.direction))
    .bind(issued_on.map(iso))
    .execute(&mut **tx)
    .await?;
    stale(res.rows_affected(), current.1, version)?;
    append(tx, &AuditEntry { actor, action: "report_edit", subject: &format!("report#{id}"), detail: "" }).await?;
    Ok(version + 1)
}

impl Store {
    /// Moves a report one step; `note` is the comment of a return or the reason of a reopening (required for both).
    /// A district report before the reform is accepted only when its communes' reports are.
    pub async fn report_step(
        &self,
        id: i64,
        version: i64,
        step: Step,
        note: Option<&str>,
        actor: &str,
        units: &UnitIndex,
    ) -> Result<i64, StoreError> {
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        if matches!(step, Step::Return | Step::Reopen) && note.is_none() {
            return Err(StoreError::refused("hãy ghi lý do", "give the reason"));
        }
        let mut tx = self.begin().await?;
        let result = step_in(&mut tx, id, version, step, note, actor, units).await;
        finish(tx, result).await
    }
}

#[allow(clippy::too_many_arguments)]
async fn step_in(tx: &mut Tx<'_>, id: i64, version: i64, step: Step, note: Option<&str>, actor: &str, units: &UnitIndex) -> Result<i64, StoreError> {
    let (status, current_version) = current(tx, id).await?;
    if !step.allowed_from().contains(&status) {
        return Err(StoreError::refused(
            format!("báo cáo đang ở trạng thái «{}»: không thể {}", status.label_vi(), step.to().label_vi()),
            format!("the report is {status}: it cannot become {}", step.to()),
        ));
    }
    if matches!(step, Step::Accept | Step::Return) {
        // Four eyes: whoever submitted a report does not also decide on it.
        let submitted_by: Option<String> =
            sqlx::query("SELECT submitted_by FROM report WHERE id = $1").bind(id).fetch_one(&mut **tx).await?.try_get(0)?;
        if submitted_by.as_deref() == Some(actor) {
            return Err(StoreError::refused(
                "người đã nộp báo cáo không thể tự duyệt hay trả lại báo cáo đó; cần một cán bộ điều phối khác",
                "whoever submitted a report cannot accept or return it; another coordinator must decide",
            ));
        }
    }
    if step == Step::Accept {
        communes_accepted(tx, id, units).await?;
    }
    let (who, at) = if step == Step::Submit { ("submitted_by", "submitted_at") } else { ("decided_by", "decided_at") };
    // A report submitted without a date of its own is dated the day it goes out.
    let dated =
        if step == Step::Submit { format!(", issued_on = COALESCE(issued_on, '{}')", iso(pcmd_domain::date::today_vn())) } else { String::new() };
    let sql = format!(
        "UPDATE report SET status = $3, {who} = $4, {at} = $5, comment = COALESCE($6, comment){dated}, version = version + 1 WHERE id = $1 AND version = $2"
    );
    let res = sqlx::query(&sql)
        .bind(id)
        .bind(version)
        .bind(step.to().as_str())
        .bind(actor.to_string())
        .bind(now())
        .bind(note.map(str::to_string))
        .execute(&mut **tx)
        .await?;
    stale(res.rows_affected(), current_version, version)?;
    append(tx, &AuditEntry { actor, action: step.action(), subject: &format!("report#{id}"), detail: note.unwrap_or("") }).await?;
    Ok(version + 1)
}

/// Commits what succeeded; rolls back at once what failed, so that no
/// connection goes back to the pool holding a write lock (SQLite).
async fn finish<T>(tx: Tx<'_>, result: Result<T, StoreError>) -> Result<T, StoreError> {
    match result {
        Ok(v) => {
            tx.commit().await?;
            Ok(v)
        }
        Err(e) => {
            tx.rollback().await?;
            Err(e)
        }
    }
}

async fn create_in(tx: &mut Tx<'_>, plan_key: &str, unit_id: i64, agency_id: Option<i64>, period: &Period, actor: &str) -> Result<i64, StoreError> {
    let found = sqlx::query("SELECT id, period_from, period_to FROM plan WHERE key = $1").bind(plan_key).fetch_optional(&mut **tx).await?;
    let found = found.ok_or_else(|| StoreError::not_found(format!("không có kế hoạch «{plan_key}»"), format!("no plan «{plan_key}»")))?;
    let (plan, plan_from, plan_to): (i64, String, String) = (found.try_get(0)?, found.try_get(1)?, found.try_get(2)?);
    // A report is on the plan's work in the period: a period wholly before the
    // plan starts or after it ends has nothing to report under it.
    if iso(period.to) < plan_from || iso(period.from) > plan_to {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_or(d.to_string(), |d| d.format("%d/%m/%Y").to_string());
        return Err(StoreError::refused(
            format!("kỳ {} nằm ngoài thời gian của kế hoạch ({} – {})", period.label, day(&plan_from), day(&plan_to)),
            format!("the period {} lies outside the plan's time ({} – {})", period.label, day(&plan_from), day(&plan_to)),
        ));
    }
    let existing = sqlx::query(
        "SELECT id FROM report WHERE plan_id = $1 AND unit_id = $2 AND COALESCE(agency_id, 0) = $5 AND period_from = $3 AND period_to = $4",
    )
    .bind(plan)
    .bind(unit_id)
    .bind(iso(period.from))
    .bind(iso(period.to))
    .bind(agency_id.unwrap_or(0))
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = existing {
        let id: i64 = r.try_get(0)?;
        let who = if agency_id.is_some() { ("cơ quan", "the agency") } else { ("đơn vị", "the unit") };
        return Err(StoreError::conflict(
            format!("{} đã có báo cáo kỳ {} (số {id}); hãy mở báo cáo đó", who.0, period.label),
            format!("{} already has a report for {} (number {id}); open that one", who.1, period.label),
        ));
    }
    let row = sqlx::query(
        "INSERT INTO report (plan_id, unit_id, agency_id, period_label, period_from, period_to, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(plan)
    .bind(unit_id)
    .bind(agency_id)
    .bind(period.label.clone())
    .bind(iso(period.from))
    .bind(iso(period.to))
    .bind(actor.to_string())
    .bind(now())
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get(0)?;
    append(tx, &AuditEntry { actor, action: "report_create", subject: &format!("report#{id}"), detail: &period.label }).await?;
    Ok(id)
}

async fn current(tx: &mut Tx<'_>, id: i64) -> Result<(ReportStatus, i64), StoreError> {
    let row = sqlx::query("SELECT status, version FROM report WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
    let row = row.ok_or_else(|| StoreError::not_found(format!("không có báo cáo số {id}"), format!("no report {id}")))?;
    let status: String = row.try_get(0)?;
    Ok((status.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))?, row.try_get(1)?))
}

fn stale(affected: u64, current: i64, read: i64) -> Result<(), StoreError> {
    if affected == 1 {
        Ok(())
    } else {
        Err(StoreError::conflict(
            format!("báo cáo đã được người khác sửa (phiên bản {current}, bạn đã đọc phiên bản {read}); hãy tải lại"),
            format!("the report was changed by someone else (version {current}, you read {read}); reload"),
        ))
    }
}

/// Before the reform, a district's report waits for every commune of the district.
async fn communes_accepted(tx: &mut Tx<'_>, id: i64, units: &UnitIndex) -> Result<(), StoreError> {
    // An agency's report waits for no one.
    let r = sqlx::query("SELECT plan_id, unit_id, period_from, period_to FROM report WHERE id = $1 AND agency_id IS NULL")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(r) = r else { return Ok(()) };
    let (plan, unit, from, to): (i64, i64, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
    let Some(u) = units.get(unit) else { return Ok(()) };
    if u.level != Level::District || date_of(&to)? >= REFORM_DAY {
        return Ok(());
    }
    let day = date_of(&from)?;
    let communes: Vec<i64> = units.within(unit, Level::Commune).into_iter().filter(|c| units.get(*c).is_some_and(|c| c.valid_on(day))).collect();
    let accepted = sqlx::query(
        "SELECT unit_id FROM report WHERE plan_id = $1 AND period_from = $2 AND period_to = $3 AND status = 'accepted' AND agency_id IS NULL",
    )
    .bind(plan)
    .bind(from)
    .bind(to)
    .fetch_all(&mut **tx)
    .await?
    .iter()
    .map(|r| r.try_get::<i64, _>(0))
    .collect::<Result<std::collections::HashSet<i64>, _>>()?;
    let missing: Vec<&str> = communes.iter().filter(|c| !accepted.contains(c)).filter_map(|c| units.get(*c)).map(|c| c.name.as_str()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(StoreError::refused(
            format!("chưa chấp nhận được: còn {} xã chưa có báo cáo được chấp nhận ({})", missing.len(), missing.join(", ")),
            format!("cannot accept yet: {} communes have no accepted report ({})", missing.len(), missing.join(", ")),
        ))
    }
}

/// The unit and the units above it.
fn chain(units: &UnitIndex, unit_id: i64) -> Vec<i64> {
    let mut chain = vec![unit_id];
    let mut at = units.get(unit_id).and_then(|u| u.parent_id);
    while let Some(p) = at {
        chain.push(p);
        at = units.get(p).and_then(|u| u.parent_id);
    }
    chain
}

fn locked_error(units: &UnitIndex, label: &str, unit: i64, day: NaiveDate) -> StoreError {
    let name = units.get(unit).map_or_else(|| unit.to_string(), |u| u.name.clone());
    StoreError::locked(
        format!(
            "kỳ báo cáo {label} của {name} đã được chấp nhận và khóa số liệu ngày {}; cần điều phối viên mở lại báo cáo",
            pcmd_domain::date::format_vn(day)
        ),
        format!("the {label} report of {name} was accepted and locks the data of {day}; a coordinator must reopen it"),
    )
}

/// Refuses a write into a period that an accepted report of the record's unit
/// (or of a unit above it) has locked.
pub(crate) async fn check_unlocked(tx: &mut Tx<'_>, units: &UnitIndex, unit_id: i64, day: NaiveDate) -> Result<(), StoreError> {
    let ids: Vec<String> = chain(units, unit_id).iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT r.period_label, r.unit_id FROM report r WHERE r.status = 'accepted' AND r.agency_id IS NULL AND r.period_from <= $1 AND r.period_to >= $1 \
         AND r.unit_id IN ({}) LIMIT 1",
        ids.join(",")
    );
    if let Some(r) = sqlx::query(&sql).bind(iso(day)).fetch_optional(&mut **tx).await? {
        let label: String = r.try_get(0)?;
        return Err(locked_error(units, &label, r.try_get(1)?, day));
    }
    Ok(())
}

/// The periods accepted reports lock, read once for a batch of records
/// (`check_unlocked` in memory): by unit, each with its period's label, first and last day.
pub(crate) struct Locks(std::collections::HashMap<i64, Vec<(String, String, String)>>);

impl Locks {
    pub(crate) async fn read(tx: &mut Tx<'_>) -> Result<Locks, StoreError> {
        let rows = sqlx::query("SELECT period_label, unit_id, period_from, period_to FROM report WHERE status = 'accepted' AND agency_id IS NULL")
            .fetch_all(&mut **tx)
            .await?;
        let mut locks: std::collections::HashMap<i64, Vec<(String, String, String)>> = std::collections::HashMap::new();
        for r in rows {
            locks.entry(r.try_get(1)?).or_default().push((r.try_get(0)?, r.try_get(2)?, r.try_get(3)?));
        }
        Ok(Locks(locks))
    }

    /// The refusal of a write in `unit_id` on `day`, as `check_unlocked` gives it.
    pub(crate) fn refusal(&self, units: &UnitIndex, unit_id: i64, day: NaiveDate) -> Option<StoreError> {
        if self.0.is_empty() {
            return None;
        }
        let day_text = iso(day);
        chain(units, unit_id).into_iter().find_map(|unit| {
            let periods = self.0.get(&unit)?;
            let (label, _, _) = periods.iter().find(|(_, from, to)| *from <= day_text && *to >= day_text)?;
            Some(locked_error(units, label, unit, day))
        })
    }
}

impl Store {
    /// Whether any report is accepted (and so may lock records).
    pub async fn any_accepted_report(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM report WHERE status = 'accepted' AND agency_id IS NULL LIMIT 1").fetch_optional(self.pool()).await?.is_some())
    }
}
