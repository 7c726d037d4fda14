//! Adoption queries for the dashboard page, its drill-down, their CSV downloads and
//! `/api/v1/adoption`: the query string read into a store filter (partners see only their
//! organisation's tenants whatever they ask), the counts and groups, and the partner
//! redaction rule.

use crate::App;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::i18n::Lang;
use ftop_domain::adoption::{Bucket, ForecastStatus, Milestone};
use ftop_domain::{Errors, FieldError, Invalid};
use ftop_store::{
    AdoptionFilter, AdoptionGroup, AdoptionGroupBy, AdoptionPortfolio, AdoptionRow, BucketFilter,
    DateWindow, MilestoneFilter, PortfolioScope,
};
use serde::Deserialize;
use time::Date;

/// The query string of the dashboard, its drill-down, their CSV and the API.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct AdoptionQuery {
    /// Only the tenants assigned to the viewer.
    pub(crate) mine: Option<String>,
    /// `month` (default) or `quarter`: the window of "reached in".
    pub(crate) window: Option<String>,
    /// Grouping: `service` (default), `partner` or `manager`.
    pub(crate) by: Option<String>,
    /// Service key or name.
    pub(crate) service: Option<String>,
    /// `below-10`, `10-40`, `40-plus` or `undefined`.
    pub(crate) bucket: Option<String>,
    /// Partner organisation ID.
    pub(crate) partner: Option<String>,
    /// Manager (user) ID.
    pub(crate) manager: Option<String>,
    /// A milestone reached: `10` or `40`.
    pub(crate) reached: Option<String>,
    /// Reached on or after (YYYY-MM-DD).
    pub(crate) from: Option<String>,
    /// Reached on or before (YYYY-MM-DD).
    pub(crate) to: Option<String>,
    /// A forecast status: `10:overdue`, `40:met-late`, ...
    pub(crate) forecast: Option<String>,
    /// CSV: which table.
    pub(crate) table: Option<String>,
    /// Drill-down paging.
    pub(crate) offset: Option<String>,
    /// Drill-down page size (at most 1,000).
    pub(crate) limit: Option<String>,
    /// The dashboard page's period: a month (`YYYY-MM`, or a day `YYYY-MM-DD` in it), the
    /// window being that month or its quarter. Without it the page shows the period of
    /// the latest usage figure (`page_day`). Not a parameter of the API, whose window is
    /// this month or quarter.
    pub(crate) period: Option<String>,
}

impl AdoptionQuery {
    pub(crate) fn mine(&self) -> bool {
        matches!(self.mine.as_deref(), Some("1" | "true" | "on" | "yes"))
    }

    pub(crate) fn quarter(&self) -> bool {
        self.window.as_deref() == Some("quarter")
    }

    /// The grouping asked for.
    pub(crate) fn by(&self) -> AdoptionGroupBy {
        match self.by.as_deref() {
            Some("partner") => AdoptionGroupBy::Partner,
            Some("manager") => AdoptionGroupBy::Manager,
            _ => AdoptionGroupBy::Service,
        }
    }

    /// The window "reached in" counts use: this month or this quarter.
    pub(crate) fn window(&self) -> DateWindow {
        self.window_of(ftop_store::today())
    }

    /// The window of `day`: its month, or with `window=quarter` its quarter.
    pub(crate) fn window_of(&self, day: Date) -> DateWindow {
        if self.quarter() {
            DateWindow::quarter_of(day)
        } else {
            DateWindow::month_of(day)
        }
    }

    /// The first day of the month `period` names (`YYYY-MM` or `YYYY-MM-DD`), None when it
    /// names none, or a field error.
    pub(crate) fn period(&self) -> Result<Option<Date>, Invalid> {
        let Some(v) = self
            .period
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        else {
            return Ok(None);
        };
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let day = match v.len() {
            7 => Date::parse(&format!("{v}-01"), &fmt).ok(),
            _ => Date::parse(v, &fmt).ok(),
        };
        match day.and_then(|d| d.replace_day(1).ok()) {
            Some(d) => Ok(Some(d)),
            None => Err(FieldError::of("period", "invalid-date-short")
                .quoting("value", &crate::error::echoed(v))
                .into()),
        }
    }

