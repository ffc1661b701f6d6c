//! Runs split across machines: shards merge into exactly the unsharded run; `--stats`.

use std::path::Path;

use crate::cli::{chatsim, short_run, stderr, stdout};

fn run_into(out: &Path, extra: &[&str]) {
    chatsim()
        .args([
            "run",
            "scenarios/default.toml",
            "--quiet",
            "--replications",
            "7",
            "--horizon",
            "2d",
        ])
        .args(extra)
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn merged_shards_equal_the_unsharded_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_into(&d.join("full"), &[]);
    for k in 1..=3 {
        run_into(
            &d.join(format!("s{k}")),
            &["--shard", &format!("{k}/3"), "--threads", "1"],
        );
    }
    chatsim()
        .arg("merge")
        .args(["s3", "s1", "s2"].map(|s| d.join(s)))
        .arg("--out")
        .arg(d.join("merged"))
        .assert()
        .success();
    for file in ["summary.json", "summary.csv", "replications.csv"] {
        let (a, b) = (d.join("full").join(file), d.join("merged").join(file));
        assert_eq!(
            std::fs::read(a).unwrap(),
            std::fs::read(b).unwrap(),
            "{file} differs"
        );
    }
}

#[test]
fn a_missing_or_foreign_shard_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_into(&d.join("s1"), &["--shard", "1/2"]);
    run_into(&d.join("other"), &["--shard", "2/2", "--seed", "99"]);
    let out = d.join("merged");
    let missing = chatsim()
        .arg("merge")
        .arg(d.join("s1"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&missing);
    assert!(err.contains("replications"), "{err}");
    let foreign = chatsim()
        .arg("merge")
        .args([d.join("s1"), d.join("other")])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&foreign);
    assert!(err.contains("another run"), "{err}");
    chatsim()
        .arg("merge")
        .arg(d.join("nowhere"))
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
