//! `chatsim require` end to end: per-interval requirements against Erlang B on a loss system
//! whose load follows the day, against `staff` on a stationary one, and on the global site,
//! where no interval may be called missed.

use std::collections::HashMap;
use std::path::Path;

use crate::cli::{chatsim, stderr};
use crate::common::{erlang_b, write};
use crate::reports::csv_rows;

/// A loss system: instant accepts, cap 1, one-minute chats, so an interval's agents are
/// Erlang B servers for its own load (chats barely cross an interval's edge). Four weeks, so
/// that each interval of the week comes round four times in a replication.
fn loss_system(per_hour: f64, hourly: &str) -> String {
    format!(
        r#"
        [simulation]
        horizon = "28d"
        replications = 10
        [package]
        cap = 1
        [arrivals]
        per_hour = {per_hour}
        hourly = [{hourly}]
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = {{ mode = "team", team = "t" }}
        [[agents]]
        name = "t"
        count = 4
        team = "t"
        response = {{ dist = "constant", value = 0 }}
        chat_length = {{ dist = "exponential", mean = "1m" }}
        "#
    )
}

/// Runs `require` on `scenario` with `args`, and reads requirements.csv (rows of the team).
fn require(dir: &Path, scenario: &Path, args: &[&str]) -> (Vec<HashMap<String, String>>, i32) {
    let out = dir.join("require");
    let a = chatsim()
        .arg("require")
        .arg(scenario)
        .args(args)
        .args(["--quiet", "--no-plots", "--out"])
        .arg(&out)
        .assert();
    let code = a.get_output().status.code().unwrap();
    assert!(code == 0 || code == 1, "{}", stderr(&a));
    (csv_rows(&out.join("requirements.csv")), code)
}

/// The smallest c with Erlang B(c, a) <= target.
fn fewest(a: f64, target: f64) -> u32 {
    (0..).find(|&c| erlang_b(c, a) <= target).unwrap()
}

#[test]
fn per_interval_requirements_are_erlang_b_where_the_answer_is_clear() {
    let dir = tempfile::tempdir().unwrap();
    // 60 an hour x the profile, for a minute each: the profile is each hour's load in Erlang,
    // at loads where the target falls well between two counts (B at the answer at most 0.65
    // of it, one agent fewer at least 1.5 times it).
    let hourly = [
        1.3, 1.3, 1.3, 1.3, 1.4, 1.4, 1.9, 2.0, 2.6, 3.3, 3.3, 3.3, 2.6, 2.6, 3.3, 3.3, 2.6, 2.0,
        1.9, 1.4, 1.4, 1.3, 1.3, 1.3,
    ];
    let list: Vec<String> = hourly.iter().map(|h| h.to_string()).collect();
    let sc = write(
        dir.path(),
        "loss.toml",
        &loss_system(60.0, &list.join(", ")),
    );
    let target = 0.02;
    let (rows, _) = require(
        dir.path(),
        &sc,
        &[
            "--target",
            "fallback_rate<=0.02",
            "--max-replications",
            "40",
        ],
    );
    assert_eq!(rows.len(), 168, "one row per hour of the week");
    let mut clear = 0;
    for r in &rows {
        let hour: usize = r["start"][..2].parse().unwrap();
        let a = hourly[hour];
        let exact = fewest(a, target);
        let got: u32 = r["required"].parse().unwrap();
        assert!(
            got.abs_diff(exact) <= 1,
            "{} {}: required {got}, Erlang B says {exact} (a = {a})",
            r["weekday"],
            r["start"]
        );
        // Clear: one agent fewer is well above the target, the answer well below it.
        if erlang_b(exact - 1, a) >= 1.5 * target && erlang_b(exact, a) <= 0.65 * target {
            clear += 1;
            assert_eq!(
                got,
                exact,
                "{} {}: a = {a}, B = {:.4} at {exact}, {:.4} at one fewer; {r:?}",
                r["weekday"],
                r["start"],
                erlang_b(exact, a),
                erlang_b(exact - 1, a)
            );
        }
        assert_ne!(r["status"], "unreachable", "{r:?}");
    }
    assert_eq!(clear, 168, "every interval is clear of the boundary");
}

