//! `chatsim roster`: shifts per team that cover what `require` found, at the least paid hours,
//! written as `roster.csv` and a runnable scenario, then simulated to show how it does.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use indexmap::IndexMap;

use crate::cli::RosterArgs;
use crate::commands::run::default_out;
use crate::figure::{Figure, Metric};
use crate::plan::require::{self, Figures};
use crate::plan::roster::{self, Rules};
use crate::plan::{Standing, TargetSpec};
use crate::report::{
    self, At, Estimate, Reader, ReportDir, RequirementsDoc, RosterDoc, RosterRow, Simulated,
    TeamRoster,
};
use crate::runner::{progress_bar, reduce_replications};
use crate::scenario::{self, Scenario, ShiftGroup, WEEK_SECS};
use crate::stats::Summary;
use crate::usage::{UsageError, usage_error};

pub fn roster(args: &RosterArgs) -> anyhow::Result<()> {
    let overrides = args.sim.overrides();
    let (sc, text) = scenario::load_with_text(args.scenario.as_deref(), &overrides)?;
    let (doc, required) = read_requirements(&args.requirements, &sc)?;
    let rules = rules(args, doc.interval_s as u32)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&format!("{}-roster", sc.name)));
    report::check_out_folder(&out)?;
    let mut rows = Vec::new();
    let mut groups = Vec::new();
    let mut solved = Vec::new();
    for (team, need, left_out) in &required {
        let shrinkage = args
            .shrinkage
            .unwrap_or_else(|| doc.teams.get(team).map_or(0.0, |t| t.shrinkage));
        let rules = Rules {
            shrinkage,
            ..rules.clone()
        };
        let (zone, offset) = clock(&text, team, &sc)?;
        let r = roster::solve(need, &rules, offset, doc.interval_s as u32)
            .map_err(|e| usage_error("--requirements", team, e.to_string()))?;
        let mut shifts = Vec::new();
        for (p, n) in &r.shifts {
            let group = p.group_name(team);
            rows.push(RosterRow {
                team: team.clone(),
                group: group.clone(),
                schedule: p.schedule(),
                time_zone: zone.clone(),
                length_h: p.length as f64 / 3600.0,
                days: p.days,
                agents: *n,
                paid_hours: p.paid_hours() * *n as f64,
                cost: p.cost * *n as f64,
            });
            shifts.push(ShiftGroup {
                name: group,
                count: *n,
                schedule: p.schedule(),
                shrinkage,
            });
        }
        groups.push((team.clone(), shifts));
        solved.push((team.clone(), r, shrinkage, *left_out));
    }
    let name = format!("{}-roster", sc.name);
    let written = scenario::rostered(&text, &name, &groups)
        .map_err(|e| usage_error("SCENARIO", &sc.name, e))?;
    let base_dir = args
        .scenario
        .as_deref()
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    // Judged on as many replications as the requirements were, unless told otherwise.
    let mut judged = overrides.clone();
    if args.sim.replications.is_none() {
        judged.push(scenario::Override {
            path: "simulation.replications".into(),
            value: doc.replications.to_string(),
        });
    }
    let rostered = scenario::parse_str(&written, &name, base_dir, &judged)
        .context("the rostered scenario does not read back (does the routing name an agent of a rostered team?)")?;
    let specs: Vec<TargetSpec> = doc
        .targets
        .iter()
        .map(|t| t.parse())
        .collect::<Result<_, _>>()
        .map_err(|e| usage_error("--requirements", "requirements.json", format!("{e}")))?;
    let targets = require::interval_targets(&specs, &rostered)?;
    let simulated = simulate(&rostered, &targets, args)?;
    let teams = solved
        .iter()
        .map(|(team, r, shrinkage, left_out)| {
            let i = rostered.teams.iter().position(|t| &t.name == team);
            let counts = i.map_or((0, 0, 0), |i| simulated.counts[i]);
            let row = TeamRoster {
                agents: r.shifts.iter().map(|(_, n)| n).sum(),
                paid_hours: r.paid_hours,
                cost: r.cost,
                lower_bound: r.lower_bound,
                gap: r.gap(),
                fte: r.paid_hours / doc.contract_hours,
                shrinkage: *shrinkage,
                left_out: *left_out,
                intervals: counts.0,
                met: counts.1,
                met_in_mean: counts.2,
                fallback_rate: i
                    .and_then(|i| simulated.team_fallback[i].as_ref().map(Estimate::from)),
            };
            (team.clone(), row)
        })
        .collect::<IndexMap<_, _>>();
    let (all, met, in_mean) = simulated
        .counts
        .iter()
        .fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    let share = |n: usize| if all == 0 { 1.0 } else { n as f64 / all as f64 };
    let roster_doc = RosterDoc {
        scenario: sc.name.clone(),
        roster_scenario: "roster.toml".into(),
        targets: doc.targets.clone(),
        teams,
        simulated: Simulated {
            replications: simulated.replications,
            share_met: share(met),
            share_met_in_mean: share(in_mean),
            fallback_rate: simulated.site_fallback.as_ref().map(Estimate::from),
        },
    };
    let dir = ReportDir::new(&out)?;
    dir.write("roster.csv", &report::roster_csv(&rows)?)?;
    dir.write(
        "roster.toml",
        format!(
            "# The roster chatsim found for {} (roster.csv): each rostered team's agents replaced\n\
             # by groups on its shifts. File references resolve against the original's folder.\n\n{written}",
            sc.name
        )
        .as_bytes(),
    )?;
    dir.write("roster.json", report::to_json(&roster_doc).as_bytes())?;
    dir.commit()?;
    print(&roster_doc, &out)?;
    Ok(())
}

