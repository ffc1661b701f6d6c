//! Runs split across machines: shards merge into exactly the unsharded run; `--stats`.

use std::path::PathBuf;

use crate::cli::{chatsim, short_run, stderr, stdout};
use crate::reports::run_into;

/// The example scenario over 7 replications of 2 days, with `extra` arguments, into a fresh
/// folder.
fn run_seven(extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let base = [
        "scenarios/default.toml",
        "--replications",
        "7",
        "--horizon",
        "2d",
    ];
    run_into(&[&base[..], extra].concat())
}

#[test]
fn merged_shards_equal_the_unsharded_run_byte_for_byte() {
    let (_full_guard, full) = run_seven(&[]);
    let shards: Vec<_> = (1..=3)
        .map(|k| run_seven(&["--shard", &format!("{k}/3"), "--threads", "1"]))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let merged = dir.path().join("merged");
    chatsim()
        .arg("merge")
        .args([2, 0, 1].map(|i| &shards[i].1))
        .arg("--out")
        .arg(&merged)
        .assert()
        .success();
    for file in ["summary.json", "summary.csv", "replications.csv"] {
        let (a, b) = (full.join(file), merged.join(file));
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn a_missing_or_foreign_shard_is_bad_input() {
    let (_s1_guard, s1) = run_seven(&["--shard", "1/2"]);
    let (_other_guard, other) = run_seven(&["--shard", "2/2", "--seed", "99"]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("merged");
    let missing = chatsim()
        .arg("merge")
        .arg(&s1)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&missing);
    assert!(err.contains("replications"), "{err}");
    let foreign = chatsim()
        .arg("merge")
        .args([&s1, &other])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&foreign);
    assert!(err.contains("another run"), "{err}");
    chatsim()
        .arg("merge")
        .arg(dir.path().join("nowhere"))
        .assert()
        .code(2);
    assert!(!out.exists());
}

#[test]
fn stats_reports_throughput_and_memory() {
    let dir = tempfile::tempdir().unwrap();
    let assert = short_run()
        .args(["--stats", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let out = stdout(&assert);
    for field in [
        "events processed",
        "visitors",
        "wall time",
        "events per second",
        "peak memory",
    ] {
        assert!(out.contains(field), "{field} missing from: {out}");
    }
}