    /// The store filter this query means for `viewer` (partners see only their
    /// organisation's tenants whatever they ask), or field errors.
    pub(crate) fn filter(&self, viewer: &Viewer) -> Result<AdoptionFilter, Invalid> {
        let mut e = Errors::default();
        let day = |e: &mut Errors, field: &str, v: &Option<String>| -> Option<Date> {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            match Date::parse(v, &fmt) {
                Ok(d) => Some(d),
                Err(_) => {
                    e.push(FieldError::of(field, "invalid-date-short").quoting("value", v));
                    None
                }
            }
        };
        let bucket = match self.bucket.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("undefined") => Some(BucketFilter::Undefined),
            Some(b) => match Bucket::parse(b) {
                Some(b) => Some(BucketFilter::Bucket(b)),
                None => {
                    e.push(FieldError::of("bucket", "invalid-bucket"));
                    None
                }
            },
        };
        let word = |e: &mut Errors, field: &str, v: &Option<String>, allowed: &[&str]| {
            if let Some(x) = v.as_deref().map(str::trim).filter(|x| !x.is_empty())
                && !allowed.contains(&x)
            {
                e.push(
                    FieldError::of(field.to_string(), "invalid-choose-one")
                        .quoting("value", x)
                        .with("choices", allowed.join(", ")),
                );
            }
        };
        word(
            &mut e,
            "mine",
            &self.mine,
            &crate::service::library::FLAG_WORDS,
        );
        word(&mut e, "window", &self.window, &["month", "quarter"]);
        word(&mut e, "by", &self.by, &["service", "partner", "manager"]);
        let from = day(&mut e, "from", &self.from);
        let to = day(&mut e, "to", &self.to);
        let reached = match self.reached.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(m) => match Milestone::parse(m) {
                Some(milestone) => Some(MilestoneFilter {
                    milestone,
                    from,
                    to,
                }),
                None => {
                    e.push(FieldError::of("reached", "invalid-reached"));
                    None
                }
            },
        };
        let forecast = match self.forecast.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(f) => {
                let parsed = f
                    .split_once(':')
                    .and_then(|(m, s)| Some((Milestone::parse(m)?, ForecastStatus::parse(s)?)));
                if parsed.is_none() {
                    e.push(FieldError::of("forecast", "invalid-forecast-filter"));
                }
                parsed
            }
        };
        let service = self
            .service
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(s) = service
            && ftop_domain::catalogue::service(s).is_none()
        {
            e.push(FieldError::of("service", "invalid-service-unknown").quoting("value", s));
        }
        let number = |e: &mut Errors,
                      field: &str,
                      v: &Option<String>,
                      ok: fn(i64) -> bool,
                      rule: &'static str| {
            let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
            match v.parse::<i64>() {
                Ok(n) if ok(n) => Some(n),
                _ => {
                    e.push(FieldError::of(field, rule).quoting("value", v));
                    None
                }
            }
        };
        let partner = number(
            &mut e,
            "partner",
            &self.partner,
            |n| n > 0,
            "invalid-partner-id",
        );
        let manager = number(
            &mut e,
            "manager",
            &self.manager,
            |n| n > 0,
            "invalid-user-id",
        );
        let limit = number(
            &mut e,
            "limit",
            &self.limit,
            |n| (1..=1000).contains(&n),
            "invalid-rows-limit",
        );
        let offset = number(
            &mut e,
            "offset",
            &self.offset,
            |n| n >= 0,
            "invalid-rows-offset",
        );
        e.finish()?;
        Ok(AdoptionFilter {
            scope: PortfolioScope::for_user(&viewer.user, self.mine()),
            service: service.map(str::to_string),
            bucket,
            partner_id: partner,
            manager_id: manager,
            reached,
            forecast,
            today: None,
            limit: Some(limit.unwrap_or(100)),
            offset: Some(offset.unwrap_or(0)),
        })
    }
}

