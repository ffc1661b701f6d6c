//! Command-line arguments as typed; `commands` turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::scenario::Override;

#[derive(Parser, Debug)]
#[command(
    name = "chatsim",
    version,
    about = "Simulates website live-chat routing: fallbacks, retries, caps, trial limits"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate a scenario (the built-in default when none is given) and write a report.
    Run(RunArgs),
    /// Check scenario files without simulating; exits 2 on the first invalid one.
    Validate {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Run a grid of what-ifs: `--set PATH=2..12` (or 2..12:2, or 5,10) sweeps a key.
    Sweep(SweepArgs),
    /// Find the fewest agents that meet every target with 95% confidence.
    Staff(StaffArgs),
    /// Compare two scenarios (or one with `--set` changes) with common random numbers.
    Compare(CompareArgs),
    /// Write the visitors a scenario generates, as a trace that `[arrivals] trace` can replay.
    Arrivals(ArrivalsArgs),
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Output folder [default: reports/<scenario name>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
}

/// Settings that override the scenario's, shared by every command that simulates.
#[derive(Args, Debug, Clone, Default)]
pub struct SimArgs {
    /// Random seed (overrides [simulation] seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Independent replications (overrides [simulation] replications).
    #[arg(long)]
    pub replications: Option<u32>,
    /// Simulated time per replication, like "30d" (overrides [simulation] horizon).
    #[arg(long)]
    pub horizon: Option<String>,
    /// Any scenario key by its dotted path, like package.cap=5 or agents.emea.count=2.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Worker threads [default: one per core]; results do not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl SimArgs {
    /// The `--set` overrides with the dedicated flags folded in, so that all of them go through
    /// the scenario's own validation.
    pub fn overrides(&self) -> Vec<Override> {
        let mut all = self.set.clone();
        let mut add = |path: &str, value: String| {
            all.push(Override {
                path: path.into(),
                value,
            });
        };
        if let Some(s) = self.seed {
            add("simulation.seed", s.to_string());
        }
        if let Some(r) = self.replications {
            add("simulation.replications", r.to_string());
        }
        if let Some(h) = &self.horizon {
            add("simulation.horizon", format!("{h:?}"));
        }
        all
    }
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Metric to tabulate (repeatable; the first is plotted) [default: fallback_rate,
    /// fallback_rate.at_cap, engaged_rate, abandoned_rate, occupancy].
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Output folder [default: reports/<scenario name>-sweep].
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct StaffArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// A target like "fallback_rate<=0.05" or "engaged_rate>=0.9" (repeatable; all must hold).
    #[arg(long = "target", value_name = "METRIC<=VALUE", required = true)]
    pub targets: Vec<crate::plan::Target>,
    /// A key to search, like agents.emea.count or agents.emea.count=1..30 (repeatable).
    #[arg(long = "vary", value_name = "PATH[=LO..HI]", required = true)]
    pub vary: Vec<String>,
    /// Output folder [default: reports/<scenario name>-staff].
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The base scenario file.
    pub base: PathBuf,
    /// The variant scenario file; omitted: the base with the `--set` changes.
    pub variant: Option<PathBuf>,
    /// Output folder [default: reports/<base>-vs-<variant>].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A scenario key set on both sides, like package.cap=3 (repeatable).
    #[arg(long = "set-both", value_name = "PATH=VALUE")]
    pub set_both: Vec<Override>,
    /// `--set` changes the variant only; --seed, --replications and --horizon apply to both.
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct ArrivalsArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// The CSV file to write.
    #[arg(long)]
    pub out: PathBuf,
    /// Which replication's visitors to write (each replication has its own).
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    #[command(flatten)]
    pub sim: SimArgs,
}
