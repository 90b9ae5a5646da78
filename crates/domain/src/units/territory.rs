//! The territory a target is evaluated on: which units' records count, and which
//! communes and districts are the items counted.
//!
//! * A period that ends before 1 July 2025 uses the three-level structure: the
//!   unit's own subtree.
//! * A period that ends on or after it is counted on **new communes**: the new
//!   communes inside a new unit, or, for an old unit (Sóc Trăng's 2025 targets),
//!   the new communes its old communes went into (whole, or their default part).
//!   Records attached to an old commune count for the new commune it went
//!   into. So that numerator and denominator cover the same ground, every old
//!   commune that went into one of those new communes is a member too, even one
//!   from another old district — the note says so.
//! * A record attached to a province or district (a reference figure, a
//!   province-level training, a district's yearly case figures) counts only in
//!   a territory that holds that unit **whole**: all its communes map into the
//!   territory. A new commune does not inherit its old province's student count,
//!   and old Sóc Trăng does not take in the merged province's trainings.
//! * A period that starts before the reform and ends after it still has the old
//!   districts for its first part: district-based targets are judged on the old
//!   districts held whole (they adopted their plans for the year before 1 July).

use crate::period::Period;
use crate::units::ids::{IdMap, IdSet};
use crate::units::{Level, Unit, UnitIndex, REFORM_DAY};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// Province, district, commune (a period that ends before 01/07/2025).
    ThreeLevel,
    /// A period across 01/07/2025: new communes as items, old districts for the first part.
    Crossing,
    /// Province, commune (a period from 01/07/2025).
    TwoLevel,
}

#[derive(Debug, Clone)]
pub struct Territory {
    pub structure: Structure,
    /// Units whose records count.
    pub members: IdSet,
    /// A member commune (old or new) → the commune item it counts for.
    pub commune_of: IdMap<i64>,
    /// A member unit → the district item it lies in (while districts exist).
    pub district_of: IdMap<i64>,
    pub communes: Vec<i64>,
    pub districts: Vec<i64>,
    /// Said on screen when the territory was re-mapped across the reform ("vi. (en.)").
    pub note: Option<String>,
    /// The same in Vietnamese only, for a report.
    pub note_vi: Option<String>,
    /// `members`, sorted: facts sorted by unit are matched against it without hashing.
    pub sorted: Vec<i64>,
    /// The provinces of the member communes (sorted): a province's press reaches all of it.
    pub provinces: Vec<i64>,
}

/// Why a territory cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct NoTerritory {
    pub vi: String,
    pub en: String,
}

/// The part of `period` known on `as_of` when it decides the territory: a period
/// reaching past 1 July 2025 seen on a day before it (None otherwise). Seen before
/// it begins, it is its first day.
pub fn known_window(period: &Period, as_of: NaiveDate) -> Option<Period> {
    (as_of < REFORM_DAY && REFORM_DAY <= period.to).then(|| Period::new(period.label.as_str(), period.from, as_of.max(period.from)))
}

fn ancestors(units: &UnitIndex, id: i64) -> impl Iterator<Item = i64> + '_ {
    std::iter::successors(units.get(id).and_then(|u| u.parent_id), move |p| units.get(*p).and_then(|u| u.parent_id))
}

impl Territory {
    /// Whether a publication of `unit` counts here: a member's, or one of the
    /// press of a province of the member communes, which reaches all of it (old
    /// Sóc Trăng after the merger reads Cần Thơ's press).
    pub fn press_counts(&self, unit: i64) -> bool {
        self.sorted.binary_search(&unit).is_ok() || self.provinces.binary_search(&unit).is_ok()
    }

    /// Whether a record of `kind` (`activity`, `publication`…) on `unit` counts
    /// here, as the engine counts it: the records behind a figure are listed by it.
    pub fn counts_record(&self, kind: &str, unit: i64) -> bool {
        if kind == "publication" {
            self.press_counts(unit)
        } else {
            self.members.contains(&unit)
        }
    }

