//! Accounts, sessions and failed logins. Passwords arrive hashed; session
//! tokens arrive hashed: the store never holds a secret in the clear.

use crate::{Store, StoreError};
use pcmd_domain::roles::Role;
use sqlx::any::AnyRow;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub agency_id: Option<i64>,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub active: bool,
}

pub(crate) const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.unit_id, u.agency_id, u.password_hash, u.totp_secret, u.active";

pub(crate) fn user_from(r: &AnyRow) -> Result<UserRecord, StoreError> {
    Ok(UserRecord {
        id: r.try_get(0)?,
        username: r.try_get(1)?,
        display_name: r.try_get(2)?,
        role: {
            let text: String = r.try_get(3)?;
            text.parse().map_err(|_| {
                StoreError::corrupt(format!("vai trò không hợp lệ trong cơ sở dữ liệu: «{text}»"), format!("invalid role in the database: «{text}»"))
            })?
        },
        unit_id: r.try_get(4)?,
        agency_id: r.try_get(5)?,
        password_hash: r.try_get(6)?,
        totp_secret: r.try_get(7)?,
        active: r.try_get::<i64, _>(8)? == 1,
    })
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub unit_id: i64,
    pub agency_id: Option<i64>,
    pub password_hash: &'a str,
    pub created_at: &'a str,
}

