//! What each subcommand does, on top of the library.

mod check;
mod merge;
mod run;
mod validate;

pub use check::{ChecksFailed, check};
pub use merge::merge;
pub use run::{run, simulate};
pub use validate::validate;

mod arrivals;
mod compare;
mod require;
mod roster;
mod staff;
mod sweep;

pub use arrivals::arrivals;
pub use compare::compare;
pub use require::require;
pub use roster::roster;
pub use staff::staff;
pub use sweep::sweep;

mod backtest;
mod fit;

pub use backtest::backtest;
pub use fit::fit;
