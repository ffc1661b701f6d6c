//! Service targets like `fallback_rate<=0.05`, met "with 95% confidence": the whole 95% interval
//! of the metric's mean lies on the right side of the bound.

use std::fmt;
use std::str::FromStr;

use crate::figure::Figure;
use crate::report::RunSummary;
use crate::scenario::Scenario;
use crate::stats::Summary;
use crate::usage::{UsageError, usage_error};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    AtMost,
    AtLeast,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub metric: Figure,
    pub bound: Bound,
    pub value: f64,
}

/// A target as typed, before its metric is checked against a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetSpec {
    pub metric: String,
    pub bound: Bound,
    pub value: f64,
}

#[derive(Debug, thiserror::Error)]
#[error("expected METRIC<=VALUE or METRIC>=VALUE like fallback_rate<=0.05, got {0:?}")]
pub struct TargetSyntaxError(String);

impl TargetSpec {
    /// The target for `sc`, whose summary must have the metric: a `--target` usage error if
    /// not.
    pub fn resolve(&self, sc: &Scenario) -> Result<Target, UsageError> {
        Ok(Target {
            metric: sc
                .figure(&self.metric)
                .map_err(|why| usage_error("--target", &self.metric, why))?,
            bound: self.bound,
            value: self.value,
        })
    }
}

impl FromStr for TargetSpec {
    type Err = TargetSyntaxError;

    fn from_str(s: &str) -> Result<TargetSpec, TargetSyntaxError> {
        let err = || TargetSyntaxError(s.to_string());
        let (metric, bound, value) = if let Some((m, v)) = s.split_once("<=") {
            (m, Bound::AtMost, v)
        } else if let Some((m, v)) = s.split_once(">=") {
            (m, Bound::AtLeast, v)
        } else {
            return Err(err());
        };
        let metric = metric.trim();
        let value: f64 = value.trim().parse().map_err(|_| err())?;
        if metric.is_empty() || !value.is_finite() {
            return Err(err());
        }
        Ok(TargetSpec {
            metric: metric.to_string(),
            bound,
            value,
        })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = match self.bound {
            Bound::AtMost => "<=",
            Bound::AtLeast => ">=",
        };
        write!(f, "{}{op}{}", self.metric, self.value)
    }
}

impl Target {
    /// How far the interval's far end lies past the bound, in units of the bound (or absolute
    /// when the bound is 0): positive means missed, zero or negative means met. A metric that is
    /// undefined at this point (no requests at all) counts as missed by an infinite amount.
    pub fn shortfall(&self, s: &RunSummary) -> f64 {
        let Some(x) = s.get(&self.metric) else {
            return f64::INFINITY;
        };
        let past = match self.bound {
            Bound::AtMost => x.ci95[1] - self.value,
            Bound::AtLeast => self.value - x.ci95[0],
        };
        let scale = if self.value == 0.0 {
            1.0
        } else {
            self.value.abs()
        };
        past / scale
    }

    pub fn met(&self, s: &RunSummary) -> bool {
        self.shortfall(s) <= 0.0
    }

    /// Whether the mean of `s`, its figure's summary, is on the target's side of the bound
    /// (undefined: no).
    pub fn met_in_mean(&self, s: Option<&Summary>) -> bool {
        s.is_some_and(|s| match self.bound {
            Bound::AtMost => s.mean <= self.value,
            Bound::AtLeast => s.mean >= self.value,
        })
    }

    /// Where the target stands at `s`, the summary of its figure (`None`: undefined, which
    /// counts as missed).
    pub fn standing(&self, s: Option<&Summary>) -> Standing {
        let Some(s) = s else {
            return Standing::Missed;
        };
        let [lo, hi] = s.ci95;
        let (inside, outside) = match self.bound {
            Bound::AtMost => (hi <= self.value, lo > self.value),
            Bound::AtLeast => (lo >= self.value, hi < self.value),
        };
        if inside {
            Standing::Met
        } else if outside {
            Standing::Missed
        } else {
            Standing::Inconclusive
        }
    }
}

/// A target at one point, judged by its figure's whole 95% interval: a mean alone on the right
/// side of the bound is not enough, and an interval across the bound is not a miss.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    Met,
    /// The interval straddles the bound: more replications may settle it either way.
    Inconclusive,
    Missed,
}

