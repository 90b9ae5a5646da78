//! The parts of a report beyond the targets and the three work lists: the
//! situation (tình hình: the establishments on the territory), the direction
//! given (chỉ đạo: district plans and the plan's tasks), the press, the fight
//! against crime (đấu tranh: the yearly case summaries), the support given
//! (hỗ trợ: cases and services, counted, never named) and the pilot models.
//! Every figure is counted from the records of the report's territory.

use crate::model::Table;
use crate::ReportError;
use chrono::NaiveDate;
use pcmd_domain::date::format_vn;
use pcmd_domain::period::Period;
use pcmd_domain::records::form::RecordKind;
use pcmd_domain::records::{EstablishmentKind, Medium, PilotStatus, TaskStatus};
use pcmd_domain::units::UnitIndex;
use pcmd_store::records::read::{ListFilter, RecordItem};
use pcmd_store::records::support::SupportSummary;
use pcmd_store::PlanView;
use pcmd_store::Store;

/// The establishments open at some time in the period (tình hình).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Situation {
    pub establishments: i64,
    pub workers: i64,
    /// By kind, the most numerous first: ("khách sạn", 12).
    pub by_kind: Vec<(String, i64)>,
}

/// The yearly case summaries of the years the period covers whole (đấu tranh).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseTotals {
    /// The years summed; empty when the period covers no whole year.
    pub years: Vec<i32>,
    /// How many summaries were recorded for those years.
    pub summaries: i64,
    pub criminal_cases: i64,
    pub defendants: i64,
    pub admin_violations: i64,
    pub persons_sanctioned: i64,
}

/// The direction given: district plans and the progress of the plan's tasks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Direction {
    /// Districts of the territory with a plan for the year, and the districts (a province before the reform).
    pub district_plans: Option<(i64, i64)>,
    /// The districts without one, by name (Vietnamese order).
    pub districts_without_plan: Vec<String>,
    /// The plan's tasks (the plan's own unit only).
    pub tasks: i64,
    /// The tasks by their latest progress report up to the as-of day: label and count.
    pub task_states: Vec<(String, i64)>,
    /// Tasks with no progress report yet.
    pub tasks_unreported: i64,
    /// The years whose district plans are counted (the plan years of the period).
    pub plan_years: Vec<i32>,
}

/// Everything `gather` collects.
#[derive(Debug, Clone, Default)]
pub struct Parts {
    pub situation: Situation,
    pub cases: CaseTotals,
    pub support: SupportSummary,
    pub direction: Direction,
    /// Publications, pilot models and district plans, as tables.
    pub tables: Vec<Table>,
}

pub(crate) async fn list_all(store: &Store, kind: RecordKind, units: &[i64], period: Option<&Period>) -> Result<Vec<RecordItem>, ReportError> {
    let f = ListFilter { units: units.to_vec(), from: period.map(|p| p.from), to: period.map(|p| p.to), limit: i64::MAX, ..ListFilter::default() };
    let (mut items, _) = store.list_records(kind, &f).await?;
    // Oldest first, as a report lists them.
    items.reverse();
    Ok(items)
}

