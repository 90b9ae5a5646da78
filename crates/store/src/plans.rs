//! Plans with their targets, tasks and budget lines.

use crate::agencies::{agency_id, unit_id_on};
use crate::units::{date_of, iso};
use crate::{content_hash, Store, StoreError, Tx};
use chrono::NaiveDate;
use pcmd_domain::plan::Plan;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SaveOutcome {
    Inserted,
    Unchanged,
    Replaced,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanSummary {
    pub key: String,
    pub number: String,
    pub kind: String,
    pub title: String,
    pub issuer: String,
    pub issued_on: Option<NaiveDate>,
    pub unit_code: Option<String>,
    pub unit_name: Option<String>,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub implements: Option<String>,
    pub target_count: i64,
    pub task_count: i64,
    pub budget_total: Option<i64>,
}

impl PlanSummary {
    /// The kind of document as a Vietnamese text names it: "Nghị quyết", "Kế hoạch"…
    pub fn kind_label(&self) -> &'static str {
        match self.kind.as_str() {
            "resolution" => "Nghị quyết",
            "decision" => "Quyết định",
            "programme" => "Chương trình",
            _ => "Kế hoạch",
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TargetView {
    pub code: String,
    pub group: String,
    pub clause: Option<String>,
    pub text: String,
    pub indicator: String,
    pub indicator_kind: String,
    pub comparator: String,
    pub threshold_low: f64,
    pub threshold_high: Option<f64>,
    pub evaluation: String,
    pub scope_level: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    /// For a reported target: the agency that reports its value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reporter_name: Option<String>,
    #[serde(skip)]
    pub plan_key: String,
}

impl TargetView {
    /// Whether an agency reports the value (no indicator computes it).
    pub fn is_reported(&self) -> bool {
        self.indicator == pcmd_domain::plan::IndicatorId::Reported.code()
    }

    /// The target as the engine takes it, typed; `None` for a stored code the
    /// catalogue no longer knows (plans are checked against it when loaded).
    pub fn typed(&self) -> Option<pcmd_domain::plan::Target> {
        use pcmd_domain::plan::IndicatorKind;
        use pcmd_domain::plan::{Comparator, Evaluation, IndicatorId, Target};
        let indicator = IndicatorId::from_code(&self.indicator)?;
        let kind = if indicator.is_reported() {
            [IndicatorKind::PercentOfItems, IndicatorKind::Count, IndicatorKind::Growth].into_iter().find(|k| k.as_str() == self.indicator_kind)?
        } else {
            pcmd_domain::plan::indicator::find(indicator.code())?.kind
        };
        Some(Target {
            code: self.code.clone(),
            group: self.group.clone(),
            clause: self.clause.clone(),
            text: self.text.clone(),
            indicator,
            kind,
            comparator: match self.comparator.as_str() {
                "at_most" => Comparator::AtMost,
                "between" => Comparator::Between,
                _ => Comparator::AtLeast,
            },
            threshold_low: self.threshold_low,
            threshold_high: self.threshold_high,
            evaluation: if self.evaluation == "whole_period" { Evaluation::WholePeriod } else { Evaluation::EachYear },
            scope_level: self.scope_level.parse().ok()?,
            period_from: self.period_from,
            period_to: self.period_to,
            reporter: self.reporter.clone(),
            plan_key: self.plan_key.clone(),
        })
    }

    /// The threshold as people read it: "≥ 70%", "+3% – +5%", "≥ 1".
    pub fn threshold_text(&self) -> String {
        pcmd_domain::plan::indicator::threshold_text(&self.indicator_kind, &self.comparator, self.threshold_low, self.threshold_high)
    }

    /// The code as the plan prints it: "a3" for the key `a3.workers`, which tells
    /// apart the several figures one printed target asks for; "3.3.2" for
    /// `3.3.2.inspected`; a numbered clause keeps all its numbers ("3.1.1").
    pub fn printed_code(&self) -> &str {
        printed_code(&self.code)
    }

    /// The printed code with the start of the target's text, for a heading or a choice.
    pub fn short_label(&self, chars: usize) -> String {
        let text: String = self.text.chars().take(chars).collect();
        let more = if self.text.chars().count() > chars { "…" } else { "" };
        format!("{} — {text}{more}", self.printed_code())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TaskView {
    pub code: String,
    pub title: String,
    pub text: String,
    pub lead_agency: String,
    pub lead_agency_name: String,
    pub co_agencies: Vec<String>,
    pub due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BudgetLineView {
    pub year: i64,
    pub item: String,
    pub agency: Option<String>,
    pub allocated: i64,
    pub spent: Option<i64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlanView {
    pub summary: PlanSummary,
    pub note: Option<String>,
    pub budget_source: Option<String>,
    pub budget_lines: Vec<BudgetLineView>,
    pub targets: Vec<TargetView>,
    pub tasks: Vec<TaskView>,
    /// Chế độ báo cáo, in the plan's order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub duties: Vec<crate::plan_duties::DutyView>,
    pub original_text: Option<String>,
}

impl PlanView {
    /// The plan's targets as the engine takes them.
    pub fn typed_targets(&self) -> Vec<pcmd_domain::plan::Target> {
        self.targets.iter().filter_map(TargetView::typed).collect()
    }
}

/// Stores a validated plan under its key: new, unchanged (same content), or
/// replaced with its targets, tasks and budget lines written anew.
pub async fn save_plan(tx: &mut Tx<'_>, plan: &Plan, saver: crate::plan_versions::Saver<'_>) -> Result<SaveOutcome, StoreError> {
    let json = serde_json::to_vec(plan).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))?;
    let hash = content_hash(&[&json]);
    let existing = sqlx::query("SELECT id, content_hash FROM plan WHERE key = $1").bind(plan.key.clone()).fetch_optional(&mut **tx).await?;
    let unit_id = match &plan.unit_code {
        Some(code) => Some(unit_id_on(tx, code, plan.period_from).await?),
        None => None,
    };
    let parent_id = match &plan.implements {
        Some(p) => Some(find_plan_id(tx, p).await?),
        None => None,
    };
    let values = |q: sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>>| {
        q.bind(plan.key.clone())
            .bind(plan.number.clone())
            .bind(plan.kind.as_str())
            .bind(plan.title.clone())
            .bind(plan.issuer.clone())
            .bind(plan.issued_on.map(iso))
            .bind(unit_id)
            .bind(iso(plan.period_from))
            .bind(iso(plan.period_to))
            .bind(parent_id)
            .bind(plan.note.clone())
            .bind(plan.original_text.clone())
            .bind(plan.budget_total)
            .bind(plan.budget_source.clone())
            .bind(hash.clone())
    };
    let (plan_id, outcome) = match existing {
        Some(row) => {
            let id: i64 = row.try_get(0)?;
            if row.try_get::<String, _>(1)? == hash {
                return Ok(SaveOutcome::Unchanged);
            }
            // Tasks with progress reports are not dropped from under them: say so instead of a fault.
            let reported: i64 = sqlx::query("SELECT COUNT(*) FROM task_progress p JOIN task k ON k.id = p.task_id WHERE k.plan_id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
            if reported > 0 {
                return Err(StoreError::refused(
                    format!("kế hoạch «{}» đã có {reported} báo cáo tiến độ nhiệm vụ: chưa thể thay nội dung kế hoạch", plan.key),
                    format!("plan «{}» has {reported} task progress reports: its content cannot be replaced yet", plan.key),
                ));
            }
            // Reported values are kept by target code: the code must still be a reported target measuring the same.
            let reported = sqlx::query(
                "SELECT DISTINCT v.target_code, t.indicator_kind FROM target_value v LEFT JOIN target t ON t.plan_id = v.plan_id AND t.code = v.target_code \
                 WHERE v.plan_id = $1",
            )
            .bind(id)
            .fetch_all(&mut **tx)
            .await?;
            for r in &reported {
                let (code, kind): (String, Option<String>) = (r.try_get(0)?, r.try_get(1)?);
                let kept = plan.targets.iter().any(|t| t.code == code && t.indicator.is_reported() && Some(t.kind.as_str()) == kind.as_deref());
                if !kept {
                    return Err(StoreError::refused(
                        format!(
                            "chỉ tiêu «{code}» của kế hoạch «{}» đã có số liệu báo cáo: phải giữ là chỉ tiêu do cơ quan báo cáo, cùng đơn vị đo",
                            plan.key
                        ),
                        format!("target «{code}» of plan «{}» has reported values: it must stay a reported target measuring the same", plan.key),
                    ));
                }
            }
            for table in ["target", "task", "budget_line", "plan_duty"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE plan_id = $1")).bind(id).execute(&mut **tx).await?;
            }
            let q = sqlx::query(
                "UPDATE plan SET number = $2, kind = $3, title = $4, issuer = $5, issued_on = $6, unit_id = $7, period_from = $8, \
                 period_to = $9, parent_id = $10, note = $11, original_text = $12, budget_total = $13, budget_source = $14, \
                 content_hash = $15, version = version + 1 WHERE key = $1",
            );
            values(q).execute(&mut **tx).await?;
            (id, SaveOutcome::Replaced)
        }
        None => {
            let q = sqlx::query(
                "INSERT INTO plan (key, number, kind, title, issuer, issued_on, unit_id, period_from, period_to, parent_id, note, \
                 original_text, budget_total, budget_source, content_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            );
            let row = values(q).fetch_one(&mut **tx).await?;
            (row.try_get(0)?, SaveOutcome::Inserted)
        }
    };
    for (pos, t) in plan.targets.iter().enumerate() {
        let reporter = match &t.reporter {
            Some(code) => Some(agency_id(tx, code).await?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO target (plan_id, position, code, group_code, clause, text, indicator, indicator_kind, comparator, threshold_low, \
             threshold_high, evaluation, scope_level, period_from, period_to, reporter_agency_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .persistent(false) // binds a nullable float (see `crate::Tx`)
        .bind(plan_id)
        .bind(pos as i64 + 1)
        .bind(t.code.clone())
        .bind(t.group.clone())
        .bind(t.clause.clone())
        .bind(t.text.clone())
        .bind(t.indicator.code())
        .bind(t.kind.as_str())
        .bind(t.comparator.as_str())
        .bind(t.threshold_low)
        .bind(t.threshold_high)
        .bind(t.evaluation.as_str())
        .bind(t.scope_level.as_str())
        .bind(iso(t.period_from))
        .bind(iso(t.period_to))
        .bind(reporter)
        .execute(&mut **tx)
        .await?;
    }
    for (pos, t) in plan.tasks.iter().enumerate() {
        let lead = agency_id(tx, &t.lead_agency).await?;
        let row = sqlx::query(
            "INSERT INTO task (plan_id, position, code, title, text, lead_agency_id, due) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(plan_id)
        .bind(pos as i64 + 1)
        .bind(t.code.clone())
        .bind(t.title.clone())
        .bind(t.text.clone())
        .bind(lead)
        .bind(t.due.map(iso))
        .fetch_one(&mut **tx)
        .await?;
        let task_id: i64 = row.try_get(0)?;
        for co in &t.co_agencies {
            let co_id = agency_id(tx, co).await?;
            sqlx::query("INSERT INTO task_co_agency (task_id, agency_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(task_id)
                .bind(co_id)
                .execute(&mut **tx)
                .await?;
        }
    }
    for b in &plan.budget_lines {
        let agency = match &b.agency {
            Some(code) => Some(agency_id(tx, code).await?),
            None => None,
        };
        sqlx::query("INSERT INTO budget_line (plan_id, year, item, agency_id, allocated) VALUES ($1, $2, $3, $4, $5)")
            .bind(plan_id)
            .bind(i64::from(b.year))
            .bind(b.item.clone())
            .bind(agency)
            .bind(b.allocated)
            .execute(&mut **tx)
            .await?;
    }
    crate::plan_duties::save(tx, plan_id, &plan.duties).await?;
    // A plan read into the store is an audited act, and moves the data version:
    // figures cached under the old version were computed against the old targets.
    // The version is kept with what changed, and the audit entry says it too.
    let content = serde_json::to_value(plan).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))?;
    let changed = crate::plan_versions::record(tx, plan_id, &content, saver).await?;
    let detail = format!("{:?} ({}): {}", outcome, saver.how, changed.join("; "));
    crate::audit::append(tx, &crate::audit::AuditEntry { actor: saver.who, action: "plan_save", subject: &plan.key, detail: &detail }).await?;
    Ok(outcome)
}

async fn find_plan_id(tx: &mut Tx<'_>, number_or_key: &str) -> Result<i64, StoreError> {
    let rows = sqlx::query("SELECT id FROM plan WHERE key = $1 OR number = $1").bind(number_or_key).fetch_all(&mut **tx).await?;
    match rows.as_slice() {
        [one] => Ok(one.try_get(0)?),
        [] => Err(not_found(number_or_key)),
        _ => Err(ambiguous(number_or_key)),
    }
}

fn not_found(what: &str) -> StoreError {
    StoreError::not_found(format!("không tìm thấy kế hoạch «{what}»"), format!("no plan «{what}»"))
}

fn ambiguous(what: &str) -> StoreError {
    StoreError::refused(
        format!("có nhiều kế hoạch cùng số «{what}»: hãy dùng khóa (xem `pcmd plans list`)"),
        format!("several plans have the number «{what}»: use the key (see `pcmd plans list`)"),
    )
}

const SUMMARY: &str = "SELECT p.id, p.key, p.number, p.kind, p.title, p.issuer, p.issued_on, u.code, u.name, p.period_from, p.period_to, \
     pp.number, (SELECT COUNT(*) FROM target t WHERE t.plan_id = p.id), (SELECT COUNT(*) FROM task k WHERE k.plan_id = p.id), \
     p.budget_total, p.note, p.budget_source, p.original_text \
     FROM plan p LEFT JOIN unit u ON u.id = p.unit_id LEFT JOIN plan pp ON pp.id = p.parent_id";

fn opt_date(row: &AnyRow, i: usize) -> Result<Option<NaiveDate>, StoreError> {
    row.try_get::<Option<String>, _>(i)?.as_deref().map(date_of).transpose()
}

fn summary_from(r: &AnyRow) -> Result<PlanSummary, StoreError> {
    Ok(PlanSummary {
        key: r.try_get(1)?,
        number: r.try_get(2)?,
        kind: r.try_get(3)?,
        title: r.try_get(4)?,
        issuer: r.try_get(5)?,
        issued_on: opt_date(r, 6)?,
        unit_code: r.try_get(7)?,
        unit_name: r.try_get(8)?,
        period_from: date_of(&r.try_get::<String, _>(9)?)?,
        period_to: date_of(&r.try_get::<String, _>(10)?)?,
        implements: r.try_get(11)?,
        target_count: r.try_get(12)?,
        task_count: r.try_get(13)?,
        budget_total: r.try_get(14)?,
    })
}

impl Store {
    /// Whether the database holds synthetic demo records, which every page must say.
    pub async fn has_synthetic_records(&self) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM dataset WHERE name LIKE 'synthetic%'").fetch_optional(self.pool()).await?.is_some())
    }

    /// The id of the unit a plan covers, if any.
    pub async fn plan_unit(&self, key: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT unit_id FROM plan WHERE key = $1").bind(key).fetch_optional(self.pool()).await?;
        Ok(row.map(|r| r.try_get::<Option<i64>, _>(0)).transpose()?.flatten())
    }

    /// Every plan, the national ones first, then by period and number.
    pub async fn plans(&self) -> Result<Vec<PlanSummary>, StoreError> {
        let rows = sqlx::query(&format!("{SUMMARY} ORDER BY p.period_from, p.issued_on, p.key")).fetch_all(self.pool()).await?;
        rows.iter().map(summary_from).collect()
    }

    /// One plan by number (`117/NQ-HĐND`) or key, with everything it holds.
    pub async fn plan(&self, number_or_key: &str) -> Result<PlanView, StoreError> {
        let rows = sqlx::query(&format!("{SUMMARY} WHERE p.key = $1 OR p.number = $1")).bind(number_or_key).fetch_all(self.pool()).await?;
        let row = match rows.as_slice() {
            [one] => one,
            [] => return Err(not_found(number_or_key)),
            _ => return Err(ambiguous(number_or_key)),
        };
        let id: i64 = row.try_get(0)?;
        let plan_key: String = row.try_get(1)?;
        let targets = sqlx::query(
            "SELECT t.code, t.group_code, t.clause, t.text, t.indicator, t.indicator_kind, t.comparator, t.threshold_low, t.threshold_high, \
             t.evaluation, t.scope_level, t.period_from, t.period_to, a.code, a.name FROM target t LEFT JOIN agency a ON a.id = t.reporter_agency_id \
             WHERE t.plan_id = $1 ORDER BY t.position",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(TargetView {
                code: r.try_get(0)?,
                group: r.try_get(1)?,
                clause: r.try_get(2)?,
                text: r.try_get(3)?,
                indicator: r.try_get(4)?,
                indicator_kind: r.try_get(5)?,
                comparator: r.try_get(6)?,
                threshold_low: r.try_get(7)?,
                threshold_high: r.try_get(8)?,
                evaluation: r.try_get(9)?,
                scope_level: r.try_get(10)?,
                period_from: date_of(&r.try_get::<String, _>(11)?)?,
                period_to: date_of(&r.try_get::<String, _>(12)?)?,
                reporter: r.try_get(13)?,
                reporter_name: r.try_get(14)?,
                plan_key: plan_key.clone(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let task_rows = sqlx::query(
            "SELECT k.id, k.code, k.title, k.text, a.code, a.name, k.due FROM task k JOIN agency a ON a.id = k.lead_agency_id \
             WHERE k.plan_id = $1 ORDER BY k.position",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let co_rows = sqlx::query(
            "SELECT c.task_id, a.code FROM task_co_agency c JOIN agency a ON a.id = c.agency_id JOIN task k ON k.id = c.task_id \
             WHERE k.plan_id = $1 ORDER BY a.code",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?;
        let mut tasks = Vec::with_capacity(task_rows.len());
        for r in &task_rows {
            let task_id: i64 = r.try_get(0)?;
            let mut co_agencies = Vec::new();
            for c in &co_rows {
                if c.try_get::<i64, _>(0)? == task_id {
                    co_agencies.push(c.try_get(1)?);
                }
            }
            tasks.push(TaskView {
                code: r.try_get(1)?,
                title: r.try_get(2)?,
                text: r.try_get(3)?,
                lead_agency: r.try_get(4)?,
                lead_agency_name: r.try_get(5)?,
                co_agencies,
                due: opt_date(r, 6)?,
            });
        }
        let budget_lines = sqlx::query(
            "SELECT b.year, b.item, a.code, b.allocated, b.spent FROM budget_line b LEFT JOIN agency a ON a.id = b.agency_id \
             WHERE b.plan_id = $1 ORDER BY b.year, b.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(BudgetLineView { year: r.try_get(0)?, item: r.try_get(1)?, agency: r.try_get(2)?, allocated: r.try_get(3)?, spent: r.try_get(4)? })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(PlanView {
            summary: summary_from(row)?,
            note: row.try_get(15)?,
            budget_source: row.try_get(16)?,
            original_text: row.try_get(17)?,
            budget_lines,
            targets,
            tasks,
            duties: crate::plan_duties::read(self, id).await?,
        })
    }
}

/// The printed part of a target's key: what follows the last dot is a figure's
/// name when it starts with a letter (`a3.workers`, `3.3.2.inspected`), a
/// clause's number otherwise (`3.1.1`).
pub fn printed_code(code: &str) -> &str {
    match code.rsplit_once('.') {
        Some((printed, name)) if name.chars().next().is_some_and(char::is_alphabetic) => printed,
        _ => code,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_printed_code_keeps_a_clauses_numbers_and_drops_a_figures_name() {
        // Lai Châu's clauses were all printed "3" (the review of 07/12/2026).
        assert_eq!(super::printed_code("3.1.1"), "3.1.1");
        assert_eq!(super::printed_code("3.3.2.inspected"), "3.3.2");
        assert_eq!(super::printed_code("3.1.3.students"), "3.1.3");
        assert_eq!(super::printed_code("a3.workers"), "a3");
        assert_eq!(super::printed_code("đ.province"), "đ");
        assert_eq!(super::printed_code("c1"), "c1");
    }
}
