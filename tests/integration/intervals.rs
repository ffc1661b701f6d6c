//! Per-interval figures (`intervals.csv`) and the agent-load figures: schedules in a time zone
//! on both sides of a change to summer time, conservation against the run's totals, and
//! Little's law for the chats held.

use std::collections::HashMap;

use chatsim::figure::{Figure, Metric};
use chatsim::model::run_replication;
use chatsim::report::{At, Reader};

use crate::cli::chatsim;
use crate::common::{scenario, write};
use crate::reports::csv_rows;

const BERLIN: &str = r#"
[simulation]
start = "START"
horizon = "7d"
replications = 3

[arrivals]
per_hour = 20

[[streams]]
name = "main"
share = 1
live_chat = 1
routing = { mode = "team", team = "berlin" }

[[agents]]
name = "berlin"
count = 3
team = "berlin"
schedule = ["mon-fri 09:00-17:00"]
time_zone = "Europe/Berlin"
"#;

fn num(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?}", row[column]))
}

/// `intervals.csv` of `text` run by the binary.
fn intervals(text: &str) -> Vec<HashMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "s.toml", text);
    let out = dir.path().join("out");
    chatsim()
        .args(["run", "--quiet", "--no-plots"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    csv_rows(&out.join("intervals.csv"))
}

fn hour_of_week(row: &HashMap<String, String>) -> usize {
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let day = days.iter().position(|d| *d == row["weekday"]).unwrap();
    day * 24 + row["start"][..2].parse::<usize>().unwrap()
}

/// A week before Berlin's summer time starts (the night to Sunday 31 March 2024) office hours
/// are 08:00-16:00 UTC; the week after, 07:00-15:00 UTC.
#[test]
fn berlin_office_hours_in_utc_intervals_on_both_sides_of_the_last_sunday_of_march() {
    for (start, first_utc_hour) in [("2024-03-25", 8), ("2024-04-01", 7)] {
        let rows = intervals(&BERLIN.replace("START", start));
        for scope in ["site", "team"] {
            let rows: Vec<_> = rows.iter().filter(|r| r["scope"] == scope).collect();
            assert_eq!(rows.len(), 168, "{scope}: an hour of the week a row");
            for r in rows {
                let h = hour_of_week(r);
                let on = h / 24 < 5 && (first_utc_hour..first_utc_hour + 8).contains(&(h % 24));
                let what = format!("{start} {scope} {} {}", r["weekday"], r["start"]);
                assert_eq!(
                    num(r, "online_agents_mean"),
                    if on { 3.0 } else { 0.0 },
                    "{what}"
                );
                assert_eq!(r["local_start"][3..], r["start"][3..], "{what}");
                if !on && num(r, "requests_mean") > 0.0 {
                    assert_eq!(num(r, "fallback_rate_unavailable_mean"), 1.0, "{what}");
                    assert_eq!(num(r, "fallback_rate_unavailable_ci95_lo"), 1.0, "{what}");
                }
                if on {
                    assert_eq!(num(r, "fallback_rate_unavailable_mean"), 0.0, "{what}");
                }
            }
        }
        let team_monday_first = rows
            .iter()
            .find(|r| r["scope"] == "team" && hour_of_week(r) == first_utc_hour)
            .unwrap();
        assert_eq!(team_monday_first["time_zone"], "Europe/Berlin");
        assert_eq!(team_monday_first["local_start"], "09:00");
    }
}

/// Over three weeks that straddle the change, the hour 07:00 UTC on Mondays had the team on
/// duty in one week of three: its level is the average over the weeks.
#[test]
fn an_interval_averages_the_weeks_of_the_horizon() {
    let text = BERLIN
        .replace("START", "2024-03-18")
        .replace("\"7d\"", "\"21d\"");
    let rows = intervals(&text);
    let at = |h: usize| {
        let r = rows
            .iter()
            .find(|r| r["scope"] == "site" && hour_of_week(r) == h)
            .unwrap();
        num(r, "online_agents_mean")
    };
    assert_eq!(at(7), 1.0);
    assert_eq!(at(8), 3.0);
    assert_eq!(at(15), 2.0);
}

/// With a week's horizon each interval comes round once, so the intervals' requests and
/// fallbacks add up to the run's, per replication and so in the mean.
#[test]
fn intervals_add_up_to_the_run() {
    let sc = scenario(&BERLIN.replace("START", "2024-03-25"));
    let reader = Reader::new(&sc);
    for rep in 0..2 {
        let t = run_replication(&sc, rep).unwrap();
        for (at, name) in [
            (At::Site, "requests"),
            (At::Team(0), "teams.berlin.requests"),
        ] {
            let total: f64 = (0..168)
                .map(|s| reader.interval(&t, Metric::Requests, at, s).unwrap())
                .sum();
            let f: Figure = name.parse().unwrap();
            assert_eq!(Some(total), reader.figure(&t, &f), "{name}");
        }
        let online: f64 = (0..168)
            .map(|s| {
                reader
                    .interval(&t, Metric::OnlineAgents, At::Site, s)
                    .unwrap()
            })
            .sum();
        let run = reader.value(&t, Metric::OnlineAgents, At::Site).unwrap();
        assert!((online / 168.0 - run).abs() < 1e-12, "{online} vs {run}");
    }
}

/// Chats go on after a shift ends. The chats held, counted whether the agent is online or
/// not, obey Little's law exactly: their time average is the engagements times the time each
/// held its slot (the response, then the chat), over the time. The slots of agents online
/// miss the chats carried past the shift.
#[test]
fn live_chats_obey_littles_law_on_a_scheduled_team() {
    let sc = scenario(
        r#"
[simulation]
horizon = "7d"
replications = 2

[arrivals]
per_hour = 30

[[streams]]
name = "main"
share = 1
live_chat = 1
routing = { mode = "team", team = "day" }

[[agents]]
name = "day"
count = 4
team = "day"
schedule = ["mon-fri 09:00-17:00"]
response = { dist = "uniform", min = "5s", max = "60s" }
chat_length = { dist = "exponential", mean = "30m" }
"#,
    );
    let reader = Reader::new(&sc);
    let counted_s = sc.simulation.horizon.as_secs_f64();
    for rep in 0..2 {
        let t = run_replication(&sc, rep).unwrap();
        let v = |m: Metric| reader.value(&t, m, At::Site).unwrap();
        let held_s = v(Metric::Engaged) * (v(Metric::ResponseTime) + v(Metric::ChatLength));
        let live = v(Metric::LiveChats);
        assert!(
            (live * counted_s / held_s - 1.0).abs() < 1e-9,
            "live chats {live}, Little's law {}",
            held_s / counted_s
        );
        let online_busy = v(Metric::ChatsPerAgent) * v(Metric::OnlineAgents);
        assert!(
            online_busy < 0.97 * live,
            "slots of agents online {online_busy} against chats held {live}"
        );
        let team = reader.value(&t, Metric::LiveChats, At::Team(0)).unwrap();
        assert!((team - live).abs() < 1e-12);
        let share = v(Metric::ChattingShare);
        assert!(share > 0.0 && share <= 1.0, "{share}");
    }
}

/// Two sources open 09:00-17:00 in Tokyo (00:00-08:00 UTC in January) and New York
/// (14:00-22:00 UTC), each fixing the region that sends its visitors to its own team. Each
/// interval of the week comes round once in the week simulated, so a team's requests in an
/// open hour are Poisson with mean half the source's hourly rate (half the visitors ask), and
/// none in the others. The 95% intervals over the replications cover the closed form in about
/// 95% of the open hours, and a closed hour has no requests at all.
#[test]
fn per_team_requests_per_interval_follow_each_sources_local_day() {
    let text = crate::sources::TWO_REGIONS
        .replace(r#"start = "2024-03-04""#, r#"start = "2024-01-01""#)
        .replace(r#"horizon = "14d""#, r#"horizon = "7d""#);
    assert!(text.contains(r#"horizon = "7d""#));
    let rows = intervals(&text);
    let (mut open, mut covered) = (0, 0);
    for (team, utc_hours, per_hour) in [("tokyo", 0..8, 30.0), ("new-york", 14..22, 50.0)] {
        let rows: Vec<_> = rows
            .iter()
            .filter(|r| r["scope"] == "team" && r["name"] == team)
            .collect();
        assert_eq!(rows.len(), 168);
        for r in rows {
            let what = format!("{team} {} {}", r["weekday"], r["start"]);
            if utc_hours.contains(&(hour_of_week(r) % 24)) {
                let exact = per_hour * 0.5;
                let (lo, hi) = (num(r, "requests_ci95_lo"), num(r, "requests_ci95_hi"));
                open += 1;
                covered += (lo <= exact && exact <= hi) as u32;
                assert!(
                    (num(r, "requests_mean") - exact).abs() < 0.3 * exact,
                    "{what}"
                );
            } else {
                assert_eq!(num(r, "requests_ci95_hi"), 0.0, "{what}");
            }
        }
    }
    // Binomial(112, 0.95): 106.4 expected, 2.3 the standard deviation.
    assert_eq!(open, 112);
    assert!(
        covered >= 99,
        "{covered} of {open} intervals cover the closed form"
    );
}
