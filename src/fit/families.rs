//! Maximum-likelihood fits of duration distributions to a [`Sample`], censoring included:
//! an exact observation in a bin contributes the probability of its bin, F(hi) - F(lo), and a
//! censored one the probability of lasting longer, S(c). The likelihood is maximised by
//! Nelder-Mead (argmin) over unconstrained parameters (logarithms of scales and shapes); the
//! distribution functions are statrs'. Standard errors come from the inverse of the numerical
//! Hessian of the negative log-likelihood, carried to the median and mean by the delta method.

use argmin::core::{CostFunction, Error, Executor, State};
use argmin::solver::neldermead::NelderMead;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Exp, Gamma, LogNormal, Weibull};
use statrs::function::gamma::gamma;

use super::sample::Sample;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    Exponential,
    Lognormal,
    Gamma,
    Weibull,
}

impl Family {
    pub const ALL: [Family; 4] = [
        Family::Exponential,
        Family::Lognormal,
        Family::Gamma,
        Family::Weibull,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Exponential => "exponential",
            Family::Lognormal => "lognormal",
            Family::Gamma => "gamma",
            Family::Weibull => "weibull",
        }
    }

    fn arity(self) -> usize {
        if self == Family::Exponential { 1 } else { 2 }
    }
}

/// A distribution of the family with parameters `theta` (unconstrained): exponential
/// [ln mean]; lognormal [mu, ln sigma]; gamma [ln shape, ln scale]; Weibull [ln shape, ln scale].
#[derive(Clone, Copy, Debug)]
pub struct Dist {
    pub family: Family,
    pub theta: [f64; 2],
}

enum Any {
    Exp(Exp),
    LogNormal(LogNormal),
    Gamma(Gamma),
    Weibull(Weibull),
}

impl Dist {
    fn any(&self) -> Option<Any> {
        let [a, b] = self.theta;
        Some(match self.family {
            Family::Exponential => Any::Exp(Exp::new((-a).exp()).ok()?),
            Family::Lognormal => Any::LogNormal(LogNormal::new(a, b.exp()).ok()?),
            Family::Gamma => Any::Gamma(Gamma::new(a.exp(), (-b).exp()).ok()?),
            Family::Weibull => Any::Weibull(Weibull::new(a.exp(), b.exp()).ok()?),
        })
    }

    pub fn cdf(&self, x: f64) -> f64 {
        match self.any() {
            Some(Any::Exp(d)) => d.cdf(x),
            Some(Any::LogNormal(d)) => d.cdf(x),
            Some(Any::Gamma(d)) => d.cdf(x),
            Some(Any::Weibull(d)) => d.cdf(x),
            None => f64::NAN,
        }
    }

    fn sf(&self, x: f64) -> f64 {
        match self.any() {
            Some(Any::Exp(d)) => d.sf(x),
            Some(Any::LogNormal(d)) => d.sf(x),
            Some(Any::Gamma(d)) => d.sf(x),
            Some(Any::Weibull(d)) => d.sf(x),
            None => f64::NAN,
        }
    }

    pub fn median(&self) -> f64 {
        let [a, b] = self.theta;
        match self.family {
            Family::Exponential => a.exp() * std::f64::consts::LN_2,
            Family::Lognormal => a.exp(),
            Family::Gamma => match self.any() {
                Some(Any::Gamma(d)) => d.inverse_cdf(0.5),
                _ => f64::NAN,
            },
            Family::Weibull => b.exp() * std::f64::consts::LN_2.powf((-a).exp()),
        }
    }

    pub fn mean(&self) -> f64 {
        let [a, b] = self.theta;
        match self.family {
            Family::Exponential => a.exp(),
            Family::Lognormal => (a + b.exp().powi(2) / 2.0).exp(),
            Family::Gamma => (a + b).exp(),
            Family::Weibull => b.exp() * gamma(1.0 + (-a).exp()),
        }
    }

