//! `chatsim compare`: two scenarios run with common random numbers, each metric's difference
//! with a paired 95% interval.

use std::io::Write;
use std::path::Path;

use serde_json::{Value, json};

use crate::cli::CompareArgs;
use crate::commands::run::default_out;
use crate::plan::{self, Difference, paired_differences};
use crate::report;
use crate::runner::{progress_bar, summarise_all};
use crate::scenario::{self, Override};

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    // --set-both, --seed, --replications and --horizon apply to both; --set changes the variant.
    let mut shared: Vec<Override> = args.set_both.clone();
    shared.extend(args.sim.flag_overrides());
    if args.variant.is_none() && args.sim.set.is_empty() {
        return Err(plan::usage_error(
            "compare",
            "variant",
            "nothing to compare: give a VARIANT file or --set changes, like --set package.cap=5",
        )
        .into());
    }
    let base = scenario::load_with(Some(&args.base), &shared)?;
    let variant_file = args.variant.as_deref().unwrap_or(&args.base);
    // --set-both first, then the variant's own --set, so that `--set-both K=4 --set K=2`
    // compares 4 with 2 (in either order on the command line); the flags come last.
    let mut changes = args.set_both.clone();
    changes.extend(args.sim.set.iter().cloned());
    changes.extend(args.sim.flag_overrides());
    let mut variant = scenario::load_with(Some(variant_file), &changes)?;
    // Pairing needs the same random streams and the same replications on both sides; the
    // variant keeps its own horizon, warm-up and buckets.
    variant.simulation.seed = base.simulation.seed;
    variant.simulation.replications = base.simulation.replications;
    let reps = 2 * base.simulation.replications as u64;
    crate::limits::check_work(
        &[(&base, reps / 2), (&variant, reps / 2)],
        args.sim.force,
        "the comparison",
    )?;
    if let Some(out) = &args.out {
        report::check_out_folder(out)?;
    }
    let bar = progress_bar(reps, args.sim.quiet, "compare");
    let runs = summarise_all(&[&base, &variant], args.sim.threads, &bar)?;
    bar.finish_and_clear();
    let diffs = paired_differences(&runs[0].per_replication, &runs[1].per_replication);
    let out = args.out.clone().unwrap_or_else(|| {
        let name = |p: &Path| {
            p.file_stem()
                .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
        };
        let v = match &args.variant {
            Some(p) => name(p),
            None => format!("{}-changed", name(&args.base)),
        };
        default_out(&format!("{}-vs-{v}", name(&args.base)))
    });
    report::write_file(&out.join("compare.json"), compare_json(&diffs).as_bytes())?;
    let mut stdout = std::io::stdout().lock();
    print_table(&mut stdout, &diffs, base.simulation.replications)?;
    writeln!(stdout, "written to {}", out.display())?;
    Ok(())
}

/// `{"metrics": {NAME: {"base", "variant", "diff", "ci95": [lo, hi], "significant"}}}`, with
/// diff = variant - base; a metric undefined on a side has null there.
pub fn compare_json(diffs: &[Difference]) -> String {
    let metrics: serde_json::Map<String, Value> = diffs
        .iter()
        .map(|d| {
            let v = json!({
                "base": d.base,
                "variant": d.variant,
                "diff": d.diff.map(|s| s.mean),
                "ci95": d.diff.map(|s| s.ci95),
                "significant": d.significant(),
            });
            (d.metric.clone(), v)
        })
        .collect();
    let mut text =
        serde_json::to_string_pretty(&json!({ "metrics": metrics })).expect("JSON of plain values");
    text.push('\n');
    text
}

/// The headline metrics, then every other site-wide metric whose difference is significant;
/// teams and streams are in `compare.json`.
fn print_table(out: &mut impl Write, diffs: &[Difference], reps: u32) -> std::io::Result<()> {
    const HEADLINE: [&str; 6] = [
        "requests",
        "engaged_rate",
        "fallback_rate",
        "abandoned_rate",
        "occupancy",
        "response_time.mean_s",
    ];
    writeln!(
        out,
        "paired over {reps} replications (variant - base, 95% interval; * = significant)"
    )?;
    let shown = diffs
        .iter()
        .filter(|d| !d.metric.starts_with("teams.") && !d.metric.starts_with("streams."))
        .filter(|d| HEADLINE.contains(&d.metric.as_str()) || d.significant());
    for d in shown {
        let num = |x: Option<f64>| x.map_or("-".into(), |v| figure(v, false));
        let diff = d.diff.map_or("-".into(), |s| {
            let f = |v| figure(v, true);
            format!("{} [{}, {}]", f(s.mean), f(s.ci95[0]), f(s.ci95[1]))
        });
        let star = if d.significant() { "*" } else { " " };
        writeln!(
            out,
            "{star} {:<34} {:>12} -> {:>12}  {diff}",
            d.metric,
            num(d.base),
            num(d.variant)
        )?;
    }
    Ok(())
}

/// Counts with one decimal, rates and seconds with four.
fn figure(v: f64, signed: bool) -> String {
    match (v.abs() >= 100.0, signed) {
        (true, true) => format!("{v:+.1}"),
        (true, false) => format!("{v:.1}"),
        (false, true) => format!("{v:+.4}"),
        (false, false) => format!("{v:.4}"),
    }
}
