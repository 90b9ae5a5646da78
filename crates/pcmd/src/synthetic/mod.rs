//! Synthetic demo data (dữ liệu mẫu) for the two seed plans, generated from a
//! fixed seed and written with `source = 'synthetic'` so every screen can say so.

mod national;
mod rng;
mod scenario;

use chrono::{Days, NaiveDate};
use pcmd_domain::period::Period;
use pcmd_domain::records::*;
use pcmd_domain::units::{Level, Unit, UnitIndex};
use pcmd_engine::Territory;
use pcmd_store::records::{self as rec, RecordMeta};
use pcmd_store::{StoreError, Tx};
use rng::Rng;
use scenario::{Scenario, YearPlan};
use std::collections::HashMap;

pub use national::{generate_national, NationalScale};
pub use scenario::{lai_chau, soc_trang};

/// What a scenario wrote.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Written {
    pub establishments: usize,
    pub activities: usize,
    pub publications: usize,
    pub inspections: usize,
    pub tips: usize,
    pub case_summaries: usize,
    pub district_plans: usize,
    pub pilot_models: usize,
    pub support_cases: usize,
    pub trainings: usize,
    pub reference_figures: usize,
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| StoreError::refused("ngày không hợp lệ", "invalid date"))
}

pub(crate) fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days().max(0);
    from.checked_add_days(Days::new(rng.range(0, span) as u64)).unwrap_or(from)
}

struct Establishment {
    id: i64,
    opened: NaiveDate,
    closed: Option<NaiveDate>,
    workers: i64,
}

impl Establishment {
    fn open_in(&self, from: NaiveDate, to: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let a = self.opened.max(from);
        let b = self.closed.map_or(to, |c| c.min(to));
        (a <= b).then_some((a, b))
    }
}

/// The places of one year: its commune items, and where a record dated on a
/// given day is attached (an old commune before the reform, the new one after).
pub(crate) struct YearMap {
    pub(crate) items: Vec<i64>,
    pub(crate) before: HashMap<i64, Vec<i64>>,
    districts: Vec<Unit>,
}

impl YearMap {
    pub(crate) fn new(units: &UnitIndex, province: &Unit, year: i32) -> Result<Self, StoreError> {
        let period = Period::year(year).ok_or_else(|| StoreError::refused("năm không hợp lệ", "invalid year"))?;
        let t = Territory::build(units, province, &period).map_err(|e| StoreError::refused(e.vi, e.en))?;
        let mut before: HashMap<i64, Vec<i64>> = HashMap::new();
        for (old, item) in &t.commune_of {
            // Only old communes: an island district without communes holds no commune record.
            if old != item && units.get(*old).is_some_and(|u| u.level == Level::Commune) {
                before.entry(*item).or_default().push(*old);
            }
        }
        for v in before.values_mut() {
            v.sort_unstable();
        }
        let jan1 = ymd(year, 1, 1)?;
        let districts =
            units.within(province.id, Level::District).into_iter().filter_map(|d| units.get(d).cloned()).filter(|d| d.valid_on(jan1)).collect();
        Ok(YearMap { items: t.communes, before, districts })
    }

    /// The code of the unit standing for `item` on `date`.
    pub(crate) fn place(&self, units: &UnitIndex, rng: &mut Rng, item: i64, date: NaiveDate) -> Option<String> {
        let unit = units.get(item)?;
        if unit.valid_on(date) {
            return Some(unit.code.clone());
        }
        let olds: Vec<&Unit> = self.before.get(&item)?.iter().filter_map(|o| units.get(*o)).filter(|u| u.valid_on(date)).collect();
        rng.pick(&olds).map(|u| u.code.clone())
    }
}

