//! Durations as people write them: `"100s"`, `"1.5h"`, `"2d 9h"`, `"250ms"`, or bare seconds.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// A duration as written in the file, checked only when the scenario is converted so that the
/// error can name the key.
#[derive(Clone, Debug, PartialEq)]
pub enum DurationValue {
    Text(String),
    Seconds(f64),
}

impl DurationValue {
    /// The duration in seconds: finite and not negative.
    pub fn seconds(&self) -> Result<f64, String> {
        let secs = match self {
            DurationValue::Seconds(s) => *s,
            DurationValue::Text(t) => parse(t).ok_or_else(|| {
                format!(r#"expected a duration like "25s", "10m" or "2d 9h", got {t:?}"#)
            })?,
        };
        if !secs.is_finite() {
            return Err(format!("expected a finite duration, got {self}"));
        }
        if secs < 0.0 {
            return Err(format!("a duration cannot be negative, got {self}"));
        }
        Ok(secs)
    }
}

impl fmt::Display for DurationValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DurationValue::Text(t) => write!(f, "{t:?}"),
            DurationValue::Seconds(s) => write!(f, "{s}"),
        }
    }
}

impl<'de> Deserialize<'de> for DurationValue {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = DurationValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"a duration like "25s" or a number of seconds"#)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DurationValue, E> {
                Ok(DurationValue::Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DurationValue, E> {
                Ok(DurationValue::Seconds(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DurationValue, E> {
                Ok(DurationValue::Seconds(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DurationValue, E> {
                Ok(DurationValue::Seconds(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Seconds in `text`, a sum of `<number><unit>` terms (units `ms`, `s`, `m`, `h`, `d`, `w`),
/// spaces optional between terms; a lone number is seconds. `None` when it does not parse.
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return Some(secs);
    }
    let mut rest = text;
    let mut total = 0.0;
    let mut terms = 0;
    while !rest.is_empty() {
        // A sign belongs to the whole duration: "1h -30m" is not half an hour.
        if terms > 0 && rest.starts_with(['-', '+']) {
            return None;
        }
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = &rest[number_len..];
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => 0.001,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 604_800.0,
            _ => return None,
        };
        total += number * unit;
        terms += 1;
        rest = rest[unit_len..].trim_start();
    }
    (terms > 0).then_some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_compounds_and_fractions() {
        assert_eq!(parse("100s"), Some(100.0));
        assert_eq!(parse("10m"), Some(600.0));
        assert_eq!(parse("8h"), Some(28_800.0));
        assert_eq!(parse("30d"), Some(2_592_000.0));
        assert_eq!(parse("1w"), Some(604_800.0));
        assert_eq!(parse("2d 9h"), Some(2.0 * 86_400.0 + 9.0 * 3600.0));
        assert_eq!(parse("1h30m"), Some(5400.0));
        assert_eq!(parse("1.5h"), Some(5400.0));
        assert_eq!(parse("250ms"), Some(0.25));
        assert_eq!(parse(" 42 "), Some(42.0));
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in [
            "", "abc", "10x", "h", "1..5s", "5 s s", "10mm", "5s-", "1h -30m", "1h-30m", "1h +5m",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn seconds_rejects_negative_and_non_finite() {
        assert_eq!(DurationValue::Seconds(3.0).seconds(), Ok(3.0));
        assert!(
            DurationValue::Text("-5s".into())
                .seconds()
                .unwrap_err()
                .contains("negative")
        );
        assert!(DurationValue::Seconds(-1.0).seconds().is_err());
        assert!(DurationValue::Seconds(f64::NAN).seconds().is_err());
        assert!(DurationValue::Text("inf".into()).seconds().is_err());
        let err = DurationValue::Text("abc".into()).seconds().unwrap_err();
        assert!(
            err.contains(r#"like "25s""#) && err.contains(r#""abc""#),
            "{err}"
        );
    }
}
