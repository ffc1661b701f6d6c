//! The machine summary of a check (`--json`): every verdict with its figures, every baseline
//! comparison, and whether the gate passed. Written through [`CheckDoc`], whose fields are the
//! file's keys.

use serde::Serialize;

use crate::figure::Figure;
use crate::report::{Stat, to_json};

use super::{Comparison, ScenarioResult, Totals};

#[derive(Serialize)]
pub struct CheckDoc {
    pub passed: bool,
    pub allow_inconclusive: bool,
    pub totals: TotalsDoc,
    pub scenarios: Vec<ScenarioDoc>,
}

#[derive(Serialize)]
pub struct TotalsDoc {
    pub expectations: usize,
    pub passed: usize,
    pub failed: usize,
    pub inconclusive: usize,
    pub baselines_compared: usize,
    pub baselines_regressed: usize,
}

#[derive(Serialize)]
pub struct ScenarioDoc {
    pub path: String,
    pub scenario: String,
    pub seed: u64,
    pub replications: usize,
    pub expectations: Vec<ExpectationDoc>,
    pub baseline: Option<BaselineDoc>,
}

#[derive(Serialize)]
pub struct ExpectationDoc {
    pub metric: Figure,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub verdict: &'static str,
    pub mean: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub replications_to_settle: Option<u64>,
    pub message: String,
}

#[derive(Serialize)]
pub struct BaselineDoc {
    pub path: String,
    pub seed: u64,
    pub replications: u64,
    pub tolerance: f64,
    pub compared: usize,
    pub regressed: bool,
    pub changes: Vec<ChangeDoc>,
    pub unmatched: Vec<Figure>,
    pub too_wide: Vec<Figure>,
}

#[derive(Serialize)]
pub struct ChangeDoc {
    pub metric: Figure,
    pub direction: &'static str,
    pub change: &'static str,
    pub delta: f64,
    pub baseline: StoredDoc,
    pub current: StoredDoc,
}

/// A figure's mean and interval, as a comparison shows them.
#[derive(Serialize)]
pub struct StoredDoc {
    pub mean: f64,
    pub ci95: [f64; 2],
}

impl From<&Stat> for StoredDoc {
    fn from(s: &Stat) -> StoredDoc {
        StoredDoc {
            mean: s.mean,
            ci95: s.ci95,
        }
    }
}

pub fn check_json(results: &[ScenarioResult], allow_inconclusive: bool) -> String {
    let totals = Totals::of(results);
    let doc = CheckDoc {
        passed: !totals.gate_fails(allow_inconclusive),
        allow_inconclusive,
        totals: TotalsDoc {
            expectations: totals.expectations(),
            passed: totals.passed,
            failed: totals.failed,
            inconclusive: totals.inconclusive,
            baselines_compared: totals.compared,
            baselines_regressed: totals.regressed,
        },
        scenarios: results.iter().map(scenario).collect(),
    };
    to_json(&doc)
}

fn scenario(r: &ScenarioResult) -> ScenarioDoc {
    ScenarioDoc {
        path: r.path.clone(),
        scenario: r.scenario.clone(),
        seed: r.seed,
        replications: r.replications,
        expectations: r
            .judgements
            .iter()
            .map(|j| ExpectationDoc {
                metric: j.expectation.metric.clone(),
                min: j.expectation.min,
                max: j.expectation.max,
                verdict: j.verdict.name(),
                mean: j.summary.map(|s| s.mean),
                ci95: j.summary.map(|s| s.ci95),
                replications_to_settle: j.settle_at,
                message: j.message(),
            })
            .collect(),
        baseline: r.comparison.as_ref().map(comparison),
    }
}

fn comparison(c: &Comparison) -> BaselineDoc {
    BaselineDoc {
        path: c.baseline.path.display().to_string(),
        seed: c.baseline.seed,
        replications: c.baseline.replications,
        tolerance: c.tolerance,
        compared: c.metrics.len(),
        regressed: c.regressed(),
        changes: c
            .changes()
            .map(|m| ChangeDoc {
                metric: m.metric.clone(),
                direction: m.direction.name(),
                change: m.change.name(),
                delta: m.delta(),
                baseline: (&m.baseline).into(),
                current: (&m.current).into(),
            })
            .collect(),
        unmatched: c.unmatched.clone(),
        too_wide: c.too_wide.clone(),
    }
}
