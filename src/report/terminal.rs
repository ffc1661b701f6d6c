//! The human summary printed after a run: the headline figures and fallbacks by reason.

use std::io::Write;

use crate::figure;
use crate::report::RunSummary;

pub fn print_summary(out: &mut impl Write, s: &RunSummary) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {} replications of {}, seed {}",
        s.scenario,
        s.replications,
        figure::duration(s.horizon_s),
        s.seed
    )?;
    match &s.window {
        Some(w) => writeln!(
            out,
            "  (mean per replication, 95% interval; requests arriving in, and time inside, {w})"
        )?,
        None => writeln!(out, "  (mean per replication, 95% interval)")?,
    }
    for (metric, label) in s.headline() {
        let unit = metric.unit();
        match s.site(metric) {
            Some(x) => writeln!(
                out,
                "  {label:<26} {:>9}  {}",
                figure::value(unit, x.mean),
                figure::interval(unit, x.ci95)
            )?,
            None => writeln!(out, "  {label:<26} -")?,
        }
    }
    Ok(())
}
