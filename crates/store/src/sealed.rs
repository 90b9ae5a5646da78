//! Personal data sealed at rest (XChaCha20-Poly1305) under a key kept outside
//! the database, in a key file whose path is a setting. A sealed value is
//! nonce (24 bytes) followed by the ciphertext; the column it belongs to is
//! bound in as associated data, so a value moved to another column does not open.

use crate::StoreError;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::path::Path;

pub struct Sealer {
    cipher: XChaCha20Poly1305,
    /// The audit chain's anchoring key, derived from the same key file.
    audit_key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(key hidden)")
    }
}

fn key_error(path: &Path, why: &str) -> StoreError {
    StoreError::refused(
        format!("không dùng được khóa mã hóa {}: {why}", path.display()),
        format!("the encryption key {} cannot be used: {why}", path.display()),
    )
}

impl Sealer {
    pub fn from_key(key: &[u8; 32]) -> Self {
        // A separate key for the audit chain (HMAC-SHA256 of a label under the
        // file's key), so that no key serves two purposes.
        use hmac::{Hmac, Mac};
        let mut audit_key = [0u8; 32];
        if let Ok(mut m) = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key) {
            m.update(b"pcmd audit chain v1");
            audit_key.copy_from_slice(&m.finalize().into_bytes());
        }
        Sealer { cipher: XChaCha20Poly1305::new(key.into()), audit_key }
    }

    /// The key that anchors the audit chain (see `audit::anchor_with`).
    pub fn audit_key(&self) -> crate::audit::AuditKey {
        self.audit_key
    }

    /// Reads a key file: 32 bytes in base64 on one line.
    pub fn from_file(path: &Path) -> Result<Self, StoreError> {
        let text = std::fs::read_to_string(path).map_err(|e| key_error(path, &e.to_string()))?;
        let bytes = base64::engine::general_purpose::STANDARD.decode(text.trim()).map_err(|_| key_error(path, "not base64"))?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| key_error(path, "not 32 bytes"))?;
        Ok(Sealer::from_key(&key))
    }

    /// Writes a new random key file, readable by its owner only; refuses to overwrite one.
    pub fn create_file(path: &Path) -> Result<(), StoreError> {
        if path.exists() {
            return Err(key_error(path, "exists already"));
        }
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(|e| key_error(path, &e.to_string()))?;
        let text = format!("{}\n", base64::engine::general_purpose::STANDARD.encode(key));
        // Created readable by its owner only from the first byte (never written, then
        // narrowed), and never over an existing file (`create_new`).
        use std::io::Write;
        let mut file = crate::private_file::create_new(path).map_err(|e| key_error(path, &e.to_string()))?;
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(|e| key_error(path, &e.to_string()))?;
        Ok(())
    }

    pub fn seal(&self, column: &str, plaintext: &str) -> Result<Vec<u8>, StoreError> {
        self.seal_bytes(column, plaintext.as_bytes())
    }

    /// Seals bytes (a file sent with a tip) bound to `column`, as `seal` does text.
    pub fn seal_bytes(&self, column: &str, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; 24];
        getrandom::getrandom(&mut nonce).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))?;
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad: column.as_bytes() })
            .map_err(|_| StoreError::refused("không mã hóa được", "encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(out)
    }

    pub fn open(&self, column: &str, sealed: &[u8]) -> Result<String, StoreError> {
        String::from_utf8(self.open_bytes(column, sealed)?).map_err(|_| refused_open())
    }

    /// Opens what `seal_bytes` sealed under the same column.
    pub fn open_bytes(&self, column: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < 24 {
            return Err(refused_open());
        }
        let (nonce, body) = sealed.split_at(24);
        self.cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: column.as_bytes() }).map_err(|_| refused_open())
    }
}

fn refused_open() -> StoreError {
    StoreError::corrupt("không giải mã được: sai khóa hoặc dữ liệu bị sửa", "cannot decrypt: wrong key or altered data")
}

impl crate::Store {
    /// A support case's identity, decrypted for `actor` (a caseworker in scope:
    /// the caller checks), and the read written to the audit log in the same transaction.
    pub async fn read_identity(&self, case_id: i64, sealer: &Sealer, actor: &str) -> Result<Option<pcmd_domain::records::Identity>, StoreError> {
        use sqlx::Row;
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT identity_sealed FROM support_case WHERE id = $1").bind(case_id).fetch_optional(&mut *tx).await?;
        let Some(sealed) = row.map(|r| r.try_get::<Option<Vec<u8>>, _>(0)).transpose()?.flatten() else {
            return Ok(None);
        };
        let json = sealer.open("support_case.identity", &sealed)?;
        let identity = serde_json::from_str(&json).map_err(|e| StoreError::refused(e.to_string(), e.to_string()))?;
        let subject = format!("support_case#{case_id}");
        crate::audit::read_personal(&mut tx, actor, &subject, "identity").await?;
        tx.commit().await?;
        Ok(Some(identity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_open_only_with_the_key_and_the_column() {
        let s = Sealer::from_key(&[7; 32]);
        let sealed = s.seal("support_case.identity", "Nguyễn Thị A").unwrap();
        assert!(!sealed.windows(6).any(|w| w == "Nguyễn".as_bytes()));
        assert_eq!(s.open("support_case.identity", &sealed).unwrap(), "Nguyễn Thị A");
        assert!(s.open("tip.content", &sealed).is_err(), "bound to its column");
        assert!(Sealer::from_key(&[8; 32]).open("support_case.identity", &sealed).is_err(), "another key");
        let mut altered = sealed.clone();
        if let Some(b) = altered.last_mut() {
            *b ^= 1;
        }
        assert!(s.open("support_case.identity", &altered).is_err());
        assert_ne!(s.seal("c", "x").unwrap(), s.seal("c", "x").unwrap(), "a fresh nonce each time");
    }

    #[test]
    fn key_files_are_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pcmd.key");
        Sealer::create_file(&path).unwrap();
        assert!(Sealer::create_file(&path).is_err(), "never overwritten");
        let a = Sealer::from_file(&path).unwrap();
        let sealed = a.seal("c", "bí mật").unwrap();
        assert_eq!(Sealer::from_file(&path).unwrap().open("c", &sealed).unwrap(), "bí mật");
        std::fs::write(&path, "not a key").unwrap();
        assert!(Sealer::from_file(&path).unwrap_err().to_string().contains("base64"));
    }
}
