//! Capacity planning on top of the simulator: grids of what-ifs (`sweep`), a staffing search
//! (`staff`) and paired comparisons (`compare`).
//!
//! Every point of a grid or a search runs replication *k* from the same random stream (the
//! scenario's seed, index *k*), so the points see the same visitors with the same draws: common
//! random numbers across points, which keeps differences between neighbouring points smooth.

mod grid;
mod paired;
pub mod require;
pub mod roster;
mod search;
mod target;

pub use grid::{Axis, Grid};
pub use paired::{Difference, paired_differences};
pub use search::{Search, Vary, staff_search};
pub use target::{Bound, Standing, Target, TargetSpec};
