//! The machine summary of a check (`--json`): every verdict with its figures, every baseline
//! comparison, and whether the gate passed.

use serde_json::{Value, json};

use super::{Comparison, Figure, ScenarioResult, Totals};

pub fn check_json(results: &[ScenarioResult], allow_inconclusive: bool) -> String {
    let totals = Totals::of(results);
    let doc = json!({
        "passed": !totals.gate_fails(allow_inconclusive),
        "allow_inconclusive": allow_inconclusive,
        "totals": {
            "expectations": totals.expectations(),
            "passed": totals.passed,
            "failed": totals.failed,
            "inconclusive": totals.inconclusive,
            "baselines_compared": totals.compared,
            "baselines_regressed": totals.regressed,
        },
        "scenarios": results.iter().map(scenario).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON of plain values");
    text.push('\n');
    text
}

fn scenario(r: &ScenarioResult) -> Value {
    let expectations: Vec<Value> = r
        .judgements
        .iter()
        .map(|j| {
            json!({
                "metric": j.expectation.metric,
                "min": j.expectation.min,
                "max": j.expectation.max,
                "verdict": j.verdict.name(),
                "mean": j.summary.map(|s| s.mean),
                "ci95": j.summary.map(|s| s.ci95),
                "replications_to_settle": j.settle_at,
                "message": j.message(),
            })
        })
        .collect();
    json!({
        "path": r.path,
        "scenario": r.scenario,
        "seed": r.seed,
        "replications": r.replications,
        "expectations": expectations,
        "baseline": r.comparison.as_ref().map(comparison),
    })
}

fn comparison(c: &Comparison) -> Value {
    let figure = |f: &Figure| json!({"mean": f.mean, "ci95": f.ci95});
    let changes: Vec<Value> = c
        .changes()
        .map(|m| {
            json!({
                "metric": m.metric,
                "direction": m.direction.name(),
                "change": m.change.name(),
                "delta": m.delta(),
                "baseline": figure(&m.baseline),
                "current": figure(&m.current),
            })
        })
        .collect();
    json!({
        "path": c.baseline.path.display().to_string(),
        "seed": c.baseline.seed,
        "replications": c.baseline.replications,
        "tolerance": c.tolerance,
        "compared": c.metrics.len(),
        "regressed": c.regressed(),
        "changes": changes,
        "unmatched": c.unmatched,
    })
}
