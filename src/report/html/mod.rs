//! The `report.html` pages: `run`'s, and those of `sweep`, `staff` and `compare`. Each is one
//! self-contained file (styles and plots inline, nothing fetched) built on the shared parts in
//! `page`.

mod page;
mod run;

pub use run::report_html;
