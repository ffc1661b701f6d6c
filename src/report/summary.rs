//! The summary across replications, and `summary.json`, written and read through one type.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::figure::{self, Figure, HEADLINE, LOAD, Metric, Reason};
use crate::report::{Metrics, to_json};
use crate::scenario::{Provenance, Scenario};
use crate::stats::Summary;

/// Every figure summarised over the replications of one run.
pub struct RunSummary {
    pub scenario: String,
    pub seed: u64,
    pub replications: usize,
    pub horizon_s: f64,
    /// Per replication, in replication order.
    pub per_replication: Vec<Metrics>,
    /// In `summary.json`'s order; `None` where no replication defined the figure. Intervals are
    /// cut to the range the figure can take.
    pub metrics: Vec<(Figure, Option<Summary>)>,
    pub provenance: Provenance,
    /// The window every figure is restricted to, as written.
    pub window: Option<String>,
}

impl RunSummary {
    pub fn new(scenario: &str, seed: u64, horizon_s: f64, per_replication: Vec<Metrics>) -> Self {
        let figures: Vec<Figure> = per_replication
            .first()
            .map(|m| m.iter().map(|(f, _)| f.clone()).collect())
            .unwrap_or_default();
        let metrics = figures
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let s = Summary::of(per_replication.iter().filter_map(|m| m[i].1));
                let unit = f.metric.unit();
                (f, s.map(|s| s.clipped(unit)))
            })
            .collect();
        RunSummary {
            scenario: scenario.to_string(),
            seed,
            replications: per_replication.len(),
            horizon_s,
            per_replication,
            metrics,
            provenance: Provenance::default(),
            window: None,
        }
    }

    /// The summary of `sc`'s replications with these figures.
    pub fn of(sc: &Scenario, per_replication: Vec<Metrics>) -> Self {
        let horizon_s = sc.simulation.horizon.as_secs_f64();
        RunSummary {
            provenance: sc.provenance.clone(),
            window: sc.simulation.window.map(|w| sc.windows[w].text.clone()),
            ..RunSummary::new(&sc.name, sc.simulation.seed, horizon_s, per_replication)
        }
    }

    pub fn get(&self, f: &Figure) -> Option<&Summary> {
        self.metrics
            .iter()
            .find(|(n, _)| n == f)
            .and_then(|(_, s)| s.as_ref())
    }

    /// The figure with this public name, as a script would look it up in `summary.json`.
    pub fn named(&self, name: &str) -> Option<&Summary> {
        self.metrics
            .iter()
            .find(|(f, _)| f.name() == name)
            .and_then(|(_, s)| s.as_ref())
    }

    /// The site-wide figure of `m`.
    pub fn site(&self, m: Metric) -> Option<&Summary> {
        self.get(&Figure::site(m))
    }

    /// The headline figures with their labels, the fallback rate followed by its reasons, the
    /// trial's figures only when some replication used it up: what the terminal and report.html
    /// show first.
    pub fn headline(&self) -> Vec<(Metric, String)> {
        let trial_used = self
            .site(Metric::TrialExhausted)
            .is_some_and(|x| x.max > 0.0);
        let mut rows = Vec::new();
        for m in HEADLINE {
            if m == Metric::TrialExhausted && !trial_used {
                continue;
            }
            rows.push((m, figure::label(m)));
            // The demand a dialogue that branches on availability hid, beside the requests it
            // let through, wherever the scenario has it.
            if m == Metric::Requests && self.site(Metric::HiddenDemand).is_some() {
                rows.push((Metric::HiddenDemand, figure::label(Metric::HiddenDemand)));
            }
            if m == Metric::FallbackRate {
                for r in Reason::ALL {
                    rows.push((Metric::FallbackRateFor(r), format!("  {}", r.name())));
                }
            }
            if m == Metric::TrialExhausted {
                rows.push((
                    Metric::TrialExhaustedAt,
                    figure::label(Metric::TrialExhaustedAt),
                ));
            }
        }
        rows
    }

    pub fn document(&self) -> SummaryDoc {
        SummaryDoc {
            scenario: self.scenario.clone(),
            seed: self.seed,
            replications: self.replications as u64,
            horizon_s: self.horizon_s,
            chatsim: env!("CARGO_PKG_VERSION").to_string(),
            fingerprint: self.provenance.fingerprint.clone(),
            overrides: self.provenance.overrides.clone(),
            metrics: self
                .metrics
                .iter()
                .filter(|(f, _)| !LOAD.contains(&f.metric))
                .map(|(f, s)| {
                    let stat = s.map(|x| Stat {
                        mean: x.mean,
                        ci95: x.ci95,
                        min: x.min,
                        max: x.max,
                    });
                    (f.name(), stat)
                })
                .collect(),
        }
    }
}

/// `summary.json`: what scripts, baselines and dashboards read.
#[derive(Debug, Serialize, Deserialize)]
pub struct SummaryDoc {
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    pub horizon_s: f64,
    /// The version of chatsim that wrote it.
    #[serde(default)]
    pub chatsim: String,
    /// Of the effective scenario (see [`Provenance`]); empty in a file of an older version.
    #[serde(default)]
    pub fingerprint: String,
    /// The overrides given on the command line.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// By public name, in the run's order; `null` where no replication defined it. The load
    /// figures ([`LOAD`]) are left out, so that a scenario's file reads as older versions wrote
    /// it; the tables, the terminal and report.html show them.
    pub metrics: IndexMap<String, Option<Stat>>,
}

/// One figure's mean, 95% interval and range over the replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    pub mean: f64,
    pub ci95: [f64; 2],
    pub min: f64,
    pub max: f64,
}

pub fn summary_json(s: &RunSummary) -> String {
    to_json(&s.document())
}
