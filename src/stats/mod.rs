//! Statistics: time-weighted accumulators within a replication, and confidence intervals across
//! replications.

mod histogram;
mod peak_memory;
mod summary;
mod time_weighted;

pub use histogram::Histogram;
pub use peak_memory::peak_memory_bytes;
pub use summary::{Summary, metric_range, t_quantile_975};
pub use time_weighted::TimeWeighted;
