//! `chatsim staff`: the fewest agents that meet every target with 95% confidence. Exits 1 when
//! no staffing within the bounds does, so that a script cannot take the bounds for an answer.

use std::io::Write;

use anyhow::Context;

use indicatif::ProgressBar;

use crate::cli::StaffArgs;
use crate::commands::ChecksFailed;
use crate::commands::run::default_out;
use crate::figure;
use crate::plan::{self, Search, Standing, Vary};
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
    let mut reps = base.simulation.replications;
    let most = args
        .max_replications
        .unwrap_or(reps.saturating_mul(8))
        .max(reps);
    // A search whose answer only straddles a target is run again on twice the replications
    // (the first ones are the same, by common random numbers), up to the cap.
    let search = loop {
        let mut fixed = fixed.clone();
        fixed.push(Override {
            path: "simulation.replications".into(),
            value: reps.to_string(),
        });
        let search = search_at(args, &fixed, &vary, &targets, &bar)?;
        if search.met || search.standing_of(&targets) != Standing::Inconclusive || reps >= most {
            break search;
        }
        reps = reps.saturating_mul(2).min(most);
    };
    bar.finish_and_clear();
    report::write_file(
        &out.join("staff.json"),
        staff_json(&vary, &targets, &search).as_bytes(),
    )?;
    let page = report::staff_html(&search.page(&vary, &targets));
    report::write_file(&out.join("report.html"), page.as_bytes())?;
    let mut stdout = std::io::stdout().lock();
    let open = search.standing_of(&targets) == Standing::Inconclusive;
    let verdict = if search.met {
        "meets every target".to_string()
    } else if open {
        format!(
            "INCONCLUSIVE: at the upper bounds a target's interval still straddles its bound at \
             {} replications (raise --max-replications or the bounds)",
            search.summary.replications
        )
    } else {
        "does NOT meet every target (the upper bounds are not enough)".to_string()
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
        writeln!(
            stdout,
            "  target {t}: {shown} {}",
            search.standing(t).name()
        )?;
    }
    writeln!(
        stdout,
        "{} staffings simulated ({} replications each), written to {}",
        search.runs,
        search.summary.replications,
        out.display()
    )?;
    if !search.met {
        let why = if open { "inconclusive" } else { "missed" };
        return Err(ChecksFailed(format!(
            "no staffing within the searched bounds meets every target ({why})"
        ))
        .into());
    }
    Ok(())
}

/// The staffing search with the scenario loaded under `fixed` overrides.
fn search_at(
    args: &StaffArgs,
    fixed: &[Override],
    vary: &[Vary],
    targets: &[plan::Target],
    bar: &ProgressBar,
) -> anyhow::Result<Search> {
    plan::staff_search(vary, targets, |xs| {
        let scenarios = xs
            .iter()
            .map(|x| {
                let mut ovs = fixed.to_vec();
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
        summarise_all(&scenarios.iter().collect::<Vec<_>>(), args.sim.threads, bar)
    })
}

fn staff_json(vary: &[Vary], targets: &[plan::Target], s: &Search) -> String {
    let doc = StaffDoc {
        answer: vary
            .iter()
            .zip(&s.answer)
            .map(|(v, x)| (v.path.clone(), *x))
            .collect(),
        met: s.met,
        targets: targets
            .iter()
            .map(|t| (t.to_string(), s.standing(t).name()))
            .collect(),
        replications: s.summary.replications,
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
