//! National-size synthetic data for benchmarks (`pcmd demo --scale national`):
//! every one of the 34 provinces and 3,321 communes in 2025, with records
//! before 1 July attached to the old communes and after it to the new ones.
//! Each province is written in its own transaction and recorded as done, so an
//! interrupted run resumes where it stopped.

use super::rng::Rng;
use super::{day_between, ymd, Written, YearMap};
use pcmd_domain::records::*;
use pcmd_domain::units::{Level, Unit, UnitIndex, REFORM_DAY};
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::{dataset_hash, record_dataset, Store, StoreError};
use std::collections::HashSet;

/// How much to write per commune (ranges, drawn uniformly).
#[derive(Debug, Clone, Copy)]
pub struct NationalScale {
    pub establishments: (i64, i64),
    pub activities: (i64, i64),
    pub inspections_per_establishment: (i64, i64),
    pub tips: (i64, i64),
    pub support_cases: (i64, i64),
}

impl NationalScale {
    /// About 200,000 establishments, 3,000,000 activities, 1,000,000
    /// inspections, 500,000 tips and 100,000 support cases (a little over each).
    pub const FULL: NationalScale = NationalScale {
        establishments: (32, 90),
        activities: (620, 1200),
        inspections_per_establishment: (0, 11),
        tips: (105, 200),
        support_cases: (21, 41),
    };
}

const YEAR: i32 = 2025;

pub async fn generate_national(
    store: &Store,
    units: &UnitIndex,
    rules: &RulesFile,
    scale: NationalScale,
    sealer: &std::sync::Arc<pcmd_store::Sealer>,
    progress: &dyn Fn(&str),
) -> Result<Written, StoreError> {
    let dec31 = ymd(YEAR, 12, 31)?;
    let mut provinces: Vec<&Unit> = Vec::new();
    for code in units.codes_at(Level::Province, dec31) {
        if let Some(u) = units.resolve(&code, dec31) {
            provinces.push(u);
        }
    }
    let mut total = Written::default();
    let mut old_done: HashSet<i64> = HashSet::new();
    for (n, p) in provinces.iter().enumerate() {
        let name = format!("synthetic-national:{}", p.code);
        let mut tx = store.begin_bulk().await?;
        if dataset_hash(&mut tx, &name).await?.is_some() {
            tx.commit().await?;
            continue;
        }
        let started = std::time::Instant::now();
        let w = province(&mut tx, units, rules, scale, p, &mut old_done, n as u64, sealer).await?;
        record_dataset(&mut tx, &name, "v1").await?;
        tx.commit().await?;
        progress(&format!(
            "  {}/{} {} {}: {} cơ sở, {} hoạt động, {} lượt kiểm tra, {} tin báo ({:.1} s)",
            n + 1,
            provinces.len(),
            p.code,
            p.name,
            w.establishments,
            w.activities,
            w.inspections,
            w.tips,
            started.elapsed().as_secs_f64()
        ));
        total.establishments += w.establishments;
        total.activities += w.activities;
        total.inspections += w.inspections;
        total.tips += w.tips;
        total.support_cases += w.support_cases;
        total.publications += w.publications;
        total.case_summaries += w.case_summaries;
        total.trainings += w.trainings;
        total.reference_figures += w.reference_figures;
    }
    Ok(total)
}

