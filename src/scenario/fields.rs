//! Checks of single fields that every part of scenario checking shares: shares, shrinkage,
//! non-negative numbers, durations and how a message lists names. A leaf, so the parts can use it without depending on each other.

use super::duration::DurationValue;
use super::error::Problem;
use crate::engine::Time;

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

pub(crate) fn non_negative(v: f64, at: &str) -> Result<f64, Problem> {
    if v.is_finite() && v >= 0.0 {
        Ok(v)
    } else {
        Err(Problem::new(
            at,
            format!("expected a non-negative number, got {v}"),
        ))
    }
}

/// A duration, `default_secs` when not given.
pub(crate) fn time(
    raw: Option<&DurationValue>,
    default_secs: f64,
    at: &str,
) -> Result<Time, Problem> {
    let secs = match raw {
        Some(d) => d.seconds().map_err(|why| Problem::new(at, why))?,
        None => default_secs,
    };
    Ok(Time::from_secs_f64(secs))
}

/// The longest name (of a scenario, agent, team, stream, attribute or value), in bytes: room for
/// the suffixes chatsim adds (`-12`, `-sweep`, `-vs-...`) within a file name's 255 bytes.
pub const MAX_NAME_BYTES: usize = 100;

/// A name that reports print and write into CSV cells and folder names: not empty, at most
/// [`MAX_NAME_BYTES`], no control characters (NUL, newlines, terminal escapes), and not starting
/// with `=`, `+`, `-` or `@`, which spreadsheets read as a formula.
pub(crate) fn name(name: &str, at: &str) -> Result<(), Problem> {
    let shown = super::paths::excerpt(name);
    let why = if name.trim().is_empty() {
        "expected a name, got an empty string".to_string()
    } else if name.len() > MAX_NAME_BYTES {
        format!(
            "expected a name of at most {MAX_NAME_BYTES} bytes, got {} bytes ({shown})",
            name.len()
        )
    } else if name.chars().any(char::is_control) {
        format!("expected a name without control characters (newlines, escapes), got {shown}")
    } else if name.starts_with(['=', '+', '-', '@']) {
        format!(
            "expected a name that does not start with =, +, - or @ (spreadsheets read those as \
             formulas), got {shown}"
        )
    } else {
        return Ok(());
    };
    Err(Problem::new(at, why))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_printable_short_and_not_formulas() {
        assert!(name("emea", "n").is_ok());
        assert!(name("Sales team 2", "n").is_ok());
        let long = "x".repeat(MAX_NAME_BYTES + 1);
        for bad in [
            "",
            " ",
            "a\0b",
            "a\nb",
            "\u{1b}[31mred",
            "=cmd()",
            "+1",
            "-x",
            "@sum",
            &long,
        ] {
            let p = name(bad, "n").unwrap_err();
            assert_eq!(p.at, "n");
            assert!(
                !p.message.contains('\u{1b}') && !p.message.contains('\n'),
                "{p:?}"
            );
        }
    }
}
