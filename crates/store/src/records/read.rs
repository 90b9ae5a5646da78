//! Reading records back for lists, detail views and forms: one description
//! per kind of where its rows live, which columns it shows, and how it is
//! filtered by unit, period and status.

use crate::units::iso;
use crate::{Sealer, Store, StoreError};
use chrono::NaiveDate;
use pcmd_domain::records::describe::Stored;
use pcmd_domain::records::form::RecordKind;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ty {
    Int,
    Text,
}

use Ty::{Int, Text};

/// Where a kind's rows live and how they are filtered; the columns shown are
/// its description's (`RecordKind::columns`) and the `extra` the store adds.
struct Spec {
    table: &'static str,
    from: &'static str,
    /// The unit a row belongs to (for scope).
    unit: &'static str,
    /// The day a row is dated by, or its year.
    date: Option<&'static str>,
    year: Option<&'static str>,
    /// What the status filter compares with.
    status: Option<&'static str>,
    /// Sorted by name in Vietnamese order rather than by date.
    by_name: bool,
    /// Columns the store adds to the described ones: (after the key, key, expression, type).
    extra: &'static [(&'static str, &'static str, &'static str, Ty)],
    columns: Vec<Col>,
}

/// A column read back: its key, the SQL that reads it, its type.
struct Col {
    key: &'static str,
    expr: String,
    ty: Ty,
}

const OPEN_CLOSED: &str = "CASE WHEN r.closed_on IS NULL THEN 'open' ELSE 'closed' END";

/// The kind's described fields as stored (the unit as `unit_id`), with the spec's extras in place.
fn columns_of(kind: RecordKind, unit: &str, extra: &[(&'static str, &'static str, &'static str, Ty)]) -> Vec<Col> {
    let mut out = Vec::new();
    let add_after = |out: &mut Vec<Col>, key: &str| {
        for (_, k, expr, ty) in extra.iter().filter(|e| e.0 == key) {
            out.push(Col { key: k, expr: expr.to_string(), ty: *ty });
        }
    };
    for c in kind.columns() {
        let col = match c.stored {
            Stored::Unit => Col { key: "unit_id", expr: unit.to_string(), ty: Int },
            Stored::Int => Col { key: c.key, expr: format!("r.{}", c.key), ty: Int },
            Stored::Text => Col { key: c.key, expr: format!("r.{}", c.key), ty: Text },
            Stored::Elsewhere => continue,
        };
        out.push(col);
        add_after(&mut out, c.key);
    }
    out
}

fn spec(kind: RecordKind) -> Option<Spec> {
    use RecordKind as K;
    let s = |date, year, status| Spec {
        table: kind.as_str(),
        from: "",
        unit: "r.unit_id",
        date,
        year,
        status,
        by_name: false,
        extra: &[],
        columns: Vec::new(),
    };
    let mut spec = match kind {
        K::Establishment => Spec { by_name: true, ..s(None, None, Some(OPEN_CLOSED)) },
        K::Activity => s(Some("r.held_on"), None, Some("r.form")),
        K::Publication => s(Some("r.published_on"), None, Some("r.medium")),
        K::Inspection => Spec {
            from: " JOIN establishment e ON e.id = r.establishment_id",
            unit: "e.unit_id",
            extra: &[("establishment_id", "establishment", "e.name", Text), ("establishment_id", "unit_id", "e.unit_id", Int)],
            ..s(Some("r.inspected_on"), None, Some("r.team_level"))
        },
        K::Tip => Spec {
            extra: &[
                ("status", "due_on", "r.due_on", Text),
                ("accepted_on", "deadline", "r.deadline", Text),
                ("outcome", "rule_code", "r.rule_code", Text),
            ],
            ..s(Some("r.received_on"), None, Some("r.status"))
        },
        K::CaseSummary | K::DistrictPlan => s(None, Some("r.year"), None),
        K::PilotModel => Spec { by_name: true, ..s(Some("r.started_on"), None, Some("r.status")) },
        K::SupportCase => s(Some("r.opened_on"), None, Some(OPEN_CLOSED)),
        K::Training => s(Some("r.held_on"), None, Some("r.level")),
        K::ReferenceFigure => s(None, Some("r.year"), Some("r.kind")),
        // Progress and spending belong to a plan's tasks and budget lines: shown on the plan's page.
        K::TaskProgress | K::BudgetSpending => return None,
    };
    spec.columns = columns_of(kind, spec.unit, spec.extra);
    Some(spec)
}

/// Whether a kind has its own list, form and detail pages.
pub fn has_pages(kind: RecordKind) -> bool {
    spec(kind).is_some()
}

/// The keys a list of `kind` shows, in order.
pub fn list_keys(kind: RecordKind) -> Vec<&'static str> {
    spec(kind).map(|s| s.columns.iter().map(|c| c.key).collect()).unwrap_or_default()
}

/// Which records a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// The units whose records may be shown (the user's scope, narrowed by a chosen unit).
    pub units: Vec<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A value of the kind's status column; for tips also `overdue` (open past the deadline on `today`).
    pub status: Option<String>,
    pub today: Option<NaiveDate>,
    /// Words that a row's text or number must hold (case and composition ignored); sealed text is never searched.
    pub search: Option<String>,
    /// A column key to sort by, and whether from the largest (latest) down.
    pub sort: Option<(String, bool)>,
    pub offset: i64,
    pub limit: i64,
}

