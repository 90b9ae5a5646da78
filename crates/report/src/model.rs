//! What a unit report holds: the heading of an administrative document, every
//! target's figure computed by the engine, the lists of the period's work, how
//! tips were handled, the budget, and the narrative the officer wrote.

use crate::ReportError;
use chrono::{Datelike, NaiveDate};
use pcmd_domain::date::format_vn;
use pcmd_domain::money::{format_decimal_vn, format_vnd, vnd_in_words};
use pcmd_domain::period::Period;
use pcmd_domain::plan::indicator::value_text;
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::{tip_stats, TipStats};
use pcmd_domain::report::{Narrative, ReportStatus};
use pcmd_domain::units::{Level, Unit, UnitIndex};
use pcmd_engine::{Engine, Status, Territory};
use pcmd_store::records::read::{ListFilter, RecordItem};
use pcmd_store::Store;

/// One target's line in the report's table.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    pub code: String,
    pub text: String,
    /// The value as a number (a percentage as 0–100), for spreadsheets.
    pub value: Option<f64>,
    /// As people read it: "71,7%".
    pub value_text: String,
    pub threshold: String,
    pub status: String,
    pub figures: String,
}

/// A list of the period's records: a title, column headers and rows of text;
/// columns listed in `numeric` hold numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub numeric: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    pub year: i64,
    pub item: String,
    pub allocated: i64,
    pub spent: Option<i64>,
}

/// A report of a unit inside the reporting one, for the same plan and period.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub unit_name: String,
    pub status: ReportStatus,
    pub narrative: Narrative,
}

#[derive(Debug, Clone)]
pub struct UnitReport {
    /// "ỦY BAN NHÂN DÂN" and the unit, in capitals: the issuing body.
    pub issuer: [String; 2],
    /// Where it is issued: "Sóc Trăng".
    pub place: String,
    pub issued_on: NaiveDate,
    pub title: String,
    pub plan_number: String,
    pub plan_title: String,
    pub unit: Unit,
    pub period: Period,
    pub as_of: NaiveDate,
    pub status: Option<ReportStatus>,
    pub targets: Vec<TargetLine>,
    pub lists: Vec<Table>,
    pub tips: TipStats,
    pub budget: Vec<BudgetLine>,
    pub narrative: Narrative,
    /// Counts from 1 to 4 are withheld in this copy (see `Request::reader`).
    pub small_counts_hidden: bool,
    /// The reports of the units inside (a province's districts and communes); the
    /// accepted ones are compiled into this report.
    pub unit_reports: Vec<Compiled>,
}

impl UnitReport {
    /// The accepted reports of the units inside.
    pub fn accepted(&self) -> impl Iterator<Item = &Compiled> {
        self.unit_reports.iter().filter(|r| r.status == ReportStatus::Accepted)
    }

    pub fn budget_total(&self) -> i64 {
        self.budget.iter().map(|b| b.allocated).sum()
    }

    pub fn budget_total_words(&self) -> String {
        vnd_in_words(self.budget_total())
    }

    /// The period as a heading says it: "từ 15/12/2023 đến 14/12/2024".
    pub fn period_text(&self) -> String {
        format!("từ ngày {} đến ngày {}", format_vn(self.period.from), format_vn(self.period.to))
    }

    /// "Sóc Trăng, ngày 24 tháng 11 năm 2026".
    pub fn place_and_date(&self) -> String {
        let d = self.issued_on;
        format!("{}, ngày {:02} tháng {:02} năm {}", self.place, d.day(), d.month(), d.year())
    }

    /// The tips' statistics as lines of a table: label and value; in a copy
    /// that hides small counts, a count from 1 to 4 reads "dưới 5 (ẩn)".
    pub fn tip_lines(&self) -> Vec<(String, String)> {
        let t = &self.tips;
        let count = |n: i64| {
            if self.small_counts_hidden && pcmd_domain::policy::is_small_count(n as f64) {
                SUPPRESSED.to_string()
            } else {
                n.to_string()
            }
        };
        let mut out = vec![("Tổng số tin tiếp nhận".to_string(), count(t.total))];
        for (s, n) in &t.by_status {
            out.push((format!("— {}", s.label_vi()), count(*n)));
        }
        out.push(("Đã giải quyết".into(), count(t.closed)));
        out.push(("Giải quyết quá hạn".into(), count(t.closed_late)));
        out.push(("Đang quá hạn".into(), count(t.overdue)));
        out.push(("Thời gian giải quyết, trung vị (ngày)".into(), t.median_days.map(format_decimal_vn).unwrap_or_else(|| "—".into())));
        out.push(("Thời gian giải quyết, 90% số tin trong (ngày)".into(), t.p90_days.map_or_else(|| "—".into(), |d| d.to_string())));
        out
    }
}

