//! The product's releases (`[package] release`) against closed forms: the revamp's two
//! attempts, account routing's single one, and the round-robin fallback's wider pool.

use crate::common::{assert_matches, run, scenario};

/// Ten agents of ample capacity (cap 10, one chat every two minutes of five minutes each),
/// each offer failing with probability `miss` and accepted at once otherwise.
fn failing_offers(release: &str, routing: &str, accounts: &str, miss: f64) -> String {
    format!(
        r#"
        [simulation]
        horizon = "20d"
        replications = 10
        [package]
        release = "{release}"
        cap = 10
        [arrivals]
        per_hour = 30
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = {routing}
        [[agents]]
        name = "a"
        count = 10
        team = "sales"
        miss = {miss}
        response = {{ dist = "constant", value = 0 }}
        chat_length = {{ dist = "exponential", mean = "5m" }}
        {accounts}
        "#
    )
}

/// Under the revamp every routing option makes up to two attempts from the same pool: with
/// offers failing independently with probability q and capacity to spare, P(timeout) = q².
#[test]
fn release_2025_06_round_robin_times_out_with_probability_q_squared() {
    let q = 0.3;
    let rr = r#"{ mode = "round_robin" }"#;
    let s = run(&scenario(&failing_offers("2025-06", rr, "", q)));
    assert_matches(&s, "fallback_rate.timeout", q * q, 0.1);
    // A second offer for every first one that failed.
    let requests = s.named("requests").unwrap().mean;
    let retries = s.named("retry.attempts").unwrap().mean;
    assert!(
        (retries / requests - q).abs() < 0.01,
        "{retries} / {requests}"
    );
    // The overview page's round robin never retries: P(timeout) = q.
    let s = run(&scenario(&failing_offers("overview", rr, "", q)));
    assert_matches(&s, "fallback_rate.timeout", q, 0.05);
}

/// Account routing under the revamp tries the mapped agent only: P(timeout) = q, no retry.
#[test]
fn release_2025_06_account_routing_never_offers_a_second_agent() {
    let q = 0.3;
    let account = "[[accounts]]\nowner = \"a-3\"\nshare = 1.0";
    let rr = r#"{ mode = "round_robin" }"#;
    let s = run(&scenario(&failing_offers("2025-06", rr, account, q)));
    assert_matches(&s, "fallback_rate.timeout", q, 0.05);
    assert_eq!(s.named("retry.attempts").unwrap().mean, 0.0);
}

/// A rules card sends everyone to the team of agent A (on weekdays 09:00-17:00 UTC), while
/// agent B (13:00-21:00, no team) is online too. The overview page gives `unavailable` whenever
/// A is offline: 128 of the week's 168 hours. From 2025-04 the request falls back to round robin
/// over every agent, so `unavailable` only when both are offline: 168 - 60 = 108 hours.
#[test]
fn release_2025_04_falls_back_to_anyone_online_as_the_pooled_schedule_predicts() {
    let text = |release: &str| {
        format!(
            r#"
            [simulation]
            horizon = "28d"
            replications = 10
            [package]
            release = "{release}"
            [arrivals]
            per_hour = 20
            [visitors.attributes]
            country = {{ US = 1.0 }}
            [[streams]]
            name = "all"
            share = 1.0
            live_chat = 1.0
            routing = {{ mode = "rules" }}
            [[streams.rules]]
            when = {{ country = "US" }}
            team = "t"
            [[agents]]
            name = "a"
            team = "t"
            schedule = ["mon-fri 09:00-17:00"]
            response = {{ dist = "constant", value = 0 }}
            chat_length = {{ dist = "exponential", mean = "2m" }}
            [[agents]]
            name = "b"
            schedule = ["mon-fri 13:00-21:00"]
            response = {{ dist = "constant", value = 0 }}
            chat_length = {{ dist = "exponential", mean = "2m" }}
            "#
        )
    };
    let s = run(&scenario(&text("overview")));
    assert_matches(&s, "fallback_rate.unavailable", 128.0 / 168.0, 0.02);
    let s = run(&scenario(&text("2025-04")));
    assert_matches(&s, "fallback_rate.unavailable", 108.0 / 168.0, 0.02);
    // Every request of the 20 hours B alone is online is served (by B), under the rule's team.
    assert_matches(&s, "teams.t.engaged_rate", 60.0 / 168.0, 0.03);
}

/// One calendar month (January 2024) with more demand than the monthly limit of M engaged
/// conversations, instant accepts. As the product counts, on Prime each conversation counts
/// once: exactly M requests, then the dialogues stop. On Select a conversation that becomes a
/// live chat counts twice: requests + engaged reach M (M + 1 when the last accept overshoots).
#[test]
fn monthly_limit_counts_as_the_product_does() {
    let text = |tier: &str, counting: &str| {
        format!(
            r#"
            [simulation]
            horizon = "31d"
            replications = 4
            [package]
            tier = "{tier}"
            trial_engagements = "none"
            monthly_engagements = 300
            {counting}
            [arrivals]
            per_hour = 4
            [[streams]]
            name = "all"
            share = 1.0
            live_chat = 1.0
            routing = {{ mode = "round_robin" }}
            [[agents]]
            name = "a"
            count = 2
            miss = 0.4
            response = {{ dist = "constant", value = 0 }}
            chat_length = {{ dist = "exponential", mean = "5m" }}
            "#
        )
    };
    let per_rep = |s: &chatsim::report::RunSummary, name: &str| {
        s.per_replication
            .iter()
            .map(|m| m.iter().find(|(f, _)| f.name() == name).unwrap().1.unwrap())
            .collect::<Vec<f64>>()
    };
    let prime = run(&scenario(&text("prime", "")));
    assert!(per_rep(&prime, "requests").iter().all(|&r| r == 300.0));
    assert!(per_rep(&prime, "suppressed").iter().all(|&r| r > 0.0));
    let select = run(&scenario(&text("select", "")));
    let (requests, engaged) = (per_rep(&select, "requests"), per_rep(&select, "engaged"));
    for (r, e) in requests.iter().zip(&engaged) {
        assert!(r + e == 300.0 || r + e == 301.0, "{r} + {e}");
    }
    // Counting live chats only, as chatsim did before: the month's engagements reach M.
    let chats = run(&scenario(&text(
        "select",
        r#"monthly_counting = "live_chats""#,
    )));
    assert!(per_rep(&chats, "engaged").iter().all(|&e| e == 300.0));
}
