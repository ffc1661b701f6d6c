//! `chatsim run`: simulate one scenario and write its report.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{RunArgs, SimArgs};
use crate::report::{self, RunSummary};
use crate::runner::{RunOptions, run_replications};
use crate::scenario::{self, Scenario};

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    let summary = simulate(&sc, &args.sim)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&sc.name));
    write_outputs(&out, &summary)?;
    let mut stdout = std::io::stdout().lock();
    report::print_summary(&mut stdout, &summary)?;
    writeln!(stdout, "report written to {}", out.display())?;
    Ok(())
}

/// Runs every replication of `sc` and summarises them.
pub fn simulate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<RunSummary> {
    let opts = RunOptions {
        threads: sim.threads,
        quiet: sim.quiet,
    };
    let reps = sc.simulation.replications as u64;
    let tallies = run_replications(sc, 0..reps, opts)?;
    let per_rep = tallies.iter().map(|t| report::metrics(sc, t)).collect();
    Ok(RunSummary::new(
        &sc.name,
        sc.simulation.seed,
        sc.simulation.horizon.as_secs_f64(),
        per_rep,
    ))
}

fn write_outputs(out: &Path, s: &RunSummary) -> anyhow::Result<()> {
    report::write_atomic(
        &out.join("summary.json"),
        report::summary_json(s).as_bytes(),
    )?;
    report::write_atomic(&out.join("replications.csv"), &report::replications_csv(s)?)?;
    report::write_atomic(&out.join("summary.csv"), &report::summary_csv(s)?)?;
    Ok(())
}