/// A record as read back: raw values by key (dates ISO, flags 0/1).
#[derive(Debug, Clone)]
pub struct RecordItem {
    pub id: i64,
    pub version: i64,
    pub unit_id: i64,
    pub cells: Vec<(&'static str, Option<String>)>,
    pub source: String,
    pub entered_by: Option<String>,
    pub entered_at: String,
}

impl RecordItem {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.cells.iter().find(|(k, _)| *k == key).and_then(|(_, v)| v.as_deref())
    }
}

/// One line of a record's history.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

fn item_of(spec: &Spec, row: &AnyRow) -> Result<RecordItem, StoreError> {
    let mut cells = Vec::with_capacity(spec.columns.len());
    for (i, Col { key, ty, .. }) in spec.columns.iter().enumerate() {
        let at = i + 6;
        let v = match ty {
            Int => row.try_get::<Option<i64>, _>(at)?.map(|n| n.to_string()),
            Text => row.try_get::<Option<String>, _>(at)?,
        };
        cells.push((*key, v));
    }
    Ok(RecordItem {
        id: row.try_get(0)?,
        version: row.try_get(1)?,
        unit_id: row.try_get(2)?,
        source: row.try_get(3)?,
        entered_by: row.try_get(4)?,
        entered_at: row.try_get(5)?,
        cells,
    })
}

fn select(spec: &Spec) -> String {
    let cols: Vec<&str> = spec.columns.iter().map(|c| c.expr.as_str()).collect();
    format!("SELECT r.id, r.version, {}, r.source, r.entered_by, r.entered_at, {} FROM {} r{}", spec.unit, cols.join(", "), spec.table, spec.from)
}

fn unknown(kind: RecordKind) -> StoreError {
    StoreError::not_found(format!("không có trang cho loại hồ sơ «{}»", kind.label_vi()), format!("no pages for records of kind «{kind}»"))
}

