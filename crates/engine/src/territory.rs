//! The territory a target is evaluated on: which units' records count, and which
//! communes and districts are the items counted.
//!
//! A period that ends before 1 July 2025 uses the three-level structure. A period
//! that ends on or after it uses the two-level structure: the items are the new
//! communes, and records attached to an old commune count for the new commune it
//! went into (whole, or its default part when it was divided). An old unit
//! evaluated after the reform — Sóc Trăng's 2025 targets — covers the new
//! communes that its old communes went into, and the new province holding them
//! for province-level records.

use chrono::NaiveDate;
use pcmd_domain::period::Period;
use pcmd_domain::units::{Level, Unit, UnitIndex, REFORM_DAY};
use std::collections::{BTreeSet, HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// Province, district, commune (until 30/06/2025).
    ThreeLevel,
    /// Province, commune (from 01/07/2025).
    TwoLevel,
}

#[derive(Debug, Clone)]
pub struct Territory {
    pub structure: Structure,
    /// Units whose records count.
    pub members: HashSet<i64>,
    /// A member commune (old or new) → the commune item it counts for.
    pub commune_of: HashMap<i64, i64>,
    /// A member unit → the district item it lies in (three-level structure only).
    pub district_of: HashMap<i64, i64>,
    pub communes: Vec<i64>,
    pub districts: Vec<i64>,
    /// Said on screen when the territory was re-mapped across the reform.
    pub note: Option<String>,
}

/// Why a territory cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct NoTerritory {
    pub vi: String,
    pub en: String,
}

impl Territory {
    pub fn build(units: &UnitIndex, scope: &Unit, period: &Period) -> Result<Territory, NoTerritory> {
        if period.to < REFORM_DAY {
            Self::three_level(units, scope, period.from)
        } else if scope.valid_on(period.to) || scope.valid_from >= REFORM_DAY {
            Ok(Self::two_level_new(units, scope))
        } else if scope.valid_to < REFORM_DAY {
            Ok(Self::two_level_old(units, scope))
        } else {
            Err(NoTerritory { vi: "đơn vị không có hiệu lực trong kỳ".into(), en: "the unit is not valid in the period".into() })
        }
    }

    fn three_level(units: &UnitIndex, scope: &Unit, from: NaiveDate) -> Result<Territory, NoTerritory> {
        if scope.valid_from > from && scope.valid_from >= REFORM_DAY {
            return Err(NoTerritory {
                vi: format!("{} chỉ có từ 01/07/2025; kỳ này trước khi sắp xếp đơn vị hành chính", scope.name),
                en: format!("{} exists only from 1 July 2025; this period is before the reform", scope.name),
            });
        }
        let members: Vec<i64> = units.subtree(scope.id);
        let mut district_of = HashMap::new();
        let mut commune_of = HashMap::new();
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
        })
    }

    /// A unit of the new structure: its communes, and the old units mapped into them.
    fn two_level_new(units: &UnitIndex, scope: &Unit) -> Territory {
        let new_members = units.subtree(scope.id);
        let communes = units.within(scope.id, Level::Commune);
        let inside: HashSet<i64> = communes.iter().copied().collect();
        let mut members: HashSet<i64> = new_members.into_iter().collect();
        let mut commune_of: HashMap<i64, i64> = communes.iter().map(|c| (*c, *c)).collect();
        for &new in &inside {
            for &old in units.predecessors(new) {
                members.insert(old);
                commune_of.insert(old, new);
                // Old province- and district-level records count where their communes went.
                let mut cur = units.get(old).and_then(|u| u.parent_id);
                while let Some(p) = cur {
                    members.insert(p);
                    cur = units.get(p).and_then(|u| u.parent_id);
                }
            }
        }
        Territory { structure: Structure::TwoLevel, members, commune_of, district_of: HashMap::new(), communes, districts: Vec::new(), note: None }
    }

    /// An old unit after the reform: the new communes its old communes went into.
    fn two_level_old(units: &UnitIndex, scope: &Unit) -> Territory {
        let old_members = units.subtree(scope.id);
        let mut members: HashSet<i64> = old_members.iter().copied().collect();
        let mut commune_of = HashMap::new();
        let mut communes = BTreeSet::new();
        for &old in &old_members {
            if let Some(new) = units.successor(old) {
                commune_of.insert(old, new);
                commune_of.insert(new, new);
                communes.insert(new);
                members.insert(new);
                if let Some(p) = units.province_of(new) {
                    members.insert(p);
                }
            }
        }
        let provinces: BTreeSet<String> =
            communes.iter().filter_map(|c| units.province_of(*c)).filter_map(|p| units.get(p)).map(|p| p.name.clone()).collect();
        let note = Some(format!(
            "Sau 01/07/2025 tính trên {} xã, phường mới tiếp nhận địa bàn {} cũ (thuộc {}), theo liên kết sáp nhập; xã bị chia tính theo phần chính. \
             (After 1 July 2025: the {} new communes that took in the former {}, by the successor links; a divided commune counts with its main part.)",
            communes.len(),
            scope.name,
            provinces.into_iter().collect::<Vec<_>>().join(", "),
            communes.len(),
            scope.name
        ));
        Territory {
            structure: Structure::TwoLevel,
            members,
            commune_of,
            district_of: HashMap::new(),
            communes: communes.into_iter().collect(),
            districts: Vec::new(),
            note,
        }
    }
}

/// Every unit whose records a territory of a unit inside `roots` can count,
/// whatever the period (sorted, without repeats): the roots' subtrees, the old
/// units that went into their new communes with the old districts and provinces
/// above them, and the new communes their old communes went into with their new
/// provinces — the members `Territory::build` can choose from.
pub fn reach(units: &UnitIndex, roots: &[&Unit]) -> Vec<i64> {
    let mut out: BTreeSet<i64> = BTreeSet::new();
    for root in roots {
        for id in units.subtree(root.id) {
            out.insert(id);
            for &old in units.predecessors(id) {
                let mut cur = Some(old);
                while let Some(u) = cur {
                    out.insert(u);
                    cur = units.get(u).and_then(|x| x.parent_id);
                }
            }
            if let Some(new) = units.successor(id) {
                out.insert(new);
                if let Some(p) = units.province_of(new) {
                    out.insert(p);
                }
            }
        }
    }
    out.into_iter().collect()
}
