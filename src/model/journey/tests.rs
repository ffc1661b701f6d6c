use super::*;
use crate::model::testing::scenario_with;
use crate::scenario::{AccountFallback, Queue, Routing, Rule, Scenario, Target, Team};

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
        let picked = first_pick(&mut r, &agents, Destination::Owner(1), &sc.package);
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
    assert_eq!(
        first_pick(&mut r, &agents, Destination::Owner(1), &sc.package),
        Ok(1)
    );
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
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), expected);
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), expected);
    }
}

/// Agents 1 and 3 form team 0 (the scenario's helper puts everyone in it otherwise).
fn two_of_four_in_a_team() -> Scenario {
    let mut sc = scenario_with(4, Routing::Team(0));
    sc.teams = vec![Team {
        name: "t".into(),
        members: vec![1, 3],
        overflow: None,
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
            team_routed: true,
        }
    );
    let picks: Vec<_> = (0..3)
        .map(|_| first_pick(&mut r, &agents, d, &sc.package))
        .collect();
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
    let picked = first_pick(&mut r, &agents, d, &sc.package);
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
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), Ok(1));
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

/// Four agents; agents 1 and 3 form team 0; custom rules send everyone to team 0; the
/// round-robin fallback on, as from release 2025-04.
fn rules_with_fallback() -> Scenario {
    let mut sc = two_of_four_in_a_team();
    sc.streams[0].routing = Routing::Rules(vec![Rule {
        priority: 0,
        conditions: vec![],
        target: Target::Team(0),
        overflow: None,
    }]);
    sc.package.round_robin_fallback = true;
    sc
}

#[test]
fn release_2025_04_a_team_nobody_of_which_is_eligible_falls_back_to_round_robin() {
    let sc = rules_with_fallback();
    for team_state in [OFF, FULL] {
        let agents = [OFF, team_state, ON, team_state];
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), Ok(2));
        // Still counted under the rule's team: the request was routed to it.
        assert_eq!(reported_team(&r, &sc.agents, d, Ok(2)), Some(0));
    }
    // The team's own agent first, when one is eligible.
    let agents = [ON, ON, ON, OFF];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    assert_eq!(first_pick(&mut r, &agents, d, &sc.package), Ok(1));
}

#[test]
fn release_2025_04_the_fallback_says_unavailable_only_when_nobody_at_all_is_online() {
    let sc = rules_with_fallback();
    for (agents, expected) in [
        ([OFF; 4], Reason::Unavailable),
        ([FULL, OFF, OFF, OFF], Reason::AtCap),
        ([OFF, FULL, OFF, OFF], Reason::AtCap),
    ] {
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), Err(expected));
    }
}

#[test]
fn release_overview_has_no_round_robin_fallback() {
    let mut sc = rules_with_fallback();
    sc.package.round_robin_fallback = false;
    let agents = [ON, OFF, ON, OFF];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    assert_eq!(
        first_pick(&mut r, &agents, d, &sc.package),
        Err(Reason::Unavailable)
    );
}

#[test]
fn release_2025_04_round_robin_and_named_agents_do_not_fall_back() {
    for routing in [Routing::Agent(1), Routing::RoundRobin] {
        let mut sc = scenario_with(3, routing);
        sc.package.round_robin_fallback = true;
        let agents = [ON, OFF, OFF];
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        let expected = match sc.streams[0].routing {
            Routing::Agent(_) => Err(Reason::Unavailable),
            _ => Ok(0),
        };
        assert_eq!(first_pick(&mut r, &agents, d, &sc.package), expected);
    }
}

#[test]
fn release_2025_06_the_retry_stays_in_the_primary_pool_after_a_fallback() {
    // The fallback found agent 2 outside the team; the second attempt may only come from the
    // team, where nobody is eligible: the request ends as a timeout, never a second fallback.
    let mut sc = rules_with_fallback();
    sc.package.retry_scope = RetryScope::Any;
    let agents = [OFF, OFF, ON, OFF];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    assert_eq!(first_pick(&mut r, &agents, d, &sc.package), Ok(2));
    assert_eq!(
        next_to_try(&mut r, &agents, Some(d), &[2], &sc.package),
        None
    );
    // With a team agent back, the second attempt goes to the team.
    let agents = [OFF, ON, ON, OFF];
    let mut r = router(&sc, &agents);
    assert_eq!(
        next_to_try(&mut r, &agents, Some(d), &[2], &sc.package),
        Some(1)
    );
}

#[test]
fn release_2025_06_account_routing_tries_the_mapped_agent_only_unless_the_table_is_read() {
    let mut sc = scenario_with(3, Routing::RoundRobin);
    sc.package.round_robin_fallback = true;
    let agents = [ON, OFF, ON];
    let mut r = router(&sc, &agents);
    let owner = Destination::Owner(1);
    assert_eq!(
        first_pick(&mut r, &agents, owner, &sc.package),
        Err(Reason::Unavailable)
    );
    sc.package.account_fallback = AccountFallback::RoundRobin;
    assert_eq!(first_pick(&mut r, &agents, owner, &sc.package), Ok(0));
    // Either way no second agent: account routing never retries.
    sc.package.retry_scope = RetryScope::Any;
    assert_eq!(retry_pool(Some(owner), 1, &sc.package), None);
}

