//! All units in memory, to resolve codes on a date, walk the tree and follow
//! the 2025 successor links without asking the database each time.

use super::ids::IdMap;
use super::{Level, SuccessionKind, Unit};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Arc;

#[derive(Debug, Default, Clone)]
pub struct UnitIndex {
    units: IdMap<Unit>,
    by_code: HashMap<String, Vec<i64>>,
    children: IdMap<Vec<i64>>,
    /// Old unit → the new commune that holds it (whole, or its default part).
    successor: IdMap<i64>,
    /// New commune → the old units whose default successor it is.
    predecessors: IdMap<Vec<i64>>,
    /// A province or district → the communes under it (kept, as territories ask it often).
    communes: IdMap<Vec<i64>>,
    /// Each unit's code and name, shared: the engine names a unit in the parts
    /// of every figure over it, thousands of times in one evaluation.
    labels: IdMap<(Arc<str>, Arc<str>)>,
}

impl UnitIndex {
    pub fn new(units: Vec<Unit>, successions: &[(i64, i64, SuccessionKind)]) -> Self {
        let mut idx = UnitIndex::default();
        for u in units {
            idx.by_code.entry(u.code.clone()).or_default().push(u.id);
            idx.labels.insert(u.id, (Arc::from(u.code.as_str()), Arc::from(u.name.as_str())));
            if let Some(p) = u.parent_id {
                idx.children.entry(p).or_default().push(u.id);
            }
            idx.units.insert(u.id, u);
        }
        for kids in idx.children.values_mut() {
            kids.sort_unstable();
        }
        for (old, new, kind) in successions {
            if matches!(kind, SuccessionKind::Whole | SuccessionKind::SplitDefault) {
                idx.successor.insert(*old, *new);
                idx.predecessors.entry(*new).or_default().push(*old);
            }
        }
        for olds in idx.predecessors.values_mut() {
            olds.sort_unstable();
        }
        let communes: Vec<(i64, Option<i64>)> = idx.units.values().filter(|u| u.level == Level::Commune).map(|u| (u.id, u.parent_id)).collect();
        for (c, parent) in communes {
            let mut cur = parent;
            while let Some(p) = cur {
                idx.communes.entry(p).or_default().push(c);
                cur = idx.units.get(&p).and_then(|u| u.parent_id);
            }
        }
        for list in idx.communes.values_mut() {
            list.sort_unstable();
        }
        idx
    }

    /// A unit's code and name, shared (see `labels`).
    pub fn label(&self, id: i64) -> Option<&(Arc<str>, Arc<str>)> {
        self.labels.get(&id)
    }

    /// The communes under a unit (a commune: none).
    pub fn communes_under(&self, id: i64) -> &[i64] {
        self.communes.get(&id).map_or(&[], Vec::as_slice)
    }

    pub fn get(&self, id: i64) -> Option<&Unit> {
        self.units.get(&id)
    }

    /// Every unit held, in no order.
    pub fn iter(&self) -> impl Iterator<Item = &Unit> {
        self.units.values()
    }

    /// The unit of that name ("Tỉnh Sóc Trăng", any case) valid on `date`, the highest level first.
    pub fn by_name(&self, name: &str, date: NaiveDate) -> Option<&Unit> {
        let wanted = name.trim().to_lowercase();
        self.units
            .values()
            .filter(|u| u.valid_from <= date && date <= u.valid_to && u.name.to_lowercase() == wanted)
            .min_by_key(|u| (u.level, u.code.clone()))
    }

    pub fn len(&self) -> usize {
        self.units.len()
    }

    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The unit with `code` valid on `date`.
    pub fn resolve(&self, code: &str, date: NaiveDate) -> Option<&Unit> {
        self.by_code.get(code)?.iter().filter_map(|id| self.units.get(id)).find(|u| u.valid_on(date))
    }

    /// The unit with `code` valid on `date`, or else the first one with that code
    /// that came into force after it (for a record older than the unit lists).
    pub fn resolve_from(&self, code: &str, date: NaiveDate) -> Option<&Unit> {
        self.resolve(code, date).or_else(|| {
            self.by_code.get(code)?.iter().filter_map(|id| self.units.get(id)).filter(|u| u.valid_from > date).min_by_key(|u| u.valid_from)
        })
    }

