use std::fmt;

/// What went wrong in the store, in the user's terms where the user can act.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL names no backend pcmd has.
    #[error("địa chỉ cơ sở dữ liệu «{0}» không được hỗ trợ: dùng sqlite://TỆP hoặc postgres://… (unsupported database URL «{0}»: use sqlite://FILE or postgres://…)")]
    UnsupportedUrl(Redacted),
    #[error("không kết nối được cơ sở dữ liệu {url}: {source} (cannot connect to the database)")]
    Connect { url: Redacted, source: sqlx::Error },
    #[error("không cập nhật được cấu trúc cơ sở dữ liệu: {0} (migration failed)")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Something the caller asked for is refused; the message says why, in both languages.
    #[error("{vi} ({en})")]
    Refused { vi: String, en: String },
    #[error("lỗi cơ sở dữ liệu: {0} (database error)")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub fn refused(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Refused { vi: vi.into(), en: en.into() }
    }
}

/// A database URL with any password hidden, for messages and logs.
#[derive(Debug, Clone)]
pub struct Redacted(pub String);

impl fmt::Display for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.0;
        match (url.find("://"), url.rfind('@')) {
            (Some(s), Some(at)) if at > s => {
                let creds = url.get(s + 3..at).unwrap_or("");
                match creds.find(':') {
                    Some(c) => write!(f, "{}{}:***{}", url.get(..s + 3).unwrap_or(""), creds.get(..c).unwrap_or(""), url.get(at..).unwrap_or("")),
                    None => f.write_str(url),
                }
            }
            _ => f.write_str(url),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Redacted;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(Redacted("postgres://pcmd:secret@db:5432/pcmd".into()).to_string(), "postgres://pcmd:***@db:5432/pcmd");
        assert_eq!(Redacted("postgres://db/pcmd".into()).to_string(), "postgres://db/pcmd");
        assert_eq!(Redacted("sqlite://pcmd.db".into()).to_string(), "sqlite://pcmd.db");
    }
}
