//! `chatsim fit`: a scenario with known parameters, simulated and logged with `run --events`,
//! is recovered from its log; censoring at the accept window matters and is handled; a bad log
//! is refused at its line.

use std::path::Path;

use assert_cmd::Command;
use chatsim::fit::{self, Family, FitOptions, FitReport};
use chatsim::report::write_events;

use crate::common::scenario;

/// About 50,000 requests over a week; responses lognormal with 15% after the 100 s window.
const KNOWN: &str = r#"
[simulation]
horizon = "7d"
replications = 2
[package]
tier = "prime"
[arrivals]
per_hour = 300
hourly = [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.1, 1.4, 1.6, 1.7, 1.7,
          1.6, 1.6, 1.7, 1.7, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.4]
weekday = [1.2, 1.25, 1.2, 1.2, 1.05, 0.6, 0.5]
[visitors]
attributes = { country = { US = 0.6, DE = 0.4 } }
silent_end = 0.2
[[streams]]
name = "pricing"
share = 0.7
live_chat = 1
routing = { mode = "team", team = "sales" }
[[streams]]
name = "support"
share = 0.3
live_chat = 1
routing = { mode = "team", team = "sales" }
[[agents]]
name = "sales"
count = 30
team = "sales"
response = { dist = "lognormal", median = "40s", sigma = 0.9 }
miss = 0.05
decline = 0.02
chat_length = { dist = "exponential", mean = "8m" }
"#;

fn fitted(toml: &str) -> FitReport {
    let sc = scenario(toml);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.csv.gz");
    let file = std::fs::File::create(&log).unwrap();
    let mut w = std::io::BufWriter::new(file);
    write_events(&sc, 0, &mut w, true).unwrap();
    drop(w);
    let opts = FitOptions {
        time_zone: "UTC".into(),
        smooth_hours: 0,
        inactivity_s: 600.0,
        empirical: false,
    };
    fit::fit_log(&log, &opts).unwrap()
}

#[test]
fn a_simulated_log_gives_back_its_scenario() {
    let r = fitted(KNOWN);
    assert!(r.observed.requests > 45_000, "{}", r.observed.requests);
    // Arrivals per hour of the week, against the truth, within each hour's error band.
    let hourly = [
        0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.1, 1.4, 1.6, 1.7, 1.7, 1.6, 1.6, 1.7, 1.7, 1.6, 1.4,
        1.2, 1.0, 0.8, 0.6, 0.5, 0.4,
    ];
    let weekday = [1.2, 1.25, 1.2, 1.2, 1.05, 0.6, 0.5];
    let p = &r.profile;
    let within = (0..168)
        .filter(|&c| {
            let truth = 300.0 * weekday[c / 24] * hourly[c % 24];
            (p.fitted[c] - truth).abs() <= 2.0 * p.rate_se[c]
        })
        .count();
    assert!(
        within >= 160,
        "{within} of 168 hours within 2 standard errors"
    );
    let g = r.groups.iter().find(|g| g.name == "sales").unwrap();
    assert_eq!(g.count, 30);
    let response = g.response.as_ref().unwrap();
    let best = response.best();
    assert_eq!(
        best.dist.family,
        Family::Lognormal,
        "AIC picks the true family"
    );
    let median = best.dist.median();
    assert!((median / 40.0 - 1.0).abs() < 0.05, "median {median}");
    assert!((g.miss.0 - 0.05).abs() < 0.01, "miss {}", g.miss.0);
    assert!((g.decline.0 - 0.02).abs() < 0.01, "decline {}", g.decline.0);
    let chat = g.chat.as_ref().unwrap().best();
    let mean = chat.dist.mean();
    assert!((mean / 480.0 - 1.0).abs() < 0.03, "chat mean {mean}");
    assert!(
        (r.silent_end.0 - 0.2).abs() < 0.02,
        "inactivity {}",
        r.silent_end.0
    );
    let shares = &r.observed.streams;
    let pricing = shares["pricing"] as f64 / r.observed.requests as f64;
    assert!((pricing - 0.7).abs() < 0.01);
    // The written scenario reads back.
    let text = r.scenario_toml("events.csv.gz", "fitted");
    chatsim::scenario::parse_str(&text, "fitted", Path::new("."), &[]).unwrap();
}

#[test]
fn censoring_at_the_window_is_what_keeps_the_median_right() {
    let r = fitted(KNOWN);
    let g = r.groups.iter().find(|g| g.name == "sales").unwrap();
    let d = g.response.as_ref().unwrap();
    let timed_out = d.censored as f64 / (d.exact + d.censored) as f64;
    assert!((0.12..0.2).contains(&timed_out), "{timed_out} censored");
    let censored = d.best().dist.median();
    let naive = d.naive.as_ref().unwrap().dist.median();
    // The censored fit is within 5% of the truth (40 s); the naive fit on answered offers
    // alone sees only the answers within the window and is far too fast.
    assert!((censored / 40.0 - 1.0).abs() < 0.05, "censored {censored}");
    assert!(naive < 40.0 * 0.85, "naive {naive}");
}

fn chatsim() -> Command {
    Command::cargo_bin("chatsim").unwrap()
}

