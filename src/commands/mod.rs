//! What each subcommand does, on top of the library.

mod run;
mod validate;

pub use run::{run, simulate};
pub use validate::validate;