fn date(raw: Option<&str>) -> Option<NaiveDate> {
    raw.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn int(raw: Option<&str>) -> i64 {
    raw.and_then(|r| r.parse().ok()).unwrap_or(0)
}

fn name(units: &UnitIndex, id: i64) -> String {
    units.get(id).map(|u| u.name.clone()).unwrap_or_default()
}

/// Whether a thing that runs from `start` to `end` (open when None) runs at some time in the period.
fn within(period: &Period, start: Option<NaiveDate>, end: Option<NaiveDate>) -> bool {
    start.is_none_or(|s| s <= period.to) && end.is_none_or(|e| e >= period.from)
}

/// The years the period covers whole, as its reporting years: 2024-Y → 2024, 2024 → 2024, 2024-H1 → none.
pub fn whole_years(period: &Period) -> Vec<i32> {
    use chrono::Datelike;
    period.years_within().into_iter().filter(|(year, part)| year.from == part.from && year.to == part.to).map(|(y, _)| y.to.year()).collect()
}

#[allow(clippy::too_many_arguments)]
pub async fn gather(
    store: &Store,
    units: &UnitIndex,
    members: &[i64],
    districts: &[i64],
    // The members and the provinces of their communes, whose press reaches all of them: the
    // publications the press targets count (`Territory::press_counts`).
    press_units: &[i64],
    period: &Period,
    as_of: NaiveDate,
    plan: &PlanView,
    own_plan: bool,
) -> Result<Parts, ReportError> {
    let mut parts = Parts::default();
    // The district plans are those of the years the period speaks for (2024-H1: 2024's), as b1 counts them.
    let (first, last) = period.plan_years();
    parts.direction.plan_years = (first..=last).collect();
    // What was done by the as-of day, as the figures count it.
    let known = period.known_on(as_of);
    let period = &known;

    // Tình hình: establishments open during the period.
    let mut by_kind: Vec<(String, i64)> = Vec::new();
    for e in list_all(store, RecordKind::Establishment, members, None).await? {
        if !within(period, date(e.get("opened_on")), date(e.get("closed_on"))) {
            continue;
        }
        parts.situation.establishments += 1;
        parts.situation.workers += int(e.get("workers"));
        let kind = e.get("kind").and_then(|k| k.parse::<EstablishmentKind>().ok()).map_or("khác", EstablishmentKind::label_vi).to_string();
        match by_kind.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((kind, 1)),
        }
    }
    // The most numerous first; "khác" (other) last.
    by_kind.sort_by(|a, b| (a.0 == "khác").cmp(&(b.0 == "khác")).then(b.1.cmp(&a.1)).then_with(|| a.0.cmp(&b.0)));
    parts.situation.by_kind = by_kind;

    // Đấu tranh: the yearly case summaries.
    let years = whole_years(period);
    parts.cases.years = years.clone();
    if !years.is_empty() {
        for c in list_all(store, RecordKind::CaseSummary, members, None).await? {
            if !years.iter().any(|y| i64::from(*y) == int(c.get("year"))) {
                continue;
            }
            parts.cases.summaries += 1;
            parts.cases.criminal_cases += int(c.get("criminal_cases"));
            parts.cases.defendants += int(c.get("defendants"));
            parts.cases.admin_violations += int(c.get("admin_violations"));
            parts.cases.persons_sanctioned += int(c.get("persons_sanctioned"));
        }
    }

    // Hỗ trợ: counted in the store, no identity read.
    parts.support = store.support_summary(members, period.from, period.to).await?;

    // Chỉ đạo: district plans of the reporting years, and the plan's tasks.
    let mut plan_rows = Vec::new();
    let mut with_plan: Vec<i64> = Vec::new();
    for p in list_all(store, RecordKind::DistrictPlan, members, None).await? {
        if !parts.direction.plan_years.iter().any(|y| i64::from(*y) == int(p.get("year"))) {
            continue;
        }
        // Adopted by the as-of day (1 January of its year when no day was recorded), as b1 counts it.
        let year_start = i32::try_from(int(p.get("year"))).ok().and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1));
        if date(p.get("adopted_on")).or(year_start).is_some_and(|d| d > as_of) {
            continue;
        }
        if !with_plan.contains(&p.unit_id) {
            with_plan.push(p.unit_id);
        }
        let joined: Vec<&str> = [
            ("integrates_socio_economic", "phát triển kinh tế - xã hội"),
            ("integrates_social_security", "an sinh xã hội"),
            ("integrates_drugs", "phòng, chống ma túy"),
            ("integrates_hiv", "phòng, chống HIV/AIDS"),
        ]
        .iter()
        .filter(|(k, _)| p.get(k) == Some("1"))
        .map(|(_, v)| *v)
        .collect();
        plan_rows.push(vec![
            name(units, p.unit_id),
            p.get("document_ref").unwrap_or("").to_string(),
            date(p.get("adopted_on")).map(format_vn).unwrap_or_default(),
            joined.join("; "),
        ]);
    }
    plan_rows.sort_by_cached_key(|r| r.first().map(|n| pcmd_domain::text::collation_key(n)));
    if !districts.is_empty() {
        let adopted = districts.iter().filter(|d| with_plan.contains(d)).count() as i64;
        parts.direction.district_plans = Some((adopted, districts.len() as i64));
        let mut missing: Vec<String> = districts.iter().filter(|d| !with_plan.contains(d)).map(|d| name(units, *d)).collect();
        missing.sort_by_cached_key(|n| pcmd_domain::text::collation_key(n));
        parts.direction.districts_without_plan = missing;
    }
    if own_plan {
        let progress = store.task_progress(&plan.summary.key).await?;
        parts.direction.tasks = plan.tasks.len() as i64;
        let mut states: Vec<(TaskStatus, i64)> = Vec::new();
        for t in &plan.tasks {
            match pcmd_store::latest_status(&progress, &t.code, as_of) {
                Some(s) => match states.iter_mut().find(|(k, _)| *k == s) {
                    Some((_, n)) => *n += 1,
                    None => states.push((s, 1)),
                },
                None => parts.direction.tasks_unreported += 1,
            }
        }
        let order = [TaskStatus::Done, TaskStatus::InProgress, TaskStatus::Delayed, TaskStatus::NotStarted];
        states.sort_by_key(|(s, _)| order.iter().position(|o| o == s));
        parts.direction.task_states = states.into_iter().map(|(s, n)| (s.label_vi().to_string(), n)).collect();
    }

    // Báo chí: the press of the period.
    let press: Vec<Vec<String>> = list_all(store, RecordKind::Publication, press_units, Some(period))
        .await?
        .iter()
        .map(|p| {
            vec![
                date(p.get("published_on")).map(format_vn).unwrap_or_default(),
                p.get("outlet").unwrap_or("").to_string(),
                p.get("medium").and_then(|m| m.parse::<Medium>().ok()).map_or("", Medium::label_vi).to_string(),
                p.get("title").unwrap_or("").to_string(),
            ]
        })
        .collect();
    // Mô hình: the models running at some time in the period.
    let models: Vec<Vec<String>> = list_all(store, RecordKind::PilotModel, members, None)
        .await?
        .iter()
        .filter(|m| within(period, date(m.get("started_on")), date(m.get("ended_on"))))
        .map(|m| {
            vec![
                m.get("name").unwrap_or("").to_string(),
                name(units, m.unit_id),
                m.get("kind").unwrap_or("").to_string(),
                date(m.get("started_on")).map(format_vn).unwrap_or_default(),
                m.get("status").and_then(|s| s.parse::<PilotStatus>().ok()).map_or("", PilotStatus::label_vi).to_string(),
            ]
        })
        .collect();
    parts.tables = vec![
        Table {
            key: "publications",
            title: "Tin, bài trên báo chí".into(),
            headers: ["Ngày", "Cơ quan báo chí", "Loại hình", "Tiêu đề"].map(String::from).to_vec(),
            rows: press,
            numeric: vec![],
            dates: vec![0],
            count_word: "tin, bài".into(),
            withheld: None,
        },
        Table {
            key: "pilot_models",
            title: "Mô hình".into(),
            headers: ["Tên mô hình", "Đơn vị", "Loại mô hình", "Ngày bắt đầu", "Trạng thái"].map(String::from).to_vec(),
            rows: models,
            numeric: vec![],
            dates: vec![3],
            count_word: "mô hình".into(),
            withheld: None,
        },
        Table {
            key: "district_plans",
            title: "Kế hoạch của cấp huyện".into(),
            headers: ["Đơn vị", "Số, ký hiệu", "Ngày ban hành", "Lồng ghép với"].map(String::from).to_vec(),
            rows: plan_rows,
            numeric: vec![],
            dates: vec![2],
            count_word: "kế hoạch".into(),
            withheld: None,
        },
    ];
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcmd_domain::period::Cutoff;

    #[test]
    fn case_summaries_count_in_the_years_a_period_covers_whole() {
        let p = |t: &str, c| Period::parse(t, c).unwrap();
        // The Decree 09 year 2024 (15/12/2023–14/12/2024) is the reporting year 2024.
        assert_eq!(whole_years(&p("2024-Y", Cutoff::Decree09)), vec![2024]);
        assert_eq!(whole_years(&p("2024", Cutoff::Calendar)), vec![2024]);
        // A half-year covers no whole year: yearly summaries are not split.
        assert!(whole_years(&p("2024-H1", Cutoff::Decree09)).is_empty());
    }

    #[test]
    fn a_thing_runs_in_a_period_when_its_days_meet_it() {
        let p = Period::parse("2024", Cutoff::Calendar).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert!(within(&p, d(2020, 1, 1), None), "opened before, still open");
        assert!(within(&p, None, None), "no dates: always");
        assert!(!within(&p, d(2020, 1, 1), d(2023, 12, 31)), "closed before the year");
        assert!(!within(&p, d(2025, 1, 1), None), "opened after the year");
        assert!(within(&p, d(2024, 12, 31), None), "opened on the last day");
    }
}
