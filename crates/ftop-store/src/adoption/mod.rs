//! The adoption side: usage figures and their import, the rollups kept from them (the
//! arithmetic itself is the domain's, `ftop_domain::adoption`), forecasts, and the
//! dashboard counts with the rows behind each number.

pub(crate) mod dashboard;
pub(crate) mod forecasts;
pub(crate) mod rollups;
pub(crate) mod usage;
