//! The what-if levers against closed forms: the waiting queue as Erlang C and Erlang A, and
//! shrinkage as a share of online time.

use crate::common::{assert_matches, erlang_b, run, scenario};

/// Erlang C: the probability that a request must wait, with `n` servers and `a` Erlang.
fn erlang_c(n: u32, a: f64) -> f64 {
    let b = erlang_b(n, a);
    n as f64 * b / (n as f64 - a * (1.0 - b))
}

/// Erlang A (Palm's M/M/n+M) by its birth-death chain, truncated where the tail is negligible:
/// (probability of waiting, probability of abandoning). Rates per second.
fn erlang_a(n: u32, lambda: f64, mu: f64, theta: f64) -> (f64, f64) {
    let mut p = vec![1.0];
    for k in 1..2000u32 {
        let death = k.min(n) as f64 * mu + k.saturating_sub(n) as f64 * theta;
        p.push(p[k as usize - 1] * lambda / death);
    }
    let total: f64 = p.iter().sum();
    let wait: f64 = p[n as usize..].iter().sum::<f64>() / total;
    let queue: f64 = p
        .iter()
        .enumerate()
        .map(|(k, pk)| (k as f64 - n as f64).max(0.0) * pk)
        .sum::<f64>()
        / total;
    (wait, theta * queue / lambda)
}

#[test]
fn the_closed_forms_match_their_textbook_values() {
    assert!((erlang_c(14, 10.0) - 0.17413).abs() < 5e-5);
    // 10 Erlang on 14 agents, 3-minute chats, 5-minute mean patience: the issue's figure.
    let (_, abandon) = erlang_a(14, 10.0 / 180.0, 1.0 / 180.0, 1.0 / 300.0);
    assert!((abandon - 0.01398).abs() < 5e-5, "{abandon}");
}

/// 14 agents of cap 1 who accept at once, 10 Erlang of 3-minute chats, and a queue whose
/// longest wait is `max_wait` (a year: no practical limit).
fn queue_scenario(patience: &str, replications: u32, max_wait: &str) -> String {
    format!(
        r#"
        [simulation]
        horizon = "30d"
        warmup = "1d"
        replications = {replications}
        [package]
        cap = 1
        queue = {{ max_wait = "{max_wait}" }}
        [arrivals]
        per_hour = 200
        [visitors]
        {patience}
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = {{ mode = "round_robin" }}
        [[agents]]
        name = "a"
        count = 14
        response = {{ dist = "constant", value = 0 }}
        chat_length = {{ dist = "exponential", mean = "3m" }}
        "#
    )
}

#[test]
fn queue_without_patience_is_erlang_c() {
    // Waits come in long correlated busy periods: 20 replications for an interval on the mean
    // wait that can judge it.
    let s = run(&scenario(&queue_scenario("", 20, "365d")));
    assert_matches(&s, "queue.waited_share", erlang_c(14, 10.0), 0.05);
    // Given a wait, it is exponential with rate n mu - lambda: 1 / (14/180 - 10/180) s = 45 s.
    assert_matches(&s, "queue.wait.mean_s", 45.0, 0.05);
    assert_eq!(s.named("fallback_rate").unwrap().max, 0.0);
}

#[test]
fn queue_with_exponential_patience_is_erlang_a() {
    // Abandonment is rare (1.4%): more replications for an interval that can judge it.
    let patience = r#"patience = { dist = "exponential", mean = "5m" }"#;
    let s = run(&scenario(&queue_scenario(patience, 24, "365d")));
    let (wait, abandon) = erlang_a(14, 10.0 / 180.0, 1.0 / 180.0, 1.0 / 300.0);
    assert_matches(&s, "abandoned_rate", abandon, 0.06);
    assert_matches(&s, "queue.waited_share", wait, 0.05);
}