    /// The territory `scope`'s figures over `period` are counted on, as known on
    /// `as_of`: a period across 1 July 2025 asked as on a day before it is counted on
    /// the units of that day (the old communes and districts), as an official
    /// counted it then; so `2025-Y` asked on 14/06/2025 gives what `2025-H1` gives.
    pub fn build_as_of(units: &UnitIndex, scope: &Unit, period: &Period, as_of: NaiveDate) -> Result<Territory, NoTerritory> {
        match known_window(period, as_of) {
            Some(known) => Self::build(units, scope, &known).map_err(|why| {
                if scope.valid_from < REFORM_DAY {
                    return why;
                }
                let day = crate::date::format_vn(as_of);
                NoTerritory {
                    vi: format!("{} chỉ có từ 01/07/2025; số liệu được hỏi tính đến ngày {day}, trước đó", scope.name),
                    en: format!("{} exists only from 1 July 2025; the figures are asked as on {day}, before it", scope.name),
                }
            }),
            None => Self::build(units, scope, period),
        }
    }

    pub fn build(units: &UnitIndex, scope: &Unit, period: &Period) -> Result<Territory, NoTerritory> {
        if period.to < REFORM_DAY {
            return Self::three_level(units, scope, period.from);
        }
        let crossing = period.from < REFORM_DAY;
        let new_communes: BTreeSet<i64> = if scope.valid_from >= REFORM_DAY || scope.valid_on(period.to) {
            let mut n: BTreeSet<i64> = units.communes_under(scope.id).iter().copied().collect();
            if scope.level == Level::Commune {
                n.insert(scope.id);
            }
            n
        } else if scope.valid_to < REFORM_DAY {
            // A new commune made of old communes of several districts (or
            // provinces) counts with the one whose commune's code it carries:
            // the old districts' figures add up to their province's.
            let own: HashSet<i64> = units.subtree(scope.id).into_iter().collect();
            let mut n: BTreeSet<i64> = own
                .iter()
                .filter_map(|old| new_commune_of(units, *old))
                .filter(|new| scope.level == Level::Commune || units.principal_predecessor(*new).is_none_or(|p| own.contains(&p)))
                .collect();
            // A new commune no old commune went into whole or mostly (Phường Yên Sở, 00340: its
            // namesake split, the main part into 00331) counts with the old commune whose code it
            // carries, so that it is in some old unit's figures.
            if scope.level != Level::Commune {
                for old in own.iter().filter_map(|id| units.get(*id)).filter(|u| u.level == Level::Commune && u.valid_to < REFORM_DAY) {
                    if let Some(new) =
                        units.resolve(&old.code, REFORM_DAY).filter(|u| u.level == Level::Commune && units.predecessors(u.id).is_empty())
                    {
                        n.insert(new.id);
                    }
                }
            }
            n
        } else {
            return Err(NoTerritory { vi: "đơn vị không có hiệu lực trong kỳ".into(), en: "the unit is not valid in the period".into() });
        };
        Ok(Self::on_new_communes(units, scope, new_communes, crossing))
    }

    fn three_level(units: &UnitIndex, scope: &Unit, from: NaiveDate) -> Result<Territory, NoTerritory> {
        if scope.valid_from > from && scope.valid_from >= REFORM_DAY {
            return Err(NoTerritory {
                vi: format!("{} chỉ có từ 01/07/2025; kỳ này trước khi sắp xếp đơn vị hành chính", scope.name),
                en: format!("{} exists only from 1 July 2025; this period is before the reform", scope.name),
            });
        }
        let members: Vec<i64> = units.subtree(scope.id);
        let mut district_of = IdMap::default();
        let mut commune_of = IdMap::default();
        let (mut communes, mut districts) = (Vec::new(), Vec::new());
        for &id in &members {
            let Some(u) = units.get(id) else { continue };
            match u.level {
                Level::Commune => {
                    communes.push(id);
                    commune_of.insert(id, id);
                    if let Some(d) = u.parent_id.filter(|p| units.get(*p).is_some_and(|p| p.level == Level::District)) {
                        district_of.insert(id, d);
                    }
                }
                Level::District => {
                    districts.push(id);
                    district_of.insert(id, id);
                }
                Level::Province => {}
            }
        }
        Ok(Territory {
            structure: Structure::ThreeLevel,
            members: members.into_iter().collect(),
            commune_of,
            district_of,
            communes,
            districts,
            note: None,
            note_vi: None,
            sorted: Vec::new(),
            provinces: Vec::new(),
        }
        .indexed(units))
    }

