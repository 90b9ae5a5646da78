//! Golden figures: a hand-made fixture (one province of two districts and five
//! communes, merged into two communes on 01/07/2025) with every indicator's
//! expected value worked out by hand below, checked on every backend.

use crate::helpers::{on_each_backend, TestDb};
use chrono::NaiveDate;
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::plan::{validate_plan, MemoryDirectory, PlanFile};
use pcmd_domain::records::*;
use pcmd_domain::units::{parse_catalog, UnitIndex};
use pcmd_domain::SourceFile;
use pcmd_engine::{Engine, Evaluation, Status};
use pcmd_store::records::{self as rec, RecordMeta};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The fixture's encryption key (a test key, not a secret).
pub fn fixture_sealer() -> std::sync::Arc<pcmd_store::Sealer> {
    std::sync::Arc::new(pcmd_store::Sealer::from_key(&[42; 32]))
}

/// The legal time limits pcmd ships, with the days off they count by.
pub fn shipped_rules() -> RulesFile {
    RulesFile::parse(
        SourceFile { name: "deadlines.toml", text: include_str!("../../../../data/rules/deadlines.toml") },
        Some(SourceFile { name: "holidays.toml", text: include_str!("../../../../data/rules/holidays.toml") }),
    )
    .unwrap()
}

/// Loads the fixture units, plan and deadline rules, without records. Returns the unit index.
pub async fn load_base(db: &TestDb) -> UnitIndex {
    let catalog = parse_catalog(
        include_str!("fixture/units-old.csv"),
        include_str!("fixture/units-new.csv"),
        include_str!("fixture/successors.csv"),
        d(2020, 1, 1),
    )
    .unwrap();
    let mut dir = MemoryDirectory::default();
    for u in &catalog.units {
        dir.add_unit(&u.code, u.level, u.valid_from, u.valid_to);
    }
    let src = SourceFile { name: "fixture/plan.toml", text: include_str!("fixture/plan.toml") };
    let plan = validate_plan(src, &PlanFile::parse(src).unwrap(), None, &dir).unwrap();
    let rules = shipped_rules();
    let mut tx = db.store.begin().await.unwrap();
    pcmd_store::import_units(&mut tx, &catalog, "fixture").await.unwrap();
    pcmd_store::save_plan(&mut tx, &plan, pcmd_store::Saver::FILE).await.unwrap();
    rec::save_deadline_rules(&mut tx, &rules).await.unwrap();
    tx.commit().await.unwrap();
    db.store.unit_index().await.unwrap()
}

