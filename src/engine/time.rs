//! Simulated time as an integer count of milliseconds.
//!
//! Integer time keeps event ordering exact and makes a year of simulated time drift-free; a
//! millisecond is far finer than anything the chat model distinguishes.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// A point in (or a span of) simulated time, in milliseconds since the start of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub u64);

impl Time {
    pub const ZERO: Time = Time(0);
    pub const MAX: Time = Time(u64::MAX);

    pub const fn from_secs(s: u64) -> Time {
        Time(s * 1000)
    }

    /// Rounds to the nearest millisecond; negative and NaN inputs become zero, huge ones saturate.
    pub fn from_secs_f64(s: f64) -> Time {
        // Adding a half and truncating rounds non-negative values without a libm call; the
        // saturating cast takes care of the rest. Through i64, because x86-64 converts between
        // floats and signed integers in one instruction but needs a dozen for unsigned ones,
        // and this runs several times per visitor.
        Time(((s * 1000.0 + 0.5) as i64).max(0) as u64)
    }

    /// Within an ulp of the exact value: a multiply, because a division here showed in
    /// profiles (it runs several times per visitor).
    pub fn as_secs_f64(self) -> f64 {
        // Signed, for the same reason as `from_secs_f64`; only `Time::MAX` is clamped.
        self.0.min(i64::MAX as u64) as i64 as f64 * 0.001
    }

    pub fn millis(self) -> u64 {
        self.0
    }

    pub fn saturating_sub(self, other: Time) -> Time {
        Time(self.0.saturating_sub(other.0))
    }
}

impl Add for Time {
    type Output = Time;
    fn add(self, rhs: Time) -> Time {
        Time(self.0.saturating_add(rhs.0))
    }
}

impl AddAssign for Time {
    fn add_assign(&mut self, rhs: Time) {
        *self = *self + rhs;
    }
}

impl Sub for Time {
    type Output = Time;
    fn sub(self, rhs: Time) -> Time {
        Time(self.0 - rhs.0)
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}s", self.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_seconds_both_ways() {
        assert_eq!(Time::from_secs(100), Time(100_000));
        assert_eq!(Time::from_secs_f64(1.2345), Time(1235));
        assert_eq!(Time::from_secs_f64(-3.0), Time::ZERO);
        assert_eq!(Time(2500).as_secs_f64(), 2.5);
    }
}
