use super::*;
use crate::engine::run_until;
use crate::model::testing::scenario_with;
use crate::scenario::Routing;

fn run(sc: &Scenario, settle_accepts_early: bool) -> Tally {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::new(sc, 0, &mut sched);
    model.settle_accepts_early = settle_accepts_early;
    run_until(&mut model, &mut sched, sc.simulation.horizon);
    model.finish(sc.simulation.horizon, sched.processed())
}

/// Settling an accept when the offer is made takes the same draws as waiting for it, so
/// every outcome is the same (events at the same millisecond could come out in another
/// order, which this seed does not meet); only the event count drops.
#[test]
fn settling_accepts_early_changes_no_outcome() {
    let mut sc = scenario_with(3, Routing::Team(0));
    sc.arrivals.per_hour = 300.0;
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