/// Loads the fixture units, plan and records. Returns the unit index.
pub(crate) async fn load_fixture(db: &TestDb) -> UnitIndex {
    let units = load_base(db).await;
    let rules = shipped_rules();
    let m = RecordMeta::now(RecordSource::Entry, Some("test".into())).with_sealer(fixture_sealer());
    let mut tx = db.store.begin().await.unwrap();

    // Establishments, open since 2020 unless said: workers 10 + 6 + 4 + 8 + 12 + 5 = 45.
    let est = |name: &str, unit: &str, workers: i64, opened: NaiveDate, closed: Option<NaiveDate>| NewEstablishment {
        name: name.into(),
        kind: EstablishmentKind::Karaoke,
        unit_code: unit.into(),
        address: None,
        licence: None,
        workers,
        opened_on: Some(opened),
        closed_on: closed,
    };
    let mut ids = Vec::new();
    for e in [
        est("E1", "90001", 10, d(2020, 1, 1), None),
        est("E2", "90001", 6, d(2020, 1, 1), None),
        est("E3", "90002", 4, d(2020, 1, 1), None),
        est("E4", "90004", 8, d(2020, 1, 1), None),
        est("E5", "90005", 12, d(2020, 1, 1), Some(d(2024, 3, 31))),
        est("E6", "90003", 5, d(2024, 6, 1), None),
    ] {
        ids.push(rec::insert_establishment(&mut tx, &units, &e, &m).await.unwrap());
    }
    // Inspections: 2024 E1 twice, E3, E5 (3 distinct of 6); 2025 E2, E4 (2 of the 5 still open).
    for (i, date) in [(0, d(2024, 2, 10)), (0, d(2024, 8, 1)), (2, d(2024, 5, 5)), (4, d(2024, 3, 1)), (1, d(2025, 3, 1)), (3, d(2025, 9, 1))] {
        let ins = NewInspection {
            inspected_on: date,
            establishment_id: ids[i],
            team_level: TeamLevel::District,
            team: None,
            findings: None,
            violations: 0,
            sanctions: 0,
            fines_vnd: 0,
        };
        rec::insert_inspection(&mut tx, &ins, &m).await.unwrap();
    }
    // Activities: (date, unit, at-risk workers, industrial workers, students).
    for (date, unit, w, i, s) in [
        (d(2024, 3, 5), "90001", 8, 0, 100),
        (d(2024, 6, 10), "90001", 4, 0, 0),
        (d(2024, 7, 20), "90003", 3, 50, 200),
        (d(2024, 10, 1), "90004", 12, 0, 0),
        (d(2024, 11, 11), "901", 0, 0, 300),
        // 90001 again in the third and fourth quarters, reaching nobody counted: it is
        // then the one commune active in every quarter of 2024.
        (d(2024, 8, 5), "90001", 0, 0, 0),
        (d(2024, 11, 20), "90001", 0, 0, 0),
        (d(2025, 2, 1), "90005", 5, 0, 0),
        (d(2025, 8, 15), "91001", 10, 0, 0),
    ] {
        let a = NewActivity {
            held_on: date,
            unit_code: unit.into(),
            form: ActivityForm::Meeting,
            topic: "Tuyên truyền".into(),
            organiser: None,
            reached_at_risk_workers: w,
            reached_industrial_workers: i,
            reached_students: s,
            reached_community: 30,
        };
        rec::insert_activity(&mut tx, &units, &a, &m).await.unwrap();
    }
    // Provincial press: January to October 2024 at province 90; January 2025 at 90, August 2025 at the new province 91.
    let mut press: Vec<(NaiveDate, &str)> = (1..=10).map(|mo| (d(2024, mo, 15), "90")).collect();
    press.extend([(d(2025, 1, 10), "90"), (d(2025, 8, 10), "91")]);
    for (date, unit) in press {
        let p = NewPublication {
            published_on: date,
            unit_code: unit.into(),
            outlet: "Báo Thử Nghiệm".into(),
            outlet_level: OutletLevel::Province,
            medium: Medium::Newspaper,
            title: "Tin".into(),
        };
        rec::insert_publication(&mut tx, &units, &p, &m).await.unwrap();
    }
    // District plans 2024: both districts; 901 integrates with all four programmes, 902 with
    // the drugs programme only. 2025: 901 again, with all four.
    for (unit, year, all, adopted) in [("901", 2024, true, d(2024, 1, 20)), ("902", 2024, false, d(2024, 1, 20)), ("901", 2025, true, d(2025, 1, 15))]
    {
        let p = NewDistrictPlan {
            unit_code: unit.into(),
            year,
            document_ref: "1/KH-UBND".into(),
            adopted_on: Some(adopted),
            integrates_socio_economic: all,
            integrates_social_security: all,
            integrates_drugs: true,
            integrates_hiv: all,
        };
        rec::insert_district_plan(&mut tx, &units, &p, &m).await.unwrap();
    }
    // A pilot model in 902 from April 2024.
    let pilot = NewPilotModel {
        unit_code: "902".into(),
        name: "Mô hình".into(),
        kind: "giảm hại".into(),
        started_on: d(2024, 4, 1),
        ended_on: None,
        status: PilotStatus::Active,
    };
    rec::insert_pilot_model(&mut tx, &units, &pilot, &m).await.unwrap();
    // Tips. Crime tips have 20 days from receipt (CPC art. 147), first complaints 30 from
    // acceptance (Law on Complaints art. 28), here accepted the day they arrived.
    for (received, category, unit, status, closed) in [
        // deadline 21/03/2024, closed 15/03: on time.
        (d(2024, 3, 1), TipCategory::Denunciation, "90001", TipStatus::Handled, Some(d(2024, 3, 15))),
        // deadline 21/05/2024, closed 01/06: late.
        (d(2024, 5, 1), TipCategory::CrimeReport, "90002", TipStatus::Handled, Some(d(2024, 6, 1))),
        // deadline 20/12/2024, still open: overdue.
        (d(2024, 11, 20), TipCategory::Complaint, "90004", TipStatus::Verifying, None),
        // deadline 09/01/2025, closed 05/01/2025: due in 2025, on time.
        (d(2024, 12, 20), TipCategory::Denunciation, "90005", TipStatus::Handled, Some(d(2025, 1, 5))),
    ] {
        let t = NewTip {
            received_on: received,
            channel: TipChannel::Phone,
            category,
            unit_code: unit.into(),
            is_complex: false,
            is_remote: false,
            is_very_complex: false,
            accepted_on: (category == TipCategory::Complaint).then_some(received),
            suspended_on: None,
            resumed_on: None,
            status,
            extended_until: None,
            closed_on: closed,
            outcome: None,
            content: None,
        };
        rec::insert_tip(&mut tx, &units, &rules, &t, &m).await.unwrap();
    }
    // Yearly case figures: criminal cases, defendants, administrative violations, persons sanctioned.
    for (year, unit, c) in [(2023, "901", [2, 3, 5, 4]), (2023, "902", [1, 1, 2, 2]), (2024, "901", [3, 4, 5, 5]), (2024, "902", [1, 2, 2, 1])] {
        let s =
            NewCaseSummary { year, unit_code: unit.into(), criminal_cases: c[0], defendants: c[1], admin_violations: c[2], persons_sanctioned: c[3] };
        rec::insert_case_summary(&mut tx, &units, &s, &m).await.unwrap();
    }
    // Support cases: S1 and S2 eligible and open in 2024, only S1 served; S3 not eligible; S4 closed before 2024.
    for (code, unit, opened, closed, eligible, services) in [
        ("S1", "90001", d(2023, 5, 1), None, true, vec![(d(2024, 2, 1), Service::Health)]),
        ("S2", "90002", d(2024, 1, 15), None, true, vec![]),
        ("S3", "90004", d(2023, 1, 1), None, false, vec![]),
        ("S4", "90005", d(2022, 6, 1), Some(d(2023, 12, 31)), true, vec![(d(2022, 7, 1), Service::Legal)]),
    ] {
        let c = NewSupportCase {
            code: code.into(),
            unit_code: unit.into(),
            opened_on: opened,
            closed_on: closed,
            age_band: AgeBand::From25To34,
            sex: Sex::Female,
            needs_support: true,
            eligible,
            consent: true,
            services,
            full_name: Some(format!("Nguyễn Thị Mẫu {code}")),
            date_of_birth: None,
            id_number: None,
            address: None,
            phone: None,
        };
        rec::insert_support_case(&mut tx, &units, &c, &m).await.unwrap();
    }
    // Training: 2024 at the province 6/10/20 trainees by level, 2025 3/5/5.
    for (date, p, dd, c) in [(d(2024, 4, 10), 6, 10, 20), (d(2025, 3, 1), 3, 5, 5)] {
        let t = NewTraining {
            held_on: date,
            unit_code: "90".into(),
            level: TeamLevel::Province,
            title: "Tập huấn".into(),
            organiser: None,
            participants_province: p,
            participants_district: dd,
            participants_commune: c,
        };
        rec::insert_training(&mut tx, &units, &t, &m).await.unwrap();
    }
    // Reference figures for 2024 at the province: students 1,000; industrial workers 200; staff 12/30/50.
    for (kind, level, value) in [
        (ReferenceKind::Students, FigureLevel::All, 1000),
        (ReferenceKind::IndustrialWorkers, FigureLevel::All, 200),
        (ReferenceKind::Staff, FigureLevel::Province, 12),
        (ReferenceKind::Staff, FigureLevel::District, 30),
        (ReferenceKind::Staff, FigureLevel::Commune, 50),
    ] {
        let f = NewReferenceFigure { kind, level, unit_code: "90".into(), year: 2024, value, reference: "fixture".into(), reference_date: None };
        rec::insert_reference_figure(&mut tx, &units, &f, &m).await.unwrap();
    }
    tx.commit().await.unwrap();
    units
}

