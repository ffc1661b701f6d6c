//! Many scenarios at once: every (point, replication) pair is one task of a single parallel
//! pass, so a grid of small points keeps both cores busy as well as one big point does.

use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::report::{self, RunSummary};
use crate::runner::RunOptions;
use crate::scenario::Scenario;

/// Runs every replication of every scenario in `points` and summarises each. Results are in
/// point order and replication order, whatever the thread count. `bar` counts replications; the
/// caller sets its length, so that a sweep in chunks or a search in rounds share one bar.
pub fn evaluate(
    points: &[Scenario],
    opts: RunOptions,
    bar: &ProgressBar,
) -> anyhow::Result<Vec<RunSummary>> {
    let tasks: Vec<(usize, u64)> = points
        .iter()
        .enumerate()
        .flat_map(|(p, sc)| (0..sc.simulation.replications as u64).map(move |k| (p, k)))
        .collect();
    let work = || -> Result<Vec<report::Metrics>, String> {
        tasks
            .par_iter()
            .map(|&(p, k)| {
                let sc = &points[p];
                let tally = crate::model::run_replication(sc, k);
                bar.inc(1);
                match tally.trace_error {
                    Some(e) => Err(e),
                    None => Ok(report::metrics(sc, &tally)),
                }
            })
            .collect()
    };
    let mut all = match opts.threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
        None => work(),
    }
    .map_err(|e| anyhow::anyhow!("the arrival trace failed during the run: {e}"))?
    .into_iter();
    Ok(points
        .iter()
        .map(|sc| {
            let per_rep = all
                .by_ref()
                .take(sc.simulation.replications as usize)
                .collect();
            RunSummary::new(
                &sc.name,
                sc.simulation.seed,
                sc.simulation.horizon.as_secs_f64(),
                per_rep,
            )
        })
        .collect())
}
