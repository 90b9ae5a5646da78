//! Scope on the pages: whether a unit or a plan is within a user's reach, by
//! the rule of `pcmd_domain::policy::scope_units`.

use super::*;

/// A user sees the units of their home unit's subtree, and the old units whose
/// territory went into it.
pub(crate) fn in_scope(state: &AppState, user: &CurrentUser, unit: &Unit, period: &Period) -> bool {
    unit_in_scope(state, user.user.unit_id, unit, period)
}

/// A plan is shown to those whose scope holds its unit, and to those working
/// inside its territory (a district officer sees the provincial resolution).
pub(crate) fn plan_visible(state: &AppState, home: i64, plan_unit: &Unit, period: &Period) -> bool {
    unit_in_scope(state, home, plan_unit, period) || unit_in_scope(state, plan_unit.id, state.units.get(home).unwrap_or(plan_unit), period)
}

/// The unit a plan page or query shows by default: the plan's own when in scope, else the user's home unit.
pub(crate) fn default_unit(state: &AppState, home: i64, plan_unit: Option<i64>, period: &Period) -> Option<Unit> {
    let units = &state.units;
    let plan_unit = plan_unit.and_then(|id| units.get(id));
    match plan_unit {
        Some(u) if unit_in_scope(state, home, u, period) => Some(u.clone()),
        _ => units.get(home).cloned(),
    }
}

/// By the scope kept for the unit lists of the request (`AppState::scope`): computed once per home unit.
pub(crate) fn unit_in_scope(state: &AppState, home: i64, unit: &Unit, _period: &Period) -> bool {
    state.scope(home).contains(&unit.id)
}

pub(crate) use pcmd_domain::policy::scope_units;
