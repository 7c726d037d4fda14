//! Unsubscribing from the digests without signing in: the link carries the user's ID and
//! an HMAC-SHA256 of it under this database's secret for this one purpose, so it can stop
//! that user's digests and do nothing else. `GET /unsubscribe?token=…` asks for a
//! confirmation (a mail scanner following links must not unsubscribe anyone); `POST` (the
//! form, or a mail client's one-click request per RFC 8058) unsubscribes.

use crate::error::AppError;
use crate::extract::Query;
use crate::i18n::Lang;
use crate::pages::layout::{bare, flash};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use maud::html;
use serde::Deserialize;
use sha2::Sha256;

/// The secret's purpose (`server_secrets.purpose`) and the MAC's domain.
pub(crate) const PURPOSE: &str = "digest-unsubscribe";

fn mac(secret: &str, user_id: i64) -> Hmac<Sha256> {
    #[allow(clippy::expect_used)]
    let mut m = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    m.update(format!("{PURPOSE}:{user_id}").as_bytes());
    m
}

/// The token of `user_id`'s unsubscribe link: `ID.HEX`.
pub(crate) fn token(secret: &str, user_id: i64) -> String {
    let tag = mac(secret, user_id).finalize().into_bytes();
    let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
    format!("{user_id}.{hex}")
}

/// The user a token was made for, if it is genuine (compared in constant time).
pub(crate) fn verify(secret: &str, token: &str) -> Option<i64> {
    let (id, hex) = token.trim().split_once('.')?;
    let id: i64 = id.parse().ok()?;
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
        .collect::<Result<_, _>>()
        .ok()?;
    mac(secret, id).verify_slice(&bytes).ok().map(|()| id)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TokenQuery {
    token: Option<String>,
}

async fn user_of(state: &crate::App, q: &TokenQuery) -> Result<Option<i64>, AppError> {
    let secret = state.store.server_secret(PURPOSE).await?;
    Ok(q.token.as_deref().and_then(|t| verify(&secret, t)))
}

fn invalid(lang: Lang) -> Response {
    let body = html! {
        main.signin {
            h1 { (lang.t("unsubscribe-title")) }
            (flash("error", lang.t("unsubscribe-invalid")))
        }
    };
    (
        StatusCode::NOT_FOUND,
        bare(lang, lang.t("unsubscribe-title"), body),
    )
        .into_response()
}

/// `GET /unsubscribe?token=…`: the confirmation form.
pub(crate) async fn confirm(
    state: crate::State,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::of(&headers);
    if user_of(&state, &q).await?.is_none() {
        return Ok(invalid(lang));
    }
    let token = q.token.unwrap_or_default();
    let body = html! {
        main.signin {
            h1 { (lang.t("unsubscribe-title")) }
            p { (lang.t("unsubscribe-confirm")) }
            form method="post" action={ "/unsubscribe?token=" (token) } {
                button type="submit" { (lang.t("unsubscribe-button")) }
            }
        }
    };
    Ok(bare(lang, lang.t("unsubscribe-title"), body).into_response())
}

/// `POST /unsubscribe?token=…`: stops the digests (the body, if any, is not read: a
/// one-click request sends `List-Unsubscribe=One-Click`).
pub(crate) async fn unsubscribe(
    state: crate::State,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Result<Response, AppError> {
    let lang = Lang::of(&headers);
    let Some(id) = user_of(&state, &q).await? else {
        return Ok(invalid(lang));
    };
    if !state.store.unsubscribe_digest(id).await? {
        return Ok(invalid(lang));
    }
    tracing::info!(user_id = id, "unsubscribed from digests by link");
    let body = html! {
        main.signin {
            h1 { (lang.t("unsubscribe-title")) }
            (flash("ok", lang.t("unsubscribe-done")))
        }
    };
    Ok(bare(lang, lang.t("unsubscribe-title"), body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_one_user_under_one_secret() {
        let t = token("k1", 42);
        assert_eq!(verify("k1", &t), Some(42));
        assert_eq!(verify("k2", &t), None);
        let forged = t.replacen("42.", "43.", 1);
        assert_eq!(verify("k1", &forged), None);
        assert_eq!(verify("k1", "42"), None);
        assert_eq!(verify("k1", "42.zz"), None);
    }
}