/// A short longest wait turns part of the queue into `at_cap` fallbacks, and every request still
/// ends exactly once.
#[test]
fn queue_timeouts_are_at_cap_fallbacks() {
    let s = run(&scenario(&queue_scenario("", 10, "20s")));
    let m = |name: &str| s.named(name).unwrap().mean;
    assert!(m("queue.timeouts") > 0.0);
    assert_eq!(m("queue.timeouts"), m("fallback.at_cap"));
    for rep in &s.per_replication {
        let v = |name: &str| {
            rep.iter()
                .find(|(n, _)| n.name() == name)
                .unwrap()
                .1
                .unwrap()
        };
        assert_eq!(
            v("requests"),
            v("engaged") + v("fallback") + v("abandoned") + v("in_flight_at_end")
        );
    }
    // The wait of a request that timed out is the longest wait, so the mean is below it.
    assert!(m("queue.wait.mean_s") < 20.0);
}

#[test]
fn shrinkage_takes_its_share_of_online_time() {
    let text = |shrinkage: f64| {
        format!(
            r#"
            [simulation]
            horizon = "20d"
            replications = 10
            [package]
            shrinkage = 0.5
            break_length = "20m"
            [arrivals]
            per_hour = 10
            [[streams]]
            name = "all"
            share = 1.0
            live_chat = 1.0
            routing = {{ mode = "round_robin" }}
            [[agents]]
            name = "day"
            count = 8
            shrinkage = {shrinkage}
            schedule = ["daily 08:00-20:00"]
            [[agents]]
            name = "always"
            count = 4
            "#
        )
    };
    // 8 agents online half the day lose 15% of it; 4 always-online agents lose half.
    let s = run(&scenario(&text(0.15)));
    assert_matches(&s, "online_agents.mean", 8.0 * 0.5 * 0.85 + 4.0 * 0.5, 0.02);
    let s = run(&scenario(&text(0.0)));
    assert_matches(&s, "online_agents.mean", 8.0 * 0.5 + 4.0 * 0.5, 0.02);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 16, ..Default::default() })]

    /// With queues, breaks, retries and patience all at once, every request still ends exactly
    /// once, and a queue timeout is always an `at_cap` fallback.
    #[test]
    fn queues_and_breaks_keep_every_request_ending_once(
        agents in 1u32..5, cap in 1u32..3, per_hour in 10.0f64..300.0,
        max_wait_s in 1u32..600, shrinkage in 0.0f64..0.6, decline in 0.0f64..0.5,
        patience: bool, team: bool,
    ) {
        let routing = if team { r#"{ mode = "team", team = "t" }"# } else { r#"{ mode = "round_robin" }"# };
        let patience = if patience { r#"patience = { dist = "exponential", mean = "90s" }"# } else { "" };
        let sc = scenario(&format!(
            r#"
            [simulation]
            horizon = "12h"
            warmup = "1h"
            replications = 2
            [package]
            team_retries = 1
            queue = {{ max_wait = {max_wait_s} }}
            shrinkage = {shrinkage}
            break_length = "5m"
            [arrivals]
            per_hour = {per_hour}
            [visitors]
            {patience}
            [[streams]]
            name = "s"
            share = 1.0
            live_chat = 0.9
            routing = {routing}
            [[agents]]
            name = "a"
            count = {agents}
            team = "t"
            cap = {cap}
            decline = {decline}
            schedule = ["daily 02:00-09:00"]
            chat_length = {{ dist = "exponential", mean = "6m" }}
            [[agents]]
            name = "ana"
            team = "t"
            cap = {cap}
            [[accounts]]
            owner = "ana"
            share = 0.1
            "#
        ));
        for rep in 0..2 {
            let t = chatsim::model::run_replication(&sc, rep).unwrap();
            let o = &t.total;
            proptest::prop_assert_eq!(
                o.requests,
                o.engaged + o.fallbacks() + o.abandoned + t.in_flight_at_end
            );
            proptest::prop_assert!(t.queue_timeouts <= o.fallback[chatsim::figure::Reason::AtCap.index()]);
            proptest::prop_assert!(t.queue_left <= t.queued && t.queued <= o.requests);
        }
    }
}
