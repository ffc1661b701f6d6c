use super::*;
use crate::engine::run_until;
use crate::model::recorder::Arrival;
use crate::model::testing::scenario_with;
use crate::scenario::Routing;

fn run(sc: &Scenario, settle_accepts_early: bool) -> Tally {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::<false, true>::new(sc, 0, &mut sched);
    model.settle_accepts_early = settle_accepts_early;
    run_until(&mut model, &mut sched, sc.simulation.horizon);
    model
        .finish(sc.simulation.horizon, sched.processed())
        .unwrap()
}

/// Settling an accept when the offer is made takes the same draws as waiting for it, so
/// every outcome is the same (events at the same millisecond could come out in another
/// order, which this seed does not meet); only the event count drops.
#[test]
fn settling_accepts_early_changes_no_outcome() {
    let mut sc = scenario_with(3, Routing::Team(0));
    sc.arrivals.sources[0].per_hour = 300.0;
    sc.simulation.horizon = Time::from_secs(12 * 3600);
    let (late, early) = (run(&sc, false), run(&sc, true));
    let counts = |o: &crate::model::Outcomes| {
        (
            o.requests,
            o.engaged,
            o.fallback,
            o.retry_attempts,
            o.rescued,
        )
    };
    assert_eq!(counts(&early.total), counts(&late.total));
    assert!(early.total.engaged > 500, "{:?}", early.total);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    assert!(close(early.total.response_sum_s, late.total.response_sum_s));
    assert!(close(
        early.total.chat_length_sum_s,
        late.total.chat_length_sum_s
    ));
    assert_eq!(early.busy_slots.area(), late.busy_slots.area());
    assert_eq!(early.in_flight_at_end, late.in_flight_at_end);
    assert!(early.events < late.events);
}

/// A model whose agents are online (their first shift change ran at time 0), its scheduler
/// holding the first events; tests call the model's steps directly and run no event loop, so
/// they end offers themselves (none is settled early).
fn model(sc: &Scenario) -> (ChatModel<'_, false, true>, Scheduler<Event>) {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::<false, true>::new(sc, 0, &mut sched);
    model.settle_accepts_early = false;
    (model, sched)
}

/// A request that arrives now and is routed.
fn request(m: &mut ChatModel<false, true>, sched: &mut Scheduler<Event>) -> ReqRef {
    let req = m
        .requests
        .insert(true, 0, VisitorRng::new(11), Arrival::default());
    m.request(req, sched);
    req
}

fn tally(m: ChatModel<false, true>) -> Tally {
    m.finish(Time::from_secs(3600), 0).unwrap()
}

#[test]
fn cap_an_offer_holds_a_slot_from_the_moment_it_is_made() {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.agents[0].miss = 1.0;
    sc.agents[0].cap = 1;
    let (mut m, mut sched) = model(&sc);
    request(&mut m, &mut sched);
    assert_eq!(m.agents[0].held, 1);
    assert!(!m.agents[0].eligible());
    request(&mut m, &mut sched);
    assert_eq!(tally(m).total.fallback[Reason::AtCap.index()], 1);
}

#[test]
fn rule6_a_declined_offer_with_nobody_left_to_try_is_a_timeout() {
    let mut sc = scenario_with(2, Routing::Team(0));
    sc.agents[0].decline = 1.0;
    sc.agents[0].response = crate::dist::Dist::constant(10.0).unwrap();
    let (mut m, mut sched) = model(&sc);
    let req = request(&mut m, &mut sched);
    // Agent 1 goes offline before agent 0 declines: the retry finds nobody.
    let mut off = m.agents[1];
    off.online = false;
    m.set_agent(Time::ZERO, 1, off);
    m.offer_ends(req, OfferOutcome::Declined, &mut sched);
    assert_eq!(m.agents[0].held, 0);
    let t = tally(m);
    assert_eq!(t.total.fallback[Reason::Timeout.index()], 1);
    assert_eq!((t.total.retry_attempts, t.agents[0].declined), (0, 1));
}

#[test]
fn rule6_a_timed_out_offer_goes_to_the_next_team_member() {
    let sc = scenario_with(2, Routing::Team(0));
    let (mut m, mut sched) = model(&sc);
    let req = request(&mut m, &mut sched);
    m.offer_ends(req, OfferOutcome::Missed, &mut sched);
    assert_eq!((m.agents[0].held, m.agents[1].held), (0, 1));
    assert_eq!(m.requests.get_mut(req).unwrap().tried, [0, 1]);
    assert_eq!(tally(m).total.retry_attempts, 1);
}

#[test]
fn rule7_going_offline_does_not_end_live_chats() {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.agents[0].shrinkage = 0.5;
    let (mut m, mut sched) = model(&sc);
    if m.breaks.on_break(0) {
        m.break_change(0, &mut sched);
    }
    let req = request(&mut m, &mut sched);
    m.offer_ends(req, OfferOutcome::Accepted, &mut sched);
    m.break_change(0, &mut sched);
    assert!(!m.agents[0].online);
    assert_eq!(m.agents[0].held, 1);
    assert_eq!(tally(m).total.engaged, 1);
}

