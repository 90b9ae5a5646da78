//! Random records, random periods (calendar and Decree 09 ones, quarters,
//! months, day ranges) and random as-of dates on the fixture province: the
//! engine's figures equal those of a small reference written here from the
//! definitions in README ("How a target is judged"), day by day, sharing no
//! code with the engine. Periods stay before 1 July 2025 (the reform has its
//! own hand-worked cases in `engine.rs`).

use crate::engine::{fixture_sealer, load_base};
use crate::helpers::on_each_backend;
use chrono::{Datelike, Days, NaiveDate};
use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::records::*;
use pcmd_engine::{Engine, Status};
use pcmd_store::records::{self as rec, RecordMeta};
use std::collections::{BTreeMap, BTreeSet};

/// A small deterministic generator (xorshift64*), so that a failure can be replayed by its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn day(&mut self, from: NaiveDate, to: NaiveDate) -> NaiveDate {
        let span = (to - from).num_days().max(0) as u64;
        from + Days::new(self.below(span + 1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const COMMUNES: [&str; 5] = ["90001", "90002", "90003", "90004", "90005"];

/// The communes under a unit of the fixture, and every unit whose records count there.
fn territory(unit: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    let communes: Vec<&str> = match unit {
        "90" => COMMUNES.to_vec(),
        "901" => vec!["90001", "90002", "90003"],
        "902" => vec!["90004", "90005"],
        c => COMMUNES.iter().copied().filter(|x| *x == c).collect(),
    };
    let mut members = communes.clone();
    match unit {
        "90" => members.extend(["90", "901", "902"]),
        "901" | "902" => members.push(if unit == "901" { "901" } else { "902" }),
        _ => {}
    }
    (communes, members)
}

struct Activity {
    day: NaiveDate,
    unit: &'static str,
    workers: i64,
}

struct Establishment {
    unit: &'static str,
    workers: i64,
    opened: Option<NaiveDate>,
    closed: Option<NaiveDate>,
    inspections: Vec<NaiveDate>,
}

struct Publication {
    day: NaiveDate,
    provincial: bool,
}

/// A Decree 09 period runs from a 15th to a 14th; its months and quarters do too.
fn reporting(p: &Period) -> bool {
    p.from.day() == 15 && p.to.day() == 14
}

/// The month a day is counted in: a reporting month 15/m–14/m+1 is month m+1.
fn month_key(day: NaiveDate, reporting: bool) -> (i32, u32) {
    let (y, m) = (day.year(), day.month());
    if reporting && day.day() >= 15 {
        if m == 12 {
            (y + 1, 1)
        } else {
            (y, m + 1)
        }
    } else {
        (y, m)
    }
}

fn quarter_key(day: NaiveDate, reporting: bool) -> (i32, u32) {
    let (y, m) = month_key(day, reporting);
    (y, (m - 1) / 3)
}

fn days(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |x| *x <= to)
}

/// Each bucket of the period (by `key`): its last day inside the period.
fn buckets(p: &Period, key: impl Fn(NaiveDate) -> (i32, u32)) -> BTreeMap<(i32, u32), (NaiveDate, NaiveDate)> {
    let mut out: BTreeMap<(i32, u32), (NaiveDate, NaiveDate)> = BTreeMap::new();
    for day in days(p.from, p.to) {
        let e = out.entry(key(day)).or_insert((day, day));
        e.1 = day;
    }
    out
}

/// (numerator, denominator) as README defines each indicator, or None for no data.
fn reference(
    indicator: &str,
    unit: &str,
    p: &Period,
    as_of: NaiveDate,
    acts: &[Activity],
    ests: &[Establishment],
    pubs: &[Publication],
) -> Option<(f64, f64)> {
    let end = p.to.min(as_of);
    let (communes, members) = territory(unit);
    let within = |day: NaiveDate| p.from <= day && day <= end;
    let rep = reporting(p);
    match indicator {
        "coverage" => {
            let quarters = buckets(p, |x| quarter_key(x, rep));
            let ended: Vec<(i32, u32)> = quarters.iter().filter(|(_, (first, last))| *first <= end && *last <= as_of).map(|(k, _)| *k).collect();
            let mut count = 0;
            for c in &communes {
                let held: BTreeSet<(i32, u32)> = acts.iter().filter(|a| a.unit == *c && within(a.day)).map(|a| quarter_key(a.day, rep)).collect();
                let regular = if ended.is_empty() { !held.is_empty() } else { ended.iter().all(|q| held.contains(q)) };
                count += usize::from(regular);
            }
            (!communes.is_empty()).then_some((count as f64, communes.len() as f64))
        }
        "press_month" => {
            let months = buckets(p, |x| month_key(x, rep));
            let mut hit = BTreeSet::new();
            for f in pubs.iter().filter(|f| f.provincial && within(f.day)) {
                hit.insert(month_key(f.day, rep));
            }
            let counted: Vec<&(i32, u32)> =
                months.iter().filter(|(k, (first, last))| *first <= end && (*last <= as_of || hit.contains(*k))).map(|(k, _)| k).collect();
            let covered = counted.iter().filter(|k| hit.contains(**k)).count();
            (!counted.is_empty()).then_some((covered as f64, counted.len() as f64))
        }
        "workers" => {
            let open = |e: &Establishment| e.opened.is_none_or(|o| o <= end) && e.closed.is_none_or(|c| c >= p.from);
            let mut num = 0;
            let mut room = 0;
            let mut den = 0;
            for c in &communes {
                let w: i64 = ests.iter().filter(|e| e.unit == *c && open(e)).map(|e| e.workers).sum();
                let r: i64 = acts.iter().filter(|a| a.unit == *c && within(a.day)).map(|a| a.workers).sum();
                num += r.min(w);
                room += w - r.min(w);
                den += w;
            }
            // Meetings held by a district or the province: people of its communes, up to what is left.
            let above: i64 =
                acts.iter().filter(|a| members.contains(&a.unit) && !communes.contains(&a.unit) && within(a.day)).map(|a| a.workers).sum();
            num += above.min(room);
            (den > 0).then_some((num as f64, den as f64))
        }
        "inspected" => {
            let mut counted = 0;
            let mut inspected = 0;
            for e in ests.iter().filter(|e| members.contains(&e.unit)) {
                let open = e.opened.is_none_or(|o| o <= end) && e.closed.is_none_or(|c| c >= p.from);
                if !open {
                    continue;
                }
                let seen = e.inspections.iter().any(|x| within(*x));
                inspected += i64::from(seen);
                counted += i64::from(seen || e.closed.is_none_or(|c| c > end));
            }
            (counted > 0).then_some((inspected as f64, counted as f64))
        }
        _ => None,
    }
}

/// The status README gives a yearly target counted over `p` inside its year.
fn reference_status(value: f64, threshold: f64, cumulative: bool, p: &Period, as_of: NaiveDate) -> Status {
    let year = if reporting(p) {
        let y = month_key(p.from, true).0;
        Period::new("", d(y - 1, 12, 15), d(y, 12, 14))
    } else {
        Period::year(p.from.year()).unwrap()
    };
    let v = (value * 100.0).round() / 100.0;
    if p.from <= year.from && p.to >= year.to && as_of >= year.to {
        return if v >= threshold { Status::Met } else { Status::NotMet };
    }
    let stop = p.to.min(as_of).min(year.to);
    let share = if stop < p.from { 0.0 } else { ((stop - p.from).num_days() + 1) as f64 / ((year.to - year.from).num_days() + 1) as f64 };
    if v >= threshold || (cumulative && v >= threshold * share) {
        Status::OnTrack
    } else {
        Status::AtRisk
    }
}

/// A random period inside one year of the fixture plan (2024–2025), ending before the reform.
fn random_period(rng: &mut Rng) -> Period {
    loop {
        let y = 2024 + rng.below(2) as i32;
        let text = match rng.below(6) {
            0 => format!("{y}"),
            1 => format!("{y}-H{}", 1 + rng.below(2)),
            2 => format!("{y}-Y"),
            3 => format!("{y}-Q{}", 1 + rng.below(4)),
            4 => format!("{y}-{:02}", 1 + rng.below(12)),
            _ => {
                let a = rng.day(d(y, 1, 1), d(y, 11, 30));
                let b = rng.day(a, d(y, 12, 31));
                format!("{a}..{b}")
            }
        };
        let p = Period::parse(&text, Cutoff::Decree09).unwrap();
        if p.to < d(2025, 7, 1) {
            return p;
        }
    }
}

#[tokio::test]
async fn the_engine_agrees_with_a_reference_written_from_the_definitions() {
    on_each_backend(async |db| {
        let units = load_base(db).await;
        let plan = db.store.plan("fixture").await.unwrap();
        let m = RecordMeta::now(RecordSource::Entry, Some("test".into())).with_sealer(fixture_sealer());
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (first, last) = (d(2023, 12, 1), d(2025, 6, 30));
        // Establishments, with their inspections.
        let mut ests = Vec::new();
        let mut tx = db.store.begin().await.unwrap();
        for i in 0..12 {
            let unit = *rng.pick(&COMMUNES);
            // An establishment's unit is read on its opening day, so every one has one.
            let opened_on = rng.day(d(2022, 1, 1), d(2025, 3, 1));
            let closed = (rng.below(4) == 0).then(|| rng.day(opened_on, d(2025, 6, 30)));
            let opened = Some(opened_on);
            let e = NewEstablishment {
                name: format!("Cơ sở {i}"),
                kind: EstablishmentKind::Karaoke,
                unit_code: unit.into(),
                address: None,
                licence: None,
                workers: 1 + rng.below(20) as i64,
                opened_on: opened,
                closed_on: closed,
            };
            let id = rec::insert_establishment(&mut tx, &units, &e, &m).await.unwrap();
            let mut inspections = Vec::new();
            for _ in 0..rng.below(3) {
                let from = opened_on.max(first);
                let to = closed.unwrap_or(last).min(last);
                if from > to {
                    continue;
                }
                let day = rng.day(from, to);
                let ins = NewInspection {
                    inspected_on: day,
                    establishment_id: id,
                    team_level: TeamLevel::District,
                    team: None,
                    findings: None,
                    violations: 0,
                    sanctions: 0,
                    fines_vnd: 0,
                };
                rec::insert_inspection(&mut tx, &ins, &m).await.unwrap();
                inspections.push(day);
            }
            ests.push(Establishment { unit, workers: e.workers, opened, closed, inspections });
        }
        // Activities, mostly in communes, some held by a district or the province.
        let mut acts = Vec::new();
        let places = ["90001", "90002", "90003", "90004", "90005", "90001", "90004", "901", "902", "90"];
        for _ in 0..40 {
            let unit = *rng.pick(&places);
            let day = rng.day(first, last);
            let workers = rng.below(12) as i64;
            let a = NewActivity {
                held_on: day,
                unit_code: unit.into(),
                form: ActivityForm::Meeting,
                topic: "Tuyên truyền".into(),
                organiser: None,
                reached_at_risk_workers: workers,
                reached_industrial_workers: 0,
                reached_students: 0,
                reached_community: 0,
            };
            rec::insert_activity(&mut tx, &units, &a, &m).await.unwrap();
            acts.push(Activity { day, unit, workers });
        }
        // Publications of the province's press, some of a district's.
        let mut pubs = Vec::new();
        for _ in 0..18 {
            let day = rng.day(first, last);
            let provincial = rng.below(4) > 0;
            let p = NewPublication {
                published_on: day,
                unit_code: "90".into(),
                outlet: "Báo".into(),
                outlet_level: if provincial { OutletLevel::Province } else { OutletLevel::District },
                medium: Medium::Newspaper,
                title: "Tin".into(),
            };
            rec::insert_publication(&mut tx, &units, &p, &m).await.unwrap();
            pubs.push(Publication { day, provincial });
        }
        tx.commit().await.unwrap();

        let mut compared = 0;
        for _ in 0..300 {
            let p = random_period(&mut rng);
            let unit = *rng.pick(&["90", "901", "902", "90001", "90003", "90004"]);
            let as_of = rng.day(p.from + Days::new(5), p.to + Days::new(60));
            let u = units.resolve_for(unit, p.from, p.to).unwrap().clone();
            let mut engine = Engine::new(&db.store, &units);
            for (code, threshold, cumulative) in
                [("coverage", 60.0, true), ("press_month", 100.0, false), ("workers", 70.0, true), ("inspected", 50.0, true)]
            {
                let t = plan.targets.iter().find(|t| t.code == code).unwrap();
                let got = engine.evaluate_target(&t.typed().unwrap(), &u, &p, as_of).await.unwrap();
                let what = format!("{code} {unit} {} ({} – {}) as of {as_of}", p.label, p.from, p.to);
                assert_eq!(got.len(), 1, "{what}: one window");
                let e = &got[0];
                assert_eq!((e.period.from, e.period.to), (p.from, p.to), "{what}");
                if code == "press_month" && unit != "90" {
                    assert_eq!(e.status, Status::NotApplicable, "{what}");
                    continue;
                }
                let expected = reference(code, unit, &p, as_of, &acts, &ests, &pubs);
                assert_eq!(e.numerator.zip(e.denominator), expected, "{what}: engine {:?} / {:?} ({:?})", e.numerator, e.denominator, e.note);
                if let Some((n, den)) = expected {
                    let want = reference_status(100.0 * n / den, threshold, cumulative, &p, as_of);
                    assert_eq!(e.status, want, "{what}: status");
                }
                compared += 1;
            }
        }
        // 300 draws × 4 indicators, less the press asked below the province.
        assert!(compared >= 900, "{compared} figures compared");
    })
    .await;
}