/// Each team's agents required per interval of the UTC week, and how many intervals it leaves
/// out (not met even at the most agents).
type Required = Vec<(String, Vec<u32>, usize)>;

/// `requirements.json` and each team's agents required per interval from `requirements.csv`,
/// checked to be of `sc`.
fn read_requirements(dir: &Path, sc: &Scenario) -> Result<(RequirementsDoc, Required), UsageError> {
    let bad = |file: &str, why: String| {
        usage_error("--requirements", &dir.join(file).display().to_string(), why)
    };
    let json = std::fs::read(dir.join("requirements.json")).map_err(|e| {
        bad(
            "requirements.json",
            format!("cannot read it ({e}): give the folder chatsim require wrote"),
        )
    })?;
    let doc: RequirementsDoc = serde_json::from_slice(&json).map_err(|e| {
        bad(
            "requirements.json",
            format!("not a requirements.json of chatsim require: {e}"),
        )
    })?;
    if doc.scenario != sc.name {
        return Err(bad(
            "requirements.json",
            format!(
                "the requirements are of scenario {:?}, not {:?}",
                doc.scenario, sc.name
            ),
        ));
    }
    let width = doc.interval_s;
    if width == 0 || !(WEEK_SECS as u64).is_multiple_of(width) {
        return Err(bad(
            "requirements.json",
            format!("interval_s {width} does not divide a week"),
        ));
    }
    let slots = (WEEK_SECS as u64 / width) as usize;
    let mut required: Required = sc
        .teams
        .iter()
        .filter(|t| doc.teams.contains_key(&t.name))
        .map(|t| (t.name.clone(), vec![0; slots], 0))
        .collect();
    let mut r = csv::Reader::from_path(dir.join("requirements.csv"))
        .map_err(|e| bad("requirements.csv", e.to_string()))?;
    let header = r
        .headers()
        .map_err(|e| bad("requirements.csv", e.to_string()))?
        .clone();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| bad("requirements.csv", format!("no column {name:?}")))
    };
    let (team, day, start, need, status) = (
        col("team")?,
        col("weekday")?,
        col("start")?,
        col("required")?,
        col("status")?,
    );
    for (line, rec) in r.records().enumerate() {
        let at = |why: String| bad("requirements.csv", format!("line {}: {why}", line + 2));
        let rec = rec.map_err(|e| at(e.to_string()))?;
        let field = |i: usize| rec.get(i).unwrap_or("");
        let d = scenario::DAY_NAMES
            .iter()
            .position(|n| n[..3] == *field(day))
            .ok_or_else(|| at(format!("weekday {:?} is not mon..sun", field(day))))?;
        let s = scenario::clock(field(start))
            .ok_or_else(|| at(format!("start {:?} is not HH:MM", field(start))))?;
        let slot = (d as u64 * 86_400 + s as u64) / width;
        let n: u32 = field(need)
            .parse()
            .map_err(|_| at(format!("required {:?} is not a count", field(need))))?;
        let Some((name, row, left_out)) = required.iter_mut().find(|(t, ..)| t == field(team))
        else {
            return Err(at(format!(
                "team {:?} is not a team of {}",
                field(team),
                sc.name
            )));
        };
        // Not met even at the most agents the search could give: head count has no known
        // answer there, so the roster does not chase one.
        let most = doc
            .teams
            .get(name.as_str())
            .map_or(u32::MAX, |t| t.max_agents);
        if field(status) != "met" && n >= most {
            *left_out += 1;
            continue;
        }
        row[slot as usize] = n;
    }
    Ok((doc, required))
}

