//! The receipt code a citizen keeps for a tip: 20 characters in five groups of
//! four, from an alphabet without letters that are misread aloud (Crockford's
//! base 32: no I, L, O or U). The first group finds the tip (stored in clear);
//! the other four (80 random bits) are its secret, stored only as an Argon2 hash.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh code: its locator and secret, and the whole as shown ("7K3M-Q9XR-…").
pub struct Code {
    pub locator: String,
    pub secret: String,
}

impl Code {
    pub fn shown(&self) -> String {
        let all = format!("{}{}", self.locator, self.secret);
        all.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join("-")
    }
}

fn random_chars(n: usize) -> Result<String, getrandom::Error> {
    let mut bytes = vec![0u8; n];
    getrandom::getrandom(&mut bytes)?;
    // 256 is a multiple of 32: each byte's low five bits are uniform.
    Ok(bytes.iter().filter_map(|b| ALPHABET.get(usize::from(b & 31)).copied().map(char::from)).collect())
}

pub fn fresh() -> Result<Code, getrandom::Error> {
    Ok(Code { locator: random_chars(4)?, secret: random_chars(16)? })
}

/// A code as typed: spaces and dashes dropped, lower case raised, and the letters
/// people confuse read as the alphabet's (O → 0, I and L → 1, U → V). `None` if it
/// cannot be a code.
pub fn read(typed: &str) -> Option<Code> {
    let clean: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            'U' => 'V',
            c => c,
        })
        .collect();
    if clean.len() != 20 || !clean.bytes().all(|b| ALPHABET.contains(&b)) {
        return None;
    }
    let (locator, secret) = clean.split_at(4);
    Some(Code { locator: locator.to_string(), secret: secret.to_string() })
}

pub fn hash(secret: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| e.to_string())?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default().hash_password(secret.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| e.to_string())
}

pub fn matches(secret: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_as_typed_aloud_and_only_its_hash_is_kept() {
        let c = fresh().unwrap();
        let shown = c.shown();
        assert_eq!(shown.len(), 24, "five groups of four and four dashes: {shown}");
        let back = read(&shown.to_lowercase().replace('-', " ")).unwrap();
        assert_eq!((back.locator.as_str(), back.secret.as_str()), (c.locator.as_str(), c.secret.as_str()));
        // O for 0, I and L for 1, U for V.
        let typed = read("0I1L-UV00-0000-0000-0000").unwrap();
        assert_eq!(typed.locator, "0111");
        assert!(typed.secret.starts_with("VV00"));
        assert!(read("too short").is_none() && read("ABCD-EFGH-JKMN-PQRS-TVW*").is_none());
        let h = hash(&c.secret).unwrap();
        assert!(!h.contains(&c.secret) && matches(&c.secret, &h) && !matches("0000000000000000", &h));
    }
}