struct Golden<'a> {
    db: &'a TestDb,
    units: &'a UnitIndex,
}

impl Golden<'_> {
    async fn eval(&self, target: &str, unit: &str, period: &str, as_of: NaiveDate) -> Evaluation {
        let plan = self.db.store.plan("fixture").await.unwrap();
        let t = plan.targets.iter().find(|t| t.code == target).unwrap();
        let p = Period::parse(period, Cutoff::Decree09).unwrap();
        let u = self.units.resolve_for(unit, p.from, p.to).unwrap().clone();
        let mut all = Engine::new(&self.db.store, self.units).evaluate_target(&t.typed().unwrap(), &u, &p, as_of).await.unwrap();
        assert_eq!(all.len(), 1, "{target} {unit} {period}: one window");
        all.remove(0)
    }

    /// Checks value (to 0.01), numerator, denominator and status.
    async fn check(&self, target: &str, unit: &str, period: &str, expected: (Option<f64>, Option<f64>, Option<f64>, Status)) {
        let e = self.eval(target, unit, period, d(2026, 1, 1)).await;
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 0.01,
            (None, None) => true,
            _ => false,
        };
        assert!(
            close(e.value, expected.0) && close(e.numerator, expected.1) && close(e.denominator, expected.2) && e.status == expected.3,
            "{} {target} {unit} {period}: got {:?} {:?}/{:?} {:?} ({:?}), expected {expected:?}",
            self.db.name,
            e.value,
            e.numerator,
            e.denominator,
            e.status,
            e.note
        );
    }
}

