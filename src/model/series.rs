//! The run as a time series: what happened in each bucket of `[simulation] bucket`.
//!
//! Counts go in the bucket of the request's arrival, so that a bucket's requests and their
//! outcomes add up. Levels (agents online, busy slots, ...) are integrated exactly, split at
//! bucket boundaries: during the run each bucket keeps the changes made in it and their effect
//! up to its end, and the areas are summed up once at the end, so a change costs a few adds.
//! Memory is one row per bucket, whatever the traffic.

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

/// The level changes made in one bucket, and each change times the time left to the bucket's
/// end (in 64 bits: a sum of these is at most the peak level times the bucket's width, 10^6
/// slots over 10 years still fit). Side by side, so that a change touches one cache line.
#[derive(Clone, Copy, Debug, Default)]
struct Changes {
    steps: [i64; LEVELS],
    partial: [i64; LEVELS],
}

#[derive(Clone, Debug)]
pub struct Series {
    width: Time,
    horizon: Time,
    pub buckets: Vec<Bucket>,
    /// Per bucket, until [`Series::finish`] turns them into areas.
    changes: Vec<Changes>,
    /// The bucket level changes go to (time only moves forward) and its end.
    current: usize,
    current_end: Time,
}

impl Series {
    pub fn new(width: Time, horizon: Time) -> Series {
        let n = horizon.millis().div_ceil(width.millis().max(1)).max(1) as usize;
        let mut s = Series {
            width,
            horizon,
            buckets: vec![Bucket::default(); n],
            changes: vec![Changes::default(); n],
            current: 0,
            current_end: Time::ZERO,
        };
        s.current_end = s.span(0).1;
        s
    }

    /// Start and end of bucket `i`; the last one ends at the horizon.
    pub fn span(&self, i: usize) -> (Time, Time) {
        let start = self.width.millis().saturating_mul(i as u64);
        let end = start
            .saturating_add(self.width.millis())
            .min(self.horizon.millis());
        (Time(start), Time(end))
    }

    /// The bucket `now` falls in; times past the horizon go in the last one. Like
    /// [`Series::change`], it takes no time earlier than the last one given to either: the
    /// bucket is found by moving forward, which spares a division per visitor.
    #[inline]
    pub fn bucket_at(&mut self, now: Time) -> u32 {
        if now >= self.current_end {
            self.move_to(now);
        }
        self.current as u32
    }

    /// Updates the counts of bucket `bucket` (from [`Series::bucket_at`]).
    pub fn count(&mut self, bucket: u32, f: impl FnOnce(&mut Bucket)) {
        f(&mut self.buckets[bucket as usize]);
    }

    /// The levels change by `deltas` at `now`, which is no earlier than the last change and
    /// no later than the horizon. Always inlined, so that levels a caller never changes cost
    /// nothing: it runs twice per visitor.
    #[inline(always)]
    pub fn change(&mut self, now: Time, deltas: [i64; LEVELS]) {
        debug_assert!(now <= self.horizon, "a change after the horizon: {now}");
        if now >= self.current_end {
            self.move_to(now);
        }
        let left = self.current_end.millis() as i64 - now.millis() as i64;
        let c = &mut self.changes[self.current];
        for (k, d) in deltas.into_iter().enumerate() {
            c.steps[k] += d;
            c.partial[k] += d * left;
        }
    }

    /// Moves the current bucket up to the one `now` falls in (the last one at the horizon).
    #[cold]
    #[inline(never)]
    fn move_to(&mut self, now: Time) {
        while now >= self.current_end && self.current + 1 < self.buckets.len() {
            self.current += 1;
            self.current_end = self.span(self.current).1;
        }
    }

    /// Turns the changes into each bucket's areas; call once, at the end of the run.
    pub fn finish(&mut self) {
        let mut level = [0i64; LEVELS];
        for i in 0..self.buckets.len() {
            let (start, end) = self.span(i);
            let width = (end - start).millis() as i128;
            for (k, level) in level.iter_mut().enumerate() {
                self.buckets[i].areas[k] =
                    (*level as i128 * width + self.changes[i].partial[k] as i128) as u128;
                *level += self.changes[i].steps[k];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_split_exactly_at_bucket_boundaries() {
        let mut s = Series::new(Time::from_secs(10), Time::from_secs(25));
        assert_eq!(s.buckets.len(), 3);
        s.change(Time::from_secs(5), [2, 0, 0, 0]);
        s.change(Time::from_secs(22), [-1, 0, 0, 0]);
        s.finish();
        let areas: Vec<u128> = s.buckets.iter().map(|b| b.areas[0]).collect();
        // 2 over [5, 10), 2 over [10, 20), 2 over [20, 22) then 1 over [22, 25).
        assert_eq!(areas, [10_000, 20_000, 7_000]);
        assert_eq!(s.span(2), (Time::from_secs(20), Time::from_secs(25)));
    }

    #[test]
    fn counts_go_to_the_bucket_of_arrival() {
        let mut s = Series::new(Time::from_secs(10), Time::from_secs(30));
        for t in [9, 10, 30] {
            let b = s.bucket_at(Time::from_secs(t));
            s.count(b, |b| b.requests += 1);
        }
        let r: Vec<u64> = s.buckets.iter().map(|b| b.requests).collect();
        assert_eq!(r, [1, 1, 1]);
    }
}
