//! Judging one expectation against a run: by the metric's 95% interval, never by its mean alone,
//! so that a gate does not flap on noise.

use crate::figure;
use crate::scenario::Expectation;
use crate::stats::Summary;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The interval lies within the bounds.
    Pass,
    /// The interval lies outside a bound, or no replication defined the metric.
    Fail,
    /// The interval straddles a bound: more replications may settle it either way.
    Inconclusive,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// One expectation with the run's figure for it and the verdict.
#[derive(Clone, Debug)]
pub struct Judgement {
    pub expectation: Expectation,
    /// `None` when no replication defined the metric (a rate with no requests).
    pub summary: Option<Summary>,
    pub verdict: Verdict,
    /// For an inconclusive verdict: about how many replications would settle it, or `None`
    /// when the mean sits on the bound and more replications would not.
    pub settle_at: Option<u64>,
}

pub fn judge(expectation: &Expectation, summary: Option<&Summary>) -> Judgement {
    let (verdict, settle_at) = match summary {
        None => (Verdict::Fail, None),
        Some(s) => verdict(expectation, s),
    };
    Judgement {
        expectation: expectation.clone(),
        summary: summary.copied(),
        verdict,
        settle_at,
    }
}

fn verdict(e: &Expectation, s: &Summary) -> (Verdict, Option<u64>) {
    let [lo, hi] = s.ci95;
    let below_min = e.min.is_some_and(|m| hi < m);
    let above_max = e.max.is_some_and(|m| lo > m);
    if below_min || above_max {
        return (Verdict::Fail, None);
    }
    let straddled: Vec<f64> = [e.min.filter(|&m| lo < m), e.max.filter(|&m| hi > m)]
        .into_iter()
        .flatten()
        .collect();
    if straddled.is_empty() {
        return (Verdict::Pass, None);
    }
    // The interval narrows like 1/sqrt(n): it clears a bound at distance d from the mean once
    // n grows by (half-width / d)^2. Clearing every straddled bound takes the largest of those.
    let n = s.n as f64;
    let half = s.half_width();
    let needed = straddled
        .iter()
        .map(|&b| {
            let d = (s.mean - b).abs();
            (d > 0.0).then(|| (n * (half / d).powi(2)).ceil())
        })
        .try_fold(0.0_f64, |acc, x| x.map(|x| acc.max(x)));
    (
        Verdict::Inconclusive,
        needed
            .filter(|x| x.is_finite() && *x < u64::MAX as f64)
            .map(|x| x as u64),
    )
}

impl Judgement {
    /// The bound as written, in full: `max 0.05`, `min 0.8`, `min 0.8, max 0.95`.
    pub fn bound(&self) -> String {
        let e = &self.expectation;
        let parts: Vec<String> = [("min", e.min), ("max", e.max)]
            .into_iter()
            .filter_map(|(side, v)| v.map(|v| format!("{side} {v}")))
            .collect();
        parts.join(", ")
    }

    /// The bound in the figure's unit: `max 5.00%`.
    fn bound_shown(&self) -> String {
        let e = &self.expectation;
        let unit = e.metric.metric.unit();
        let parts: Vec<String> = [("min", e.min), ("max", e.max)]
            .into_iter()
            .filter_map(|(side, v)| v.map(|v| format!("{side} {}", figure::value(unit, v))))
            .collect();
        parts.join(", ")
    }

    /// The metric's figure beside its bound: `fallback_rate = 10.65% [10.41%, 10.90%], max
    /// 15.00%`.
    pub fn figure(&self) -> String {
        let metric = &self.expectation.metric;
        let unit = metric.metric.unit();
        match &self.summary {
            Some(s) => format!(
                "{metric} = {}, {}",
                figure::estimate(unit, s.mean, s.ci95),
                self.bound_shown()
            ),
            None => format!("{metric} undefined, {}", self.bound_shown()),
        }
    }

