//! `chatsim check` end to end: verdicts and exit codes, bad metric names, the JUnit and JSON
//! files, and baselines.

use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::cli::{chatsim, stderr, stdout};
use crate::common::write;

/// A small Prime site whose team retry rescues many missed offers.
const SITE: &str = r#"
[simulation]
horizon = "3d"
replications = 8
seed = 3

[arrivals]
per_hour = 40

[[streams]]
name = "contact"
share = 1.0
live_chat = 0.5
routing = { mode = "team", team = "support" }

[[agents]]
name = "desk"
count = 3
team = "support"
miss = 0.3
"#;

/// Writes `SITE` plus `expect` as `<dir>/<name>.toml`.
fn scenario(dir: &Path, name: &str, expect: &str) -> PathBuf {
    write(dir, &format!("{name}.toml"), &format!("{SITE}\n{expect}"))
}

fn expect(metric: &str, bounds: &str) -> String {
    format!("[[expect]]\nmetric = \"{metric}\"\n{bounds}\n")
}

/// The mean and interval of `metric` in a `--json` summary.
fn figure(json: &Path, metric: &str) -> (f64, [f64; 2]) {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(json).unwrap()).unwrap();
    let e = doc["scenarios"][0]["expectations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["metric"] == metric)
        .unwrap();
    let ci = &e["ci95"];
    (
        e["mean"].as_f64().unwrap(),
        [ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap()],
    )
}

#[test]
fn passing_expectations_exit_0_with_one_line_each() {
    let dir = tempfile::tempdir().unwrap();
    let text = expect("fallback_rate", "max = 0.5") + &expect("engaged", "min = 1");
    let path = scenario(dir.path(), "site", &text);
    let a = chatsim()
        .args(["check", "--quiet"])
        .arg(&path)
        .assert()
        .success();
    let out = stdout(&a);
    assert_eq!(out.matches("\n  pass ").count(), 2, "{out}");
    assert!(out.contains("fallback_rate = "), "{out}");
    assert!(
        out.contains("2 expectations: 2 passed, 0 failed, 0 inconclusive"),
        "{out}"
    );
}

#[test]
fn a_failing_expectation_exits_1_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        expect("fallback_rate", "max = 0.5") + &expect("teams.support.engaged_rate", "min = 0.999");
    let path = scenario(dir.path(), "site", &text);
    let a = chatsim()
        .args(["check", "--quiet"])
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains("FAIL"), "{out}");
    assert!(out.contains("teams.support.engaged_rate = "), "{out}");
    assert!(
        out.contains("min 99.90%: the 95% interval lies outside the bound"),
        "{out}"
    );
    let err = stderr(&a);
    assert!(err.contains("1 expectation failed"), "{err}");
}

#[test]
fn a_straddled_bound_is_inconclusive_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("check.json");
    let path = scenario(dir.path(), "site", &expect("fallback_rate", "max = 1"));
    chatsim()
        .args(["check", "--quiet", "--json"])
        .arg(&json)
        .arg(&path)
        .assert()
        .success();
    // A bound inside the interval, a quarter of the half-width above the mean: the run is
    // deterministic, so the same interval straddles it, and (1/0.25)^2 = 16 times the
    // replications would likely settle it.
    let (mean, ci) = figure(&json, "fallback_rate");
    let bound = mean + (ci[1] - mean) / 4.0;
    let path = scenario(
        dir.path(),
        "site",
        &expect("fallback_rate", &format!("max = {bound}")),
    );
    let a = chatsim()
        .args(["check", "--quiet"])
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains("INCONCLUSIVE"), "{out}");
    // 16 x 8 = 128, give or take the rounding of the bound.
    let about = out
        .split("about ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<u64>().ok());
    assert!(matches!(about, Some(127..=129)), "{out}");
    assert!(
        out.contains("replications (now 8) would likely settle it"),
        "{out}"
    );
    let err = stderr(&a);
    assert!(err.contains("--allow-inconclusive"), "{err}");
    chatsim()
        .args(["check", "--quiet", "--allow-inconclusive"])
        .arg(&path)
        .assert()
        .success();
}

#[test]
fn a_bad_metric_name_exits_2_listing_the_valid_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(
        dir.path(),
        "site",
        &expect("teams.suport.fallback_rate", "max = 0.1"),
    );
    let a = chatsim()
        .args(["check", "--quiet"])
        .arg(&path)
        .assert()
        .code(2);
    let err = stderr(&a);
    for part in [
        "site.toml: expect[0].metric (line",
        "unknown metric \"teams.suport.fallback_rate\"",
        "did you mean \"teams.support.fallback_rate\"",
        "valid names: visitors, requests",
        "teams.<team>.<name> for teams support",
        "streams.<stream>.<name> for streams contact",
    ] {
        assert!(err.contains(part), "{part:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn other_bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let no_bound = scenario(dir.path(), "a", &expect("fallback_rate", ""));
    let a = chatsim().arg("check").arg(&no_bound).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("min, max or both"), "{err}");
    let no_expect = scenario(dir.path(), "b", "");
    let a = chatsim().arg("check").arg(&no_expect).assert().code(2);
    let err = stderr(&a);
    assert!(err.contains("nothing to check"), "{err}");
    chatsim().args(["check", "no/such/folder"]).assert().code(2);
    let base = dir.path().join("empty");
    std::fs::create_dir(&base).unwrap();
    let ok = scenario(dir.path(), "c", &expect("fallback_rate", "max = 1"));
    let a = chatsim()
        .args(["check", "--baseline"])
        .arg(&base)
        .arg(&ok)
        .assert()
        .code(2);
    let err = stderr(&a);
    assert!(err.contains("no baseline for scenario \"c\""), "{err}");
}

