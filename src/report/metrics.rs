//! The figures of one replication that `summary.json`, `replications.csv`, expectations,
//! targets and comparisons share, read through the tally's one reader.

use crate::figure::Figure;
use crate::model::Tally;
use crate::report::reader::Reader;
use crate::scenario::Scenario;

/// One replication's figures, in `summary.json`'s order. `None` where a figure is undefined in
/// that replication (a rate with no requests, an exhaustion time when the limit was never
/// reached).
pub type Metrics = Vec<(Figure, Option<f64>)>;

pub fn metrics(sc: &Scenario, t: &Tally) -> Metrics {
    let reader = Reader::new(sc);
    summary_figures(sc)
        .into_iter()
        .map(|f| {
            let v = reader.figure(t, &f);
            (f, v)
        })
        .collect()
}

/// Every figure of `summary.json` for `sc`, in its order: the names expectations, targets and
/// baselines may use.
pub fn summary_figures(sc: &Scenario) -> Vec<Figure> {
    let teams: Vec<&str> = sc.teams.iter().map(|t| t.name.as_str()).collect();
    let streams: Vec<&str> = sc.streams.iter().map(|s| s.name.as_str()).collect();
    let mut all = Figure::summary(&teams, &streams, sc.uses());
    // Then the figures that expectations restrict to a window of their own.
    for e in &sc.expect {
        if e.metric.window.is_some() && !all.contains(&e.metric) {
            all.push(e.metric.clone());
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO, parse_str};

    #[test]
    fn an_empty_tally_defines_counts_and_leaves_rates_undefined() {
        let sc = parse_str(DEFAULT_SCENARIO, "default", std::path::Path::new("."), &[]).unwrap();
        let empty = Tally::new(
            sc.streams.len(),
            sc.teams.len(),
            sc.agents.len(),
            sc.simulation.warmup,
            sc.simulation.horizon,
        );
        let m = metrics(&sc, &empty);
        let get = |n: &str| m.iter().find(|(x, _)| x.name() == n).unwrap().1;
        assert_eq!(get("visitors"), Some(0.0));
        assert_eq!(get("teams.emea.requests"), Some(0.0));
        assert_eq!(get("fallback_rate"), None);
        assert_eq!(get("streams.pricing.engaged_rate"), None);
        assert_eq!(m.len(), summary_figures(&sc).len());
    }
}
