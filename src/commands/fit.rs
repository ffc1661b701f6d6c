//! `chatsim fit LOG --out fitted.toml`: estimate a scenario from a log of requests, and write
//! `fit.json` and the plots of fitted against observed into a report folder.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use crate::cli::FitArgs;
use crate::fit::{self, FitOptions};
use crate::report::{self, ReportDir, plots};
use crate::scenario;
use crate::usage::usage_error;

pub fn fit(args: &FitArgs) -> anyhow::Result<()> {
    let inactivity_s = scenario::parse_duration(&args.inactivity)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| {
            usage_error(
                "--inactivity",
                &args.inactivity,
                "expected a duration like 10m or 600s",
            )
        })?;
    report::check_file_target(&args.out, "--out")?;
    let folder = args.report.clone().unwrap_or_else(|| {
        let stem = args
            .out
            .file_stem()
            .map_or("fitted".into(), |s| s.to_string_lossy().into_owned());
        PathBuf::from("reports").join(format!("{stem}-fit"))
    });
    report::check_out_dir(&folder)?;
    let opts = FitOptions {
        time_zone: args.time_zone.clone(),
        smooth_hours: args.smooth as usize,
        inactivity_s,
        empirical: args.empirical,
    };
    let schedules = match &args.schedules_from {
        Some(path) => schedules_of(path)?,
        None => Default::default(),
    };
    let mut fitted = fit::fit_log(&args.log, &opts)?;
    if let Some(path) = &args.schedules_from {
        fitted.schedules = schedules;
        fitted.schedules_from = path.display().to_string();
    }
    let source = args
        .log
        .file_name()
        .map_or("the log".into(), |n| n.to_string_lossy().into_owned());
    let stem = args
        .out
        .file_stem()
        .map_or("fitted".into(), |s| s.to_string_lossy().into_owned());
    let text = fitted.scenario_toml(&source, &stem);
    let beside = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .to_path_buf();
    let samples = fitted.sample_files(&stem);
    for f in &samples {
        check_sample_target(&beside.join(&f.name))?;
    }
    // What is written must read back as a scenario (its empirical files included, checked in a
    // scratch folder): a fit that does not is a bug, not bad input.
    let scratch = tempfile::tempdir().context("cannot create a scratch folder")?;
    for f in &samples {
        std::fs::write(scratch.path().join(&f.name), sample_csv(&f.seconds))?;
    }
    scenario::parse_str(&text, "fitted", scratch.path(), &[])
        .map_err(|e| anyhow::anyhow!("the fitted scenario does not read back: {e}"))?;
    let rendered = if args.no_plots {
        Vec::new()
    } else {
        fit::plots(&fitted)
            .iter()
            .map(plots::render)
            .collect::<anyhow::Result<Vec<_>>>()?
    };
    let dir = ReportDir::new(&folder)?;
    let json = serde_json::to_string_pretty(&fitted.json()).context("cannot write fit.json")?;
    dir.write("fit.json", format!("{json}\n").as_bytes())?;
    for p in &rendered {
        dir.write_plot(p)?;
    }
    dir.write(
        "report.html",
        report::calibration_html(&page(&fitted, args, &rendered)).as_bytes(),
    )?;
    for f in &samples {
        report::write_file(&beside.join(&f.name), sample_csv(&f.seconds).as_bytes())?;
    }
    report::write_file(&args.out, text.as_bytes())?;
    dir.commit()?;
    let mut out = std::io::stdout().lock();
    let o = &fitted.observed;
    writeln!(
        out,
        "fitted {} requests ({} rows, {} days) from {}",
        o.requests,
        o.rows,
        fitted.days,
        args.log.display()
    )?;
    let p = &fitted.profile;
    writeln!(
        out,
        "  arrivals        {:.2} requests/h ± {:.2} ({}), chi-square per df {:.2}",
        p.per_hour, p.per_hour_se, p.time_zone, p.chi2_per_df
    )?;
    for g in &fitted.groups {
        if let Some(d) = g.response.as_ref() {
            let b = d.best();
            writeln!(
                out,
                "  {:<15} {} agents, response {} median {:.1} s ± {:.1}, miss {:.2}%, decline {:.2}%",
                g.name,
                g.count,
                b.dist.family.name(),
                b.dist.median(),
                b.median_se,
                100.0 * g.miss.0,
                100.0 * g.decline.0
            )?;
        }
    }
    writeln!(
        out,
        "scenario written to {}, fit.json and plots to {}",
        args.out.display(),
        folder.display()
    )?;
    Ok(())
}