#[tokio::test]
async fn every_indicator_on_the_fixture() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        use Status::*;
        // 2024, three-level structure, province 90 (5 communes, 2 districts), as of 01/01/2026.
        // Kept up regularly = an activity in every quarter: only 90001 (05/03, 10/06, 05/08,
        // 20/11) → 1 / 5; 90003 (July) and 90004 (October) had one quarter each.
        g.check("coverage", "90", "2024", (Some(20.0), Some(1.0), Some(5.0), NotMet)).await;
        // The share with at least one activity is shown beside it: 90001, 90003, 90004 → 3 / 5.
        let e = g.eval("coverage", "90", "2024", d(2026, 1, 1)).await;
        assert_eq!(e.secondary.map(|s| (s.numerator, s.denominator)), Some((3.0, 5.0)));
        // Months January–October with a provincial publication: 10 / 12.
        g.check("press_month", "90", "2024", (Some(83.33), Some(10.0), Some(12.0), NotMet)).await;
        // Those months touch all 4 quarters.
        g.check("press_quarter", "90", "2024", (Some(100.0), Some(4.0), Some(4.0), Met)).await;
        // Workers reached, each commune up to its own workers: 90001 8 + 4 = 12 of 16 (E1, E2),
        // 90003 3 of 5 (E6), 90004 12 contacts but only 8 workers (E4) → 8. 12 + 3 + 8 = 23 of
        // the 45 workers in the 6 establishments open in 2024 (summed contacts would say 27).
        g.check("workers", "90", "2024", (Some(51.11), Some(23.0), Some(45.0), NotMet)).await;
        // 90004 alone: 12 contacts, 8 workers → 100 %, never 150 %.
        g.check("workers", "90004", "2024", (Some(100.0), Some(8.0), Some(8.0), Met)).await;
        // Industrial workers 50 of the reference 200.
        g.check("industrial", "90", "2024", (Some(25.0), Some(50.0), Some(200.0), Met)).await;
        // Students 100 + 200 + 300 (the last at district 901) of 1,000.
        g.check("students", "90", "2024", (Some(60.0), Some(600.0), Some(1000.0), Met)).await;
        // Both districts have a 2024 plan and recorded activities (901: 90001, 90003, its own
        // meeting; 902: 90004) → 2 / 2.
        g.check("plans", "90", "2024", (Some(100.0), Some(2.0), Some(2.0), Met)).await;
        // Integrating with every programme the plan names: 901 (all four), not 902 (drugs only) → 1 / 2.
        g.check("integrating", "90", "2024", (Some(50.0), Some(1.0), Some(2.0), NotMet)).await;
        // Tips due in 2024: 21/03 on time, 21/05 late, 20/12 still open → 1 / 3.
        g.check("tips", "90", "2024", (Some(33.33), Some(1.0), Some(3.0), NotMet)).await;
        // Cases and persons: 2023 (2+3+4)+(1+1+2) = 13, 2024 (3+4+5)+(1+2+1) = 16 → +23.08 %.
        g.check("growth", "90", "2024", (Some(23.08), Some(16.0), Some(13.0), Met)).await;
        // Criminal cases 2023: 2 + 1 = 3, 2024: 3 + 1 = 4 → +33.33 %: above the 3–5 % band,
        // met from its lower bound and marked exceeded ("vượt").
        g.check("crimes", "90", "2024", (Some(33.33), Some(4.0), Some(3.0), Met)).await;
        assert!(g.eval("crimes", "90", "2024", d(2026, 1, 1)).await.exceeded);
        // Establishments to inspect in 2024: those still open on 31/12 (E1–E4, E6) or
        // inspected in the year (E5, closed 31/03 after its inspection) = 6; inspected E1, E3, E5.
        g.check("inspected", "90", "2024", (Some(50.0), Some(3.0), Some(6.0), Met)).await;
        // A pilot model in 1 of 2 districts.
        g.check("pilot", "90", "2024", (Some(50.0), Some(1.0), Some(2.0), Met)).await;
        g.check("pilot_count", "90", "2024", (Some(1.0), Some(1.0), None, Met)).await;
        // Eligible persons in need open in 2024: S1, S2; served: S1.
        g.check("served", "90", "2024", (Some(50.0), Some(1.0), Some(2.0), NotMet)).await;
        // All levels trained in 2024: 6 + 10 + 20 = 36 of 12 + 30 + 50 = 92.
        g.check("trained_all", "90", "2024", (Some(39.13), Some(36.0), Some(92.0), NotMet)).await;
        // Whole period 2024–2025: inspected at least once E1, E3, E5, E2, E4 of the 6.
        g.check("inspected_once", "90", "2024..2025", (Some(83.33), Some(5.0), Some(6.0), NotMet)).await;
        // Provincial staff trained over the period: 6 + 3 = 9 of 12; local (10 + 20 + 5 + 5) = 40 of 80.
        g.check("trained_province", "90", "2024..2025", (Some(75.0), Some(9.0), Some(12.0), Met)).await;
        g.check("trained_local", "90", "2024..2025", (Some(50.0), Some(40.0), Some(80.0), Met)).await;

        // Roll-up: district 901 holds 90001–90003; only 90001 kept it up → 1 / 3.
        g.check("coverage", "901", "2024", (Some(33.33), Some(1.0), Some(3.0), NotMet)).await;
        g.check("coverage", "90002", "2024", (Some(0.0), Some(0.0), Some(1.0), NotMet)).await;
        // A district-based target at its own district: 901's plan → 1 / 1.
        g.check("plans", "901", "2024", (Some(100.0), Some(1.0), Some(1.0), Met)).await;

        // 2025, across the reform: the old province is evaluated on the new communes
        // 91001 (from 90001, 90002, part of 90004) and 91002 (from 90003, most of 90004, 90005).
        // Q1: February in old 90005 (→ 91002); Q2: none; Q3: August in 91001; Q4: none →
        // no commune every quarter: 0 / 2; with at least one: 2 / 2.
        g.check("coverage", "90", "2025", (Some(0.0), Some(0.0), Some(2.0), NotMet)).await;
        // Workers: 91001 reached 10 of 20 (E1, E2, E3); 91002 0 of 13 (E4, E6): February's 5 were
        // reached in old 90005, which had no open establishment in 2025 (E5 closed in 2024), so
        // they count 0 there as in 2025-H1, and do not fill 90003's or 90004's workers → 10 of 33.
        g.check("workers", "90", "2025", (Some(30.30), Some(10.0), Some(33.0), NotMet)).await;
        // Press: January at old 90 and August at new 91 (whose press covers the old province) → 2 / 12.
        g.check("press_month", "90", "2025", (Some(16.67), Some(2.0), Some(12.0), NotMet)).await;
        // The one tip due in 2025 (09/01) was settled on 05/01.
        g.check("tips", "90", "2025", (Some(100.0), Some(1.0), Some(1.0), Met)).await;
        // Inspected in 2025: E2, E4 of the 5 open.
        g.check("inspected", "90", "2025", (Some(40.0), Some(2.0), Some(5.0), NotMet)).await;
        // District-based targets for 2025 are judged on the districts of the first half (901, 902):
        // 901 adopted a 2025 plan but recorded no activity before July (its communes' only 2025
        // activity is August's, in new 91001) → 0 / 2; integrating: 901's plan names all four → 1 / 2;
        // the pilot model in 902 runs on → 1 / 2.
        g.check("plans", "90", "2025", (Some(0.0), Some(0.0), Some(2.0), NotMet)).await;
        g.check("integrating", "90", "2025", (Some(50.0), Some(1.0), Some(2.0), NotMet)).await;
        g.check("pilot", "90", "2025", (Some(50.0), Some(1.0), Some(2.0), Met)).await;
        // From 01/07/2025 there is no district to count.
        g.check("pilot", "91", "2025-Q4", (None, None, None, NoData)).await;
        // The new province 91 sees the same territory from its side.
        g.check("coverage", "91", "2025", (Some(0.0), Some(0.0), Some(2.0), NotMet)).await;
        // No 2025 case figures: growth has no data.
        g.check("growth", "90", "2025", (None, None, None, NoData)).await;
    })
    .await;
}

