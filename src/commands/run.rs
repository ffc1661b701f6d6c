//! `chatsim run`: simulate one scenario and write its report.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::{RunArgs, SimArgs};
use crate::model::Tally;
use crate::report::plots::{self, Rendered};
use crate::report::{self, Detail, RunSummary};
use crate::runner::{RunOptions, run_replications};
use crate::scenario::{self, Scenario};

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    let tallies = replicate(&sc, &args.sim)?;
    let summary = summarise(&sc, &tallies);
    let detail = Detail::of(&sc, &tallies);
    drop(tallies);
    let rendered = if args.no_plots {
        Vec::new()
    } else {
        plots::render_all(&detail)?
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(&sc.name));
    write_outputs(&out, &summary)?;
    write_report(&out, &sc, &summary, &detail, &rendered)?;
    let mut stdout = std::io::stdout().lock();
    report::print_summary(&mut stdout, &summary)?;
    writeln!(stdout, "report written to {}", out.display())?;
    Ok(())
}

/// Runs every replication of `sc` and summarises them.
pub fn simulate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<RunSummary> {
    Ok(summarise(sc, &replicate(sc, sim)?))
}

/// Runs every replication of `sc`, in replication order.
pub fn replicate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<Vec<Tally>> {
    let opts = RunOptions {
        threads: sim.threads,
        quiet: sim.quiet,
    };
    let reps = sc.simulation.replications as u64;
    run_replications(sc, 0..reps, opts)
}

pub fn summarise(sc: &Scenario, tallies: &[Tally]) -> RunSummary {
    let per_rep = tallies.iter().map(|t| report::metrics(sc, t)).collect();
    RunSummary::new(
        &sc.name,
        sc.simulation.seed,
        sc.simulation.horizon.as_secs_f64(),
        per_rep,
    )
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

/// The tables, the plots under `plots/`, and `report.html`. Plots a previous run left behind
/// that this run did not draw are removed, so that the folder never mixes runs.
fn write_report(
    out: &Path,
    sc: &Scenario,
    s: &RunSummary,
    d: &Detail,
    rendered: &[Rendered],
) -> anyhow::Result<()> {
    report::write_atomic(
        &out.join("timeseries.csv"),
        &report::timeseries_csv(&d.series)?,
    )?;
    report::write_atomic(&out.join("agents.csv"), &d.agents.csv()?)?;
    report::write_atomic(&out.join("teams.csv"), &d.teams.csv()?)?;
    report::write_atomic(&out.join("streams.csv"), &d.streams.csv()?)?;
    let dir = out.join("plots");
    for p in rendered {
        report::write_atomic(&dir.join(format!("{}.png", p.name)), &p.png)?;
        report::write_atomic(&dir.join(format!("{}.svg", p.name)), p.svg.as_bytes())?;
    }
    for name in plots::NAMES {
        if !rendered.iter().any(|p| p.name == name) {
            for ext in ["png", "svg"] {
                let stale = dir.join(format!("{name}.{ext}"));
                if stale.exists() {
                    std::fs::remove_file(&stale)?;
                }
            }
        }
    }
    report::write_atomic(
        &out.join("report.html"),
        report::report_html(sc, s, d, rendered).as_bytes(),
    )?;
    Ok(())
}
