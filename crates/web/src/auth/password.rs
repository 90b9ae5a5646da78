//! Password hashing (Argon2id with the crate's default cost: 19 MiB, 2 passes)
//! and random tokens.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;

/// A valid hash of no one's password, verified against when a username is unknown.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1vF0mJ1m2cVZ0tq9m0p7y3Xv7nYQ2Q8l0c8q3w1qP5M";

pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// The operating system's random generator failed: nothing that needs a secret is made.
#[derive(Debug, thiserror::Error)]
#[error("bộ sinh số ngẫu nhiên của hệ điều hành không dùng được (the operating system's random generator failed): {0}")]
pub struct NoRandomness(pub(crate) String);

/// 32 random bytes, URL-safe base64: session tokens, CSRF tokens, generated passwords.
/// Fails closed: without the operating system's generator there is no token
/// (a guessable one, derived from the clock, would be worse than none).
pub fn random_token() -> Result<String, NoRandomness> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| NoRandomness(e.to_string()))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash_password("mật khẩu đúng").unwrap();
        let b = hash_password("mật khẩu đúng").unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("mật khẩu đúng", &a));
        assert!(!verify_password("mật khẩu sai", &a));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(random_token().unwrap(), random_token().unwrap());
        assert_eq!(random_token().unwrap().len(), 43);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok(), "the dummy hash parses, so unknown names cost a full verification");
    }
}