/// The cases the figures went wrong on, each worked by hand.
#[tokio::test]
async fn periods_levels_and_the_reform_as_an_official_counts_them() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        use Status::*;
        let plan = db.store.plan("fixture").await.unwrap();
        // A Decree 09 half-year (15/12/2023–14/06/2024) lists every target, each once.
        let p = Period::parse("2024-H1", Cutoff::Decree09).unwrap();
        let province = units.resolve_for("90", p.from, p.to).unwrap().clone();
        let all = Engine::new(&db.store, &units).evaluate_plan(&plan.typed_targets(), &province, &p, d(2026, 1, 1)).await.unwrap();
        assert_eq!(all.len(), plan.targets.len());
        // ... and none is final in a half-year report: a yearly target is on track or at risk.
        assert!(
            all.iter().all(|e| !e.is_final && !matches!(e.status, Met | NotMet)),
            "{:?}",
            all.iter().map(|e| (&e.target, e.status)).collect::<Vec<_>>()
        );
        // Reporting months 15th–14th: 15/12–14/01 has none, then 15/01, 15/02, 15/03, 15/04, 15/05
        // each fall in their own → 5 / 6 (calendar months touched would say 5 / 7). A rate: at risk.
        g.check("press_month", "90", "2024-H1", (Some(83.33), Some(5.0), Some(6.0), AtRisk)).await;
        // The reporting year 2024 (15/12/2023–14/12/2024): publications on 15/01 … 15/10 fill the
        // reporting months starting 15/01 … 15/10; 15/12–14/01 and 15/11–14/12 have none → 10 / 12.
        g.check("press_month", "90", "2024-Y", (Some(83.33), Some(10.0), Some(12.0), NotMet)).await;
        // Growth is summed by year: not for a half-year, nor before the year is over.
        g.check("growth", "90", "2024-H1", (None, None, None, NoData)).await;
        let e = g.eval("growth", "90", "2024", d(2024, 12, 20)).await;
        assert_eq!((e.value, e.status), (None, NoData));
        // A whole-period target ("đến năm 2025") asked for 2024: window 2024, judged over 2024–2025.
        // To inspect: inspected in 2024 (E1, E3, E5) or open on 31/12/2024 (E1–E4, E6) = 6;
        // inspected 3 → 50 %. 366 of 731 days covered → 100 × 0.5007 = 50.07 expected: at risk, not "not met".
        g.check("inspected_once", "90", "2024", (Some(50.0), Some(3.0), Some(6.0), AtRisk)).await;
        // An old district after the reform: 902's communes went into 91002 (90004's main part,
        // 90005), which also took in 90003 of district 901. Counted on all of 91002: workers of
        // E4 (8) and E6 (5, at 90003) = 13; reached 0 (February's 5 were in 90005, no workers) → 0 / 13.
        g.check("workers", "902", "2025", (Some(0.0), Some(0.0), Some(13.0), NotMet)).await;
        let e = g.eval("workers", "902", "2025", d(2026, 1, 1)).await;
        // 91002 carries no predecessor's code: it counts with 902, which gave two of its three
        // communes (90004's main part, 90005), and says so for 90003.
        assert!(e.note.as_deref().is_some_and(|n| n.contains("gồm cả 1 xã, phường cũ ngoài Huyện Hai: Xã Châu (Huyện Một)")), "{:?}", e.note);
        // A new commune does not inherit the old province's figures: 91001 does not hold all of
        // province 90, so its student count and staff roster are not 91001's.
        g.check("students", "91001", "2025", (None, None, None, NoData)).await;
        g.check("trained_all", "91001", "2025", (None, None, None, NoData)).await;
        // A province-level target asked at a commune or district is not applicable, never failing.
        g.check("press_month", "90001", "2024", (None, None, None, NotApplicable)).await;
        g.check("pilot", "901", "2024", (None, None, None, NotApplicable)).await;
        g.check("plans", "90001", "2024", (None, None, None, NotApplicable)).await;
        // An old unit asked for a quarter after the reform: Q3 2025 on 91001 and 91002 —
        // 91001 held August's activity → 1 / 2; 92 of 365 days × 60 % = 15.1 expected: on track.
        g.check("coverage", "90", "2025-Q3", (Some(50.0), Some(1.0), Some(2.0), OnTrack)).await;
    })
    .await;
}

