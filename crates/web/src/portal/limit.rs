//! How often one address may send tips or try codes, without keeping the
//! address: each is counted under a keyed hash whose key is drawn at random each
//! day and kept only in memory, so that yesterday's counts cannot be tied to
//! anyone and nothing about the sender reaches the database or the log.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::Mutex;

/// What is counted, with how many are allowed in the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A tip sent: 5 an hour.
    Send,
    /// A code that matched nothing: 10 an hour.
    WrongCode,
}

impl Action {
    fn limit(self) -> usize {
        match self {
            Action::Send => 5,
            Action::WrongCode => 10,
        }
    }
}

const WINDOW_SECS: i64 = 3600;

#[derive(Default)]
pub struct Limiter {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    day: i64,
    key: [u8; 32],
    seen: HashMap<([u8; 16], Action), Vec<i64>>,
}

impl Limiter {
    /// Whether `who` (an address, or "" when the server does not know it) may do
    /// `action` now (`now` in seconds); when it may, the time is counted.
    pub fn allow(&self, who: &str, action: Action, now: i64) -> bool {
        self.count(who, action, now, true)
    }

    /// Whether `who` has used up `action` for now, counting nothing (a lookup is
    /// tried, and counted only when its code turns out wrong).
    pub fn exhausted(&self, who: &str, action: Action, now: i64) -> bool {
        !self.count(who, action, now, false)
    }

    fn count(&self, who: &str, action: Action, now: i64, record: bool) -> bool {
        let Ok(mut inner) = self.inner.lock() else { return false };
        let day = now.div_euclid(86_400);
        if inner.day != day || inner.key == [0; 32] {
            inner.day = day;
            if getrandom::getrandom(&mut inner.key).is_err() {
                return false;
            }
            inner.seen.clear();
        }
        let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(&inner.key) else { return false };
        mac.update(who.as_bytes());
        let mut tag = [0u8; 16];
        for (t, b) in tag.iter_mut().zip(mac.finalize().into_bytes()) {
            *t = b;
        }
        let times = inner.seen.entry((tag, action)).or_default();
        times.retain(|t| now - t < WINDOW_SECS);
        if times.len() >= action.limit() {
            return false;
        }
        if record {
            times.push(now);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_tips_an_hour_from_one_address_and_others_are_not_held_up() {
        let l = Limiter::default();
        let t = 1_800_000_000;
        for i in 0..5 {
            assert!(l.allow("203.0.113.9", Action::Send, t + i), "tip {i}");
        }
        assert!(!l.allow("203.0.113.9", Action::Send, t + 10));
        assert!(l.allow("198.51.100.7", Action::Send, t + 10), "another address");
        // An hour after the first, one more.
        assert!(l.allow("203.0.113.9", Action::Send, t + 3600));
        // The next day begins with a new key and nothing counted.
        assert!(l.allow("203.0.113.9", Action::Send, t + 86_400));
        // Looking counts nothing; only what is recorded does.
        for _ in 0..20 {
            assert!(!l.exhausted("192.0.2.1", Action::WrongCode, t));
        }
        for _ in 0..10 {
            l.allow("192.0.2.1", Action::WrongCode, t);
        }
        assert!(l.exhausted("192.0.2.1", Action::WrongCode, t));
    }
}
