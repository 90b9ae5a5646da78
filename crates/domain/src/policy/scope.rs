//! Scope (phạm vi): what part of the country a user sees — their home unit's
//! subtree, and across the 2025 reform the units whose territory went into it
//! whole, never more.

use crate::period::Period;
use crate::units::territory::Territory;
use crate::units::{UnitIndex, OPEN_END, REFORM_DAY};
use std::collections::HashSet;

/// Every unit whose records a user at home in `home` may see: the home unit's
/// subtree; for a home unit of the new structure, the old units that went into
/// it (an old district or province only when it went in whole); for an old home
/// unit, the new communes its communes went into — never the merged new
/// province, nor old communes of other units that went into the same new commune.
pub fn scope_units(units: &UnitIndex, home: i64) -> HashSet<i64> {
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
