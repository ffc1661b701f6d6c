//! `chatsim run`: simulate one scenario and write its report (or, with `--shard`, one slice of
//! its replications for `chatsim merge`).

use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::cli::{RunArgs, SimArgs};
use crate::report::{self, Metrics, RunSummary, ShardFile};
use crate::runner::{RunOptions, run_replications};
use crate::scenario::{self, Scenario};
use crate::stats::peak_memory_bytes;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&sc.name));
    let total = sc.simulation.replications;
    let reps = args
        .shard
        .map_or(0..total as u64, |s| s.replications(total));
    let started = Instant::now();
    let (per_rep, work) = simulate_range(&sc, reps.clone(), &args.sim)?;
    let wall = started.elapsed();
    let mut stdout = std::io::stdout().lock();
    if let Some(shard) = args.shard {
        let file = ShardFile::new(&sc, shard, reps.start, per_rep);
        report::write_atomic(&out.join(report::SHARD_FILE), file.to_json()?.as_bytes())?;
        writeln!(
            stdout,
            "shard {}/{}: replications {}..{} of {total} written to {}; combine with `chatsim merge`",
            shard.k,
            shard.n,
            reps.start,
            reps.end,
            out.display()
        )?;
    } else {
        let summary = summarise(&sc, per_rep);
        write_outputs(&out, &summary)?;
        report::print_summary(&mut stdout, &summary)?;
        writeln!(stdout, "report written to {}", out.display())?;
    }
    if args.stats {
        print_stats(&mut stdout, &work, wall, args.sim.threads)?;
    }
    Ok(())
}

pub fn default_out(scenario: &str) -> PathBuf {
    PathBuf::from("reports").join(scenario)
}

/// What a run cost, summed over its replications.
pub struct Work {
    pub events: u64,
    pub visitors: u64,
}

/// Runs every replication of `sc` and summarises them.
pub fn simulate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<RunSummary> {
    let reps = 0..sc.simulation.replications as u64;
    let (per_rep, _) = simulate_range(sc, reps, sim)?;
    Ok(summarise(sc, per_rep))
}

fn simulate_range(
    sc: &Scenario,
    reps: Range<u64>,
    sim: &SimArgs,
) -> anyhow::Result<(Vec<Metrics>, Work)> {
    let opts = RunOptions {
        threads: sim.threads,
        quiet: sim.quiet,
    };
    let tallies = run_replications(sc, reps, opts)?;
    let work = Work {
        events: tallies.iter().map(|t| t.events).sum(),
        visitors: tallies.iter().map(|t| t.visitors).sum(),
    };
    Ok((
        tallies.iter().map(|t| report::metrics(sc, t)).collect(),
        work,
    ))
}

fn summarise(sc: &Scenario, per_rep: Vec<Metrics>) -> RunSummary {
    RunSummary::new(
        &sc.name,
        sc.simulation.seed,
        sc.simulation.horizon.as_secs_f64(),
        per_rep,
    )
}

pub fn write_outputs(out: &Path, s: &RunSummary) -> anyhow::Result<()> {
    report::write_atomic(
        &out.join("summary.json"),
        report::summary_json(s).as_bytes(),
    )?;
    report::write_atomic(&out.join("replications.csv"), &report::replications_csv(s)?)?;
    report::write_atomic(&out.join("summary.csv"), &report::summary_csv(s)?)?;
    Ok(())
}

fn print_stats(
    out: &mut impl Write,
    work: &Work,
    wall: Duration,
    threads: Option<usize>,
) -> std::io::Result<()> {
    let secs = wall.as_secs_f64().max(1e-9);
    let threads = threads.unwrap_or_else(rayon::current_num_threads);
    writeln!(out, "stats:")?;
    writeln!(out, "  events processed     {}", work.events)?;
    writeln!(out, "  visitors             {}", work.visitors)?;
    writeln!(
        out,
        "  wall time            {secs:.3} s on {threads} threads"
    )?;
    writeln!(
        out,
        "  events per second    {:.0}",
        work.events as f64 / secs
    )?;
    writeln!(
        out,
        "  visitors per second  {:.0}",
        work.visitors as f64 / secs
    )?;
    match peak_memory_bytes() {
        Some(b) => writeln!(
            out,
            "  peak memory          {:.1} MiB",
            b as f64 / (1024.0 * 1024.0)
        ),
        None => writeln!(out, "  peak memory          unavailable on this platform"),
    }
}