/// Two counts a careful official makes the same whichever period asks for the days.
#[tokio::test]
async fn the_same_days_give_the_same_judgement_in_every_period() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        use Status::*;
        // 10/03/2025, old 90003 (E6, 5 workers) reaches 9: at most its own 5 count.
        let m = RecordMeta::now(RecordSource::Entry, None);
        let a = NewActivity {
            held_on: d(2025, 3, 10),
            unit_code: "90003".into(),
            form: ActivityForm::Meeting,
            topic: "Tuyên truyền".into(),
            organiser: None,
            reached_at_risk_workers: 9,
            reached_industrial_workers: 0,
            reached_students: 0,
            reached_community: 0,
        };
        let mut tx = db.store.begin().await.unwrap();
        rec::insert_activity(&mut tx, &units, &a, &m).await.unwrap();
        tx.commit().await.unwrap();
        // The Decree 09 half-year 2025-H1 (15/12/2024–14/06/2025, no activity in its December
        // days) on the old communes: 90003 min(9, 5) = 5, 90005 min(5, 0) = 0; workers of E1–E4
        // and E6 open then = 10 + 6 + 4 + 8 + 5 = 33 → 5 / 33 = 15.15 %.
        g.check("workers", "90", "2025-H1", (Some(15.15), Some(5.0), Some(33.0), AtRisk)).await;
        // The year 2025 asked on 14/06/2025 counts the same records, on the old communes of that
        // day → again 5 / 33 (see below for a new commune's own cap).
        let e = g.eval("workers", "90", "2025", d(2025, 6, 14)).await;
        assert_eq!((e.numerator, e.denominator), (Some(5.0), Some(33.0)), "{:?}", e.note);
        // Asked on 14/06/2025 the year is counted on that day's communes, the five old ones: the
        // first quarter has ended, with activities in 90005 (01/02) and 90003 (10/03) → 2 / 5
        // (on the new communes of July it would be 91002 alone → 1 / 2).
        let e = g.eval("coverage", "90", "2025", d(2025, 6, 14)).await;
        assert_eq!((e.numerator, e.denominator), (Some(2.0), Some(5.0)), "{:?}", e.note);
        // The whole year, on the new communes: 91001 10 of 20 (August, in the new commune itself);
        // 91002 took in 90003, 90004 and 90005, each capped at its own workers first: 90003
        // min(9, 5) + 90005 min(5, 0) = 5 of 13 (one cap over 91002 would let the 9 + 5 contacts
        // fill its 13 workers) → 15 / 33.
        g.check("workers", "90", "2025", (Some(45.45), Some(15.0), Some(33.0), NotMet)).await;

        // b2 is the content of the year's district plans: 901 names all four programmes, 902 not
        // → 1 / 2 = 50 % in any window of 2024; threshold 60 %, 2024 not met.
        g.check("integrating", "90", "2024", (Some(50.0), Some(1.0), Some(2.0), NotMet)).await;
        // The fourth quarter, once the year is over, says what the year says (a quarter's share,
        // 60 % × 92/366 = 15.1 %, would read "on track").
        g.check("integrating", "90", "2024-Q4", (Some(50.0), Some(1.0), Some(2.0), NotMet)).await;
        // On 20/12/2024 the year is not over: 355 of 366 days × 60 % = 58.2 % expected → at risk.
        let e = g.eval("integrating", "90", "2024-Q4", d(2024, 12, 20)).await;
        assert_eq!((e.value, e.status, e.is_final), (Some(50.0), AtRisk, false));
        // The second quarter: 182 of 366 days × 60 % = 29.8 % expected → on track.
        g.check("integrating", "90", "2024-Q2", (Some(50.0), Some(1.0), Some(2.0), OnTrack)).await;
    })
    .await;
}

