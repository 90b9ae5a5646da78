//! What e-mail reminders need from the store: accounts' addresses, and which
//! digests went out (one a day at most for each account).

use crate::accounts::UserRecord;
use crate::audit::{append, AuditEntry};
use crate::{Store, StoreError};
use sqlx::Row;

impl Store {
    /// Sets (or with `None` clears) an account's e-mail address for reminders; audited.
    pub async fn set_user_email(&self, username: &str, email: Option<&str>, actor: &str) -> Result<(), StoreError> {
        let email = email.map(str::trim).filter(|e| !e.is_empty());
        if let Some(e) = email {
            let plausible = e.split_once('@').is_some_and(|(a, b)| {
                !a.is_empty() && b.contains('.') && !e.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';'))
            });
            if !plausible {
                return Err(StoreError::refused(format!("địa chỉ thư «{e}» không hợp lệ"), format!("«{e}» is not an e-mail address")));
            }
        }
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE app_user SET email = $1 WHERE username = $2").bind(email).bind(username).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Err(StoreError::refused(format!("không có tài khoản «{username}»"), format!("no account «{username}»")));
        }
        append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "user_email",
                subject: &format!("user:{username}"),
                detail: if email.is_some() { "set" } else { "cleared" },
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Active accounts with an address, and the address.
    pub async fn users_with_email(&self) -> Result<Vec<(UserRecord, String)>, StoreError> {
        use crate::accounts::{user_from, USER_COLUMNS};
        // The address comes after the user's own columns.
        let at = USER_COLUMNS.split(',').count();
        let sql = format!("SELECT {USER_COLUMNS}, u.email FROM app_user u WHERE u.active = 1 AND u.email IS NOT NULL ORDER BY u.username");
        sqlx::query(&sql).fetch_all(self.pool()).await?.iter().map(|r| Ok((user_from(r)?, r.try_get(at)?))).collect()
    }

    /// Whether `user_id`'s digest of `day` went out.
    pub async fn reminder_sent(&self, user_id: i64, day: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query("SELECT 1 FROM reminder_sent WHERE user_id = $1 AND day = $2")
            .bind(user_id)
            .bind(day)
            .fetch_optional(self.pool())
            .await?
            .is_some())
    }

    /// Notes that `user_id`'s digest of `day` went out (after the mail server took it).
    pub async fn mark_reminder_sent(&self, user_id: i64, day: &str, lines: i64, at: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO reminder_sent (user_id, day, lines, sent_at) VALUES ($1, $2, $3, $4)")
            .bind(user_id)
            .bind(day)
            .bind(lines)
            .bind(at)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
