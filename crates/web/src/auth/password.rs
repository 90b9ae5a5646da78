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

/// 32 random bytes, URL-safe base64: session tokens, CSRF tokens, generated passwords.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The operating system's generator; if it ever failed, a zero token would be
    // rejected by nothing, so fall back to time-derived noise hashed with SHA-256.
    if getrandom::getrandom(&mut bytes).is_err() {
        use sha2::Digest;
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes.copy_from_slice(&sha2::Sha256::digest(nanos.to_le_bytes()));
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
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
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 43);
        assert!(PasswordHash::new(DUMMY_HASH).is_ok(), "the dummy hash parses, so unknown names cost a full verification");
    }
}