/// The place name of a unit's province: "Tỉnh Sóc Trăng" → "Sóc Trăng".
fn place_of(units: &UnitIndex, unit: &Unit) -> String {
    let mut u = unit;
    while let Some(p) = u.parent_id.and_then(|id| units.get(id)) {
        u = p;
    }
    let name = u.name.as_str();
    ["Thành phố ", "Tỉnh "].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name).to_string()
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// What `build` needs to know.
pub struct Request<'a> {
    pub plan: &'a str,
    pub unit: &'a Unit,
    pub period: &'a Period,
    pub as_of: NaiveDate,
    pub issued_on: NaiveDate,
    pub narrative: Narrative,
    pub status: Option<ReportStatus>,
    /// Who reads it, when that limits what it may show (a supervisor's copy of a
    /// commune's report holds no count below 5); None for the unit's own copy.
    pub reader: Option<pcmd_domain::roles::Role>,
}

async fn list(store: &Store, kind: RecordKind, units: &[i64], period: &Period) -> Result<Vec<RecordItem>, ReportError> {
    let f = ListFilter { units: units.to_vec(), from: Some(period.from), to: Some(period.to), limit: i64::MAX, ..ListFilter::default() };
    // Every record of the period: the report counts and sums them.
    let (mut items, _) = store.list_records(kind, &f).await?;
    // Oldest first, as a report lists them.
    items.reverse();
    Ok(items)
}

fn day(raw: Option<&str>) -> String {
    raw.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()).map(format_vn).unwrap_or_default()
}

fn unit_name(units: &UnitIndex, raw: Option<&str>) -> String {
    raw.and_then(|r| r.parse::<i64>().ok()).and_then(|id| units.get(id)).map(|u| u.name.clone()).unwrap_or_default()
}

