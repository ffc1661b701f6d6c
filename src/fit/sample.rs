//! Durations observed in a log, kept as counts in fine bins so that memory does not grow with
//! the log: exact observations, right-censored ones (the event was not seen before the
//! observation stopped, such as an offer that timed out at the accept window), and censoring at
//! a few exact values (the window itself) kept apart from the bins.

/// The lowest bin edge, in seconds; shorter durations share the first bin.
const LOW_S: f64 = 0.01;
/// Each bin's upper edge over its lower: bins 1% wide, fine enough for a median within 0.5%.
const RATIO: f64 = 1.01;
/// Bins up to about 115 days.
const BINS: usize = 2100;
/// Exact censoring values kept apart (more go to the bins).
const FIXED: usize = 16;

#[derive(Clone, Debug)]
pub struct Sample {
    exact: Vec<u64>,
    censored: Vec<u64>,
    /// Censoring at an exact value, in milliseconds, with its count.
    fixed: Vec<(u64, u64)>,
    exact_n: u64,
    exact_sum_s: f64,
}

impl Default for Sample {
    fn default() -> Sample {
        Sample {
            exact: vec![0; BINS],
            censored: vec![0; BINS],
            fixed: Vec::new(),
            exact_n: 0,
            exact_sum_s: 0.0,
        }
    }
}

/// Bin `k`'s edges in seconds: bin 0 is [0, LOW_S), bin k is [LOW_S R^(k-1), LOW_S R^k).
pub fn edges(k: usize) -> (f64, f64) {
    if k == 0 {
        (0.0, LOW_S)
    } else {
        (
            LOW_S * RATIO.powi(k as i32 - 1),
            LOW_S * RATIO.powi(k as i32),
        )
    }
}

fn bin(x_s: f64) -> usize {
    if x_s < LOW_S {
        0
    } else {
        ((x_s / LOW_S).ln() / RATIO.ln()).floor() as usize + 1
    }
    .min(BINS - 1)
}

impl Sample {
    pub fn exact(&mut self, x_s: f64) {
        self.exact[bin(x_s)] += 1;
        self.exact_n += 1;
        self.exact_sum_s += x_s;
    }

    /// The duration was longer than `x_ms`.
    pub fn censored_ms(&mut self, x_ms: u64) {
        self.censored_many(x_ms, 1);
    }

    fn censored_many(&mut self, x_ms: u64, n: u64) {
        if let Some(f) = self.fixed.iter_mut().find(|f| f.0 == x_ms) {
            f.1 += n;
        } else if self.fixed.len() < FIXED {
            self.fixed.push((x_ms, n));
        } else {
            self.censored[bin(x_ms as f64 / 1000.0)] += n;
        }
    }

    pub fn exact_count(&self) -> u64 {
        self.exact_n
    }

    pub fn censored_count(&self) -> u64 {
        self.censored.iter().sum::<u64>() + self.fixed.iter().map(|f| f.1).sum::<u64>()
    }

    /// The mean of the exact observations alone (biased low when there is censoring).
    pub fn exact_mean_s(&self) -> f64 {
        self.exact_sum_s / self.exact_n.max(1) as f64
    }

    /// Non-empty bins of exact observations: (lower edge, upper edge, count).
    pub fn exact_bins(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        self.exact
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(k, &n)| {
                let (lo, hi) = edges(k);
                (lo, hi, n)
            })
    }

    /// Censoring points (seconds) with their counts: the fixed values exactly, the binned ones
    /// at their bin's geometric middle.
    pub fn censored_points(&self) -> Vec<(f64, u64)> {
        let mut v: Vec<(f64, u64)> = self
            .fixed
            .iter()
            .map(|&(ms, n)| (ms as f64 / 1000.0, n))
            .collect();
        for (k, &n) in self.censored.iter().enumerate().filter(|(_, n)| **n > 0) {
            let (lo, hi) = edges(k);
            v.push(((lo.max(LOW_S / RATIO) * hi).sqrt(), n));
        }
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v
    }

    /// The same sample without its censored observations: what a fit that ignores censoring
    /// sees.
    pub fn uncensored(&self) -> Sample {
        Sample {
            censored: vec![0; BINS],
            fixed: Vec::new(),
            ..self.clone()
        }
    }

    /// The Kaplan-Meier estimate of the distribution function at the upper edge of each bin
    /// that holds an exact observation (censored ones at a bin's edge count as after it).
    pub fn kaplan_meier(&self) -> Vec<(f64, f64)> {
        let mut censored = vec![0u64; BINS];
        for (k, &n) in self.censored.iter().enumerate() {
            censored[k] += n;
        }
        for &(ms, n) in &self.fixed {
            censored[bin(ms as f64 / 1000.0)] += n;
        }
        let mut at_risk = (self.exact_n + self.censored_count()) as f64;
        let mut survival = 1.0;
        let mut out = Vec::new();
        for (k, (&d, &c)) in self.exact.iter().zip(&censored).enumerate() {
            let d = d as f64;
            if d > 0.0 && at_risk > 0.0 {
                survival *= 1.0 - d / at_risk;
                out.push((edges(k).1, 1.0 - survival));
            }
            at_risk -= d + c as f64;
        }
        out
    }

    /// The empirical quantile `p` of the exact observations (for starting points).
    pub fn exact_quantile(&self, p: f64) -> f64 {
        let target = (p * self.exact_n as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (k, &n) in self.exact.iter().enumerate() {
            seen += n;
            if seen >= target {
                let (lo, hi) = edges(k);
                return (lo.max(LOW_S / RATIO) * hi).sqrt();
            }
        }
        LOW_S
    }

    pub fn merge(&mut self, o: &Sample) {
        for k in 0..BINS {
            self.exact[k] += o.exact[k];
            self.censored[k] += o.censored[k];
        }
        for &(ms, n) in &o.fixed {
            self.censored_many(ms, n);
        }
        self.exact_n += o.exact_n;
        self.exact_sum_s += o.exact_sum_s;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_hold_what_falls_between_their_edges() {
        for x in [0.0, 0.005, 0.01, 1.0, 29.7, 100.0, 86_400.0] {
            let (lo, hi) = edges(bin(x));
            assert!(
                lo <= x * 1.000_001 && x < hi * 1.000_001,
                "{x} in [{lo}, {hi})"
            );
        }
    }

    #[test]
    fn kaplan_meier_without_censoring_is_the_empirical_distribution() {
        let mut s = Sample::default();
        for x in [1.0, 2.0, 3.0, 4.0] {
            s.exact(x);
        }
        let km = s.kaplan_meier();
        assert_eq!(km.len(), 4);
        assert!((km[1].1 - 0.5).abs() < 1e-12);
        assert!((km[3].1 - 1.0).abs() < 1e-12);
    }
}
