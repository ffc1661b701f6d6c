//! One replication: build the model, run the engine to the horizon, return the tally.

use crate::engine::{Scheduler, run_until};
use crate::model::Tally;
use crate::model::chat::ChatModel;
use crate::scenario::Scenario;

/// Runs replication number `index` (0-based) of `sc`. Deterministic in `(sc, index)`.
pub fn run_replication(sc: &Scenario, index: u64) -> Tally {
    let mut sched = Scheduler::default();
    let mut model = ChatModel::new(sc, index, &mut sched);
    let horizon = sc.simulation.horizon;
    run_until(&mut model, &mut sched, horizon);
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
        sc.arrivals.per_hour = 600.0;
        let t = run_replication(&sc, 0);
        let o = &t.total;
        assert!(o.requests > 400);
        assert_eq!(
            o.requests,
            o.engaged + o.fallbacks() + o.abandoned + t.in_flight_at_end
        );
        assert_eq!(t.teams[0], t.total);
    }

    #[test]
    fn same_replication_same_tally() {
        let sc = scenario_with(3, Routing::RoundRobin);
        let (a, b) = (run_replication(&sc, 4), run_replication(&sc, 4));
        assert_eq!((a.total, a.events), (b.total.clone(), b.events));
        assert_ne!(run_replication(&sc, 5).total, b.total);
    }
}
