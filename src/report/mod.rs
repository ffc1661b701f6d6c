//! What a run leaves behind: summaries across replications and the files and text built on
//! them. Each output is its own file here.

mod files;
mod metrics;
mod shard;
mod summary;
mod tables;
mod terminal;

pub use files::write_atomic;
pub use metrics::{Metrics, metric_names, metrics, outcome_metric_names};
pub use shard::{SHARD_FILE, ShardFile};
pub use summary::{RunSummary, summary_json};
pub use tables::{replications_csv, summary_csv};
pub use terminal::print_summary;
