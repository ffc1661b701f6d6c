//! The report files: tables that agree with `summary.json`, plots that are real images, and
//! `--no-plots`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

use crate::cli::{chatsim, short_run};

/// Runs `cmd` with `--out` a fresh folder and returns it (kept alive by the guard).
fn into_fresh(cmd: &mut Command) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    cmd.arg("--out").arg(&out).assert().success();
    (dir, out)
}

/// Runs `chatsim run` with `args` into a fresh folder and returns it (kept alive by the guard).
pub fn run_into(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    into_fresh(chatsim().args(["run", "--quiet"]).args(args))
}

/// A CSV file as rows of column name -> cell.
pub fn csv_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    let cell = row
        .get(column)
        .unwrap_or_else(|| panic!("no column {column}"));
    cell.parse()
        .unwrap_or_else(|_| panic!("{column}: not a number: {cell:?}"))
}

fn mean(summary: &serde_json::Value, metric: &str) -> f64 {
    summary["metrics"][metric]["mean"]
        .as_f64()
        .unwrap_or_else(|| panic!("summary.json has no mean for {metric}"))
}

/// Equal up to floating-point summation order.
fn assert_close(what: &str, a: f64, b: f64) {
    assert!(
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0),
        "{what}: {a} vs {b}"
    );
}

#[test]
fn tables_agree_with_summary_json() {
    let (_guard, out) = run_into(&[
        "scenarios/default.toml",
        "--replications",
        "3",
        "--horizon",
        "3d",
        "--set",
        "simulation.warmup=6h",
        "--no-plots",
    ]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();

    // Time series: buckets after the warm-up add up to the summary's counts.
    let series = csv_rows(&out.join("timeseries.csv"));
    assert_eq!(series.len(), 72);
    let counted: Vec<_> = series.iter().filter(|r| num(r, "start_h") >= 6.0).collect();
    let sum = |col: &str| counted.iter().map(|r| num(r, col)).sum::<f64>();
    for (column, metric) in [
        ("visitors", "visitors"),
        ("requests", "requests"),
        ("engaged", "engaged"),
        ("abandoned", "abandoned"),
        ("fallback", "fallback"),
        ("fallback_unavailable", "fallback.unavailable"),
        ("fallback_timeout", "fallback.timeout"),
        ("fallback_at_cap", "fallback.at_cap"),
        ("fallback_no_rule", "fallback.no_rule"),
    ] {
        assert_close(
            column,
            sum(&format!("{column}_mean")),
            mean(&summary, metric),
        );
    }
    assert!(sum("requests_mean") > 1000.0);
    // Levels: the bucket averages, weighted by bucket length, give the summary's time average.
    let online_h: f64 = counted
        .iter()
        .map(|r| num(r, "online_agents_mean") * (num(r, "end_h") - num(r, "start_h")))
        .sum();
    assert_close(
        "online agents",
        online_h / (72.0 - 6.0),
        mean(&summary, "online_agents.mean"),
    );
    for r in &series {
        let (lo, m, hi) = (
            num(r, "requests_ci95_lo"),
            num(r, "requests_mean"),
            num(r, "requests_ci95_hi"),
        );
        assert!(lo <= m && m <= hi, "interval around {m}: [{lo}, {hi}]");
    }

    // Agents: engagements add up, and every offer ended one way or is still running.
    let agents = csv_rows(&out.join("agents.csv"));
    assert_eq!(agents.len(), 10);
    let total = |col: &str| agents.iter().map(|r| num(r, col)).sum::<f64>();
    assert_close(
        "agents' engaged",
        total("engaged"),
        mean(&summary, "engaged"),
    );
    let ended = ["accepted", "missed", "declined", "timed_out", "withdrawn"]
        .iter()
        .map(|c| total(c))
        .sum::<f64>();
    assert_close(
        "offers still running",
        total("offers") - ended,
        mean(&summary, "in_flight_at_end"),
    );

    // Teams and streams: each row is its `teams.<t>.*` or `streams.<s>.*` metrics.
    for (file, prefix, key) in [
        ("teams.csv", "teams", "team"),
        ("streams.csv", "streams", "stream"),
    ] {
        let rows = csv_rows(&out.join(file));
        assert!(!rows.is_empty(), "{file}");
        for r in &rows {
            let p = format!("{prefix}.{}", r[key]);
            for (column, metric) in [
                ("requested_live_chats", "requests"),
                ("connected_live_chats", "engaged"),
                ("fallback", "fallback"),
                ("fallback_rate", "fallback_rate"),
                ("fallback_timeout", "fallback.timeout"),
                ("abandoned", "abandoned"),
                ("retry_rescued", "retry.rescued"),
                ("retry_attempts", "retry.attempts"),
            ] {
                let what = format!("{file} {} {column}", r[key]);
                assert_close(
                    &what,
                    num(r, column),
                    mean(&summary, &format!("{p}.{metric}")),
                );
            }
            assert_close(
                "missed requests",
                num(r, "missed_requests"),
                num(r, "fallback") + num(r, "abandoned"),
            );
        }
        if prefix == "streams" {
            let all: f64 = rows.iter().map(|r| num(r, "requested_live_chats")).sum();
            assert_close("streams' requests", all, mean(&summary, "requests"));
        }
    }
}

/// The names of the plots the run left as `.<ext>` files, in order.
pub fn plot_names(out: &Path, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.join("plots"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == ext).then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    names
}

/// Plot files the run leaves, as (name, bytes of the PNG, text of the SVG).
fn plots(out: &Path) -> Vec<(String, Vec<u8>, String)> {
    plot_names(out, "png")
        .into_iter()
        .map(|n| {
            let png = std::fs::read(out.join("plots").join(format!("{n}.png"))).unwrap();
            let svg = std::fs::read_to_string(out.join("plots").join(format!("{n}.svg")))
                .unwrap_or_else(|e| panic!("{n}.svg: {e}"));
            (n, png, svg)
        })
        .collect()
}

/// Decodes a PNG into its size and 8-bit RGB(A) pixels.
pub fn decode_png(bytes: &[u8]) -> (u32, u32, usize, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    (info.width, info.height, channels, buf)
}

/// The variance of the pixels' grey levels: near zero for a blank image.
pub fn grey_variance(pixels: &[u8], channels: usize) -> f64 {
    let greys: Vec<f64> = pixels
        .chunks(channels)
        .map(|p| p.iter().take(3).map(|&c| c as f64).sum::<f64>() / 3.0)
        .collect();
    let n = greys.len() as f64;
    let m = greys.iter().sum::<f64>() / n;
    greys.iter().map(|g| (g - m).powi(2)).sum::<f64>() / n
}

#[test]
fn every_plot_of_an_example_scenario_renders_as_png_and_svg() {
    // Prime team routing with a trial limit set: every plot has something to show.
    let (_guard, out) = run_into(&[
        "scenarios/prime-team.toml",
        "--replications",
        "2",
        "--horizon",
        "3d",
        "--set",
        "package.trial_engagements=500",
    ]);
    let plots = plots(&out);
    let names: Vec<&str> = plots.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(
        names,
        [
            "agents",
            "fallback_rate",
            "heatmap_fallback_rate",
            "heatmap_online_agents",
            "occupancy",
            "response_times",
            "retries",
            "trial_limit"
        ]
    );
    for (name, png, svg) in &plots {
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{name}.png signature"
        );
        let (w, h, channels, pixels) = decode_png(png);
        assert!(w >= 1000 && h >= 600, "{name}.png is {w}x{h}");
        assert!(png.len() > 20_000, "{name}.png is only {} bytes", png.len());
        assert!(
            grey_variance(&pixels, channels) > 100.0,
            "{name}.png is blank"
        );
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{name}.svg"
        );
        assert!(
            svg.contains("viewBox") && svg.contains("<text"),
            "{name}.svg"
        );
        assert!(svg.len() > 5_000, "{name}.svg is only {} bytes", svg.len());
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for (name, _, _) in &plots {
        assert!(
            html.contains(&format!("id=\"plot-{name}\"")),
            "{name} not in report.html"
        );
    }
    // Self-contained: nothing for a browser to fetch.
    for fetch in ["<script", "<link", "src=", "url(", "@import"] {
        assert!(!html.contains(fetch), "report.html contains {fetch}");
    }
}

