//! Regression gates for CI: expectations judged against a run's confidence intervals, runs
//! compared with a stored baseline, and the outputs a CI system reads (terminal lines, JUnit
//! XML, a JSON summary). `commands::check` runs the scenarios; this module only judges and
//! reports.

mod baseline;
mod json;
mod junit;
mod terminal;
mod verdict;

pub use baseline::{Baseline, BaselineError, Change, Comparison, MetricChange, compare};
pub use json::{CheckDoc, check_json};
pub use junit::junit_xml;
pub use terminal::print_result;
pub use verdict::{Judgement, Verdict, judge};

use crate::report::RunSummary;
use crate::scenario::Scenario;

/// One scenario's checks.
#[derive(Clone, Debug)]
pub struct ScenarioResult {
    /// The scenario file as given on the command line.
    pub path: String,
    pub scenario: String,
    pub seed: u64,
    pub replications: usize,
    pub judgements: Vec<Judgement>,
    pub comparison: Option<Comparison>,
}

impl ScenarioResult {
    /// Judges `sc`'s expectations on `run`, and compares `run` with `baseline` if there is one.
    pub fn new(
        path: String,
        sc: &Scenario,
        run: &RunSummary,
        baseline: Option<(Baseline, f64)>,
    ) -> ScenarioResult {
        ScenarioResult {
            path,
            scenario: sc.name.clone(),
            seed: run.seed,
            replications: run.replications,
            judgements: sc
                .expect
                .iter()
                .map(|e| judge(e, run.get(&e.metric)))
                .collect(),
            comparison: baseline.map(|(b, tolerance)| compare(run, b, tolerance)),
        }
    }
}

/// What the whole check found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub passed: usize,
    pub failed: usize,
    pub inconclusive: usize,
    /// Scenarios that regressed against their baseline.
    pub regressed: usize,
    /// Scenarios compared with a baseline.
    pub compared: usize,
}

impl Totals {
    pub fn of(results: &[ScenarioResult]) -> Totals {
        let mut t = Totals::default();
        for r in results {
            for j in &r.judgements {
                match j.verdict {
                    Verdict::Pass => t.passed += 1,
                    Verdict::Fail => t.failed += 1,
                    Verdict::Inconclusive => t.inconclusive += 1,
                }
            }
            if let Some(c) = &r.comparison {
                t.compared += 1;
                t.regressed += c.regressed() as usize;
            }
        }
        t
    }

    /// Whether the gate fails: any failed expectation or regression, and any inconclusive
    /// expectation unless those are allowed.
    pub fn gate_fails(&self, allow_inconclusive: bool) -> bool {
        self.failed > 0 || self.regressed > 0 || (self.inconclusive > 0 && !allow_inconclusive)
    }

    /// Expectations judged, whatever their verdict.
    pub fn expectations(&self) -> usize {
        self.passed + self.failed + self.inconclusive
    }

    /// One line: `12 expectations: 10 passed, 1 failed, 1 inconclusive; 2 baseline comparisons:
    /// 1 regressed`.
    pub fn describe(&self) -> String {
        let mut text = format!(
            "{}: {} passed, {} failed, {} inconclusive",
            plural(self.expectations(), "expectation"),
            self.passed,
            self.failed,
            self.inconclusive
        );
        if self.compared > 0 {
            text += &format!(
                "; {}: {} regressed",
                plural(self.compared, "baseline comparison"),
                self.regressed
            );
        }
        text
    }
}

/// `1 expectation`, `2 expectations`.
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
