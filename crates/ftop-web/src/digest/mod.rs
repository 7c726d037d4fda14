//! E-mail digests (issue 17): each user's work queue and the milestones their tenants
//! reached, weekly (Mondays at 08:00 in the user's time zone) or daily (08:00), in the
//! user's language, as plain text and HTML, with a one-click unsubscribe link.
//!
//! `ftop serve` runs [`run_due`] every minute ([`spawn`]). A digest is sent at most once
//! per user and period: the sender first claims the `(user, period)` row in the database
//! (`Store::claim_digest`), so instances sharing a database never both send it. A failed
//! delivery is recorded with its error and tried again after 1, 2, 4 … minutes, up to
//! [`MAX_ATTEMPTS`], then logged as abandoned.

mod mail;
pub(crate) mod unsubscribe;

pub use mail::{Mailer, SmtpError};

use crate::App;
use crate::i18n::Lang;
use ftop_store::{DigestFrequency, DigestSettings, StoreError, User};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use time::OffsetDateTime;

/// Attempts before a digest is given up.
pub const MAX_ATTEMPTS: i64 = 8;

/// The local hour digests go out.
const SEND_HOUR: i8 = 8;

/// How late a weekly digest may still go out after Monday 08:00 (a server that was down).
const WEEKLY_GRACE_HOURS: i64 = 24;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestReport {
    /// Digests delivered.
    pub sent: usize,
    /// Deliveries that failed (to be tried again, or abandoned).
    pub failed: usize,
}

/// A digest that is due: its period key, its local date and the days it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Due {
    period: String,
    today: Date,
    from: Date,
    to: Date,
}

