//! Administering accounts from the browser (quản trị tài khoản): the list,
//! a role or unit changed, an account disabled or enabled, one-time links to
//! set a password, a password changed, sessions listed and revoked. Every
//! change is audited with who made it.

use crate::accounts::{user_from, UserRecord, USER_COLUMNS};
use crate::audit::{append, AuditEntry};
use crate::{Store, StoreError};
use pcmd_domain::roles::Role;
use serde::Serialize;
use sqlx::Row;

/// An account as the administration page lists it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub agency_code: Option<String>,
    pub active: bool,
    pub totp: bool,
    pub email: Option<String>,
    pub sessions: i64,
}

/// A session as its owner or an administrator sees it: never its token.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SessionView {
    /// The first characters of the token's hash: enough to name it, useless to use it.
    pub id: String,
    pub created_at: String,
    pub expires_at: String,
}

fn audit<'a>(actor: &'a str, action: &'a str, subject: &'a str, detail: &'a str) -> AuditEntry<'a> {
    AuditEntry { actor, action, subject, detail }
}

fn no_account(id: i64) -> StoreError {
    StoreError::not_found(format!("không có tài khoản #{id}"), format!("no account #{id}"))
}

impl Store {
    /// Every account, or those whose home unit is among `units`, by username.
    pub async fn accounts(&self, units: Option<&[i64]>, now: &str) -> Result<Vec<AccountView>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.username, a.display_name, a.role, a.unit_id, un.code, un.name, ag.code, a.active, \
             CASE WHEN a.totp_secret IS NULL THEN 0 ELSE 1 END, a.email, \
             (SELECT COUNT(*) FROM app_session s WHERE s.user_id = a.id AND s.expires_at > $1) \
             FROM app_user a JOIN unit un ON un.id = a.unit_id LEFT JOIN agency ag ON ag.id = a.agency_id ORDER BY a.username",
        )
        .bind(now.to_string())
        .fetch_all(self.pool())
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let unit_id: i64 = r.try_get(4)?;
            if units.is_some_and(|u| !u.contains(&unit_id)) {
                continue;
            }
            let role: String = r.try_get(3)?;
            out.push(AccountView {
                id: r.try_get(0)?,
                username: r.try_get(1)?,
                display_name: r.try_get(2)?,
                role: role.parse().map_err(|_| StoreError::corrupt(format!("vai trò «{role}»"), format!("role «{role}»")))?,
                unit_id,
                unit_code: r.try_get(5)?,
                unit_name: r.try_get(6)?,
                agency_code: r.try_get(7)?,
                active: r.try_get::<i64, _>(8)? == 1,
                totp: r.try_get::<i64, _>(9)? == 1,
                email: r.try_get(10)?,
                sessions: r.try_get(11)?,
            });
        }
        Ok(out)
    }

    /// The id of the agency with this code, if any.
    pub async fn agency_id_of(&self, code: &str) -> Result<Option<i64>, StoreError> {
        let row = sqlx::query("SELECT id FROM agency WHERE code = $1").bind(code.to_string()).fetch_optional(self.pool()).await?;
        row.map(|r| r.try_get(0)).transpose().map_err(StoreError::from)
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM app_user u WHERE u.id = $1")).bind(id).fetch_optional(self.pool()).await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Changes an account's role, home unit and agency (audited with the old and new values).
    pub async fn change_account(&self, id: i64, role: Role, unit_id: i64, agency_id: Option<i64>, actor: &str) -> Result<(), StoreError> {
        let old = self.user_by_id(id).await?.ok_or_else(|| no_account(id))?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE app_user SET role = $2, unit_id = $3, agency_id = $4, version = version + 1 WHERE id = $1")
            .bind(id)
            .bind(role.as_str().to_string())
            .bind(unit_id)
            .bind(agency_id)
            .execute(&mut *tx)
            .await?;
        // A change of rights takes effect now: the account signs in again, and its
        // API tokens go (a token made for an officer must not read as a caseworker
        // without the caseworker's second factor).
        sqlx::query("DELETE FROM app_session WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
        let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
        let detail = format!(
            "role {} → {}, unit #{} → #{}, agency {:?} → {:?}; {tokens} API token(s) revoked",
            old.role.as_str(),
            role.as_str(),
            old.unit_id,
            unit_id,
            old.agency_id,
            agency_id
        );
        append(&mut tx, &audit(actor, "user_change", &format!("app_user:{}", old.username), &detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Enables or disables an account; disabling ends its sessions.
    pub async fn set_account_active(&self, id: i64, active: bool, actor: &str) -> Result<(), StoreError> {
        let old = self.user_by_id(id).await?.ok_or_else(|| no_account(id))?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE app_user SET active = $2, version = version + 1 WHERE id = $1")
            .bind(id)
            .bind(i64::from(active))
            .execute(&mut *tx)
            .await?;
        // Disabling ends the sessions and revokes the API tokens: enabling the
        // account again does not bring back a token that may have leaked.
        let mut detail = String::new();
        if !active {
            sqlx::query("DELETE FROM app_session WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = $1").bind(id).execute(&mut *tx).await?.rows_affected();
            detail = format!("{tokens} API token(s) revoked");
        }
        let action = if active { "user_enable" } else { "user_disable" };
        append(&mut tx, &audit(actor, action, &format!("app_user:{}", old.username), &detail)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a one-time link (its token's hash) to set the account's password.
    pub async fn create_password_link(
        &self,
        user_id: i64,
        token_hash: &str,
        purpose: &str,
        actor: &str,
        now: &str,
        expires_at: &str,
    ) -> Result<(), StoreError> {
        let user = self.user_by_id(user_id).await?.ok_or_else(|| no_account(user_id))?;
        let mut tx = self.begin().await?;
        // A new link replaces any earlier one not yet used.
        sqlx::query("UPDATE password_link SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO password_link (token_hash, user_id, purpose, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(token_hash.to_string())
            .bind(user_id)
            .bind(purpose.to_string())
            .bind(actor.to_string())
            .bind(now.to_string())
            .bind(expires_at.to_string())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, &audit(actor, "password_link", &format!("app_user:{}", user.username), purpose)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The account a link may still set the password of.
    pub async fn password_link_user(&self, token_hash: &str, now: &str) -> Result<Option<UserRecord>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM password_link l JOIN app_user u ON u.id = l.user_id \
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND u.active = 1"
        ))
        .bind(token_hash.to_string())
        .bind(now.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(user_from).transpose()
    }

    /// Sets a password through a link, once: the link is spent and every session ends.
    pub async fn use_password_link(&self, token_hash: &str, password_hash: &str, now: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT l.user_id, u.username, l.created_by FROM password_link l JOIN app_user u ON u.id = l.user_id \
             WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND u.active = 1",
        )
        .bind(token_hash.to_string())
        .bind(now.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let (user_id, username, created_by): (i64, String, String) = (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        // Spent by exactly one request: a second at the same time finds it used.
        let spent = sqlx::query("UPDATE password_link SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL")
            .bind(token_hash.to_string())
            .bind(now.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if spent != 1 {
            return Ok(false);
        }
        sqlx::query("UPDATE app_user SET password_hash = $2, version = version + 1 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM app_session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        // A reset recovers an account that may have been taken: its API tokens stop too (new ones are made on the server).
        let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?.rows_affected();
        let detail = format!("one-time link made by {created_by}; {tokens} API token(s) revoked");
        append(&mut tx, &audit(&username, "password_set", &format!("app_user:{username}"), &detail)).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Changes one's own password; the other sessions end, this one (`keep`) stays.
    pub async fn change_password(&self, user_id: i64, password_hash: &str, keep: &str) -> Result<(), StoreError> {
        let user = self.user_by_id(user_id).await?.ok_or_else(|| no_account(user_id))?;
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE app_user SET password_hash = $2, version = version + 1 WHERE id = $1")
            .bind(user_id)
            .bind(password_hash.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM app_session WHERE user_id = $1 AND token_hash <> $2").bind(user_id).bind(keep.to_string()).execute(&mut *tx).await?;
        // A new password is often chosen because the old one leaked: the API tokens go with it.
        let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?.rows_affected();
        // A reset link not yet used stops working: the owner has chosen a password.
        sqlx::query("UPDATE password_link SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL")
            .bind(user_id)
            .bind(chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .execute(&mut *tx)
            .await?;
        append(&mut tx, &audit(&user.username, "password_change", &format!("app_user:{}", user.username), &format!("{tokens} API token(s) revoked")))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Turns on two-factor sign-in with a sealed secret, only if none is set
    /// (two enrolments at once cannot replace one another). Audited.
    pub async fn enrol_totp_once(&self, user_id: i64, sealed_hex: &str, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE app_user SET totp_secret = $2, version = version + 1 WHERE id = $1 AND totp_secret IS NULL")
            .bind(user_id)
            .bind(sealed_hex.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Ok(false);
        }
        append(&mut tx, &audit(actor, "enrol_totp", &format!("app_user#{user_id}"), "browser")).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An account's sessions still valid, newest first.
    pub async fn sessions_of(&self, user_id: i64, now: &str) -> Result<Vec<SessionView>, StoreError> {
        let rows =
            sqlx::query("SELECT token_hash, created_at, expires_at FROM app_session WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC")
                .bind(user_id)
                .bind(now.to_string())
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                let hash: String = r.try_get(0)?;
                Ok(SessionView { id: hash.chars().take(12).collect(), created_at: r.try_get(1)?, expires_at: r.try_get(2)? })
            })
            .collect()
    }

    /// Ends the account's session named by `id` (a hash prefix), or all of them
    /// and its API tokens with `None`.
    pub async fn revoke_sessions(&self, user_id: i64, id: Option<&str>, actor: &str) -> Result<u64, StoreError> {
        let user = self.user_by_id(user_id).await?.ok_or_else(|| no_account(user_id))?;
        let mut tx = self.begin().await?;
        let n = match id {
            Some(prefix) if prefix.len() >= 12 && prefix.chars().all(|c| c.is_ascii_hexdigit()) => {
                sqlx::query("DELETE FROM app_session WHERE user_id = $1 AND token_hash LIKE $2")
                    .bind(user_id)
                    .bind(format!("{prefix}%"))
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            Some(_) => 0,
            None => sqlx::query("DELETE FROM app_session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?.rows_affected(),
        };
        // Every session ended (an account feared taken): its API tokens go with them,
        // or a stolen token would go on reading what the sessions no longer can.
        let detail = if id.is_none() {
            let tokens = sqlx::query("DELETE FROM api_token WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?.rows_affected();
            format!("{n}; khóa API thu hồi (API tokens revoked): {tokens}")
        } else {
            n.to_string()
        };
        append(&mut tx, &audit(actor, "session_revoke", &format!("app_user:{}", user.username), &detail)).await?;
        tx.commit().await?;
        Ok(n)
    }
}