fn int(raw: Option<&str>) -> i64 {
    raw.and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn label<T: std::str::FromStr + Copy>(raw: Option<&str>, f: impl Fn(T) -> &'static str) -> String {
    raw.and_then(|r| r.parse::<T>().ok()).map(f).unwrap_or_default().to_string()
}

/// What a withheld small count reads in a report.
pub const SUPPRESSED: &str = "dưới 5 (ẩn)";

/// Gathers a unit report from the store and the engine.
pub async fn build(store: &Store, units: &UnitIndex, req: Request<'_>) -> Result<UnitReport, ReportError> {
    use pcmd_domain::records::{ActivityForm, TeamLevel};
    let plan = store.plan(req.plan).await?;
    let unit = req.unit;
    let period = req.period;
    let members: Vec<i64> = match Territory::build(units, unit, period) {
        Ok(t) => t.members.into_iter().collect(),
        Err(_) => units.subtree(unit.id),
    };
    let mut engine = Engine::within(store, units, &[unit]);
    let mut targets = Vec::new();
    // The unit's own targets: those set for its level (a commune's report holds no provincial-press target).
    let small_counts_hidden = req.reader.is_some_and(|r| pcmd_domain::policy::hides_small_counts(r, unit.level));
    for e in engine.evaluate_plan(&plan.typed_targets(), unit, period, req.as_of).await? {
        if e.status == Status::NotApplicable {
            continue;
        }
        let e = match req.reader {
            Some(r) => e.for_reader(r, unit.level),
            None => e,
        };
        let Some(t) = plan.targets.iter().find(|t| t.code == e.target) else { continue };
        let figures = match (e.numerator, e.denominator) {
            _ if e.suppressed => SUPPRESSED.to_string(),
            (Some(n), Some(d)) => format!("{} / {}", format_decimal_vn(n), format_decimal_vn(d)),
            (Some(n), None) => format_decimal_vn(n),
            _ => String::new(),
        };
        let split = e.period.label != period.label;
        targets.push(TargetLine {
            code: if split { format!("{} ({})", t.code, e.period.label) } else { t.code.clone() },
            text: t.text.clone(),
            value: e.value,
            value_text: value_text(&t.indicator_kind, e.value),
            threshold: t.threshold_text(),
            status: e.status_vi(),
            figures,
        });
    }
    let fmt_n = |n: i64| format_vnd(n);
    let activities = list(store, RecordKind::Activity, &members, period).await?;
    let activity_rows = activities
        .iter()
        .map(|a| {
            let reached = ["reached_at_risk_workers", "reached_industrial_workers", "reached_students", "reached_community"]
                .iter()
                .map(|k| int(a.get(k)))
                .sum();
            vec![
                day(a.get("held_on")),
                unit_name(units, a.get("unit_id")),
                label::<ActivityForm>(a.get("form"), ActivityForm::label_vi),
                a.get("topic").unwrap_or("").to_string(),
                fmt_n(reached),
            ]
        })
        .collect();
    let inspections = list(store, RecordKind::Inspection, &members, period).await?;
    let inspection_rows = inspections
        .iter()
        .map(|i| {
            vec![
                day(i.get("inspected_on")),
                i.get("establishment").unwrap_or("").to_string(),
                label::<TeamLevel>(i.get("team_level"), TeamLevel::label_vi),
                fmt_n(int(i.get("violations"))),
                fmt_n(int(i.get("sanctions"))),
                fmt_n(int(i.get("fines_vnd"))),
            ]
        })
        .collect();
    let trainings = list(store, RecordKind::Training, &members, period).await?;
    let training_rows = trainings
        .iter()
        .map(|t| {
            let n = int(t.get("participants_province")) + int(t.get("participants_district")) + int(t.get("participants_commune"));
            vec![day(t.get("held_on")), t.get("title").unwrap_or("").to_string(), label::<TeamLevel>(t.get("level"), TeamLevel::label_vi), fmt_n(n)]
        })
        .collect();
    let tips = tip_stats(&store.tip_handling(&members, Some(period.from), Some(period.to)).await?, req.as_of);
    let years: Vec<i64> = period.years().into_iter().map(i64::from).collect();
    // The budget is the plan's unit's: a district's or commune's report holds no share of it.
    let plan_unit = store.plan_unit(&plan.summary.key).await?;
    let budget = if plan_unit != Some(unit.id) {
        Vec::new()
    } else {
        plan.budget_lines
            .iter()
            .filter(|b| years.contains(&b.year))
            .map(|b| BudgetLine { year: b.year, item: b.item.clone(), allocated: b.allocated, spent: b.spent })
            .collect()
    };
    let mut unit_reports: Vec<Compiled> = store
        .reports(Some(&plan.summary.key))
        .await?
        .into_iter()
        .filter(|r| r.period.from == period.from && r.period.to == period.to && r.unit_id != unit.id && members.contains(&r.unit_id))
        .map(|r| Compiled {
            unit_name: units.get(r.unit_id).map_or_else(|| r.unit_id.to_string(), |u| u.name.clone()),
            status: r.status,
            narrative: r.narrative,
        })
        .collect();
    unit_reports.sort_by_cached_key(|r| pcmd_domain::text::collation_key(&r.unit_name));
    let kind_word = match unit.level {
        Level::Province => "tỉnh",
        Level::District => "huyện",
        Level::Commune => "xã",
    };
    Ok(UnitReport {
        issuer: ["ỦY BAN NHÂN DÂN".into(), upper(&unit.name)],
        place: place_of(units, unit),
        issued_on: req.issued_on,
        title: format!(
            "Kết quả thực hiện công tác phòng, chống mại dâm theo {} {} trên địa bàn {kind_word} kỳ {}",
            plan.summary.kind_label(),
            plan.summary.number,
            period.label
        ),
        plan_number: plan.summary.number.clone(),
        plan_title: plan.summary.title.clone(),
        unit: unit.clone(),
        period: period.clone(),
        as_of: req.as_of,
        status: req.status,
        targets,
        lists: vec![
            Table {
                title: "Hoạt động tuyên truyền".into(),
                headers: ["Ngày", "Đơn vị", "Hình thức", "Chủ đề", "Số người được tuyên truyền"].map(String::from).to_vec(),
                rows: activity_rows,
                numeric: vec![4],
            },
            Table {
                title: "Kiểm tra cơ sở kinh doanh dịch vụ".into(),
                headers: ["Ngày", "Cơ sở", "Cấp đoàn", "Vi phạm", "Xử phạt", "Tiền phạt (đồng)"].map(String::from).to_vec(),
                rows: inspection_rows,
                numeric: vec![3, 4, 5],
            },
            Table {
                title: "Tập huấn".into(),
                headers: ["Ngày", "Lớp", "Cấp", "Số học viên"].map(String::from).to_vec(),
                rows: training_rows,
                numeric: vec![3],
            },
        ],
        tips,
        budget,
        narrative: req.narrative,
        small_counts_hidden,
        unit_reports,
    })
}