/// The time zone of a user's setting (UTC when unknown).
pub(crate) fn zone(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// Whether `name` is a time zone of the bundled database.
pub(crate) fn known_zone(name: &str) -> bool {
    TimeZone::get(name).is_ok()
}

/// The digest of `settings` due at `now`, if any.
fn due(settings: &DigestSettings, now: OffsetDateTime) -> Option<Due> {
    let ts = jiff::Timestamp::from_second(now.unix_timestamp()).ok()?;
    let local = ts.to_zoned(zone(&settings.time_zone));
    let today = local.date();
    let at_eight = |d: Date| {
        d.at(SEND_HOUR, 0, 0, 0)
            .to_zoned(local.time_zone().clone())
            .ok()
    };
    match settings.digest {
        DigestFrequency::None => None,
        DigestFrequency::Daily => {
            // The latest 08:00 at or before now.
            let day = if at_eight(today)?.timestamp() <= ts {
                today
            } else {
                today.yesterday().ok()?
            };
            let before = day.yesterday().ok()?;
            Some(Due {
                period: format!("daily:{day}"),
                today: day,
                from: before,
                to: before,
            })
        }
        DigestFrequency::Weekly => {
            let back = i64::from(today.weekday().to_monday_zero_offset());
            let mut monday = today.checked_sub(jiff::Span::new().days(back)).ok()?;
            if at_eight(monday)?.timestamp() > ts {
                monday = monday.checked_sub(jiff::Span::new().days(7)).ok()?;
            }
            debug_assert_eq!(monday.weekday(), Weekday::Monday);
            let start = at_eight(monday)?.timestamp();
            if ts.as_second() - start.as_second() >= WEEKLY_GRACE_HOURS * 3600 {
                return None;
            }
            Some(Due {
                period: format!("weekly:{monday}"),
                today: monday,
                from: monday.checked_sub(jiff::Span::new().days(7)).ok()?,
                to: monday.yesterday().ok()?,
            })
        }
    }
}

fn day_of(d: Date) -> ftop_domain::adoption::Day {
    // Days since 1970-01-01.
    let epoch = Date::constant(1970, 1, 1);
    d.since(epoch).map_or(0, |s| s.get_days())
}

/// Sends every digest due at `now` (the scheduler calls it each minute; tests call it with
/// the moment they choose). `public_url` is the portal's address the links start with.
pub async fn run_due(
    app: &App,
    mailer: &Mailer,
    now: OffsetDateTime,
) -> Result<DigestReport, StoreError> {
    let mut report = DigestReport::default();
    for (user, settings) in app.store.digest_recipients().await? {
        let Some(due) = due(&settings, now) else {
            continue;
        };
        let Some(attempt) = app.store.claim_digest(user.id, &due.period, now).await? else {
            continue;
        };
        match send_one(app, mailer, &user, &settings, &due).await {
            Ok(()) => {
                app.store.digest_sent(user.id, &due.period, now).await?;
                tracing::info!(user = %user.name, period = %due.period, attempt, "digest sent");
                report.sent += 1;
            }
            Err(e) => {
                report.failed += 1;
                let retry = (attempt < MAX_ATTEMPTS)
                    .then(|| now + time::Duration::minutes(1 << (attempt - 1).clamp(0, 10)));
                match retry {
                    Some(at) => tracing::warn!(user = %user.name, period = %due.period, attempt,
                        retry_at = %at, error = %e, "digest delivery failed; will try again"),
                    None => tracing::error!(user = %user.name, period = %due.period, attempt,
                        error = %e, "digest delivery failed for the last time; abandoned"),
                }
                app.store
                    .digest_failed(user.id, &due.period, &e.to_string(), retry)
                    .await?;
            }
        }
    }
    Ok(report)
}

/// Composes and sends one user's digest.
async fn send_one(
    app: &App,
    mailer: &Mailer,
    user: &User,
    settings: &DigestSettings,
    due: &Due,
) -> Result<(), SmtpError> {
    let lang = Lang(ftop_domain::text::Lang::parse(&settings.language).unwrap_or(Lang::ENGLISH.0));
    let items = app
        .store
        .work_queue(user, day_of(due.today), app.tripwire_bp)
        .await
        .map_err(|e| SmtpError::Compose(e.to_string()))?;
    let reached = app
        .store
        .milestones_reached(user, day_of(due.from), day_of(due.to))
        .await
        .map_err(|e| SmtpError::Compose(e.to_string()))?;
    let secret = app
        .store
        .server_secret(unsubscribe::PURPOSE)
        .await
        .map_err(|e| SmtpError::Compose(e.to_string()))?;
    let token = unsubscribe::token(&secret, user.id);
    let digest = mail::Digest {
        lang,
        user,
        weekly: settings.digest == DigestFrequency::Weekly,
        items: &items,
        reached: &reached,
        token: &token,
    };
    let to = settings.email.as_deref().unwrap_or_default();
    mailer.send(to, &digest).await
}

/// Runs [`run_due`] every minute on the server's runtime (no SMTP: says so once and sends
/// nothing).
pub fn spawn(app: std::sync::Arc<App>, mailer: Option<Mailer>) {
    let Some(mailer) = mailer else {
        tracing::info!("no SMTP server configured (--smtp-url): e-mail digests are off");
        return;
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_due(&app, &mailer, OffsetDateTime::now_utc()).await {
                Ok(r) if r.sent + r.failed > 0 => {
                    tracing::info!(sent = r.sent, failed = r.failed, "digest run");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "digest run failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(tz: &str, digest: DigestFrequency) -> DigestSettings {
        DigestSettings {
            email: Some("a@example.com".into()),
            language: "en".into(),
            time_zone: tz.into(),
            digest,
        }
    }

    #[test]
    fn weekly_digests_are_due_from_monday_eight_local_for_a_day() {
        let s = settings("Europe/Madrid", DigestFrequency::Weekly);
        // 2026-12-07 is a Monday; Madrid is UTC+1 in December.
        let before = time::macros::datetime!(2026-12-07 06:59 UTC);
        assert_eq!(due(&s, before), None);
        let at = time::macros::datetime!(2026-12-07 07:00 UTC);
        let d = due(&s, at).expect("due");
        assert_eq!(d.period, "weekly:2026-12-07");
        assert_eq!(
            (d.from.to_string(), d.to.to_string()),
            ("2026-11-30".into(), "2026-12-06".into())
        );
        assert!(due(&s, time::macros::datetime!(2026-12-08 06:59 UTC)).is_some());
        assert_eq!(due(&s, time::macros::datetime!(2026-12-08 07:00 UTC)), None);
        let ny = settings("America/New_York", DigestFrequency::Weekly);
        assert_eq!(due(&ny, at), None);
        assert_eq!(
            due(&ny, time::macros::datetime!(2026-12-07 13:00 UTC)).map(|d| d.period),
            Some("weekly:2026-12-07".into())
        );
    }

    #[test]
    fn daily_digests_take_the_latest_eight_oclock() {
        let s = settings("Asia/Shanghai", DigestFrequency::Daily);
        // 08:00 in Shanghai is 00:00 UTC.
        let d = due(&s, time::macros::datetime!(2026-12-09 23:59 UTC)).expect("due");
        assert_eq!(d.period, "daily:2026-12-09");
        let d = due(&s, time::macros::datetime!(2026-12-10 00:00 UTC)).expect("due");
        assert_eq!(d.period, "daily:2026-12-10");
        assert_eq!(
            (d.from.to_string(), d.to.to_string()),
            ("2026-12-09".into(), "2026-12-09".into())
        );
        assert_eq!(
            due(
                &settings("UTC", DigestFrequency::None),
                time::macros::datetime!(2026-12-10 09:00 UTC)
            ),
            None
        );
        assert_eq!(day_of(Date::constant(1970, 1, 2)), 1);
    }
}
