//! Each indicator of the catalogue, computed from facts over a territory and a
//! window of days. Definitions (numerator / denominator) are those of
//! `pcmd_domain::plan::indicator`; README "How a target is judged" says them
//! in words.

use crate::facts::{ByUnit, FactBook, Indexed};
use chrono::{Datelike, NaiveDate};
use pcmd_domain::period::Period;
use pcmd_domain::plan::IndicatorId;
use pcmd_domain::units::territory::{Structure, Territory};
use pcmd_domain::units::{Level, UnitIndex, REFORM_DAY};
use pcmd_store::{ReferenceFact, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// One item behind a figure: a commune, a district, a month, or a unit's share.
/// A unit's code and name are shared with the unit index (`UnitIndex::label`):
/// a national evaluation names communes in about a hundred thousand parts.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    pub code: Arc<str>,
    pub label: Arc<str>,
    pub numerator: f64,
    pub denominator: Option<f64>,
    /// The unit the item is, when it is one (not a month, a year or a level):
    /// a reader is shown only the units of their scope (`Evaluation::within`).
    #[serde(skip)]
    pub unit_id: Option<i64>,
}

/// A second figure shown beside the target's own (a1: the communes with at
/// least one activity, beside those active in every quarter).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Secondary {
    pub label_vi: String,
    pub label_en: String,
    pub numerator: f64,
    pub denominator: f64,
}

#[derive(Debug, Default)]
pub struct Figure {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub no_data: Option<String>,
    /// How the figure was read, when it needs saying.
    pub note: Option<String>,
    pub parts: Vec<Part>,
    pub secondary: Option<Secondary>,
}

impl Figure {
    fn none(vi: &str, en: &str) -> Figure {
        Figure { no_data: Some(format!("{vi} ({en})")), ..Figure::default() }
    }

    fn ratio(num: f64, den: f64, parts: Vec<Part>, empty_vi: &str, empty_en: &str) -> Figure {
        if den <= 0.0 {
            return Figure { parts, ..Figure::none(empty_vi, empty_en) };
        }
        Figure { value: Some(100.0 * num / den), numerator: Some(num), denominator: Some(den), parts, ..Figure::default() }
    }
}

/// The facts of the territory's members. Facts are sorted by unit and
/// indexed (`Indexed`), as are the members (`Territory::sorted`): a small
/// territory looks its members up, a large one walks both lists side by side.
fn of_members<'f, T: ByUnit>(facts: &'f Indexed<T>, t: &Territory) -> Vec<&'f T> {
    of_units(facts, &t.sorted)
}

/// The facts of the units `ids` (sorted).
fn of_units<'f, T: ByUnit>(facts: &'f Indexed<T>, ids: &[i64]) -> Vec<&'f T> {
    let mut out = Vec::new();
    if ids.len() * 2 < facts.len() {
        for &id in ids {
            out.extend(facts.of(id));
        }
    } else {
        let mut rest = ids;
        for f in facts.iter() {
            let u = f.unit();
            while rest.first().is_some_and(|id| *id < u) {
                rest = rest.get(1..).unwrap_or(&[]);
            }
            match rest.first() {
                Some(id) if *id == u => out.push(f),
                Some(_) => {}
                None => break,
            }
        }
    }
    out
}

fn part(units: &UnitIndex, id: i64, numerator: f64, denominator: Option<f64>) -> Part {
    let (code, label) = units.label(id).cloned().unwrap_or_else(|| (Arc::from(id.to_string()), Arc::from("")));
    Part { code, label, numerator, denominator, unit_id: Some(id) }
}

const NO_DISTRICTS_VI: &str = "cấp huyện không còn từ 01/07/2025: chỉ tiêu tính theo huyện không đánh giá được cho kỳ này";
const NO_DISTRICTS_EN: &str = "the district level ended on 1 July 2025: a district-based target cannot be evaluated for this period";
const OLD_DISTRICTS_VI: &str = "tính trên các huyện còn tồn tại đến 30/06/2025 (kế hoạch của năm được ban hành trước khi bỏ cấp huyện)";
const OLD_DISTRICTS_EN: &str = "counted on the districts that existed until 30 June 2025 (the year's plans were adopted before the level ended)";

