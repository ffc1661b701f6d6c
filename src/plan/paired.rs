//! Paired comparison of two runs: replication *k* of the base against replication *k* of the
//! variant. Both draw from the same random stream, so they see the same visitors with the same
//! per-visitor draws, and the difference of a pair carries only the effect of the change plus
//! the part of the noise the change disturbs: a far narrower interval than comparing two
//! independent runs.

use crate::figure::Figure;
use crate::report::{DifferenceDoc, Metrics};
use crate::stats::Summary;

/// One metric's base and variant means and their paired difference (variant - base).
#[derive(Clone, Debug)]
pub struct Difference {
    pub metric: Figure,
    pub base: Option<f64>,
    pub variant: Option<f64>,
    /// Over the replications where both define the metric; `None` when none do.
    pub diff: Option<Summary>,
}

impl Difference {
    /// The 95% interval of the difference excludes 0.
    pub fn significant(&self) -> bool {
        self.diff
            .is_some_and(|d| d.ci95[0] > 0.0 || d.ci95[1] < 0.0)
    }

    /// As `compare.json` and `compare`'s report.html give it.
    pub fn doc(&self) -> DifferenceDoc {
        DifferenceDoc {
            base: self.base,
            variant: self.variant,
            diff: self.diff.map(|s| s.mean),
            ci95: self.diff.map(|s| s.ci95),
            significant: self.significant(),
        }
    }
}

/// Pairs replication k of `base` with replication k of `variant`, metric by metric. Metrics
/// only one side has (a team that exists in one scenario only) are left out.
pub fn paired_differences(base: &[Metrics], variant: &[Metrics]) -> Vec<Difference> {
    let Some(first) = base.first() else {
        return Vec::new();
    };
    let index_in = |m: &Metrics, f: &Figure| m.iter().position(|(n, _)| n == f);
    first
        .iter()
        .enumerate()
        .filter_map(|(i, (name, _))| {
            let j = variant.first().and_then(|m| index_in(m, name))?;
            let mean = |runs: &[Metrics], k: usize| Summary::of(runs.iter().filter_map(|m| m[k].1));
            let pairs = base
                .iter()
                .zip(variant)
                .filter_map(|(b, v)| Some(v[j].1? - b[i].1?));
            Some(Difference {
                metric: name.clone(),
                base: mean(base, i).map(|s| s.mean),
                variant: mean(variant, j).map(|s| s.mean),
                diff: Summary::of(pairs),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Metric;

    /// Two stand-in figures: the pairing only looks at which is which.
    fn figure(name: &str) -> Figure {
        let metric = if name == "a" {
            Metric::Visitors
        } else {
            Metric::Requests
        };
        Figure::site(metric)
    }

    fn runs(values: &[(f64, Option<f64>)]) -> Vec<Metrics> {
        values
            .iter()
            .map(|&(a, b)| vec![(figure("a"), Some(a)), (figure("b"), b)])
            .collect()
    }

    #[test]
    fn pairs_by_replication() {
        let base = runs(&[(1.0, Some(1.0)), (5.0, None), (9.0, Some(3.0))]);
        let variant = runs(&[(1.5, Some(2.0)), (5.4, Some(7.0)), (9.6, Some(3.0))]);
        let d = paired_differences(&base, &variant);
        let a = &d[0];
        assert!((a.diff.unwrap().mean - 0.5).abs() < 1e-12);
        // The runs spread from 1 to 9, but the differences only from 0.4 to 0.6.
        assert!(a.diff.unwrap().half_width() < 0.3);
        assert!(a.significant());
        // b is defined in both only in replications 0 and 2.
        assert_eq!(d[1].diff.unwrap().n, 2);
        assert!(!d[1].significant());
    }

    #[test]
    fn metrics_on_one_side_only_are_left_out() {
        let base = runs(&[(1.0, None), (2.0, None)]);
        let variant: Vec<Metrics> = vec![vec![(figure("b"), Some(1.0))]; 2];
        assert!(
            paired_differences(&base, &variant)
                .iter()
                .all(|d| d.metric == figure("b"))
        );
    }
}
