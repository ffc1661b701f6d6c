//! `chatsim backtest SCENARIO --actual LOG`: replay the period's real requests (their times,
//! streams and attributes) against the scenario's agents, with replications, and judge the
//! dashboard's daily figures per team against what was observed.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use crate::cli::BacktestArgs;
use crate::commands::ChecksFailed;
use crate::engine::Time;
use crate::fit::backtest::{self, Daily, DailySink};
use crate::fit::{Format, LogReader};
use crate::model::{EventKind, run_replication_logged};
use crate::report::{self, ReportDir, plots};
use crate::scenario::{self, Scenario, ScenarioError, Trace};
use crate::usage::usage_error;

const DAY_MS: i64 = 86_400_000;

pub fn backtest(args: &BacktestArgs) -> anyhow::Result<()> {
    if !(0.0..=1.0).contains(&args.min_coverage) {
        return Err(usage_error(
            "--min-coverage",
            &args.min_coverage.to_string(),
            "expected a share from 0 to 1, like 0.9",
        )
        .into());
    }
    let mut sc = scenario::load_with(Some(&args.scenario), &args.sim.overrides())?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("reports").join(format!("{}-backtest", sc.name)));
    report::check_out_dir(&out)?;
    if let Some(j) = &args.junit {
        report::check_file_target(j, "--junit")?;
    }
    let trace_file = tempfile::Builder::new()
        .prefix(".chatsim-backtest-")
        .suffix(".csv")
        .tempfile()
        .context("cannot create the replayed requests' file")?;
    let mut actual = read_actual(&args.actual, &sc, trace_file.as_file())?;
    let start = jiff::Timestamp::from_millisecond(actual.start_ms).unwrap_or(sc.simulation.start);
    let s = &mut sc.simulation;
    s.start = start;
    s.horizon = Time::from_secs((actual.days * 86_400) as u64);
    s.warmup = Time::ZERO;
    s.bucket = Time::from_secs(86_400);
    sc.arrivals.trace = Some(Trace {
        path: trace_file.path().to_path_buf(),
        label: format!("the requests of {}", args.actual.display()),
        ignored: Vec::new(),
        visitors: actual.requests,
        start,
    });
    crate::limits::check_work(
        &[(&sc, sc.simulation.replications as u64)],
        args.sim.force,
        "the back-test",
    )?;
    let observed = match &args.dashboard {
        Some(path) => backtest::read_dashboard(path, start)?,
        None => std::mem::take(&mut actual.daily),
    };
    let simulated = simulate(&sc, args.sim.threads)?;
    let rows = backtest::compare(&observed, &simulated, start);
    let verdicts = backtest::verdicts(&rows, args.min_coverage);
    let rendered = plots_of(&rows)?;
    let dir = ReportDir::new(&out)?;
    dir.write("backtest.csv", &backtest::csv(&rows)?)?;
    let json = serde_json::json!({
        "scenario": sc.name,
        "actual": args.actual.display().to_string(),
        "replications": sc.simulation.replications,
        "start": start.to_string(),
        "days": actual.days,
        "min_coverage": args.min_coverage,
        "figures": verdicts,
    });
    dir.write(
        "backtest.json",
        format!("{}\n", serde_json::to_string_pretty(&json)?).as_bytes(),
    )?;
    for p in &rendered {
        dir.write_plot(p)?;
    }
    let page = page(&sc, args, &actual, start, &rows, &verdicts, &rendered);
    dir.write("report.html", report::calibration_html(&page).as_bytes())?;
    dir.commit()?;
    if let Some(j) = &args.junit {
        let xml = backtest::junit(&verdicts, args.min_coverage, &sc.name);
        report::write_file(j, xml.as_bytes())?;
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{}: back-test against {} ({} requests, {} days from {}), {} replications",
        sc.name,
        args.actual.display(),
        actual.requests,
        actual.days,
        start.strftime("%Y-%m-%d"),
        sc.simulation.replications
    )?;
    writeln!(
        stdout,
        "  (days and teams inside the 95% prediction interval; mean absolute percentage error)"
    )?;
    for v in &verdicts {
        writeln!(
            stdout,
            "  {:<6} {:<22} coverage {:>6.1}% ({} of {}), MAPE {:.1}%",
            if v.passed { "pass" } else { "FAIL" },
            v.figure,
            100.0 * v.coverage,
            v.inside,
            v.cells,
            100.0 * v.mape
        )?;
    }
    writeln!(stdout, "report written to {}", out.display())?;
    let failed: Vec<&str> = verdicts
        .iter()
        .filter(|v| !v.passed)
        .map(|v| v.figure)
        .collect();
    if !failed.is_empty() {
        return Err(ChecksFailed(format!(
            "coverage below {:.0}% on {}",
            100.0 * args.min_coverage,
            failed.join(", ")
        ))
        .into());
    }
    Ok(())
}

