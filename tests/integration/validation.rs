//! The model against closed forms and exact counts.

use crate::common::{assert_matches, erlang_b, run, scenario};

#[test]
fn erlang_b_recursion_matches_the_textbook_value() {
    assert!((erlang_b(20, 15.0) - 0.04559).abs() < 5e-5);
}

/// With instant accepts and no queue, two agents of cap 10 are a loss system of 20 servers:
/// requests that find every slot busy get `at_cap` with probability B(20, 15).
#[test]
fn cap_loss_matches_erlang_b() {
    let sc = scenario(
        r#"
        [simulation]
        horizon = "20d"
        warmup = "1d"
        replications = 12
        [arrivals]
        per_hour = 90          # 1.5 a minute x 10-minute chats = 15 Erlang
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = { mode = "round_robin" }
        [[agents]]
        name = "a"
        count = 2
        cap = 10
        response = { dist = "constant", value = 0 }
        chat_length = { dist = "exponential", mean = "10m" }
        "#,
    );
    let s = run(&sc);
    assert_matches(&s, "fallback_rate.at_cap", erlang_b(20, 15.0), 0.1);
    assert_matches(
        &s,
        "occupancy",
        15.0 * (1.0 - erlang_b(20, 15.0)) / 20.0,
        0.02,
    );
}

fn timeout_scenario(routing: &str, retries: u32) -> String {
    format!(
        r#"
        [simulation]
        horizon = "30d"
        replications = 10
        [package]
        tier = "prime"
        team_retries = {retries}
        [arrivals]
        per_hour = 60
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = {routing}
        [[agents]]
        name = "a"
        count = 10
        team = "sales"
        cap = 10
        response = {{ dist = "exponential", mean = "50s" }}
        chat_length = {{ dist = "exponential", mean = "5m" }}
        "#
    )
}

/// An exponential response of mean r misses a window T with probability exp(-T/r).
#[test]
fn accept_timeouts_match_the_exponential_tail() {
    let s = run(&scenario(&timeout_scenario(
        r#"{ mode = "round_robin" }"#,
        0,
    )));
    assert_matches(&s, "fallback_rate.timeout", (-2.0f64).exp(), 0.05);
    assert_matches(&s, "fallback_rate", (-2.0f64).exp(), 0.05);
}

/// With one team retry and caps that do not bind, both attempts must miss: exp(-T/r) squared;
/// the rescued share is what the retry saved.
#[test]
fn one_team_retry_squares_the_timeout_probability() {
    let s = run(&scenario(&timeout_scenario(
        r#"{ mode = "team", team = "sales" }"#,
        1,
    )));
    let p = (-2.0f64).exp();
    assert_matches(&s, "fallback_rate.timeout", p * p, 0.1);
    let requests = s.named("requests").unwrap().mean;
    let rescued = s.named("retry.rescued").unwrap().mean / requests;
    assert!(
        (rescued - p * (1.0 - p)).abs() < 0.005,
        "rescued share {rescued}"
    );
}

/// Select's trial connects exactly its 100 engagements, then every request gets `trial_limit`.
#[test]
fn the_trial_limit_allows_exactly_its_engagements() {
    let s = run(&scenario(
        r#"
        [simulation]
        horizon = "2d"
        replications = 5
        [package]
        tier = "select"
        [arrivals]
        per_hour = 30
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 0.5
        routing = { mode = "round_robin" }
        [[agents]]
        name = "a"
        count = 3
        response = { dist = "exponential", mean = "20s" }
        "#,
    ));
    let engaged = s.named("engaged").unwrap();
    assert_eq!((engaged.min, engaged.max), (100.0, 100.0));
    assert_eq!(s.named("trial.exhausted").unwrap().mean, 1.0);
    assert!(s.named("fallback.trial_limit").unwrap().min > 100.0);
    let exhausted_at = s.named("trial.exhausted_at_s").unwrap();
    assert!(exhausted_at.max < 2.0 * 86_400.0);
}

/// Round robin over agents who are always eligible hands out offers in turn: counts differ by
/// at most one.
#[test]
fn round_robin_spreads_offers_evenly() {
    let sc = scenario(
        r#"
        [simulation]
        horizon = "1d"
        replications = 2
        [arrivals]
        per_hour = 50
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = { mode = "round_robin" }
        [[agents]]
        name = "a"
        count = 7
        response = { dist = "constant", value = "5s" }
        chat_length = { dist = "constant", value = "1m" }
        "#,
    );
    let t = chatsim::model::run_replication(&sc, 0).unwrap();
    let offers: Vec<u64> = t.agents.iter().map(|a| a.offers).collect();
    let (lo, hi) = (offers.iter().min().unwrap(), offers.iter().max().unwrap());
    assert!(hi - lo <= 1, "offers {offers:?}");
    assert_eq!(offers.iter().sum::<u64>(), t.total.requests);
}

/// An account's owner online half of every day gets 30% of the requests only while online; the
/// rest of the time those requests fall back without reaching anyone, so they count under no
/// team: the owner's team has 0.3 x 0.5 = 15% of the requests, not 30%, and none of the
/// `unavailable` fallbacks.
#[test]
fn an_account_request_counts_under_a_team_only_when_it_reached_the_team() {
    let sc = scenario(
        r#"
[simulation]
replications = 6
[package]
tier = "prime"
[arrivals]
per_hour = 100
[[streams]]
name = "all"
share = 1
live_chat = 1
routing = { mode = "team", team = "support" }
[[agents]]
name = "owner"
team = "sales"
schedule = ["mon-sun 00:00-12:00"]
response = { dist = "constant", value = 1 }
chat_length = { dist = "constant", value = 1 }
[[agents]]
name = "support"
count = 20
team = "support"
[[accounts]]
owner = "owner"
share = 0.3
"#,
    );
    let s = run(&sc);
    let (sales, all) = (
        s.named("teams.sales.requests").unwrap(),
        s.named("requests").unwrap(),
    );
    // The ratio of the means lies between the ratios of the intervals' ends.
    let (lo, hi) = (sales.ci95[0] / all.ci95[1], sales.ci95[1] / all.ci95[0]);
    assert!(
        lo <= 0.15 && 0.15 <= hi,
        "sales' share of requests in [{lo}, {hi}]"
    );
    assert_eq!(
        s.named("teams.sales.fallback.unavailable").unwrap().max,
        0.0
    );
    let support = s.named("teams.support.requests").unwrap().mean;
    assert!(
        (sales.mean + support) / all.mean < 0.9,
        "the owner's missed requests are under no team"
    );
}
