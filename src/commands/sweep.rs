//! `chatsim sweep`: a grid of what-ifs, one row per point in `sweep.csv`, and a plot.

use std::io::Write;
use std::path::Path;

use crate::cli::SweepArgs;
use crate::commands::run::default_out;
use crate::figure::{self, Figure, Metric, Reason};
use crate::plan::Grid;
use crate::report::plots::{self, Series};
use crate::report::{self, SweepRow, sweep_csv};
use crate::runner::{progress_bar, summarise_all};
use crate::scenario::{self, Scenario};
use crate::usage::{UsageError, usage_error};

/// Points simulated per parallel pass: enough tasks to keep every core busy.
const CHUNK: usize = 64;
/// Rows printed to the terminal; the file has them all.
const PRINTED: usize = 60;

pub const DEFAULT_METRICS: [Metric; 5] = [
    Metric::FallbackRate,
    Metric::FallbackRateFor(Reason::AtCap),
    Metric::EngagedRate,
    Metric::AbandonedRate,
    Metric::Occupancy,
];

pub fn sweep(args: &SweepArgs) -> anyhow::Result<()> {
    let grid = Grid::new(&args.sim.overrides())?;
    if grid.axes.is_empty() {
        return Err(usage_error(
            "--set",
            "grid",
            "nothing to sweep: give a key several values, like --set agents.emea.count=2..12 \
             or --set package.cap=5,10",
        )
        .into());
    }
    let points = grid.points();
    let load = |p: &Vec<String>| scenario::load_with(args.scenario.as_deref(), &grid.overrides(p));
    // Every point is loaded (and so checked) before anything runs, so that a bad one fails at
    // once, and its work estimated; only a chunk's points are kept in memory at a time (a big
    // scenario's points would not fit all at once), so each is loaded again with its chunk.
    let first = load(&points[0])?;
    let mut replications = 0;
    let mut visitors = 0.0;
    for p in &points {
        let sc = load(p)?;
        replications += sc.simulation.replications as u64;
        visitors += crate::limits::expected_visitors(&sc) * sc.simulation.replications as f64;
    }
    crate::limits::check_visitors(visitors, &first.name, args.sim.force, "the sweep")?;
    let first = &first;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| default_out(&format!("{}-sweep", first.name)));
    report::check_out_folder(&out)?;
    let mut metrics = chosen_metrics(&args.metrics, first)?;
    // The target's figure is the one plotted: first, and tabulated once.
    let target = match &args.target {
        Some(t) => {
            let t = t.resolve(first)?;
            metrics.retain(|m| *m != t.metric);
            metrics.insert(0, t.metric.clone());
            Some(t.value)
        }
        None => None,
    };
    let bar = progress_bar(
        replications,
        args.sim.quiet,
        &format!("{} sweep", first.name),
    );
    // In chunks, keeping only the chosen metrics' summaries: the run summaries follow the
    // chunk, not the grid.
    let mut rows = Vec::with_capacity(points.len());
    for chunk in points.chunks(CHUNK) {
        let scenarios = chunk.iter().map(load).collect::<Result<Vec<_>, _>>()?;
        for (p, summary) in chunk.iter().zip(summarise_all(
            &scenarios.iter().collect::<Vec<_>>(),
            args.sim.threads,
            &bar,
        )?) {
            rows.push(SweepRow {
                settings: p.clone(),
                values: metrics.iter().map(|m| summary.get(m).copied()).collect(),
            });
        }
    }
    bar.finish_and_clear();
    write_outputs(&out, &first.name, &grid, &metrics, &rows, target)?;
    let mut stdout = std::io::stdout().lock();
    print_table(&mut stdout, &grid, &metrics, &rows)?;
    writeln!(
        stdout,
        "{} points, {replications} replications in all, written to {}",
        rows.len(),
        out.display()
    )?;
    Ok(())
}

