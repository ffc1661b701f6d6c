//! Statistics: time-weighted accumulators within a replication, and confidence intervals across
//! replications.

mod summary;
mod time_weighted;

pub use summary::{Summary, t_quantile_975};
pub use time_weighted::TimeWeighted;