pub async fn generate(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    rules: &RulesFile,
    s: &Scenario,
    sealer: &std::sync::Arc<pcmd_store::Sealer>,
) -> Result<Written, StoreError> {
    let mut rng = Rng::new(s.seed);
    let mut w = Written::default();
    let meta = RecordMeta::now(RecordSource::Synthetic, Some("pcmd demo".into())).with_sealer(sealer.clone());
    let first = s.years.first().map_or(2024, |y| y.year);
    let province = units
        .resolve(s.province, ymd(first, 1, 1)?)
        .cloned()
        .ok_or_else(|| StoreError::refused("không có tỉnh của kịch bản", "the scenario's province is missing"))?;
    let jan1 = ymd(first, 1, 1)?;
    let communes: Vec<Unit> =
        units.within(province.id, Level::Commune).into_iter().filter_map(|c| units.get(c).cloned()).filter(|c| c.valid_on(jan1)).collect();

    // Establishments: most opened years before, a few during the first year; some close.
    let kinds = EstablishmentKind::ALL;
    let mut establishments = Vec::new();
    for c in &communes {
        let n = rng.range(0, (s.establishments_per_commune * 2.0).round() as i64);
        for i in 0..n {
            let kind = *rng.pick(kinds).unwrap_or(&EstablishmentKind::Other);
            let opened = if rng.chance(0.08) {
                day_between(&mut rng, jan1, ymd(first, 6, 30)?)
            } else {
                day_between(&mut rng, ymd(2012, 1, 1)?, ymd(first - 1, 12, 31)?)
            };
            let closed = rng.chance(0.06).then(|| day_between(&mut rng, opened.max(jan1), ymd(first, 6, 30).unwrap_or(opened)));
            let workers = rng.range(3, 25);
            let e = NewEstablishment {
                name: format!(
                    "{} {} số {}",
                    kind.label_vi(),
                    c.name.trim_start_matches("Xã ").trim_start_matches("Phường ").trim_start_matches("Thị trấn "),
                    i + 1
                ),
                kind,
                unit_code: c.code.clone(),
                address: None,
                licence: Some(format!("GP-{}-{:04}", c.code, rng.range(1, 9999))),
                workers,
                opened_on: Some(opened),
                closed_on: closed,
            };
            let id = rec::insert_establishment(tx, units, &e, &meta).await?;
            establishments.push(Establishment { id, opened, closed, workers });
        }
    }
    w.establishments = establishments.len();

    // The staff roster and the pilot models of the first year.
    for (level, value) in [(FigureLevel::Province, s.staff[0]), (FigureLevel::District, s.staff[1]), (FigureLevel::Commune, s.staff[2])] {
        let f = NewReferenceFigure {
            kind: ReferenceKind::Staff,
            level,
            unit_code: province.code.clone(),
            year: first,
            value,
            reference: "Sở Nội vụ (số liệu mẫu)".into(),
            reference_date: Some(jan1),
        };
        rec::insert_reference_figure(tx, units, &f, &meta).await?;
        w.reference_figures += 1;
    }
    let first_map = YearMap::new(units, &province, first)?;
    let mut districts = first_map.districts.clone();
    rng.shuffle(&mut districts);
    for d in districts.iter().take(s.pilots) {
        let m = NewPilotModel {
            unit_code: d.code.clone(),
            name: format!("Mô hình hỗ trợ giảm hại và hòa nhập cộng đồng tại {}", d.name),
            kind: "giảm hại, hòa nhập cộng đồng".into(),
            started_on: ymd(first, 3, 1)?,
            ended_on: None,
            status: PilotStatus::Active,
        };
        rec::insert_pilot_model(tx, units, &m, &meta).await?;
        w.pilot_models += 1;
    }

    // Yearly case figures of the year before, by district.
    write_cases(tx, units, &mut rng, &meta, &first_map.districts, s.baseline_cases.0, s.baseline_cases.1, &mut w).await?;

    // Support cases, opened before or during the scenario, in communes of the first year.
    let mut cases = Vec::new();
    for i in 0..s.support_cases {
        let opened = day_between(&mut rng, ymd(first - 2, 1, 1)?, ymd(first, 5, 31)?);
        let eligible = rng.chance(0.75);
        let c = rng.pick(&communes).map(|c| c.code.clone()).unwrap_or_default();
        cases.push(NewSupportCase {
            code: format!("HS-{}-{:04}", province.code, i + 1),
            unit_code: c,
            opened_on: opened,
            closed_on: None,
            age_band: *rng
                .pick(&[AgeBand::From18To24, AgeBand::From25To34, AgeBand::From25To34, AgeBand::From35To44, AgeBand::From45])
                .unwrap_or(&AgeBand::Unknown),
            sex: if rng.chance(0.92) { Sex::Female } else { Sex::Male },
            needs_support: eligible || rng.chance(0.5),
            eligible,
            consent: eligible || rng.chance(0.3),
            services: Vec::new(),
            full_name: Some(format!("Họ tên mẫu {}-{:04}", province.code, i + 1)),
            date_of_birth: None,
            id_number: None,
            address: None,
            phone: None,
        });
    }

    for y in &s.years {
        let map = YearMap::new(units, &province, y.year)?;
        year_records(tx, units, rules, s, y, &map, &province, &establishments, &mut cases, &mut rng, &meta, &mut w).await?;
    }
    for c in &cases {
        rec::insert_support_case(tx, units, c, &meta).await?;
        w.support_cases += 1;
    }
    Ok(w)
}

