//! The real binary, end to end.

use std::path::Path;

use assert_cmd::Command;
use assert_cmd::assert::Assert;

pub fn chatsim() -> Command {
    Command::cargo_bin("chatsim").expect("binary built")
}

/// What the command printed on standard output.
pub fn stdout(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// What the command printed on standard error.
pub fn stderr(a: &Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// `chatsim run` of the built-in scenario, quiet and short: for tests of what a run writes, not
/// of what it finds.
pub fn short_run() -> Command {
    let mut c = chatsim();
    c.args(["run", "--quiet", "--replications", "2", "--horizon", "1d"]);
    c
}

fn read(dir: &Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn run_with_no_scenario_runs_the_built_in_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default");
    let assert = chatsim()
        .args(["run", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let printed = stdout(&assert);
    assert!(printed.contains("fallback rate"), "{printed}");
    let summary: serde_json::Value = serde_json::from_slice(&read(&out, "summary.json")).unwrap();
    assert_eq!(summary["scenario"], "default");
    for name in [
        "visitors",
        "requests",
        "engaged",
        "abandoned",
        "in_flight_at_end",
        "fallback",
        "fallback.no_rule",
        "fallback.unavailable",
        "fallback.at_cap",
        "fallback.timeout",
        "fallback.trial_limit",
        "fallback_rate",
        "fallback_rate.at_cap",
        "retry.attempts",
        "retry.rescued",
        "occupancy",
        "cap_saturation",
        "response_time.mean_s",
        "chat_length.mean_s",
        "trial.exhausted",
        "trial.exhausted_at_s",
        "emails",
    ] {
        assert!(
            summary["metrics"].get(name).is_some(),
            "summary.json lacks {name}"
        );
    }
    let m = &summary["metrics"]["requests"];
    assert!(m["ci95"][0].as_f64() <= m["mean"].as_f64());
    let reps = String::from_utf8(read(&out, "replications.csv")).unwrap();
    assert_eq!(
        reps.lines().count(),
        1 + summary["replications"].as_u64().unwrap() as usize
    );
    let table = String::from_utf8(read(&out, "summary.csv")).unwrap();
    assert!(table.starts_with("metric,mean,ci95_lo,ci95_hi,min,max\n"));
}

#[test]
fn same_seed_gives_byte_identical_outputs_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let (one, many) = (dir.path().join("one"), dir.path().join("many"));
    for (out, threads) in [(&one, "1"), (&many, "3")] {
        chatsim()
            .args([
                "run",
                "scenarios/default.toml",
                "--quiet",
                "--seed",
                "7",
                "--threads",
                threads,
            ])
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    }
    for file in ["summary.json", "replications.csv", "summary.csv"] {
        assert_eq!(read(&one, file), read(&many, file), "{file} differs");
    }
}

#[test]
fn flags_override_the_scenario() {
    let dir = tempfile::tempdir().unwrap();
    chatsim()
        .args([
            "run",
            "--quiet",
            "--replications",
            "3",
            "--horizon",
            "2d",
            "--seed",
            "9",
        ])
        .args(["--set", "package.cap=3", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&read(dir.path(), "summary.json")).unwrap();
    assert_eq!(summary["replications"], 3);
    assert_eq!(summary["seed"], 9);
    assert_eq!(summary["horizon_s"], 172_800.0);
}

#[test]
fn every_example_scenario_validates_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        chatsim().arg("validate").arg(&path).assert().success();
        let out = dir.path().join(path.file_stem().unwrap());
        chatsim()
            .args(["run", "--quiet", "--replications", "2", "--horizon", "3d"])
            .arg(&path)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        assert!(out.join("summary.json").exists(), "{}", path.display());
    }
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("chatsim"))
        .args([
            "run",
            "--quiet",
            "--replications",
            "2",
            "--horizon",
            "1d",
            "--out",
        ])
        .arg(dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}");
}