/// The figures asked for, checked against the scenario's vocabulary before anything runs; a
/// bad name is reported against `--metric`.
fn chosen_metrics(asked: &[String], sc: &Scenario) -> Result<Vec<Figure>, UsageError> {
    if asked.is_empty() {
        return Ok(DEFAULT_METRICS.into_iter().map(Figure::site).collect());
    }
    asked
        .iter()
        .map(|m| {
            sc.figure(m)
                .map_err(|message| usage_error("--metric", m, message))
        })
        .collect()
}

fn write_outputs(
    out: &Path,
    scenario: &str,
    grid: &Grid,
    metrics: &[Figure],
    rows: &[SweepRow],
    target: Option<f64>,
) -> anyhow::Result<()> {
    let keys: Vec<String> = grid.axes.iter().map(|a| a.path.clone()).collect();
    report::write_file(&out.join("sweep.csv"), &sweep_csv(&keys, metrics, rows)?)?;
    let first = &grid.axes[0];
    let series = plot_series(grid, rows);
    let plot = plots::SweepPlot {
        key: &first.path,
        whole_numbers: first.values.iter().all(|v| v.parse::<i64>().is_ok()),
        figure: &metrics[0],
        series: &series,
        target,
    };
    let rendered = plots::render(&plot)?;
    report::write_file(&out.join("sweep.svg"), rendered.svg.as_bytes())?;
    report::write_file(&out.join("sweep.png"), &rendered.png)?;
    let page = grid.page(scenario, metrics, rows, &rendered.svg, "sweep");
    report::write_file(
        &out.join("report.html"),
        report::sweep_html(&page).as_bytes(),
    )?;
    Ok(())
}

/// The first metric against the first key (its values if they are numbers, else their
/// positions), one series per combination of the other keys.
fn plot_series(grid: &Grid, rows: &[SweepRow]) -> Vec<Series> {
    let first = &grid.axes[0].values;
    let numeric: Option<Vec<f64>> = first.iter().map(|v| v.parse().ok()).collect();
    let x_of = |v: &str| {
        let i = first.iter().position(|f| f == v).unwrap_or(0);
        numeric.as_ref().map_or(i as f64, |xs| xs[i])
    };
    let mut series: Vec<Series> = Vec::new();
    for r in rows {
        let label = grid.axes[1..]
            .iter()
            .zip(&r.settings[1..])
            .map(|(a, v)| format!("{}={v}", a.path))
            .collect::<Vec<_>>()
            .join(", ");
        let Some(s) = r.values[0] else {
            continue;
        };
        let point = (x_of(&r.settings[0]), s.mean, s.ci95[0], s.ci95[1]);
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
    metrics: &[Figure],
    rows: &[SweepRow],
) -> std::io::Result<()> {
    let keys: Vec<&str> = grid.axes.iter().map(|a| a.path.as_str()).collect();
    let names: Vec<String> = metrics.iter().map(Figure::name).collect();
    writeln!(
        out,
        "{}  |  {}   (mean [95% interval])",
        keys.join("  "),
        names.join("  ")
    )?;
    for r in rows.iter().take(PRINTED) {
        let settings: Vec<String> = r
            .settings
            .iter()
            .zip(&keys)
            .map(|(v, k)| format!("{v:>w$}", w = k.len()))
            .collect();
        let values: Vec<String> = r
            .values
            .iter()
            .zip(metrics.iter().zip(&names))
            .map(|(v, (f, m))| {
                let unit = f.metric.unit();
                let cell = v.map_or("-".into(), |s| figure::estimate(unit, s.mean, s.ci95));
                format!("{cell:>w$}", w = m.len())
            })
            .collect();
        writeln!(out, "{}  |  {}", settings.join("  "), values.join("  "))?;
    }
    if rows.len() > PRINTED {
        writeln!(out, "... {} more points in sweep.csv", rows.len() - PRINTED)?;
    }
    Ok(())
}
