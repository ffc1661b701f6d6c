//! Traffic sources that follow their own day: per-team requests against the closed form, each
//! source's visitors only in its own local hours, one source equal to `[arrivals]`, traces and
//! what-ifs of sources.

use std::path::Path;

use chatsim::scenario::{Override, load, parse_str, time_zone_database};

use crate::cli::chatsim;
use crate::common::{run, scenario, write};
use crate::reports::{csv_rows, run_into};

/// Two sources open 09:00-17:00 in their own time zones, Tokyo (00:00-08:00 UTC) and New York
/// (14:00-22:00 UTC, 13:00-21:00 UTC once the clocks go forward on Sunday 10 March 2024): the
/// two never overlap. Each fixes the region its visitors have, and the rules send each region
/// to its own team of always-online agents.
pub const TWO_REGIONS: &str = r#"
[simulation]
start = "2024-03-04"
horizon = "14d"
replications = 20

[[arrivals.sources]]
name = "apac"
per_hour = 30
time_zone = "Asia/Tokyo"
hourly = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
attributes = { region = "APAC" }

[[arrivals.sources]]
name = "amer"
per_hour = 50
time_zone = "America/New_York"
hourly = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
attributes = { region = "AMER" }

[visitors]
attributes = { region = { AMER = 0.5, APAC = 0.5 } }

[[streams]]
name = "web"
share = 1.0
live_chat = 0.5
routing = { mode = "rules" }

[[streams.rules]]
when = { region = "APAC" }
team = "tokyo"

[[streams.rules]]
when = { region = "AMER" }
team = "new-york"

[[agents]]
name = "tokyo"
count = 20
team = "tokyo"

[[agents]]
name = "new-york"
count = 20
team = "new-york"
"#;

/// Each source is open 8 hours on each of the 14 local days from 4 to 17 March (the horizon
/// runs from 4 March 00:00 UTC, which is 09:00 in Tokyo and 3 March 19:00 in New York, to 18
/// March 00:00 UTC, 09:00 in Tokyo and 17 March 20:00 in New York), and half its visitors ask.
fn expected_requests(per_hour: f64) -> f64 {
    per_hour * 8.0 * 14.0 * 0.5
}

#[test]
fn per_team_requests_match_the_integral_of_each_source_rate() {
    let s = run(&scenario(TWO_REGIONS));
    for (team, per_hour) in [("tokyo", 30.0), ("new-york", 50.0)] {
        let metric = format!("teams.{team}.requests");
        let got = s.named(&metric).unwrap();
        let exact = expected_requests(per_hour);
        assert_eq!(got.n, 20);
        assert!(
            got.ci95[0] <= exact && exact <= got.ci95[1],
            "{metric}: {} [{}, {}] over 20 replications, closed form {exact}",
            got.mean,
            got.ci95[0],
            got.ci95[1]
        );
        // Narrow enough to mean something: a few percent of the count.
        assert!(got.half_width() < 0.03 * exact, "{metric}: {got:?}");
    }
    // Nobody is left without a rule or a team: every request is one of the two regions'.
    let total = s.named("requests").unwrap().mean;
    let teams = s.named("teams.tokyo.requests").unwrap().mean
        + s.named("teams.new-york.requests").unwrap().mean;
    assert_eq!(total, teams);
    assert_eq!(s.named("fallback_rate.no_rule").unwrap().mean, 0.0);
}

#[test]
fn a_source_with_shares_of_its_own_draws_from_them() {
    // A quarter of the Tokyo source's visitors are AMER, and go to New York's team.
    let text = TWO_REGIONS.replace(
        "attributes = { region = \"APAC\" }",
        "attributes = { region = { AMER = 0.25, APAC = 0.75 } }",
    );
    let s = run(&scenario(&text));
    let apac = expected_requests(30.0);
    for (team, exact) in [
        ("tokyo", 0.75 * apac),
        ("new-york", expected_requests(50.0) + 0.25 * apac),
    ] {
        let got = s.named(&format!("teams.{team}.requests")).unwrap();
        assert!(
            got.ci95[0] <= exact && exact <= got.ci95[1],
            "{team}: {got:?}, closed form {exact}"
        );
    }
}

/// Runs `TWO_REGIONS` with only `source` feeding the site (the other's rate set to 0, by name)
/// and returns, per hourly bucket of timeseries.csv, the local hour of `zone` at its start and
/// its mean requests.
fn requests_by_local_hour(other: &str, zone: &str) -> Vec<(i8, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "two.toml", TWO_REGIONS);
    let (_guard, out) = run_into(&[
        file.to_str().unwrap(),
        "--no-plots",
        "--replications",
        "3",
        "--set",
        &format!("arrivals.sources.{other}.per_hour=0"),
    ]);
    let tz = time_zone_database().get(zone).unwrap();
    csv_rows(&out.join("timeseries.csv"))
        .iter()
        .map(|row| {
            let start: jiff::Timestamp = row["start"].parse().unwrap();
            let requests: f64 = row["requests_mean"].parse().unwrap();
            (tz.to_datetime(start).hour(), requests)
        })
        .collect()
}