#[tokio::test]
async fn a_period_in_progress_is_on_track_or_at_risk() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        // On 31/03/2024 the first quarter has ended: 90001 (05/03) kept it up → 1 / 5 = 20 %;
        // 91 of 366 days gone × 60 % = 14.9 % expected → on track.
        let e = g.eval("coverage", "90", "2024", d(2024, 3, 31)).await;
        assert_eq!((e.value.map(|v| v.round()), e.status), (Some(20.0), Status::OnTrack));
        // On 01/08/2024 (Q1, Q2 ended; 214 days, 35.1 % expected): still only 90001 → at risk.
        let e = g.eval("coverage", "90", "2024", d(2024, 8, 1)).await;
        assert_eq!((e.value.map(|v| v.round()), e.status), (Some(20.0), Status::AtRisk));
        // A rate judged as it stands: tips due by 30/06/2024 are 21/03 (on time) and 21/05 (late) → 50 %: at risk.
        let e = g.eval("tips", "90", "2024", d(2024, 6, 30)).await;
        assert_eq!((e.value, e.status), (Some(50.0), Status::AtRisk));
        // A district plan counts from the day it was adopted: on 10/01/2024 neither plan for 2024
        // (both adopted 20/01) is known → b2 0 / 2; on 25/01, 901's (all four programmes) → 1 / 2.
        let e = g.eval("integrating", "90", "2024", d(2024, 1, 10)).await;
        assert_eq!((e.numerator, e.denominator), (Some(0.0), Some(2.0)));
        let e = g.eval("integrating", "90", "2024", d(2024, 1, 25)).await;
        assert_eq!((e.numerator, e.denominator), (Some(1.0), Some(2.0)));
        // Before the period begins there is nothing to say.
        let e = g.eval("coverage", "90", "2024", d(2023, 12, 31)).await;
        assert_eq!(e.status, Status::NoData);
    })
    .await;
}

#[tokio::test]
async fn figures_change_the_moment_a_record_is_saved() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        let with_one = async || g.eval("coverage", "90", "2024", d(2026, 1, 1)).await.secondary.map(|s| s.numerator);
        assert_eq!(with_one().await, Some(3.0));
        let m = RecordMeta::now(RecordSource::Entry, None);
        let a = NewActivity {
            held_on: d(2024, 9, 9),
            unit_code: "90002".into(),
            form: ActivityForm::Loudspeaker,
            topic: "Loa truyền thanh".into(),
            organiser: None,
            reached_at_risk_workers: 0,
            reached_industrial_workers: 0,
            reached_students: 0,
            reached_community: 80,
        };
        let mut tx = db.store.begin().await.unwrap();
        let id = rec::insert_activity(&mut tx, &units, &a, &m).await.unwrap();
        tx.commit().await.unwrap();
        // 90002 now has an activity: 4 communes with at least one.
        assert_eq!(with_one().await, Some(4.0));
        // Moving it to 90001 (which already had one) takes it back to 3.
        let mut tx = db.store.begin().await.unwrap();
        let moved = NewActivity { unit_code: "90001".into(), ..a.clone() };
        assert_eq!(rec::update_activity(&mut tx, &units, id, 1, &moved, &m).await.unwrap(), 2);
        tx.commit().await.unwrap();
        assert_eq!(with_one().await, Some(3.0));
        // A second edit from the same stale version is refused and changes nothing.
        let mut tx = db.store.begin().await.unwrap();
        let err = rec::update_activity(&mut tx, &units, id, 1, &a, &m).await.unwrap_err().to_string();
        assert!(err.contains("phiên bản 2") && err.contains("reload"), "{err}");
        tx.rollback().await.unwrap();
        assert_eq!(with_one().await, Some(3.0));
        g.check("coverage", "90", "2024", (Some(20.0), Some(1.0), Some(5.0), Status::NotMet)).await;
    })
    .await;
}

#[tokio::test]
async fn any_record_kind_is_updated_only_from_its_current_version() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let g = Golden { db, units: &units };
        let rules = shipped_rules();
        let m = RecordMeta::now(RecordSource::Entry, None);
        // The complaint received 20/11/2024 is still open: tips 2024 are 1 on time of 3.
        g.check("tips", "90", "2024", (Some(33.33), Some(1.0), Some(3.0), Status::NotMet)).await;
        let id: i64 = sqlx::query("SELECT id FROM tip WHERE received_on = '2024-11-20'")
            .fetch_one(db.store.pool())
            .await
            .map(|r| sqlx::Row::get(&r, 0))
            .unwrap();
        let settled = NewRecord::Tip(NewTip {
            received_on: d(2024, 11, 20),
            channel: TipChannel::Phone,
            category: TipCategory::Complaint,
            unit_code: "90004".into(),
            is_complex: false,
            is_remote: false,
            is_very_complex: false,
            // Accepted the day it came: the 30 days of art. 28 run from then.
            accepted_on: Some(d(2024, 11, 20)),
            suspended_on: None,
            resumed_on: None,
            status: TipStatus::Handled,
            extended_until: None,
            closed_on: Some(d(2024, 12, 10)),
            outcome: Some("Đã giải quyết".into()),
            content: None,
        });
        let mut tx = db.store.begin().await.unwrap();
        assert_eq!(rec::update(&mut tx, &units, &rules, id, 1, &settled, &m).await.unwrap(), 2);
        tx.commit().await.unwrap();
        // Settled on 10/12, before its deadline of 20/12: now 2 of 3.
        g.check("tips", "90", "2024", (Some(66.67), Some(2.0), Some(3.0), Status::NotMet)).await;
        // Its history holds both states.
        let events: i64 = sqlx::query("SELECT COUNT(*) FROM tip_event WHERE tip_id = $1")
            .bind(id)
            .fetch_one(db.store.pool())
            .await
            .map(|r| sqlx::Row::get(&r, 0))
            .unwrap();
        assert_eq!(events, 2);
        // A second editor who read version 1 is refused.
        let mut tx = db.store.begin().await.unwrap();
        let e = rec::update(&mut tx, &units, &rules, id, 1, &settled, &m).await.unwrap_err().to_string();
        assert!(e.contains("changed by someone else"), "{e}");
        tx.rollback().await.unwrap();
        // A reference figure may be corrected in place, but not into a duplicate of another.
        let fig = |value: i64, kind: ReferenceKind| {
            NewRecord::ReferenceFigure(NewReferenceFigure {
                kind,
                level: FigureLevel::All,
                unit_code: "90".into(),
                year: 2024,
                value,
                reference: "sửa".into(),
                reference_date: None,
            })
        };
        let fid: i64 = sqlx::query("SELECT id FROM reference_figure WHERE kind = 'students'")
            .fetch_one(db.store.pool())
            .await
            .map(|r| sqlx::Row::get(&r, 0))
            .unwrap();
        let mut tx = db.store.begin().await.unwrap();
        rec::update(&mut tx, &units, &rules, fid, 1, &fig(1200, ReferenceKind::Students), &m).await.unwrap();
        let e = rec::update(&mut tx, &units, &rules, fid, 2, &fig(1200, ReferenceKind::IndustrialWorkers), &m).await.unwrap_err().to_string();
        assert!(e.contains("already has"), "{e}");
        tx.commit().await.unwrap();
        // Students reached 600 of the corrected 1,200.
        g.check("students", "90", "2024", (Some(50.0), Some(600.0), Some(1200.0), Status::NotMet)).await;
    })
    .await;
}