#[test]
fn release_2025_06_the_calendar_replaces_the_fallback_only_after_an_agent_was_tried() {
    let mut package = scenario_with(1, Routing::RoundRobin).package;
    let pool = Some(Destination::Pool {
        pool: 0,
        team_routed: false,
    });
    let owner = Some(Destination::Owner(0));
    assert!(!calendar_shown(&package, pool, &[0, 1], Reason::Timeout));
    package.calendar = true;
    assert!(calendar_shown(&package, pool, &[0, 1], Reason::Timeout));
    assert!(calendar_shown(&package, owner, &[], Reason::Unavailable));
    assert!(calendar_shown(&package, owner, &[], Reason::AtCap));
    // Nobody found at all, no rule, or the trial: the fallback message.
    assert!(!calendar_shown(&package, pool, &[], Reason::Unavailable));
    assert!(!calendar_shown(&package, pool, &[], Reason::AtCap));
    assert!(!calendar_shown(&package, None, &[], Reason::NoRule));
    assert!(!calendar_shown(&package, pool, &[0], Reason::TrialLimit));
}

/// Two teams of two: agents 0 and 1 in team 0, 2 and 3 in team 1; team 0 overflows to team 1.
fn overflowing_teams() -> Scenario {
    let mut sc = scenario_with(4, Routing::Team(0));
    sc.teams = vec![
        Team {
            name: "t".into(),
            members: vec![0, 1],
            overflow: Some(1),
        },
        Team {
            name: "u".into(),
            members: vec![2, 3],
            overflow: None,
        },
    ];
    for (i, a) in sc.agents.iter_mut().enumerate() {
        a.team = Some(i as u32 / 2);
    }
    sc
}

#[test]
fn overflow_goes_to_the_other_team_only_when_nobody_of_its_own_is_eligible() {
    let sc = overflowing_teams();
    let agents = [ON, OFF, ON, ON];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    let own = resolve(&mut r, &agents, d, &sc.package);
    assert_eq!((own.picked, own.overflowed_to), (Ok(0), None));
    for mine in [OFF, FULL] {
        let agents = [mine, mine, OFF, ON];
        let mut r = router(&sc, &agents);
        let got = resolve(&mut r, &agents, d, &sc.package);
        assert_eq!(got.picked, Ok(3));
        let taken_by = got.overflowed_to.expect("overflowed");
        assert_eq!(r.pool(taken_by).team, Some(1));
        // Counted under its own team; retried within the team that took it.
        assert_eq!(reported_team(&r, &sc.agents, d, got.picked), Some(0));
        assert_eq!(
            retry_pool(Some(overflowed(d, taken_by)), 1, &sc.package),
            Some(taken_by)
        );
    }
}

#[test]
fn overflow_with_nobody_anywhere_says_at_cap_when_anyone_of_either_team_is_online() {
    let sc = overflowing_teams();
    for (agents, expected) in [
        ([OFF; 4], Reason::Unavailable),
        ([FULL, OFF, OFF, OFF], Reason::AtCap),
        ([OFF, OFF, OFF, FULL], Reason::AtCap),
    ] {
        let mut r = router(&sc, &agents);
        let d = r.destination(0, &[0], None).unwrap();
        let got = resolve(&mut r, &agents, d, &sc.package);
        assert_eq!((got.picked, got.overflowed_to), (Err(expected), None));
    }
}

#[test]
fn a_dialogue_that_branches_on_availability_asks_the_visitors_own_route() {
    let online = |sc: &Scenario, agents: [AgentState; 4], owner| {
        let r = router(sc, &agents);
        let d = r.destination(0, &[0], owner).unwrap();
        r.anyone_online(d, &agents, false)
    };
    let sc = overflowing_teams();
    assert!(!online(&sc, [OFF; 4], None));
    // At cap is still online: the branch asks whether someone is available, not free.
    assert!(online(&sc, [FULL, OFF, OFF, OFF], None));
    // Team 1 takes team 0's overflow, so its agents count.
    assert!(online(&sc, [OFF, OFF, OFF, ON], None));
    let mut alone = sc.clone();
    alone.teams[0].overflow = None;
    assert!(!online(&alone, [OFF, OFF, OFF, ON], None));
    // An account's visitor asks about the owner.
    assert!(!online(&alone, [ON, OFF, ON, ON], Some(1)));
    assert!(online(&alone, [OFF, ON, OFF, OFF], Some(1)));
    // With the round-robin fallback, anyone online counts.
    let falling = rules_with_fallback();
    assert!(online(&falling, [ON, OFF, OFF, OFF], None));
}

#[test]
fn overflow_a_rule_may_name_its_own_over_its_teams() {
    let mut sc = overflowing_teams();
    sc.teams[0].overflow = None;
    sc.streams[0].routing = Routing::Rules(vec![Rule {
        priority: 0,
        conditions: vec![],
        target: Target::Team(0),
        overflow: Some(1),
    }]);
    let agents = [OFF, OFF, ON, OFF];
    let mut r = router(&sc, &agents);
    let d = r.destination(0, &[0], None).unwrap();
    let got = resolve(&mut r, &agents, d, &sc.package);
    assert_eq!(got.picked, Ok(2));
    // Still the rule's team's request.
    assert_eq!(reported_team(&r, &sc.agents, d, got.picked), Some(0));
}
