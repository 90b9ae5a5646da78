//! Small counts (số nhỏ): a figure of 1 to 4 about a commune can point at a
//! person. Roles that may not see persons are shown such figures as "dưới 5".

use crate::roles::Role;
use crate::units::Level;

/// Counts below this (and above 0) are small.
pub const SMALL_COUNT: f64 = 5.0;

pub fn is_small_count(v: f64) -> bool {
    v > 0.0 && v < SMALL_COUNT
}

/// Whether figures about `level` are shown to `role` only when no count in them is small:
/// supervisors (HĐND delegates, inspectors of the programme) looking at a commune.
pub fn hides_small_counts(role: Role, level: Level) -> bool {
    role == Role::Supervisor && level == Level::Commune
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_hidden_from_supervisors_in_communes_only() {
        assert!(!is_small_count(0.0) && is_small_count(1.0) && is_small_count(4.0) && !is_small_count(5.0));
        assert!(hides_small_counts(Role::Supervisor, Level::Commune));
        assert!(!hides_small_counts(Role::Supervisor, Level::District));
        assert!(!hides_small_counts(Role::Coordinator, Level::Commune));
    }
}
