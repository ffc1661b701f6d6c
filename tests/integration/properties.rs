//! Properties that hold for any scenario: every request ends exactly once.

use proptest::prelude::*;

use crate::common::scenario;

/// The knobs a random scenario is built from.
#[derive(Clone, Copy, Debug)]
struct Knobs {
    agents: u32,
    cap: u32,
    per_hour: f64,
    miss: f64,
    decline: f64,
    retries: u32,
    patience: bool,
    mode: usize,
    silent: f64,
}

fn random_scenario(k: &Knobs) -> String {
    let Knobs {
        agents,
        cap,
        per_hour,
        miss,
        decline,
        retries,
        patience,
        mode,
        silent,
    } = *k;
    let routing = [
        r#"{ mode = "round_robin" }"#,
        r#"{ mode = "team", team = "t" }"#,
        r#"{ mode = "agent", agent = "ana" }"#,
        r#"{ mode = "rules" }"#,
    ][mode];
    let rules = if mode == 3 {
        "[[streams.rules]]\nwhen = { country = [\"DE\"] }\nteam = \"t\"\n"
    } else {
        ""
    };
    let patience = if patience {
        r#"patience = { dist = "exponential", mean = "40s" }"#
    } else {
        ""
    };
    format!(
        r#"
        [simulation]
        horizon = "12h"
        warmup = "1h"
        replications = 2
        [package]
        tier = "prime"
        team_retries = {retries}
        retry_scope = "any"
        [arrivals]
        per_hour = {per_hour}
        surges = [{{ start = "3h", length = "1h", factor = 3.0 }}]
        [visitors]
        attributes = {{ country = {{ US = 0.5, DE = 0.5 }} }}
        silent_end = {silent}
        meeting_booking = 0.3
        {patience}
        [[streams]]
        name = "s"
        share = 0.8
        live_chat = 0.9
        routing = {routing}
        {rules}
        [[agents]]
        name = "a"
        count = {agents}
        team = "t"
        cap = {cap}
        schedule = ["daily 02:00-09:00"]
        miss = {miss}
        decline = {decline}
        response = {{ dist = "lognormal", median = "40s", sigma = 1.0 }}
        chat_length = {{ dist = "gamma", mean = "6m", cv = 0.8 }}
        [[agents]]
        name = "ana"
        team = "t"
        cap = {cap}
        [[accounts]]
        owner = "ana"
        share = 0.1
        "#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_request_ends_exactly_once(
        agents in 1u32..6, cap in 1u32..4, per_hour in 1.0f64..200.0,
        miss in 0.0f64..0.5, decline in 0.0f64..0.5, retries in 0u32..3,
        patience: bool, mode in 0usize..4, silent in 0.0f64..1.0,
    ) {
        let knobs = Knobs { agents, cap, per_hour, miss, decline, retries, patience, mode, silent };
        let sc = scenario(&random_scenario(&knobs));
        for rep in 0..2 {
            let t = chatsim::model::run_replication(&sc, rep).unwrap();
            let o = &t.total;
            prop_assert_eq!(o.requests, o.engaged + o.fallbacks() + o.abandoned + t.in_flight_at_end);
            let streams: u64 = t.streams.iter().map(|s| s.requests).sum();
            prop_assert_eq!(streams, o.requests);
            let offers: u64 = t.agents.iter().map(|a| a.offers).sum();
            let ended: u64 = t.agents.iter().map(|a| a.accepted + a.missed + a.declined + a.too_slow).sum();
            prop_assert!(ended <= offers);
            // Every request is offered once unless routing turned it away, plus each retry.
            let turned_away = o.fallback[0] + o.fallback[1] + o.fallback[2] + o.fallback[4];
            prop_assert_eq!(offers, o.requests - turned_away + o.retry_attempts);
        }
    }
}
