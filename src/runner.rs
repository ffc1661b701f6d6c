//! Runs a scenario's replications across threads. Each replication is one task and results come
//! back in replication order, so the output does not depend on the thread count.

use std::ops::Range;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::model::{Tally, run_replication};
use crate::scenario::Scenario;

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
            .map(|i| {
                let t = run_replication(sc, i);
                bar.inc(1);
                t
            })
            .collect()
    };
    let tallies: Vec<Tally> = match opts.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
        None => work(),
    };
    bar.finish_and_clear();
    if let Some(e) = tallies.iter().find_map(|t| t.trace_error.as_ref()) {
        anyhow::bail!("the arrival trace failed during the run: {e}");
    }
    Ok(tallies)
}

pub fn progress_bar(len: u64, quiet: bool, label: &str) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} replications, {eta} left")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(label.to_string());
    bar
}

/// Runs every replication of every scenario in `scenarios` as one pool of tasks, so that a
/// small scenario does not leave cores idle while a big one finishes, and maps each tally
/// through `f` as it comes so that only what `f` keeps stays in memory. Results come back per
/// scenario, in replication order, whatever the thread count.
pub fn run_all<T: Send>(
    scenarios: &[&Scenario],
    opts: RunOptions,
    f: impl Fn(&Scenario, Tally) -> T + Sync,
) -> anyhow::Result<Vec<Vec<T>>> {
    let jobs: Vec<(usize, u64)> = scenarios
        .iter()
        .enumerate()
        .flat_map(|(i, sc)| (0..sc.simulation.replications as u64).map(move |r| (i, r)))
        .collect();
    let bar = progress_bar(jobs.len() as u64, opts.quiet, "check");
    let work = || -> Vec<(usize, T)> {
        jobs.par_iter()
            .map(|&(i, r)| {
                let sc = scenarios[i];
                let out = f(sc, run_replication(sc, r));
                bar.inc(1);
                (i, out)
            })
            .collect()
    };
    let done = match opts.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
        None => work(),
    };
    bar.finish_and_clear();
    let mut per_scenario: Vec<Vec<T>> = scenarios.iter().map(|_| Vec::new()).collect();
    for (i, out) in done {
        per_scenario[i].push(out);
    }
    Ok(per_scenario)
}
