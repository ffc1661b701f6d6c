//! chatsim: a discrete-event simulator of website live-chat routing.
//!
//! Layers from the bottom (each imports only those below it; `tests/integration/layers.rs`
//! holds the table): `engine` (a generic event loop), `figure` (what every reported figure is and
//! how it prints), `dist`, `usage` and `cleanup`; `stats`; `scenario` (reading and checking
//! scenario files); `model` (the live-chat rules on top of the engine) and `limits`; `report`
//! (the tally's reader and every output file); `plan`, `gate` and `fit` (calibration from
//! real logs); `runner`; `cli`; `commands`.

pub mod cleanup;
pub mod cli;
pub mod commands;
pub mod dist;
pub mod engine;
pub mod figure;
pub mod fit;
pub mod gate;
pub mod limits;
pub mod model;
pub mod plan;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod stats;
pub mod usage;
