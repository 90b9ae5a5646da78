//! The engine's rules on records held in memory (`MemoryFacts`), no database:
//! a province of two districts and five communes merged into two communes on
//! 01/07/2025, as in the contract suite's fixture. Each figure is worked by
//! hand beside it.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)] // test code: a panic is a failed test

use crate::{Engine, Evaluation, FactSource, Status};
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::plan::{Comparator, IndicatorId, IndicatorKind, Target};
use pcmd_domain::units::{Level, SuccessionKind, Unit, UnitIndex, OPEN_END};
use pcmd_store::*;
use std::future::{ready, Future};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// (unit, workers, opened, closed, inspections)
type Establishment = (i64, i64, NaiveDate, Option<NaiveDate>, Vec<NaiveDate>);

/// Records in memory, summed per unit the way the store sums them.
#[derive(Default)]
struct MemoryFacts {
    /// (unit, day, workers reached, students reached)
    activities: Vec<(i64, NaiveDate, i64, i64)>,
    establishments: Vec<Establishment>,
    /// (unit, outlet level, day)
    publications: Vec<(i64, &'static str, NaiveDate)>,
    references: Vec<ReferenceFact>,
    reported: Vec<ReportedValue>,
}

type Facts<T> = Result<Vec<T>, StoreError>;

impl FactSource for MemoryFacts {
    fn activity_facts(&self, from: NaiveDate, to: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<ActivityFact>> + Send {
        let mut out: Vec<ActivityFact> = Vec::new();
        for (u, _, w, s) in self.activities.iter().filter(|a| from <= a.1 && a.1 <= to) {
            match out.iter_mut().find(|f| f.unit_id == *u) {
                Some(f) => {
                    f.activities += 1;
                    f.at_risk_workers += w;
                    f.students += s;
                }
                None => out.push(ActivityFact { unit_id: *u, activities: 1, at_risk_workers: *w, industrial_workers: 0, students: *s }),
            }
        }
        ready(Ok(out))
    }

    fn activity_quarter_facts(&self, first: &str, last: &str, _: Option<&[i64]>) -> impl Future<Output = Facts<ActivityQuarterFact>> + Send {
        let month =
            |s: &str| s.get(..4).and_then(|y| y.parse::<i64>().ok()).unwrap_or(0) * 12 + s.get(5..7).and_then(|m| m.parse::<i64>().ok()).unwrap_or(1);
        let mut out: Vec<ActivityQuarterFact> = Vec::new();
        for (u, day, _, _) in &self.activities {
            let m = day.format("%Y-%m").to_string();
            if m.as_str() < first || m.as_str() > last {
                continue;
            }
            let bit = 1 << ((month(&m) - month(first)) / 3);
            match out.iter_mut().find(|f| f.unit_id == *u) {
                Some(f) => f.quarters |= bit,
                None => out.push(ActivityQuarterFact { unit_id: *u, quarters: bit }),
            }
        }
        ready(Ok(out))
    }

    fn publication_facts(&self, from: NaiveDate, to: NaiveDate) -> impl Future<Output = Facts<PublicationFact>> + Send {
        let out = self
            .publications
            .iter()
            .filter(|p| from <= p.2 && p.2 <= to)
            .map(|(u, level, day)| PublicationFact { unit_id: *u, outlet_level: (*level).into(), day: *day, count: 1 })
            .collect();
        ready(Ok(out))
    }

    fn establishment_facts(&self, from: NaiveDate, to: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<EstablishmentFact>> + Send {
        let mut out: Vec<EstablishmentFact> = Vec::new();
        for (u, workers, opened, closed, inspections) in &self.establishments {
            if *opened > to || closed.is_some_and(|c| c < from) {
                continue;
            }
            let inspected = inspections.iter().any(|x| from <= *x && *x <= to);
            let to_inspect = inspected || closed.is_none_or(|c| c > to);
            let f = match out.iter_mut().position(|f| f.unit_id == *u) {
                Some(i) => &mut out[i],
                None => {
                    out.push(EstablishmentFact { unit_id: *u, ..EstablishmentFact::default() });
                    out.last_mut().unwrap()
                }
            };
            f.open += 1;
            f.workers += workers;
            f.inspected += i64::from(inspected);
            f.to_inspect += i64::from(to_inspect);
        }
        ready(Ok(out))
    }

    fn tip_facts(&self, _: NaiveDate, _: NaiveDate, _: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<TipFact>> + Send {
        ready(Ok(Vec::new()))
    }

    fn case_facts(&self, _: i32, _: i32) -> impl Future<Output = Facts<CaseFact>> + Send {
        ready(Ok(Vec::new()))
    }

    fn district_plan_facts(&self, _: i32, _: i32) -> impl Future<Output = Facts<DistrictPlanFact>> + Send {
        ready(Ok(Vec::new()))
    }

    fn pilot_units(&self, _: NaiveDate, _: NaiveDate) -> impl Future<Output = Facts<i64>> + Send {
        ready(Ok(Vec::new()))
    }

    fn support_facts(&self, _: NaiveDate, _: NaiveDate, _: Option<&[i64]>) -> impl Future<Output = Facts<SupportFact>> + Send {
        ready(Ok(Vec::new()))
    }

    fn training_facts(&self, _: NaiveDate, _: NaiveDate) -> impl Future<Output = Facts<TrainingFact>> + Send {
        ready(Ok(Vec::new()))
    }

    fn reference_facts(&self, first: i32, last: i32) -> impl Future<Output = Facts<ReferenceFact>> + Send {
        ready(Ok(self.references.iter().filter(|r| i64::from(first) <= r.year && r.year <= i64::from(last)).cloned().collect()))
    }

    fn reported_values(&self, _: &str, _: &str, unit_id: i64) -> impl Future<Output = Facts<ReportedValue>> + Send {
        ready(Ok(self.reported.iter().filter(|v| v.unit_id == unit_id).cloned().collect()))
    }
}

fn unit(id: i64, level: Level, parent: Option<i64>, new: bool) -> Unit {
    let (valid_from, valid_to) = if new { (d(2025, 7, 1), OPEN_END) } else { (d(2020, 1, 1), d(2025, 6, 30)) };
    Unit {
        id,
        code: id.to_string(),
        name: format!("Đơn vị {id}"),
        unit_type: String::new(),
        level,
        parent_id: parent,
        parent_code: parent.map(|p| p.to_string()),
        lat: None,
        lon: None,
        area_km2: None,
        valid_from,
        valid_to,
    }
}

/// Province 90: district 901 (90001–90003), district 902 (90004, 90005); from
/// 01/07/2025 province 91: 91001 (90001, 90002) and 91002 (90003, 90004, 90005).
fn units() -> UnitIndex {
    use Level::*;
    let mut all = vec![unit(90, Province, None, false), unit(901, District, Some(90), false), unit(902, District, Some(90), false)];
    all.extend([90001, 90002, 90003].map(|c| unit(c, Commune, Some(901), false)));
    all.extend([90004, 90005].map(|c| unit(c, Commune, Some(902), false)));
    all.extend([unit(91, Province, None, true), unit(91001, Commune, Some(91), true), unit(91002, Commune, Some(91), true)]);
    let w = SuccessionKind::Whole;
    UnitIndex::new(all, &[(90001, 91001, w), (90002, 91001, w), (90003, 91002, w), (90004, 91002, w), (90005, 91002, w)])
}

fn target(code: &str, indicator: &str, threshold: f64) -> Target {
    Target {
        code: code.into(),
        group: "a".into(),
        clause: None,
        text: code.into(),
        indicator: IndicatorId::from_code(indicator).unwrap(),
        kind: IndicatorKind::PercentOfItems,
        comparator: Comparator::AtLeast,
        threshold_low: threshold,
        threshold_high: None,
        evaluation: pcmd_domain::plan::Evaluation::EachYear,
        scope_level: Level::Province,
        period_from: d(2024, 1, 1),
        period_to: d(2025, 12, 31),
        reporter: None,
        plan_key: "p".into(),
    }
}

async fn eval(facts: &MemoryFacts, t: &Target, unit: i64, period: &str) -> Evaluation {
    let units = units();
    let p = Period::parse(period, Cutoff::Decree09).unwrap();
    let u = units.get(unit).unwrap().clone();
    let mut all = Engine::new(facts, &units).evaluate_target(t, &u, &p, d(2026, 1, 1)).await.unwrap();
    assert_eq!(all.len(), 1);
    all.remove(0)
}

fn figure(e: &Evaluation) -> (Option<f64>, Option<f64>, Status) {
    (e.numerator, e.denominator, e.status)
}

#[tokio::test]
async fn workers_reached_count_up_to_the_workers_of_each_commune() {
    // 90001: 16 workers, 12 reached; 90004: 8 workers, 12 contacts → 8; 90002: none open, 5 contacts → 0;
    // district 901's own meeting reached 3, within what is left in 90001 (16 − 12 = 4).
    let facts = MemoryFacts {
        establishments: vec![(90001, 16, d(2020, 1, 1), None, vec![]), (90004, 8, d(2020, 1, 1), None, vec![])],
        activities: vec![(90001, d(2024, 3, 1), 12, 0), (90004, d(2024, 5, 1), 12, 0), (90002, d(2024, 6, 1), 5, 0), (901, d(2024, 7, 1), 3, 0)],
        ..MemoryFacts::default()
    };
    let t = target("workers", "reach_at_risk_workers", 70.0);
    // 12 + 8 + 0 + 3 = 23 of 24 → 95.8 %: met.
    assert_eq!(figure(&eval(&facts, &t, 90, "2024").await), (Some(23.0), Some(24.0), Status::Met));
    // 90004 alone: 8 / 8, never 12 / 8.
    assert_eq!(figure(&eval(&facts, &t, 90004, "2024").await), (Some(8.0), Some(8.0), Status::Met));
}

#[tokio::test]
async fn a_province_figure_counts_only_where_the_province_is_held_whole() {
    // Students 1,000 at old province 90 (2024); 600 reached in 90001 in 2025.
    let facts = MemoryFacts {
        references: vec![ReferenceFact { unit_id: 90, kind: "students".into(), level: "all".into(), year: 2024, value: 1000 }],
        activities: vec![(90001, d(2025, 3, 1), 0, 600)],
        ..MemoryFacts::default()
    };
    let t = target("students", "reach_students", 70.0);
    // Old 90 in 2025 holds itself whole: 600 / 1,000, at least until the end of 2025 → final: not met.
    assert_eq!(figure(&eval(&facts, &t, 90, "2025").await), (Some(600.0), Some(1000.0), Status::NotMet));
    // New 91 holds all of old 90 too.
    assert_eq!(figure(&eval(&facts, &t, 91, "2025").await), (Some(600.0), Some(1000.0), Status::NotMet));
    // New commune 91001 does not: no denominator of its own.
    assert_eq!(figure(&eval(&facts, &t, 91001, "2025").await), (None, None, Status::NoData));
}

#[tokio::test]
async fn a_commune_keeps_it_up_when_active_in_every_quarter() {
    // 2024: 90001 in all four quarters; 90003 in Q1 and Q3; the other three in none.
    let mut activities: Vec<(i64, NaiveDate, i64, i64)> = [2, 5, 8, 11].iter().map(|m| (90001, d(2024, *m, 10), 0, 0)).collect();
    activities.extend([(90003, d(2024, 1, 5), 0, 0), (90003, d(2024, 9, 5), 0, 0)]);
    let facts = MemoryFacts { activities, ..MemoryFacts::default() };
    let t = target("a1", "awareness_commune_coverage", 100.0);
    let e = eval(&facts, &t, 90, "2024").await;
    // Every quarter: 90001 → 1 / 5; at least one: 90001, 90003 → 2 / 5.
    assert_eq!(figure(&e), (Some(1.0), Some(5.0), Status::NotMet));
    assert_eq!(e.secondary.map(|s| (s.numerator, s.denominator)), Some((2.0, 5.0)));
}

#[tokio::test]
async fn the_press_is_counted_in_reporting_months_and_only_at_the_province() {
    // Published on the 20th of January to May 2024: reporting months 15/01–14/02 … 15/05–14/06
    // hold one each; 15/12/2023–14/01/2024 holds none → 5 / 6, a rate short of 100 % mid-year: at risk.
    let facts = MemoryFacts { publications: (1..=5).map(|m| (90, "province", d(2024, m, 20))).collect(), ..MemoryFacts::default() };
    let t = target("a2", "press_monthly_provincial", 100.0);
    assert_eq!(figure(&eval(&facts, &t, 90, "2024-H1").await), (Some(5.0), Some(6.0), Status::AtRisk));
    // At a commune the target does not apply.
    assert_eq!(figure(&eval(&facts, &t, 90001, "2024-H1").await), (None, None, Status::NotApplicable));
}

#[tokio::test]
async fn an_establishment_closed_uninspected_is_no_longer_to_inspect() {
    // E1 inspected in 2024; E2 open, never inspected; E3 closed in March 2024 without inspection;
    // E4 inspected in February then closed in April.
    let facts = MemoryFacts {
        establishments: vec![
            (90001, 5, d(2020, 1, 1), None, vec![d(2024, 5, 1)]),
            (90002, 5, d(2020, 1, 1), None, vec![]),
            (90003, 5, d(2020, 1, 1), Some(d(2024, 3, 31)), vec![]),
            (90004, 5, d(2020, 1, 1), Some(d(2024, 4, 30)), vec![d(2024, 2, 1)]),
        ],
        ..MemoryFacts::default()
    };
    let t = target("c2", "establishments_inspected_yearly", 50.0);
    // To inspect: E1, E2, E4 (E3 left uninspected) → inspected E1, E4: 2 / 3.
    assert_eq!(figure(&eval(&facts, &t, 90, "2024").await), (Some(2.0), Some(3.0), Status::Met));
}

/// Reading ahead changes when facts are read, never the figures: the same
/// targets evaluated with and without `prefetch` give equal evaluations, and
/// after it the facts they need are held (a source that fails every read could
/// not have given them).
#[tokio::test]
async fn reading_ahead_gives_the_same_figures() {
    let facts = MemoryFacts {
        establishments: vec![(90001, 16, d(2020, 1, 1), None, vec![d(2024, 4, 1)]), (90004, 8, d(2020, 1, 1), None, vec![])],
        activities: vec![(90001, d(2024, 3, 1), 12, 0), (90004, d(2024, 5, 1), 12, 4), (901, d(2024, 7, 1), 3, 0)],
        ..MemoryFacts::default()
    };
    let units = units();
    let targets = [
        target("workers", "reach_at_risk_workers", 70.0),
        target("students", "reach_students", 70.0),
        target("a1", "awareness_commune_coverage", 100.0),
        target("c2", "establishments_inspected_yearly", 50.0),
    ];
    let p = Period::parse("2024", Cutoff::Decree09).unwrap();
    let (province, commune) = (units.get(90).unwrap().clone(), units.get(90001).unwrap().clone());
    let mut plain = Engine::new(&facts, &units);
    let mut ahead = Engine::new(&facts, &units);
    ahead.prefetch(&targets, &[&province, &commune], &p, d(2026, 1, 1)).await.unwrap();
    assert!(ahead.facts.holds(&crate::facts::Want::Activities((d(2024, 1, 1), d(2024, 12, 31)))), "activities of 2024 read ahead");
    for u in [&province, &commune] {
        let a = plain.evaluate_plan(&targets, u, &p, d(2026, 1, 1)).await.unwrap();
        let b = ahead.evaluate_plan(&targets, u, &p, d(2026, 1, 1)).await.unwrap();
        let seen = |v: &[Evaluation]| v.iter().map(|e| (e.target.clone(), figure(e), e.value, e.parts.clone())).collect::<Vec<_>>();
        assert_eq!(seen(&a), seen(&b), "unit {}", u.code);
        assert!(a.iter().any(|e| e.numerator.is_some()), "the fixture gives figures, so the comparison is not of empty evaluations");
    }
}

fn reported(id: i64, unit_id: i64, label: &str, value: f64, entered: &str) -> ReportedValue {
    ReportedValue {
        id,
        unit_id,
        period: Period::parse(label, Cutoff::Decree09).unwrap(),
        value,
        evidence: "Báo cáo số 12/BC-SYT".into(),
        file_name: None,
        agency: Some("Sở Y tế".into()),
        entered_by: "canbo".into(),
        entered_at: format!("{entered}T08:00:00Z"),
    }
}

#[tokio::test]
async fn a_reported_target_takes_the_latest_value_reported_for_its_span() {
    // "≥ 80% of establishments' workers get a health check each year", reported by the health department.
    let mut t = target("r", "reported", 80.0);
    t.kind = IndicatorKind::PercentOfItems;
    let facts = MemoryFacts {
        reported: vec![
            // 2024-H1 (15/12/2023–14/06/2024): 50, entered 20/06/2024.
            reported(1, 90, "2024-H1", 50.0, "2024-06-20"),
            // 2024-Y (15/12/2023–14/12/2024): 75, then corrected to 85 (a later entry for the same period).
            reported(2, 90, "2024-Y", 75.0, "2024-12-18"),
            reported(3, 90, "2024-Y", 85.0, "2024-12-20"),
            // A value for another unit never counts for 90.
            reported(4, 901, "2025-H1", 10.0, "2025-06-20"),
        ],
        ..MemoryFacts::default()
    };
    // 2024 (calendar): the 2024-Y value, the corrected 85 ≥ 80; it reaches 14/12, within 17 days of 31/12, and 2024 is over: met, final.
    let e = eval(&facts, &t, 90, "2024").await;
    assert_eq!((e.value, e.status, e.is_final), (Some(85.0), Status::Met, true));
    assert_eq!(e.reported.as_ref().map(|r| r.value_id), Some(3));
    assert!(e.note.as_deref().unwrap().contains("không do hệ thống tính"), "{:?}", e.note);
    // 2024-H1: only the H1 value (the year's ends after the window): 50 < 80, a rate, not final: at risk.
    let e = eval(&facts, &t, 90, "2024-H1").await;
    assert_eq!((e.value, e.status, e.is_final), (Some(50.0), Status::AtRisk, false));
    // 2025: nothing reported for 90 in its span (15/12/2024 on): no data, and it says the value is reported.
    let e = eval(&facts, &t, 90, "2025").await;
    assert_eq!((e.value, e.status), (None, Status::NoData));
    assert!(e.note.as_deref().unwrap().contains("reported, not computed"));
    // Below the plan's level (province) a reported target does not apply.
    assert_eq!(eval(&facts, &t, 901, "2025").await.status, Status::NotApplicable);
}

#[tokio::test]
async fn a_reported_count_is_judged_along_a_straight_line_until_its_end() {
    // "At least 10 model clubs by the end of 2025" (whole period 2024–2025), reported as a count.
    let mut t = target("c", "reported", 10.0);
    t.kind = IndicatorKind::Count;
    t.evaluation = pcmd_domain::plan::Evaluation::WholePeriod;
    let facts = MemoryFacts { reported: vec![reported(1, 90, "2024-Y", 6.0, "2024-12-20")], ..MemoryFacts::default() };
    // Asked for 2024: the window runs 01/01/2024–31/12/2024, the value covers up to 14/12/2024, 349 of the
    // span's 731 days (01/01/2024–31/12/2025) → the line is at 10 × 349 / 731 = 4.8; 6 ≥ 4.8: on track, not final.
    let e = eval(&facts, &t, 90, "2024").await;
    assert_eq!((e.value, e.status, e.is_final), (Some(6.0), Status::OnTrack, false));
    // Asked for the plan (2024..2025) on 01/01/2026 with nothing more reported: the span is over but 6 covers
    // only to 14/12/2024: not final, and at risk, the final figure owed.
    let e = eval(&facts, &t, 90, "2024..2025").await;
    assert_eq!((e.value, e.status, e.is_final), (Some(6.0), Status::AtRisk, false));
    assert!(e.note.as_deref().unwrap().contains("kỳ đánh giá đã hết"));
}

/// What a supervisor is shown of a province's figure (the third review): the units' items with
/// a count from 1 to 4 go, and one such takes the next smallest unit item with it; an item that
/// is not a unit (the overdue tips) is never taken as that second one; and a figure that is one
/// unit's small count (the other units have none) is withheld whole.
#[test]
fn a_supervisor_is_shown_no_item_that_gives_a_small_count_back() {
    use crate::Part;
    use pcmd_domain::roles::Role;
    let p = Period::parse("2025-Q2", Cutoff::Decree09).unwrap();
    let item = |code: &str, unit: Option<i64>, n: f64, d: Option<f64>| Part {
        code: code.into(),
        label: code.into(),
        numerator: n,
        denominator: d,
        unit_id: unit,
    };
    let figure = |parts: Vec<Part>, n: f64, d: f64| Evaluation {
        target: "c1".into(),
        indicator: "tips_handled_on_time",
        unit_code: "94".into(),
        unit_name: "Tỉnh Sóc Trăng".into(),
        period: p.clone(),
        judged_over: p.clone(),
        as_of: p.to,
        value: Some(100.0 * n / d),
        numerator: Some(n),
        denominator: Some(d),
        comparator: "at_least",
        threshold_low: 100.0,
        threshold_high: None,
        status: Status::AtRisk,
        is_final: false,
        exceeded: false,
        secondary: None,
        note: None,
        parts,
        suppressed: false,
        reported: None,
    };
    let codes = |e: &Evaluation| e.parts.iter().map(|p| p.code.to_string()).collect::<Vec<_>>();
    // A = 10/12, B = 3/3 (small), C = 6/7, and 6 overdue: B goes, and with it C (7 < 12), not the
    // overdue tips, which are no unit; 19/22 − A's 10/12 is then C and B together, neither alone.
    let e = figure(
        vec![
            item("A", Some(1), 10.0, Some(12.0)),
            item("B", Some(2), 3.0, Some(3.0)),
            item("C", Some(3), 6.0, Some(7.0)),
            item("overdue", None, 6.0, None),
        ],
        19.0,
        22.0,
    );
    let seen = e.for_reader(Role::Supervisor, Level::Province);
    assert_eq!(codes(&seen), vec!["A", "overdue"]);
    assert_eq!(seen.numerator, Some(19.0), "the province's figure stands");
    // The coordinator sees every item.
    assert_eq!(codes(&e.for_reader(Role::Coordinator, Level::Province)), vec!["A", "B", "C", "overdue"]);
    // 2/2 tips in the province, all of Phường 3 (the other units had none due): the figure is Phường 3's 2.
    let e = figure(vec![item("31519", Some(4), 2.0, Some(2.0))], 2.0, 2.0);
    let seen = e.for_reader(Role::Supervisor, Level::Province);
    assert!(seen.suppressed && seen.numerator.is_none() && seen.parts.is_empty(), "{seen:?}");
    assert_eq!(seen.status, Status::AtRisk, "the status stands");
    // A small month of the province's press (no unit) goes alone, taking nothing with it.
    let e = figure(vec![item("2025-04", None, 3.0, None), item("2025-05", None, 9.0, None), item("2025-06", None, 7.0, None)], 19.0, 19.0);
    assert_eq!(codes(&e.for_reader(Role::Supervisor, Level::Province)), vec!["2025-05", "2025-06"]);
}
