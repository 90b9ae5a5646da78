//! A small deterministic random source (SplitMix64): the same seed gives the
//! same demo data on every machine and backend.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An integer in [lo, hi].
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            return None;
        }
        items.get(self.range(0, items.len() as i64 - 1) as usize)
    }

    /// Shuffles in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.range(0, i as i64) as usize;
            items.swap(i, j);
        }
    }

    /// Splits `total` into `parts` non-negative shares at random.
    pub fn split(&mut self, total: i64, parts: usize) -> Vec<i64> {
        if parts == 0 {
            return Vec::new();
        }
        let weights: Vec<f64> = (0..parts).map(|_| 0.2 + self.unit()).collect();
        let sum: f64 = weights.iter().sum();
        let mut out: Vec<i64> = weights.iter().map(|w| (total as f64 * w / sum).floor() as i64).collect();
        let short = total - out.iter().sum::<i64>();
        if let Some(first) = out.first_mut() {
            *first += short;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn same_seed_same_numbers_and_splits_add_up() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!((0..5).map(|_| a.next_u64()).collect::<Vec<_>>(), (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
        let parts = a.split(1000, 7);
        assert_eq!(parts.iter().sum::<i64>(), 1000);
        assert!(parts.iter().all(|p| *p >= 0));
        assert!((0..1000).map(|_| a.range(3, 5)).all(|x| (3..=5).contains(&x)));
    }
}