/// The shift rules of the command line.
fn rules(args: &RosterArgs, width: u32) -> Result<Rules, UsageError> {
    let mut shifts = Vec::new();
    let specs = if args.shifts.is_empty() {
        vec!["8h".to_string()]
    } else {
        args.shifts.clone()
    };
    for spec in &specs {
        let bad = |why: &str| usage_error("--shift", spec, why);
        let (length, cost) = match spec.split_once('=') {
            Some((l, c)) => (l, Some(c)),
            None => (spec.as_str(), None),
        };
        let secs = scenario::parse_duration(length)
            .filter(|s| *s > 0.0 && *s <= 86_400.0 && (*s as u32).is_multiple_of(width))
            .ok_or_else(|| bad("expected a length up to 24h in whole intervals, like 8h or 8h=100 (a cost per shift)"))?;
        let cost = cost
            .map(|c| {
                c.trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|c| c.is_finite() && *c >= 0.0)
            })
            .map(|c| c.ok_or_else(|| bad("the cost after = must be a non-negative number")))
            .transpose()?;
        shifts.push((secs as u32, cost));
    }
    let step = match &args.start_every {
        Some(s) => scenario::parse_duration(s)
            .filter(|x| {
                *x > 0.0 && (*x as u32).is_multiple_of(width) && 86_400u32.is_multiple_of(*x as u32)
            })
            .ok_or_else(|| {
                usage_error(
                    "--start-every",
                    s,
                    "expected whole intervals dividing a day, like 1h or 30m",
                )
            })? as u32,
        None => width,
    };
    let (from, to) = match &args.starts {
        Some(s) => {
            let parsed = s
                .split_once('-')
                .and_then(|(a, b)| Some((scenario::clock(a.trim())?, scenario::clock(b.trim())?)));
            parsed.filter(|(a, b)| a <= b).ok_or_else(|| {
                usage_error(
                    "--starts",
                    s,
                    "expected the first and last start of the day, like 06:00-14:00",
                )
            })?
        }
        None => (0, 86_400 - step as i64),
    };
    let starts: Vec<u32> = (from as u32..=to as u32)
        .step_by(step as usize)
        .filter(|s| *s < 86_400)
        .collect();
    Ok(Rules {
        shifts,
        starts,
        days: args.days,
        shrinkage: 0.0,
    })
}

/// The team's clock as its scenario groups keep it, and its offset from UTC at the start of
/// the counted time.
fn clock(text: &str, team: &str, sc: &Scenario) -> anyhow::Result<(String, i64)> {
    let (zone, offset) =
        scenario::team_clock(text, team).map_err(|e| usage_error("SCENARIO", team, e))?;
    let at = sc
        .simulation
        .start
        .checked_add(jiff::SignedDuration::from_millis(
            sc.simulation.warmup.millis() as i64,
        ))
        .unwrap_or(sc.simulation.start);
    Ok(match (zone, offset) {
        (Some(z), _) => {
            let tz = jiff::tz::TimeZone::get(&z)
                .map_err(|e| usage_error("SCENARIO", &z, e.to_string()))?;
            let secs = tz.to_offset(at).seconds() as i64;
            (z, secs)
        }
        (None, Some(o)) => {
            let secs = scenario::parse_offset(&o).map_err(|e| usage_error("SCENARIO", &o, e))?;
            (format!("UTC{o}"), secs)
        }
        (None, None) => ("UTC".into(), 0),
    })
}

