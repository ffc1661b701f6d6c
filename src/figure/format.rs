//! How figures print for people, in the terminal, report.html and every command's messages: one
//! place, so that a rate reads the same everywhere and an interval never leaves the range its
//! quantity can take. Files for scripts (JSON, CSV) keep full precision instead.

use super::{Metric, Unit};

/// A value in its unit: shares as percentages with two decimals (three significant digits
/// below 0.1%, where two decimals would hide a bound like 0.025%), everything else with one.
pub fn value(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Share => {
            let pct = 100.0 * v;
            if pct != 0.0 && pct.abs() < 0.1 {
                let decimals = (2 - pct.abs().log10().floor() as i32).clamp(2, 8) as usize;
                format!("{pct:.decimals$}%")
            } else {
                format!("{pct:.2}%")
            }
        }
        _ => format!("{v:.1}"),
    }
}

/// A figure's name for people with its unit, like `avg agent response (s)`.
pub fn label(metric: Metric) -> String {
    let unit = match metric.unit() {
        Unit::Seconds => " (s)",
        Unit::Minutes => " (min)",
        Unit::Hours => " (h)",
        _ => "",
    };
    format!("{}{unit}", metric.label())
}

/// A mean with its 95% interval: `10.70% [10.52%, 10.88%]`.
pub fn estimate(unit: Unit, mean: f64, ci: [f64; 2]) -> String {
    format!("{} {}", value(unit, mean), interval(unit, ci))
}

/// A 95% interval `[lo, hi]`, cut to the range the quantity can take (a rate never reads below
/// 0% or above 100%, a count never below 0).
pub fn interval(unit: Unit, ci: [f64; 2]) -> String {
    let [lo, hi] = unit.clip(ci);
    format!("[{}, {}]", value(unit, lo), value(unit, hi))
}

/// A difference, with its sign: shares in percentage points.
pub fn signed(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Share => format!("{:+.2} pp", 100.0 * v),
        _ => format!("{v:+.1}"),
    }
}

/// Whether a difference prints as zero: such a difference is never called significant, however
/// consistent it was.
pub fn prints_as_zero(unit: Unit, v: f64) -> bool {
    signed(unit, v)
        .trim_start_matches(['+', '-'])
        .trim_end_matches(" pp")
        .chars()
        .all(|c| c == '0' || c == '.')
}

/// A span of time in the unit that fits: `250 ms`, `45 s`, `10 min`, `8 h`, `1 day`, `7 days`.
pub fn duration(secs: f64) -> String {
    let (n, unit) = if secs >= 86_400.0 {
        (secs / 86_400.0, "day")
    } else if secs >= 3600.0 {
        (secs / 3600.0, "h")
    } else if secs >= 60.0 {
        (secs / 60.0, "min")
    } else if secs >= 1.0 || secs == 0.0 {
        (secs, "s")
    } else {
        (secs * 1000.0, "ms")
    };
    let text = format!("{n:.1}");
    let text = text.strip_suffix(".0").unwrap_or(&text);
    match unit {
        "day" if text != "1" => format!("{text} days"),
        _ => format!("{text} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_print_as_percentages_and_intervals_stay_in_range() {
        assert_eq!(value(Unit::Share, 0.10704), "10.70%");
        assert_eq!(value(Unit::Count, 311.24), "311.2");
        assert_eq!(value(Unit::Share, 0.000_331_4), "0.0331%");
        assert_eq!(value(Unit::Share, 0.0), "0.00%");
        assert_eq!(interval(Unit::Share, [-0.0077, 0.0727]), "[0.00%, 7.27%]");
        assert_eq!(interval(Unit::Share, [0.98, 1.02]), "[98.00%, 100.00%]");
        assert_eq!(interval(Unit::Count, [-0.04, 1.6]), "[0.0, 1.6]");
    }

    #[test]
    fn differences_are_signed_and_zero_is_recognised() {
        assert_eq!(signed(Unit::Share, 0.0332), "+3.32 pp");
        assert_eq!(signed(Unit::Count, -2.0), "-2.0");
        assert!(prints_as_zero(Unit::Share, -0.00001));
        assert!(prints_as_zero(Unit::Count, 0.04));
        assert!(!prints_as_zero(Unit::Count, -2.0));
    }

    #[test]
    fn durations_take_the_unit_that_fits() {
        assert_eq!(duration(3600.0), "1 h");
        assert_eq!(duration(7.0 * 86_400.0), "7 days");
        assert_eq!(duration(86_400.0), "1 day");
        assert_eq!(duration(1.5 * 86_400.0), "1.5 days");
        assert_eq!(duration(600.0), "10 min");
        assert_eq!(duration(0.25), "250 ms");
        assert_eq!(duration(45.0), "45 s");
    }
}
