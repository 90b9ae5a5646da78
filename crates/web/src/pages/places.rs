//! How a page names and finds units: names that tell apart the many "Phường 1",
//! what each new commune took in at the 2025 reform, the way up to the
//! province, and the choices of the period and unit pickers.

use pcmd_domain::period::{Cutoff, Period};
use pcmd_domain::units::{Level, Unit, UnitIndex, REFORM_DAY};
use std::collections::HashMap;

/// A unit as a drill-down or map shows it.
#[derive(Clone)]
pub struct Place {
    pub code: String,
    /// The name, with its district where the name alone repeats.
    pub name: String,
    /// For a commune made on 01/07/2025: the former units it took in.
    pub took_in: String,
}

/// The units `ids`, named so that no two read the same, in Vietnamese order of their names.
pub fn distinct(units: &UnitIndex, ids: &[i64]) -> Vec<(i64, Place)> {
    names(units, ids).into_iter().map(|(u, name)| (u.id, Place { code: u.code.clone(), name, took_in: took_in(units, u) })).collect()
}

/// The units `ids` with names that tell them apart, in Vietnamese order (each name's
/// collation key computed once: a province's picker sorts hundreds of them per page).
fn names<'a>(units: &'a UnitIndex, ids: &[i64]) -> Vec<(&'a Unit, String)> {
    let list: Vec<&Unit> = ids.iter().filter_map(|id| units.get(*id)).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for u in &list {
        *seen.entry(u.name.as_str()).or_default() += 1;
    }
    let mut out: Vec<(&Unit, String)> =
        list.iter().map(|u| (*u, if seen.get(u.name.as_str()).copied().unwrap_or(0) > 1 { qualified(units, u) } else { u.name.clone() })).collect();
    out.sort_by_cached_key(|(_, name)| pcmd_domain::text::collation_key(name));
    out
}

/// The items a unit's figures count, for its drill-down: a province's districts before the
/// reform, else the communes; after it, the new communes the territory was counted on.
pub fn drill_down(units: &UnitIndex, unit: &Unit, period: &Period, as_of: chrono::NaiveDate) -> Vec<Place> {
    match pcmd_engine::Territory::build_as_of(units, unit, period, as_of) {
        Ok(t) if unit.level != Level::Commune => {
            let items = if unit.level == Level::Province && t.structure == pcmd_engine::Structure::ThreeLevel { &t.districts } else { &t.communes };
            let ids: Vec<i64> = items.iter().copied().filter(|id| *id != unit.id).collect();
            distinct(units, &ids).into_iter().map(|(_, p)| p).collect()
        }
        _ => Vec::new(),
    }
}

/// "Phường 1 — Thành phố Sóc Trăng": the name with the unit above it (or its code where there is none).
pub fn qualified(units: &UnitIndex, u: &Unit) -> String {
    match u.parent_id.and_then(|p| units.get(p)).filter(|p| p.level == Level::District) {
        Some(p) => format!("{} — {}", u.name, p.name),
        None => format!("{} ({})", u.name, u.code),
    }
}

/// The former communes a new commune took in, named with their districts: "Xã Phú Tân (Châu Thành), …".
pub fn took_in(units: &UnitIndex, u: &Unit) -> String {
    if u.valid_from < REFORM_DAY {
        return String::new();
    }
    let mut olds: Vec<String> = units
        .predecessors(u.id)
        .iter()
        .filter_map(|id| units.get(*id))
        .map(|o| match o.parent_id.and_then(|p| units.get(p)).filter(|p| p.level == Level::District) {
            Some(d) => format!("{} ({})", o.name, d.name),
            None => o.name.clone(),
        })
        .collect();
    olds.sort_by_cached_key(|n| pcmd_domain::text::collation_key(n));
    olds.join(", ")
}

/// The units above `unit` that the user may open, from the top: the breadcrumb.
pub fn ancestors(units: &UnitIndex, unit: &Unit, may_open: impl Fn(&Unit) -> bool) -> Vec<(String, String)> {
    let mut chain = Vec::new();
    let mut cur = unit.parent_id.and_then(|p| units.get(p));
    while let Some(u) = cur {
        if may_open(u) {
            chain.push((u.code.clone(), u.name.clone()));
        }
        cur = u.parent_id.and_then(|p| units.get(p));
    }
    chain.reverse();
    chain
}

