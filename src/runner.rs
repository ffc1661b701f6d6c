//! Runs a scenario's replications across threads. Each replication is one task and results come
//! back in replication order, so the output does not depend on the thread count.

use std::ops::Range;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::model::{Tally, run_replication_with};
use crate::report::{self, Metrics, RunSummary};
use crate::scenario::{Scenario, TraceError};

/// How to run: threads (`None` = one per core) and whether to draw a progress bar (it is
/// drawn only on a terminal in any case).
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    pub threads: Option<usize>,
    pub quiet: bool,
}

/// Runs replications `reps` (indices into the scenario's sequence of replications).
pub fn run_replications(
    sc: &Scenario,
    reps: Range<u64>,
    opts: RunOptions,
) -> anyhow::Result<Vec<Tally>> {
    let bar = progress_bar(reps.end - reps.start, opts.quiet, &sc.name);
    let work = || {
        reps.clone()
            .into_par_iter()
            .map(|i| replicate_with_progress(sc, i, &bar))
            .collect::<Result<Vec<Tally>, TraceError>>()
    };
    let tallies = in_pool(opts.threads, work)?;
    bar.finish_and_clear();
    Ok(tallies?)
}

/// Progress bar units per replication: a replication advances the bar as its simulated time
/// goes by, so that a long one shows movement.
pub const PROGRESS_UNITS: u64 = 1000;

/// Runs replication `index` of `sc`, advancing `bar` by [`PROGRESS_UNITS`] over its horizon.
fn replicate_with_progress(
    sc: &Scenario,
    index: u64,
    bar: &ProgressBar,
) -> Result<Tally, TraceError> {
    let horizon = sc.simulation.horizon.millis().max(1) as u128;
    let mut done = 0;
    run_replication_with(sc, index, &mut |now| {
        let units = (now.millis() as u128 * PROGRESS_UNITS as u128 / horizon) as u64;
        bar.inc(units.saturating_sub(done));
        done = done.max(units);
    })
}

/// A bar for `len` replications (in [`PROGRESS_UNITS`] each).
pub fn progress_bar(len: u64, quiet: bool, label: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(len.saturating_mul(PROGRESS_UNITS)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {percent}% simulated, {eta} left")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    bar
}

/// Runs every replication of every scenario in `scenarios` as one pool of tasks, so that a
/// small scenario does not leave cores idle while a big one finishes, and summarises each
/// scenario; only the metrics of each replication are kept. Results are in scenario order and
/// replication order, whatever the thread count. `bar` counts replications; the caller sets its
/// length, so that a sweep in chunks or a search in rounds can share one bar.
pub fn summarise_all(
    scenarios: &[&Scenario],
    threads: Option<usize>,
    bar: &ProgressBar,
) -> anyhow::Result<Vec<RunSummary>> {
    let tasks: Vec<(usize, u64)> = scenarios
        .iter()
        .enumerate()
        .flat_map(|(i, sc)| (0..sc.simulation.replications as u64).map(move |r| (i, r)))
        .collect();
    let per_rep: Vec<Metrics> = in_pool(threads, || {
        tasks
            .par_iter()
            .map(|&(i, r)| {
                let sc = scenarios[i];
                replicate_with_progress(sc, r, bar).map(|t| report::metrics(sc, &t))
            })
            .collect::<Result<Vec<_>, TraceError>>()
    })??;
    let mut per_rep = per_rep.into_iter();
    Ok(scenarios
        .iter()
        .map(|sc| {
            let reps = per_rep
                .by_ref()
                .take(sc.simulation.replications as usize)
                .collect();
            RunSummary::of(sc, reps)
        })
        .collect())
}

/// Runs replications `reps` of `sc` as one pool of tasks and keeps only what `reduce` makes of
/// each, in replication order whatever the thread count; `bar` counts replications as
/// [`summarise_all`]'s does.
pub fn reduce_replications<T: Send>(
    sc: &Scenario,
    reps: Range<u64>,
    threads: Option<usize>,
    bar: &ProgressBar,
    reduce: impl Fn(&Tally) -> T + Sync,
) -> anyhow::Result<Vec<T>> {
    bar.inc_length((reps.end - reps.start) * PROGRESS_UNITS);
    Ok(in_pool(threads, || {
        reps.into_par_iter()
            .map(|r| replicate_with_progress(sc, r, bar).map(|t| reduce(&t)))
            .collect::<Result<Vec<T>, TraceError>>()
    })??)
}

/// Runs `work` on `threads` worker threads, or on the global pool (one per core).
fn in_pool<R: Send>(threads: Option<usize>, work: impl FnOnce() -> R + Send) -> anyhow::Result<R> {
    Ok(match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
        None => work(),
    })
}