impl Store {
    /// Disables an account at once (a departure, a suspected breach): its
    /// sessions and tokens stop working, since both require an active user. Audited.
    pub async fn disable_user(&self, username: &str, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let res = sqlx::query("UPDATE app_user SET active = 0, version = version + 1 WHERE username = $1").bind(username).execute(&mut *tx).await?;
        if res.rows_affected() == 0 {
            return Err(StoreError::not_found(format!("không có tài khoản «{username}»"), format!("no account «{username}»")));
        }
        // Ended and revoked, not only suspended: enabling the account again brings back no session and no token.
        sqlx::query("DELETE FROM app_session WHERE user_id = (SELECT id FROM app_user WHERE username = $1)").bind(username).execute(&mut *tx).await?;
        let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = (SELECT id FROM app_user WHERE username = $1)")
            .bind(username)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let detail = format!("{tokens} API token(s) revoked");
        crate::audit::append(
            &mut tx,
            &crate::audit::AuditEntry { actor, action: "user_disable", subject: &format!("app_user:{username}"), detail: &detail },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_user(&self, u: &NewUser<'_>) -> Result<i64, StoreError> {
        self.create_user_as(u, "pcmd user").await
    }

    /// Creates an account; the audit entry names who created it.
    pub async fn create_user_as(&self, u: &NewUser<'_>, actor: &str) -> Result<i64, StoreError> {
        if self.user_by_username(u.username).await?.is_some() {
            return Err(StoreError::conflict(format!("tên đăng nhập «{}» đã có", u.username), format!("the username «{}» is taken", u.username)));
        }
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "INSERT INTO app_user (username, display_name, role, unit_id, agency_id, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(u.username.to_string())
        .bind(u.display_name.to_string())
        .bind(u.role.as_str().to_string())
        .bind(u.unit_id)
        .bind(u.agency_id)
        .bind(u.password_hash.to_string())
        .bind(u.created_at.to_string())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        let detail = format!("role {}", u.role.as_str());
        crate::audit::append(
            &mut tx,
            &crate::audit::AuditEntry { actor, action: "create_user", subject: &format!("app_user#{id}"), detail: &detail },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM app_user u WHERE u.username = $1"))
            .bind(username.to_string())
            .fetch_optional(self.pool())
            .await?;
        row.as_ref().map(user_from).transpose()
    }

    pub async fn user_count(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) FROM app_user").fetch_one(self.pool()).await?.try_get(0)?)
    }

    pub async fn create_session(&self, token_hash: &str, user_id: i64, csrf: &str, now: &str, expires_at: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO app_session (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash.to_string())
            .bind(user_id)
            .bind(csrf.to_string())
            .bind(now.to_string())
            .bind(expires_at.to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// The active user of a session that has not expired at `now`, with the session's CSRF
    /// token and the data version read in the same statement (`data_version`): a page that
    /// needs both asks the database once.
    pub async fn session_user_at(&self, token_hash: &str, now: &str) -> Result<Option<(UserRecord, String, i64)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, (SELECT last_id FROM audit_head WHERE id = 1) FROM app_session s JOIN app_user u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1"
        ))
        .bind(token_hash.to_string())
        .bind(now.to_string())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((user_from(&r)?, r.try_get(9)?, r.try_get(10)?))),
            None => Ok(None),
        }
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM app_session WHERE token_hash = $1").bind(token_hash.to_string()).execute(self.pool()).await?;
        Ok(())
    }

    /// Sets an account's TOTP secret (sealed by the caller).
    pub async fn set_totp_secret(&self, user_id: i64, sealed_hex: &str) -> Result<(), StoreError> {
        self.set_totp_secret_as(user_id, sealed_hex, "pcmd user").await
    }

    /// Sets an account's TOTP secret; the audit entry names who did it.
    pub async fn set_totp_secret_as(&self, user_id: i64, sealed_hex: &str, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE app_user SET totp_secret = $2, version = version + 1 WHERE id = $1")
            .bind(user_id)
            .bind(sealed_hex.to_string())
            .execute(&mut *tx)
            .await?;
        crate::audit::append(&mut tx, &crate::audit::AuditEntry { actor, action: "enrol_totp", subject: &format!("app_user#{user_id}"), detail: "" })
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a personal access token (its hash) for a user.
    pub async fn create_api_token(&self, token_hash: &str, user_id: i64, name: &str, now: &str, expires_at: &str) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO api_token (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash.to_string())
            .bind(user_id)
            .bind(name.to_string())
            .bind(now.to_string())
            .bind(expires_at.to_string())
            .execute(&mut *tx)
            .await?;
        crate::audit::append(
            &mut tx,
            &crate::audit::AuditEntry { actor: "pcmd token", action: "create_token", subject: &format!("app_user#{user_id}"), detail: name },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The active user of a token that has not expired at `now`.
    pub async fn token_user(&self, token_hash: &str, now: &str) -> Result<Option<UserRecord>, StoreError> {
        Ok(self.token_user_at(token_hash, now).await?.map(|(user, _)| user))
    }

    /// The same with the data version read in the same statement (as `session_user_at`).
    pub async fn token_user_at(&self, token_hash: &str, now: &str) -> Result<Option<(UserRecord, i64)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS}, (SELECT last_id FROM audit_head WHERE id = 1) FROM api_token t JOIN app_user u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.active = 1"
        ))
        .bind(token_hash.to_string())
        .bind(now.to_string())
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((user_from(&r)?, r.try_get(9)?))),
            None => Ok(None),
        }
    }

    /// Notes a failed sign-in of `username` from `client` (an address; empty when unknown).
    pub async fn record_login_failure(&self, username: &str, client: &str, at: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failure (username, client, failed_at) VALUES ($1, $2, $3)")
            .bind(username.to_string())
            .bind(client.to_string())
            .bind(at.to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Failed sign-ins of `username` since `since`: from `client`, and from anywhere.
    pub async fn login_failures_since(&self, username: &str, client: &str, since: &str) -> Result<(i64, i64), StoreError> {
        let r = sqlx::query(
            "SELECT COALESCE(SUM(CASE WHEN client = $2 THEN 1 ELSE 0 END), 0), COUNT(*) FROM login_failure WHERE username = $1 AND failed_at >= $3",
        )
        .bind(username.to_string())
        .bind(client.to_string())
        .bind(since.to_string())
        .fetch_one(self.pool())
        .await?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    /// Takes TOTP time step `step` for the account: true the first time, false
    /// if that step or a later one was used already (a code works once).
    pub async fn use_totp_step(&self, user_id: i64, step: i64) -> Result<bool, StoreError> {
        let res = sqlx::query("UPDATE app_user SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)")
            .bind(user_id)
            .bind(step)
            .execute(self.pool())
            .await?;
        Ok(res.rows_affected() == 1)
    }
}
