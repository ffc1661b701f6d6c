//! What a run records about itself, and the inputs that must match it: shards of one
//! configuration only, baselines of the same scenario that can judge something, and default
//! report folders that a what-if never takes from the scenario as written.

use std::path::Path;

use crate::cli::{chatsim, stderr};
use crate::reports::run_into;

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn shard(extra: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let base = ["--replications", "4", "--horizon", "1d"];
    run_into(&[&base[..], extra].concat())
}

fn merge(dirs: &[&Path]) -> assert_cmd::assert::Assert {
    let out = tempfile::tempdir().unwrap();
    chatsim()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out.path().join("merged"))
        .assert()
}

#[test]
fn shards_of_another_configuration_or_with_short_rows_are_refused() {
    let (_a, first) = shard(&["--shard", "1/2"]);
    let (_b, other) = shard(&["--shard", "2/2", "--set", "package.cap=1"]);
    let err = stderr(&merge(&[&first, &other]).code(2));
    assert!(
        err.contains("another run") && err.contains("package.cap=1"),
        "{err}"
    );
    let (_c, second) = shard(&["--shard", "2/2"]);
    merge(&[&first, &second]).success();
    // A row cut short.
    let file = second.join("shard.json");
    let mut doc = json(&file);
    let row = doc["values"][1].as_array_mut().unwrap();
    row.pop();
    std::fs::write(&file, doc.to_string()).unwrap();
    let err = stderr(&merge(&[&first, &second]).code(2));
    assert!(err.contains("row 1"), "{err}");
}

#[test]
fn a_run_of_one_replication_or_an_empty_shard_is_refused() {
    let (_a, only) = shard(&["--shard", "1/2"]);
    let file = only.join("shard.json");
    let mut doc = json(&file);
    doc["replications"] = 1.into();
    doc["values"] = serde_json::Value::Array(vec![doc["values"][0].clone()]);
    doc["shard"] = serde_json::json!([1, 1]);
    std::fs::write(&file, doc.to_string()).unwrap();
    let err = stderr(&merge(&[&only]).code(2));
    assert!(err.contains("at least 2"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    let err = stderr(
        &chatsim()
            .args([
                "run",
                "--quiet",
                "--replications",
                "2",
                "--shard",
                "1/3",
                "--out",
            ])
            .arg(dir.path().join("s"))
            .assert()
            .code(2),
    );
    assert!(err.contains("empty"), "{err}");
    assert!(!dir.path().join("s").exists());
}

fn check_against(baseline: &Path) -> assert_cmd::assert::Assert {
    chatsim()
        .args([
            "check",
            "--quiet",
            "scenarios/default.toml",
            "--replications",
            "3",
        ])
        .args(["--horizon", "1d", "--allow-inconclusive", "--baseline"])
        .arg(baseline)
        .assert()
}

#[test]
fn a_baseline_of_another_scenario_empty_or_too_wide_is_refused() {
    let (_a, run) = run_into(&[
        "scenarios/prime-team.toml",
        "--replications",
        "3",
        "--horizon",
        "1d",
    ]);
    let err = stderr(&check_against(&run.join("summary.json")).code(2));
    assert!(err.contains("not of \"default\""), "{err}");
    let (_b, run) = run_into(&["--replications", "3", "--horizon", "1d"]);
    let file = run.join("summary.json");
    check_against(&file).success();
    let mut doc = json(&file);
    let metrics = doc["metrics"].as_object_mut().unwrap();
    let wide: Vec<String> = metrics.keys().cloned().collect();
    for name in &wide {
        if let Some(ci) = metrics[name].get_mut("ci95") {
            *ci = serde_json::json!([0.0, 1.0]);
        }
    }
    std::fs::write(&file, doc.to_string()).unwrap();
    let err = stderr(&check_against(&file).code(2));
    assert!(err.contains("too wide to judge"), "{err}");
    doc["metrics"] = serde_json::json!({});
    std::fs::write(&file, doc.to_string()).unwrap();
    let err = stderr(&check_against(&file).code(2));
    assert!(err.contains("none of the rates"), "{err}");
}

#[test]
fn runs_record_their_provenance_and_what_ifs_get_their_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        chatsim()
            .current_dir(dir.path())
            .args(["run", "--quiet", "--no-plots"])
            .args(extra)
            .assert()
            .success()
    };
    run(&[]);
    run(&["--set", "package.cap=2"]);
    let plain = dir.path().join("reports/default");
    let doc = json(&plain.join("summary.json"));
    assert_eq!(doc["chatsim"], env!("CARGO_PKG_VERSION"));
    let fingerprint = doc["fingerprint"].as_str().unwrap().to_string();
    assert_eq!(fingerprint.len(), 64);
    assert_eq!(doc["overrides"], serde_json::json!([]));
    let folders: Vec<String> = std::fs::read_dir(dir.path().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("default-"))
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let what_if = json(
        &dir.path()
            .join("reports")
            .join(&folders[0])
            .join("summary.json"),
    );
    assert_eq!(what_if["overrides"], serde_json::json!(["package.cap=2"]));
    assert_ne!(what_if["fingerprint"].as_str().unwrap(), fingerprint);
    assert!(folders[0].ends_with(&what_if["fingerprint"].as_str().unwrap()[..8]));
    // The plain run's report is still the plain run's.
    assert_eq!(
        json(&plain.join("summary.json"))["fingerprint"],
        fingerprint.as_str()
    );
    let html = std::fs::read_to_string(plain.join("report.html")).unwrap();
    assert!(
        html.contains(&fingerprint),
        "report.html lacks the fingerprint"
    );
}