#[test]
fn a_source_visitors_arrive_only_in_its_own_local_hours() {
    for (other, zone) in [("amer", "Asia/Tokyo"), ("apac", "America/New_York")] {
        let rows = requests_by_local_hour(other, zone);
        assert_eq!(rows.len(), 14 * 24);
        let open = |h: i8| (9..17).contains(&h);
        for (hour, requests) in &rows {
            if open(*hour) {
                assert!(*requests > 0.0, "{zone} {hour}:00: no requests");
            } else {
                assert_eq!(
                    *requests, 0.0,
                    "{zone} {hour}:00: requests outside its hours"
                );
            }
        }
        // Across New York's change of clocks too: 14 days of 8 open hours.
        assert_eq!(rows.iter().filter(|(h, _)| open(*h)).count(), 14 * 8);
    }
}

/// A scenario written with `[arrivals]`'s own keys.
const ONE_SOURCE: &str = r#"
[simulation]
horizon = "2d"
replications = 4
start = "2024-03-29T12:00:00Z"

[arrivals]
per_hour = 120
time_zone = "Europe/Berlin"
hourly = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 0.9, 1.3, 1.5, 1.6, 1.6, 1.6, 1.8, 2.0, 2.0, 1.9, 1.7, 1.4, 1.1, 0.8, 0.6, 0.4, 0.3]
weekday = [1.3, 1.3, 1.3, 1.3, 1.2, 0.4, 0.2]
surges = [{ start = "1d 2h", length = "3h", factor = 2.5 }]

[visitors]
attributes = { country = { US = 0.6, DE = 0.4 } }

[[streams]]
name = "web"
share = 0.8
live_chat = 0.4
routing = { mode = "rules" }

[[streams.rules]]
when = { country = "DE" }
team = "emea"

[[streams.rules]]
when = { country = "US" }
team = "amer"

[[agents]]
name = "emea"
count = 3
team = "emea"
schedule = ["mon-fri 08:00-18:00"]
time_zone = "Europe/Berlin"

[[agents]]
name = "amer"
count = 3
team = "amer"
"#;

#[test]
fn one_source_gives_the_same_results_as_arrivals_itself() {
    let rate_keys = ONE_SOURCE
        .split("[arrivals]\n")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .next()
        .unwrap();
    // The same keys as one named source, and with the surges as the site's.
    let as_source = ONE_SOURCE.replace(
        "[arrivals]\n",
        "[[arrivals.sources]]\nname = \"everyone\"\n",
    );
    let site_surges = ONE_SOURCE.replace(
        rate_keys,
        &format!(
            "surges = [{{ start = \"1d 2h\", length = \"3h\", factor = 2.5 }}]\n\n\
             [[arrivals.sources]]\nname = \"everyone\"\n{}",
            rate_keys.split("\nsurges").next().unwrap()
        ),
    );
    let base = run(&scenario(ONE_SOURCE));
    assert!(base.named("requests").unwrap().mean > 1000.0);
    for text in [as_source, site_surges] {
        let sc = scenario(&text);
        assert_eq!(sc.arrivals.sources.len(), 1, "{text}");
        assert_eq!(sc.arrivals.sources[0].surges.len(), 1, "{text}");
        assert_eq!(run(&sc).per_replication, base.per_replication, "{text}");
    }
}

#[test]
fn a_written_trace_of_sources_replays_the_replication() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "global.toml",
        &std::fs::read_to_string("scenarios/global.toml").unwrap(),
    );
    let trace = dir.path().join("visitors.csv");
    let short: Vec<Override> = ["simulation.horizon=2d", "simulation.replications=2"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    chatsim()
        .arg("arrivals")
        .arg(&file)
        .args(["--horizon", "2d", "--out"])
        .arg(&trace)
        .assert()
        .success();
    let rows = csv_rows(&trace);
    // The sources' fixed regions are in the trace, so that replaying it routes alike.
    assert!(
        rows.iter()
            .any(|r| r["region"] == "APAC" && r["live_chat"] == "1")
    );
    assert!(
        rows.iter()
            .all(|r| r["live_chat"] == "0" || !r["region"].is_empty())
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let generated = run(&parse_str(&text, "global", dir.path(), &short).unwrap());
    let mut replay = short.clone();
    replay.push("arrivals.trace=visitors.csv".parse().unwrap());
    let replayed = run(&parse_str(&text, "global", dir.path(), &replay).unwrap());
    assert_eq!(generated.per_replication[0], replayed.per_replication[0]);
}

#[test]
fn sweeping_a_source_rate_by_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep");
    chatsim()
        .args([
            "sweep",
            "scenarios/global.toml",
            "--quiet",
            "--replications",
            "2",
        ])
        .args([
            "--horizon",
            "1d",
            "--set",
            "arrivals.sources.apac.per_hour=10,80",
        ])
        .args(["--metric", "teams.apac.requests", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = csv_rows(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 2);
    let requests: Vec<f64> = rows
        .iter()
        .map(|r| r["teams.apac.requests.mean"].parse().unwrap())
        .collect();
    assert!(requests[1] > 4.0 * requests[0], "{requests:?}");
    // The site's estimate of work adds the sources up.
    let sc = load(Path::new("scenarios/global.toml")).unwrap();
    let e = chatsim::limits::expected_visitors(&sc);
    let s = run(&sc);
    let simulated = s.named("visitors").unwrap();
    assert!(
        (e - simulated.mean).abs() < 0.02 * e,
        "{e} vs {}",
        simulated.mean
    );
}