impl Standing {
    pub fn name(self) -> &'static str {
        match self {
            Standing::Met => "met",
            Standing::Inconclusive => "inconclusive",
            Standing::Missed => "missed",
        }
    }

    /// The worst of several targets' standings: one miss misses, else one straddle leaves it open.
    pub fn worst(all: impl IntoIterator<Item = Standing>) -> Standing {
        all.into_iter().max().unwrap_or(Standing::Met)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::figure::Metric;

    fn summary(values: &[f64]) -> RunSummary {
        let per_rep = values
            .iter()
            .map(|v| vec![(Figure::site(Metric::FallbackRate), Some(*v))])
            .collect();
        RunSummary::new("t", 1, 1.0, per_rep)
    }

    #[test]
    fn parses_both_bounds() {
        let t: TargetSpec = "fallback_rate.at_cap <= 0.01".parse().unwrap();
        assert_eq!(t.metric, "fallback_rate.at_cap");
        assert_eq!((t.bound, t.value), (Bound::AtMost, 0.01));
        let t: TargetSpec = "engaged_rate>=0.9".parse().unwrap();
        let sc = crate::scenario::load_with(None, &[]).unwrap();
        let t = t.resolve(&sc).unwrap();
        assert_eq!(
            (t.bound, t.to_string()),
            (Bound::AtLeast, "engaged_rate>=0.9".into())
        );
        let typo: TargetSpec = "fallback_rte<=0.1".parse().unwrap();
        assert!(
            typo.resolve(&sc)
                .unwrap_err()
                .to_string()
                .contains("did you mean \"fallback_rate\"")
        );
        for bad in ["fallback_rate<0.05", "<=0.1", "x<=abc", "x>=inf"] {
            assert!(bad.parse::<TargetSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn met_only_when_the_whole_interval_is_inside() {
        let at_most = |v: f64| Target {
            metric: Figure::site(Metric::FallbackRate),
            bound: Bound::AtMost,
            value: v,
        };
        // mean 0.04, interval about [0.0336, 0.0464]
        let s = summary(&[0.04, 0.036, 0.044, 0.04]);
        assert!(at_most(0.05).met(&s));
        assert!(!at_most(0.045).met(&s));
        assert!(
            !Target {
                bound: Bound::AtLeast,
                ..at_most(0.035)
            }
            .met(&s)
        );
        assert!(
            Target {
                bound: Bound::AtLeast,
                ..at_most(0.03)
            }
            .met(&s)
        );
        let unknown = Target {
            metric: Figure::site(Metric::Occupancy),
            ..at_most(1.0)
        };
        assert_eq!(unknown.shortfall(&s), f64::INFINITY);
        assert_eq!(unknown.standing(s.get(&unknown.metric)), Standing::Missed);
    }

    #[test]
    fn an_interval_across_the_bound_is_inconclusive_not_missed() {
        let t = |bound, value| Target {
            metric: Figure::site(Metric::FallbackRate),
            bound,
            value,
        };
        let s = summary(&[0.04, 0.036, 0.044, 0.04]);
        let at = |target: Target| target.standing(s.get(&target.metric));
        assert_eq!(at(t(Bound::AtMost, 0.05)), Standing::Met);
        assert_eq!(at(t(Bound::AtMost, 0.04)), Standing::Inconclusive);
        assert_eq!(at(t(Bound::AtMost, 0.03)), Standing::Missed);
        assert_eq!(at(t(Bound::AtLeast, 0.03)), Standing::Met);
        assert_eq!(at(t(Bound::AtLeast, 0.04)), Standing::Inconclusive);
        assert_eq!(at(t(Bound::AtLeast, 0.05)), Standing::Missed);
        let mean = |target: Target| target.met_in_mean(s.get(&target.metric));
        assert!(mean(t(Bound::AtMost, 0.04)) && !mean(t(Bound::AtMost, 0.039)));
        assert!(mean(t(Bound::AtLeast, 0.04)) && !mean(t(Bound::AtLeast, 0.041)));
        assert_eq!(
            Standing::worst([Standing::Met, Standing::Inconclusive]),
            Standing::Inconclusive
        );
        assert_eq!(Standing::worst([]), Standing::Met);
    }
}