    /// The unit with `code` for a period: the one valid on its last day, else on
    /// its first, else the last one with that code that ended before the period
    /// (an old unit asked after the 2025 reform: its territory is re-mapped).
    pub fn resolve_for(&self, code: &str, from: NaiveDate, to: NaiveDate) -> Option<&Unit> {
        self.resolve(code, to)
            .or_else(|| self.resolve(code, from))
            .or_else(|| self.by_code.get(code)?.iter().filter_map(|id| self.units.get(id)).filter(|u| u.valid_to < from).max_by_key(|u| u.valid_to))
    }

    /// The unit with `code` for a period as known on `as_of`: a period across
    /// 1 July 2025 asked as on a day before it reads the code on that day (31510
    /// is then Phường 2 of Sóc Trăng, not the Phường Phú Lợi that took its code).
    pub fn resolve_as_of(&self, code: &str, period: &crate::period::Period, as_of: NaiveDate) -> Option<&Unit> {
        match super::territory::known_window(period, as_of) {
            Some(known) => self.resolve_for(code, known.from, known.to),
            None => self.resolve_for(code, period.from, period.to),
        }
    }

    /// The codes of the units at `level` valid on `date`, in code order.
    pub fn codes_at(&self, level: Level, date: NaiveDate) -> Vec<String> {
        let mut codes: Vec<String> = self.units.values().filter(|u| u.level == level && u.valid_on(date)).map(|u| u.code.clone()).collect();
        codes.sort();
        codes
    }

    /// The unit and everything under it.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while let Some(&cur) = out.get(i) {
            if let Some(kids) = self.children.get(&cur) {
                out.extend(kids);
            }
            i += 1;
        }
        out
    }

    /// The units at `level` inside the subtree of `id`.
    pub fn within(&self, id: i64, level: Level) -> Vec<i64> {
        self.subtree(id).into_iter().filter(|u| self.units.get(u).is_some_and(|u| u.level == level)).collect()
    }

    /// The new commune an old commune (or island district) went into; its default part when split.
    pub fn successor(&self, old_id: i64) -> Option<i64> {
        self.successor.get(&old_id).copied()
    }

    /// The old units whose communes went (whole, or mostly) into a new commune.
    pub fn predecessors(&self, new_id: i64) -> &[i64] {
        self.predecessors.get(&new_id).map_or(&[], Vec::as_slice)
    }

    /// The old unit whose code a new commune carries (3,289 of the 3,315 new
    /// communes of 2025 carry the code of one of the old communes that went
    /// whole or mostly into them, in the code list of Decision 19/2025/QĐ-TTg);
    /// for the others, the predecessor of lowest code in the old district that
    /// gave the most of them (ties: the lowest code). It is the old unit an old
    /// district's or province's figures after the reform count the new commune
    /// with, so that siblings never count it twice.
    pub fn principal_predecessor(&self, new_id: i64) -> Option<i64> {
        let preds = self.predecessors(new_id);
        let code_of = |id: &i64| self.units.get(id).map(|u| u.code.as_str());
        let code = code_of(&new_id);
        if let Some(p) = preds.iter().copied().find(|p| code_of(p) == code) {
            return Some(p);
        }
        let parent = |id: &i64| self.units.get(id).and_then(|u| u.parent_id);
        let given = |d: Option<i64>| preds.iter().filter(|p| parent(p) == d).count();
        // Most communes given first, then the lowest code.
        preds.iter().copied().min_by_key(|p| (std::cmp::Reverse(given(parent(p))), code_of(p), *p))
    }

    /// Every (old unit, new commune) link, whole or default part.
    pub fn successions(&self) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.successor.iter().map(|(o, n)| (*o, *n))
    }

    /// The province holding a unit.
    pub fn province_of(&self, id: i64) -> Option<i64> {
        let mut cur = self.units.get(&id)?;
        while let Some(p) = cur.parent_id {
            cur = self.units.get(&p)?;
        }
        Some(cur.id)
    }
}
