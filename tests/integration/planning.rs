//! Capacity planning end to end: sweeps, the staffing search against a brute-force sweep,
//! paired comparisons against independent runs, and arrival traces.

use std::path::Path;

use chatsim::plan::paired_differences;
use chatsim::scenario::{Override, load, load_with};
use chatsim::stats::{Summary, t_quantile_975};

use crate::cli::{chatsim, stderr, stdout};
use crate::common::{run, write};

/// Two teams on two streams, small enough that a grid of dozens of points runs in a second.
const TWO_TEAMS: &str = r#"
[simulation]
horizon = "3d"
replications = 6
[package]
cap = 2
[arrivals]
per_hour = 120
[[streams]]
name = "sales"
share = 0.6
live_chat = 0.5
routing = { mode = "team", team = "sales" }
[[streams]]
name = "support"
share = 0.4
live_chat = 0.5
routing = { mode = "team", team = "support" }
[[agents]]
name = "sales"
count = 3
team = "sales"
chat_length = { dist = "exponential", mean = "6m" }
[[agents]]
name = "support"
count = 3
team = "support"
chat_length = { dist = "exponential", mean = "8m" }
"#;

fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn sweep_writes_the_grid_in_the_promised_columns_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    let mut csvs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        chatsim()
            .arg("sweep")
            .arg(&sc)
            .args([
                "--set",
                "agents.sales.count=2..6:2",
                "--set",
                "package.cap=1,3",
            ])
            .args([
                "--metric",
                "fallback_rate",
                "--metric",
                "teams.sales.engaged_rate",
            ])
            .args(["--quiet", "--threads", threads, "--out"])
            .arg(&out)
            .assert()
            .success();
        assert!(
            std::fs::read_to_string(out.join("sweep.svg"))
                .unwrap()
                .starts_with("<svg")
        );
        csvs.push(std::fs::read(out.join("sweep.csv")).unwrap());
    }
    assert_eq!(csvs[0], csvs[1], "sweep.csv depends on the thread count");
    let (header, rows) = csv_rows(&dir.path().join("out1/sweep.csv"));
    assert_eq!(
        header,
        [
            "agents.sales.count",
            "package.cap",
            "fallback_rate.mean",
            "fallback_rate.ci95_lo",
            "fallback_rate.ci95_hi",
            "teams.sales.engaged_rate.mean",
            "teams.sales.engaged_rate.ci95_lo",
            "teams.sales.engaged_rate.ci95_hi",
        ]
    );
    let points: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[0].as_str(), r[1].as_str()))
        .collect();
    assert_eq!(
        points,
        [
            ("2", "1"),
            ("2", "3"),
            ("4", "1"),
            ("4", "3"),
            ("6", "1"),
            ("6", "3")
        ]
    );
    // Common random numbers across points: more sales agents never serve sales visitors worse.
    let engaged = |r: &Vec<String>| r[5].parse::<f64>().unwrap();
    assert!(engaged(&rows[0]) < engaged(&rows[2]) && engaged(&rows[2]) <= engaged(&rows[4]));
}

#[test]
fn staff_finds_what_a_brute_force_sweep_finds() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    let target = "fallback_rate<=0.05";
    chatsim()
        .arg("sweep")
        .arg(&sc)
        .args([
            "--set",
            "agents.sales.count=1..8",
            "--set",
            "agents.support.count=1..8",
        ])
        .args(["--metric", "fallback_rate", "--quiet", "--out"])
        .arg(dir.path().join("sweep"))
        .assert()
        .success();
    let (_, rows) = csv_rows(&dir.path().join("sweep/sweep.csv"));
    let cell = |r: &Vec<String>, i: usize| r[i].parse::<f64>().unwrap();
    let best = rows
        .iter()
        .filter(|r| cell(r, 4) <= 0.05)
        .map(|r| cell(r, 0) + cell(r, 1))
        .fold(f64::INFINITY, f64::min);
    assert!(
        best.is_finite() && best > 2.0,
        "the case must need searching: {best}"
    );
    chatsim()
        .arg("staff")
        .arg(&sc)
        .args(["--target", target])
        .args([
            "--vary",
            "agents.sales.count=1..8",
            "--vary",
            "agents.support.count=1..8",
        ])
        .args(["--quiet", "--out"])
        .arg(dir.path().join("staff"))
        .assert()
        .success();
    let staff: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("staff/staff.json")).unwrap())
            .unwrap();
    assert_eq!(staff["met"], true);
    let answer = &staff["answer"];
    let (sales, support) = (
        answer["agents.sales.count"].as_i64().unwrap(),
        answer["agents.support.count"].as_i64().unwrap(),
    );
    assert_eq!((sales + support) as f64, best, "staff answered {answer}");
    // The answer's metrics are the sweep's at the same point: same seeds, same numbers.
    let row = rows
        .iter()
        .find(|r| r[0] == sales.to_string() && r[1] == support.to_string())
        .unwrap();
    let hi = staff["metrics"]["fallback_rate"]["ci95"][1]
        .as_f64()
        .unwrap();
    assert!((hi - cell(row, 4)).abs() < 1e-12);
    let runs = staff["runs"].as_u64().unwrap();
    assert!(
        runs < rows.len() as u64 / 2,
        "{runs} runs for {} points",
        rows.len()
    );
}

