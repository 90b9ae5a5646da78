//! Each indicator of the catalogue, computed from facts over a territory.
//! Definitions (numerator / denominator) are those of `pcmd_domain::plan::indicator`.

use crate::facts::FactBook;
use crate::territory::{Structure, Territory};
use chrono::{Datelike, NaiveDate};
use pcmd_domain::period::Period;
use pcmd_domain::units::UnitIndex;
use pcmd_store::{ReferenceFact, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One item behind a figure: a commune, a district, a month, or a unit's share.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Part {
    pub code: String,
    pub label: String,
    pub numerator: f64,
    pub denominator: Option<f64>,
}

#[derive(Debug, Default)]
pub struct Figure {
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub no_data: Option<String>,
    pub parts: Vec<Part>,
}

impl Figure {
    fn none(vi: &str, en: &str) -> Figure {
        Figure { no_data: Some(format!("{vi} ({en})")), ..Figure::default() }
    }

    fn ratio(num: f64, den: f64, parts: Vec<Part>, empty_vi: &str, empty_en: &str) -> Figure {
        if den <= 0.0 {
            return Figure { parts, ..Figure::none(empty_vi, empty_en) };
        }
        Figure { value: Some(100.0 * num / den), numerator: Some(num), denominator: Some(den), no_data: None, parts }
    }
}

/// Indicators that can only grow within their period (see `status`).
pub fn is_cumulative(indicator: &str) -> bool {
    matches!(
        indicator,
        "awareness_commune_coverage"
            | "reach_at_risk_workers"
            | "reach_industrial_workers"
            | "reach_students"
            | "districts_with_plan"
            | "districts_integrating"
            | "establishments_inspected_yearly"
            | "establishments_inspected_once"
            | "districts_with_pilot_model"
            | "districts_with_pilot_model_count"
            | "staff_trained_province"
            | "staff_trained_local"
            | "staff_trained_all_levels"
    )
}

/// The facts of the territory's members. Facts are sorted by unit (see
/// `FactBook`): a small territory looks its members up, a large one scans.
fn of_members<'f, T>(facts: &'f [T], unit: impl Fn(&T) -> i64, t: &Territory) -> Vec<&'f T> {
    if t.members.len() * 16 < facts.len() {
        let mut ids: Vec<i64> = t.members.iter().copied().collect();
        ids.sort_unstable();
        let mut out = Vec::new();
        for id in ids {
            let start = facts.partition_point(|f| unit(f) < id);
            out.extend(facts.get(start..).unwrap_or(&[]).iter().take_while(|f| unit(f) == id));
        }
        out
    } else {
        facts.iter().filter(|f| t.members.contains(&unit(f))).collect()
    }
}

fn part(units: &UnitIndex, id: i64, numerator: f64, denominator: Option<f64>) -> Part {
    let (code, label) = units.get(id).map_or_else(|| (id.to_string(), String::new()), |u| (u.code.clone(), u.name.clone()));
    Part { code, label, numerator, denominator }
}

const NO_DISTRICTS_VI: &str = "cấp huyện không còn từ 01/07/2025: chỉ tiêu tính theo huyện không đánh giá được cho kỳ này";
const NO_DISTRICTS_EN: &str = "the district level ended on 1 July 2025: a district-based target cannot be evaluated for this period";

/// The latest figure of each (unit, level) of `kind` among the members, up to `year`.
fn reference_sum(refs: &[ReferenceFact], t: &Territory, kind: &str, levels: &[&str], year: i64) -> Option<f64> {
    let mut latest: HashMap<(i64, &str), (i64, i64)> = HashMap::new();
    for r in refs.iter().filter(|r| r.kind == kind && levels.contains(&r.level.as_str()) && r.year <= year && t.members.contains(&r.unit_id)) {
        let e = latest.entry((r.unit_id, r.level.as_str())).or_insert((r.year, r.value));
        if r.year >= e.0 {
            *e = (r.year, r.value);
        }
    }
    (!latest.is_empty()).then(|| latest.values().map(|(_, v)| *v as f64).sum())
}