/// What the log says: its daily figures, and its requests written as a trace to replay.
struct Actual {
    daily: std::collections::BTreeMap<backtest::Key, backtest::Cell>,
    start_ms: i64,
    days: i64,
    requests: u64,
}

fn read_actual(
    path: &std::path::Path,
    sc: &Scenario,
    trace: &std::fs::File,
) -> anyhow::Result<Actual> {
    let mut reader = LogReader::open(path)?;
    let label = reader.label().to_string();
    // The log's attribute columns the scenario knows are replayed; others are drawn.
    let columns: Vec<(usize, usize)> = reader
        .attributes
        .iter()
        .enumerate()
        .filter_map(|(k, name)| {
            sc.visitors
                .attributes
                .iter()
                .position(|a| &a.name == name)
                .map(|i| (k, i))
        })
        .collect();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(trace));
    let mut header = vec!["time_s".to_string(), "stream".to_string()];
    header.extend(
        columns
            .iter()
            .map(|&(_, i)| sc.visitors.attributes[i].name.clone()),
    );
    w.write_record(&header)?;
    let mut row = crate::fit::log::Row::default();
    let mut daily: Option<Daily> = None;
    let (mut start_ms, mut last_ms, mut requests) = (0, 0, 0u64);
    let callbacks = reader.format == Format::Callbacks;
    while reader.next(&mut row)? {
        let t = row.time_ms;
        let d = daily.get_or_insert_with(|| {
            start_ms = t.div_euclid(DAY_MS) * DAY_MS;
            Daily::new(start_ms, callbacks)
        });
        last_ms = t;
        let kind = row.kind.expect("parsed");
        d.row(t, &row.request, kind, &row.team);
        if kind != EventKind::Requested {
            continue;
        }
        requests += 1;
        if !sc.streams.iter().any(|s| s.name == row.stream) {
            return Err(crate::fit::log::bad(
                &label,
                row.line,
                format!(
                    "stream {} is not one of the scenario's",
                    scenario::excerpt(&row.stream)
                ),
            )
            .into());
        }
        let mut rec = vec![
            format!("{:.3}", (t - start_ms) as f64 / 1000.0),
            row.stream.clone(),
        ];
        for &(k, i) in &columns {
            let v = &row.attributes[k];
            if !v.is_empty() && !sc.visitors.attributes[i].values.iter().any(|x| &x.0 == v) {
                return Err(ScenarioError::Invalid {
                    file: label.clone(),
                    location: format!("line {}", row.line),
                    message: format!(
                        "{} is not a value of the scenario's attribute {}",
                        scenario::excerpt(v),
                        sc.visitors.attributes[i].name
                    ),
                }
                .into());
            }
            rec.push(v.clone());
        }
        w.write_record(&rec)?;
    }
    w.flush()
        .context("cannot write the replayed requests' file")?;
    let Some(daily) = daily.filter(|_| requests > 0) else {
        return Err(ScenarioError::Invalid {
            file: label,
            location: "the whole file".into(),
            message: "holds no request: nothing to replay".into(),
        }
        .into());
    };
    let days = ((last_ms - start_ms) / DAY_MS + 1).max(1);
    Ok(Actual {
        daily: daily.finish(),
        start_ms,
        days,
        requests,
    })
}

