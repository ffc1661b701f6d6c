//! Two what-ifs on who reaches an agent: dialogues that offer live chat only when an agent is
//! available (hidden demand), and teams that overflow to each other.

use crate::common::{assert_matches, erlang_b, run, scenario};
use chatsim::report::RunSummary;

const BRANCHING: &str = r#"
[simulation]
horizon = "14d"
replications = 8
[arrivals]
per_hour = 40
[[streams]]
name = "pricing"
share = 0.6
live_chat = 0.3
routing = { mode = "team", team = "sales" }
only_when_available = true
[[streams]]
name = "support"
share = 0.4
live_chat = 0.5
routing = { mode = "round_robin" }
[[agents]]
name = "sales"
count = 2
team = "sales"
schedule = ["mon-fri 09:00-17:00"]
[[agents]]
name = "help"
schedule = ["mon-sun 06:00-22:00"]
"#;

fn per_replication(s: &RunSummary, name: &str) -> Vec<f64> {
    s.per_replication
        .iter()
        .map(|m| {
            m.iter()
                .find(|(f, _)| f.name() == name)
                .and_then(|(_, v)| *v)
                .unwrap_or_else(|| panic!("no {name}"))
        })
        .collect()
}

/// The visitors a branching dialogue hides plus the requests it lets through are the requests
/// of the same dialogue without the branch, replication by replication (the same visitors).
#[test]
fn hidden_demand_plus_requests_is_the_demand_without_the_branch() {
    let branching = run(&scenario(BRANCHING));
    let plain = run(&scenario(
        &BRANCHING.replace("only_when_available = true\n", ""),
    ));
    let hidden = per_replication(&branching, "hidden_demand");
    let requests = per_replication(&branching, "requests");
    let all = per_replication(&plain, "requests");
    for k in 0..hidden.len() {
        assert_eq!(hidden[k] + requests[k], all[k], "replication {k}");
    }
    assert!(hidden.iter().all(|&h| h > 0.0));
    // Pricing's visitors arrive at a constant rate; sales is online 40 of the week's 168 hours.
    let pricing = branching.named("streams.pricing.requests").unwrap().mean;
    let pricing_all = plain.named("streams.pricing.requests").unwrap().mean;
    assert!((pricing / pricing_all - 40.0 / 168.0).abs() < 0.02);
    // No figure of the branch where no stream branches.
    assert!(plain.named("hidden_demand").is_none());
    assert_eq!(
        branching.metrics.len(),
        plain.metrics.len() + 1,
        "one figure more"
    );
}

/// Two teams of one agent each (cap 2, instant accepts, exponential chats), each overflowing to
/// the other: a request is lost only when both agents are full, so the two are one loss system
/// of four slots, Erlang B(4, a) for the total load a; without overflow, each is B(2, a/2).
#[test]
fn mutual_overflow_between_two_teams_pools_them_into_one_loss_system() {
    let text = |overflow: &str| {
        format!(
            r#"
            [simulation]
            horizon = "30d"
            warmup = "1d"
            replications = 10
            [package]
            {overflow}
            [arrivals]
            per_hour = 18   # 9 an hour per team x 10-minute chats = 1.5 Erlang each
            [[streams]]
            name = "north"
            share = 0.5
            live_chat = 1.0
            routing = {{ mode = "team", team = "n" }}
            [[streams]]
            name = "south"
            share = 0.5
            live_chat = 1.0
            routing = {{ mode = "team", team = "s" }}
            [[agents]]
            name = "nora"
            team = "n"
            cap = 2
            response = {{ dist = "constant", value = 0 }}
            chat_length = {{ dist = "exponential", mean = "10m" }}
            [[agents]]
            name = "sam"
            team = "s"
            cap = 2
            response = {{ dist = "constant", value = 0 }}
            chat_length = {{ dist = "exponential", mean = "10m" }}
            "#
        )
    };
    let pooled = run(&scenario(&text(r#"overflow = { n = "s", s = "n" }"#)));
    assert_matches(&pooled, "fallback_rate.at_cap", erlang_b(4, 3.0), 0.05);
    // Counted under both teams: north sends what south serves, by symmetry as much as it takes.
    let sent = pooled.named("teams.n.overflow.sent").unwrap().mean;
    let served = pooled.named("teams.s.overflow.served").unwrap().mean;
    assert!(sent > 0.0 && served > 0.0 && served <= sent);
    let apart = run(&scenario(&text("")));
    assert_matches(&apart, "fallback_rate.at_cap", erlang_b(2, 1.5), 0.05);
    assert!(apart.named("overflow.sent").is_none());
}

/// `scenarios/follow-the-sun.toml`: both what-ifs' figures, and each team serves the other's
/// overflow, which turns `unavailable` fallbacks into engagements.
#[test]
fn follow_the_sun_scenario_shows_both_what_ifs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/follow-the-sun.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let dir = std::path::Path::new(path).parent().unwrap();
    let load = |sets: &[&str]| {
        let sets: Vec<_> = sets.iter().map(|s| s.parse().unwrap()).collect();
        chatsim::scenario::parse_str(&text, "follow-the-sun", dir, &sets).unwrap()
    };
    let s = run(&load(&[]));
    for name in [
        "hidden_demand",
        "teams.americas.overflow.served",
        "teams.emea.overflow.served",
    ] {
        assert!(s.named(name).unwrap().mean > 0.0, "{name}");
    }
    let apart = run(&load(&["package.overflow={}"]));
    let engaged = |s: &RunSummary| s.named("engaged").unwrap().mean;
    assert!(engaged(&s) > engaged(&apart));
    assert!(apart.named("overflow.sent").is_none());
}