impl Store {
    /// A page of records of `kind` and how many match in all.
    pub async fn list_records(&self, kind: RecordKind, f: &ListFilter) -> Result<(Vec<RecordItem>, i64), StoreError> {
        let spec = spec(kind).ok_or_else(|| unknown(kind))?;
        if f.units.is_empty() {
            return Ok((Vec::new(), 0));
        }
        // Unit ids are integers from the unit index, so they are written into the statement.
        let ids: Vec<String> = f.units.iter().map(i64::to_string).collect();
        let mut conds = vec![format!("{} IN ({})", spec.unit, ids.join(","))];
        let mut binds: Vec<String> = Vec::new();
        let mark = |v: String, binds: &mut Vec<String>| {
            binds.push(v);
            format!("${}", binds.len())
        };
        if let Some(d) = spec.date {
            if let Some(from) = f.from {
                conds.push(format!("{d} >= {}", mark(iso(from), &mut binds)));
            }
            if let Some(to) = f.to {
                conds.push(format!("{d} <= {}", mark(iso(to), &mut binds)));
            }
        }
        if let Some(y) = spec.year {
            use chrono::Datelike;
            // Years are integers: written into the statement.
            if let Some(from) = f.from {
                conds.push(format!("{y} >= {}", from.year()));
            }
            if let Some(to) = f.to {
                conds.push(format!("{y} <= {}", to.year()));
            }
        }
        match (f.status.as_deref().filter(|s| !s.is_empty()), spec.status) {
            (Some("overdue"), _) if kind == RecordKind::Tip => {
                let today = iso(f.today.unwrap_or_else(pcmd_domain::date::today_vn));
                conds.push(format!("r.status IN ({}) AND r.due_on < {}", pcmd_domain::policy::open_tip_statuses_sql(), mark(today, &mut binds)));
            }
            (Some("open"), _) if kind == RecordKind::Tip => conds.push(format!("r.status IN ({})", pcmd_domain::policy::open_tip_statuses_sql())),
            (Some(s), Some(col)) => conds.push(format!("{col} = {}", mark(s.to_string(), &mut binds))),
            _ => {}
        }
        let wher = conds.join(" AND ");
        let count_sql = format!("SELECT COUNT(*) FROM {} r{} WHERE {wher}", spec.table, spec.from);
        let mut q = sqlx::query(&count_sql);
        for b in &binds {
            q = q.bind(b.clone());
        }
        let total: i64 = q.fetch_one(self.pool()).await?.try_get(0)?;
        let order = match (spec.date, spec.year) {
            (Some(d), _) => format!("{d} DESC, r.id DESC"),
            (None, Some(y)) => format!("{y} DESC, r.id DESC"),
            _ => "r.id DESC".into(),
        };
        // Searching and sorting by a column go through Vietnamese collation and case
        // folding, which neither database knows: the rows are read whole and paged here.
        let search = f.search.as_deref().map(|t| pcmd_domain::text::nfc(t.trim()).to_lowercase()).filter(|t| !t.is_empty());
        let sort = f.sort.as_ref().and_then(|(key, desc)| spec.columns.iter().find(|c| c.key == key).map(|c| (c.key, c.ty, *desc)));
        let paged = !spec.by_name && search.is_none() && sort.is_none();
        let mut sql = format!("{} WHERE {wher} ORDER BY {order}", select(&spec));
        if paged {
            sql.push_str(&format!(" LIMIT {} OFFSET {}", f.limit.max(1), f.offset.max(0)));
        }
        let mut q = sqlx::query(&sql);
        for b in &binds {
            q = q.bind(b.clone());
        }
        let rows = q.fetch_all(self.pool()).await?;
        let mut items = rows.iter().map(|r| item_of(&spec, r)).collect::<Result<Vec<_>, _>>()?;
        if paged {
            return Ok((items, total));
        }
        let mut total = total;
        if let Some(words) = &search {
            items.retain(|i| {
                i.id.to_string() == *words
                    || i.cells.iter().any(|(_, v)| v.as_deref().is_some_and(|v| pcmd_domain::text::nfc(v).to_lowercase().contains(words.as_str())))
            });
            total = i64::try_from(items.len()).unwrap_or(i64::MAX);
        }
        match sort {
            Some((key, ty, desc)) => {
                items.sort_by(|a, b| {
                    let (x, y) = (a.get(key).unwrap_or(""), b.get(key).unwrap_or(""));
                    let order = match ty {
                        Int => x.parse::<i64>().unwrap_or(i64::MIN).cmp(&y.parse::<i64>().unwrap_or(i64::MIN)),
                        Text => pcmd_domain::text::compare_vi(x, y),
                    };
                    (if desc { order.reverse() } else { order }).then(b.id.cmp(&a.id))
                });
            }
            // Names sort in Vietnamese dictionary order, which the databases do not know.
            None if spec.by_name => {
                let mut keyed: Vec<_> = items.into_iter().map(|i| (pcmd_domain::text::collation_key(i.get("name").unwrap_or("")), i)).collect();
                keyed.sort_by(|a, b| a.0.cmp(&b.0));
                items = keyed.into_iter().map(|(_, i)| i).collect();
            }
            None => {}
        }
        let items = items
            .into_iter()
            .skip(usize::try_from(f.offset.max(0)).unwrap_or(0))
            .take(usize::try_from(f.limit.max(1)).unwrap_or(usize::MAX))
            .collect();
        Ok((items, total))
    }

    /// One record of `kind`.
    pub async fn record(&self, kind: RecordKind, id: i64) -> Result<Option<RecordItem>, StoreError> {
        let spec = spec(kind).ok_or_else(|| unknown(kind))?;
        let sql = format!("{} WHERE r.id = $1", select(&spec));
        let row = sqlx::query(&sql).bind(id).fetch_optional(self.pool()).await?;
        row.map(|r| item_of(&spec, &r)).transpose()
    }