fn simulate(
    sc: &Scenario,
    threads: Option<usize>,
) -> anyhow::Result<Vec<std::collections::BTreeMap<backtest::Key, backtest::Cell>>> {
    let work = || {
        (0..sc.simulation.replications as u64)
            .into_par_iter()
            .map(|k| {
                let mut sink = DailySink::new(sc);
                run_replication_logged(sc, k, &mut sink)?;
                Ok(sink.daily.finish())
            })
            .collect::<Result<Vec<_>, scenario::TraceError>>()
    };
    let result = match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()?
            .install(work),
        None => work(),
    };
    Ok(result?)
}

fn plots_of(rows: &[backtest::Compared]) -> anyhow::Result<Vec<plots::Rendered>> {
    backtest::plots(rows)
        .par_iter()
        .map(plots::render)
        .collect()
}

/// The back-test's report.html: the verdict per figure, the site's days, the plots.
fn page<'a>(
    sc: &Scenario,
    args: &BacktestArgs,
    actual: &Actual,
    start: jiff::Timestamp,
    rows: &[backtest::Compared],
    verdicts: &[backtest::FigureVerdict],
    plots: &'a [plots::Rendered],
) -> report::CalibrationPage<'a> {
    let passed = verdicts.iter().all(|v| v.passed);
    let figures = report::TextTable {
        title: "Figures".into(),
        note: "Coverage: the share of days and teams whose observed value lies inside the 95% \
               prediction interval of the replications; MAPE: the mean absolute percentage \
               error of the simulated mean."
            .into(),
        head: ["figure", "coverage", "inside", "MAPE", "verdict"]
            .map(String::from)
            .to_vec(),
        rows: verdicts
            .iter()
            .map(|v| {
                vec![
                    v.figure.to_string(),
                    format!("{:.1}%", 100.0 * v.coverage),
                    format!("{} of {}", v.inside, v.cells),
                    format!("{:.1}%", 100.0 * v.mape),
                    if v.passed { "pass" } else { "FAIL" }.to_string(),
                ]
            })
            .collect(),
    };
    let mut days: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
    for r in rows.iter().filter(|r| r.team.is_empty()) {
        let cells = days
            .entry(r.date.as_str())
            .or_insert_with(|| vec![String::new(); backtest::FIGURES.len()]);
        let k = backtest::FIGURES
            .iter()
            .position(|f| *f == r.figure)
            .unwrap_or(0);
        cells[k] = format!(
            "{:.1} [{:.1}, {:.1}]{}",
            r.observed,
            r.pi95_lo,
            r.pi95_hi,
            if r.inside { "" } else { " outside" }
        );
    }
    let mut head = vec!["date".to_string()];
    head.extend(backtest::FIGURES.iter().map(|f| f.to_string()));
    let site = report::TextTable {
        title: "The site, day by day".into(),
        note: "Observed value, then the 95% prediction interval; backtest.csv has every team."
            .into(),
        head,
        rows: days
            .into_iter()
            .map(|(d, cells)| std::iter::once(d.to_string()).chain(cells).collect())
            .collect(),
    };
    report::CalibrationPage {
        title: format!("chatsim backtest: {}", sc.name),
        heading: format!("Back-test: {} against {}", sc.name, args.actual.display()),
        sub: format!(
            "{} requests over {} days from {} replayed against the scenario's agents, {} \
             replications, seed {}.",
            actual.requests,
            actual.days,
            start.strftime("%Y-%m-%d"),
            sc.simulation.replications,
            sc.simulation.seed
        ),
        verdict: Some((
            passed,
            if passed {
                format!(
                    "Every figure covered at {:.0}% or more",
                    100.0 * args.min_coverage
                )
            } else {
                format!(
                    "Coverage below {:.0}% on some figure: the scenario does not describe the period",
                    100.0 * args.min_coverage
                )
            },
        )),
        tables: vec![figures, site],
        plots,
    }
}
