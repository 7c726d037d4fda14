//! The sums of the dashboard scan: what one rollup adds to its inner group (a tenant, or a
//! tenant and service), the outer groups they add up to, and one pass over key-ordered
//! rollups that keeps them.

use crate::adoption::counts::Grouping;
use crate::adoption::filter::{RollupFacts, Selection};
use crate::adoption::model::{AdoptionCounts, ForecastCounts};
use ftop_domain::adoption::ForecastStatus;
use std::collections::HashMap;

/// One filtered rollup's contribution to its inner group.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Inner {
    services: i64,
    engaged: i64,
    no_data: i64,
    undefined: i64,
    below_10: i64,
    from_10_to_40: i64,
    from_40: i64,
    reached_10: i64,
    reached_40: i64,
    w10: i64,
    w40: i64,
    f10: [i64; 5],
    f40: [i64; 5],
}

impl Inner {
    fn add(&mut self, o: &Inner) {
        self.services += o.services;
        self.engaged += o.engaged;
        self.no_data += o.no_data;
        self.undefined += o.undefined;
        self.below_10 += o.below_10;
        self.from_10_to_40 += o.from_10_to_40;
        self.from_40 += o.from_40;
        self.reached_10 += o.reached_10;
        self.reached_40 += o.reached_40;
        self.w10 += o.w10;
        self.w40 += o.w40;
        for i in 0..5 {
            self.f10[i] += o.f10[i];
            self.f40[i] += o.f40[i];
        }
    }
}

/// Outer sums of inner groups (what `AdoptionCounts` holds).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Outer {
    sums: Inner,
    tenants: i64,
    tenants_engaged: i64,
    tenants_reached_10: i64,
    tenants_reached_40: i64,
}

impl Outer {
    pub(super) fn take(&mut self, i: &Inner) {
        self.sums.add(i);
        self.tenants += 1;
        self.tenants_engaged += i64::from(i.engaged > 0);
        self.tenants_reached_10 += i64::from(i.reached_10 > 0);
        self.tenants_reached_40 += i64::from(i.reached_40 > 0);
    }

    pub(super) fn merge(&mut self, o: &Outer) {
        self.sums.add(&o.sums);
        self.tenants += o.tenants;
        self.tenants_engaged += o.tenants_engaged;
        self.tenants_reached_10 += o.tenants_reached_10;
        self.tenants_reached_40 += o.tenants_reached_40;
    }

    pub(super) fn counts(&self) -> AdoptionCounts {
        let s = &self.sums;
        let fc = |f: &[i64; 5]| ForecastCounts {
            met_early: f[0],
            met_late: f[1],
            overdue: f[2],
            on_track: f[3],
            reached_before_forecast: f[4],
        };
        AdoptionCounts {
            services: s.services,
            engaged: s.engaged,
            no_data: s.no_data,
            undefined: s.undefined,
            below_10: s.below_10,
            from_10_to_40: s.from_10_to_40,
            from_40: s.from_40,
            reached_10: s.reached_10,
            reached_40: s.reached_40,
            reached_10_in_window: s.w10,
            reached_40_in_window: s.w40,
            forecast_10: fc(&s.f10),
            forecast_40: fc(&s.f40),
            tenants: self.tenants,
            tenants_engaged: self.tenants_engaged,
            tenants_reached_10: self.tenants_reached_10,
            tenants_reached_40: self.tenants_reached_40,
        }
    }
}

fn status_index(s: Option<ForecastStatus>) -> Option<usize> {
    Some(match s? {
        ForecastStatus::MetEarly => 0,
        ForecastStatus::MetLate => 1,
        ForecastStatus::Overdue => 2,
        ForecastStatus::OnTrack => 3,
        ForecastStatus::ReachedBeforeForecast => 4,
    })
}