/// The same change measured twice: paired with common random numbers, and from two independent
/// runs. Pairing must make the interval of the difference clearly narrower.
#[test]
fn common_random_numbers_narrow_the_interval_of_a_difference() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    // The scenario at 20 replications, with `extra` overrides on top.
    let with = |extra: &[&str]| {
        let overrides: Vec<Override> = ["simulation.replications=20"]
            .iter()
            .chain(extra)
            .map(|s| s.parse().unwrap())
            .collect();
        load_with(Some(&sc), &overrides).unwrap()
    };
    let base = with(&[]);
    let variant = with(&["agents.support.count=4"]);
    let independent = with(&["agents.support.count=4", "simulation.seed=99"]);
    let (b, v, i) = (run(&base), run(&variant), run(&independent));
    let paired = paired_differences(&b.per_replication, &v.per_replication);
    let metric = "fallback_rate";
    let d = paired.iter().find(|d| d.metric.name() == metric).unwrap();
    let paired_half = d.diff.unwrap().half_width();
    // The interval of the difference of two independent runs, with the degrees of freedom of
    // the pooled test (Welch's are never more), so the comparison favours the unpaired side.
    let (sb, si) = (b.named(metric).unwrap(), i.named(metric).unwrap());
    let se = |s: &Summary| s.half_width() / t_quantile_975(s.n - 1);
    let welch_half = t_quantile_975(sb.n + si.n - 2) * (se(sb).powi(2) + se(si).powi(2)).sqrt();
    assert!(d.significant());
    assert!(
        paired_half < 0.5 * welch_half,
        "paired ±{paired_half:.5} vs independent ±{welch_half:.5}"
    );
}

/// Runs `compare` on the two-team scenario (written to `dir/two.toml`) with `args`, writing to
/// `dir/cmp`; what it printed and its compare.json.
fn compare_two_teams(dir: &Path, args: &[&str]) -> (String, serde_json::Value) {
    let sc = write(dir, "two.toml", TWO_TEAMS);
    let out = dir.join("cmp");
    let assert = chatsim()
        .arg("compare")
        .arg(&sc)
        .args(args)
        .args(["--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let cmp = serde_json::from_slice(&std::fs::read(out.join("compare.json")).unwrap()).unwrap();
    (stdout(&assert), cmp)
}

#[test]
fn compare_writes_paired_differences() {
    let dir = tempfile::tempdir().unwrap();
    let (printed, cmp) = compare_two_teams(dir.path(), &["--set", "package.cap=1"]);
    assert!(printed.contains("* fallback_rate"), "{printed}");
    let m = &cmp["metrics"];
    // The same visitors on both sides.
    assert_eq!(m["requests"]["diff"], 0.0);
    assert_eq!(m["requests"]["significant"], false);
    let f = &m["fallback_rate"];
    let (base, variant, diff) = (
        f["base"].as_f64().unwrap(),
        f["variant"].as_f64().unwrap(),
        f["diff"].as_f64().unwrap(),
    );
    assert!((variant - base - diff).abs() < 1e-12);
    assert!(f["ci95"][0].as_f64().unwrap() > 0.0 && f["significant"] == true);
    // Two files work the same way as one file with --set.
    let variant_file = write(
        dir.path(),
        "cap1.toml",
        &TWO_TEAMS.replace("cap = 2", "cap = 1"),
    );
    let out2 = dir.path().join("cmp2");
    chatsim()
        .arg("compare")
        .arg(dir.path().join("two.toml"))
        .arg(&variant_file)
        .args(["--quiet", "--out"])
        .arg(&out2)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(dir.path().join("cmp/compare.json")).unwrap(),
        std::fs::read(out2.join("compare.json")).unwrap()
    );
}

#[test]
fn compare_set_changes_the_variants_simulation_settings_too() {
    let dir = tempfile::tempdir().unwrap();
    let (printed, cmp) = compare_two_teams(
        dir.path(),
        &["--set", "simulation.horizon=\"1d\"", "--replications", "3"],
    );
    assert!(printed.contains("paired over 3 replications"), "{printed}");
    let visitors = &cmp["metrics"]["visitors"];
    let (base, variant) = (
        visitors["base"].as_f64().unwrap(),
        visitors["variant"].as_f64().unwrap(),
    );
    // One day of the base's three.
    assert!(variant < 0.5 * base, "base {base}, variant {variant}");
}

#[test]
fn replaying_a_written_trace_reproduces_the_replication() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    let trace = dir.path().join("visitors.csv");
    chatsim()
        .arg("arrivals")
        .arg(&sc)
        .arg("--out")
        .arg(&trace)
        .assert()
        .success();
    let (header, rows) = csv_rows(&trace);
    assert_eq!(header, ["time_s", "stream", "live_chat"]);
    assert!(rows.iter().any(|r| r[2] == "0") && rows.iter().any(|r| r[2] == "1"));
    let replay = TWO_TEAMS.replace("per_hour = 120", "trace = \"visitors.csv\"");
    let replay = write(dir.path(), "replay.toml", &replay);
    let generated = run(&load(&sc).unwrap());
    let replayed = run(&load(&replay).unwrap());
    assert_eq!(generated.per_replication[0], replayed.per_replication[0]);
    assert_eq!(
        replayed.named("visitors").unwrap().mean,
        rows.len() as f64,
        "every replication replays every visitor"
    );
}

