//! `chatsim run`: simulate one scenario and write its report (or, with `--shard`, one slice of
//! its replications for `chatsim merge`).

use std::io::Write;
use std::ops::Range;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cli::{RunArgs, SimArgs};
use crate::model::Tally;
use crate::report::plots::{self, Rendered};
use crate::report::{self, Detail, ReportDir, RunSummary, ShardFile};
use crate::runner::{RunOptions, run_replications};
use crate::scenario::{self, Provenance, Scenario};
use crate::stats::peak_memory_bytes;
use crate::usage::usage_error;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&run_folder(&sc.name, &sc.provenance)));
    let total = sc.simulation.replications;
    let reps = args
        .shard
        .map_or(0..total as u64, |s| s.replications(total));
    if let (Some(shard), true) = (args.shard, reps.is_empty()) {
        return Err(usage_error(
            "--shard",
            &format!("{}/{}", shard.k, shard.n),
            format!("the slice of {total} replications is empty: use at most {total} shards"),
        )
        .into());
    }
    // Every input is checked before anything runs, and the report is swapped in whole at the
    // end: a run that fails leaves the folder as it was.
    report::check_out_dir(&out)?;
    if let Some(events) = &args.events {
        check_events_flag(events, args.replication, total, &out)?;
    }
    crate::limits::check_work(&[(&sc, reps.end - reps.start)], args.sim.force, "the run")?;
    let started = Instant::now();
    let tallies = replicate_range(&sc, reps.clone(), &args.sim)?;
    let wall = started.elapsed();
    let work = Work {
        events: tallies.iter().map(|t| t.events).sum(),
        visitors: tallies.iter().map(|t| t.visitors).sum(),
    };
    // The event log is written before the report is swapped in: a run whose log fails leaves
    // the report folder as it was.
    let logged = match &args.events {
        Some(path) => Some(write_event_log(&sc, args.replication, path)?),
        None => None,
    };
    // With `--events -` the log is standard output: the summary goes to standard error.
    let mut stdout: Box<dyn Write> = match &args.events {
        Some(p) if report::is_stdout(p) => Box::new(std::io::stderr().lock()),
        _ => Box::new(std::io::stdout().lock()),
    };
    if let Some(shard) = args.shard {
        let per_rep = tallies.iter().map(|t| report::metrics(&sc, t)).collect();
        let file = ShardFile::new(&sc, shard, reps.start, per_rep);
        let dir = ReportDir::new(&out)?;
        dir.write(report::SHARD_FILE, file.to_json()?.as_bytes())?;
        dir.commit()?;
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
        let summary = summarise(&sc, &tallies);
        let detail = Detail::of(&sc, &tallies);
        drop(tallies);
        let rendered = if args.no_plots {
            Vec::new()
        } else {
            plots::render_all(&detail)?
        };
        let dir = ReportDir::new(&out)?;
        write_outputs(&dir, &summary)?;
        write_report(&dir, &sc, &summary, &detail, &rendered)?;
        dir.commit()?;
        report::print_summary(&mut stdout, &summary)?;
        writeln!(stdout, "report written to {}", out.display())?;
    }
    if let (Some(path), Some(rows)) = (&args.events, logged) {
        writeln!(
            stdout,
            "{rows} events of replication {} written to {}",
            args.replication,
            path.display()
        )?;
    }
    if args.stats {
        print_stats(&mut stdout, &work, wall, args.sim.threads)?;
    }
    Ok(())
}

/// `--events FILE --replication K`: K must be a replication of the run, and the file must not
/// be inside the report folder (the folder is replaced whole) nor a file that is not a log.
fn check_events_flag(
    path: &std::path::Path,
    replication: u64,
    total: u32,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    if replication >= total as u64 {
        return Err(usage_error(
            "--replication",
            &replication.to_string(),
            format!(
                "the run has {total} replications, numbered from 0 to {}",
                total - 1
            ),
        )
        .into());
    }
    let inside = |p: &std::path::Path| {
        let abs = |p: &std::path::Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        abs(p).starts_with(abs(out))
    };
    if inside(path) {
        return Err(usage_error(
            "--events",
            &path.display().to_string(),
            format!(
                "is inside the report folder {}, which a run replaces whole: write the log \
                 beside it",
                out.display()
            ),
        )
        .into());
    }
    report::check_events_target(path, "--events")?;
    Ok(())
}

/// Runs replication `replication` again, streaming its requests' steps to `path`; returns the
/// rows written.
fn write_event_log(sc: &Scenario, replication: u64, path: &std::path::Path) -> anyhow::Result<u64> {
    let gzip = report::is_gzip(path);
    let log = report::write_file_with(path, "--events", |w| {
        report::write_events(sc, replication, w, gzip)
    })?;
    Ok(log.rows)
}

/// Where a command writes when not told: `reports/<name>`.
/// The default report folder's name: the scenario's, and with overrides (`--set`, `--seed`,
/// `--replications`, `--horizon`) also the first 8 digits of the effective scenario's
/// fingerprint, so that a what-if never replaces the report of the scenario as written.
pub fn run_folder(name: &str, p: &Provenance) -> String {
    match p.fingerprint.get(..8) {
        Some(short) if !p.overrides.is_empty() => format!("{name}-{short}"),
        _ => name.to_string(),
    }
}

pub fn default_out(name: &str) -> PathBuf {
    PathBuf::from("reports").join(name)
}

/// What a run cost, summed over its replications.
struct Work {
    events: u64,
    visitors: u64,
}

/// Runs every replication of `sc` and summarises them.
pub fn simulate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<RunSummary> {
    Ok(summarise(sc, &replicate(sc, sim)?))
}

/// Runs every replication of `sc`, in replication order.
pub fn replicate(sc: &Scenario, sim: &SimArgs) -> anyhow::Result<Vec<Tally>> {
    replicate_range(sc, 0..sc.simulation.replications as u64, sim)
}

fn replicate_range(sc: &Scenario, reps: Range<u64>, sim: &SimArgs) -> anyhow::Result<Vec<Tally>> {
    let opts = RunOptions {
        threads: sim.threads,
        quiet: sim.quiet,
    };
    run_replications(sc, reps, opts)
}

pub fn summarise(sc: &Scenario, tallies: &[Tally]) -> RunSummary {
    let per_rep = tallies.iter().map(|t| report::metrics(sc, t)).collect();
    RunSummary::of(sc, per_rep)
}

pub fn write_outputs(dir: &ReportDir, s: &RunSummary) -> anyhow::Result<()> {
    dir.write("summary.json", report::summary_json(s).as_bytes())?;
    dir.write("replications.csv", &report::replications_csv(s)?)?;
    dir.write("summary.csv", &report::summary_csv(s)?)?;
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

/// The tables, the plots under `plots/`, and `report.html`, into the report being built (a
/// previous run's plots go with the folder it replaces).
fn write_report(
    dir: &ReportDir,
    sc: &Scenario,
    s: &RunSummary,
    d: &Detail,
    rendered: &[Rendered],
) -> anyhow::Result<()> {
    dir.write("timeseries.csv", &report::timeseries_csv(&d.series)?)?;
    dir.write("intervals.csv", &report::intervals_csv(&d.intervals)?)?;
    dir.write("agents.csv", &d.agents.csv()?)?;
    dir.write("teams.csv", &d.teams.csv()?)?;
    dir.write("streams.csv", &d.streams.csv()?)?;
    for p in rendered {
        dir.write_plot(p)?;
    }
    dir.write(
        "report.html",
        report::report_html(sc, s, d, rendered).as_bytes(),
    )?;
    Ok(())
}
