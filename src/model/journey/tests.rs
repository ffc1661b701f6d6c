use super::*;
use crate::model::testing::scenario_with;
use crate::scenario::{Queue, Routing, Scenario, Team};

const ON: AgentState = AgentState {
    held: 0,
    cap: 2,
    online: true,
};
const OFF: AgentState = AgentState {
    online: false,
    ..ON
};
const FULL: AgentState = AgentState { held: 2, ..ON };

/// A router that has been told the agents' states, as the model tells it on every change.
fn router(sc: &Scenario, agents: &[AgentState]) -> Router {
    let mut r = Router::new(sc);
    for (i, &a) in agents.iter().enumerate() {
        r.agent_changed(i as AgentId, OFF, a);
    }
    r
}

fn pool(destination: Destination) -> PoolId {
    match destination {
        Destination::Pool { pool, .. } => pool,
        Destination::Owner(_) => panic!("not a pool"),
    }
}

#[test]
fn rule3_account_shares_decide_the_owner() {
    let mut sc = scenario_with(3, Routing::RoundRobin);
    sc.accounts = vec![
        Account {
            owner: 2,
            share: 0.25,
        },
        Account {
            owner: 0,
            share: 0.25,
        },
    ];
    let accounts = Accounts::new(&sc.accounts);
    let mut counts = [0u32; 4];
    for seed in 0..40_000 {
        let owner = accounts.owner(&mut VisitorRng::new(seed * 7_919));
        counts[owner.map_or(3, |a| a as usize)] += 1;
    }
    let share = |n: u32| n as f64 / 40_000.0;
    assert!((share(counts[2]) - 0.25).abs() < 0.01, "{counts:?}");
    assert!((share(counts[0]) - 0.25).abs() < 0.01, "{counts:?}");
    assert_eq!(counts[1], 0);
    assert!((share(counts[3]) - 0.5).abs() < 0.01, "{counts:?}");
}

#[test]
fn rule3_without_accounts_no_draw_is_taken() {
    let (mut rng, untouched) = (VisitorRng::new(3), VisitorRng::new(3));
    assert_eq!(Accounts::new(&[]).owner(&mut rng), None);
    assert_eq!(rng.random::<u64>(), untouched.clone().random::<u64>());
}

#[test]
fn rule3_account_routing_comes_before_the_cards_option() {
    let sc = scenario_with(3, Routing::Team(0));
    let r = router(&sc, &[ON; 3]);
    assert_eq!(r.destination(0, &[0], Some(2)), Ok(Destination::Owner(2)));
}

#[test]
fn rule3_an_unavailable_owner_gets_the_fallback_without_round_robin() {
    let sc = scenario_with(3, Routing::RoundRobin);
    let package = &sc.package;
    for (owner, reason) in [(OFF, Reason::Unavailable), (FULL, Reason::AtCap)] {
        let agents = [ON, owner, ON];
        let mut r = router(&sc, &agents);
        let picked = first_pick(&mut r, &agents, Destination::Owner(1));
        assert_eq!(picked, Err(reason));
        let mut queueing = package.clone();
        queueing.queue = Some(Queue {
            max_wait: Time::from_secs(60),
        });
        assert_eq!(
            start(picked, Destination::Owner(1), &queueing),
            Start::Fallback(reason)
        );
        // The round-robin cursor did not move: agent 0 is still next in turn.
        assert_eq!(r.pick(0, &agents, &[]), Ok(0));
    }
    let agents = [ON; 3];
    let mut r = router(&sc, &agents);
    assert_eq!(first_pick(&mut r, &agents, Destination::Owner(1)), Ok(1));
}

#[test]
fn rule3_account_routing_never_retries() {
    let mut package = scenario_with(2, Routing::RoundRobin).package;
    (package.retries, package.retry_scope) = (5, RetryScope::Any);
    assert_eq!(retry_pool(Some(Destination::Owner(0)), 1, &package), None);
}

#[test]
fn rule3_an_owner_counts_under_their_team_only_when_offered_the_request() {
    let sc = scenario_with(2, Routing::RoundRobin);
    let r = router(&sc, &[OFF; 2]);
    let team = |picked| reported_team(&r, &sc.agents, Destination::Owner(1), picked);
    assert_eq!(team(Err(Reason::Unavailable)), None);
    assert_eq!(team(Err(Reason::AtCap)), None);
    assert_eq!(team(Ok(1)), Some(0));
}

#[test]
fn rule4_a_named_agent_is_the_only_candidate() {
    let sc = scenario_with(3, Routing::Agent(1));
    for (state, expected) in [
        (ON, Ok(1)),
        (OFF, Err(Reason::Unavailable)),
        (FULL, Err(Reason::AtCap)),
    ] {
        let agents = [ON, state, ON];
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        assert_eq!(r.pool(pool(d)).members, vec![1]);
        assert_eq!(first_pick(&mut r, &agents, d), expected);
        assert_eq!(first_pick(&mut r, &agents, d), expected);
    }
}

/// Agents 1 and 3 form team 0 (the scenario's helper puts everyone in it otherwise).
fn two_of_four_in_a_team() -> Scenario {
    let mut sc = scenario_with(4, Routing::Team(0));
    sc.teams = vec![Team {
        name: "t".into(),
        members: vec![1, 3],
    }];
    for (i, a) in sc.agents.iter_mut().enumerate() {
        a.team = (i % 2 == 1).then_some(0);
    }
    sc
}

