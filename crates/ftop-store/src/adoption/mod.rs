//! The adoption side: usage figures and their import, the rollups kept from them (the
//! arithmetic itself is the domain's, `ftop_domain::adoption`), forecasts, and the
//! dashboard counts with the rows behind each number.

pub(crate) mod counts;
pub(crate) mod dashboard;
pub(crate) mod filter;
#[cfg(test)]
mod filter_twins;
pub(crate) mod forecasts;
pub(crate) mod gains;
pub(crate) mod model;
pub(crate) mod months;
pub(crate) mod report_sums;
pub(crate) mod rollups;
pub(crate) mod seats;
pub(crate) mod service_view;
pub(crate) mod usage;
