//! `chatsim compare`: two scenarios run with common random numbers, each metric's difference
//! with a paired 95% interval.

use std::io::Write;
use std::path::Path;

use crate::cli::CompareArgs;
use crate::commands::run::default_out;
use crate::figure::{self, Scope};
use crate::plan::{Difference, paired_differences};
use crate::report::{self, COMPARE_HEADLINE, CompareDoc, Side};
use crate::runner::{progress_bar, summarise_all};
use crate::scenario::{self, Override};
use crate::usage::usage_error;

pub fn compare(args: &CompareArgs) -> anyhow::Result<()> {
    // --set-both, --seed, --replications and --horizon apply to both; --set changes the variant.
    let mut shared: Vec<Override> = args.set_both.clone();
    shared.extend(args.sim.flag_overrides());
    if args.variant.is_none() && args.sim.set.is_empty() {
        return Err(usage_error(
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
    report::check_out_folder(&out)?;
    let bar = progress_bar(reps, args.sim.quiet, "compare");
    let runs = summarise_all(&[&base, &variant], args.sim.threads, &bar)?;
    bar.finish_and_clear();
    let diffs = paired_differences(&runs[0].per_replication, &runs[1].per_replication);
    report::write_file(&out.join("compare.json"), compare_json(&diffs).as_bytes())?;
    let differences: Vec<_> = diffs.iter().map(|d| (d.metric.clone(), d.doc())).collect();
    let side = |file: &Path, scenario| Side {
        file: file.display().to_string(),
        scenario,
    };
    let page = report::ComparePage {
        base: side(&args.base, &base),
        variant: side(variant_file, &variant),
        differences: &differences,
    };
    report::write_file(
        &out.join("report.html"),
        report::compare_html(&page).as_bytes(),
    )?;
    let mut stdout = std::io::stdout().lock();
    print_table(&mut stdout, &diffs, base.simulation.replications)?;
    writeln!(stdout, "written to {}", out.display())?;
    Ok(())
}

/// `compare.json`; a figure undefined on a side has null there.
pub fn compare_json(diffs: &[Difference]) -> String {
    let doc = CompareDoc {
        metrics: diffs.iter().map(|d| (d.metric.name(), d.doc())).collect(),
    };
    report::to_json(&doc)
}

/// The headline figures, then every other site-wide figure whose difference is significant;
/// teams and streams are in `compare.json`. A difference that prints as zero is not starred,
/// however consistent it was.
fn print_table(out: &mut impl Write, diffs: &[Difference], reps: u32) -> std::io::Result<()> {
    writeln!(
        out,
        "paired over {reps} replications (variant - base, 95% interval; * = significant)"
    )?;
    let shown = diffs
        .iter()
        .filter(|d| d.metric.scope == Scope::Site)
        .filter(|d| COMPARE_HEADLINE.contains(&d.metric.metric) || d.significant());
    for d in shown {
        let unit = d.metric.metric.unit();
        let num = |x: Option<f64>| x.map_or("-".into(), |v| figure::value(unit, v));
        let signed = |v: f64| figure::signed(unit, v);
        let printed = d
            .diff
            .is_some_and(|s| !figure::prints_as_zero(unit, s.mean));
        let diff = d.diff.map_or("-".into(), |s| {
            format!(
                "{} [{}, {}]",
                signed(s.mean),
                signed(s.ci95[0]),
                signed(s.ci95[1])
            )
        });
        let star = if d.significant() && printed { "*" } else { " " };
        writeln!(
            out,
            "{star} {:<34} {:>12} -> {:>12}  {diff}",
            d.metric.name(),
            num(d.base),
            num(d.variant)
        )?;
    }
    Ok(())
}