#[test]
fn on_a_stationary_system_every_interval_requires_what_staff_finds() {
    let dir = tempfile::tempdir().unwrap();
    // 5 Erlang: B(9) = 3.8%, B(10) = 1.8%, so a target of 2.6% needs 10 agents, clearly.
    let sc = write(
        dir.path(),
        "flat.toml",
        &loss_system(300.0, &["1"; 24].join(", ")),
    );
    let target = "fallback_rate<=0.026";
    let staff = dir.path().join("staff");
    chatsim()
        .arg("staff")
        .arg(&sc)
        .args([
            "--target",
            target,
            "--vary",
            "agents.t.count=1..30",
            "--quiet",
            "--out",
        ])
        .arg(&staff)
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(staff.join("staff.json")).unwrap()).unwrap();
    let answer = doc["answer"]["agents.t.count"].as_i64().unwrap();
    assert_eq!(answer, 10);
    let (rows, _) = require(
        dir.path(),
        &sc,
        &[
            "--target",
            "teams.t.fallback_rate<=0.026",
            "--max-replications",
            "40",
        ],
    );
    assert_eq!(rows.len(), 168);
    for r in &rows {
        assert_eq!(r["required"], answer.to_string(), "{r:?}");
    }
}

/// The planner's question on the three-team global site: every interval of every team gets an
/// answer, met with its whole interval below the target, or inconclusive, or out of reach with
/// the reason; none is "missed", and the week's totals are in requirements.json.
#[test]
fn the_global_site_gets_an_honest_answer_for_every_interval() {
    let dir = tempfile::tempdir().unwrap();
    let sc = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/global.toml");
    let (rows, code) = require(
        dir.path(),
        &sc,
        &[
            "--target",
            "fallback_rate<=0.05",
            "--max-replications",
            "40",
        ],
    );
    assert_eq!(rows.len(), 3 * 168);
    let mut seen = HashMap::new();
    for r in &rows {
        *seen.entry(r["status"].as_str()).or_insert(0) += 1;
        match r["status"].as_str() {
            "met" => {
                if r["requests_mean"] != "0" {
                    let hi: f64 = r["fallback_rate_ci95_hi"].parse().unwrap();
                    assert!(hi <= 0.05, "{r:?}");
                }
            }
            "inconclusive" => {
                let (lo, hi): (f64, f64) = (
                    r["fallback_rate_ci95_lo"].parse().unwrap(),
                    r["fallback_rate_ci95_hi"].parse().unwrap(),
                );
                assert!(lo <= 0.05 && 0.05 < hi, "{r:?}");
            }
            "unreachable" => {
                // Off the teams' office hours: nobody scheduled, every request unavailable.
                assert!(r["why"].contains("not scheduled"), "{r:?}");
                assert_eq!(r["required"], "0");
                assert_eq!(r["scheduled_online"], "0");
            }
            other => panic!("status {other}: {r:?}"),
        }
    }
    // Office hours, 08:00-18:00 local on weekdays: 50 intervals a team.
    for team in ["na", "emea", "apac"] {
        let open = rows
            .iter()
            .filter(|r| r["team"] == team && r["scheduled_online"] != "0")
            .count();
        assert_eq!(open, 50, "{team}");
    }
    assert!(seen["met"] >= 140, "{seen:?}");
    assert_eq!(code == 0, !seen.contains_key("inconclusive"), "{seen:?}");
    let doc: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("require/requirements.json")).unwrap(),
    )
    .unwrap();
    let na = &doc["teams"]["na"];
    let hours: f64 = rows
        .iter()
        .filter(|r| r["team"] == "na")
        .map(|r| r["required"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(na["agent_hours"].as_f64().unwrap(), hours);
    assert!((na["fte"].as_f64().unwrap() - hours / 40.0).abs() < 1e-9);
}

#[test]
fn bad_requests_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "loss.toml",
        &loss_system(60.0, &["1"; 24].join(", ")),
    );
    for (args, says) in [
        (
            vec!["--target", "visitors<=5"],
            "not a figure an interval can be held to",
        ),
        (
            vec!["--target", "teams.zz.fallback_rate<=0.05"],
            "no team of",
        ),
        (
            vec!["--target", "fallback_rate<=0.05", "--horizon", "3d"],
            "at least a week past the warm-up",
        ),
        (
            vec!["--target", "fallback_rate<=0.05", "--shrinkage", "1"],
            "from 0 to below 1",
        ),
    ] {
        let a = chatsim()
            .arg("require")
            .arg(&sc)
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(dir.path().join("out"))
            .assert()
            .code(2);
        assert!(stderr(&a).contains(says), "{args:?}: {}", stderr(&a));
        assert!(!dir.path().join("out").exists());
    }
}