/// The latest figure of each unit of `kind` at one of `levels` held by the territory, up to `year`.
fn references(refs: &Indexed<ReferenceFact>, t: &Territory, kind: &str, level: &str, year: i64) -> BTreeMap<i64, i64> {
    let mut latest: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for r in of_members(refs, t).into_iter().filter(|r| r.year <= year && r.kind == kind && r.level == level) {
        let e = latest.entry(r.unit_id).or_insert((r.year, r.value));
        if r.year >= e.0 {
            *e = (r.year, r.value);
        }
    }
    latest.into_iter().map(|(u, (_, v))| (u, v)).collect()
}

/// People counted against a reference figure, bounded so that a share of
/// people never passes 100 %: contacts under each unit holding a figure count
/// up to that figure. Contacts under no figure's unit are outside every
/// denominator and are not counted. Returns, per unit holding a figure, the
/// people counted and the figure.
///
/// An old commune taken into a new one across the reform counts under the
/// figure of its own old unit (its ground then), or of a new unit that took it
/// in: a Hậu Giang commune that went into a commune with Sóc Trăng's is not
/// under Sóc Trăng's student figure, so 2025-H1 and 2025 asked on 14/06/2025
/// count the same contacts.
fn bounded(units: &UnitIndex, t: &Territory, figures: &BTreeMap<i64, i64>, contacts: &BTreeMap<i64, i64>) -> Vec<(i64, i64, i64)> {
    let above = |unit: i64| {
        std::iter::successors(units.get(unit).and_then(|u| u.parent_id), |p| units.get(*p).and_then(|u| u.parent_id))
            .find(|p| figures.contains_key(p))
    };
    let is_new = |r: i64| units.get(r).is_some_and(|u| u.valid_from >= REFORM_DAY);
    // An old commune (one the territory counts for another commune item).
    let taken_in = |unit: i64| t.commune_of.get(&unit).is_some_and(|item| *item != unit);
    if let (1, Some((r, cap))) = (figures.len(), figures.iter().next()) {
        let counted: i64 =
            contacts.iter().filter(|(u, _)| **u == *r || !taken_in(**u) || is_new(*r) || above(**u) == Some(*r)).map(|(_, n)| *n).sum();
        return vec![(*r, counted.min(*cap), *cap)];
    }
    // The commune items each figure's unit covers; a contact goes to the smallest cover.
    let cover: Vec<(i64, BTreeSet<i64>)> = figures
        .keys()
        .map(|r| {
            let items = units.subtree(*r).into_iter().filter_map(|c| t.commune_of.get(&c).copied()).collect();
            (*r, items)
        })
        .collect();
    let mut under: BTreeMap<i64, i64> = BTreeMap::new();
    for (unit, n) in contacts {
        let holder = if figures.contains_key(unit) {
            Some(*unit)
        } else if let Some(item) = t.commune_of.get(unit) {
            let old = taken_in(*unit);
            old.then(|| above(*unit)).flatten().or_else(|| {
                cover.iter().filter(|(r, items)| (!old || is_new(*r)) && items.contains(item)).min_by_key(|(_, items)| items.len()).map(|(r, _)| *r)
            })
        } else {
            above(*unit)
        };
        if let Some(r) = holder {
            *under.entry(r).or_default() += n;
        }
    }
    figures.iter().map(|(r, cap)| (*r, under.get(r).copied().unwrap_or(0).min(*cap), *cap)).collect()
}

/// The sums of `bounded`'s shares, and one part per unit holding a figure.
fn bounded_total(units: &UnitIndex, shares: &[(i64, i64, i64)]) -> (i64, i64, Vec<Part>) {
    let num = shares.iter().map(|s| s.1).sum();
    let den = shares.iter().map(|s| s.2).sum();
    (num, den, shares.iter().map(|(u, n, d)| part(units, *u, *n as f64, Some(*d as f64))).collect())
}

