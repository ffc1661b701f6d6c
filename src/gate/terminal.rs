//! The lines `chatsim check` prints: one per expectation, then what changed against the baseline.

use std::io::Write;

use crate::figure::{self, Figure, Unit};
use crate::report::Stat;

use super::{Change, Comparison, MetricChange, ScenarioResult, Verdict, plural};

pub fn print_result(out: &mut impl Write, r: &ScenarioResult) -> std::io::Result<()> {
    writeln!(
        out,
        "{} ({}: {} replications, seed {})",
        r.path, r.scenario, r.replications, r.seed
    )?;
    for j in &r.judgements {
        // A pass needs a defined metric (`judge` fails an undefined one): its figure is enough.
        let (label, text) = match j.verdict {
            Verdict::Pass => ("pass", j.figure()),
            Verdict::Fail => ("FAIL", j.message()),
            Verdict::Inconclusive => ("INCONCLUSIVE", j.message()),
        };
        writeln!(out, "  {label:<12}  {text}")?;
    }
    if let Some(c) = &r.comparison {
        print_comparison(out, c)?;
    }
    Ok(())
}

fn print_comparison(out: &mut impl Write, c: &Comparison) -> std::io::Result<()> {
    let changes: Vec<&MetricChange> = c.changes().collect();
    writeln!(
        out,
        "  baseline {} (seed {}, {} replications): {} rates compared, {}",
        c.baseline.path.display(),
        c.baseline.seed,
        c.baseline.replications,
        c.metrics.len(),
        match changes.len() {
            0 => "no significant change".to_string(),
            n => plural(n, "significant change"),
        }
    )?;
    for m in changes {
        let label = match m.change {
            Change::Regressed => "REGRESSED",
            Change::WorseWithinTolerance => "worse",
            Change::Better => "better",
            Change::Same => "same",
        };
        // The tolerance is in absolute rate units: percentage points.
        let tolerance = figure::signed(Unit::Share, c.tolerance);
        let tolerance = tolerance.trim_start_matches('+');
        let note = match m.change {
            Change::Regressed => format!(", worse by more than the tolerance {tolerance}"),
            Change::WorseWithinTolerance => format!(", within the tolerance {tolerance}"),
            _ => String::new(),
        };
        writeln!(out, "  {label:<12}  {}{note}", change_text(m))?;
    }
    let notes = [
        (
            &c.too_wide,
            "too wide to judge (no significant change, but intervals too wide to rule out a \
             regression of a few tolerances)",
        ),
        (&c.unmatched, "in only one of the runs"),
    ];
    for (figures, what) in notes.into_iter().filter(|(f, _)| !f.is_empty()) {
        let names: Vec<String> = figures.iter().map(Figure::name).collect();
        writeln!(out, "  {:<12}  {what}: {}", "note", names.join(", "))?;
    }
    Ok(())
}

/// `fallback_rate 10.65% [10.41%, 10.90%] -> 15.23% [15.00%, 15.46%] (+4.58 pp)`.
pub(super) fn change_text(m: &MetricChange) -> String {
    let unit = m.metric.metric.unit();
    let shown = |s: &Stat| figure::estimate(unit, s.mean, s.ci95);
    let delta = figure::signed(unit, m.delta());
    format!(
        "{} {} -> {} ({delta})",
        m.metric,
        shown(&m.baseline),
        shown(&m.current),
    )
}
