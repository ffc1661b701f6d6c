//! `chatsim backtest`: a log checked against the scenario that produced it is covered; against
//! a scenario with one agent fewer, the missed figure is not and the exit code is 1.

use assert_cmd::Command;

use crate::common::write;

/// Agents at a cap of 3 under load, so that staffing shows in the missed requests.
const SCENARIO: &str = r#"
[simulation]
horizon = "14d"
replications = 20
[package]
tier = "prime"
cap = 3
[arrivals]
per_hour = 40
hourly = [0.3, 0.2, 0.2, 0.2, 0.3, 0.5, 0.8, 1.1, 1.4, 1.6, 1.7, 1.7,
          1.6, 1.6, 1.7, 1.7, 1.6, 1.4, 1.2, 1.0, 0.8, 0.6, 0.5, 0.4]
[visitors]
attributes = { country = { US = 0.6, DE = 0.4 } }
silent_end = 0.2
[[streams]]
name = "pricing"
share = 1
live_chat = 1
routing = { mode = "team", team = "sales" }
[[agents]]
name = "sales"
count = 4
team = "sales"
response = { dist = "lognormal", median = "30s", sigma = 0.8 }
miss = 0.05
chat_length = { dist = "exponential", mean = "8m" }
"#;

fn chatsim() -> Command {
    Command::cargo_bin("chatsim").unwrap()
}

fn coverage(json: &std::path::Path, figure: &str) -> f64 {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
    v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"] == figure)
        .unwrap()["coverage"]
        .as_f64()
        .unwrap()
}

#[test]
fn a_log_is_covered_by_its_own_scenario_and_not_by_a_smaller_team() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "cap.toml", SCENARIO);
    let log = dir.path().join("actual.csv");
    chatsim()
        .arg("run")
        .arg(&sc)
        .args(["--quiet", "--no-plots", "--replications", "2", "--events"])
        .arg(&log)
        .arg("--out")
        .arg(dir.path().join("run"))
        .assert()
        .success();
    let same = dir.path().join("same");
    let junit = dir.path().join("junit.xml");
    chatsim()
        .arg("backtest")
        .arg(&sc)
        .arg("--actual")
        .arg(&log)
        .arg("--out")
        .arg(&same)
        .arg("--junit")
        .arg(&junit)
        .assert()
        .success();
    for f in chatsim::fit::backtest::FIGURES {
        let c = coverage(&same.join("backtest.json"), f);
        assert!(c >= 0.9, "{f}: coverage {c}");
    }
    assert!(same.join("backtest.csv").is_file());
    assert!(same.join("plots/backtest_missed.png").is_file());
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase").count(), 5);
    assert!(!xml.contains("<failure"));
    // The same on one thread as on two, byte for byte.
    let one = dir.path().join("one");
    chatsim()
        .arg("backtest")
        .arg(&sc)
        .arg("--actual")
        .arg(&log)
        .arg("--out")
        .arg(&one)
        .args(["--threads", "1"])
        .assert()
        .success();
    for f in ["backtest.csv", "backtest.json", "report.html"] {
        assert_eq!(
            std::fs::read(same.join(f)).unwrap(),
            std::fs::read(one.join(f)).unwrap(),
            "{f}"
        );
    }
    let fewer = dir.path().join("fewer");
    chatsim()
        .arg("backtest")
        .arg(&sc)
        .arg("--actual")
        .arg(&log)
        .arg("--out")
        .arg(&fewer)
        .args(["--set", "agents.sales.count=3"])
        .assert()
        .code(1);
    let c = coverage(&fewer.join("backtest.json"), "missed");
    assert!(c < 0.5, "missed coverage {c} with one agent fewer");
}

#[test]
fn the_dashboard_export_can_stand_for_the_observed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "cap.toml", SCENARIO);
    let log = dir.path().join("actual.csv");
    chatsim()
        .arg("run")
        .arg(&sc)
        .args([
            "--quiet",
            "--no-plots",
            "--replications",
            "2",
            "--horizon",
            "2d",
            "--events",
        ])
        .arg(&log)
        .arg("--out")
        .arg(dir.path().join("run"))
        .assert()
        .success();
    let dashboard = write(
        dir.path(),
        "dashboard.csv",
        "date,requested,connected,missed,avg_chat_length_min,avg_agent_response_s\n\
         2024-01-01,1,1,0,10.0,30\nnot-a-date,1,1,0,10,30\n",
    );
    let assert = chatsim()
        .arg("backtest")
        .arg(&sc)
        .arg("--actual")
        .arg(&log)
        .arg("--dashboard")
        .arg(&dashboard)
        .arg("--out")
        .arg(dir.path().join("bt"))
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("line 3"), "{err}");
}