    /// Who wrote a record and when (from the audit log), a tip's status changes
    /// and a support case's services, oldest first.
    pub async fn record_history(&self, kind: RecordKind, id: i64) -> Result<Vec<HistoryLine>, StoreError> {
        let spec = spec(kind).ok_or_else(|| unknown(kind))?;
        let subject = format!("{}#{id}", spec.table);
        let mut lines = Vec::new();
        let rows = sqlx::query("SELECT at, actor, action, detail FROM audit_log WHERE subject = $1 ORDER BY id")
            .bind(subject)
            .fetch_all(self.pool())
            .await?;
        for r in &rows {
            lines.push(HistoryLine { at: r.try_get(0)?, actor: r.try_get(1)?, action: r.try_get(2)?, detail: r.try_get(3)? });
        }
        let extra = match kind {
            RecordKind::Tip => Some("SELECT entered_at, COALESCE(entered_by, ''), 'status', status || ' (' || happened_on || ')' || COALESCE(': ' || note, '') FROM tip_event WHERE tip_id = $1 ORDER BY id"),
            RecordKind::SupportCase => Some("SELECT entered_at, COALESCE(entered_by, ''), 'service', service || ' (' || provided_on || ')' FROM support_service WHERE case_id = $1 ORDER BY provided_on, id"),
            _ => None,
        };
        if let Some(sql) = extra {
            for r in &sqlx::query(sql).bind(id).fetch_all(self.pool()).await? {
                lines.push(HistoryLine { at: r.try_get(0)?, actor: r.try_get(1)?, action: r.try_get(2)?, detail: r.try_get(3)? });
            }
        }
        lines.sort_by(|a, b| a.at.cmp(&b.at));
        Ok(lines)
    }

    /// What a tip says, decrypted for `actor` (an investigator in scope: the
    /// caller checks), the read written to the audit log in the same transaction.
    pub async fn read_tip_content(&self, tip_id: i64, sealer: &Sealer, actor: &str) -> Result<Option<String>, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT content_sealed FROM tip WHERE id = $1").bind(tip_id).fetch_optional(&mut *tx).await?;
        let Some(sealed) = row.map(|r| r.try_get::<Option<Vec<u8>>, _>(0)).transpose()?.flatten() else {
            return Ok(None);
        };
        let text = sealer.open("tip.content", &sealed)?;
        let subject = format!("tip#{tip_id}");
        crate::audit::read_personal(&mut tx, actor, &subject, "content").await?;
        tx.commit().await?;
        Ok(Some(text))
    }
}

impl Store {
    /// The legal deadline rules as stored by `pcmd migrate`/`demo` (see
    /// `save_deadline_rules`), with the days off they count by.
    pub async fn deadline_rules(&self) -> Result<pcmd_domain::records::RulesFile, StoreError> {
        use pcmd_domain::records::{DaysOff, DeadlineRule, RulesFile};
        let bad = |e: String| StoreError::corrupt(e.clone(), e);
        let mut rules = Vec::new();
        for r in &sqlx::query("SELECT spec FROM deadline_rule WHERE spec IS NOT NULL ORDER BY code").fetch_all(self.pool()).await? {
            let spec: String = r.try_get(0)?;
            rules.push(serde_json::from_str::<DeadlineRule>(&spec).map_err(|e| bad(e.to_string()))?);
        }
        let day = |t: String| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| bad(e.to_string()));
        let mut days_off = DaysOff::default();
        for r in &sqlx::query("SELECT day, worked FROM rest_day").fetch_all(self.pool()).await? {
            let d = day(r.try_get(0)?)?;
            if r.try_get::<i64, _>(1)? == 1 {
                days_off.worked.insert(d);
            } else {
                days_off.off.insert(d);
            }
        }
        Ok(RulesFile { rules, days_off })
    }
}

/// The unit a record belongs to, read inside a transaction (to check a write's
/// scope before it is committed).
pub async fn record_unit(tx: &mut crate::Tx<'_>, kind: RecordKind, id: i64) -> Result<Option<i64>, StoreError> {
    let spec = spec(kind).ok_or_else(|| unknown(kind))?;
    let sql = format!("SELECT {} FROM {} r{} WHERE r.id = $1", spec.unit, spec.table, spec.from);
    let row = sqlx::query(&sql).bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| r.try_get::<i64, _>(0)).transpose().map_err(StoreError::from)
}