/// Counts one kept rollup (its forecast statuses as the filter found them), with
/// milestones reached in the window `wfrom..=wto` (days).
fn count(r: &RollupFacts, statuses: [Option<ForecastStatus>; 2], wfrom: i64, wto: i64) -> Inner {
    let mut i = Inner {
        services: 1,
        engaged: i64::from(r.engaged),
        no_data: i64::from(!r.as_of),
        undefined: i64::from(r.bucket.is_none()),
        below_10: i64::from(r.bucket == Some(1)),
        from_10_to_40: i64::from(r.bucket == Some(2)),
        from_40: i64::from(r.bucket == Some(3)),
        reached_10: i64::from(r.m10.is_some()),
        reached_40: i64::from(r.m40.is_some()),
        w10: i64::from(r.m10.is_some_and(|m| m >= wfrom && m <= wto)),
        w40: i64::from(r.m40.is_some_and(|m| m >= wfrom && m <= wto)),
        ..Inner::default()
    };
    if let Some(x) = status_index(statuses[0]) {
        i.f10[x] = 1;
    }
    if let Some(x) = status_index(statuses[1]) {
        i.f40[x] = 1;
    }
    i
}

/// Accumulators of one pass.
#[derive(Default)]
pub(super) struct Acc {
    pub(super) totals: Outer,
    /// By service key (a few dozen services at most: a list beats a hash).
    pub(super) service: Vec<(i64, Outer)>,
    pub(super) partner: HashMap<Option<i64>, Outer>,
    pub(super) manager: HashMap<Option<i64>, Outer>,
    /// Per tenant, for the groupings by partner or manager (applied after the scan).
    pub(super) per_tenant: Vec<(i64, Inner)>,
}

/// One pass over rollups in tenant-key order.
pub(super) struct Pass<'a> {
    want: &'a [Grouping],
    filter: &'a Selection,
    window: (i64, i64),
    pub(super) acc: Acc,
    tenant: Option<i64>,
    inner: Inner,
    has_inner: bool,
    by_service: bool,
}

impl<'a> Pass<'a> {
    /// A pass for the groupings `want` of the rollups `filter` keeps, with milestones in
    /// `window`.
    pub(super) fn new(want: &'a [Grouping], filter: &'a Selection, window: (i64, i64)) -> Self {
        Pass {
            want,
            filter,
            window,
            acc: Acc::default(),
            tenant: None,
            inner: Inner::default(),
            has_inner: false,
            by_service: want.contains(&Grouping::Service),
        }
    }

    pub(super) fn end_tenant(&mut self) {
        if let Some(t) = self.tenant.take()
            && self.has_inner
        {
            let i = self.inner;
            for g in self.want {
                match g {
                    Grouping::Totals => self.acc.totals.take(&i),
                    Grouping::Partner | Grouping::Manager => {
                        if self.acc.per_tenant.last().is_none_or(|(k, _)| *k != t) {
                            self.acc.per_tenant.push((t, i));
                        }
                    }
                    Grouping::Service => {}
                }
            }
            self.inner = Inner::default();
            self.has_inner = false;
        }
    }

    pub(super) fn row(&mut self, r: &RollupFacts) {
        if self.tenant != Some(r.tkey) {
            self.end_tenant();
            self.tenant = Some(r.tkey);
        }
        if let Some(statuses) = self.filter.keeps(r) {
            let i = count(r, statuses, self.window.0, self.window.1);
            self.inner.add(&i);
            self.has_inner = true;
            if self.by_service {
                // The by-service inner groups are (tenant, service): one rollup each.
                service_slot(&mut self.acc.service, r.svc).take(&i);
            }
        }
    }
}

/// The accumulator of service key `svc`.
pub(super) fn service_slot(v: &mut Vec<(i64, Outer)>, svc: i64) -> &mut Outer {
    let i = match v.iter().position(|(k, _)| *k == svc) {
        Some(i) => i,
        None => {
            v.push((svc, Outer::default()));
            v.len() - 1
        }
    };
    &mut v[i].1
}