/// Partners may see that tenants of theirs are shared with other organisations, not which:
/// the names and IDs of organisations other than the viewer's are left out, and each such
/// group is named "another partner organisation" in `lang`.
pub(crate) fn redact(
    groups: &mut [AdoptionGroup],
    by: AdoptionGroupBy,
    viewer: &Viewer,
    lang: Lang,
) {
    if by != AdoptionGroupBy::Partner || viewer.user.role != ftop_domain::UserRole::Partner {
        return;
    }
    for g in groups.iter_mut() {
        if g.id.is_some() && g.id != viewer.user.partner_id {
            g.id = None;
            g.name = Some(lang.t("another-partner").into());
        }
    }
}

/// The groups of the dashboard for `viewer`, as `redact` leaves them: redacted groups are
/// named in the request's language (the page reader's, or the API caller's
/// Accept-Language, as its error messages).
pub(crate) async fn groups_for(
    app: &App,
    viewer: &Viewer,
    f: &AdoptionFilter,
    window: DateWindow,
    by: AdoptionGroupBy,
) -> Result<Vec<AdoptionGroup>, AppError> {
    let mut g = app.store.adoption_groups(f, window, by).await?;
    redact(&mut g, by, viewer, crate::i18n::request_language());
    Ok(g)
}

/// What the dashboard shows: the counts in the window, and the groups when grouped by
/// partner or manager (redacted for partners).
pub(crate) struct Dashboard {
    pub(crate) portfolio: AdoptionPortfolio,
    pub(crate) groups: Option<Vec<AdoptionGroup>>,
}

/// The dashboard `q` asks for, as `viewer` may see it (422 on a bad filter), with the
/// milestones reached this month or quarter: the API's.
pub(crate) async fn dashboard(
    app: &App,
    viewer: &Viewer,
    q: &AdoptionQuery,
) -> Result<Dashboard, AppError> {
    let f = q.filter(viewer)?;
    dashboard_in(app, viewer, q, &f, q.window()).await
}

/// A day of the period the dashboard page shows: the first of the month `q` names, else
/// the day of the latest usage figure among the rollups `f` selects (so that the page does
/// not open on a month without data), else today (no figure yet). 422 on a bad period.
pub(crate) async fn page_day(
    app: &App,
    q: &AdoptionQuery,
    f: &AdoptionFilter,
) -> Result<Date, AppError> {
    if let Some(d) = q.period()? {
        return Ok(d);
    }
    Ok(app
        .store
        .adoption_latest_day(f)
        .await?
        .unwrap_or_else(ftop_store::today))
}

/// The dashboard page `q` asks for, as `viewer` may see it (422 on a bad filter or
/// period), in the window of its period ([`page_day`]), and a day of that period.
pub(crate) async fn dashboard_page(
    app: &App,
    viewer: &Viewer,
    q: &AdoptionQuery,
) -> Result<(Dashboard, Date), AppError> {
    let f = q.filter(viewer)?;
    let day = page_day(app, q, &f).await?;
    let d = dashboard_in(app, viewer, q, &f, q.window_of(day)).await?;
    Ok((d, day))
}

/// The dashboard over `f` with the milestones reached in `window`.
async fn dashboard_in(
    app: &App,
    viewer: &Viewer,
    q: &AdoptionQuery,
    f: &AdoptionFilter,
    window: DateWindow,
) -> Result<Dashboard, AppError> {
    let portfolio = app.store.adoption_portfolio(f, window).await?;
    let groups = match q.by() {
        AdoptionGroupBy::Service => None,
        by => Some(groups_for(app, viewer, f, window, by).await?),
    };
    Ok(Dashboard { portfolio, groups })
}

/// The (tenant, service) rows behind a number (422 on a bad filter).
pub(crate) async fn rows(
    app: &App,
    viewer: &Viewer,
    q: &AdoptionQuery,
) -> Result<(AdoptionFilter, Vec<AdoptionRow>), AppError> {
    let f = q.filter(viewer)?;
    let rows = app.store.adoption_rows(&f).await?;
    Ok((f, rows))
}
