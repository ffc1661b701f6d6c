//! The calendar: `[simulation] start`, schedules in a time zone with daylight saving, and the
//! arrival profile read on the real weekday from the start.

use std::collections::HashMap;

use chatsim::engine::Time;
use chatsim::model::{Availability, ONLINE_AGENTS, run_replication};

use crate::cli::chatsim;
use crate::common::{scenario, write};
use crate::reports::csv_rows;

const BERLIN: &str = r#"
[simulation]
start = "2024-03-18"
horizon = "21d"
replications = 2

[arrivals]
per_hour = 20

[[streams]]
name = "main"
share = 1
live_chat = 1
routing = { mode = "round_robin" }

[[agents]]
name = "berlin"
count = 3
schedule = ["mon-fri 09:00-17:00"]
time_zone = "Europe/Berlin"
"#;

/// Agents on duty in hour `h` after Monday 18 March 2024 00:00 UTC: Berlin's 09:00-17:00 is
/// 08:00-16:00 UTC until summer time starts on Sunday 31 March, then 07:00-15:00 UTC.
fn berlin_on_duty(h: u64) -> bool {
    let (day, hour) = (h / 24, h % 24);
    let weekday = day % 7 < 5;
    let utc_hours = if day < 14 { 8..16 } else { 7..15 };
    weekday && utc_hours.contains(&hour)
}

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap()
}

/// The time series of `text` run by the binary with hourly buckets.
fn hourly_series(text: &str) -> Vec<HashMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", text);
    let out = dir.path().join("out");
    chatsim()
        .args([
            "run",
            "--quiet",
            "--no-plots",
            "--set",
            "simulation.bucket=1h",
        ])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    csv_rows(&out.join("timeseries.csv"))
}

#[test]
fn berlin_office_hours_are_an_hour_earlier_in_utc_after_the_last_sunday_of_march() {
    let rows = hourly_series(BERLIN);
    assert_eq!(rows.len(), 21 * 24);
    for (h, row) in rows.iter().enumerate() {
        let expected = if berlin_on_duty(h as u64) { 3.0 } else { 0.0 };
        assert_eq!(num(row, "start_h"), h as f64);
        assert_eq!(
            num(row, "online_agents_mean"),
            expected,
            "hour {h} (day {}, {:02}:00 UTC)",
            h / 24,
            h % 24
        );
    }
    // Nobody online means every request outside those hours got `unavailable`.
    let off: f64 = rows
        .iter()
        .enumerate()
        .filter(|(h, _)| !berlin_on_duty(*h as u64))
        .map(|(_, r)| num(r, "requests_mean") - num(r, "fallback_unavailable_mean"))
        .sum();
    assert_eq!(off, 0.0);
}

#[test]
fn berlin_availability_through_the_model() {
    let sc = scenario(BERLIN);
    let schedule = &sc.agents[0].schedule;
    let mut a = Availability::new(schedule, sc.simulation.start);
    // Every change over the three weeks, as hours since the start.
    let mut t = Time::ZERO;
    let mut changes = Vec::new();
    while let Some(next) = a.next_after(t).filter(|&n| n < sc.simulation.horizon) {
        changes.push((next.millis() / 3_600_000, a.online_at(next)));
        t = next;
    }
    let expected: Vec<(u64, bool)> = (0..21 * 24)
        .filter(|&h| berlin_on_duty(h) != (h > 0 && berlin_on_duty(h - 1)))
        .map(|h| (h, berlin_on_duty(h)))
        .collect();
    assert_eq!(changes, expected);
    assert_eq!(changes.len(), 30);
    // The online time per replication adds up: 15 days of 8 hours, three agents.
    let tally = run_replication(&sc, 0).unwrap();
    let online_h = tally
        .series
        .buckets
        .iter()
        .map(|b| b.areas[ONLINE_AGENTS])
        .sum::<u128>() as f64
        / 3_600_000.0;
    assert_eq!(online_h, 3.0 * 15.0 * 8.0);
}

