//! Distributions of durations (response times, chat lengths, patience), in seconds.
//!
//! Each variant holds a ready-built sampler so that drawing is a single call on the hot path.

use std::sync::Arc;

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Weibull};

/// A distribution of non-negative durations in seconds.
#[derive(Clone, Debug)]
pub enum Dist {
    Constant(f64),
    Exponential(Exp<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Weibull(Weibull<f64>),
    Uniform {
        lo: f64,
        hi: f64,
    },
    /// Resampled with replacement from observed values (for example a dashboard export).
    Empirical(Arc<[f64]>),
}

impl Dist {
    pub fn exponential(mean: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        Exp::new(1.0 / mean)
            .map(Dist::Exponential)
            .map_err(|e| e.to_string())
    }

    pub fn lognormal_median(median: f64, sigma: f64) -> Result<Dist, String> {
        positive("median", median)?;
        non_negative("sigma", sigma)?;
        LogNormal::new(median.ln(), sigma)
            .map(Dist::LogNormal)
            .map_err(|e| e.to_string())
    }

    /// Mean and coefficient of variation, the way dashboards usually summarise a duration.
    pub fn lognormal_mean_cv(mean: f64, cv: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        non_negative("cv", cv)?;
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        LogNormal::new(mu, sigma2.sqrt())
            .map(Dist::LogNormal)
            .map_err(|e| e.to_string())
    }

    pub fn gamma_mean_cv(mean: f64, cv: f64) -> Result<Dist, String> {
        positive("mean", mean)?;
        positive("cv", cv)?;
        let shape = 1.0 / (cv * cv);
        Gamma::new(shape, mean / shape)
            .map(Dist::Gamma)
            .map_err(|e| e.to_string())
    }

    pub fn weibull(scale: f64, shape: f64) -> Result<Dist, String> {
        positive("scale", scale)?;
        positive("shape", shape)?;
        Weibull::new(scale, shape)
            .map(Dist::Weibull)
            .map_err(|e| e.to_string())
    }

    pub fn uniform(lo: f64, hi: f64) -> Result<Dist, String> {
        non_negative("min", lo)?;
        if hi.is_nan() || hi < lo || !hi.is_finite() {
            return Err(format!(
                "max ({hi}) must be a finite number not below min ({lo})"
            ));
        }
        Ok(Dist::Uniform { lo, hi })
    }

    pub fn constant(value: f64) -> Result<Dist, String> {
        non_negative("value", value)?;
        Ok(Dist::Constant(value))
    }

    pub fn empirical(samples: Vec<f64>) -> Result<Dist, String> {
        if samples.is_empty() {
            return Err("an empirical distribution needs at least one sample".into());
        }
        if let Some(bad) = samples.iter().find(|s| !(s.is_finite() && **s >= 0.0)) {
            return Err(format!(
                "samples must be finite and non-negative, found {bad}"
            ));
        }
        Ok(Dist::Empirical(samples.into()))
    }

    /// Draws one duration in seconds.
    ///
    /// The exponential, by far the most common, is drawn inline; the others go through a
    /// separate function, which keeps their register needs out of every caller (saving and
    /// restoring registers around each call was a third of an exponential draw's instructions).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Exponential(d) => d.sample(rng),
            _ => self.sample_other(rng),
        }
    }

    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Constant(v) => *v,
            Dist::Exponential(d) => d.sample(rng),
            Dist::LogNormal(d) => d.sample(rng),
            Dist::Gamma(d) => d.sample(rng),
            Dist::Weibull(d) => d.sample(rng),
            Dist::Uniform { lo, hi } => lo + (hi - lo) * rng.random::<f64>(),
            Dist::Empirical(s) => s[rng.random_range(0..s.len())],
        }
    }
}

fn positive(name: &str, v: f64) -> Result<(), String> {
    if v > 0.0 && v.is_finite() {
        Ok(())
    } else {
        Err(format!("{name} must be a positive finite number, got {v}"))
    }
}

fn non_negative(name: &str, v: f64) -> Result<(), String> {
    if v >= 0.0 && v.is_finite() {
        Ok(())
    } else {
        Err(format!(
            "{name} must be a non-negative finite number, got {v}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    fn mean_of(d: &Dist) -> f64 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        (0..100_000).map(|_| d.sample(&mut rng)).sum::<f64>() / 100_000.0
    }

    #[test]
    fn parameterisations_hit_their_means() {
        assert!((mean_of(&Dist::exponential(30.0).unwrap()) - 30.0).abs() < 0.5);
        assert!((mean_of(&Dist::lognormal_mean_cv(60.0, 0.5).unwrap()) - 60.0).abs() < 1.0);
        assert!((mean_of(&Dist::gamma_mean_cv(60.0, 0.5).unwrap()) - 60.0).abs() < 1.0);
        assert!((mean_of(&Dist::uniform(10.0, 20.0).unwrap()) - 15.0).abs() < 0.1);
        assert_eq!(mean_of(&Dist::constant(5.0).unwrap()), 5.0);
    }

    #[test]
    fn lognormal_median_is_the_median() {
        let d = Dist::lognormal_median(25.0, 0.7).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let below = (0..100_000).filter(|_| d.sample(&mut rng) < 25.0).count();
        assert!((below as f64 / 100_000.0 - 0.5).abs() < 0.01);
    }

    #[test]
    fn rejects_bad_parameters() {
        assert!(Dist::exponential(-1.0).is_err());
        assert!(Dist::uniform(5.0, 1.0).is_err());
        assert!(Dist::empirical(vec![]).is_err());
        assert!(Dist::empirical(vec![1.0, f64::NAN]).is_err());
    }
}
