//! The integral over time of a piecewise-constant integer quantity (busy slots, agents online),
//! counted only after the warm-up.
//!
//! Kept as the sum of each change times the instant it happened: the integral up to `end` is
//! then `value × end − Σ change × instant`. A change costs one multiply-add and needs no record
//! of the previous one, which matters because agents' levels change on every offer and chat end.

use crate::engine::Time;

#[derive(Clone, Debug)]
pub struct TimeWeighted {
    from: Time,
    value: i64,
    /// Σ change × max(instant, from), in value × milliseconds: a 128-bit sum kept as its low
    /// and high words, so that the struct is aligned on 8 bytes rather than 16 and takes 40
    /// rather than 48 (an agent's tally holds five, touched on every offer and chat end).
    weighted_lo: u64,
    weighted_hi: i64,
    /// Where the integral stops; set by [`TimeWeighted::finish`].
    end: Time,
}

impl TimeWeighted {
    /// Integrates from `from` (the warm-up's end) on; the quantity starts at zero.
    pub fn new(from: Time) -> TimeWeighted {
        TimeWeighted {
            from,
            value: 0,
            weighted_lo: 0,
            weighted_hi: 0,
            end: from,
        }
    }

    fn weighted(&self) -> i128 {
        (self.weighted_hi as i128) << 64 | self.weighted_lo as i128
    }

    fn add_weighted(&mut self, x: i128) {
        let w = self.weighted() + x;
        (self.weighted_lo, self.weighted_hi) = (w as u64, (w >> 64) as i64);
    }

    /// The quantity changes by `delta` at `now`. Changes may come in any order, but none after
    /// the end given to [`TimeWeighted::finish`].
    pub fn change(&mut self, now: Time, delta: i64) {
        self.value += delta;
        // The product in 64 bits, spared a 128-bit multiply: a change is at most a cap of
        // slots (10^4) and the instant at most the longest horizon (3.2 x 10^12 ms).
        self.add_weighted((delta * now.max(self.from).millis() as i64) as i128);
    }

    /// Adds `other`'s changes to this one's: the integral of the sum of the two quantities.
    pub fn add(&mut self, other: &TimeWeighted) {
        debug_assert_eq!(self.from, other.from, "integrals over different spans");
        self.value += other.value;
        self.add_weighted(other.weighted());
    }

    /// The integral up to `t`, in value x milliseconds, for a `t` no earlier than the last
    /// change: zero before the warm-up's end.
    pub fn integral_to(&self, t: Time) -> i128 {
        self.value as i128 * t.max(self.from).millis() as i128 - self.weighted()
    }

    /// Ends the integral at `end`.
    pub fn finish(&mut self, end: Time) {
        self.end = end.max(self.from);
    }

    /// The integral up to the end, exactly, in value × milliseconds.
    pub fn area(&self) -> u128 {
        (self.value as i128 * self.end.millis() as i128 - self.weighted()) as u128
    }

    /// The integral in value-seconds.
    pub fn area_secs(&self) -> f64 {
        self.area() as f64 / 1000.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_a_step_function_after_warmup() {
        let mut tw = TimeWeighted::new(Time::from_secs(10));
        tw.change(Time::from_secs(0), 3);
        tw.change(Time::from_secs(15), -2);
        tw.finish(Time::from_secs(20));
        // 3 over [10, 15) and 1 over [15, 20).
        assert_eq!(tw.area_secs(), 20.0);
    }

    #[test]
    fn adds_up_to_the_integral_of_the_sum() {
        let mut a = TimeWeighted::new(Time::ZERO);
        let mut b = TimeWeighted::new(Time::ZERO);
        a.change(Time::from_secs(1), 2);
        b.change(Time::from_secs(3), 1);
        a.add(&b);
        a.finish(Time::from_secs(5));
        assert_eq!(a.area_secs(), 2.0 * 4.0 + 2.0);
    }

    #[test]
    fn ends_before_the_warmup_is_over_with_nothing() {
        let mut tw = TimeWeighted::new(Time::from_secs(10));
        tw.change(Time::from_secs(2), 4);
        tw.finish(Time::from_secs(5));
        assert_eq!(tw.area(), 0);
    }
}