#[test]
fn bad_planning_input_exits_2_with_the_option_named() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    write(
        dir.path(),
        "visitors.csv",
        "time_s,stream\n1.0,sales\n2.5,billing\n",
    );
    let replay = write(
        dir.path(),
        "replay.toml",
        &TWO_TEAMS.replace("per_hour = 120", "trace = \"visitors.csv\""),
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["sweep", "--set", "agents.sales.count=5..2"],
            "--set: agents.sales.count: the range 5..2 is empty",
        ),
        (vec!["sweep", "--set", "package.cap=1"], "nothing to sweep"),
        (
            vec!["sweep", "--set", "package.cap=1,2", "--metric", "nope"],
            "--metric: nope: unknown metric",
        ),
        (
            vec!["sweep", "--set", "agents.nobody.count=1,2"],
            "no agents entry is named \"nobody\"",
        ),
        (
            vec![
                "staff",
                "--target",
                "nope<=1",
                "--vary",
                "agents.sales.count",
            ],
            "--target: nope: unknown metric",
        ),
        (
            vec![
                "staff",
                "--target",
                "fallback_rate<=0.1",
                "--vary",
                "package.cap",
            ],
            "--vary: package.cap: give the range",
        ),
        (vec!["compare"], "nothing to compare"),
    ];
    for (args, expected) in cases {
        let mut cmd = chatsim();
        cmd.arg(args[0]).arg(&sc).args(&args[1..]).arg("--quiet");
        cmd.arg("--out").arg(dir.path().join("never"));
        let err = stderr(&cmd.assert().code(2));
        assert!(
            err.contains(expected),
            "{args:?}: expected {expected:?} in {err}"
        );
    }
    let err = stderr(
        &chatsim()
            .arg("run")
            .arg(&replay)
            .arg("--quiet")
            .assert()
            .code(2),
    );
    assert!(
        err.contains("visitors.csv line 3: unknown stream \"billing\""),
        "{err}"
    );
    assert!(!dir.path().join("never").exists());
}

/// A search whose upper bounds only straddle the target is run on more replications and, left
/// open, reads "inconclusive" with exit 1; one whose bounds clearly miss reads "missed" at once.
#[test]
fn staff_tells_an_open_answer_from_a_miss_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(dir.path(), "two.toml", TWO_TEAMS);
    let staff = |target: &str, name: &str| {
        let out = dir.path().join(name);
        let assert = chatsim()
            .arg("staff")
            .arg(&sc)
            .args(["--target", target, "--vary", "agents.sales.count=1..2"])
            .args(["--max-replications", "12", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .code(1);
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("staff.json")).unwrap()).unwrap();
        (
            String::from_utf8_lossy(&assert.get_output().stdout).into_owned(),
            doc,
        )
    };
    // The figure at the upper bound, from a plain run at 6 replications: the target on its mean
    // straddles it whatever the replications.
    let at_hi = run(&load_with(
        Some(&sc),
        &[Override {
            path: "agents.sales.count".into(),
            value: "2".into(),
        }],
    )
    .unwrap());
    let mean = at_hi.named("teams.sales.fallback_rate").unwrap().mean;
    let (text, doc) = staff(&format!("teams.sales.fallback_rate<={mean}"), "open");
    assert_eq!(doc["met"], false);
    assert_eq!(doc["replications"], 12, "doubled from 6 up to the cap");
    let key = format!("teams.sales.fallback_rate<={mean}");
    assert_eq!(doc["targets"][&key], "inconclusive", "{doc}");
    assert!(text.contains("INCONCLUSIVE"), "{text}");
    assert!(text.contains(" inconclusive\n"), "{text}");
    let (text, doc) = staff("teams.sales.fallback_rate<=0.0001", "missed");
    assert_eq!(
        doc["replications"], 6,
        "a clear miss needs no more replications"
    );
    assert_eq!(
        doc["targets"]["teams.sales.fallback_rate<=0.0001"],
        "missed"
    );
    assert!(text.contains("does NOT meet every target"), "{text}");
}
