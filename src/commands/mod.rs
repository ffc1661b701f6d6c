//! What each subcommand does, on top of the library.

mod run;
mod validate;

pub use run::{replicate, run, simulate, summarise};
pub use validate::validate;