#[test]
fn rule4_team_routing_goes_round_robin_within_the_team() {
    let sc = two_of_four_in_a_team();
    let agents = [ON; 4];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    assert_eq!(
        d,
        Destination::Pool {
            pool: pool(d),
            team_routed: true
        }
    );
    let picks: Vec<_> = (0..3).map(|_| first_pick(&mut r, &agents, d)).collect();
    assert_eq!(picks, [Ok(1), Ok(3), Ok(1)]);
    assert_eq!(
        reported_team(&r, &sc.agents, d, Err(Reason::AtCap)),
        Some(0)
    );
}

#[test]
fn rule4_round_robin_is_reported_under_the_picked_agents_team() {
    let mut sc = scenario_with(2, Routing::RoundRobin);
    sc.agents[1].team = None;
    let agents = [OFF, ON];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    let picked = first_pick(&mut r, &agents, d);
    assert_eq!(picked, Ok(1));
    assert_eq!(reported_team(&r, &sc.agents, d, picked), None);
    assert_eq!(reported_team(&r, &sc.agents, d, Ok(0)), Some(0));
}

#[test]
fn rule6_team_routing_retries_the_next_eligible_untried_agent_in_turn() {
    let sc = scenario_with(3, Routing::Team(0));
    for (third, expected) in [(ON, 2), (FULL, 0)] {
        let agents = [ON, ON, third];
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        assert_eq!(r.pick(pool(d), &agents, &[]), Ok(0));
        assert_eq!(first_pick(&mut r, &agents, d), Ok(1));
        // The cursor stands at 2: the retry takes agent 2, or wraps past it when it is full.
        let next = next_to_try(&mut r, &agents, Some(d), &[1], &sc.package);
        assert_eq!(next, Some(expected));
    }
}

#[test]
fn rule6_retries_are_used_up_after_team_retries_further_agents() {
    let mut package = scenario_with(1, Routing::Team(0)).package;
    let team = Some(Destination::Pool {
        pool: 1,
        team_routed: true,
    });
    package.retries = 1;
    assert_eq!(retry_pool(team, 1, &package), Some(1));
    assert_eq!(retry_pool(team, 2, &package), None);
    package.retries = 0;
    assert_eq!(retry_pool(team, 1, &package), None);
    package.retries = 3;
    assert_eq!(retry_pool(team, 3, &package), Some(1));
    assert_eq!(retry_pool(team, 4, &package), None);
}

#[test]
fn rule6_other_options_retry_only_with_retry_scope_any() {
    let mut package = scenario_with(1, Routing::RoundRobin).package;
    let round_robin = Some(Destination::Pool {
        pool: 0,
        team_routed: false,
    });
    assert_eq!(retry_pool(round_robin, 1, &package), None);
    package.retry_scope = RetryScope::Any;
    assert_eq!(retry_pool(round_robin, 1, &package), Some(0));
    assert_eq!(retry_pool(None, 1, &package), None);
}

#[test]
fn rule6_with_nobody_else_eligible_the_request_ends_as_timeout() {
    let sc = scenario_with(2, Routing::Team(0));
    let d = Destination::Pool {
        pool: 1,
        team_routed: true,
    };
    for other in [OFF, FULL] {
        let agents = [ON, other];
        let mut r = router(&sc, &agents);
        // `None` is the `timeout` fallback; agent 0, eligible, was tried already.
        assert_eq!(
            next_to_try(&mut r, &agents, Some(d), &[0], &sc.package),
            None
        );
    }
}

#[test]
fn rule7_a_silent_end_holds_the_slot_for_the_inactivity_timeout() {
    let agent = &scenario_with(1, Routing::RoundRobin).agents[0];
    let inactivity = Time::from_secs(600);
    let talk = slot_hold(&mut VisitorRng::new(9), agent, 0.0, inactivity).0;
    let silent = slot_hold(&mut VisitorRng::new(9), agent, 1.0, inactivity).0;
    assert!(talk > Time::ZERO);
    assert_eq!(silent, talk + inactivity);
}

#[test]
fn rule8_a_visitor_who_leaves_withdraws_the_pending_offer() {
    assert_eq!(withdrawn_from(None, &[3, 1]), Some(1));
}

#[test]
fn rule8_a_visitor_who_leaves_a_queue_withdraws_nothing() {
    assert_eq!(withdrawn_from(Some(Time::ZERO), &[]), None);
    // Queued again after an offer (the queue what-if) still withdraws nothing.
    assert_eq!(withdrawn_from(Some(Time::ZERO), &[3]), None);
}

#[test]
fn queue_only_a_pool_request_that_finds_everyone_at_cap_waits() {
    let mut package = scenario_with(1, Routing::RoundRobin).package;
    let d = Destination::Pool {
        pool: 4,
        team_routed: false,
    };
    let at_cap = Err(Reason::AtCap);
    assert_eq!(start(at_cap, d, &package), Start::Fallback(Reason::AtCap));
    let max_wait = Time::from_secs(120);
    package.queue = Some(Queue { max_wait });
    assert_eq!(
        start(at_cap, d, &package),
        Start::Queue { pool: 4, max_wait }
    );
    for reason in [Reason::Unavailable, Reason::NoRule, Reason::TrialLimit] {
        assert_eq!(start(Err(reason), d, &package), Start::Fallback(reason));
    }
    assert_eq!(start(Ok(7), d, &package), Start::Offer(7));
}
