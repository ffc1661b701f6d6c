//! The run as a time series: what happened in each bucket of `[simulation] bucket`.
//!
//! Counts go in the bucket of the request's arrival, so that a bucket's requests and their
//! outcomes add up. Levels (agents online, busy slots, ...) are integrated exactly, split at
//! bucket boundaries. Memory is one row per bucket, whatever the traffic.

use crate::engine::Time;

/// The time-weighted levels, in [`Bucket::areas`] order.
pub const LEVELS: usize = 4;
pub const ONLINE_AGENTS: usize = 0;
pub const ONLINE_SLOTS: usize = 1;
pub const BUSY_SLOTS: usize = 2;
pub const AGENTS_AT_CAP: usize = 3;

/// One bucket. Unlike the summary figures, the series also covers the warm-up, so that its
/// transient can be seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bucket {
    pub visitors: u64,
    pub requests: u64,
    pub engaged: u64,
    pub abandoned: u64,
    /// By `Reason::index`.
    pub fallback: [u64; 5],
    /// Each level integrated over the bucket, in value x milliseconds.
    pub areas: [u128; LEVELS],
}

#[derive(Clone, Debug)]
pub struct Series {
    width: Time,
    horizon: Time,
    pub buckets: Vec<Bucket>,
    levels: [u64; LEVELS],
    last: Time,
}

impl Series {
    pub fn new(width: Time, horizon: Time) -> Series {
        let n = horizon.millis().div_ceil(width.millis().max(1)).max(1);
        Series {
            width,
            horizon,
            buckets: vec![Bucket::default(); n as usize],
            levels: [0; LEVELS],
            last: Time::ZERO,
        }
    }

    pub fn width(&self) -> Time {
        self.width
    }

    /// Start and end of bucket `i`; the last one ends at the horizon.
    pub fn span(&self, i: usize) -> (Time, Time) {
        let start = self.width.millis() * i as u64;
        let end = (start + self.width.millis()).min(self.horizon.millis());
        (Time(start), Time(end))
    }

    fn index(&self, t: Time) -> usize {
        ((t.millis() / self.width.millis()) as usize).min(self.buckets.len() - 1)
    }

    /// Updates the counts of the bucket that `arrived` falls in.
    pub fn count(&mut self, arrived: Time, f: impl FnOnce(&mut Bucket)) {
        let i = self.index(arrived);
        f(&mut self.buckets[i]);
    }

    /// The levels change to `levels` at `now`.
    pub fn set_levels(&mut self, now: Time, levels: [u64; LEVELS]) {
        self.advance(now);
        self.levels = levels;
    }

    /// Integrates the current levels up to `now`, bucket by bucket.
    pub fn advance(&mut self, now: Time) {
        let mut t = self.last;
        while t < now {
            let i = self.index(t);
            let end = now.min(self.span(i).1);
            // The last bucket absorbs any time past the horizon rather than lose it.
            let end = if end <= t { now } else { end };
            let ms = (end - t).millis() as u128;
            for (area, &level) in self.buckets[i].areas.iter_mut().zip(&self.levels) {
                *area += level as u128 * ms;
            }
            t = end;
        }
        self.last = self.last.max(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_split_exactly_at_bucket_boundaries() {
        let mut s = Series::new(Time::from_secs(10), Time::from_secs(25));
        assert_eq!(s.buckets.len(), 3);
        s.set_levels(Time::from_secs(5), [2, 0, 0, 0]);
        s.set_levels(Time::from_secs(22), [1, 0, 0, 0]);
        s.advance(Time::from_secs(25));
        let areas: Vec<u128> = s.buckets.iter().map(|b| b.areas[0]).collect();
        // 2 over [5, 10), 2 over [10, 20), 2 over [20, 22) then 1 over [22, 25).
        assert_eq!(areas, [10_000, 20_000, 7_000]);
        assert_eq!(s.span(2), (Time::from_secs(20), Time::from_secs(25)));
    }

    #[test]
    fn counts_go_to_the_bucket_of_arrival() {
        let mut s = Series::new(Time::from_secs(10), Time::from_secs(30));
        s.count(Time::from_secs(9), |b| b.requests += 1);
        s.count(Time::from_secs(10), |b| b.requests += 1);
        s.count(Time::from_secs(30), |b| b.requests += 1);
        let r: Vec<u64> = s.buckets.iter().map(|b| b.requests).collect();
        assert_eq!(r, [1, 1, 1]);
    }
}
