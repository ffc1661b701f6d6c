//! Bad input: a clear message naming the file and the key or line, exit code 2, no panic, and
//! no output written.

use crate::cli::{chatsim, stderr};
use crate::common::write;

const GOOD: &str = r#"
[package]
tier = "prime"
[arrivals]
per_hour = 10
[[streams]]
name = "s"
share = 1.0
live_chat = 0.5
routing = { mode = "team", team = "sales" }
[[agents]]
name = "ana"
team = "sales"
schedule = ["mon-fri 09:00-17:00"]
"#;

/// Runs `chatsim run` on `text` and asserts exit 2, a message containing every `expected`
/// fragment, and no report folder.
fn rejects(text: &str, expected: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "bad.toml", text);
    let out = dir.path().join("out");
    let assert = chatsim()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = stderr(&assert);
    assert!(err.contains("bad.toml"), "no file name in: {err}");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "output written despite the error");
}

#[test]
fn the_good_scenario_is_good() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "good.toml", GOOD);
    chatsim().arg("validate").arg(&file).assert().success();
}

#[test]
fn missing_file() {
    let assert = chatsim()
        .args(["run", "no/such/scenario.toml"])
        .assert()
        .code(2);
    let err = stderr(&assert);
    assert!(err.contains("no/such/scenario.toml"), "{err}");
}

#[test]
fn invalid_toml_names_the_line() {
    rejects(
        &GOOD.replace("per_hour = 10", "per_hour = = 10"),
        &["line 5"],
    );
}

#[test]
fn unknown_key() {
    rejects(
        &GOOD.replace("per_hour = 10", "per_hour = 10\nper_huor = 3"),
        &["per_huor"],
    );
}

#[test]
fn wrong_type() {
    rejects(
        &GOOD.replace("per_hour = 10", "per_hour = \"many\""),
        &["per_hour"],
    );
}

#[test]
fn negative_rate() {
    rejects(
        &GOOD.replace("per_hour = 10", "per_hour = -5"),
        &["per_hour"],
    );
}

#[test]
fn shares_over_one() {
    let two = GOOD.replace("share = 1.0", "share = 0.7")
        + "[[streams]]\nname = \"t\"\nshare = 0.6\nlive_chat = 0.1\nrouting = { mode = \"round_robin\" }\n";
    rejects(&two, &["share"]);
    rejects(
        &GOOD.replace("live_chat = 0.5", "live_chat = 1.5"),
        &["live_chat"],
    );
}

#[test]
fn unknown_agent_or_team() {
    rejects(
        &GOOD.replace("team = \"sales\" }", "team = \"sails\" }"),
        &["sails"],
    );
    rejects(
        &GOOD.replace(
            "{ mode = \"team\", team = \"sales\" }",
            "{ mode = \"agent\", agent = \"bo\" }",
        ),
        &["bo"],
    );
}

#[test]
fn team_routing_on_select() {
    rejects(
        &GOOD.replace("tier = \"prime\"", "tier = \"select\""),
        &["select"],
    );
}

#[test]
fn schedule_that_does_not_parse() {
    rejects(
        &GOOD.replace("mon-fri 09:00-17:00", "monday to friday"),
        &["schedule"],
    );
}

#[test]
fn bad_override() {
    let dir = tempfile::tempdir().unwrap();
    let assert = chatsim()
        .args(["run", "--horizon", "forever", "--out"])
        .arg(dir.path().join("out"))
        .assert()
        .code(2);
    let err = stderr(&assert);
    assert!(err.contains("horizon"), "{err}");
    assert!(!dir.path().join("out").exists());
}

#[test]
fn bad_what_if_settings() {
    let package = "tier = \"prime\"";
    rejects(
        &GOOD.replace(package, "tier = \"prime\"\nqueue = { max_wait = \"0s\" }"),
        &["package.queue.max_wait", "longer than 0"],
    );
    rejects(
        &GOOD.replace(package, "tier = \"prime\"\nqueue = { wait = \"2m\" }"),
        &["wait"],
    );
    rejects(
        &GOOD.replace(package, "tier = \"prime\"\nshrinkage = 1.0"),
        &["package.shrinkage", "below 1"],
    );
    rejects(
        &GOOD.replace(
            "team = \"sales\"\nschedule",
            "team = \"sales\"\nshrinkage = -0.1\nschedule",
        ),
        &["agents[0].shrinkage"],
    );
    rejects(
        &GOOD.replace("per_hour = 10", "trace = \"no-such-trace.csv\""),
        &["arrivals.trace", "cannot read no-such-trace.csv"],
    );
}

#[test]
fn unknown_release_names_the_key_and_the_releases() {
    rejects(
        &GOOD.replace(
            "tier = \"prime\"",
            "tier = \"prime\"\nrelease = \"2025-05\"",
        ),
        &[
            "package.release",
            r#""overview", "2024-01", "2025-04", "2025-06""#,
            "2025-05",
        ],
    );
}

#[test]
fn overflow_to_an_unknown_team_names_the_key_and_the_teams() {
    rejects(
        &GOOD.replace(
            "tier = \"prime\"",
            "tier = \"prime\"\noverflow = { sales = \"apac\" }",
        ),
        &["package.overflow.sales", "unknown team \"apac\"", "sales"],
    );
    rejects(
        &GOOD.replace(
            "tier = \"prime\"",
            "tier = \"prime\"\noverflow = { sales = \"sales\" }",
        ),
        &["package.overflow.sales", "itself"],
    );
}

#[test]
fn slowdown_factors_must_be_positive() {
    rejects(
        &GOOD.replace(
            "team = \"sales\"\nschedule",
            "team = \"sales\"\nslowdown = { response = [1.0, -2.0] }\nschedule",
        ),
        &["agents[0].slowdown.response[1]", "above 0", "-2"],
    );
    rejects(
        &GOOD.replace(
            "team = \"sales\"\nschedule",
            "team = \"sales\"\nslowdown = { pace = [] }\nschedule",
        ),
        &["agents[0].slowdown.pace", "expected 1 to"],
    );
}