    /// The territory made of the new communes `n`: the old communes that went
    /// into them, and every province or district held whole.
    fn on_new_communes(units: &UnitIndex, scope: &Unit, n: BTreeSet<i64>, crossing: bool) -> Territory {
        let mut members: IdSet = n.iter().copied().collect();
        let mut commune_of: IdMap<i64> = n.iter().map(|c| (*c, *c)).collect();
        for &new in &n {
            for old in all_predecessors(units, new) {
                members.insert(old);
                commune_of.insert(old, new);
            }
        }
        let own: HashSet<i64> = units.subtree(scope.id).into_iter().collect();
        // Provinces and districts above any member, kept when held whole (or
        // inside the scope: an old district whose commune went into a
        // neighbour's new commune is still itself).
        let candidates: BTreeSet<i64> = commune_of.keys().flat_map(|c| ancestors(units, *c)).collect();
        let inside = |c: &i64| ends_in(units, *c, &n);
        let mut districts = Vec::new();
        let mut district_of = IdMap::default();
        for u in candidates.into_iter().filter_map(|id| units.get(id)) {
            let communes = units.communes_under(u.id);
            let whole = if communes.is_empty() { inside(&u.id) } else { communes.iter().all(inside) };
            if !whole && !own.contains(&u.id) {
                continue;
            }
            members.insert(u.id);
            if crossing && u.level == Level::District && u.valid_from < REFORM_DAY {
                districts.push(u.id);
                district_of.insert(u.id, u.id);
            }
        }
        // An old commune's records count for the old district its new commune counts
        // with (the district of the commune whose code it carries), at every level:
        // Phường 10's June activity is Huyện Mỹ Xuyên's, in the province's figure as in
        // the districts' own.
        if crossing {
            for (&old, &new) in commune_of.iter().filter(|(old, new)| old != new) {
                let district = units.principal_predecessor(new).and_then(|p| units.get(p)).and_then(|p| p.parent_id);
                if let Some(d) = district.filter(|d| districts.contains(d)) {
                    district_of.insert(old, d);
                }
            }
        }
        // Island districts without communes that went whole into a new commune.
        for &new in &n {
            for old in all_predecessors(units, new) {
                if units.get(old).is_some_and(|u| u.level != Level::Commune) {
                    members.insert(old);
                }
            }
        }
        // By name, at most five: the old communes of other units taken in, and the
        // scope's own counted with another unit ("Phường 10 (nay thuộc Phường Mỹ
        // Xuyên, tính cho Huyện Mỹ Xuyên)").
        let named = |mut v: Vec<String>| {
            v.sort_by_cached_key(|g| crate::text::collation_key(g));
            let more = v.len().saturating_sub(5);
            v.truncate(5);
            let list = v.join(", ");
            if more > 0 {
                format!("{list} và {more} xã khác")
            } else {
                list
            }
        };
        let level_of = |id: i64| std::iter::once(id).chain(ancestors(units, id)).filter_map(|a| units.get(a)).find(|a| a.level == scope.level);
        let foreign: Vec<String> = commune_of
            .keys()
            .filter(|c| !own.contains(c))
            .filter_map(|c| units.get(*c))
            .filter(|u| u.level == Level::Commune && u.valid_from < REFORM_DAY && u.valid_to >= REFORM_DAY.pred_opt().unwrap_or(REFORM_DAY))
            .map(|u| {
                // Where it came from: its district (at the commune's own level too), and its
                // province when another (two Huyện Châu Thành: Sóc Trăng's and Hậu Giang's).
                let district = u.parent_id.and_then(|p| units.get(p)).filter(|p| p.level == Level::District && scope.level != Level::Province);
                let province = units.province_of(u.id).filter(|p| Some(*p) != units.province_of(scope.id)).and_then(|p| units.get(p));
                let from: Vec<&str> = district.into_iter().chain(province).map(|x| x.name.as_str()).collect();
                if from.is_empty() {
                    u.name.clone()
                } else {
                    format!("{} ({})", u.name, from.join(", "))
                }
            })
            .collect();
        let given: Vec<String> = own
            .iter()
            .filter(|c| !commune_of.contains_key(c))
            .filter_map(|c| units.get(*c))
            .filter(|u| u.level == Level::Commune && u.valid_from < REFORM_DAY)
            .filter_map(|u| {
                let to = units.get(new_commune_of(units, u.id)?)?;
                // The old unit at the scope's level that the new commune counts with.
                let with = level_of(units.principal_predecessor(to.id)?)?;
                Some(format!("{} (nay thuộc {}, tính cho {})", u.name, to.name, with.name))
            })
            .collect();
        let note = (scope.valid_from < REFORM_DAY).then(|| {
            let provinces: BTreeSet<String> =
                n.iter().filter_map(|c| units.province_of(*c)).filter_map(|p| units.get(p)).map(|p| p.name.clone()).collect();
            let provinces = provinces.into_iter().collect::<Vec<_>>().join(", ");
            let (mut vi, mut en) = (
                format!(
                    "Sau 01/07/2025 tính trên {} xã, phường mới (thuộc {provinces}) tiếp nhận địa bàn {} cũ, theo liên kết sáp nhập; xã bị chia tính theo phần chính",
                    n.len(),
                    scope.name
                ),
                format!(
                    "After 1 July 2025: the {} new communes that took in the former {}, by the successor links; a divided commune counts with its main part",
                    n.len(),
                    scope.name
                ),
            );
            // Districts and provinces share out a new commune; a commune counts the whole of its own.
            if scope.level != Level::Commune {
                vi.push_str(
                    "; xã, phường mới gồm xã cũ của nhiều đơn vị được tính cho đơn vị của xã cũ mà nó mang mã \
                     (nếu không xã cũ nào mang mã đó: đơn vị góp nhiều xã nhất), để không đơn vị cũ nào tính trùng",
                );
                en.push_str(
                    "; a new commune made of communes of several former units counts with the unit of the commune whose code it carries \
                     (else the unit that gave most of them), so that none is counted twice",
                );
            }
            if !foreign.is_empty() {
                vi.push_str(&format!("; gồm cả {} xã, phường cũ ngoài {}: {}", foreign.len(), scope.name, named(foreign.clone())));
                en.push_str(&format!("; with {} former commune(s) outside {}", foreign.len(), scope.name));
            }
            if !given.is_empty() {
                vi.push_str(&format!("; {} xã, phường cũ của {} được tính cho đơn vị cũ khác: {}", given.len(), scope.name, named(given.clone())));
                en.push_str(&format!("; {} former commune(s) of {} count with another former unit", given.len(), scope.name));
            }
            (format!("{vi}. ({en}.)"), format!("{vi}."))
        });
        let (note, note_vi) = match note {
            Some((both, vi)) => (Some(both), Some(vi)),
            None => (None, None),
        };
        districts.sort_unstable();
        // The press that reaches the territory: the provinces of its new communes, and the old
        // provinces of the old communes on its ground; for an old unit, only its own old
        // province, not that of a commune of another province taken in (old Hậu Giang's
        // paper is not old Sóc Trăng's).
        let new_scope = scope.valid_from >= REFORM_DAY;
        let press: BTreeSet<i64> =
            n.iter().chain(commune_of.keys().filter(|c| new_scope || own.contains(c))).filter_map(|c| units.province_of(*c)).collect();
        let mut t = Territory {
            structure: if crossing { Structure::Crossing } else { Structure::TwoLevel },
            members,
            commune_of,
            district_of,
            communes: n.into_iter().collect(),
            districts,
            note,
            note_vi,
            sorted: Vec::new(),
            provinces: Vec::new(),
        }
        .indexed(units);
        t.provinces = press.into_iter().collect();
        t
    }

