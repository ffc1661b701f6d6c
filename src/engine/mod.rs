//! A small discrete-event engine: a clock, an event queue and a run loop. It knows nothing of
//! chat; the model plugs in through [`Model`].

mod queue;
mod simulation;
mod time;

pub use queue::EventQueue;
pub use simulation::{Model, Scheduler, run_until};
pub use time::Time;
