//! What a run leaves behind: summaries across replications and the files and text built on
//! them. Each output is its own file here.

mod files;
mod metrics;
mod summary;
mod sweep_plot;
mod tables;
mod terminal;

pub use files::write_atomic;
pub use metrics::{Metrics, metrics};
pub use summary::{RunSummary, summary_json};
pub use sweep_plot::{Series, sweep_svg};
pub use tables::{replications_csv, summary_csv};
pub use terminal::print_summary;