    /// Fills `sorted` and `provinces` from the members.
    fn indexed(mut self, units: &UnitIndex) -> Territory {
        self.sorted = self.members.iter().copied().collect();
        self.sorted.sort_unstable();
        let provinces: BTreeSet<i64> = self.commune_of.keys().filter_map(|c| units.province_of(*c)).collect();
        self.provinces = provinces.into_iter().collect();
        self
    }

    /// Whether a province- or district-level record of `unit` counts here.
    pub fn holds(&self, unit: i64) -> bool {
        self.members.contains(&unit)
    }
}

/// Every unit that went into `new`, through any number of changes: the old
/// communes of the 2025 reform, and the earlier communes recorded before them
/// (two wards merged in 2024, then into a new ward in 2025).
fn all_predecessors(units: &UnitIndex, new: i64) -> Vec<i64> {
    let mut out = Vec::new();
    let mut todo: Vec<i64> = units.predecessors(new).to_vec();
    while let Some(old) = todo.pop() {
        if out.contains(&old) || old == new {
            continue;
        }
        out.push(old);
        todo.extend_from_slice(units.predecessors(old));
    }
    out
}

/// The commune of 1 July 2025 an old unit went into, through any earlier
/// change recorded before it (a ward merged in 2024, then into a new ward):
/// never a unit of the earlier change itself.
fn new_commune_of(units: &UnitIndex, old: i64) -> Option<i64> {
    let mut at = units.successor(old)?;
    // Changes chain a few times at most; the bound keeps a bad cycle from spinning.
    for _ in 0..16 {
        if units.get(at).is_some_and(|u| u.valid_from >= REFORM_DAY) {
            return Some(at);
        }
        at = units.successor(at)?;
    }
    None
}

