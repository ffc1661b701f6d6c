//! What each subcommand does, on top of the library.

mod merge;
mod run;
mod validate;

pub use merge::merge;
pub use run::{run, simulate};
pub use validate::validate;
