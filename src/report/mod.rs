//! What a run leaves behind: summaries across replications and the files and text built on
//! them. Each output is its own file here.

mod agents;
mod detail;
mod events;
mod files;
mod folder;
mod html;
mod intervals;
mod metrics;
mod output;
mod planning;
pub mod plots;
mod reader;
mod requirements;
mod rollups;
mod roster;
mod shard;
mod summary;
mod table;
mod tables;
mod terminal;
mod timeseries;

pub use detail::{Detail, Responses, Trial};
pub use events::{EVENT_COLUMNS, EventLog, check_events_target, is_gzip, write_events};
pub use files::{write_atomic, write_atomic_with};
pub use folder::{ReportDir, check_out_dir, check_out_folder};
pub use html::{
    COMPARE_HEADLINE, CalibrationPage, ComparePage, Searched, Side, StaffPage, SweepPage,
    TargetRow, TextTable, calibration_html, compare_html, report_html, staff_html, sweep_html,
};
pub use intervals::{
    IntervalRow, IntervalTable, first_start, intervals_csv, team_zone, weekday_time,
};
pub use metrics::{Metrics, metrics, summary_figures};
pub use output::{check_file_target, is_stdout, write_file, write_file_with};
pub use planning::{CompareDoc, DifferenceDoc, Estimate, StaffDoc, SweepRow, sweep_csv, to_json};
pub use reader::{At, Reader};
pub use requirements::{
    RequirementRow, RequirementTable, RequirementsDoc, TeamRequirement, requirements_csv,
};
pub use roster::{RosterDoc, RosterRow, Simulated, TeamRoster, roster_csv};
pub use shard::{SHARD_FILE, Shard, ShardError, ShardFile};
pub use summary::{RunSummary, Stat, SummaryDoc, summary_json};
pub use table::{Row, Table};
pub use tables::{replications_csv, summary_csv};
pub use terminal::print_summary;
pub use timeseries::{SeriesRow, TimeSeries, timeseries_csv};
