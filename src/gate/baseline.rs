//! Comparing a run with a stored `summary.json`: which rates changed significantly, and whether
//! a change for the worse goes beyond the tolerance.
//!
//! Only rates are judged, each in its known direction ([`Metric::worse`]): a tolerance in
//! absolute rate units means the same thing for all of them, and counts of visitors or requests
//! move with traffic, not with routing quality. Anything else is better held by an expectation.

use std::path::{Path, PathBuf};

#[cfg(doc)]
use crate::figure::Metric;
use crate::figure::{Figure, Worse};
use crate::report::{RunSummary, Stat, SummaryDoc};
/// A baseline that cannot be used: missing, unreadable, or not a `summary.json`. Bad input,
/// exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{file}: cannot read the file: {reason}")]
    Read {
        file: String,
        reason: std::io::Error,
    },
    #[error("{file}: {location}: {message}")]
    Invalid {
        file: String,
        location: String,
        message: String,
    },
}

/// A stored run to compare against.
#[derive(Clone, Debug)]
pub struct Baseline {
    pub path: PathBuf,
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
    /// In file order; `None` where the stored run had no value.
    pub metrics: Vec<(Figure, Option<Stat>)>,
    /// Of the configuration it ran (empty in a file of an older version).
    pub fingerprint: String,
}

/// A judged rate whose baseline interval is wider than this many tolerances either side cannot
/// show a regression of one tolerance: it is reported as too wide to judge.
const TOO_WIDE: f64 = 4.0;

/// The half-width of a stored interval: its wider side, as an interval cut at 0 (or at 1) is
/// narrower on that side than the replications' spread.
fn half_width(s: &Stat) -> f64 {
    (s.mean - s.ci95[0]).max(s.ci95[1] - s.mean)
}

impl Baseline {
    /// The baseline of scenario `name` under `dir`: `dir/<name>/summary.json` (a copy of a
    /// `reports/` folder), else `dir/summary.json` when it is that scenario's (one `--out`
    /// folder), or `dir` itself when it is a file.
    pub fn find(dir: &Path, name: &str) -> Result<Baseline, BaselineError> {
        let nested = dir.join(name).join("summary.json");
        let flat = dir.join("summary.json");
        let of_this = |b: Baseline| {
            if b.scenario == name {
                Ok(b)
            } else {
                Err(BaselineError::Invalid {
                    file: b.path.display().to_string(),
                    location: "scenario".into(),
                    message: format!(
                        "is a baseline of scenario {:?}, not of {name:?}: compare a scenario only \
                         with its own runs",
                        b.scenario
                    ),
                })
            }
        };
        if dir.is_file() {
            return of_this(Baseline::read(dir)?);
        }
        if nested.is_file() {
            return of_this(Baseline::read(&nested)?);
        }
        if flat.is_file() {
            let b = Baseline::read(&flat)?;
            if b.scenario == name {
                return Ok(b);
            }
        }
        Err(BaselineError::Invalid {
            file: dir.display().to_string(),
            location: "baseline".into(),
            message: format!(
                "no baseline for scenario {name:?}: expected {} or a summary.json of scenario \
                 {name:?} at {} (write one with `chatsim run <scenario> --out {}`)",
                nested.display(),
                flat.display(),
                dir.join(name).display()
            ),
        })
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let label = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|reason| BaselineError::Read {
            file: label.clone(),
            reason,
        })?;
        let stored: SummaryDoc =
            serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
                file: label.clone(),
                location: format!("line {}, column {}", e.line(), e.column()),
                message: format!("not a chatsim summary.json: {e}"),
            })?;
        let metrics = stored
            .metrics
            .into_iter()
            .map(|(name, stat)| {
                let figure = name.parse().map_err(|why| BaselineError::Invalid {
                    file: label.clone(),
                    location: format!("metrics.{name}"),
                    message: why,
                })?;
                Ok((figure, stat))
            })
            .collect::<Result<_, BaselineError>>()?;
        Ok(Baseline {
            path: path.to_path_buf(),
            scenario: stored.scenario,
            seed: stored.seed,
            replications: stored.replications,
            metrics,
            fingerprint: stored.fingerprint,
        })
    }

    /// Whether the baseline can judge anything at `tolerance`: it must hold some of the rates a
    /// baseline is judged on, and not every one of them may be too wide to show a regression of
    /// one tolerance. Checked before anything runs.
    pub fn check_usable(&self, tolerance: f64) -> Result<(), BaselineError> {
        let judged: Vec<&Stat> = self
            .metrics
            .iter()
            .filter(|(f, _)| f.metric.worse().is_some())
            .filter_map(|(_, s)| s.as_ref())
            .collect();
        let invalid = |message: String| BaselineError::Invalid {
            file: self.path.display().to_string(),
            location: "metrics".into(),
            message,
        };
        if judged.is_empty() {
            return Err(invalid(
                "holds none of the rates a baseline is judged on (fallback, engaged and \
                 abandoned rates, cap saturation): an empty or foreign summary.json"
                    .into(),
            ));
        }
        if judged.iter().all(|s| half_width(s) > TOO_WIDE * tolerance) {
            return Err(invalid(format!(
                "too wide to judge: every rate's 95% interval is wider than {TOO_WIDE} times the \
                 tolerance ({tolerance}) either side; write the baseline with more replications"
            )));
        }
        Ok(())
    }
}

