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
