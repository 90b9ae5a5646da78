//! Scope: what part of the country a user sees — their home unit's subtree,
//! and the old units whose territory went into it across the 2025 reform.

use super::*;
use pcmd_domain::units::{UnitIndex, OPEN_END, REFORM_DAY};
use std::collections::HashSet;

/// A user sees the units of their home unit's subtree, and the old units whose
/// territory went into it.
pub(crate) fn in_scope(state: &AppState, user: &CurrentUser, unit: &Unit, period: &Period) -> bool {
    unit_in_scope(&state.units, user.user.unit_id, unit, period)
}

/// A plan is shown to those whose scope holds its unit, and to those working
/// inside its territory (a district officer sees the provincial resolution).
pub(crate) fn plan_visible(units: &pcmd_domain::units::UnitIndex, home: i64, plan_unit: &Unit, period: &Period) -> bool {
    unit_in_scope(units, home, plan_unit, period) || unit_in_scope(units, plan_unit.id, units.get(home).unwrap_or(plan_unit), period)
}

/// The unit a plan page or query shows by default: the plan's own when in scope, else the user's home unit.
pub(crate) fn default_unit(units: &pcmd_domain::units::UnitIndex, home: i64, plan_unit: Option<i64>, period: &Period) -> Option<Unit> {
    let plan_unit = plan_unit.and_then(|id| units.get(id));
    match plan_unit {
        Some(u) if unit_in_scope(units, home, u, period) => Some(u.clone()),
        _ => units.get(home).cloned(),
    }
}

pub(crate) fn unit_in_scope(units: &pcmd_domain::units::UnitIndex, home: i64, unit: &Unit, _period: &Period) -> bool {
    scope_units(units, home).contains(&unit.id)
}

/// Every unit whose records a user may see: the home unit's subtree; for a
/// home unit of the new structure, the old units that went into it (an old
/// district or province only when it went in whole); for an old home unit, the
/// new communes its communes went into — never the merged new province, nor
/// old communes of other units that went into the same new commune.
pub(crate) fn scope_units(units: &UnitIndex, home: i64) -> HashSet<i64> {
    let mut set: HashSet<i64> = units.subtree(home).into_iter().collect();
    let Some(h) = units.get(home) else { return set };
    if h.valid_from >= REFORM_DAY || h.valid_to >= REFORM_DAY {
        if let Ok(t) = Territory::build(units, h, &Period::new("", REFORM_DAY, OPEN_END)) {
            set.extend(t.members);
        }
    } else {
        let olds: Vec<i64> = set.iter().copied().collect();
        set.extend(olds.into_iter().filter_map(|old| units.successor(old)));
    }
    set
}
