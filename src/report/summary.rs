//! The summary across replications, and `summary.json`.

use serde_json::{Value, json};

use crate::report::Metrics;
use crate::scenario::Scenario;
use crate::stats::Summary;

/// Every metric summarised over the replications of one run.
pub struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub replications: usize,
    pub horizon_s: f64,
    /// Per replication, in replication order.
    pub per_replication: Vec<Metrics>,
    /// In metric order; `None` where no replication defined the metric.
    pub metrics: Vec<(String, Option<Summary>)>,
}

impl RunSummary {
    pub fn new(scenario: &str, seed: u64, horizon_s: f64, per_replication: Vec<Metrics>) -> Self {
        let names: Vec<String> = per_replication
            .first()
            .map(|m| m.iter().map(|(n, _)| n.clone()).collect())
            .unwrap_or_default();
        let metrics = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let (lo, hi) = crate::stats::metric_range(name);
                let values = per_replication.iter().filter_map(|m| m[i].1);
                (name.clone(), Summary::of(values).map(|s| s.within(lo, hi)))
            })
            .collect();
        RunSummary {
            scenario: scenario.to_string(),
            seed,
            replications: per_replication.len(),
            horizon_s,
            per_replication,
            metrics,
        }
    }

    /// The summary of `sc`'s replications with these metrics.
    pub fn of(sc: &Scenario, per_replication: Vec<Metrics>) -> Self {
        let horizon_s = sc.simulation.horizon.as_secs_f64();
        RunSummary::new(&sc.name, sc.simulation.seed, horizon_s, per_replication)
    }

    pub fn get(&self, name: &str) -> Option<&Summary> {
        self.metrics
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, s)| s.as_ref())
    }
}

pub fn summary_json(s: &RunSummary) -> String {
    let metrics: serde_json::Map<String, Value> = s
        .metrics
        .iter()
        .map(|(name, sum)| {
            let v = match sum {
                Some(x) => json!({"mean": x.mean, "ci95": x.ci95, "min": x.min, "max": x.max}),
                None => Value::Null,
            };
            (name.clone(), v)
        })
        .collect();
    let doc = json!({
        "scenario": s.scenario,
        "seed": s.seed,
        "replications": s.replications,
        "horizon_s": s.horizon_s,
        "metrics": metrics,
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    text.push('\n');
    text
}
