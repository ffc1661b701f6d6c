//! Busy agents who slow down (`slowdown`) against the exact value of a birth-death chain, and
//! factors of 1 against no slowdown.

use crate::common::{assert_matches, run, scenario};

fn one_agent(slowdown: &str) -> String {
    format!(
        r#"
        [simulation]
        horizon = "200d"
        warmup = "1d"
        replications = 10
        [package]
        cap = 3
        team_retries = 0
        [arrivals]
        per_hour = 6
        [[streams]]
        name = "all"
        share = 1.0
        live_chat = 1.0
        routing = {{ mode = "round_robin" }}
        [[agents]]
        name = "solo"
        response = {{ dist = "constant", value = 0 }}
        chat_length = {{ dist = "exponential", mean = "10m" }}
        {slowdown}
        "#
    )
}

/// With instant accepts, exponential lengths and cap 3, one agent with n live chats is a
/// birth-death chain: arrivals at rate λ below the cap, each chat ending at rate μ / f(n - 1).
/// The mean chat length is E[N] / (λ (1 - π₃)) by Little's law.
#[test]
fn slowdown_one_agents_mean_chat_length_matches_the_birth_death_chain() {
    let (lambda, mu) = (6.0 / 3600.0, 1.0 / 600.0);
    let pace = [1.0, 1.5, 2.5];
    let mut weights = vec![1.0];
    for n in 1..=3usize {
        let death = n as f64 * mu / pace[n - 1];
        weights.push(weights[n - 1] * lambda / death);
    }
    let total: f64 = weights.iter().sum();
    let pi: Vec<f64> = weights.iter().map(|w| w / total).collect();
    let mean_n: f64 = pi.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
    let exact = mean_n / (lambda * (1.0 - pi[3]));
    let s = run(&scenario(&one_agent(
        "slowdown = { pace = [1.0, 1.5, 2.5] }",
    )));
    assert_matches(&s, "chat_length.mean_s", exact, 0.02);
    assert_matches(&s, "fallback_rate.at_cap", pi[3], 0.05);
    // Far from the unslowed 600 s: the check has teeth.
    assert!(exact > 700.0, "{exact}");
}

/// Factors of 1 are no slowdown: the same outcomes, and chat lengths equal but for rounding
/// to the millisecond.
#[test]
fn slowdown_factors_of_one_equal_no_slowdown() {
    let off = run(&scenario(&one_agent("")));
    let ones = run(&scenario(&one_agent(
        "slowdown = { response = [1.0], pace = [1.0, 1.0] }",
    )));
    for name in [
        "requests",
        "engaged",
        "fallback",
        "fallback.at_cap",
        "offers",
    ] {
        assert_eq!(
            off.named(name).map(|x| x.mean),
            ones.named(name).map(|x| x.mean),
            "{name}"
        );
    }
    let length = |s: &chatsim::report::RunSummary| s.named("chat_length.mean_s").unwrap().mean;
    assert!((length(&off) - length(&ones)).abs() < 1e-2);
}

/// Slower responses with more chats: with the factors of the scenario, the cap that minimises
/// fallbacks is neither the smallest nor the largest.
#[test]
fn slowdown_scenario_has_a_cap_that_minimises_fallbacks() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/slowdown.toml");
    let text = std::fs::read_to_string(path).unwrap();
    let rate = |cap: u32| {
        let sc = chatsim::scenario::parse_str(
            &text,
            "slowdown",
            std::path::Path::new(path).parent().unwrap(),
            &[format!("package.cap={cap}").parse().unwrap()],
        )
        .unwrap();
        run(&sc).named("fallback_rate").unwrap().mean
    };
    let rates: Vec<f64> = (1..=6).map(rate).collect();
    let best = (0..rates.len())
        .min_by(|&a, &b| rates[a].total_cmp(&rates[b]))
        .unwrap();
    assert!(best > 0 && best < rates.len() - 1, "{rates:?}");
}