    /// The scenario's distribution table, `{ dist = ..., ... }` in seconds.
    pub fn toml(&self) -> String {
        let [a, b] = self.theta;
        match self.family {
            Family::Exponential => format!("{{ dist = \"exponential\", mean = {:.3} }}", a.exp()),
            Family::Lognormal => format!(
                "{{ dist = \"lognormal\", median = {:.3}, sigma = {:.4} }}",
                a.exp(),
                b.exp()
            ),
            Family::Gamma => format!(
                "{{ dist = \"gamma\", mean = {:.3}, cv = {:.4} }}",
                self.mean(),
                (-a / 2.0).exp()
            ),
            Family::Weibull => format!(
                "{{ dist = \"weibull\", scale = {:.3}, shape = {:.4} }}",
                b.exp(),
                a.exp()
            ),
        }
    }
}

/// The negative log-likelihood of a sample under a family.
struct Nll<'a> {
    family: Family,
    bins: &'a [(f64, f64, u64)],
    censored: &'a [(f64, u64)],
}

impl Nll<'_> {
    fn at(&self, theta: [f64; 2]) -> f64 {
        let d = Dist {
            family: self.family,
            theta,
        };
        if d.any().is_none() {
            return f64::INFINITY;
        }
        let mut nll = 0.0;
        let mut last: Option<(f64, f64)> = None;
        for &(lo, hi, n) in self.bins {
            // Adjacent bins share an edge: its distribution function is computed once.
            let f_lo = match last {
                Some((x, f)) if x == lo => f,
                _ => d.cdf(lo),
            };
            let f_hi = d.cdf(hi);
            last = Some((hi, f_hi));
            nll -= n as f64 * (f_hi - f_lo).max(1e-300).ln();
        }
        for &(c, n) in self.censored {
            nll -= n as f64 * d.sf(c).max(1e-300).ln();
        }
        if nll.is_finite() { nll } else { f64::INFINITY }
    }
}

impl CostFunction for Nll<'_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.at([p[0], p.get(1).copied().unwrap_or(0.0)]))
    }
}

/// One family fitted: its estimate, the log-likelihood's maximum, AIC, and the standard errors
/// of its median and mean.
#[derive(Clone, Debug)]
pub struct Fitted {
    pub dist: Dist,
    pub nll: f64,
    pub aic: f64,
    pub median_se: f64,
    pub mean_se: f64,
    /// Kolmogorov-Smirnov distance between the fitted and the Kaplan-Meier distribution.
    pub ks: f64,
}

/// Starting points from the exact observations: their median and spread on the log scale.
fn start(family: Family, s: &Sample) -> [f64; 2] {
    let median = s.exact_quantile(0.5).max(1e-3);
    let q1 = s.exact_quantile(0.25).max(1e-4);
    let q3 = s.exact_quantile(0.75).max(median * 1.01);
    let sigma = ((q3 / q1).ln() / 1.349).clamp(0.05, 5.0);
    match family {
        Family::Exponential => [(median / std::f64::consts::LN_2).ln(), 0.0],
        Family::Lognormal => [median.ln(), sigma.ln()],
        Family::Gamma => {
            let shape = (1.0 / (sigma * sigma)).clamp(0.05, 400.0);
            [shape.ln(), (median / shape).ln()]
        }
        Family::Weibull => [(1.2 / sigma).clamp(0.1, 50.0).ln(), median.ln()],
    }
}

/// Fits `family` to `s`; `None` without exact observations.
pub fn fit(family: Family, s: &Sample) -> Option<Fitted> {
    if s.exact_count() == 0 {
        return None;
    }
    let bins: Vec<(f64, f64, u64)> = s.exact_bins().collect();
    let censored = s.censored_points();
    let nll = Nll {
        family,
        bins: &bins,
        censored: &censored,
    };
    let k = family.arity();
    let x0 = start(family, s);
    let simplex: Vec<Vec<f64>> = (0..=k)
        .map(|i| {
            let mut p = x0[..k].to_vec();
            if i > 0 {
                p[i - 1] += 0.3;
            }
            p
        })
        .collect();
    let solver = NelderMead::new(simplex).with_sd_tolerance(1e-9).ok()?;
    let result = Executor::new(nll, solver)
        .configure(|st| st.max_iters(3000))
        .run()
        .ok()?;
    let best = result.state().get_best_param()?.clone();
    let nll = Nll {
        family,
        bins: &bins,
        censored: &censored,
    };
    let theta = [best[0], best.get(1).copied().unwrap_or(0.0)];
    let value = nll.at(theta);
    if !value.is_finite() {
        return None;
    }
    let dist = Dist { family, theta };
    let cov = covariance(&nll, theta, k);
    let se = |g: fn(&Dist) -> f64| delta_se(&dist, &cov, k, g);
    let ks = s
        .kaplan_meier()
        .iter()
        .map(|&(x, f)| (f - dist.cdf(x)).abs())
        .fold(0.0, f64::max);
    Some(Fitted {
        dist,
        nll: value,
        aic: 2.0 * k as f64 + 2.0 * value,
        median_se: se(Dist::median),
        mean_se: se(Dist::mean),
        ks,
    })
}

