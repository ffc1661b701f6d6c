//! The live-chat routing model (see docs/model.md): agents, routing, the visitor's journey,
//! and what a replication counts. The rules (`routing` and its `pool`s, `journey`, `offer`,
//! `limits`, `queues`, `breaks`, `availability`) are plain logic over plain state, so that
//! unit tests drive them without an event loop; `chat` wires them to the engine and
//! `recorder` counts what happens.

mod agents;
mod arrivals;
mod availability;
mod breaks;
mod calendar;
mod chat;
mod events;
mod intervals;
mod journey;
mod limits;
mod offer;
mod pace;
mod pool;
mod queues;
mod recorder;
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
mod window_clock;

pub use agents::AgentState;
pub use availability::{Availability, week_phase};
pub use events::{EventKind, EventRow, EventSink, Why};
pub use intervals::{CHATTING_AGENTS, Intervals, LIVE_CHATS, LOADS};
pub use journey::retrying_routing;
pub use replication::{run_replication, run_replication_logged, run_replication_with};
pub use routing::Router;
pub use series::{AGENTS_AT_CAP, BUSY_SLOTS, Bucket, ONLINE_AGENTS, ONLINE_SLOTS, Series};
pub use tally::{AgentTally, Outcomes, Tally};
pub use visitor_rng::VisitorRng;
pub use visitors::{Visitor, VisitorSource, attribute_cdfs, draw_attributes};
