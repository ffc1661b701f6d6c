//! Across replications: the mean with a Student-t 95% confidence interval.

use std::sync::OnceLock;

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::figure::Unit;

#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub mean: f64,
    pub ci95: [f64; 2],
    pub min: f64,
    pub max: f64,
    /// Replications that had a value (a metric can be undefined in some, like the time a trial
    /// limit ran out in a replication where it never did).
    #[serde(skip)]
    pub n: usize,
}

impl Summary {
    /// The interval cut to the values a quantity in `unit` can take: the normal approximation
    /// of a count near zero or a share near one reaches past them.
    pub fn clipped(mut self, unit: Unit) -> Summary {
        self.ci95 = unit.clip(self.ci95);
        self
    }

    /// `None` when no replication had a value. With a single value the interval is that value.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Summary> {
        let v: Vec<f64> = values.into_iter().collect();
        let n = v.len();
        if n == 0 {
            return None;
        }
        let mean = v.iter().sum::<f64>() / n as f64;
        let min = v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let half = if n > 1 {
            let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            t_quantile_975(n - 1) * (var / n as f64).sqrt()
        } else {
            0.0
        };
        Some(Summary {
            mean,
            ci95: [mean - half, mean + half],
            min,
            max,
            n,
        })
    }
    pub fn half_width(&self) -> f64 {
        (self.ci95[1] - self.ci95[0]) / 2.0
    }
}

/// The 97.5% quantile of Student's t with `dof` degrees of freedom. Kept once computed for the
/// first [`KEPT_DOFS`]: a report summarises every figure of every interval of the week over the
/// same replications, and the inverse distribution function took more time than the summaries.
pub fn t_quantile_975(dof: usize) -> f64 {
    static KEPT: [OnceLock<f64>; KEPT_DOFS] = [const { OnceLock::new() }; KEPT_DOFS];
    match KEPT.get(dof) {
        Some(q) => *q.get_or_init(|| compute_t_quantile_975(dof)),
        None => compute_t_quantile_975(dof),
    }
}

/// Up to the most replications a scenario may have (1,000), and so the most a search's doubling
/// usually reaches.
const KEPT_DOFS: usize = 1024;

fn compute_t_quantile_975(dof: usize) -> f64 {
    StudentsT::new(0.0, 1.0, dof as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(1.959964)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_uses_student_t() {
        let s = Summary::of([1.0, 2.0, 3.0, 4.0]).unwrap();
        assert_eq!(s.mean, 2.5);
        // sd = 1.29099, t(3) = 3.18245
        assert!((s.half_width() - 3.18245 * 1.29099 / 2.0).abs() < 1e-4);
        assert_eq!((s.min, s.max, s.n), (1.0, 4.0, 4));
    }

    #[test]
    fn intervals_are_cut_to_the_range() {
        let s = Summary::of([0.0, 0.0, 0.1]).unwrap();
        assert!(s.ci95[0] < 0.0);
        let cut = s.clipped(Unit::Share);
        assert_eq!(
            (cut.ci95[0], cut.ci95[1], cut.mean),
            (0.0, s.ci95[1], s.mean)
        );
        let near_one = Summary::of([1.0, 1.0, 0.9]).unwrap().clipped(Unit::Share);
        assert_eq!(near_one.ci95[1], 1.0);
    }

    #[test]
    fn empty_and_single() {
        assert!(Summary::of([]).is_none());
        assert_eq!(Summary::of([5.0]).unwrap().ci95, [5.0, 5.0]);
    }
}
