//! `chatsim staff`: the fewest agents that meet every target with 95% confidence.

use std::io::Write;

use anyhow::Context;

use crate::cli::StaffArgs;
use crate::commands::run::default_out;
use crate::figure;
use crate::plan::{self, Search, Vary};
use crate::report::{self, Estimate, StaffDoc};
use crate::runner::{progress_bar, summarise_all};
use crate::scenario::{self, Override};
use crate::usage::usage_error;

pub fn staff(args: &StaffArgs) -> anyhow::Result<()> {
    let fixed = args.sim.overrides();
    let base = scenario::load_with(args.scenario.as_deref(), &fixed)?;
    let vary = args
        .vary
        .iter()
        .map(|v| Vary::parse(v, &base))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, v) in vary.iter().enumerate() {
        if vary[..i].iter().any(|w| w.path == v.path) {
            return Err(usage_error("--vary", &v.path, "varied twice").into());
        }
    }
    let targets = args
        .targets
        .iter()
        .map(|t| t.resolve(&base))
        .collect::<Result<Vec<_>, _>>()?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&format!("{}-staff", base.name)));
    report::check_out_folder(&out)?;
    let bar = progress_bar(0, args.sim.quiet, &format!("{} staffing search", base.name));
    let search = plan::staff_search(&vary, &targets, |xs| {
        let scenarios = xs
            .iter()
            .map(|x| {
                let mut ovs = fixed.clone();
                ovs.extend(vary.iter().zip(x).map(|(v, value)| Override {
                    path: v.path.clone(),
                    value: value.to_string(),
                }));
                scenario::load_with(args.scenario.as_deref(), &ovs).with_context(|| {
                    let at: Vec<String> = ovs[fixed.len()..].iter().map(|o| o.to_string()).collect();
                    format!(
                        "the scenario is not valid at {} (narrow the search with --vary PATH=LO..HI)",
                        at.join(" ")
                    )
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let reps: u64 = scenarios
            .iter()
            .map(|s| s.simulation.replications as u64)
            .sum();
        let work: Vec<_> = scenarios
            .iter()
            .map(|s| (s, s.simulation.replications as u64))
            .collect();
        crate::limits::check_work(&work, args.sim.force, "the staffing search")?;
        bar.inc_length(reps * crate::runner::PROGRESS_UNITS);
        summarise_all(
            &scenarios.iter().collect::<Vec<_>>(),
            args.sim.threads,
            &bar,
        )
    })?;
    bar.finish_and_clear();
    report::write_file(
        &out.join("staff.json"),
        staff_json(&vary, &search).as_bytes(),
    )?;
    let page = report::staff_html(&search.page(&vary, &targets));
    report::write_file(&out.join("report.html"), page.as_bytes())?;
    let mut stdout = std::io::stdout().lock();
    let verdict = if search.met {
        "meets every target"
    } else {
        "does NOT meet every target (the upper bounds are not enough)"
    };
    writeln!(
        stdout,
        "{}: {} in total over the searched keys, {verdict}",
        base.name,
        search.answer.iter().sum::<i64>()
    )?;
    for (v, x) in vary.iter().zip(&search.answer) {
        writeln!(stdout, "  {} = {x}   (searched {}..{})", v.path, v.lo, v.hi)?;
    }
    for t in &targets {
        let s = search.summary.get(&t.metric);
        let unit = t.metric.metric.unit();
        let shown = s.map_or("undefined".into(), |s| {
            figure::estimate(unit, s.mean, s.ci95)
        });
        let ok = if t.met(&search.summary) {
            "met"
        } else {
            "missed"
        };
        writeln!(stdout, "  target {t}: {shown} {ok}")?;
    }
    writeln!(
        stdout,
        "{} staffings simulated ({} replications each), written to {}",
        search.runs,
        search.summary.replications,
        out.display()
    )?;
    Ok(())
}

fn staff_json(vary: &[Vary], s: &Search) -> String {
    let doc = StaffDoc {
        answer: vary
            .iter()
            .zip(&s.answer)
            .map(|(v, x)| (v.path.clone(), *x))
            .collect(),
        met: s.met,
        metrics: s
            .summary
            .metrics
            .iter()
            .map(|(f, sum)| (f.name(), sum.as_ref().map(Estimate::from)))
            .collect(),
        runs: s.runs,
    };
    report::to_json(&doc)
}