/// The fit's report.html: the arrivals and each group's estimates, then the plots.
fn page<'a>(
    f: &fit::FitReport,
    args: &FitArgs,
    plots: &'a [plots::Rendered],
) -> report::CalibrationPage<'a> {
    let p = &f.profile;
    let est = |d: &Option<fit::DurationFit>| {
        d.as_ref().map_or("-".to_string(), |d| {
            let b = d.best();
            format!(
                "{} median {:.1} s ± {:.1}, mean {:.1} s ± {:.1} (KS {:.3})",
                b.dist.family.name(),
                b.dist.median(),
                b.median_se,
                b.dist.mean(),
                b.mean_se,
                b.ks
            )
        })
    };
    let groups = report::TextTable {
        title: "Agent groups".into(),
        note: "Distributions picked by AIC, with standard errors; timed-out offers are \
               right-censored at the accept window."
            .into(),
        head: [
            "group",
            "agents",
            "team",
            "offers",
            "response",
            "miss",
            "decline",
            "chat length",
        ]
        .map(String::from)
        .to_vec(),
        rows: f
            .groups
            .iter()
            .map(|g| {
                vec![
                    g.name.clone(),
                    g.count.to_string(),
                    g.team.clone().unwrap_or_default(),
                    g.offers.to_string(),
                    est(&g.response),
                    format!("{:.2}% ± {:.2}", 100.0 * g.miss.0, 100.0 * g.miss.1),
                    format!("{:.2}% ± {:.2}", 100.0 * g.decline.0, 100.0 * g.decline.1),
                    est(&g.chat),
                ]
            })
            .collect(),
    };
    let site = report::TextTable {
        title: "Arrivals and visitors".into(),
        note: String::new(),
        head: ["estimate", "value"].map(String::from).to_vec(),
        rows: vec![
            vec![
                "requests per hour".into(),
                format!(
                    "{:.2} ± {:.2} ({}; chi-square per df {:.2})",
                    p.per_hour, p.per_hour_se, p.time_zone, p.chi2_per_df
                ),
            ],
            vec![
                "chats ended by inactivity".into(),
                format!(
                    "{:.2}% ± {:.2}",
                    100.0 * f.silent_end.0,
                    100.0 * f.silent_end.1
                ),
            ],
            vec!["patience".into(), est(&f.patience)],
            vec!["accept window".into(), format!("{} s", f.window_s)],
        ],
    };
    report::CalibrationPage {
        title: "chatsim fit".into(),
        heading: format!("Fitted from {}", args.log.display()),
        sub: format!(
            "{} requests ({} rows) over {} days; the scenario is {}.",
            f.observed.requests,
            f.observed.rows,
            f.days,
            args.out.display()
        ),
        verdict: None,
        tables: vec![site, groups],
        plots,
    }
}

/// The schedule keys (`schedule`, `utc_offset`, `time_zone`) of each `[[agents]]` entry of a
/// scenario, by the entry's name, as TOML lines; the scenario is checked first.
fn schedules_of(
    path: &std::path::Path,
) -> anyhow::Result<std::collections::BTreeMap<String, Vec<String>>> {
    scenario::load(path)?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let doc: toml::Table =
        toml::from_str(&text).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = std::collections::BTreeMap::new();
    let agents = doc.get("agents").and_then(|a| a.as_array());
    for a in agents.into_iter().flatten() {
        let Some(name) = a.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        let lines: Vec<String> = ["schedule", "utc_offset", "time_zone"]
            .iter()
            .filter_map(|k| a.get(*k).map(|v| format!("{k} = {v}")))
            .collect();
        out.insert(name.to_string(), lines);
    }
    Ok(out)
}

fn sample_csv(seconds: &[f64]) -> String {
    let mut s = String::from("seconds\n");
    for x in seconds {
        s.push_str(&format!("{x:.3}\n"));
    }
    s
}

/// An empirical file beside the scenario replaces only a file `fit` wrote (its first line is
/// `seconds`), never someone's data.
fn check_sample_target(path: &std::path::Path) -> anyhow::Result<()> {
    report::check_file_target(path, "--out")?;
    let mut head = Vec::new();
    if let Ok(f) = std::fs::File::open(path) {
        use std::io::Read;
        let _ = f.take(8).read_to_end(&mut head);
        if !head.is_empty() && !head.starts_with(b"seconds\n") {
            return Err(scenario::ScenarioError::Invalid {
                file: "--out".into(),
                location: path.display().to_string(),
                message: "exists and is not an empirical file chatsim fit wrote: move it, or \
                          give --out another name"
                    .into(),
            }
            .into());
        }
    }
    Ok(())
}