/// The rostered scenario simulated: per team, intervals with requests and how many meet the
/// targets (confidently, in the mean); the weekly fallback rates.
struct Outcome {
    replications: usize,
    counts: Vec<(usize, usize, usize)>,
    site_fallback: Option<Summary>,
    team_fallback: Vec<Option<Summary>>,
}

fn simulate(
    sc: &Scenario,
    targets: &[crate::plan::Target],
    args: &RosterArgs,
) -> anyhow::Result<Outcome> {
    let metrics = require::metrics_for(targets);
    let reps = sc.simulation.replications as u64;
    crate::limits::check_work(&[(sc, reps)], args.sim.force, "the roster's simulation")?;
    let bar = progress_bar(0, args.sim.quiet, &format!("{} simulated", sc.name));
    let reader = Reader::new(sc);
    let per_rep: Vec<(Figures, Vec<Option<f64>>)> =
        reduce_replications(sc, 0..reps, args.sim.threads, &bar, |t| {
            let mut weekly = vec![reader.figure(t, &Figure::site(Metric::FallbackRate))];
            weekly.extend(
                (0..sc.teams.len()).map(|i| reader.value(t, Metric::FallbackRate, At::Team(i))),
            );
            (require::figures_of(sc, t, &metrics), weekly)
        })?;
    bar.finish_and_clear();
    let (figures, weekly): (Vec<Figures>, Vec<Vec<Option<f64>>>) = per_rep.into_iter().unzip();
    let verdicts = require::verdicts(sc, targets, &figures);
    let counts = verdicts
        .iter()
        .map(|team| {
            let with = team.iter().filter(|v| v.requests);
            (
                with.clone().count(),
                with.clone().filter(|v| v.standing == Standing::Met).count(),
                with.filter(|v| v.in_mean).count(),
            )
        })
        .collect();
    let summary = |k: usize| {
        Summary::of(weekly.iter().filter_map(|w| w[k]))
            .map(|s| s.clipped(Metric::FallbackRate.unit()))
    };
    Ok(Outcome {
        replications: figures.len(),
        counts,
        site_fallback: summary(0),
        team_fallback: (0..sc.teams.len()).map(|i| summary(i + 1)).collect(),
    })
}

fn print(doc: &RosterDoc, out: &Path) -> anyhow::Result<()> {
    let mut w = std::io::stdout().lock();
    writeln!(
        w,
        "{}: a roster for {}",
        doc.scenario,
        doc.targets.join(", ")
    )?;
    let share = |x: f64| crate::figure::value(crate::figure::Unit::Share, x);
    let rate = |e: Option<Estimate>| {
        e.map_or("undefined".into(), |e| {
            crate::figure::estimate(crate::figure::Unit::Share, e.mean, e.ci95)
        })
    };
    for (team, t) in &doc.teams {
        writeln!(
            w,
            "  {team:<12} {} agents, {:.1} paid hours a week ({:.1} FTE), {} above the bound of {:.1}; \
             simulated: {}/{} intervals met ({} in the mean), fallback {}{}",
            t.agents,
            t.paid_hours,
            t.fte,
            share(t.gap),
            t.lower_bound,
            t.met,
            t.intervals,
            t.met_in_mean,
            rate(t.fallback_rate),
            if t.left_out > 0 {
                format!(
                    "; {} intervals left out, not met at the most agents",
                    t.left_out
                )
            } else {
                String::new()
            }
        )?;
    }
    let s = &doc.simulated;
    writeln!(
        w,
        "simulated over {} replications: {} of intervals meet every target ({} in the mean), weekly fallback {}",
        s.replications,
        share(s.share_met),
        share(s.share_met_in_mean),
        rate(s.fallback_rate)
    )?;
    writeln!(
        w,
        "roster.csv, roster.toml and roster.json written to {}",
        out.display()
    )?;
    Ok(())
}