/// Whether the window is one whole year (calendar, or reporting year), and which.
fn whole_year(w: &Period) -> Option<i32> {
    let (first, last) = w.plan_years();
    let year = if w.is_reporting() {
        Period::new("", NaiveDate::from_ymd_opt(first - 1, 12, 15)?, NaiveDate::from_ymd_opt(first, 12, 14)?)
    } else {
        Period::year(first)?
    };
    (first == last && w.from == year.from && w.to == year.to).then_some(first)
}

pub async fn compute<S: crate::source::FactSource>(
    facts: &mut FactBook<'_, S>,
    units: &UnitIndex,
    id: IndicatorId,
    t: &Territory,
    w: &Period,
    as_of: NaiveDate,
) -> Result<Figure, StoreError> {
    use IndicatorId::*;
    let end = w.to.min(as_of);
    let r = (w.from, end);
    let year = i64::from(end.year());
    Ok(match id {
        AwarenessCommuneCoverage => {
            // Kept up regularly ("duy trì thường xuyên"): an activity in every quarter of
            // the window that has ended by the as-of date (in the first quarter: one so far).
            let quarters = facts.buckets(w, 3);
            let quarters: Vec<&Period> = quarters.iter().filter(|q| q.from <= end).collect();
            let ended: Vec<&Period> = quarters.iter().copied().filter(|q| q.to <= as_of).collect();
            let mut per: BTreeMap<i64, (usize, i64)> = t.communes.iter().map(|c| (*c, (0, 0))).collect();
            // (commune item, quarter index) with an activity.
            let mut hit: BTreeSet<(i64, usize)> = BTreeSet::new();
            let calendar = ended.iter().all(|q| q.from.day() == 1 && q.to.succ_opt().is_some_and(|n| n.day() == 1));
            match (ended.first(), ended.last()) {
                (Some(first), Some(last)) if calendar && ended.len() <= 16 => {
                    // Whole calendar quarters: one read of the month aggregates, a bit per quarter.
                    let (a, b) = (first.from.format("%Y-%m").to_string(), last.to.format("%Y-%m").to_string());
                    for f in of_members(facts.activity_quarters(a, b).await?, t) {
                        if let Some(item) = t.commune_of.get(&f.unit_id) {
                            for q in (0..ended.len()).filter(|q| f.quarters & (1 << q) != 0) {
                                hit.insert((*item, q));
                            }
                        }
                    }
                }
                _ => {
                    for (i, q) in ended.iter().enumerate() {
                        for a in of_members(facts.activities((q.from, q.to)).await?, t) {
                            if let Some(item) = t.commune_of.get(&a.unit_id).filter(|_| a.activities > 0) {
                                hit.insert((*item, i));
                            }
                        }
                    }
                }
            }
            for (c, _) in hit {
                if let Some(e) = per.get_mut(&c) {
                    e.0 += 1;
                }
            }
            for a in of_members(facts.activities(r).await?, t) {
                if let Some(e) = t.commune_of.get(&a.unit_id).and_then(|item| per.get_mut(item)) {
                    e.1 += a.activities;
                }
            }
            let required = ended.len();
            let regular = per.values().filter(|(q, n)| if required == 0 { *n > 0 } else { *q == required }).count();
            let any = per.values().filter(|(_, n)| *n > 0).count();
            let parts = per
                .iter()
                .map(|(c, (q, n))| part(units, *c, if required == 0 { *n as f64 } else { *q as f64 }, Some(required.max(1) as f64)))
                .collect();
            let mut fig =
                Figure::ratio(regular as f64, t.communes.len() as f64, parts, "không có xã nào trong địa bàn", "no commune in the territory");
            if !t.communes.is_empty() {
                fig.secondary = Some(Secondary {
                    label_vi: "xã có ít nhất 1 hoạt động tuyên truyền trong kỳ".into(),
                    label_en: "communes with at least one awareness activity in the period".into(),
                    numerator: any as f64,
                    denominator: t.communes.len() as f64,
                });
            }
            fig
        }
        PressMonthlyProvincial | PressQuarterly => {
            let quarterly = id == PressQuarterly;
            // The press of a province reaches all of it (`Territory::press_counts`).
            let sources = |u: &i64| t.press_counts(*u);
            let buckets = facts.buckets(w, if quarterly { 3 } else { 1 });
            let buckets: Vec<&Period> = buckets.iter().filter(|b| b.from <= end).collect();
            let mut hits = vec![0_i64; buckets.len()];
            for f in facts.publications(r).await?.iter().filter(|f| sources(&f.unit_id)) {
                if f.outlet_level == "province" || (quarterly && f.outlet_level == "district") {
                    if let Some(i) = buckets.iter().position(|b| b.contains(f.day)) {
                        if let Some(h) = hits.get_mut(i) {
                            *h += f.count;
                        }
                    }
                }
            }
            // A month still running counts only once it has a publication.
            let counted: Vec<(usize, &Period)> =
                buckets.iter().copied().enumerate().filter(|(i, b)| b.to <= as_of || hits.get(*i).is_some_and(|h| *h > 0)).collect();
            let covered = counted.iter().filter(|(i, _)| hits.get(*i).is_some_and(|h| *h > 0)).count();
            let parts = counted
                .iter()
                .map(|(i, b)| Part {
                    code: Arc::from(b.label.as_str()),
                    label: Arc::from(format!("{} – {}", pcmd_domain::date::format_vn(b.from), pcmd_domain::date::format_vn(b.to))),
                    numerator: hits.get(*i).copied().unwrap_or(0) as f64,
                    denominator: None,
                    unit_id: None,
                })
                .collect();
            let empty = if quarterly {
                ("chưa hết quý nào của kỳ", "no quarter of the period has ended")
            } else {
                ("chưa hết tháng nào của kỳ", "no month of the period has ended")
            };
            Figure::ratio(covered as f64, counted.len() as f64, parts, empty.0, empty.1)
        }
        ReachAtRiskWorkers => {
            // Per commune, the workers reached count up to the workers there: a share of people.
            // A commune item that took in others (a new commune across the reform, a ward
            // merged in 2024) caps each old commune's records at that old commune's workers
            // first, as a count made before the merger did, then its own records and the
            // old ones together at all its workers: the contacts of one old commune never
            // fill another's unreached workers, and the days before 1 July give the same
            // figure in 2025-H1 and in 2025 asked on 14/06/2025.
            let key = |unit: i64| match t.commune_of.get(&unit) {
                Some(&item) => (Some(item), (item != unit).then_some(unit)),
                None => (None, None),
            };
            let mut reached: BTreeMap<(Option<i64>, Option<i64>), i64> = BTreeMap::new();
            for a in of_members(facts.activities(r).await?, t) {
                *reached.entry(key(a.unit_id)).or_default() += a.at_risk_workers;
            }
            let mut workers: BTreeMap<(Option<i64>, Option<i64>), i64> = BTreeMap::new();
            for e in of_members(facts.establishments(r).await?, t) {
                *workers.entry(key(e.unit_id)).or_default() += e.workers;
            }
            // Per item: its workers, and the contacts counted before its own cap.
            let mut items: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
            for ((item, old), w) in workers.iter().filter_map(|((c, old), w)| c.map(|c| ((c, *old), *w))) {
                let e = items.entry(item).or_default();
                e.0 += w;
                if old.is_some() {
                    e.1 += reached.get(&(Some(item), old)).copied().unwrap_or(0).min(w);
                }
            }
            let (mut num, mut room) = (0, 0);
            let mut parts = Vec::new();
            for (c, (w, from_old)) in items {
                let got = (from_old + reached.get(&(Some(c), None)).copied().unwrap_or(0)).min(w);
                num += got;
                room += w - got;
                parts.push(part(units, c, got as f64, Some(w as f64)));
            }
            // A commune without open establishments has no worker to reach: its contacts count 0.
            // Contacts recorded above the communes (a district's meeting) fill what is left.
            let pooled = reached.get(&(None, None)).copied().unwrap_or(0);
            let pooled_room = workers.get(&(None, None)).copied().unwrap_or(0);
            num += pooled.min(room + pooled_room);
            let den: i64 = workers.values().sum();
            Figure::ratio(
                num as f64,
                den as f64,
                parts,
                "không có người lao động tại cơ sở nào đang hoạt động",
                "no worker at any open establishment",
            )
        }
        ReachIndustrialWorkers | ReachStudents => {
            let kind = if id == ReachStudents { "students" } else { "industrial_workers" };
            let mut contacts: BTreeMap<i64, i64> = BTreeMap::new();
            for a in of_members(facts.activities(r).await?, t) {
                *contacts.entry(a.unit_id).or_default() += if id == ReachStudents { a.students } else { a.industrial_workers };
            }
            let figures = references(facts.references((end.year() - 5, end.year())).await?, t, kind, "all", year);
            if figures.is_empty() {
                let parts = contacts.iter().filter(|(_, n)| **n > 0).map(|(u, n)| part(units, *u, *n as f64, None)).collect();
                return Ok(Figure {
                    parts,
                    ..Figure::none("chưa có số liệu tham chiếu cho mẫu số của địa bàn này", "no reference figure for this territory's denominator")
                });
            }
            let (num, den, parts) = bounded_total(units, &bounded(units, t, &figures, &contacts));
            Figure::ratio(num as f64, den as f64, parts, "mẫu số bằng 0", "the denominator is zero")
        }
        DistrictsWithPlan | DistrictsIntegrating | DistrictsWithPilotModel | DistrictsWithPilotModelCount if t.structure == Structure::TwoLevel => {
            Figure::none(NO_DISTRICTS_VI, NO_DISTRICTS_EN)
        }
        DistrictsWithPlan | DistrictsIntegrating => {
            let (first, last) = w.plan_years();
            let with_plan: BTreeMap<i64, i64> =
                // A plan adopted after the as-of day is not yet known then.
                facts.district_plans((first, last)).await?.iter().filter(|f| f.adopted <= as_of && t.districts.contains(&f.unit_id)).fold(BTreeMap::new(), |mut m, f| {
                    let e = m.entry(f.unit_id).or_insert(0);
                    *e = (*e).max(f.integrations);
                    m
                });
            let counts: BTreeSet<i64> = if id == DistrictsIntegrating {
                // With every programme the plan names: socio-economic, social security, drugs, HIV/AIDS.
                with_plan.iter().filter(|(_, n)| **n >= 4).map(|(d, _)| *d).collect()
            } else {
                // A plan for the year, carried out: at least one activity recorded in the district.
                let mut active = BTreeSet::new();
                for a in of_members(facts.activities(r).await?, t) {
                    if let Some(d) = t.district_of.get(&a.unit_id).filter(|_| a.activities > 0) {
                        active.insert(*d);
                    }
                }
                with_plan.keys().filter(|d| active.contains(d)).copied().collect()
            };
            let parts = t.districts.iter().map(|d| part(units, *d, if counts.contains(d) { 1.0 } else { 0.0 }, None)).collect();
            let mut fig = Figure::ratio(
                counts.len() as f64,
                t.districts.len() as f64,
                parts,
                "không có huyện nào trong địa bàn",
                "no district in the territory",
            );
            if t.structure == Structure::Crossing {
                fig.note = Some(format!("{OLD_DISTRICTS_VI} ({OLD_DISTRICTS_EN})"));
            }
            fig
        }
        DistrictsWithPilotModel | DistrictsWithPilotModelCount => {
            let with: BTreeSet<i64> = facts.pilots(r).await?.iter().filter_map(|u| t.district_of.get(u).copied()).collect();
            let parts = t.districts.iter().map(|d| part(units, *d, if with.contains(d) { 1.0 } else { 0.0 }, None)).collect();
            let mut fig = if id == DistrictsWithPilotModelCount {
                Figure { value: Some(with.len() as f64), numerator: Some(with.len() as f64), parts, ..Figure::default() }
            } else {
                Figure::ratio(with.len() as f64, t.districts.len() as f64, parts, "không có huyện nào trong địa bàn", "no district in the territory")
            };
            if t.structure == Structure::Crossing {
                fig.note = Some(format!("{OLD_DISTRICTS_VI} ({OLD_DISTRICTS_EN})"));
            }
            fig
        }
        TipsHandledOnTime => {
            let (mut due, mut on_time, mut overdue) = (0, 0, 0);
            let mut parts = Vec::new();
            for f in of_members(facts.tips(r, as_of).await?, t) {
                due += f.due;
                on_time += f.on_time;
                overdue += f.overdue_open;
                parts.push(part(units, f.unit_id, f.on_time as f64, Some(f.due as f64)));
            }
            let mut fig = Figure::ratio(on_time as f64, due as f64, parts, "không có tin nào đến hạn trong kỳ", "no tip fell due in the period");
            if overdue > 0 && fig.no_data.is_none() {
                fig.parts.push(Part {
                    code: "overdue".into(),
                    label: "quá hạn, chưa giải quyết (overdue, still open)".into(),
                    numerator: overdue as f64,
                    denominator: None,
                    unit_id: None,
                });
            }
            fig
        }
        CrimesAndOffendersGrowth | CrimesHandledGrowth => {
            // Cases are summed by year: growth is known for a whole year once it is over.
            let Some(y) = whole_year(w).filter(|_| as_of >= w.to) else {
                return Ok(Figure::none(
                    "số vụ, đối tượng được tổng hợp theo năm: mức tăng chỉ tính cho cả năm, sau khi kết thúc năm",
                    "cases are summed by year: growth is computed for a whole year, once it is over",
                ));
            };
            let y = i64::from(y);
            let measure = |c: &pcmd_store::CaseFact| {
                if id == CrimesHandledGrowth {
                    c.criminal_cases
                } else {
                    c.criminal_cases + c.defendants + c.persons_sanctioned
                }
            };
            let cases = facts.cases(((y - 1) as i32, y as i32)).await?;
            let of_year = |yy: i64| cases.iter().filter(|c| c.year == yy && t.holds(c.unit_id)).map(measure).sum::<i64>();
            let has = |yy: i64| cases.iter().any(|c| c.year == yy && t.holds(c.unit_id));
            let (cur, prev) = (of_year(y), of_year(y - 1));
            let parts = vec![
                Part {
                    code: Arc::from((y - 1).to_string()),
                    label: Arc::from(format!("năm {}", y - 1)),
                    numerator: prev as f64,
                    denominator: None,
                    unit_id: None,
                },
                Part {
                    code: Arc::from(y.to_string()),
                    label: Arc::from(format!("năm {y}")),
                    numerator: cur as f64,
                    denominator: None,
                    unit_id: None,
                },
            ];
            if !has(y) || !has(y - 1) {
                Figure {
                    parts,
                    ..Figure::none("chưa có số liệu xử lý của năm đánh giá hoặc năm trước", "no yearly case figures for the year or the year before")
                }
            } else if prev == 0 {
                Figure {
                    parts, ..Figure::none("năm trước bằng 0: không tính được mức tăng", "the previous year is zero: growth is undefined")
                }
            } else {
                Figure {
                    value: Some(100.0 * (cur - prev) as f64 / prev as f64),
                    numerator: Some(cur as f64),
                    denominator: Some(prev as f64),
                    parts,
                    ..Figure::default()
                }
            }
        }
        EstablishmentsInspectedYearly | EstablishmentsInspectedOnce => {
            let (mut counted, mut inspected) = (0, 0);
            let mut parts = Vec::new();
            for e in of_members(facts.establishments(r).await?, t) {
                counted += e.to_inspect;
                inspected += e.inspected;
                parts.push(part(units, e.unit_id, e.inspected as f64, Some(e.to_inspect as f64)));
            }
            Figure::ratio(inspected as f64, counted as f64, parts, "không có cơ sở nào trong địa bàn", "no establishment in the territory")
        }
        EligiblePersonsServed => {
            let (mut eligible, mut served) = (0, 0);
            for s in of_members(facts.support(r).await?, t) {
                eligible += s.eligible;
                served += s.served;
            }
            // Per-commune counts of persons are not listed: they could single a person out.
            Figure::ratio(served as f64, eligible as f64, Vec::new(), "không có người có nhu cầu và đủ điều kiện", "nobody in need and eligible")
        }
        StaffTrainedProvince | StaffTrainedLocal | StaffTrainedAllLevels => {
            let levels: &[&str] = match id {
                StaffTrainedProvince => &["province"],
                StaffTrainedLocal => &["district", "commune"],
                _ => &["province", "district", "commune"],
            };
            let mut trained: HashMap<&str, BTreeMap<i64, i64>> = HashMap::new();
            for f in of_members(facts.training(r).await?, t) {
                for l in levels {
                    let n = match *l {
                        "province" => f.province,
                        "district" => f.district,
                        _ => f.commune,
                    };
                    *trained.entry(l).or_default().entry(f.unit_id).or_default() += n;
                }
            }
            let refs = facts.references((end.year() - 5, end.year())).await?;
            let (mut num, mut den, mut any) = (0, 0, false);
            let mut parts = Vec::new();
            for l in levels {
                let roster = references(refs, t, "staff", l, year);
                if roster.is_empty() {
                    continue;
                }
                any = true;
                let empty = BTreeMap::new();
                let (n, d, _) = bounded_total(units, &bounded(units, t, &roster, trained.get(l).unwrap_or(&empty)));
                num += n;
                den += d;
                let label = match *l {
                    "province" => Level::Province.name_vi(),
                    "district" => Level::District.name_vi(),
                    _ => Level::Commune.name_vi(),
                };
                parts.push(Part { code: (*l).into(), label: label.into(), numerator: n as f64, denominator: Some(d as f64), unit_id: None });
            }
            if !any {
                return Ok(Figure::none(
                    "chưa có số liệu cán bộ của địa bàn này (số liệu tham chiếu)",
                    "no staff roster for this territory (reference figure)",
                ));
            }
            Figure::ratio(num as f64, den as f64, parts, "số cán bộ bằng 0", "the staff roster is zero")
        }
        // Never reached: the engine takes a reported value before computing (see `reported`).
        Reported => Figure::none("chỉ tiêu do cơ quan báo cáo số liệu", "the value of this target is reported"),
    })
}