#[tokio::test]
async fn records_are_checked_against_units_dates_and_the_law() {
    on_each_backend(async |db| {
        let units = load_fixture(db).await;
        let rules = shipped_rules();
        let m = RecordMeta::now(RecordSource::Entry, None);
        let mut tx = db.store.begin().await.unwrap();
        // An old commune after the reform does not exist.
        let a = NewActivity {
            held_on: d(2025, 8, 1),
            unit_code: "90001".into(),
            form: ActivityForm::Meeting,
            topic: "x".into(),
            organiser: None,
            reached_at_risk_workers: 0,
            reached_industrial_workers: 0,
            reached_students: 0,
            reached_community: 0,
        };
        let e = rec::insert_activity(&mut tx, &units, &a, &m).await.unwrap_err().to_string();
        assert!(e.contains("«90001»") && e.contains("01/08/2025"), "{e}");
        // A district plan must be a district's.
        let p = NewDistrictPlan {
            unit_code: "90001".into(),
            year: 2024,
            document_ref: "x".into(),
            adopted_on: None,
            integrates_socio_economic: false,
            integrates_social_security: false,
            integrates_drugs: false,
            integrates_hiv: false,
        };
        let e = rec::insert_district_plan(&mut tx, &units, &p, &m).await.unwrap_err().to_string();
        assert!(e.contains("cấp huyện"), "{e}");
        // An inspection of an establishment that does not exist.
        let ins = NewInspection {
            inspected_on: d(2024, 1, 1),
            establishment_id: 999_999,
            team_level: TeamLevel::Province,
            team: None,
            findings: None,
            violations: 0,
            sanctions: 0,
            fines_vnd: 0,
        };
        assert!(rec::insert_inspection(&mut tx, &ins, &m).await.unwrap_err().to_string().contains("999999"));
        // A complaint cannot be extended: the law gives no extension.
        let t = NewTip {
            received_on: d(2024, 1, 10),
            channel: TipChannel::InPerson,
            category: TipCategory::Complaint,
            unit_code: "90001".into(),
            is_complex: false,
            is_remote: false,
            is_very_complex: false,
            accepted_on: Some(d(2024, 1, 10)),
            suspended_on: None,
            resumed_on: None,
            status: TipStatus::Verifying,
            extended_until: Some(d(2024, 3, 1)),
            closed_on: None,
            outcome: None,
            content: None,
        };
        let e = rec::insert_tip(&mut tx, &units, &rules, &t, &m).await.unwrap_err().to_string();
        assert!(e.contains("Luật Khiếu nại 2011") && e.contains("allows no extension"), "{e}");
        // A second case summary for the same unit and year is a duplicate.
        let s = NewCaseSummary { year: 2024, unit_code: "901".into(), criminal_cases: 1, defendants: 1, admin_violations: 1, persons_sanctioned: 1 };
        let e = rec::insert_case_summary(&mut tx, &units, &s, &m).await.unwrap_err().to_string();
        assert!(e.contains("already has its 2024 figures"), "{e}");
        // A second 2024 plan for district 901 is refused with a message, not a database error (issue 12 item 11).
        let p = NewDistrictPlan {
            unit_code: "901".into(),
            year: 2024,
            document_ref: "2/KH-UBND".into(),
            adopted_on: Some(d(2024, 2, 1)),
            integrates_socio_economic: false,
            integrates_social_security: false,
            integrates_drugs: false,
            integrates_hiv: false,
        };
        let e = rec::insert_district_plan(&mut tx, &units, &p, &m).await.unwrap_err();
        assert!(matches!(e, pcmd_store::StoreError::Conflict(_)) && e.to_string().contains("already has its 2024 plan"), "{e}");
        tx.rollback().await.unwrap();
    })
    .await;
}