/// Requirements turned into a roster: the roster's own scenario, simulated, meets the targets
/// in at least 95% of the intervals, and its paid hours are within 10% of the linear
/// relaxation's bound.
#[test]
fn a_roster_covers_the_requirements_near_the_bound_and_meets_the_targets() {
    let dir = tempfile::tempdir().unwrap();
    // Days busier than nights: between 4 and 9 agents an hour.
    let hourly = [
        1.0, 1.0, 1.0, 1.0, 1.0, 1.3, 1.9, 2.6, 3.3, 4.0, 4.0, 4.0, 3.3, 3.3, 4.0, 4.0, 3.3, 2.6,
        2.0, 1.9, 1.4, 1.3, 1.0, 1.0,
    ];
    let list: Vec<String> = hourly.iter().map(|h| h.to_string()).collect();
    let sc = write(
        dir.path(),
        "loss.toml",
        &loss_system(60.0, &list.join(", ")),
    );
    let (rows, _) = require(
        dir.path(),
        &sc,
        &[
            "--target",
            "fallback_rate<=0.02",
            "--max-replications",
            "40",
        ],
    );
    assert_eq!(rows.len(), 168);
    let out = dir.path().join("roster");
    let a = chatsim()
        .arg("roster")
        .arg(&sc)
        .arg("--requirements")
        .arg(dir.path().join("require"))
        .args(["--shift", "8h", "--days", "5", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("roster.json")).unwrap()).unwrap();
    let t = &doc["teams"]["t"];
    let (paid, bound) = (
        t["paid_hours"].as_f64().unwrap(),
        t["lower_bound"].as_f64().unwrap(),
    );
    assert!(
        paid >= bound - 1e-6 && paid <= 1.1 * bound,
        "{paid} paid, bound {bound}"
    );
    let share = doc["simulated"]["share_met"].as_f64().unwrap();
    assert!(
        share >= 0.95,
        "{share} of intervals met; {}",
        crate::cli::stdout(&a)
    );
    // roster.csv adds up to the paid hours, and roster.toml runs as a scenario of its own.
    let shifts = csv_rows(&out.join("roster.csv"));
    let hours: f64 = shifts
        .iter()
        .map(|r| r["paid_hours"].parse::<f64>().unwrap())
        .sum();
    assert_eq!(hours, paid);
    assert!(
        shifts
            .iter()
            .all(|r| r["schedule"].ends_with(":00") && r["days"] == "5")
    );
    chatsim()
        .args(["validate"])
        .arg(out.join("roster.toml"))
        .assert()
        .success();
}

#[test]
fn roster_refuses_requirements_of_another_scenario_and_bad_shifts() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "loss.toml",
        &loss_system(60.0, &["1"; 24].join(", ")),
    );
    let other = write(
        dir.path(),
        "other.toml",
        &loss_system(60.0, &["1"; 24].join(", ")),
    );
    require(dir.path(), &sc, &["--target", "fallback_rate<=0.05"]);
    for (scenario, args, says) in [
        (&other, vec![], "the requirements are of scenario \"loss\""),
        (&sc, vec!["--shift", "25h"], "expected a length up to 24h"),
        (&sc, vec!["--starts", "14:00-06:00"], "first and last start"),
        (&sc, vec!["--days", "8"], "8"),
    ] {
        let a = chatsim()
            .arg("roster")
            .arg(scenario)
            .arg("--requirements")
            .arg(dir.path().join("require"))
            .args(&args)
            .args(["--quiet", "--out"])
            .arg(dir.path().join("roster"))
            .assert()
            .code(2);
        assert!(stderr(&a).contains(says), "{args:?}: {}", stderr(&a));
        assert!(!dir.path().join("roster").exists());
    }
}

#[test]
fn requirements_do_not_depend_on_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let sc = write(
        dir.path(),
        "flat.toml",
        &loss_system(120.0, &["1"; 24].join(", ")),
    );
    let mut files = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(threads);
        chatsim()
            .arg("require")
            .arg(&sc)
            .args([
                "--target",
                "fallback_rate<=0.05",
                "--horizon",
                "7d",
                "--threads",
                threads,
            ])
            .args(["--quiet", "--no-plots", "--out"])
            .arg(&out)
            .assert()
            .success();
        files.push([
            std::fs::read(out.join("requirements.csv")).unwrap(),
            std::fs::read(out.join("requirements.json")).unwrap(),
        ]);
    }
    assert!(
        files[0] == files[1],
        "requirements differ between 1 and 2 threads"
    );
}
