//! `chatsim require`: agents online each team needs in every interval of the week to meet every
//! target there with 95% confidence, as `requirements.csv`, the week's totals in agent-hours and
//! FTEs, and a plot of required against scheduled.

use std::io::Write;

use indexmap::IndexMap;

use crate::cli::RequireArgs;
use crate::commands::ChecksFailed;
use crate::commands::run::default_out;
use crate::figure::Metric;
use crate::plan::require::{self, Problem, Requirements, Status};
use crate::report::{
    self, ReportDir, RequirementRow, RequirementTable, RequirementsDoc, TeamRequirement, plots,
};
use crate::runner::{progress_bar, reduce_replications};
use crate::scenario::{self, Scenario};
use crate::usage::usage_error;

pub fn require(args: &RequireArgs) -> anyhow::Result<()> {
    let sc = scenario::load_with(args.scenario.as_deref(), &args.sim.overrides())?;
    check_staffable(&sc)?;
    let targets = require::interval_targets(&args.targets, &sc)?;
    let most_agents: Vec<u32> = sc
        .teams
        .iter()
        .map(|t| {
            args.max_agents
                .unwrap_or((4 * t.members.len() as u32).max(20))
        })
        .collect();
    let replications = sc.simulation.replications as u64;
    let most_replications = args
        .max_replications
        .map_or(replications * 32, u64::from)
        .max(replications);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&format!("{}-require", sc.name)));
    report::check_out_folder(&out)?;
    let problem = Problem {
        scenario: &sc,
        targets: &targets,
        most_agents,
        all_hours: args.all_hours,
        replications,
        most_replications,
    };
    let metrics = problem.metrics();
    let bar = progress_bar(0, args.sim.quiet, &format!("{} requirements", sc.name));
    let found = require::require(&problem, |s, reps| {
        crate::limits::check_work(&[(s, reps.end - reps.start)], args.sim.force, "the search")?;
        reduce_replications(s, reps, args.sim.threads, &bar, |t| {
            require::figures_of(s, t, &metrics)
        })
    })?;
    bar.finish_and_clear();
    let table = table(&sc, &metrics, &found);
    let doc = doc(&sc, args, &problem, &found, &table);
    let dir = ReportDir::new(&out)?;
    dir.write("requirements.csv", &report::requirements_csv(&table)?)?;
    dir.write("requirements.json", report::to_json(&doc).as_bytes())?;
    if !args.no_plots {
        dir.write_plot(&plots::render(&plots::Required {
            table: &table,
            teams: sc.teams.iter().map(|t| t.name.clone()).collect(),
        })?)?;
    }
    dir.commit()?;
    print(&doc, &table, &out)?;
    let unsettled: usize = doc.teams.values().map(|t| t.inconclusive).sum();
    // Out of reach where the team's schedule has agents: off the schedule is an answer.
    let blocked = found
        .cells
        .iter()
        .flatten()
        .filter(|c| c.status == Status::Unreachable && c.open)
        .count();
    if unsettled + blocked > 0 {
        return Err(ChecksFailed(format!(
            "{unsettled} intervals inconclusive and {blocked} out of reach of head count (see \
             the why column of requirements.csv)"
        ))
        .into());
    }
    Ok(())
}

/// Every team needs an agent to copy, and the counted time every interval of the week.
fn check_staffable(sc: &Scenario) -> anyhow::Result<()> {
    if sc.teams.is_empty() {
        return Err(usage_error(
            "SCENARIO",
            &sc.name,
            "has no teams: require finds agents per team (give the agent groups a team)",
        )
        .into());
    }
    if let Some(t) = sc.teams.iter().find(|t| t.members.is_empty()) {
        return Err(usage_error(
            "SCENARIO",
            &sc.name,
            format!("team {:?} has no agents to staff it with", t.name),
        )
        .into());
    }
    let s = &sc.simulation;
    if s.horizon.millis() < s.warmup.millis() + crate::scenario::WEEK_SECS as u64 * 1000 {
        return Err(usage_error(
            "--horizon",
            &crate::figure::duration(s.horizon.millis() as f64 / 1000.0),
            "require judges every interval of the week: the horizon must reach at least a \
             week past the warm-up (like --horizon 7d)",
        )
        .into());
    }
    Ok(())
}

