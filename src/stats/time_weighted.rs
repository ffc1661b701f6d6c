//! The integral over time of a piecewise-constant integer quantity (busy slots, agents online),
//! updated in place at each change and counted only after the warm-up.

use crate::engine::Time;

#[derive(Clone, Debug)]
pub struct TimeWeighted {
    from: Time,
    last: Time,
    value: u64,
    /// Exact: value x milliseconds.
    area: u128,
}

impl TimeWeighted {
    /// Integrates from `from` (the warm-up's end) on.
    pub fn new(from: Time) -> TimeWeighted {
        TimeWeighted {
            from,
            last: Time::ZERO,
            value: 0,
            area: 0,
        }
    }

    pub fn value(&self) -> u64 {
        self.value
    }

    /// Sets the quantity to `value` from `now` on.
    pub fn set(&mut self, now: Time, value: u64) {
        self.advance(now);
        self.value = value;
    }

    /// Accounts for time up to `now` at the current value.
    pub fn advance(&mut self, now: Time) {
        let start = self.last.max(self.from);
        if now > start {
            self.area += self.value as u128 * (now - start).millis() as u128;
        }
        self.last = self.last.max(now);
    }

    /// The integral in value-seconds.
    pub fn area_secs(&self) -> f64 {
        self.area as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_a_step_function_after_warmup() {
        let mut tw = TimeWeighted::new(Time::from_secs(10));
        tw.set(Time::from_secs(0), 3);
        tw.set(Time::from_secs(15), 1);
        tw.advance(Time::from_secs(20));
        // 3 over [10, 15) and 1 over [15, 20).
        assert_eq!(tw.area_secs(), 20.0);
        assert_eq!(tw.value(), 1);
    }
}