#[test]
fn the_trial_plot_appears_only_when_a_limit_applies() {
    let (_guard, out) = into_fresh(&mut short_run());
    assert!(!out.join("plots/trial_limit.png").exists());
    assert!(out.join("plots/retries.png").exists());
}

#[test]
fn no_plots_writes_the_tables_and_a_report_without_plots() {
    let (_guard, out) = into_fresh(short_run().arg("--no-plots"));
    assert!(!out.join("plots").exists());
    for file in ["timeseries.csv", "agents.csv", "teams.csv", "streams.csv"] {
        assert!(out.join(file).exists(), "{file}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("--no-plots") && !html.contains("<svg"));
    // Plots an earlier run left in the folder go, so that it never mixes runs.
    short_run().arg("--out").arg(&out).assert().success();
    assert!(out.join("plots/occupancy.png").exists());
    short_run()
        .arg("--no-plots")
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // The report replaces the folder whole: the earlier run's plots went with it.
    assert!(!out.join("plots").exists());
}

#[test]
fn report_files_are_byte_identical_whatever_the_thread_count() {
    let args = [
        "scenarios/prime-team.toml",
        "--replications",
        "3",
        "--horizon",
        "2d",
    ];
    let (_a, one) = run_into(&[&args[..], &["--threads", "1"]].concat());
    let (_b, many) = run_into(&[&args[..], &["--threads", "3"]].concat());
    let mut files = vec![
        "timeseries.csv".to_string(),
        "agents.csv".into(),
        "teams.csv".into(),
        "streams.csv".into(),
        "report.html".into(),
    ];
    for (name, _, _) in plots(&one) {
        files.push(format!("plots/{name}.png"));
        files.push(format!("plots/{name}.svg"));
    }
    for f in files {
        let read = |d: &Path| std::fs::read(d.join(&f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(read(&one) == read(&many), "{f} differs");
    }
}
