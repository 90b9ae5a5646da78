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
/// supervisors (HĐND delegates, inspectors of the programme) looking at a commune, or at
/// a district, whose total of 1 to 4 is one commune's count whenever the others have none.
pub fn hides_small_counts(role: Role, level: Level) -> bool {
    role == Role::Supervisor && level != Level::Province
}

/// Which items of a breakdown to withhold where small counts are hidden, the
/// items' counts given in order: the small ones, and when exactly one is small,
/// also the smallest other non-zero one (secondary suppression), so that the
/// total shown minus the items shown cannot give the withheld one back.
pub fn withheld_items(counts: &[f64]) -> Vec<bool> {
    let mut hide: Vec<bool> = counts.iter().map(|c| is_small_count(*c)).collect();
    if hide.iter().filter(|h| **h).count() == 1 {
        let second = counts
            .iter()
            .enumerate()
            .filter(|(i, c)| **c > 0.0 && !hide.get(*i).copied().unwrap_or(true))
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        if let Some(slot) = second.and_then(|i| hide.get_mut(i)) {
            *slot = true;
        }
    }
    hide
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_small_item_takes_the_next_smallest_with_it() {
        // 12 hotels, 8 guesthouses, 3 karaoke bars: 3 is small, and 23 − 12 − 8 would give it back: 8 goes too.
        assert_eq!(withheld_items(&[12.0, 8.0, 3.0]), vec![false, true, true]);
        // Two small items: their sum alone can be worked out, neither of them.
        assert_eq!(withheld_items(&[12.0, 2.0, 3.0]), vec![false, true, true]);
        // None small: all shown; zeros are never withheld nor taken as the second.
        assert_eq!(withheld_items(&[12.0, 0.0, 7.0]), vec![false, false, false]);
        assert_eq!(withheld_items(&[0.0, 4.0, 9.0]), vec![false, true, true]);
        // One item alone: withheld if small, nothing else to take.
        assert_eq!(withheld_items(&[4.0]), vec![true]);
    }

    #[test]
    fn small_counts_are_hidden_from_supervisors_below_the_province() {
        assert!(!is_small_count(0.0) && is_small_count(1.0) && is_small_count(4.0) && !is_small_count(5.0));
        assert!(hides_small_counts(Role::Supervisor, Level::Commune));
        assert!(hides_small_counts(Role::Supervisor, Level::District), "a district's 2 may be one commune's 2");
        assert!(!hides_small_counts(Role::Supervisor, Level::Province));
        assert!(!hides_small_counts(Role::Coordinator, Level::Commune));
    }
}