/// What became of one judged metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// No significant change.
    Same,
    Better,
    /// Significantly worse, but within the tolerance.
    WorseWithinTolerance,
    /// Significantly worse, beyond the tolerance: the comparison fails.
    Regressed,
}

impl Change {
    pub fn name(self) -> &'static str {
        match self {
            Change::Same => "same",
            Change::Better => "better",
            Change::WorseWithinTolerance => "worse_within_tolerance",
            Change::Regressed => "regressed",
        }
    }
}

#[derive(Clone, Debug)]
pub struct MetricChange {
    pub metric: Figure,
    pub direction: Worse,
    pub baseline: Stat,
    pub current: Stat,
    pub change: Change,
}

impl MetricChange {
    pub fn delta(&self) -> f64 {
        self.current.mean - self.baseline.mean
    }
}

/// A run against its baseline.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub baseline: Baseline,
    pub tolerance: f64,
    /// Every judged metric defined in both runs, in the run's metric order.
    pub metrics: Vec<MetricChange>,
    /// Judged metrics in one run and not the other (a team renamed, a stream added).
    pub unmatched: Vec<Figure>,
    /// Judged metrics with no significant change whose intervals are too wide to rule out a
    /// regression of a few tolerances: "no change" would claim too much for them.
    pub too_wide: Vec<Figure>,
}

impl Comparison {
    pub fn regressed(&self) -> bool {
        self.metrics.iter().any(|m| m.change == Change::Regressed)
    }

    /// The significant changes, in metric order.
    pub fn changes(&self) -> impl Iterator<Item = &MetricChange> {
        self.metrics.iter().filter(|m| m.change != Change::Same)
    }
}