    /// Why the verdict is what it is.
    pub fn explanation(&self) -> String {
        let n = self.summary.map_or(0, |s| s.n);
        match (self.verdict, self.summary, self.settle_at) {
            (_, None, _) => "no replication defined the metric, so there is nothing to judge \
                (a rate of a team or stream that got no requests?)"
                .into(),
            (Verdict::Pass, ..) => "the 95% interval lies within the bound".into(),
            (Verdict::Fail, ..) => "the 95% interval lies outside the bound".into(),
            (Verdict::Inconclusive, _, Some(needed)) => format!(
                "the 95% interval straddles the bound; the interval narrows like 1/sqrt(n), so \
                 about {needed} replications (now {n}) would likely settle it: \
                 --replications {needed}"
            ),
            (Verdict::Inconclusive, _, None) => "the 95% interval straddles the bound and the \
                mean sits on it: more replications will not settle it"
                .into(),
        }
    }

    /// The figure and the explanation, for a CI log line that must stand on its own.
    pub fn message(&self) -> String {
        format!("{}: {}", self.figure(), self.explanation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Figure, Metric};

    fn summary(mean: f64, half: f64, n: usize) -> Summary {
        Summary {
            mean,
            ci95: [mean - half, mean + half],
            min: mean - half,
            max: mean + half,
            n,
        }
    }

    fn bound(min: Option<f64>, max: Option<f64>) -> Expectation {
        Expectation {
            metric: Figure::site(Metric::FallbackRate),
            min,
            max,
        }
    }

    #[test]
    fn within_outside_and_straddling_a_max() {
        let e = bound(None, Some(0.05));
        assert_eq!(
            judge(&e, Some(&summary(0.03, 0.01, 10))).verdict,
            Verdict::Pass
        );
        assert_eq!(
            judge(&e, Some(&summary(0.08, 0.01, 10))).verdict,
            Verdict::Fail
        );
        let j = judge(&e, Some(&summary(0.045, 0.01, 10)));
        assert_eq!(j.verdict, Verdict::Inconclusive);
        // (0.01 / 0.005)^2 * 10 = 40
        assert_eq!(j.settle_at, Some(40));
        assert!(
            j.message().contains("about 40 replications (now 10)"),
            "{}",
            j.message()
        );
    }

    #[test]
    fn bounds_are_inclusive() {
        let e = bound(Some(0.25), Some(0.75));
        assert_eq!(
            judge(&e, Some(&summary(0.5, 0.25, 10))).verdict,
            Verdict::Pass
        );
        let exact = bound(Some(0.0), Some(0.0));
        assert_eq!(
            judge(&exact, Some(&summary(0.0, 0.0, 10))).verdict,
            Verdict::Pass
        );
    }

    #[test]
    fn min_side_and_both_sides() {
        let e = bound(Some(0.9), None);
        assert_eq!(
            judge(&e, Some(&summary(0.8, 0.05, 10))).verdict,
            Verdict::Fail
        );
        assert_eq!(
            judge(&e, Some(&summary(0.95, 0.01, 10))).verdict,
            Verdict::Pass
        );
        // An interval wider than the band straddles both bounds: the farther one decides.
        let band = bound(Some(0.25), Some(0.625));
        let j = judge(&band, Some(&summary(0.5, 0.5, 10)));
        assert_eq!(j.verdict, Verdict::Inconclusive);
        // min: (0.5/0.25)^2*10 = 40; max: (0.5/0.125)^2*10 = 160
        assert_eq!(j.settle_at, Some(160));
    }

    #[test]
    fn a_mean_on_the_bound_cannot_be_settled_and_undefined_fails() {
        let e = bound(None, Some(0.05));
        let j = judge(&e, Some(&summary(0.05, 0.01, 10)));
        assert_eq!((j.verdict, j.settle_at), (Verdict::Inconclusive, None));
        assert!(j.message().contains("will not settle"));
        let j = judge(&e, None);
        assert_eq!(j.verdict, Verdict::Fail);
        assert!(j.message().contains("undefined"));
    }
}