#[allow(clippy::too_many_arguments)]
async fn write_cases(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    rng: &mut Rng,
    meta: &RecordMeta,
    districts: &[Unit],
    year: i32,
    totals: [i64; 4],
    w: &mut Written,
) -> Result<(), StoreError> {
    let shares: Vec<Vec<i64>> = totals.iter().map(|t| rng.split(*t, districts.len())).collect();
    for (i, d) in districts.iter().enumerate() {
        let at = |k: usize| shares.get(k).and_then(|v| v.get(i)).copied().unwrap_or(0);
        let c = NewCaseSummary {
            year,
            unit_code: d.code.clone(),
            criminal_cases: at(0),
            defendants: at(1),
            admin_violations: at(2),
            persons_sanctioned: at(3),
        };
        rec::insert_case_summary(tx, units, &c, meta).await?;
        w.case_summaries += 1;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn year_records(
    tx: &mut Tx<'_>,
    units: &UnitIndex,
    rules: &RulesFile,
    s: &Scenario,
    y: &YearPlan,
    map: &YearMap,
    province: &Unit,
    establishments: &[Establishment],
    cases: &mut [NewSupportCase],
    rng: &mut Rng,
    meta: &RecordMeta,
    w: &mut Written,
) -> Result<(), StoreError> {
    let (jan1, dec31) = (ymd(y.year, 1, 1)?, ymd(y.year, 12, 31)?);
    let province_on = |date: NaiveDate| -> String {
        if province.valid_on(date) {
            province.code.clone()
        } else {
            map.items.first().and_then(|i| units.province_of(*i)).and_then(|p| units.get(p)).map_or_else(|| province.code.clone(), |p| p.code.clone())
        }
    };

    // Awareness activities over a share of the year's communes.
    let open: Vec<(&Establishment, (NaiveDate, NaiveDate))> = establishments.iter().filter_map(|e| e.open_in(jan1, dec31).map(|r| (e, r))).collect();
    let workers: i64 = open.iter().map(|(e, _)| e.workers).sum();
    let mut items = map.items.clone();
    rng.shuffle(&mut items);
    let covered = ((y.coverage * items.len() as f64).round() as usize).min(items.len());
    // After the reform a commune holds several old ones: keep the volume of activities.
    let old_communes = map.before.values().map(Vec::len).sum::<usize>().max(items.len());
    let scale = (old_communes as f64 / items.len().max(1) as f64).clamp(1.0, 2.5);
    let mut planned: Vec<(i64, NaiveDate)> = Vec::new();
    for item in items.iter().take(covered) {
        let k = ((rng.range(y.activities.0, y.activities.1) as f64) * scale).round().max(1.0) as i64;
        for _ in 0..k {
            planned.push((*item, day_between(rng, jan1, dec31)));
        }
    }
    let reached_workers = rng.split((y.reach_workers * workers as f64).round() as i64, planned.len());
    let reached_industrial = rng.split((y.reach_industrial * y.industrial_figure.unwrap_or(0) as f64).round() as i64, planned.len());
    let reached_students = rng.split((y.reach_students * y.students_figure as f64).round() as i64, planned.len());
    let topics = [
        "Phòng, chống mại dâm tại cơ sở kinh doanh dịch vụ",
        "Pháp luật về phòng, chống mại dâm",
        "Phòng, chống mua bán người",
        "Phòng, chống HIV/AIDS và mại dâm",
        "Bình đẳng giới và phòng, chống bạo lực",
    ];
    for (i, (item, date)) in planned.iter().enumerate() {
        let Some(code) = map.place(units, rng, *item, *date) else { continue };
        let a = NewActivity {
            held_on: *date,
            unit_code: code,
            form: *rng.pick(ActivityForm::ALL).unwrap_or(&ActivityForm::Meeting),
            topic: rng.pick(&topics).map_or_else(String::new, |t| (*t).to_string()),
            organiser: Some("UBND xã (số liệu mẫu)".into()),
            reached_at_risk_workers: reached_workers.get(i).copied().unwrap_or(0),
            reached_industrial_workers: reached_industrial.get(i).copied().unwrap_or(0),
            reached_students: reached_students.get(i).copied().unwrap_or(0),
            reached_community: rng.range(20, 200),
        };
        rec::insert_activity(tx, units, &a, meta).await?;
        w.activities += 1;
    }

    // Inspections of a share of the open establishments.
    let mut order: Vec<usize> = (0..open.len()).collect();
    rng.shuffle(&mut order);
    let inspected = ((y.inspected * open.len() as f64).round() as usize).min(open.len());
    for &i in order.iter().take(inspected) {
        let Some((e, (from, to))) = open.get(i) else { continue };
        let violations = if rng.chance(0.2) { rng.range(1, 3) } else { 0 };
        let sanctions = if violations > 0 && rng.chance(0.7) { rng.range(1, violations) } else { 0 };
        let ins = NewInspection {
            inspected_on: day_between(rng, *from, *to),
            establishment_id: e.id,
            team_level: if rng.chance(0.3) { TeamLevel::Province } else { TeamLevel::District },
            team: Some("Đội kiểm tra liên ngành 178".into()),
            findings: Some(if violations > 0 { "Phát hiện vi phạm".into() } else { "Không phát hiện vi phạm".into() }),
            violations,
            sanctions,
            fines_vnd: sanctions * rng.range(5, 40) * 1_000_000,
        };
        rec::insert_inspection(tx, &ins, meta).await?;
        w.inspections += 1;
    }

    // Tips: most settled in time, some late, some still open past their deadline.
    for i in 0..y.tips {
        let received = day_between(rng, jan1, ymd(y.year, 11, 15)?);
        let r = rng.unit();
        let category = if r < 0.4 {
            TipCategory::Denunciation
        } else if r < 0.7 {
            TipCategory::CrimeReport
        } else if r < 0.95 {
            TipCategory::Complaint
        } else {
            TipCategory::SecondComplaint
        };
        let is_complex = rng.chance(0.15);
        let is_remote = category != TipCategory::Denunciation && category != TipCategory::CrimeReport && rng.chance(s.remote_share);
        // Complaints are accepted (thụ lý) the day they arrive: their clock runs from then.
        let Some(deadline) = rules.settling_deadline(category, received, is_complex, is_remote) else { continue };
        let counts_from_acceptance = rules.rule_for(category, received).is_some_and(|r| r.counts_from != pcmd_domain::records::CountsFrom::Receipt);
        let (status, closed) = if i < y.tips_overdue_open {
            (TipStatus::Verifying, None)
        } else if i < y.tips_overdue_open + y.tips_late {
            (TipStatus::Handled, deadline.checked_add_days(Days::new(rng.range(3, 20) as u64)))
        } else {
            let days = (deadline - received).num_days().max(2);
            let closed = received.checked_add_days(Days::new(rng.range(1, days - 1) as u64));
            (
                if rng.chance(0.1) {
                    TipStatus::Dismissed
                } else if rng.chance(0.1) {
                    TipStatus::Transferred
                } else {
                    TipStatus::Handled
                },
                closed,
            )
        };
        let Some(code) = rng.pick(&map.items).copied().and_then(|item| map.place(units, rng, item, received)) else { continue };
        let t = NewTip {
            received_on: received,
            channel: *rng.pick(TipChannel::ALL).unwrap_or(&TipChannel::Phone),
            category,
            unit_code: code,
            is_complex,
            is_remote,
            is_very_complex: false,
            accepted_on: counts_from_acceptance.then_some(received),
            suspended_on: None,
            resumed_on: None,
            status,
            extended_until: None,
            closed_on: closed,
            outcome: closed.map(|_| "Đã xác minh, xử lý theo quy định (số liệu mẫu)".into()),
            content: Some(format!("Nội dung tin báo mẫu số {} (dữ liệu tổng hợp)", i + 1)),
        };
        rec::insert_tip(tx, units, rules, &t, meta).await?;
        w.tips += 1;
    }

    // The press: monthly (or quarterly) publications, but for the missing months.
    for m in 1..=12u32 {
        if y.press_missing_months.contains(&m) || (s.quarterly_press && m % 3 != 2) {
            continue;
        }
        for _ in 0..rng.range(1, 3) {
            let date = day_between(rng, ymd(y.year, m, 1)?, ymd(y.year, m, 28)?);
            let outlet = if province.valid_on(date) { s.press_outlet } else { s.press_outlet_after_reform };
            let p = NewPublication {
                published_on: date,
                unit_code: province_on(date),
                outlet: outlet.into(),
                outlet_level: OutletLevel::Province,
                medium: *rng.pick(&[Medium::Newspaper, Medium::Online, Medium::Radio, Medium::Television]).unwrap_or(&Medium::Newspaper),
                title: "Tăng cường công tác phòng, chống mại dâm trên địa bàn (số liệu mẫu)".into(),
            };
            rec::insert_publication(tx, units, &p, meta).await?;
            w.publications += 1;
        }
    }

    // District plans and what they integrate with, while districts exist.
    let mut districts = map.districts.clone();
    rng.shuffle(&mut districts);
    for (i, d) in districts.iter().take(y.district_plans).enumerate() {
        let integrates = i < y.integrating;
        let p = NewDistrictPlan {
            unit_code: d.code.clone(),
            year: y.year,
            document_ref: format!("{}/KH-UBND", rng.range(10, 250)),
            adopted_on: Some(day_between(rng, jan1, ymd(y.year, 2, 28)?)),
            integrates_socio_economic: integrates && rng.chance(0.6),
            integrates_social_security: integrates,
            integrates_drugs: integrates && rng.chance(0.8),
            integrates_hiv: integrates && rng.chance(0.5),
        };
        rec::insert_district_plan(tx, units, &p, meta).await?;
        w.district_plans += 1;
    }
    write_cases(tx, units, rng, meta, &map.districts, y.year, y.cases, w).await?;

    // Reference figures of the year, at the province.
    let mut figures = vec![(ReferenceKind::Students, y.students_figure, "Sở Giáo dục và Đào tạo (số liệu mẫu)")];
    if let Some(v) = y.industrial_figure {
        figures.push((ReferenceKind::IndustrialWorkers, v, "Ban Quản lý các khu công nghiệp (số liệu mẫu)"));
    }
    for (kind, value, reference) in figures {
        let f = NewReferenceFigure {
            kind,
            level: FigureLevel::All,
            unit_code: province.code.clone(),
            year: y.year,
            value,
            reference: reference.into(),
            reference_date: Some(jan1),
        };
        rec::insert_reference_figure(tx, units, &f, meta).await?;
        w.reference_figures += 1;
    }

    // Training courses: the year's trainees split over a few courses.
    let courses = 3;
    let split: Vec<Vec<i64>> = y.trained.iter().map(|t| rng.split(*t, courses)).collect();
    for c in 0..courses {
        let date = day_between(rng, ymd(y.year, 3, 1)?, ymd(y.year, 11, 30)?);
        let at = |k: usize| split.get(k).and_then(|v| v.get(c)).copied().unwrap_or(0);
        let t = NewTraining {
            held_on: date,
            unit_code: province_on(date),
            level: TeamLevel::Province,
            title: format!("Tập huấn nghiệp vụ phòng, chống mại dâm năm {} (lớp {})", y.year, c + 1),
            organiser: Some("Cơ quan thường trực (số liệu mẫu)".into()),
            participants_province: at(0),
            participants_district: at(1),
            participants_commune: at(2),
        };
        rec::insert_training(tx, units, &t, meta).await?;
        w.trainings += 1;
    }

    // Services to a share of the eligible persons in need open during the year.
    let mut active: Vec<usize> = cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.needs_support && c.eligible && c.opened_on <= dec31 && c.closed_on.is_none_or(|d| d >= jan1))
        .map(|(i, _)| i)
        .collect();
    rng.shuffle(&mut active);
    let served = ((y.served * active.len() as f64).round() as usize).min(active.len());
    for &i in active.iter().take(served) {
        if let Some(c) = cases.get_mut(i) {
            let from = c.opened_on.max(jan1);
            let date = day_between(rng, from, dec31);
            let service = *rng.pick(Service::ALL).unwrap_or(&Service::Health);
            c.services.push((date, service));
        }
    }
    Ok(())
}
