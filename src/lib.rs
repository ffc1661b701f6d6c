//! chatsim: a discrete-event simulator of website live-chat routing.
//!
//! `engine` is a generic event loop; `model` is the live-chat routing model on top of it;
//! `scenario` reads and checks scenario files; `stats` and `report` turn runs into numbers and
//! files; `commands` are what the CLI runs.

pub mod cleanup;
pub mod cli;
pub mod commands;
pub mod dist;
pub mod engine;
pub mod figure;
pub mod gate;
pub mod limits;
pub mod model;
pub mod plan;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod usage;
