//! The `report.html` pages: `run`'s, and those of `sweep`, `staff` and `compare`. Each is one
//! self-contained file (styles and plots inline, nothing fetched) built on the shared parts in
//! `page`.

mod calibration;
mod compare;
mod page;
mod run;
mod staff;
mod sweep;

pub use calibration::{CalibrationPage, TextTable, calibration_html};
pub use compare::{COMPARE_HEADLINE, ComparePage, Side, compare_html};
pub use run::report_html;
pub use staff::{Searched, StaffPage, TargetRow, staff_html};
pub use sweep::{SweepPage, sweep_html};