#[allow(clippy::too_many_arguments)]
async fn province(
    tx: &mut pcmd_store::Tx<'_>,
    units: &UnitIndex,
    rules: &RulesFile,
    scale: NationalScale,
    p: &Unit,
    old_done: &mut HashSet<i64>,
    salt: u64,
    sealer: &std::sync::Arc<pcmd_store::Sealer>,
) -> Result<Written, StoreError> {
    let mut rng = Rng::new(0x2025_0701 ^ (salt << 32));
    let meta = RecordMeta::now(RecordSource::Synthetic, Some("pcmd demo --scale national".into())).with_sealer(sealer.clone());
    let map = YearMap::new(units, p, YEAR)?;
    let (jan1, dec31) = (ymd(YEAR, 1, 1)?, ymd(YEAR, 12, 31)?);
    let mut w = Written::default();
    // The old units standing for an item before the reform, whatever their date.
    let old_of = |rng: &mut Rng, item: i64| -> Option<String> {
        let olds: Vec<&Unit> = map.before.get(&item)?.iter().filter_map(|o| units.get(*o)).collect();
        rng.pick(&olds).map(|u| u.code.clone())
    };
    let old_provinces: Vec<i64> = {
        let mut v: Vec<i64> = map.before.values().flatten().filter_map(|o| units.province_of(*o)).collect();
        v.sort_unstable();
        v.dedup();
        v
    };

    // Establishments, all open through the year, registered before it.
    let mut est: Vec<(i64, i64)> = Vec::new();
    for &item in &map.items {
        for i in 0..rng.range(scale.establishments.0, scale.establishments.1) {
            let Some(code) = old_of(&mut rng, item) else { continue };
            let kind = *rng.pick(EstablishmentKind::ALL).unwrap_or(&EstablishmentKind::Other);
            let e = NewEstablishment {
                name: format!("{} {code}-{}", kind.label_vi(), i + 1),
                kind,
                unit_code: code,
                address: None,
                licence: None,
                workers: rng.range(3, 25),
                opened_on: Some(day_between(&mut rng, ymd(2015, 1, 1)?, ymd(2024, 12, 31)?)),
                closed_on: None,
            };
            est.push((rec::insert_establishment(tx, units, &e, &meta).await?, item));
        }
    }
    w.establishments = est.len();

    // Activities in every commune through the year.
    let mut acts = Vec::new();
    for &item in &map.items {
        for _ in 0..rng.range(scale.activities.0, scale.activities.1) {
            let date = day_between(&mut rng, jan1, dec31);
            let Some(code) = map.place(units, &mut rng, item, date) else { continue };
            acts.push(NewActivity {
                held_on: date,
                unit_code: code,
                form: *rng.pick(ActivityForm::ALL).unwrap_or(&ActivityForm::Meeting),
                topic: "Tuyên truyền phòng, chống mại dâm (số liệu mẫu)".into(),
                organiser: None,
                reached_at_risk_workers: rng.range(0, 6),
                reached_industrial_workers: rng.range(0, 15),
                reached_students: rng.range(0, 40),
                reached_community: rng.range(10, 150),
            });
        }
    }
    w.activities = rec::insert_activities(tx, units, &acts, &meta).await? as usize;
    drop(acts);

    let mut ins = Vec::new();
    for (id, _) in &est {
        for _ in 0..rng.range(scale.inspections_per_establishment.0, scale.inspections_per_establishment.1) {
            ins.push(NewInspection {
                inspected_on: day_between(&mut rng, jan1, dec31),
                establishment_id: *id,
                team_level: if rng.chance(0.3) { TeamLevel::Province } else { TeamLevel::Commune },
                team: None,
                findings: None,
                violations: 0,
                sanctions: 0,
                fines_vnd: 0,
            });
        }
    }
    w.inspections = rec::insert_inspections(tx, &ins, &meta).await? as usize;
    drop(ins);

    let mut tips = Vec::new();
    for &item in &map.items {
        for _ in 0..rng.range(scale.tips.0, scale.tips.1) {
            let received = day_between(&mut rng, jan1, ymd(YEAR, 11, 15)?);
            let category = if rng.chance(0.7) { TipCategory::CrimeReport } else { TipCategory::Complaint };
            let Some(deadline) = rules.settling_deadline(category, received, false, false) else { continue };
            let accepted_on = (category == TipCategory::Complaint).then_some(received);
            let Some(code) = map.place(units, &mut rng, item, received) else { continue };
            let roll = rng.unit();
            let (status, closed) = if roll < 0.02 {
                (TipStatus::Verifying, None)
            } else if roll < 0.07 {
                (TipStatus::Handled, deadline.checked_add_days(chrono::Days::new(rng.range(1, 15) as u64)))
            } else {
                (TipStatus::Handled, Some(day_between(&mut rng, received, deadline)))
            };
            tips.push(NewTip {
                received_on: received,
                channel: TipChannel::Phone,
                category,
                unit_code: code,
                is_complex: false,
                is_remote: false,
                is_very_complex: false,
                accepted_on,
                suspended_on: None,
                resumed_on: None,
                status,
                extended_until: None,
                closed_on: closed,
                outcome: None,
                content: None,
            });
        }
    }
    w.tips = rec::insert_tips(tx, units, rules, &tips, &meta).await? as usize;
    drop(tips);

    for &item in &map.items {
        for i in 0..rng.range(scale.support_cases.0, scale.support_cases.1) {
            let Some(code) = old_of(&mut rng, item) else { continue };
            let opened = day_between(&mut rng, ymd(2023, 1, 1)?, ymd(2025, 5, 31)?);
            let eligible = rng.chance(0.75);
            let services =
                if eligible && rng.chance(0.8) { vec![(day_between(&mut rng, opened.max(jan1), dec31), Service::Health)] } else { Vec::new() };
            let c = NewSupportCase {
                code: format!("QG-{code}-{i:03}-{}", rng.range(1000, 9999)),
                unit_code: code,
                opened_on: opened,
                closed_on: None,
                age_band: AgeBand::From25To34,
                sex: Sex::Female,
                needs_support: true,
                eligible,
                consent: eligible,
                services,
                full_name: None,
                date_of_birth: None,
                id_number: None,
                address: None,
                phone: None,
            };
            rec::insert_support_case(tx, units, &c, &meta).await?;
            w.support_cases += 1;
        }
    }

    // Monthly provincial press; the province of the day (an old one before the reform).
    for m in 1..=12u32 {
        let date = ymd(YEAR, m, 10)?;
        let code = if date >= REFORM_DAY { Some(p.code.clone()) } else { old_provinces.first().and_then(|o| units.get(*o)).map(|u| u.code.clone()) };
        let Some(code) = code else { continue };
        let pub_ = NewPublication {
            published_on: date,
            unit_code: code,
            outlet: format!("Báo {}", p.name),
            outlet_level: OutletLevel::Province,
            medium: Medium::Online,
            title: "Tin phòng, chống mại dâm (số liệu mẫu)".into(),
        };
        rec::insert_publication(tx, units, &pub_, &meta).await?;
        w.publications += 1;
    }

    // Yearly figures: 2024 at the old provinces (once each), 2025 at the new one.
    for o in &old_provinces {
        if old_done.insert(*o) {
            if let Some(u) = units.get(*o) {
                let c = NewCaseSummary {
                    year: YEAR - 1,
                    unit_code: u.code.clone(),
                    criminal_cases: rng.range(5, 40),
                    defendants: rng.range(5, 60),
                    admin_violations: rng.range(10, 90),
                    persons_sanctioned: rng.range(10, 120),
                };
                rec::insert_case_summary(tx, units, &c, &meta).await?;
                w.case_summaries += 1;
            }
        }
    }
    let c = NewCaseSummary {
        year: YEAR,
        unit_code: p.code.clone(),
        criminal_cases: rng.range(10, 80),
        defendants: rng.range(10, 120),
        admin_violations: rng.range(20, 180),
        persons_sanctioned: rng.range(20, 240),
    };
    rec::insert_case_summary(tx, units, &c, &meta).await?;
    w.case_summaries += 1;
    let communes = map.items.len() as i64;
    for (kind, level, value) in [
        (ReferenceKind::Students, FigureLevel::All, communes * rng.range(300, 700)),
        (ReferenceKind::IndustrialWorkers, FigureLevel::All, communes * rng.range(50, 400)),
        (ReferenceKind::Staff, FigureLevel::Province, rng.range(40, 150)),
        (ReferenceKind::Staff, FigureLevel::Commune, communes * rng.range(3, 6)),
    ] {
        let f =
            NewReferenceFigure {
                kind, level, unit_code: p.code.clone(), year: YEAR, value, reference: "số liệu mẫu".into(), reference_date: None
            };
        rec::insert_reference_figure(tx, units, &f, &meta).await?;
        w.reference_figures += 1;
    }
    let t = NewTraining {
        held_on: day_between(&mut rng, ymd(YEAR, 8, 1)?, ymd(YEAR, 11, 30)?),
        unit_code: p.code.clone(),
        level: TeamLevel::Province,
        title: "Tập huấn (số liệu mẫu)".into(),
        organiser: None,
        participants_province: rng.range(20, 120),
        participants_district: 0,
        participants_commune: communes * rng.range(1, 4),
    };
    rec::insert_training(tx, units, &t, &meta).await?;
    w.trainings += 1;
    Ok(w)
}