pub async fn compute(
    facts: &mut FactBook<'_>,
    units: &UnitIndex,
    indicator: &str,
    t: &Territory,
    p: &Period,
    as_of: NaiveDate,
) -> Result<Figure, StoreError> {
    let r = (p.from, p.to.min(as_of));
    let year = i64::from(r.1.year());
    let members = |id: &i64| t.members.contains(id);
    Ok(match indicator {
        "awareness_commune_coverage" => {
            let mut count: BTreeMap<i64, i64> = t.communes.iter().map(|c| (*c, 0)).collect();
            for a in of_members(facts.activities(r).await?, |a| a.unit_id, t) {
                if let Some(item) = t.commune_of.get(&a.unit_id) {
                    *count.entry(*item).or_default() += a.activities;
                }
            }
            let covered = count.values().filter(|n| **n > 0).count();
            let parts = count.iter().map(|(c, n)| part(units, *c, *n as f64, None)).collect();
            Figure::ratio(covered as f64, t.communes.len() as f64, parts, "không có xã nào trong địa bàn", "no commune in the territory")
        }
        "press_monthly_provincial" | "press_quarterly" => {
            let quarterly = indicator == "press_quarterly";
            let bucket = |y: i32, m: u32| if quarterly { format!("{y}-Q{}", (m - 1) / 3 + 1) } else { format!("{y}-{m:02}") };
            let mut hits: BTreeMap<String, i64> = p.months_until(as_of).into_iter().map(|(y, m)| (bucket(y, m), 0)).collect();
            for f in of_members(facts.publications(r).await?, |f| f.unit_id, t) {
                if f.outlet_level == "province" || (quarterly && f.outlet_level == "district") {
                    let (y, m) = (f.month.get(..4).and_then(|y| y.parse().ok()), f.month.get(5..7).and_then(|m| m.parse().ok()));
                    if let (Some(y), Some(m)) = (y, m) {
                        if let Some(n) = hits.get_mut(&bucket(y, m)) {
                            *n += f.count;
                        }
                    }
                }
            }
            let covered = hits.values().filter(|n| **n > 0).count();
            let parts = hits.iter().map(|(k, n)| Part { code: k.clone(), label: k.clone(), numerator: *n as f64, denominator: None }).collect();
            Figure::ratio(covered as f64, hits.len() as f64, parts, "chưa qua tháng nào của kỳ", "no month of the period has passed")
        }
        "reach_at_risk_workers" | "reach_industrial_workers" | "reach_students" => {
            let mut reached: BTreeMap<i64, i64> = BTreeMap::new();
            for a in of_members(facts.activities(r).await?, |a| a.unit_id, t) {
                let n = match indicator {
                    "reach_at_risk_workers" => a.at_risk_workers,
                    "reach_industrial_workers" => a.industrial_workers,
                    _ => a.students,
                };
                *reached.entry(a.unit_id).or_default() += n;
            }
            let num: i64 = reached.values().sum();
            let parts = reached.iter().filter(|(_, n)| **n > 0).map(|(u, n)| part(units, *u, *n as f64, None)).collect();
            let den = if indicator == "reach_at_risk_workers" {
                Some(of_members(facts.establishments(r).await?, |e| e.unit_id, t).iter().map(|e| e.workers as f64).sum())
            } else {
                let kind = if indicator == "reach_students" { "students" } else { "industrial_workers" };
                reference_sum(facts.references((r.1.year() - 5, r.1.year())).await?, t, kind, &["all"], year)
            };
            match den {
                None => {
                    Figure { parts, ..Figure::none("chưa có số liệu tham chiếu cho mẫu số", "no reference figure for the denominator") }
                }
                Some(den) => Figure::ratio(num as f64, den, parts, "mẫu số bằng 0", "the denominator is zero"),
            }
        }
        "districts_with_plan" | "districts_integrating" | "districts_with_pilot_model" | "districts_with_pilot_model_count"
            if t.structure == Structure::TwoLevel =>
        {
            Figure::none(NO_DISTRICTS_VI, NO_DISTRICTS_EN)
        }
        "districts_with_plan" | "districts_integrating" => {
            let integrating = indicator == "districts_integrating";
            let with: BTreeSet<i64> = facts
                .district_plans((p.from.year(), r.1.year()))
                .await?
                .iter()
                .filter(|f| !integrating || f.integrates_any)
                .map(|f| f.unit_id)
                .collect();
            let parts = t.districts.iter().map(|d| part(units, *d, if with.contains(d) { 1.0 } else { 0.0 }, None)).collect();
            let covered = t.districts.iter().filter(|d| with.contains(d)).count();
            Figure::ratio(covered as f64, t.districts.len() as f64, parts, "không có huyện nào trong địa bàn", "no district in the territory")
        }
        "districts_with_pilot_model" | "districts_with_pilot_model_count" => {
            let with: BTreeSet<i64> = facts.pilots(r).await?.iter().filter_map(|u| t.district_of.get(u).copied()).collect();
            let parts = t.districts.iter().map(|d| part(units, *d, if with.contains(d) { 1.0 } else { 0.0 }, None)).collect();
            if indicator == "districts_with_pilot_model_count" {
                Figure { value: Some(with.len() as f64), numerator: Some(with.len() as f64), parts, ..Figure::default() }
            } else {
                Figure::ratio(with.len() as f64, t.districts.len() as f64, parts, "không có huyện nào trong địa bàn", "no district in the territory")
            }
        }
        "tips_handled_on_time" => {
            let (mut due, mut on_time, mut overdue) = (0, 0, 0);
            let mut parts = Vec::new();
            for f in of_members(facts.tips(r, as_of).await?, |f| f.unit_id, t) {
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
                });
            }
            fig
        }
        "crimes_and_offenders_growth" | "crimes_handled_growth" => {
            let y = i64::from(p.to.year());
            let measure = |c: &pcmd_store::CaseFact| {
                if indicator == "crimes_handled_growth" {
                    c.criminal_cases
                } else {
                    c.criminal_cases + c.defendants + c.persons_sanctioned
                }
            };
            let cases = facts.cases((p.to.year() - 1, p.to.year())).await?;
            let of_year = |yy: i64| cases.iter().filter(|c| c.year == yy && members(&c.unit_id)).map(measure).sum::<i64>();
            let has = |yy: i64| cases.iter().any(|c| c.year == yy && members(&c.unit_id));
            let (cur, prev) = (of_year(y), of_year(y - 1));
            let parts = vec![
                Part { code: (y - 1).to_string(), label: format!("năm {}", y - 1), numerator: prev as f64, denominator: None },
                Part { code: y.to_string(), label: format!("năm {y}"), numerator: cur as f64, denominator: None },
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
                    no_data: None,
                    parts,
                }
            }
        }
        "establishments_inspected_yearly" | "establishments_inspected_once" => {
            let (mut open, mut inspected) = (0, 0);
            let mut parts = Vec::new();
            for e in of_members(facts.establishments(r).await?, |e| e.unit_id, t) {
                open += e.open;
                inspected += e.inspected;
                parts.push(part(units, e.unit_id, e.inspected as f64, Some(e.open as f64)));
            }
            Figure::ratio(inspected as f64, open as f64, parts, "không có cơ sở nào trong địa bàn", "no establishment in the territory")
        }
        "eligible_persons_served" => {
            let (mut eligible, mut served) = (0, 0);
            for s in of_members(facts.support(r).await?, |s| s.unit_id, t) {
                eligible += s.eligible;
                served += s.served;
            }
            // Per-commune counts of persons are not listed: they could single a person out.
            Figure::ratio(served as f64, eligible as f64, Vec::new(), "không có người có nhu cầu và đủ điều kiện", "nobody in need and eligible")
        }
        "staff_trained_province" | "staff_trained_local" | "staff_trained_all_levels" => {
            let levels: &[&str] = match indicator {
                "staff_trained_province" => &["province"],
                "staff_trained_local" => &["district", "commune"],
                _ => &["province", "district", "commune"],
            };
            let mut trained = 0;
            for f in of_members(facts.training(r).await?, |f| f.unit_id, t) {
                for l in levels {
                    trained += match *l {
                        "province" => f.province,
                        "district" => f.district,
                        _ => f.commune,
                    };
                }
            }
            match reference_sum(facts.references((r.1.year() - 5, r.1.year())).await?, t, "staff", levels, year) {
                None => Figure::none("chưa có số liệu cán bộ (số liệu tham chiếu)", "no staff roster (reference figure)"),
                Some(den) => Figure::ratio(trained as f64, den, Vec::new(), "số cán bộ bằng 0", "the staff roster is zero"),
            }
        }
        other => Figure::none(&format!("chỉ số «{other}» chưa được hỗ trợ"), &format!("indicator «{other}» is not supported")),
    })
}