#[cfg(test)]
mod tests {
    use super::of_units;
    use crate::facts::Indexed;

    #[test]
    fn the_facts_of_some_units_are_found_both_ways() {
        // Facts sorted by unit, two of unit 5; units asked for: 2, 5, 9 (9 has none, 4 is not asked).
        let facts = Indexed::new(vec![10, 1, 2, 4, 5, 5, 7, 8]);
        let pick = |ids: &[i64]| of_units(&facts, ids).into_iter().copied().collect::<Vec<i64>>();
        // 3 units × 2 < 8 facts: each unit looked up.
        assert_eq!(pick(&[2, 5, 9]), vec![2, 5, 5]);
        // Units beyond the last fact, and none at all.
        assert_eq!(pick(&[11, 12]), Vec::<i64>::new());
        assert_eq!(pick(&[]), Vec::<i64>::new());
        // As many units as facts: both lists walked side by side.
        assert_eq!(pick(&[0, 2, 3, 5, 6, 8, 11, 12]), vec![2, 5, 5, 8]);
        assert_eq!(pick(&[1, 2, 4, 5, 7, 8, 10, 99]), vec![1, 2, 4, 5, 5, 7, 8, 10]);
        assert_eq!(facts.of(5), &[5, 5]);
        assert!(facts.of(6).is_empty());
    }
}