fn table(sc: &Scenario, metrics: &[Metric], found: &Requirements) -> RequirementTable {
    let width = sc.simulation.interval.millis();
    let online = metrics.iter().position(|&m| m == Metric::OnlineAgents);
    let mut rows = Vec::new();
    for (i, team) in sc.teams.iter().enumerate() {
        let zone = report::team_zone(sc, i);
        for (h, cell) in found.cells[i].iter().enumerate() {
            let Some(first) = report::first_start(sc, h as u64 * width, width) else {
                continue;
            };
            rows.push(RequirementRow {
                team: team.name.clone(),
                first,
                zone: zone.clone(),
                required: cell.required,
                scheduled: online.and_then(|k| cell.scheduled[k]).map(|s| s.mean),
                status: cell.status.name(),
                why: cell.why.clone(),
                figures: cell.figures.clone(),
                as_scheduled: cell.scheduled.clone(),
            });
        }
    }
    RequirementTable {
        width_ms: width,
        columns: metrics.to_vec(),
        rows,
    }
}

fn doc(
    sc: &Scenario,
    args: &RequireArgs,
    problem: &Problem,
    found: &Requirements,
    table: &RequirementTable,
) -> RequirementsDoc {
    let width_h = table.width_ms as f64 / 3_600_000.0;
    let teams = sc
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let rows: Vec<&RequirementRow> =
                table.rows.iter().filter(|r| r.team == t.name).collect();
            let agent_hours = rows.iter().map(|r| r.required as f64).sum::<f64>() * width_h;
            let shrinkage = args.shrinkage.unwrap_or_else(|| {
                t.members
                    .iter()
                    .map(|&a| sc.agents[a as usize].shrinkage)
                    .sum::<f64>()
                    / t.members.len() as f64
            });
            let count = |s: Status| found.cells[i].iter().filter(|c| c.status == s).count();
            let requirement = TeamRequirement {
                time_zone: report::team_zone(sc, i)
                    .iana_name()
                    .unwrap_or("UTC")
                    .to_string(),
                agent_hours,
                shrinkage,
                fte: TeamRequirement::fte(agent_hours, args.contract_hours, shrinkage),
                peak: rows.iter().map(|r| r.required).max().unwrap_or(0),
                max_agents: problem.most_agents[i],
                scheduled_hours: rows.iter().filter_map(|r| r.scheduled).sum::<f64>() * width_h,
                met: count(Status::Met),
                inconclusive: count(Status::Inconclusive),
                unreachable: count(Status::Unreachable),
            };
            (t.name.clone(), requirement)
        })
        .collect::<IndexMap<_, _>>();
    RequirementsDoc {
        scenario: sc.name.clone(),
        fingerprint: sc.provenance.fingerprint.clone(),
        interval_s: table.width_ms / 1000,
        targets: problem.targets.iter().map(require::target_text).collect(),
        replications: found.replications,
        simulations: found.simulations,
        contract_hours: args.contract_hours,
        teams,
    }
}

fn print(
    doc: &RequirementsDoc,
    table: &RequirementTable,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let mut w = std::io::stdout().lock();
    writeln!(
        w,
        "{}: agents online required per {} interval for {}",
        doc.scenario,
        crate::figure::duration(doc.interval_s as f64),
        doc.targets.join(", ")
    )?;
    for (name, t) in &doc.teams {
        writeln!(
            w,
            "  {name:<12} {:>7.1} agent-hours a week ({:.1} FTE at {} h, {:.0}% shrinkage), \
             peak {}; scheduled {:.1} agent-hours",
            t.agent_hours,
            t.fte,
            doc.contract_hours,
            100.0 * t.shrinkage,
            t.peak,
            t.scheduled_hours
        )?;
        writeln!(
            w,
            "  {:<12} intervals: {} met, {} inconclusive, {} unreachable",
            "", t.met, t.inconclusive, t.unreachable
        )?;
        let mut whys: IndexMap<&str, usize> = IndexMap::new();
        for r in table
            .rows
            .iter()
            .filter(|r| &r.team == name && r.status != "met")
        {
            *whys.entry(r.why.as_str()).or_default() += 1;
        }
        for (why, n) in whys {
            writeln!(w, "  {:<12}   {n} x {why}", "")?;
        }
    }
    writeln!(
        w,
        "{} staffings simulated ({} replications at the end), written to {}",
        doc.simulations,
        doc.replications,
        out.display()
    )?;
    Ok(())
}
