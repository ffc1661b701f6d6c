//! One replication: build the model, run the engine to the horizon, return the tally.

use crate::engine::{Scheduler, Time, run_until};
use crate::model::Tally;
use crate::model::chat::{ChatModel, has_what_ifs};
use crate::model::events::EventSink;
use crate::scenario::{Scenario, TraceError};

/// Runs replication number `index` (0-based) of `sc`. Deterministic in `(sc, index)`. Fails only
/// when the arrival trace cannot be read, which stops the run at the row.
pub fn run_replication(sc: &Scenario, index: u64) -> Result<Tally, TraceError> {
    run_replication_with(sc, index, &mut |_| {})
}

/// [`run_replication`], writing every step of every request to `sink` in time order (the
/// same result: the log only watches).
pub fn run_replication_logged(
    sc: &Scenario,
    index: u64,
    sink: &mut dyn EventSink,
) -> Result<Tally, TraceError> {
    if sc.windows.is_empty() {
        run_logged::<false>(sc, index, sink)
    } else {
        run_logged::<true>(sc, index, sink)
    }
}

/// [`run_replication_logged`] by a model that has windows if and only if `WINDOWS`.
fn run_logged<const WINDOWS: bool>(
    sc: &Scenario,
    index: u64,
    sink: &mut dyn EventSink,
) -> Result<Tally, TraceError> {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::<WINDOWS, true>::new(sc, index, &mut sched);
    model.log_events(sink);
    run_until(&mut model, &mut sched, sc.simulation.horizon);
    model.finish(sc.simulation.horizon, sched.processed())
}

/// Slices a replication is run in, for [`run_replication_with`]'s reports.
const SLICES: u64 = 200;

/// [`run_replication`], calling `progress` with the simulated time reached after each of
/// [`SLICES`] equal slices of the horizon (the same result: events are handled in the same order).
pub fn run_replication_with(
    sc: &Scenario,
    index: u64,
    progress: &mut dyn FnMut(Time),
) -> Result<Tally, TraceError> {
    match (!sc.windows.is_empty(), has_what_ifs(sc)) {
        (false, false) => run_sliced::<false, false>(sc, index, progress),
        (false, true) => run_sliced::<false, true>(sc, index, progress),
        (true, _) => run_sliced::<true, true>(sc, index, progress),
    }
}

/// [`run_replication_with`] by a model that has windows if and only if `WINDOWS`, and
/// what-ifs only if `WHAT_IFS`.
fn run_sliced<const WINDOWS: bool, const WHAT_IFS: bool>(
    sc: &Scenario,
    index: u64,
    progress: &mut dyn FnMut(Time),
) -> Result<Tally, TraceError> {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::<WINDOWS, WHAT_IFS>::new(sc, index, &mut sched);
    let horizon = sc.simulation.horizon;
    for k in 1..=SLICES {
        let until = Time((horizon.millis() as u128 * k as u128 / SLICES as u128) as u64);
        run_until(&mut model, &mut sched, until);
        if sched.stopped() {
            break;
        }
        progress(until);
    }
    model.finish(horizon, sched.processed())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::scenario_with;
    use crate::scenario::Routing;

    #[test]
    fn every_request_ends_exactly_once() {
        let mut sc = scenario_with(3, Routing::Team(0));
        sc.arrivals.sources[0].per_hour = 600.0;
        let t = run_replication(&sc, 0).unwrap();
        let o = &t.total;
        assert!(o.requests > 400);
        assert_eq!(
            o.requests,
            o.engaged + o.fallbacks() + o.abandoned + t.in_flight_at_end
        );
        assert_eq!(t.teams[0], t.total);
    }

    #[test]
    fn progress_reports_simulated_time_within_a_replication() {
        let sc = scenario_with(3, Routing::RoundRobin);
        let mut seen = Vec::new();
        let t = run_replication_with(&sc, 2, &mut |now| seen.push(now)).unwrap();
        assert!(seen.len() >= 100, "{} reports", seen.len());
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(seen.last(), Some(&sc.simulation.horizon));
        // Slicing the run does not change it.
        let whole = run_replication(&sc, 2).unwrap();
        assert_eq!((t.total, t.events), (whole.total, whole.events));
    }

    #[test]
    fn same_replication_same_tally() {
        let sc = scenario_with(3, Routing::RoundRobin);
        let (a, b) = (
            run_replication(&sc, 4).unwrap(),
            run_replication(&sc, 4).unwrap(),
        );
        assert_eq!((a.total, a.events), (b.total.clone(), b.events));
        assert_ne!(run_replication(&sc, 5).unwrap().total, b.total);
    }

    #[test]
    fn the_series_adds_up_to_the_totals() {
        let mut sc = scenario_with(3, Routing::Team(0));
        sc.arrivals.sources[0].per_hour = 600.0;
        // A bucket that does not divide the horizon: the last one is shorter.
        sc.simulation.horizon = crate::engine::Time::from_secs(6 * 3600);
        sc.simulation.bucket = crate::engine::Time::from_secs(25 * 60);
        let t = run_replication(&sc, 1).unwrap();
        let b = &t.series.buckets;
        assert_eq!(b.len(), 15);
        let sum = |f: fn(&crate::model::Bucket) -> u64| b.iter().map(f).sum::<u64>();
        assert_eq!(sum(|b| b.visitors), t.visitors);
        assert_eq!(sum(|b| b.requests), t.total.requests);
        assert_eq!(sum(|b| b.engaged), t.total.engaged);
        assert_eq!(sum(|b| b.abandoned), t.total.abandoned);
        assert_eq!(sum(|b| b.fallback.iter().sum()), t.total.fallbacks());
        let area = |k: usize| b.iter().map(|b| b.areas[k]).sum::<u128>() as f64 / 1000.0;
        assert_eq!(area(crate::model::BUSY_SLOTS), t.busy_slots.area_secs());
        assert_eq!(
            area(crate::model::ONLINE_AGENTS),
            t.online_agents.area_secs()
        );
    }
}
