//! The live-chat routing model (see MODEL.md): agents, routing, the visitor's journey, and
//! what a replication counts. Routing and availability are plain logic; `chat` wires them to
//! the engine.

mod agents;
mod arrivals;
mod availability;
mod calendar;
mod chat;
mod replication;
mod requests;
mod routing;
mod series;
mod streams;
mod tally;
#[cfg(test)]
pub(crate) mod testing;
mod visitor_rng;
mod visitors;

pub use crate::figure::Reason;
pub use agents::AgentState;
pub use replication::{run_replication, run_replication_with};
pub use routing::Router;
pub use series::{AGENTS_AT_CAP, BUSY_SLOTS, Bucket, ONLINE_AGENTS, ONLINE_SLOTS, Series};
pub use tally::{AgentTally, Outcomes, Tally};
pub use visitor_rng::VisitorRng;
pub use visitors::{Visitor, VisitorSource, attribute_cdfs, draw_attributes};
