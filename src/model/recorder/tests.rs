use super::*;
use crate::model::Outcomes;
use crate::model::testing::scenario_with;
use crate::scenario::Routing;

fn recorder() -> Recorder<false> {
    let mut sc = scenario_with(2, Routing::Team(0));
    sc.simulation.warmup = Time::from_secs(60);
    Recorder::new(&sc)
}

fn whose(counted: bool) -> Whose {
    Whose {
        stream: 0,
        team: Some(0),
        counted,
        bucket: 0,
        slot: 0,
        windows: 0,
    }
}

fn end(r: Recorder<false>) -> Tally {
    r.finish(Time::from_secs(3600), &[0], 0)
}

#[test]
fn rule9_a_fallback_counts_its_reason_and_the_meeting_booked_instead() {
    let mut r = recorder();
    r.fallback(whose(true), Reason::AtCap, true, false);
    r.fallback(whose(true), Reason::Timeout, false, true);
    let t = end(r);
    for o in [&t.total, &t.teams[0]] {
        assert_eq!(o.fallback[Reason::AtCap.index()], 1);
        assert_eq!(o.fallback[Reason::Timeout.index()], 1);
        assert_eq!((o.fallbacks(), o.meetings, o.retry_failed), (2, 1, 1));
    }
    assert_eq!(t.series.buckets[0].fallback.iter().sum::<u64>(), 2);
}

#[test]
fn rule8_abandonment_is_not_a_fallback_and_withdraws_the_offer() {
    let mut r = recorder();
    r.abandoned(whose(true), Some(1));
    r.abandoned(whose(true), None);
    let t = end(r);
    assert_eq!((t.total.abandoned, t.total.fallbacks()), (2, 0));
    assert_eq!((t.agents[0].withdrawn, t.agents[1].withdrawn), (0, 1));
}

#[test]
fn warm_up_requests_count_only_in_the_time_series() {
    let mut r = recorder();
    let at = r.visitor(Time::ZERO, false);
    assert_eq!((at.bucket, at.slot), (0, 0));
    r.request(whose(false));
    r.team_request(whose(false));
    r.engaged(whose(false), 0, false, 5.0, Time::from_secs(300));
    r.fallback(whose(false), Reason::Unavailable, true, false);
    r.abandoned(whose(false), Some(0));
    let t = end(r);
    assert_eq!(
        (t.visitors, t.total, t.teams[0].requests),
        (0, Outcomes::default(), 0)
    );
    assert_eq!(t.agents[0].withdrawn, 0);
    let b = &t.series.buckets[0];
    assert_eq!(
        (b.visitors, b.requests, b.engaged, b.abandoned),
        (1, 1, 1, 1)
    );
}

#[test]
fn rule5_offers_are_counted_by_how_they_end() {
    let mut r = recorder();
    let window = Time::from_secs(100);
    for (missed, response, declined) in [
        (false, 10, false),
        (false, 20, true),
        (true, 5, false),
        (false, 150, false),
    ] {
        let o = Offer::from_draws(missed, Time::from_secs(response), declined, window);
        r.offer_made(0, &o, whose(true));
        r.offer_ended(0, o.outcome, o.lasts, whose(true));
    }
    let t = end(r);
    let a = &t.agents[0];
    assert_eq!(
        (a.offers, a.accepted, a.declined, a.missed, a.too_slow),
        (4, 1, 1, 1, 1)
    );
    assert_eq!(a.response_sum_s, 10.0);
    // The miss has no response time; the late answer has one.
    assert_eq!(t.responses.total(), 3);
}

#[test]
fn rule6_a_retry_that_wins_is_a_rescue() {
    let mut r = recorder();
    r.retry(whose(true));
    r.engaged(whose(true), 1, true, 40.0, Time::from_secs(200));
    let t = end(r);
    let o = &t.total;
    assert_eq!((o.retry_attempts, o.rescued, o.engaged), (1, 1, 1));
    assert_eq!((o.response_sum_s, o.chat_length_sum_s), (40.0, 200.0));
    assert_eq!(
        (t.agents[1].engaged, t.agents[1].chat_length_sum_s),
        (1, 200.0)
    );
}

#[test]
fn queue_waits_and_timeouts_are_counted() {
    let mut r = recorder();
    r.queued(whose(true));
    r.left_queue(whose(true), Time::from_secs(30));
    r.queue_timeout(whose(true));
    let t = end(r);
    assert_eq!((t.queued, t.queue_left, t.queue_timeouts), (1, 1, 1));
    assert_eq!(t.queue_wait_sum_s, 30.0);
}

#[test]
fn a_window_counts_what_arrived_in_it_and_the_time_inside_it() {
    let mut sc = scenario_with(2, Routing::Team(0));
    sc.simulation.warmup = Time::from_secs(60);
    sc.windows = vec![crate::scenario::parse_window("mon 00:00-00:30").unwrap()];
    let mut r = Recorder::<true>::new(&sc);
    let on = AgentState {
        held: 0,
        cap: 2,
        online: true,
    };
    let off = AgentState {
        online: false,
        ..on
    };
    r.agent_changed(Time::ZERO, 0, off, on);
    let arrive = |r: &mut Recorder<true>, secs: u64| {
        let at = r.visitor(Time::from_secs(secs), true);
        let w = Whose {
            windows: at.windows,
            ..whose(true)
        };
        r.request(w);
        r.fallback(w, Reason::AtCap, false, false);
    };
    arrive(&mut r, 600);
    arrive(&mut r, 2400);
    let t = r.finish(Time::from_secs(3600), &[0, 0], 0);
    assert_eq!((t.visitors, t.total.requests), (2, 2));
    let w = &t.windows[0];
    assert_eq!(
        (w.visitors, w.total.requests, w.total.fallback[2]),
        (1, 1, 1)
    );
    // Online for the 29 minutes of the window after the warm-up.
    assert_eq!(w.online_agents.area_secs(), 29.0 * 60.0);
    assert_eq!(t.online_agents.area_secs(), 59.0 * 60.0);
}
