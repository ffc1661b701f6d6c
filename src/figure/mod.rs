//! The identity of every figure chatsim reports: which metric, of what scope, how it is named,
//! in which unit, which way is worse and how it aggregates, and how its numbers print. A leaf: it
//! imports nothing else of the crate, so every layer (the model's tally, reports, gates, plans,
//! the CLI) names and prints figures through it.

mod format;
mod metric;
mod reason;
mod scope;
mod uses;

pub use format::{duration, estimate, interval, label, prints_as_zero, signed, value};
pub use metric::{
    Aggregation, GROUP, HEADLINE, LOAD, Metric, OVERFLOW, QUEUE, Spec, Table, UNAVAILABLE_BRANCH,
    Unit, Worse, group_metrics, site_metrics,
};
pub use reason::Reason;
pub use scope::{Figure, Scope};
pub use uses::Uses;