/// Every family fitted, best (lowest AIC) first.
pub fn fit_all(s: &Sample) -> Vec<Fitted> {
    let mut all: Vec<Fitted> = Family::ALL.iter().filter_map(|&f| fit(f, s)).collect();
    all.sort_by(|a, b| a.aic.total_cmp(&b.aic));
    all
}

fn step(x: f64) -> f64 {
    1e-4 * x.abs().max(1.0)
}

/// The inverse of the negative log-likelihood's Hessian at `theta` (central differences).
fn covariance(nll: &Nll, theta: [f64; 2], k: usize) -> [[f64; 2]; 2] {
    let f = |d0: f64, d1: f64| nll.at([theta[0] + d0, theta[1] + d1]);
    let (h0, h1) = (step(theta[0]), step(theta[1]));
    let f00 = f(0.0, 0.0);
    let a = (f(h0, 0.0) - 2.0 * f00 + f(-h0, 0.0)) / (h0 * h0);
    if k == 1 {
        return [[1.0 / a, 0.0], [0.0, 0.0]];
    }
    let c = (f(0.0, h1) - 2.0 * f00 + f(0.0, -h1)) / (h1 * h1);
    let b = (f(h0, h1) - f(h0, -h1) - f(-h0, h1) + f(-h0, -h1)) / (4.0 * h0 * h1);
    let det = a * c - b * b;
    [[c / det, -b / det], [-b / det, a / det]]
}

/// The standard error of `g(dist)` by the delta method.
fn delta_se(d: &Dist, cov: &[[f64; 2]; 2], k: usize, g: fn(&Dist) -> f64) -> f64 {
    let mut grad = [0.0; 2];
    for (i, gi) in grad.iter_mut().enumerate().take(k) {
        let h = step(d.theta[i]);
        let (mut up, mut down) = (*d, *d);
        up.theta[i] += h;
        down.theta[i] -= h;
        *gi = (g(&up) - g(&down)) / (2.0 * h);
    }
    let mut var = 0.0;
    for i in 0..k {
        for j in 0..k {
            var += grad[i] * cov[i][j] * grad[j];
        }
    }
    var.max(0.0).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::Distribution;

    fn lognormal_sample(n: usize, median: f64, sigma: f64, window: Option<f64>) -> Sample {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let d = rand_distr::LogNormal::new(median.ln(), sigma).unwrap();
        let mut s = Sample::default();
        for _ in 0..n {
            let x: f64 = d.sample(&mut rng);
            match window {
                Some(w) if x >= w => s.censored_ms((w * 1000.0) as u64),
                _ => s.exact(x),
            }
        }
        s
    }

    #[test]
    fn lognormal_data_are_fitted_best_by_the_lognormal() {
        let s = lognormal_sample(20_000, 25.0, 0.7, None);
        let all = fit_all(&s);
        let best = &all[0];
        assert_eq!(best.dist.family, Family::Lognormal);
        assert!((best.dist.median() - 25.0).abs() < 3.0 * best.median_se + 0.1);
        assert!(
            best.median_se > 0.0 && best.median_se < 0.5,
            "{}",
            best.median_se
        );
        assert!(best.ks < 0.02, "{}", best.ks);
    }

    #[test]
    fn censoring_at_the_window_is_taken_into_account() {
        // About 15% of responses come after the window.
        let s = lognormal_sample(20_000, 40.0, 0.9, Some(100.0));
        let censored = fit(Family::Lognormal, &s).unwrap();
        let naive = fit(Family::Lognormal, &s.uncensored()).unwrap();
        assert!((censored.dist.median() / 40.0 - 1.0).abs() < 0.03);
        assert!(naive.dist.median() < 40.0 * 0.9, "{}", naive.dist.median());
    }
}
