use pcmd_domain::Msg;
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
    /// A rule of the programme refuses what was asked; the message says which.
    #[error("{0}")]
    Refused(Msg),
    /// What was asked for does not exist (a plan, a report, a record).
    #[error("{0}")]
    NotFound(Msg),
    /// It clashes with what is stored: someone saved in between (a stale
    /// version), or the same thing exists already.
    #[error("{0}")]
    Conflict(Msg),
    /// An accepted report locks the unit's data of that period.
    #[error("{0}")]
    Locked(Msg),
    /// A value given is wrong; `field` names it, so a form shows the message beside it.
    #[error("{msg}")]
    Invalid { field: Option<String>, msg: Msg },
    /// Stored data cannot be read as what it should be (a malformed stored date,
    /// an unknown role, a sealed value that does not open): a fault to log, not
    /// something the user can fix.
    #[error("dữ liệu lưu trữ hỏng: {0}")]
    Corrupt(Msg),
    #[error("lỗi cơ sở dữ liệu: {0} (database error)")]
    Database(#[from] sqlx::Error),
}

impl StoreError {
    pub fn refused(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Refused(Msg::new(vi, en))
    }

    pub fn not_found(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::NotFound(Msg::new(vi, en))
    }

    pub fn conflict(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Conflict(Msg::new(vi, en))
    }

    pub fn locked(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Locked(Msg::new(vi, en))
    }

    pub fn invalid(field: Option<&str>, vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Invalid { field: field.map(str::to_string), msg: Msg::new(vi, en) }
    }

    pub fn corrupt(vi: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Corrupt(Msg::new(vi, en))
    }

    /// The message for the person who asked, when the error is theirs to act on
    /// (not for faults of the system: those are logged and reported as such).
    pub fn user_message(&self) -> Option<&Msg> {
        match self {
            StoreError::Refused(m) | StoreError::NotFound(m) | StoreError::Conflict(m) | StoreError::Locked(m) => Some(m),
            StoreError::Invalid { msg, .. } => Some(msg),
            _ => None,
        }
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