impl Store {
    /// The tips received in `units` between `from` and `to` (any day when None), for their statistics.
    pub async fn tip_handling(
        &self,
        units: &[i64],
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<pcmd_domain::records::TipFact>, StoreError> {
        if units.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = units.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT received_on, closed_on, status, due_on FROM tip WHERE unit_id IN ({}) \
             AND received_on >= $1 AND received_on <= $2",
            ids.join(",")
        );
        let from = from.map_or_else(|| "0000-01-01".to_string(), iso);
        let to = to.map_or_else(|| "9999-12-31".to_string(), iso);
        let day = |t: String| NaiveDate::parse_from_str(&t, "%Y-%m-%d").map_err(|e| StoreError::refused(e.to_string(), e.to_string()));
        let mut out = Vec::new();
        for r in &sqlx::query(&sql).bind(from).bind(to).fetch_all(self.pool()).await? {
            let status: String = r.try_get(2)?;
            out.push(pcmd_domain::records::TipFact {
                received_on: day(r.try_get(0)?)?,
                closed_on: r.try_get::<Option<String>, _>(1)?.map(day).transpose()?,
                status: status.parse().map_err(|e: String| StoreError::corrupt(e.clone(), e))?,
                due: r.try_get::<Option<String>, _>(3)?.map(day).transpose()?,
            });
        }
        Ok(out)
    }
}

/// Rows of each kind dated on or after `day` (or in a later year, for yearly
/// kinds) attached to any of `units`: what a unit change from `day` would
/// leave on units that no longer exist then. (kind, count), the non-zero ones.
pub(crate) async fn dated_from(tx: &mut crate::Tx<'_>, units: &[i64], day: chrono::NaiveDate) -> Result<Vec<(RecordKind, i64)>, StoreError> {
    use chrono::Datelike;
    let ids: Vec<String> = units.iter().map(i64::to_string).collect();
    let mut out = Vec::new();
    for &kind in RecordKind::ALL {
        let Some(s) = spec(kind) else { continue };
        let condition = match (s.date, s.year) {
            (Some(d), _) => format!("{d} >= '{}'", crate::units::iso(day)),
            (None, Some(y)) => format!("{y} > {}", day.year() - 1),
            (None, None) => continue,
        };
        if s.unit != "r.unit_id" || !s.from.is_empty() {
            continue;
        }
        let sql = format!("SELECT COUNT(*) FROM {} r WHERE r.unit_id IN ({}) AND {condition}", s.table, ids.join(","));
        let n: i64 = sqlx::query(&sql).fetch_one(&mut **tx).await?.try_get(0)?;
        if n > 0 {
            out.push((kind, n));
        }
    }
    Ok(out)
}

/// Moves the rows of `from` dated before `day` (or of earlier years, for
/// yearly kinds) to `to`: the records of a
/// commune whose predecessor the lists lacked go to the predecessor chosen to
/// hold them. The maintained aggregates follow (their triggers watch `unit_id`).
pub(crate) async fn move_dated_before(
    tx: &mut crate::Tx<'_>,
    from: i64,
    to: i64,
    day: chrono::NaiveDate,
) -> Result<Vec<(RecordKind, u64)>, StoreError> {
    use chrono::Datelike;
    let mut out = Vec::new();
    for &kind in RecordKind::ALL {
        let Some(s) = spec(kind) else { continue };
        if s.unit != "r.unit_id" || !s.from.is_empty() {
            continue;
        }
        // Establishments stay where they are: one open across the day belongs to the
        // listed commune as much as to a predecessor, and the territories cross the change.
        let condition = match (s.date, s.year) {
            (Some(d), _) => format!("{} < '{}'", d.trim_start_matches("r."), crate::units::iso(day)),
            (None, Some(y)) => format!("{} < {}", y.trim_start_matches("r."), day.year()),
            (None, None) => continue,
        };
        let sql = format!("UPDATE {} SET unit_id = $1 WHERE unit_id = $2 AND {condition}", s.table);
        let n = sqlx::query(&sql).bind(to).bind(from).execute(&mut **tx).await?.rows_affected();
        if n > 0 {
            out.push((kind, n));
        }
    }
    Ok(out)
}