#[test]
fn junit_has_one_test_case_per_expectation_and_folders_run_in_path_order() {
    let dir = tempfile::tempdir().unwrap();
    let scenarios = dir.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    scenario(
        &scenarios,
        "b-site",
        &(expect("fallback_rate", "max = 0.5") + &expect("engaged_rate", "min = 0.999")),
    );
    scenario(&scenarios, "a-site", &expect("retry.rescued", "min = 1"));
    scenario(&scenarios, "c-unchecked", "");
    let junit = dir.path().join("out/junit.xml");
    let a = chatsim()
        .args(["check", "--quiet", "--junit"])
        .arg(&junit)
        .arg(&scenarios)
        .assert()
        .code(1);
    let out = stdout(&a);
    let order: Vec<usize> = [
        "a-site.toml",
        "b-site.toml",
        "c-unchecked.toml (no [[expect]] bounds: skipped)",
    ]
    .iter()
    .map(|f| out.find(f).unwrap_or_else(|| panic!("{f} not in {out}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{out}");

    let xml = std::fs::read_to_string(&junit).unwrap();
    let mut reader = Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (Vec::new(), Vec::new(), 0);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let name = e.try_get_attribute("name").unwrap().map(|a| {
                    a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned()
                });
                match e.name().into_inner() {
                    "testsuite" => suites.push(name.unwrap()),
                    "testcase" => cases.push(name.unwrap()),
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suites, ["a-site", "b-site"]);
    assert_eq!(
        cases,
        [
            "retry.rescued (min 1)",
            "fallback_rate (max 0.5)",
            "engaged_rate (min 0.999)"
        ]
    );
    assert_eq!(failures, 1);
}

#[test]
fn check_output_does_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "site", &expect("fallback_rate", "max = 0.5"));
    let mut files = Vec::new();
    for threads in ["1", "3"] {
        let (junit, json) = (
            dir.path().join(format!("j{threads}.xml")),
            dir.path().join(format!("j{threads}.json")),
        );
        chatsim()
            .args(["check", "--quiet", "--threads", threads, "--junit"])
            .arg(&junit)
            .arg("--json")
            .arg(&json)
            .arg(&path)
            .assert()
            .success();
        files.push((std::fs::read(junit).unwrap(), std::fs::read(json).unwrap()));
    }
    assert_eq!(files[0], files[1]);
}

#[test]
fn a_baseline_passes_unchanged_and_fails_a_regression_listing_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = scenario(dir.path(), "site", &expect("fallback_rate", "max = 1"));
    let baseline = dir.path().join("baseline");
    chatsim()
        .args(["run", "--quiet"])
        .arg(&path)
        .arg("--out")
        .arg(baseline.join("site"))
        .assert()
        .success();
    let a = chatsim()
        .args(["check", "--quiet", "--baseline"])
        .arg(&baseline)
        .arg(&path)
        .assert()
        .success();
    let out = stdout(&a);
    assert!(out.contains("no significant change"), "{out}");

    // Without the team retry, missed offers become fallbacks: a change for the worse far
    // beyond the tolerance.
    let json = dir.path().join("check.json");
    let a = chatsim()
        .args([
            "check",
            "--quiet",
            "--set",
            "package.team_retries=0",
            "--baseline",
        ])
        .arg(&baseline)
        .arg("--json")
        .arg(&json)
        .arg(&path)
        .assert()
        .code(1);
    let out = stdout(&a);
    assert!(out.contains("REGRESSED     fallback_rate "), "{out}");
    assert!(
        out.contains("REGRESSED     fallback_rate.timeout "),
        "{out}"
    );
    assert!(out.contains("REGRESSED     engaged_rate "), "{out}");
    let err = stderr(&a);
    assert!(err.contains("1 scenario regressed"), "{err}");
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(doc["passed"], false);
    let changes = doc["scenarios"][0]["baseline"]["changes"]
        .as_array()
        .unwrap();
    assert!(changes.iter().any(|c| c["metric"] == "fallback_rate"
        && c["change"] == "regressed"
        && c["direction"] == "higher_is_worse"));

    // A tolerance wider than the change lets it through, still listed.
    let a = chatsim()
        .args([
            "check",
            "--quiet",
            "--set",
            "package.team_retries=0",
            "--tolerance",
            "0.9",
            "--baseline",
        ])
        .arg(&baseline)
        .arg(&path)
        .assert()
        .success();
    let out = stdout(&a);
    assert!(out.contains("worse         fallback_rate "), "{out}");
}
