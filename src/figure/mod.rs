//! The identity of every figure chatsim reports: which metric, of what scope, how it is named,
//! in which unit, which way is worse and how it aggregates. A leaf: it imports nothing else of
//! the crate, so every layer (the model's tally, reports, gates, plans, the CLI) can name
//! figures through it.

mod reason;

pub use reason::Reason;