/// Whether `unit` went, through any number of changes, into one of `n`.
fn ends_in(units: &UnitIndex, unit: i64, n: &BTreeSet<i64>) -> bool {
    let mut at = unit;
    // Changes chain a few times at most; the bound keeps a bad cycle from spinning.
    for _ in 0..16 {
        if n.contains(&at) {
            return true;
        }
        match units.successor(at) {
            Some(next) if next != at => at = next,
            _ => return false,
        }
    }
    false
}

/// Every unit whose records a territory of a unit inside `roots` can count,
/// whatever the period (sorted, without repeats): the roots' subtrees, the old
/// units that went into their new communes with the old districts and provinces
/// above them, and the new communes their old communes went into with their new
/// provinces and the other old units that went into those — the members
/// `Territory::build` can choose from.
pub fn reach(units: &UnitIndex, roots: &[&Unit]) -> Vec<i64> {
    let mut out: BTreeSet<i64> = BTreeSet::new();
    let add_new = |out: &mut BTreeSet<i64>, new: i64| {
        out.insert(new);
        out.extend(ancestors(units, new));
        for old in all_predecessors(units, new) {
            out.insert(old);
            out.extend(ancestors(units, old));
        }
    };
    for root in roots {
        for id in units.subtree(root.id) {
            out.insert(id);
            add_new(&mut out, id);
            if let Some(new) = units.successor(id) {
                add_new(&mut out, new);
            }
        }
    }
    out.into_iter().collect()
}
