//! Visitor arrivals: a Poisson process whose rate is piecewise constant (hour of day, day of
//! week, surges), generated lazily one arrival at a time by inverting the integrated rate.

use crate::scenario::Arrivals;

const HOUR: f64 = 3600.0;
const DAY: f64 = 24.0 * HOUR;
const WEEK: f64 = 7.0 * DAY;

/// The arrival rate as a function of time, in visitors per second; time in seconds since
/// Monday 00:00 UTC.
#[derive(Clone, Debug)]
pub struct RateProfile {
    per_second: f64,
    hourly: [f64; 24],
    weekday: [f64; 7],
    /// (start, end, factor) in seconds.
    surges: Vec<(f64, f64, f64)>,
}

impl RateProfile {
    pub fn new(a: &Arrivals) -> RateProfile {
        RateProfile {
            per_second: a.per_hour / HOUR,
            hourly: a.hourly,
            weekday: a.weekday,
            surges: a
                .surges
                .iter()
                .map(|s| {
                    let start = s.start.as_secs_f64();
                    (start, start + s.length.as_secs_f64(), s.factor)
                })
                .collect(),
        }
    }

    pub fn rate_at(&self, t: f64) -> f64 {
        let in_week = t.rem_euclid(WEEK);
        let day = (in_week / DAY) as usize;
        let hour = ((in_week % DAY) / HOUR) as usize;
        let surge: f64 = self
            .surges
            .iter()
            .filter(|(s, e, _)| (*s..*e).contains(&t))
            .map(|(_, _, f)| f)
            .product();
        self.per_second * self.hourly[hour.min(23)] * self.weekday[day.min(6)] * surge
    }

    /// The first time after `t` at which the rate may change.
    fn next_change(&self, t: f64) -> f64 {
        let next_hour = ((t / HOUR).floor() + 1.0) * HOUR;
        self.surges
            .iter()
            .flat_map(|(s, e, _)| [*s, *e])
            .filter(|b| *b > t)
            .fold(next_hour, f64::min)
    }

    /// Expected visitors in `[from, to)`, exactly (sum over the constant pieces): what the
    /// tests hold the generated arrivals to.
    #[cfg(test)]
    fn expected(&self, mut from: f64, to: f64) -> f64 {
        let mut total = 0.0;
        while from < to {
            let end = self.next_change(from).min(to);
            total += self.rate_at(from) * (end - from);
            from = end;
        }
        total
    }
}

/// The arrival process of one replication: the profile and where it stands. Consecutive arrivals
/// in the same constant piece cost one multiply; the profile is consulted only at piece ends.
#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    profile: RateProfile,
    /// Seconds, in floating point so that inter-arrival times do not accumulate rounding.
    clock: f64,
    piece_end: f64,
    piece_rate: f64,
    /// Mean gap in the piece, `1 / piece_rate` (0 when the rate is).
    piece_gap: f64,
    until: f64,
}

impl ArrivalProcess {
    pub fn new(profile: RateProfile, until: f64) -> ArrivalProcess {
        ArrivalProcess {
            profile,
            clock: 0.0,
            piece_end: 0.0,
            piece_rate: 0.0,
            piece_gap: 0.0,
            until,
        }
    }

    /// The next arrival, given `need`, a draw from Exp(1): walks the constant pieces, spending
    /// the integrated rate until `need` is used up. `None` once it would fall after `until`.
    /// The usual case, an arrival within the current piece, is inlined; the walk is not.
    #[inline(always)]
    pub fn next(&mut self, need: f64) -> Option<f64> {
        if self.clock < self.piece_end && self.piece_rate > 0.0 {
            let t = self.clock + need * self.piece_gap;
            if t < self.piece_end {
                self.clock = t;
                return (t <= self.until).then_some(t);
            }
        }
        self.walk(need)
    }

    #[inline(never)]
    fn walk(&mut self, mut need: f64) -> Option<f64> {
        loop {
            if self.clock >= self.piece_end {
                if self.clock > self.until {
                    return None;
                }
                self.piece_rate = self.profile.rate_at(self.clock);
                self.piece_gap = if self.piece_rate > 0.0 {
                    1.0 / self.piece_rate
                } else {
                    0.0
                };
                self.piece_end = self.profile.next_change(self.clock);
            }
            if self.piece_rate > 0.0 {
                let dt = need * self.piece_gap;
                if self.clock + dt < self.piece_end {
                    self.clock += dt;
                    return (self.clock <= self.until).then_some(self.clock);
                }
                need -= self.piece_rate * (self.piece_end - self.clock);
            }
            self.clock = self.piece_end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Time;
    use crate::scenario::Surge;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;
    use rand_distr::{Distribution, Exp1};

    fn profile(per_hour: f64, surges: Vec<Surge>) -> RateProfile {
        let mut hourly = [1.0; 24];
        hourly[3] = 0.0;
        hourly[12] = 2.0;
        let mut weekday = [1.0; 7];
        weekday[6] = 0.5;
        RateProfile::new(&Arrivals {
            per_hour,
            hourly,
            weekday,
            surges,
            trace: None,
        })
    }

    #[test]
    fn rate_follows_hour_weekday_and_surges() {
        let surge = Surge {
            start: Time::from_secs(3600),
            length: Time::from_secs(1800),
            factor: 3.0,
        };
        let p = profile(3600.0, vec![surge]);
        assert_eq!(p.rate_at(0.0), 1.0);
        assert_eq!(p.rate_at(3600.0), 3.0);
        assert_eq!(p.rate_at(5400.0), 1.0);
        assert_eq!(p.rate_at(3.5 * HOUR), 0.0);
        assert_eq!(p.rate_at(12.5 * HOUR), 2.0);
        assert_eq!(p.rate_at(6.0 * DAY + 12.5 * HOUR), 1.0);
        assert_eq!(p.rate_at(WEEK + 12.5 * HOUR), 2.0);
        assert_eq!(p.next_change(10.0), 3600.0);
        assert_eq!(p.next_change(3600.0), 5400.0);
    }

    #[test]
    fn arrival_counts_match_the_integrated_rate() {
        let surge = Surge {
            start: Time::from_secs(DAY as u64),
            length: Time::from_secs(7200),
            factor: 4.0,
        };
        let p = profile(60.0, vec![surge]);
        let until = WEEK;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut process = ArrivalProcess::new(p.clone(), until);
        let mut n = 0u32;
        let mut in_dead_hour = 0;
        while let Some(t) = process.next(Exp1.sample(&mut rng)) {
            n += 1;
            if ((t % DAY) / HOUR) as u32 == 3 {
                in_dead_hour += 1;
            }
        }
        let expected = p.expected(0.0, until);
        // Poisson: the standard deviation is sqrt(expected); allow four of them.
        assert!(
            (n as f64 - expected).abs() < 4.0 * expected.sqrt(),
            "{n} vs {expected}"
        );
        assert_eq!(in_dead_hour, 0);
    }

    #[test]
    fn zero_rate_yields_no_arrival() {
        let mut process = ArrivalProcess::new(profile(0.0, vec![]), WEEK);
        assert_eq!(process.next(1.0), None);
    }
}