/// One choice of the period picker.
pub struct PeriodChoice {
    pub value: String,
    pub label: String,
}

/// The periods a plan is read by, grouped by year: the whole plan, each year, its
/// halves (Decree 09 cut-offs), quarters and months.
pub fn period_choices(from: i32, to: i32, vi: bool) -> Vec<(String, Vec<PeriodChoice>)> {
    let mut groups = Vec::new();
    if to > from {
        let label = if vi { format!("Cả kế hoạch {from}–{to}") } else { format!("Whole plan {from}–{to}") };
        groups.push((label.clone(), vec![PeriodChoice { value: format!("{from}..{to}"), label }]));
    }
    for y in from..=to {
        let mut c = vec![
            PeriodChoice { value: y.to_string(), label: if vi { format!("Năm {y}") } else { format!("Year {y}") } },
            PeriodChoice {
                value: format!("{y}-Y"),
                label: if vi { format!("Năm báo cáo {y} (15/12–14/12)") } else { format!("Reporting year {y} (15/12–14/12)") },
            },
            PeriodChoice { value: format!("{y}-H1"), label: if vi { format!("6 tháng đầu năm {y}") } else { format!("First half of {y}") } },
            PeriodChoice { value: format!("{y}-H2"), label: if vi { format!("6 tháng cuối năm {y}") } else { format!("Second half of {y}") } },
        ];
        for q in 1..=4 {
            c.push(PeriodChoice { value: format!("{y}-Q{q}"), label: if vi { format!("Quý {q}/{y}") } else { format!("Q{q} {y}") } });
        }
        for m in 1..=12 {
            c.push(PeriodChoice { value: format!("{y}-{m:02}"), label: if vi { format!("Tháng {m:02}/{y}") } else { format!("{m:02}/{y}") } });
        }
        groups.push((y.to_string(), c));
    }
    groups
}

/// Whether `text` names a period the picker lists (else the page keeps it as typed).
pub fn is_listed(groups: &[(String, Vec<PeriodChoice>)], text: &str) -> bool {
    groups.iter().any(|(_, c)| c.iter().any(|p| p.value == text))
}

/// The unit picker's choices: the units of the user's scope valid in the period, named to tell apart.
pub fn unit_choices(units: &UnitIndex, scope: &std::collections::HashSet<i64>, period: &Period) -> Vec<String> {
    let ids: Vec<i64> = scope.iter().copied().filter(|id| units.get(*id).is_some_and(|u| u.valid_on(period.to) || u.valid_on(period.from))).collect();
    if ids.len() > 2000 {
        return Vec::new();
    }
    names(units, &ids).into_iter().map(|(u, name)| format!("{name} ({})", u.code)).collect()
}

/// The unit a picker's text means: "Phường 2 — Thành phố Sóc Trăng (31510)", a code, or a
/// name (with or without its district) that only one unit of the scope bears.
pub fn pick<'a>(units: &'a UnitIndex, text: &str, period: &Period, scope: &std::collections::HashSet<i64>) -> Option<&'a Unit> {
    let t = pcmd_domain::text::nfc(text.trim());
    let code = t.rsplit_once('(').and_then(|(_, c)| c.strip_suffix(')')).unwrap_or(&t).trim();
    if let Some(u) = units.resolve_for(code, period.from, period.to) {
        return Some(u);
    }
    let wanted = t.to_lowercase();
    let mut hits = scope
        .iter()
        .filter_map(|id| units.get(*id))
        .filter(|u| u.valid_on(period.to) || u.valid_on(period.from))
        .filter(|u| u.name.to_lowercase() == wanted || qualified(units, u).to_lowercase() == wanted);
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

/// Reads the period the picker sent, under the Decree 09 cut-offs that reports use.
pub fn period(text: &str) -> Result<Period, pcmd_domain::Msg> {
    Period::parse(text, Cutoff::Decree09)
}
