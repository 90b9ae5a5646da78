//! Maps and sets keyed by unit id. Ids are integers given by the database, not
//! chosen by a client, so a multiplicative hash (as rustc's own `FxHash`) is
//! enough; the standard SipHash, made to resist chosen keys, cost more than
//! the rest of an evaluation's lookups together.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher for integer keys: one rotate, xor and multiply per word.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

const K: u64 = 0x517c_c1b7_2722_0a95;

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        // The product's high bits are the well mixed ones; the table picks buckets by the low ones.
        self.0.rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(K);
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

pub type IdMap<V> = HashMap<i64, V, BuildHasherDefault<IdHasher>>;
pub type IdSet = HashSet<i64, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hash_apart_and_find_their_values() {
        let mut m: IdMap<i64> = IdMap::default();
        for id in 0..10_000 {
            m.insert(id * 3, id);
        }
        assert_eq!(m.len(), 10_000);
        assert_eq!(m.get(&2_997), Some(&999));
        assert_eq!(m.get(&2_998), None);
        let set: IdSet = [5, -1, 5].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains(&-1));
    }
}
