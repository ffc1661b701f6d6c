//! What each subcommand does, on top of the library.

mod check;
mod merge;
mod run;
mod validate;

pub use check::{ChecksFailed, check};
pub use merge::merge;
pub use run::{run, simulate};
pub use validate::validate;
