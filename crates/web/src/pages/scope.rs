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

/// An evaluation as a user may see it: small counts withheld from those who may
/// not see them (`Evaluation::for_reader`), and only the items that are units of
/// their scope (`Evaluation::within`). The plan page, the records behind a figure
/// and the API's evaluations go through here; the trend and the map show no items.
pub(crate) fn for_user(
    state: &AppState,
    user: &pcmd_store::UserRecord,
    level: pcmd_domain::units::Level,
    e: &pcmd_engine::Evaluation,
) -> pcmd_engine::Evaluation {
    e.for_reader(user.role, level).within(&state.scope(user.unit_id))
}

/// The records behind a figure that a user is shown.
pub(crate) enum Behind {
    /// Those in the figure's territory and the user's scope, and how many of the
    /// territory's were left out as outside the scope.
    Listed { records: Vec<pcmd_store::RecordRef>, outside_scope: usize },
    /// The user's role may not read records of this kind: the figure alone is shown.
    NotReadable,
    /// Records about persons: shown as counts only, to every role.
    Persons,
}

/// The records `indicator` counted in `[from, to]` that `user` may be shown for a figure
/// over `territory` (the unit's members in the period, and for the press the provinces of
/// its communes, as the engine counts them): none of a kind the role may not read
/// (`Role::may_read`; decided before any record is read); of the rest, only those of units
/// in the user's scope.
pub(crate) async fn records_for_user(
    state: &AppState,
    user: &pcmd_store::UserRecord,
    indicator: &str,
    (window, as_of): (&pcmd_domain::period::Period, chrono::NaiveDate),
    territory: Option<&pcmd_engine::Territory>,
) -> Result<Behind, pcmd_store::StoreError> {
    let Some(kind) = pcmd_store::record_kind_behind(indicator) else { return Ok(Behind::Persons) };
    if !kind.parse::<pcmd_domain::records::form::RecordKind>().is_ok_and(|k| user.role.may_read(k)) {
        return Ok(Behind::NotReadable);
    }
    let Some(all) = state.store.records_behind(indicator, window, as_of).await? else { return Ok(Behind::Persons) };
    let scope = state.scope(user.unit_id);
    let mut outside_scope = 0;
    let records = all
        .into_iter()
        .filter(|r| territory.is_some_and(|t| t.counts_record(r.kind, r.unit_id)))
        .filter(|r| {
            let mine = scope.contains(&r.unit_id);
            outside_scope += usize::from(!mine);
            mine
        })
        .collect();
    Ok(Behind::Listed { records, outside_scope })
}
