//! The human summary printed after a run: the headline numbers and fallbacks by reason.

use std::io::Write;

use crate::model::Reason;
use crate::report::RunSummary;
use crate::stats::Summary;

pub fn print_summary(out: &mut impl Write, s: &RunSummary) -> std::io::Result<()> {
    let days = s.horizon_s / 86_400.0;
    writeln!(
        out,
        "{}: {} replications of {days:.1} days, seed {}",
        s.scenario, s.replications, s.seed
    )?;
    writeln!(out, "  (mean per replication, 95% interval)")?;
    let line = |out: &mut dyn Write, label: &str, name: &str, pct: bool| -> std::io::Result<()> {
        match s.get(name) {
            Some(x) => writeln!(out, "  {label:<26} {}", fmt(x, pct)),
            None => writeln!(out, "  {label:<26} -"),
        }
    };
    line(out, "visitors", "visitors", false)?;
    line(out, "live-chat requests", "requests", false)?;
    line(out, "connected", "engaged", false)?;
    line(out, "fallback rate", "fallback_rate", true)?;
    for r in Reason::ALL {
        line(
            out,
            &format!("  {}", r.name()),
            &format!("fallback_rate.{}", r.name()),
            true,
        )?;
    }
    line(out, "abandoned", "abandoned", false)?;
    line(out, "rescued by a retry", "retry.rescued", false)?;
    line(out, "occupancy", "occupancy", true)?;
    line(out, "agents at cap", "cap_saturation", true)?;
    line(out, "avg agent response (s)", "response_time.mean_s", false)?;
    line(out, "avg chat length (s)", "chat_length.mean_s", false)?;
    if s.get("trial.exhausted").is_some_and(|x| x.max > 0.0) {
        line(out, "trial used up", "trial.exhausted", true)?;
        line(out, "  after (s)", "trial.exhausted_at_s", false)?;
    }
    Ok(())
}

fn fmt(x: &Summary, pct: bool) -> String {
    if pct {
        format!(
            "{:>7.2}%  [{:.2}%, {:.2}%]",
            100.0 * x.mean,
            100.0 * x.ci95[0],
            100.0 * x.ci95[1]
        )
    } else {
        format!("{:>9.1}  [{:.1}, {:.1}]", x.mean, x.ci95[0], x.ci95[1])
    }
}
