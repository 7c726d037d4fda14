//! Passwords: argon2id hashes, their check at sign-in (in the same time whether or not the
//! user exists) and a new password ending the sessions.

use super::{USER_COLS, user_of};
use crate::{Actor, Result, Store, StoreError, User};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use ftop_domain::Errors;
use sqlx::Row;

/// Hashes a password with argon2id and a random salt (PHC string). The parameters are the
/// argon2 crate's defaults, recorded in each hash: m = 19,456 KiB (19 MiB of memory per
/// hash or check), t = 2 passes, p = 1 lane. The web layer bounds how many run at once.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Internal(format!("could not hash the password: {e}")))
}

impl Store {
    /// The user whose name and password match, or None. Takes the same time whether or
    /// not the user exists.
    pub async fn verify_password(&self, name: &str, password: &str) -> Result<Option<User>> {
        let q = user_query!(self, "u.name = $1");
        let r = sqlx::query(q)
            .bind(name.trim())
            .fetch_optional(&self.pools.read)
            .await?;
        // A fixed hash stands in for a missing user, so timing does not tell names apart.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| hash_password("no such user").unwrap_or_default());
        let hash: String = match &r {
            Some(r) => r.try_get("password_hash")?,
            None => dummy.clone(),
        };
        let password = password.to_string();
        let dummy = dummy.clone();
        let ok = tokio::task::spawn_blocking(move || {
            let check = |hash: &str| {
                PasswordHash::new(hash).map(|h| {
                    Argon2::default()
                        .verify_password(password.as_bytes(), &h)
                        .is_ok()
                })
            };
            // An account without a password (made by single sign-on) takes as long to
            // refuse as a wrong password.
            check(&hash).unwrap_or_else(|_| {
                let _ = check(&dummy);
                false
            })
        })
        .await
        .unwrap_or(false);
        match r {
            Some(r) if ok => Ok(Some(user_of(&r)?)),
            _ => Ok(None),
        }
    }

    /// Sets a user's password (after [`ftop_domain::password_problems`]) and ends the
    /// user's sessions.
    pub async fn set_password(&self, actor: &Actor, name: &str, password: &str) -> Result<()> {
        let mut e = Errors::default();
        ftop_domain::password_problems(name, password, &mut e);
        e.finish()?;
        let id = self.user_id_any(name).await?;
        let hash = hash_password(password)?;
        let mut tx = self.pools.write.begin().await?;
        sqlx::query(sql!(
            self,
            "UPDATE users SET password_hash = $2 WHERE id = $1"
        ))
        .bind(id)
        .bind(hash)
        .execute(&mut *tx)
        .await?;
        self.end_access_in(&mut tx, id, false).await?;
        self.audit_user(&mut tx, actor, id, "password", None)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
