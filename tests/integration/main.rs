//! One integration test binary (one link step): the CLI end to end, validation against closed
//! forms, and properties over random scenarios.

mod bad_input;
mod cli;
mod common;
mod planning;
mod properties;
mod validation;
mod what_ifs;