#[test]
fn a_wednesday_start_applies_weekday_multipliers_and_schedules_to_the_right_days() {
    // 27 March 2024 is a Wednesday: the first day is Wednesday's (5 times the traffic), days 3
    // and 4 are the weekend (none), and the agent works Wednesdays and Mondays only.
    let text = r#"
[simulation]
start = "2024-03-27"
horizon = "7d"
replications = 2

[arrivals]
per_hour = 200
weekday = [1, 1, 5, 1, 1, 0, 0]

[[streams]]
name = "main"
share = 1
live_chat = 1
routing = { mode = "round_robin" }

[[agents]]
name = "ana"
schedule = ["mon,wed 09:00-12:00"]
"#;
    let rows = hourly_series(text);
    assert_eq!(rows.len(), 7 * 24);
    let day_visitors = |day: usize| -> f64 {
        rows[day * 24..(day + 1) * 24]
            .iter()
            .map(|r| num(r, "visitors_mean"))
            .sum()
    };
    let (wed, thu) = (day_visitors(0), day_visitors(1));
    assert!(
        (wed / thu - 5.0).abs() < 0.5,
        "Wednesday {wed}, Thursday {thu}"
    );
    assert!((thu - 200.0 * 24.0).abs() < 300.0, "Thursday {thu}");
    assert_eq!(day_visitors(3) + day_visitors(4), 0.0, "the weekend");
    assert!(day_visitors(5) > 0.0, "Monday");
    for (h, row) in rows.iter().enumerate() {
        let (day, hour) = (h / 24, h % 24);
        let on = (day == 0 || day == 5) && (9..12).contains(&hour);
        assert_eq!(
            num(row, "online_agents_mean"),
            if on { 1.0 } else { 0.0 },
            "day {day}, {hour:02}:00"
        );
    }
}

#[test]
fn trace_times_as_date_times_count_from_the_start() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "visitors.csv",
        "time,stream\n2024-03-18T09:15:00Z,main\n2024-03-18T10:30:00+01:00,main\n\
         2024-03-19T00:00:00.500Z,main\n",
    );
    let file = write(
        dir.path(),
        "s.toml",
        "[simulation]\nstart = 2024-03-18\nhorizon = \"2d\"\n\
         [arrivals]\ntrace = \"visitors.csv\"\n\
         [[streams]]\nname = \"main\"\nshare = 1\nlive_chat = 1\n\
         routing = { mode = \"round_robin\" }\n[[agents]]\nname = \"ana\"\n",
    );
    let sc = chatsim::scenario::load(&file).unwrap();
    let tally = run_replication(&sc, 0).unwrap();
    let by_hour: Vec<u64> = tally.series.buckets.iter().map(|b| b.visitors).collect();
    assert_eq!(by_hour[9], 2, "09:15 UTC and 10:30+01:00");
    assert_eq!(by_hour[24], 1);
    assert_eq!(tally.visitors, 3);
}

#[test]
fn a_trace_replaces_the_profiles_time_zone_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.csv",
        "time,stream\n2024-01-01T00:00:01Z,main\n",
    );
    let file = write(
        dir.path(),
        "s.toml",
        "[arrivals]\ntrace = \"t.csv\"\ntime_zone = \"Europe/Berlin\"\n\
         [[streams]]\nname = \"main\"\nshare = 1\nlive_chat = 1\n\
         routing = { mode = \"round_robin\" }\n[[agents]]\nname = \"ana\"\n",
    );
    let a = chatsim().arg("validate").arg(&file).assert().success();
    let err = crate::cli::stderr(&a);
    assert!(
        err.contains("arrivals.time_zone") && err.contains("not used"),
        "{err}"
    );
    // An unknown zone is bad input.
    let bad = write(
        dir.path(),
        "bad.toml",
        &std::fs::read_to_string(&file)
            .unwrap()
            .replace("Europe/Berlin", "Europe/Berlim"),
    );
    let a = chatsim().arg("validate").arg(&bad).assert().code(2);
    let err = crate::cli::stderr(&a);
    assert!(err.contains("did you mean \"Europe/Berlin\"?"), "{err}");
}