/// Compares `run` with `baseline`. A difference is significant when it exceeds the half-widths
/// of the two 95% intervals combined in quadrature (the interval of a difference of independent
/// means); only each run's summary is stored, so the pairing of common random numbers cannot be
/// used and the test errs on the side of calling noise noise.
pub fn compare(run: &RunSummary, baseline: Baseline, tolerance: f64) -> Comparison {
    let stored = |f: &Figure| baseline.metrics.iter().find(|(n, _)| n == f);
    let mut metrics = Vec::new();
    let mut unmatched = Vec::new();
    let mut too_wide = Vec::new();
    for (figure, summary) in &run.metrics {
        let Some(direction) = figure.metric.worse() else {
            continue;
        };
        let old = match stored(figure) {
            Some((_, old)) => *old,
            None => {
                unmatched.push(figure.clone());
                continue;
            }
        };
        let (Some(old), Some(new)) = (old, summary) else {
            continue;
        };
        let current = Stat {
            mean: new.mean,
            ci95: new.ci95,
            min: new.min,
            max: new.max,
        };
        let delta = current.mean - old.mean;
        let margin = half_width(&old).hypot(half_width(&current));
        let worsening = match direction {
            Worse::Higher => delta,
            Worse::Lower => -delta,
        };
        if delta.abs() <= margin && margin > TOO_WIDE * tolerance {
            too_wide.push(figure.clone());
        }
        let change = if delta.abs() <= margin {
            Change::Same
        } else if worsening < 0.0 {
            Change::Better
        } else if worsening > tolerance {
            Change::Regressed
        } else {
            Change::WorseWithinTolerance
        };
        metrics.push(MetricChange {
            metric: figure.clone(),
            direction,
            baseline: old,
            current,
            change,
        });
    }
    for (figure, _) in &baseline.metrics {
        if figure.metric.worse().is_some() && !run.metrics.iter().any(|(n, _)| n == figure) {
            unmatched.push(figure.clone());
        }
    }
    Comparison {
        baseline,
        tolerance,
        metrics,
        unmatched,
        too_wide,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Metric;

    #[test]
    fn directions_are_explicit() {
        use Worse::*;
        for (name, d) in [
            ("fallback_rate", Some(Higher)),
            ("fallback_rate.at_cap", Some(Higher)),
            ("teams.emea.fallback_rate.timeout", Some(Higher)),
            ("streams.pricing.abandoned_rate", Some(Higher)),
            ("cap_saturation", Some(Higher)),
            ("engaged_rate", Some(Lower)),
            ("teams.sales.engaged_rate", Some(Lower)),
            ("visitors", None),
            ("requests", None),
            ("teams.sales.fallback", None),
            ("occupancy", None),
            ("response_time.mean_s", None),
        ] {
            let f: Figure = name.parse().unwrap();
            assert_eq!(f.metric.worse(), d, "{name}");
        }
    }

    /// A run whose replications give `fallback_rate`, `engaged_rate` and `visitors` these values.
    fn run(values: &[(f64, f64, f64)]) -> RunSummary {
        let per_rep = values
            .iter()
            .map(|&(f, e, v)| {
                vec![
                    (Figure::site(Metric::FallbackRate), Some(f)),
                    (Figure::site(Metric::EngagedRate), Some(e)),
                    (Figure::site(Metric::Visitors), Some(v)),
                ]
            })
            .collect();
        RunSummary::new("s", 1, 86_400.0, per_rep)
    }

    fn baseline_of(r: &RunSummary) -> Baseline {
        Baseline {
            path: "summary.json".into(),
            scenario: "s".into(),
            seed: 1,
            replications: r.replications as u64,
            fingerprint: String::new(),
            metrics: r
                .metrics
                .iter()
                .map(|(n, s)| {
                    let f = s.as_ref().map(|s| Stat {
                        mean: s.mean,
                        ci95: s.ci95,
                        min: s.min,
                        max: s.max,
                    });
                    (n.clone(), f)
                })
                .collect(),
        }
    }

    fn changes(old: &RunSummary, new: &RunSummary, tolerance: f64) -> Vec<(String, Change)> {
        compare(new, baseline_of(old), tolerance)
            .metrics
            .into_iter()
            .map(|m| (m.metric.name(), m.change))
            .collect()
    }

    #[test]
    fn the_same_run_has_no_change_and_counts_are_not_judged() {
        let r = run(&[(0.10, 0.85, 100.0), (0.11, 0.84, 120.0), (0.09, 0.86, 90.0)]);
        let c = changes(&r, &r, 0.005);
        assert_eq!(
            c,
            vec![
                ("fallback_rate".to_string(), Change::Same),
                ("engaged_rate".to_string(), Change::Same)
            ]
        );
    }

    #[test]
    fn significant_changes_are_judged_by_direction_and_tolerance() {
        let old = run(&[
            (0.10, 0.85, 100.0),
            (0.11, 0.84, 100.0),
            (0.09, 0.86, 100.0),
        ]);
        // Fallbacks up by 0.05 and connections down by 0.05: both worse, beyond 0.005.
        let worse = run(&[(0.15, 0.80, 9.0), (0.16, 0.79, 9.0), (0.14, 0.81, 9.0)]);
        assert_eq!(
            changes(&old, &worse, 0.005),
            vec![
                ("fallback_rate".to_string(), Change::Regressed),
                ("engaged_rate".to_string(), Change::Regressed)
            ]
        );
        assert_eq!(
            changes(&old, &worse, 0.1),
            vec![
                ("fallback_rate".to_string(), Change::WorseWithinTolerance),
                ("engaged_rate".to_string(), Change::WorseWithinTolerance)
            ]
        );
        assert_eq!(
            changes(&worse, &old, 0.005),
            vec![
                ("fallback_rate".to_string(), Change::Better),
                ("engaged_rate".to_string(), Change::Better)
            ]
        );
        // A shift well inside the noise is not a change.
        let noisy = run(&[(0.02, 0.95, 1.0), (0.2, 0.75, 1.0), (0.12, 0.85, 1.0)]);
        assert!(
            changes(&old, &noisy, 0.005)
                .iter()
                .all(|(_, c)| *c == Change::Same)
        );
    }

    #[test]
    fn reads_a_summary_json_and_rejects_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let r = run(&[(0.10, 0.85, 100.0), (0.11, 0.84, 120.0)]);
        let nested = dir.path().join("s");
        std::fs::create_dir_all(&nested).unwrap();
        std::fs::write(nested.join("summary.json"), crate::report::summary_json(&r)).unwrap();
        let b = Baseline::find(dir.path(), "s").unwrap();
        assert_eq!(b.replications, 2);
        assert_eq!(b.metrics.len(), 3);
        let missing = Baseline::find(dir.path(), "other").unwrap_err().to_string();
        assert!(
            missing.contains("no baseline for scenario \"other\""),
            "{missing}"
        );
        std::fs::write(nested.join("summary.json"), "{\"rows\": []}").unwrap();
        let bad = Baseline::find(dir.path(), "s").unwrap_err().to_string();
        assert!(bad.contains("not a chatsim summary.json"), "{bad}");
    }
}