#[test]
fn a_bad_log_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let header = "time,request,event,agent,team,stream,reason\n";
    let cases = [
        (
            "2024-01-01T00:00:02.000Z,1,requested,,,pricing,\n\
             2024-01-01T00:00:01.000Z,2,requested,,,pricing,\n",
            "line 3",
            "time order",
        ),
        (
            "2024-01-01T00:00:01.000Z,1,requested,,,pricing,\n\
             2024-01-01T00:00:02.000Z,1,vanished,,,pricing,\n",
            "line 3",
            "unknown event",
        ),
        (
            "2024-01-01T00:00:01.000Z,1,requested,,,pricing,\n\
             2024-01-01T00:00:02.000Z,1,fallback,,,pricing,unavailable\n\
             2024-01-01T00:00:03.000Z,1,fallback,,,pricing,unavailable\n",
            "line 4",
            "ends once",
        ),
    ];
    for (rows, line, what) in cases {
        let log = dir.path().join("bad.csv");
        std::fs::write(&log, format!("{header}{rows}")).unwrap();
        let out = dir.path().join("fitted.toml");
        let assert = chatsim()
            .arg("fit")
            .arg(&log)
            .arg("--out")
            .arg(&out)
            .arg("--report")
            .arg(dir.path().join("fit"))
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(err.contains(line) && err.contains(what), "{err}");
        assert!(!out.exists(), "nothing written");
    }
}

#[test]
fn fit_writes_the_scenario_its_report_and_plots() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.csv");
    chatsim()
        .args([
            "run",
            "--quiet",
            "--no-plots",
            "--horizon",
            "3d",
            "--events",
        ])
        .arg(&log)
        .arg("--out")
        .arg(dir.path().join("run"))
        .assert()
        .success();
    let out = dir.path().join("fitted.toml");
    let report = dir.path().join("fit");
    chatsim()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(&report)
        .args(["--time-zone", "Europe/Berlin", "--smooth", "1"])
        .assert()
        .success();
    for f in [
        "fit.json",
        "plots/fit_response_times.png",
        "plots/fit_chat_lengths.svg",
        "plots/fit_arrivals.png",
    ] {
        assert!(report.join(f).is_file(), "{f}");
    }
    // The fitted scenario runs.
    chatsim()
        .args(["run", "--quiet", "--no-plots", "--replications", "2"])
        .arg(&out)
        .arg("--out")
        .arg(dir.path().join("refit"))
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report.join("fit.json")).unwrap()).unwrap();
    assert_eq!(json["arrivals"]["time_zone"], "Europe/Berlin");
    // Schedules taken from the scenario instead of read from activity.
    let taken = dir.path().join("taken.toml");
    chatsim()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&taken)
        .arg("--report")
        .arg(dir.path().join("taken-fit"))
        .arg("--no-plots")
        .arg("--schedules-from")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/default.toml"))
        .assert()
        .success();
    // Empirical distributions, in files beside the scenario, which runs.
    let emp = dir.path().join("emp").join("fitted.toml");
    chatsim()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&emp)
        .arg("--report")
        .arg(dir.path().join("emp-fit"))
        .args(["--no-plots", "--empirical"])
        .assert()
        .success();
    assert!(dir.path().join("emp/fitted-sales-response.csv").is_file());
    chatsim()
        .args(["run", "--quiet", "--no-plots", "--replications", "2"])
        .arg(&emp)
        .arg("--out")
        .arg(dir.path().join("emp-run"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&taken).unwrap();
    assert!(
        text.contains("schedule = [\"mon-fri 08:00-18:00\"]\nutc_offset = \"+01:00\""),
        "{text}"
    );
}

#[test]
fn website_callbacks_are_read_as_a_coarser_log() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    let event = |t: u32, e: &str, sid: u32, agent: &str| {
        format!(
            "{{\"time\": \"2024-03-18T09:{:02}:{:02}.000Z\", \"event\": \"CONVERSATION_LIVE_CHAT_{e}\", \
             \"sid\": \"s{sid}\", \"id\": 7, \"name\": \"pricing\", \"agentName\": \"{agent}\", \
             \"agentID\": 1}}\n",
            t / 60,
            t % 60
        )
    };
    for k in 0..40u32 {
        let t = k * 60;
        lines.push_str(&event(t, "REQUESTED", k, ""));
        if k % 5 == 4 {
            lines.push_str(&event(t + 50, "REQUEST_TIMEOUT", k, ""));
        } else {
            lines.push_str(&event(
                t + 5 + k % 7,
                "INITIATED",
                k,
                &format!("ana-{}", k % 2 + 1),
            ));
            lines.push_str(&event(t + 40, "ENDED", k, &format!("ana-{}", k % 2 + 1)));
        }
    }
    let log = dir.path().join("callbacks.jsonl");
    std::fs::write(&log, &lines).unwrap();
    let out = dir.path().join("fitted.toml");
    chatsim()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(dir.path().join("fit"))
        .arg("--no-plots")
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("From website callbacks"), "{text}");
    assert!(text.contains("name = \"ana\"\ncount = 2"), "{text}");
    // An event the callbacks do not have is refused at its line.
    std::fs::write(&log, format!("{lines}{}", event(3000, "EXPLODED", 99, ""))).unwrap();
    let assert = chatsim()
        .arg("fit")
        .arg(&log)
        .arg("--out")
        .arg(&out)
        .arg("--report")
        .arg(dir.path().join("fit"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("line 113") && err.contains("unknown event"),
        "{err}"
    );
}
