use super::*;
use crate::model::testing::scenario_with;
use crate::scenario::{Condition, Rule};

fn states(n: usize) -> Vec<AgentState> {
    vec![
        AgentState {
            held: 0,
            cap: 2,
            online: true
        };
        n
    ]
}

/// Tells the router every agent's state, as the model does when agents change.
fn tell(r: &mut Router, before: &[AgentState], after: &[AgentState]) {
    for (i, (b, a)) in before.iter().zip(after).enumerate() {
        r.agent_changed(i as AgentId, *b, *a);
    }
}

/// A router over agents that start offline and then take the states `st`.
fn router(sc: &Scenario, st: &[AgentState]) -> Router {
    let mut r = Router::new(sc);
    let offline: Vec<AgentState> = st
        .iter()
        .map(|s| AgentState {
            held: 0,
            cap: s.cap,
            online: false,
        })
        .collect();
    tell(&mut r, &offline, st);
    r
}

#[test]
fn round_robin_goes_in_order_and_wraps() {
    let sc = scenario_with(5, Routing::RoundRobin);
    let st = states(5);
    let mut r = router(&sc, &st);
    let picks: Vec<_> = (0..7).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
    assert_eq!(picks, vec![0, 1, 2, 3, 4, 0, 1]);
}

#[test]
fn round_robin_skips_ineligible_agents() {
    let sc = scenario_with(4, Routing::RoundRobin);
    let mut st = states(4);
    st[1].online = false;
    st[2].held = 2;
    let mut r = router(&sc, &st);
    let picks: Vec<_> = (0..3).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
    assert_eq!(picks, vec![0, 3, 0]);
    assert_eq!(r.pick(0, &st, &[0, 3]), Err(Reason::AtCap));
}

#[test]
fn says_why_nobody_was_picked() {
    let sc = scenario_with(2, Routing::RoundRobin);
    let mut st = states(2);
    st[0].online = false;
    st[1].held = 2;
    let mut r = router(&sc, &st);
    assert_eq!(r.pick(0, &st, &[]), Err(Reason::AtCap));
    let before = st.clone();
    st[1].online = false;
    tell(&mut r, &before, &st);
    assert_eq!(r.pick(0, &st, &[]), Err(Reason::Unavailable));
}

/// Against a plain scan of the members, over random states, cursors and exclusions, on a
/// pool wider than one bitset word. Every other phase keeps few agents online, so that the
/// next in turn is often far from the cursor or behind it.
#[test]
fn bitset_pick_agrees_with_a_linear_scan() {
    use rand::rngs::Xoshiro256PlusPlus;
    use rand::{RngExt, SeedableRng};
    let n = 150;
    let sc = scenario_with(n, Routing::RoundRobin);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let mut st = states(n as usize);
    let mut r = router(&sc, &st);
    let mut cursor = 0usize;
    for round in 0..10_000 {
        let online = if round / 1_000 % 2 == 0 { 0.7 } else { 0.02 };
        let before = st.clone();
        for _ in 0..3 {
            let a = rng.random_range(0..n as usize);
            st[a] = AgentState {
                held: rng.random_range(0..=2),
                cap: 2,
                online: rng.random_bool(online),
            };
        }
        tell(&mut r, &before, &st);
        let tried: Vec<AgentId> = (0..rng.random_range(0..3))
            .map(|_| rng.random_range(0..n))
            .collect();
        let expected = (0..n as usize)
            .map(|k| (cursor + k) % n as usize)
            .find(|&i| st[i].eligible() && !tried.contains(&(i as AgentId)));
        let got = r.pick(0, &st, &tried);
        match expected {
            Some(i) => {
                assert_eq!(got, Ok(i as AgentId));
                cursor = (i + 1) % n as usize;
            }
            None => {
                let untried_online = (0..n).any(|a| st[a as usize].online && !tried.contains(&a));
                let reason = if untried_online {
                    Reason::AtCap
                } else {
                    Reason::Unavailable
                };
                assert_eq!(got, Err(reason));
            }
        }
    }
}

#[test]
fn rules_take_the_first_match_in_priority_order() {
    let rules = vec![
        Rule {
            priority: 2,
            conditions: vec![Condition {
                attribute: 0,
                values: vec![1],
            }],
            target: Target::Agents(vec![1]),
            overflow: None,
        },
        Rule {
            priority: 1,
            conditions: vec![],
            target: Target::Agents(vec![0]),
            overflow: None,
        },
    ];
    let sc = scenario_with(2, Routing::Rules(rules));
    let r = Router::new(&sc);
    let first = r.destination(0, &[1], None).unwrap();
    let second = r.destination(0, &[0], None).unwrap();
    let pool_of = |d: Destination| match d {
        Destination::Pool { pool, .. } => r.pool(pool).members.clone(),
        Destination::Owner(_) => unreachable!(),
    };
    assert_eq!(pool_of(first), vec![1]);
    assert_eq!(pool_of(second), vec![0]);
    assert_eq!(r.destination(0, &[0], Some(1)), Ok(Destination::Owner(1)));
}

#[test]
fn a_visitor_matching_no_rule_gets_no_rule() {
    let rules = vec![Rule {
        priority: 0,
        conditions: vec![Condition {
            attribute: 0,
            values: vec![0],
        }],
        target: Target::Agents(vec![0]),
        overflow: None,
    }];
    let sc = scenario_with(1, Routing::Rules(rules));
    assert_eq!(
        Router::new(&sc).destination(0, &[1], None),
        Err(Reason::NoRule)
    );
}

#[test]
fn owner_verdict_distinguishes_offline_from_full() {
    let mut a = AgentState {
        held: 0,
        cap: 1,
        online: false,
    };
    assert_eq!(owner_verdict(&a), Err(Reason::Unavailable));
    a.online = true;
    assert_eq!(owner_verdict(&a), Ok(()));
    a.held = 1;
    assert_eq!(owner_verdict(&a), Err(Reason::AtCap));
}
