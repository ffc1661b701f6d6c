//! Statistics: time-weighted accumulators within a replication, and confidence intervals across
//! replications.

mod histogram;
mod summary;
mod time_weighted;

pub use histogram::Histogram;
pub use summary::Summary;
pub use time_weighted::TimeWeighted;
