//! `chatsim sweep`: a grid of what-ifs, one row per point in `sweep.csv`, and a plot.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::SweepArgs;
use crate::model::Tally;
use crate::plan::{self, Grid, Point};
use crate::report::{self, Series};
use crate::runner::{RunOptions, progress_bar};
use crate::scenario::{self, Scenario, ScenarioError};

pub const DEFAULT_METRICS: [&str; 5] = [
    "fallback_rate",
    "fallback_rate.at_cap",
    "engaged_rate",
    "abandoned_rate",
    "occupancy",
];

pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let grid = Grid::new(&args.sim.overrides())?;
    if grid.axes.is_empty() {
        return Err(plan::usage_error(
            "--set",
            "grid",
            "nothing to sweep: give a key several values, like --set agents.emea.count=2..12 \
             or --set package.cap=5,10",
        )
        .into());
    }
    let points = grid.points();
    let scenarios = points
        .iter()
        .map(|p| scenario::load_with(args.scenario.as_deref(), &grid.overrides(p)))
        .collect::<Result<Vec<_>, _>>()?;
    let metrics = chosen_metrics(&args.metrics, &scenarios[0])?;
    let bar = progress_bar(0, args.sim.quiet, &format!("{} sweep", scenarios[0].name));
    let opts = RunOptions {
        threads: args.sim.threads,
        quiet: args.sim.quiet,
    };
    let summaries = plan::evaluate(&scenarios, opts, &bar)?;
    bar.finish_and_clear();
    let evaluated: Vec<Point> = points
        .iter()
        .zip(summaries)
        .map(|(p, summary)| Point {
            settings: grid
                .axes
                .iter()
                .map(|a| a.path.clone())
                .zip(p.iter().cloned())
                .collect(),
            summary,
        })
        .collect();
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("{}-sweep", scenarios[0].name)));
    write_outputs(&out, &grid, &metrics, &evaluated)?;
    let mut stdout = std::io::stdout().lock();
    print_table(&mut stdout, &grid, &metrics, &evaluated)?;
    writeln!(
        stdout,
        "{} points x {} replications, written to {}",
        evaluated.len(),
        scenarios[0].simulation.replications,
        out.display()
    )?;
    Ok(())
}

/// The metrics asked for, checked against the scenario's vocabulary before anything runs.
pub fn chosen_metrics(asked: &[String], sc: &Scenario) -> Result<Vec<String>, ScenarioError> {
    let known: Vec<String> = metric_names(sc);
    let asked: Vec<String> = if asked.is_empty() {
        DEFAULT_METRICS.iter().map(|s| s.to_string()).collect()
    } else {
        asked.to_vec()
    };
    for m in &asked {
        if !known.contains(m) {
            return Err(plan::usage_error(
                "--metric",
                m,
                format!(
                    "unknown metric (metrics: {}, ... see summary.json of `chatsim run`)",
                    known[..known.len().min(12)].join(", ")
                ),
            ));
        }
    }
    Ok(asked)
}

/// Every metric name `report::metrics` gives for `sc`.
pub fn metric_names(sc: &Scenario) -> Vec<String> {
    let empty = Tally::new(
        sc.streams.len(),
        sc.teams.len(),
        sc.agents.len(),
        sc.simulation.warmup,
    );
    report::metrics(sc, &empty)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

fn write_outputs(
    out: &Path,
    grid: &Grid,
    metrics: &[String],
    points: &[Point],
) -> anyhow::Result<()> {
    report::write_atomic(&out.join("sweep.csv"), &sweep_csv(grid, metrics, points)?)?;
    let svg = report::sweep_svg(
        &grid.axes[0].path,
        &metrics[0],
        &plot_series(grid, &metrics[0], points),
    )?;
    report::write_atomic(&out.join("sweep.svg"), svg.as_bytes())?;
    Ok(())
}

/// One column per swept key named as in `--set`, then `NAME.mean`, `NAME.ci95_lo`,
/// `NAME.ci95_hi` per metric; undefined values are empty cells.
fn sweep_csv(grid: &Grid, metrics: &[String], points: &[Point]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = grid.axes.iter().map(|a| a.path.clone()).collect();
    for m in metrics {
        header.extend(["mean", "ci95_lo", "ci95_hi"].map(|s| format!("{m}.{s}")));
    }
    w.write_record(&header)?;
    for p in points {
        let mut row: Vec<String> = p.settings.iter().map(|(_, v)| v.clone()).collect();
        for m in metrics {
            match p.summary.get(m) {
                Some(s) => row.extend([s.mean, s.ci95[0], s.ci95[1]].map(|x| x.to_string())),
                None => row.extend(["", "", ""].map(String::from)),
            }
        }
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

/// The first key on the x axis (its values if they are numbers, else their positions), one
/// series per combination of the other keys.
fn plot_series(grid: &Grid, metric: &str, points: &[Point]) -> Vec<Series> {
    let first = &grid.axes[0].values;
    let numeric: Option<Vec<f64>> = first.iter().map(|v| v.parse().ok()).collect();
    let x_of = |v: &str| {
        let i = first.iter().position(|f| f == v).unwrap_or(0);
        numeric.as_ref().map_or(i as f64, |xs| xs[i])
    };
    let mut series: Vec<Series> = Vec::new();
    for p in points {
        let label = p.settings[1..]
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(s) = p.summary.get(metric) else {
            continue;
        };
        let point = (x_of(&p.settings[0].1), s.mean, s.ci95[0], s.ci95[1]);
        match series.iter_mut().find(|s| s.label == label) {
            Some(s) => s.points.push(point),
            None => series.push(Series {
                label,
                points: vec![point],
            }),
        }
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    series
}

fn print_table(
    out: &mut impl Write,
    grid: &Grid,
    metrics: &[String],
    points: &[Point],
) -> std::io::Result<()> {
    let keys: Vec<&str> = grid.axes.iter().map(|a| a.path.as_str()).collect();
    writeln!(out, "{}  |  {}", keys.join("  "), metrics.join("  "))?;
    for p in points {
        let settings: Vec<String> = p
            .settings
            .iter()
            .zip(&keys)
            .map(|((_, v), k)| format!("{v:>w$}", w = k.len()))
            .collect();
        let values: Vec<String> = metrics
            .iter()
            .map(|m| {
                let cell = p.summary.get(m).map_or("-".into(), |s| {
                    format!("{:.4} ±{:.4}", s.mean, s.half_width())
                });
                format!("{cell:>w$}", w = m.len())
            })
            .collect();
        writeln!(out, "{}  |  {}", settings.join("  "), values.join("  "))?;
    }
    Ok(())
}