#[test]
fn rule8_a_visitor_who_leaves_frees_the_agents_slot() {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.visitors.patience = Some(crate::dist::Dist::constant(30.0).unwrap());
    let (mut m, mut sched) = model(&sc);
    let req = request(&mut m, &mut sched);
    assert_eq!(m.agents[0].held, 1);
    m.patience_ends(req, &mut sched);
    assert_eq!(m.agents[0].held, 0);
    // The offer's end, still scheduled, finds the request gone.
    m.offer_ends(req, OfferOutcome::Accepted, &mut sched);
    let t = tally(m);
    assert_eq!((t.total.abandoned, t.total.engaged), (1, 0));
    assert_eq!(t.agents[0].withdrawn, 1);
}

#[test]
fn rule9_a_share_of_the_fallbacks_book_a_meeting() {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.visitors.meeting_booking = 1.0;
    sc.agents[0].schedule = crate::scenario::Schedule {
        spans: vec![],
        zone: None,
    };
    let (mut m, mut sched) = model(&sc);
    request(&mut m, &mut sched);
    let t = tally(m);
    assert_eq!(t.total.fallback[Reason::Unavailable.index()], 1);
    assert_eq!(t.total.meetings, 1);
}

#[test]
fn trial_an_offer_accepted_after_the_limit_is_not_connected() {
    let mut sc = scenario_with(2, Routing::RoundRobin);
    sc.package.trial_engagements = Some(1);
    let (mut m, mut sched) = model(&sc);
    let (first, second) = (request(&mut m, &mut sched), request(&mut m, &mut sched));
    m.offer_ends(first, OfferOutcome::Accepted, &mut sched);
    m.offer_ends(second, OfferOutcome::Accepted, &mut sched);
    assert_eq!((m.agents[0].held, m.agents[1].held), (1, 0));
    request(&mut m, &mut sched);
    let t = tally(m);
    assert_eq!(t.total.engaged, 1);
    assert_eq!(t.total.fallback[Reason::TrialLimit.index()], 2);
    assert_eq!(t.trial_exhausted_at, Some(Time::ZERO));
    assert_eq!((t.agents[1].accepted, t.agents[1].engaged), (1, 0));
}

/// One agent of cap 1 with a queue of `max_wait`; offers that it never answers.
fn queueing() -> Scenario {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.package.queue = Some(crate::scenario::Queue {
        max_wait: Time::from_secs(120),
    });
    (sc.agents[0].cap, sc.agents[0].miss) = (1, 1.0);
    sc
}

#[test]
fn queue_a_freed_slot_goes_to_the_oldest_waiting_request() {
    let sc = queueing();
    let (mut m, mut sched) = model(&sc);
    let first = request(&mut m, &mut sched);
    let (second, third) = (request(&mut m, &mut sched), request(&mut m, &mut sched));
    m.offer_ends(first, OfferOutcome::Missed, &mut sched);
    assert_eq!(m.requests.get_mut(second).unwrap().tried, [0]);
    assert!(m.requests.get_mut(third).unwrap().queued_at.is_some());
    let t = tally(m);
    assert_eq!((t.queued, t.queue_left), (2, 1));
}

#[test]
fn queue_a_request_that_waits_too_long_gets_at_cap() {
    let sc = queueing();
    let (mut m, mut sched) = model(&sc);
    request(&mut m, &mut sched);
    let waiting = request(&mut m, &mut sched);
    m.wait_ends(waiting, Time::from_secs(120));
    let t = tally(m);
    assert_eq!(t.total.fallback[Reason::AtCap.index()], 1);
    assert_eq!((t.queue_timeouts, t.queue_wait_sum_s), (1, 120.0));
}

#[test]
fn monthly_a_visitor_past_the_limit_is_suppressed_not_a_request() {
    let mut sc = scenario_with(1, Routing::RoundRobin);
    sc.package.monthly_engagements = Some(1);
    let (mut m, mut sched) = model(&sc);
    // One engaged conversation: the month's limit is reached.
    m.limits.conversation();
    // The visitor the model drew for its first arrival arrives now; with no source left, no
    // second arrival is scheduled beside the one still pending.
    m.source = None;
    m.arrival(&mut sched);
    let t = tally(m);
    assert_eq!((t.visitors, t.suppressed, t.total.requests), (1, 1, 0));
}

#[test]
fn trial_counts_the_engagements_of_the_warm_up() {
    let mut sc = scenario_with(2, Routing::RoundRobin);
    sc.package.trial_engagements = Some(1);
    sc.simulation.warmup = Time::from_secs(60);
    let (mut m, mut sched) = model(&sc);
    let early = m
        .requests
        .insert(false, 0, VisitorRng::new(5), Arrival::default());
    m.request(early, &mut sched);
    m.offer_ends(early, OfferOutcome::Accepted, &mut sched);
    request(&mut m, &mut sched);
    let t = tally(m);
    assert_eq!(t.total.engaged, 0);
    assert_eq!(t.total.fallback[Reason::TrialLimit.index()], 1);
}

#[test]
fn queue_a_visitor_can_give_up_while_queued() {
    let mut sc = queueing();
    sc.visitors.patience = Some(crate::dist::Dist::constant(30.0).unwrap());
    let (mut m, mut sched) = model(&sc);
    let first = request(&mut m, &mut sched);
    let waiting = request(&mut m, &mut sched);
    m.patience_ends(waiting, &mut sched);
    // The slot the first offer frees finds nobody waiting.
    m.offer_ends(first, OfferOutcome::Missed, &mut sched);
    assert_eq!(m.agents[0].held, 0);
    let t = tally(m);
    assert_eq!((t.total.abandoned, t.agents[0].withdrawn), (1, 0));
    assert_eq!((t.queued, t.queue_left, t.queue_timeouts), (1, 1, 0));
}
