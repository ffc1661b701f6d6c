//! Command-line arguments as typed; `commands` turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::plan::TargetSpec;
use crate::report::Shard;
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
    /// Let scenarios name files (empirical `file`, `[arrivals] trace`) outside their own folder;
    /// by default they must be in the scenario's folder or below.
    #[arg(long, global = true)]
    pub allow_outside_files: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate a scenario (the built-in default when none is given) and write a report.
    Run(RunArgs),
    /// Check scenario files (or folders of them, like `check`) without simulating; exits 2 on
    /// the first invalid one.
    Validate {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Combine the partial results of `run --shard` into the report an unsharded run writes.
    Merge {
        /// Output folders of the shards, in any order.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Output folder [default: reports/<scenario name>].
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Simulate the scenarios that have [[expect]] bounds (or a baseline) and judge them:
    /// exits 0 when every check passes, 1 when one fails, 2 on bad input.
    Check(CheckArgs),
    /// Run a grid of what-ifs: `--set PATH=2..12` (or 2..12:2, or 5,10) sweeps a key.
    Sweep(SweepArgs),
    /// Find the fewest agents that meet every target with 95% confidence; exits 1 when none
    /// within the bounds does.
    Staff(StaffArgs),
    /// Agents online each team needs in every interval of the week to meet every target there
    /// with 95% confidence; exits 1 when an interval stays inconclusive or out of reach.
    Require(RequireArgs),
    /// Turn `require`'s requirements into shifts per team at the least paid hours (an integer
    /// program), write them as roster.csv and a runnable scenario, and simulate it.
    Roster(RosterArgs),
    /// Compare two scenarios (or one with `--set` changes) with common random numbers.
    Compare(CompareArgs),
    /// Write the visitors a scenario generates, as a trace that `[arrivals] trace` can replay.
    Arrivals(ArrivalsArgs),
    // Calibration from real data: `fit` and `backtest`.
    /// Estimate a scenario from a log of requests (the event CSV of `run --events`, or the
    /// website callbacks as JSON lines).
    Fit(FitArgs),
    /// Replay a period's real requests against a scenario's agents and compare the daily
    /// figures with what was observed: exits 1 when coverage falls below the threshold.
    Backtest(BacktestArgs),
}

#[derive(Args, Debug)]
pub struct FitArgs {
    /// The log: an event CSV (`run --events`), or callbacks as JSON lines (.jsonl); .gz read
    /// compressed.
    pub log: PathBuf,
    /// The fitted scenario to write (TOML).
    #[arg(long)]
    pub out: PathBuf,
    /// Folder for fit.json and the plots [default: reports/<name of --out>-fit].
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// The IANA time zone the week's hours are read in (arrivals and schedules).
    #[arg(long, default_value = "UTC")]
    pub time_zone: String,
    /// Smoothing of the hourly arrival rates: hours pooled on either side of each hour.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=84))]
    pub smooth: u16,
    /// The inactivity timeout to take off chats that ended by inactivity (a duration).
    #[arg(long, default_value = "10m")]
    pub inactivity: String,
    /// Take the agents' schedules from this scenario's [[agents]] entries of the same name,
    /// instead of reading them from the agents' activity in the log.
    #[arg(long, value_name = "SCENARIO")]
    pub schedules_from: Option<PathBuf>,
    /// Use empirical distributions (the Kaplan-Meier quantiles, in CSV files beside --out) for
    /// response times and chat lengths instead of the best family; they are also used where the
    /// best family's Kolmogorov-Smirnov distance exceeds 0.05.
    #[arg(long)]
    pub empirical: bool,
    /// No plots: fit.json and the scenario only.
    #[arg(long)]
    pub no_plots: bool,
}

#[derive(Args, Debug)]
pub struct BacktestArgs {
    /// The scenario whose agents, routing and settings are judged.
    pub scenario: PathBuf,
    /// The period's real log: an event CSV (`run --events`) or callbacks (.jsonl); its
    /// requests are replayed and its daily figures are the observed ones.
    #[arg(long)]
    pub actual: PathBuf,
    /// The product dashboard's daily export (date, requested, connected, missed,
    /// avg_chat_length_min, avg_agent_response_s, optionally team) to compare with instead of
    /// the figures computed from the log.
    #[arg(long, value_name = "CSV")]
    pub dashboard: Option<PathBuf>,
    /// Output folder [default: reports/<scenario name>-backtest].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Coverage below this share (of days inside the 95% prediction interval, on any figure)
    /// fails the back-test with exit 1.
    #[arg(long, default_value_t = 0.9)]
    pub min_coverage: f64,
    /// Write JUnit XML here (one test case per figure).
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
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
    /// Skip the plots (and the plots in report.html): tables and summaries only, faster.
    #[arg(long)]
    pub no_plots: bool,
    /// After the run, print events processed, visitors, wall time, events per second and peak
    /// memory.
    #[arg(long)]
    pub stats: bool,
    /// Run only the K-th of N disjoint slices of the replications (K from 1) and write partial
    /// results for `chatsim merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Also write every step of every request of one replication to this CSV file (gzip when
    /// it ends in .gz): the per-request event log `chatsim fit` reads.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// The replication whose requests --events writes (from 0).
    #[arg(long, default_value_t = 0, requires = "events")]
    pub replication: u64,
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
    /// Restrict every figure to requests arriving in, and time inside, a weekly window, like
    /// "mon-fri 09:00-17:00" or "mon-fri 09:00-17:00 Europe/Berlin" (overrides [simulation]
    /// window).
    #[arg(long, value_name = "WINDOW")]
    pub window: Option<String>,
    /// Any scenario key by its dotted path, like package.cap=5 or agents.emea.count=2.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<Override>,
    /// Worker threads, 1 to 512 [default: one per core]; results do not depend on it.
    #[arg(long, value_parser = crate::limits::threads)]
    pub threads: Option<usize>,
    /// Run even when the estimated work (visitors to simulate) is above the limit.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

impl SimArgs {
    /// The `--set` overrides with the dedicated flags folded in, so that all of them go through
    /// the scenario's own validation.
    pub fn overrides(&self) -> Vec<Override> {
        let mut all = self.set.clone();
        all.extend(self.flag_overrides());
        all
    }

    /// The dedicated flags (--seed, --replications, --horizon, --window) as overrides, without `--set`.
    pub fn flag_overrides(&self) -> Vec<Override> {
        let mut flags = Vec::new();
        let mut add = |path: &str, value: String| {
            flags.push(Override {
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
        if let Some(w) = &self.window {
            add("simulation.window", format!("{w:?}"));
        }
        flags
    }
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Scenario files, or folders whose *.toml files are scenarios [default: scenarios/].
    pub paths: Vec<PathBuf>,
    /// Let an expectation whose interval straddles its bound pass (it fails by default).
    #[arg(long)]
    pub allow_inconclusive: bool,
    /// Write JUnit XML here (- for standard output), one test case per expectation, for CI
    /// systems to display.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write a JSON summary of every verdict here (- for standard output).
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
    /// Compare each scenario with its stored summary.json: DIR/<scenario>/summary.json, or
    /// DIR/summary.json of that scenario; every scenario given is run, with expectations or not.
    #[arg(long, value_name = "DIR")]
    pub baseline: Option<PathBuf>,
    /// How much worse than the baseline a rate may get (absolute, 0.005 = half a percentage
    /// point) before a significant change fails the check.
    #[arg(long, default_value_t = 0.005, value_parser = tolerance, requires = "baseline")]
    pub tolerance: f64,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// Metric to tabulate (repeatable; the first is plotted) [default: fallback_rate,
    /// fallback_rate.at_cap, engaged_rate, abandoned_rate, occupancy].
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// A target like "fallback_rate<=0.05": its metric is plotted, with the target as a line.
    #[arg(long = "target", value_name = "METRIC<=VALUE")]
    pub target: Option<TargetSpec>,
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
    pub targets: Vec<TargetSpec>,
    /// A key to search, like agents.emea.count or agents.emea.count=1..30 (repeatable).
    #[arg(long = "vary", value_name = "PATH[=LO..HI]", required = true)]
    pub vary: Vec<String>,
    /// When a target's interval still straddles its bound at the answer, the search runs again
    /// on twice the replications, up to this many [default: 8 x the scenario's].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..))]
    pub max_replications: Option<u32>,
    /// Output folder [default: reports/<scenario name>-staff].
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct RequireArgs {
    /// Scenario file (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// A target every interval must meet, like "fallback_rate<=0.05" (every team), or
    /// "teams.emea.fallback_rate<=0.02" (one team), or "site.fallback_rate<=0.05" (repeatable).
    #[arg(long = "target", value_name = "METRIC<=VALUE", required = true)]
    pub targets: Vec<TargetSpec>,
    /// The most agents online a team may have in an interval [default: 4 x the team's agents,
    /// at least 20].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_agents: Option<u32>,
    /// Search every interval, also where the team's schedule has nobody online.
    #[arg(long)]
    pub all_hours: bool,
    /// While an interval's figure straddles its target, the staffing is simulated again on twice
    /// the replications, up to this many [default: 32 x the scenario's]: an interval with a
    /// handful of requests needs hundreds to show a 5% rate with confidence.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..))]
    pub max_replications: Option<u32>,
    /// Hours a week of one full-time contract, for the FTEs.
    #[arg(long, value_name = "HOURS", default_value_t = 40.0, value_parser = positive_hours)]
    pub contract_hours: f64,
    /// Share of paid time lost to breaks and meetings, for the FTEs [default: the team's
    /// agents' shrinkage].
    #[arg(long, value_name = "SHARE", value_parser = share_below_one)]
    pub shrinkage: Option<f64>,
    /// Output folder [default: reports/<scenario name>-require].
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Write no plot.
    #[arg(long)]
    pub no_plots: bool,
    #[command(flatten)]
    pub sim: SimArgs,
}

#[derive(Args, Debug)]
pub struct RosterArgs {
    /// The scenario `require` was given (TOML); omitted: the built-in default scenario.
    pub scenario: Option<PathBuf>,
    /// The folder `chatsim require` wrote (requirements.csv and requirements.json).
    #[arg(long, value_name = "DIR")]
    pub requirements: PathBuf,
    /// A shift length, optionally with its cost per shift: "8h", "4h=40" (repeatable)
    /// [default: 8h, costed at its paid hours].
    #[arg(long = "shift", value_name = "LENGTH[=COST]")]
    pub shifts: Vec<String>,
    /// The first and last start time of a shift in the team's local day, like "06:00-14:00"
    /// [default: any time of day].
    #[arg(long, value_name = "HH:MM-HH:MM")]
    pub starts: Option<String>,
    /// Shifts start on multiples of this [default: the requirements' interval].
    #[arg(long, value_name = "DURATION")]
    pub start_every: Option<String>,
    /// Working days in a row a week; the days off are in a row too.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=7))]
    pub days: u32,
    /// Share of paid time agents are not online [default: each team's, from require].
    #[arg(long, value_name = "SHARE", value_parser = share_below_one)]
    pub shrinkage: Option<f64>,
    /// Output folder [default: reports/<scenario name>-roster].
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
}

fn positive_hours(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 168.0 => Ok(v),
        _ => Err(format!(
            "expected hours in a week, above 0 and at most 168, got {s:?}"
        )),
    }
}

fn share_below_one(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "expected a share from 0 to below 1 like 0.3, got {s:?}"
        )),
    }
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
    /// The CSV file to write (- for standard output).
    #[arg(long)]
    pub out: PathBuf,
    /// Which replication's visitors to write (each replication has its own).
    #[arg(long, default_value_t = 0)]
    pub replication: u64,
    #[command(flatten)]
    pub sim: SimArgs,
}

fn tolerance(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!(
            "expected a non-negative number like 0.005, got {s:?}"
        )),
    }
}
