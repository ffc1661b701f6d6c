//! Checks of single fields that every part of scenario checking shares: shares, shrinkage and
//! how a message lists names. A leaf, so the parts can use it without depending on each other.

use super::error::Problem;

/// Shares that must not exceed 1 may do so by rounding.
pub(crate) const SUM_TOLERANCE: f64 = 1e-9;

/// A share of scheduled time lost to breaks: below 1, or the agent would never be online.
pub(crate) fn shrinkage(v: Option<f64>, default: f64, at: &str) -> Result<f64, Problem> {
    let v = v.unwrap_or(default);
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(Problem::new(
            at,
            format!("expected a share of time from 0 to below 1, got {v}"),
        ))
    }
}

pub(crate) fn share(v: f64, at: &str) -> Result<f64, Problem> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(Problem::new(
            at,
            format!("expected a share from 0 to 1, got {v}"),
        ))
    }
}

/// Names for a message, shortened when there are many.
pub(crate) fn listing(names: &[&str]) -> String {
    const SHOWN: usize = 12;
    if names.is_empty() {
        "none".into()
    } else if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{}, ... ({} in all)",
            names[..SHOWN].join(", "),
            names.len()
        )
    }
}
