//! Calibration from real data: a scenario estimated from a log of requests (`chatsim fit`),
//! and a scenario judged against a period's daily figures (`chatsim backtest`).
//!
//! Above the report layer (it draws with `report::plots`), below the runner: it simulates
//! nothing itself.

mod arrivals;
pub mod backtest;
mod collect;
mod families;
pub mod log;
mod sample;
mod write;

use std::path::Path;

use jiff::tz::TimeZone;

pub use arrivals::Profile;
pub use collect::{Group, Observed, group_of};
pub use families::{Dist, Family, Fitted};
pub use log::{Format, LogReader};
pub use sample::Sample;
pub use write::{FitReport, SampleFile, plots};

use crate::scenario::ScenarioError;

/// How to fit: the time zone the week is read in, the smoothing of the hourly rates (hours
/// pooled either side), and the inactivity timeout to take off chats that ended by it.
#[derive(Clone, Debug)]
pub struct FitOptions {
    pub time_zone: String,
    pub smooth_hours: usize,
    pub inactivity_s: f64,
    /// Empirical distributions instead of the best family (also where no family fits).
    pub empirical: bool,
}

/// A fit whose best family's Kolmogorov-Smirnov distance exceeds this is replaced by the
/// empirical distribution.
pub const POOR_FIT_KS: f64 = 0.05;

/// A duration's fit: every family by AIC (best first), and the naive fit of the best family
/// that ignores censoring, for comparison.
#[derive(Clone, Debug)]
pub struct DurationFit {
    pub families: Vec<Fitted>,
    pub naive: Option<Fitted>,
    pub exact: u64,
    pub censored: u64,
    /// The Kaplan-Meier distribution function, to plot against the fit.
    pub empirical: Vec<(f64, f64)>,
}

impl DurationFit {
    pub fn of(s: &Sample) -> Option<DurationFit> {
        let families = families::fit_all(s);
        let best = families.first()?;
        let naive = if s.censored_count() > 0 {
            families::fit(best.dist.family, &s.uncensored())
        } else {
            None
        };
        Some(DurationFit {
            families,
            naive,
            exact: s.exact_count(),
            censored: s.censored_count(),
            empirical: s.kaplan_meier(),
        })
    }

    pub fn best(&self) -> &Fitted {
        &self.families[0]
    }

    /// `n` equally spaced quantiles of the Kaplan-Meier estimate; the mass it leaves beyond the
    /// last observation (the censored tail) goes to `tail_s`, such as the accept window, where
    /// any later answer is a timeout alike.
    pub fn quantiles(&self, n: usize, tail_s: f64) -> Vec<f64> {
        let mut out = Vec::with_capacity(n);
        let mut k = 0;
        for i in 0..n {
            let p = (i as f64 + 0.5) / n as f64;
            while k < self.empirical.len() && self.empirical[k].1 < p {
                k += 1;
            }
            out.push(match self.empirical.get(k) {
                Some(&(x, _)) => x,
                None => tail_s.max(self.empirical.last().map_or(0.0, |e| e.0)),
            });
        }
        out
    }
}

/// Fits family `f` to `s` alone (tests and comparisons).
pub fn fit_family(f: Family, s: &Sample) -> Option<Fitted> {
    families::fit(f, s)
}

/// Reads the log at `path` once and estimates everything a scenario needs.
pub fn fit_log(path: &Path, opts: &FitOptions) -> Result<FitReport, ScenarioError> {
    let tz = TimeZone::get(&opts.time_zone).map_err(|_| ScenarioError::Invalid {
        file: "--time-zone".into(),
        location: opts.time_zone.clone(),
        message: "is not an IANA time zone name, like Europe/Berlin or UTC".into(),
    })?;
    let mut reader = LogReader::open(path)?;
    let observed = collect::collect(&mut reader, &tz, (opts.inactivity_s * 1000.0) as i64)?;
    if observed.requests == 0 {
        return Err(ScenarioError::Invalid {
            file: path.display().to_string(),
            location: "the whole file".into(),
            message: "holds no request: nothing to fit".into(),
        });
    }
    Ok(write::report(observed, &tz, opts))
}
