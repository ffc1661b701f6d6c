//! One integration test binary (one link step): the CLI end to end, validation against closed
//! forms, and properties over random scenarios.

mod availability;
mod backtest;
mod bad_input;
mod browser;
mod calendar;
mod check;
mod cli;
mod common;
mod events;
mod figures;
mod fit;
mod fuzz;
mod intervals;
mod layers;
mod planning;
mod properties;
mod provenance;
mod releases;
mod reports;
mod require;
mod safety;
mod shards;
mod slowdown;
mod sources;
mod traces;
mod validation;
mod what_ifs;
mod windows;
