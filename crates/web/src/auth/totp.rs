//! Two-factor sign-in with time-based one-time passwords (TOTP, RFC 6238:
//! HMAC-SHA1, 30-second steps, 6 digits), as authenticator apps compute them.
//! Required for caseworkers, the only role that sees who a person is.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use sha1::Sha1;

const STEP: i64 = 30;
const DIGITS: u32 = 6;

/// A new random secret, in the base32 that authenticator apps take.
/// Fails closed, as `random_token` does.
pub fn new_secret() -> Result<String, super::NoRandomness> {
    let mut bytes = [0u8; 20];
    getrandom::getrandom(&mut bytes).map_err(|e| super::NoRandomness(e.to_string()))?;
    Ok(BASE32_NOPAD.encode(&bytes))
}

/// The `otpauth://` address an authenticator app scans or takes pasted.
pub fn otpauth_uri(username: &str, secret: &str) -> String {
    format!("otpauth://totp/pcmd:{username}?secret={secret}&issuer=pcmd&digits={DIGITS}&period={STEP}")
}

fn hotp(key: &[u8], counter: u64, digits: u32) -> Option<u32> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = (h.last()? & 0x0f) as usize;
    let b: [u8; 4] = h.get(offset..offset + 4)?.try_into().ok()?;
    let bin = u32::from_be_bytes(b) & 0x7fff_ffff;
    Some(bin % 10u32.pow(digits))
}

/// The code for a base32 secret at a Unix time.
pub fn code_at(secret: &str, unix: i64) -> Option<String> {
    let key = BASE32_NOPAD.decode(secret.trim().to_uppercase().as_bytes()).ok()?;
    let counter = u64::try_from(unix.div_euclid(STEP)).ok()?;
    hotp(&key, counter, DIGITS).map(|c| format!("{c:06}"))
}

/// Whether `code` is right now, or one step before or after (clock drift).
pub fn verify(secret: &str, code: &str, unix: i64) -> bool {
    matching_step(secret, code, unix).is_some()
}

/// The time step whose code `code` is (now, one before or one after), so that
/// the caller can refuse a step used already.
pub fn matching_step(secret: &str, code: &str, unix: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize {
        return None;
    }
    [-STEP, 0, STEP].iter().map(|d| unix + d).find(|t| code_at(secret, *t).is_some_and(|c| c == code)).map(|t| t.div_euclid(STEP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vectors() {
        // RFC 6238 appendix B, SHA1, secret "12345678901234567890": 94287082 at T = 59,
        // 07081804 at 1111111109, 14050471 at 1111111111 (8 digits; we keep the last 6).
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(code_at(&secret, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(&secret, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(&secret, 1_111_111_111).as_deref(), Some("050471"));
        assert!(verify(&secret, "287082", 59 + 30), "one step of drift is allowed");
        assert!(!verify(&secret, "287082", 59 + 90));
        assert!(!verify(&secret, "28708", 59));
        assert!(new_secret().unwrap().len() >= 32);
    }
}
