//! Figures end to end: every name a user gives is checked when it is read, the printed figures
//! stay in the range their quantity can take, and the exit code tells a failed gate from a
//! broken run.

use crate::cli::{chatsim, short_run, stderr, stdout};

#[test]
fn unknown_names_in_flags_are_rejected_before_anything_runs() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[&str]; 3] = [
        &[
            "sweep",
            "--set",
            "agents.emea.count=1..2",
            "--metric",
            "fallback_rte",
        ],
        &[
            "staff",
            "--target",
            "fallback_rte<=0.1",
            "--vary",
            "agents.emea.count=1..3",
        ],
        &[
            "staff",
            "--target",
            "teams.apac.fallback_rate<=0.1",
            "--vary",
            "agents.emea.count",
        ],
    ];
    for args in cases {
        let a = chatsim()
            .args(args)
            .arg("--out")
            .arg(dir.path().join("out"))
            .assert()
            .code(2);
        let err = stderr(&a);
        assert!(err.contains("unknown metric"), "{args:?}: {err}");
        assert!(!dir.path().join("out").exists(), "{args:?} wrote output");
    }
    let err = stderr(
        &chatsim()
            .args([
                "sweep",
                "--set",
                "agents.emea.count=1..2",
                "--metric",
                "fallback_rte",
            ])
            .arg("--out")
            .arg(dir.path().join("out"))
            .assert()
            .code(2),
    );
    assert!(err.contains("did you mean \"fallback_rate\""), "{err}");
}

#[test]
fn printed_intervals_never_leave_their_range() {
    let dir = tempfile::tempdir().unwrap();
    // Two short replications: wide intervals around rates near 0.
    let a = chatsim()
        .args([
            "run",
            "--quiet",
            "--replications",
            "2",
            "--horizon",
            "3h",
            "--out",
        ])
        .arg(dir.path().join("r"))
        .assert()
        .success();
    let out = stdout(&a);
    assert!(out.contains("replications of 3 h"), "{out}");
    for line in out.lines().filter(|l| l.contains('[')) {
        assert!(!line.contains("[-"), "a negative bound: {line}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r/summary.json")).unwrap()).unwrap();
    for (name, v) in summary["metrics"].as_object().unwrap() {
        if let Some(ci) = v["ci95"].as_array() {
            let lo = ci[0].as_f64().unwrap();
            assert!(lo >= 0.0, "{name}: {lo}");
            if name.contains("rate") || name == "occupancy" || name == "cap_saturation" {
                assert!(ci[1].as_f64().unwrap() <= 1.0, "{name}");
            }
        }
    }
}

#[test]
fn a_broken_run_is_not_a_failed_check() {
    let dir = tempfile::tempdir().unwrap();
    // The output folder cannot be made: a regular file stands where its parent should be.
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let a = short_run()
        .arg("--out")
        .arg(blocker.join("report"))
        .assert()
        .code(3);
    assert!(!stderr(&a).contains("check failed"), "{}", stderr(&a));
}
