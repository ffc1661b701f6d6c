//! Visitor arrivals: a Poisson process whose rate is piecewise constant (hour of day, day of
//! week, surges), generated lazily one arrival at a time by inverting the integrated rate.
//! Several sources are one process whose rate is the sum of theirs (the superposition of
//! independent Poisson processes is one), each arrival belonging to a source with the share of
//! the total rate that source has at the time.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::scenario::{Clock, DEFAULT_START, Source};

const HOUR: f64 = 3600.0;
const DAY: f64 = 24.0 * HOUR;
const WEEK: f64 = 7.0 * DAY;

/// The arrival rate as a function of time, in visitors per second; time in seconds since the
/// simulation's start.
#[derive(Clone, Debug)]
pub struct RateProfile {
    per_second: f64,
    hourly: [f64; 24],
    weekday: [f64; 7],
    /// (start, end, factor) in seconds.
    surges: Vec<(f64, f64, f64)>,
    clock: ProfileClock,
}

/// How simulated seconds map to the profile's hour of day and day of week.
#[derive(Clone, Debug)]
enum ProfileClock {
    /// A fixed offset: local time is simulated time plus `phase`, the seconds from a local
    /// Monday 00:00 to the start (0 for the default start in UTC).
    Fixed { phase: f64 },
    /// A time zone whose offset changes; `start` in seconds since 1970 UTC.
    Zone { tz: TimeZone, start: i64 },
}

impl RateProfile {
    /// The profile of `a` on the calendar from `start`.
    pub fn new(a: &Source, start: Timestamp) -> RateProfile {
        let clock = match &a.clock {
            Clock::Offset(offset) => ProfileClock::Fixed {
                phase: (start.as_second() + offset - DEFAULT_START.as_second())
                    .rem_euclid(WEEK as i64) as f64,
            },
            Clock::Zone(tz) => ProfileClock::Zone {
                tz: tz.clone(),
                start: start.as_second(),
            },
        };
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
            clock,
        }
    }

    /// The day of the week (Monday 0) and the hour of the day at `t`, in local time.
    fn day_and_hour(&self, t: f64) -> (usize, usize) {
        match &self.clock {
            ProfileClock::Fixed { phase } => {
                let in_week = (t + phase).rem_euclid(WEEK);
                ((in_week / DAY) as usize, ((in_week % DAY) / HOUR) as usize)
            }
            ProfileClock::Zone { tz, start } => {
                let local = tz.to_datetime(instant(*start, t));
                (
                    local.weekday().to_monday_zero_offset() as usize,
                    local.hour() as usize,
                )
            }
        }
    }

    pub fn rate_at(&self, t: f64) -> f64 {
        let (day, hour) = self.day_and_hour(t);
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
        let next_hour = match &self.clock {
            // The phase is whole seconds, so this is exact at hour ends and always after `t`.
            ProfileClock::Fixed { phase } => (((t + phase) / HOUR).floor() + 1.0) * HOUR - phase,
            ProfileClock::Zone { tz, start } => {
                // The next whole local hour at the offset in force, or the zone's next
                // transition if it comes first.
                let at = instant(*start, t);
                let s = at.as_second();
                let local = s + tz.to_offset(at).seconds() as i64;
                let hour_ends = s + 3600 - local.rem_euclid(3600);
                let transition = tz
                    .following(at)
                    .map(|tr| tr.timestamp().as_second())
                    .find(|&x| x > s)
                    .unwrap_or(i64::MAX);
                (hour_ends.min(transition) - start) as f64
            }
        };
        self.surges
            .iter()
            .flat_map(|(s, e, _)| [*s, *e])
            .filter(|b| *b > t)
            .fold(next_hour, f64::min)
    }
}

/// The UTC instant `t` simulated seconds after `start`, to the second below.
fn instant(start: i64, t: f64) -> Timestamp {
    Timestamp::from_second(start + t.floor() as i64)
        .expect("the start and horizon are checked to stay within the calendar")
}

impl RateProfile {
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

/// The arrival process of one replication: the sources' profiles and where it stands.
/// Consecutive arrivals in the same constant piece cost one multiply; the profiles are consulted
/// only at piece ends.
#[derive(Clone, Debug)]
pub struct ArrivalProcess {
    profiles: Vec<RateProfile>,
    /// Seconds, in floating point so that inter-arrival times do not accumulate rounding.
    clock: f64,
    piece_end: f64,
    /// The sources' rates together.
    piece_rate: f64,
    /// Mean gap in the piece, `1 / piece_rate` (0 when the rate is).
    piece_gap: f64,
    /// With several sources, the upper ends of each one's slice of [0, 1) in the piece: its
    /// share of `piece_rate`, added up. Empty with one source.
    piece_shares: Vec<f64>,
    until: f64,
}

impl ArrivalProcess {
    /// The superposition of `profiles` (at least one) up to `until`.
    pub fn new(profiles: Vec<RateProfile>, until: f64) -> ArrivalProcess {
        assert!(!profiles.is_empty(), "a scenario has at least one source");
        ArrivalProcess {
            piece_shares: if profiles.len() > 1 {
                vec![0.0; profiles.len()]
            } else {
                Vec::new()
            },
            profiles,
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

    /// The source of the arrival [`ArrivalProcess::next`] returned last, from `u`, uniform on
    /// [0, 1): the source whose slice of the piece holds `u`, and `u` rescaled within that
    /// slice, again uniform on [0, 1) and independent of the source, for the visitor's later
    /// choices. With one source, that source and `u` itself.
    #[inline]
    pub fn source(&self, u: f64) -> (usize, f64) {
        if self.piece_shares.is_empty() {
            return (0, u);
        }
        let last = self.piece_shares.len() - 1;
        let k = self
            .piece_shares
            .iter()
            .position(|&end| u < end)
            .unwrap_or(last);
        let lo = if k == 0 {
            0.0
        } else {
            self.piece_shares[k - 1]
        };
        let hi = self.piece_shares[k];
        let within = if hi > lo { (u - lo) / (hi - lo) } else { 0.0 };
        (k, within.clamp(0.0, 1.0 - f64::EPSILON / 2.0))
    }

    #[inline(never)]
    fn walk(&mut self, mut need: f64) -> Option<f64> {
        loop {
            if self.clock >= self.piece_end {
                if self.clock > self.until {
                    return None;
                }
                self.start_piece();
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

    /// The rate and end of the constant piece from `clock`: with several sources, their rates
    /// added up and the first change of any.
    fn start_piece(&mut self) {
        let t = self.clock;
        if let [profile] = self.profiles.as_slice() {
            self.piece_rate = profile.rate_at(t);
            self.piece_end = profile.next_change(t);
        } else {
            let mut total = 0.0;
            let mut end = f64::INFINITY;
            for (p, share) in self.profiles.iter().zip(&mut self.piece_shares) {
                total += p.rate_at(t);
                *share = total;
                end = end.min(p.next_change(t));
            }
            for share in &mut self.piece_shares {
                *share = if total > 0.0 { *share / total } else { 1.0 };
            }
            if let Some(last) = self.piece_shares.last_mut() {
                // Rounding must not leave a sliver past the last source.
                *last = 1.0;
            }
            self.piece_rate = total;
            self.piece_end = end;
        }
        self.piece_gap = if self.piece_rate > 0.0 {
            1.0 / self.piece_rate
        } else {
            0.0
        };
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
        profile_on(
            per_hour,
            hourly,
            weekday,
            surges,
            Clock::Offset(0),
            DEFAULT_START,
        )
    }

    fn profile_on(
        per_hour: f64,
        hourly: [f64; 24],
        weekday: [f64; 7],
        surges: Vec<Surge>,
        clock: Clock,
        start: Timestamp,
    ) -> RateProfile {
        let a = Source {
            name: String::new(),
            per_hour,
            hourly,
            weekday,
            surges,
            clock,
            attributes: Vec::new(),
            streams: None,
        };
        RateProfile::new(&a, start)
    }

    fn zone(name: &str) -> Clock {
        Clock::Zone(crate::scenario::time_zone_database().get(name).unwrap())
    }

    #[test]
    fn a_start_midweek_and_midday_reads_the_profile_on_the_calendar() {
        // Wednesday 2024-03-27, 10:30 UTC: Wednesday's multiplier and hour 10's apply at once.
        let mut hourly = [1.0; 24];
        hourly[10] = 3.0;
        let mut weekday = [1.0; 7];
        weekday[2] = 5.0;
        let start = "2024-03-27T10:30:00Z".parse().unwrap();
        let p = profile_on(3600.0, hourly, weekday, vec![], Clock::Offset(0), start);
        assert_eq!(p.rate_at(0.0), 15.0);
        assert_eq!(p.next_change(0.0), 1800.0);
        assert_eq!(p.rate_at(1800.0), 5.0);
        // Thursday 10:00 UTC.
        assert_eq!(p.rate_at(DAY - 1800.0), 3.0);
        // At a fixed offset of +01:00, hour 10 local is 09:00 UTC.
        let p = profile_on(3600.0, hourly, weekday, vec![], Clock::Offset(3600), start);
        assert_eq!(p.rate_at(0.0), 5.0);
        assert_eq!(p.rate_at(DAY - 5400.0), 3.0);
    }

    #[test]
    fn a_time_zone_moves_the_profile_with_daylight_saving() {
        // Berlin's hour 9 local: 08:00 UTC before Sunday 31 March 2024, 07:00 UTC after.
        let mut hourly = [1.0; 24];
        hourly[9] = 2.0;
        let start: Timestamp = "2024-03-25T00:00:00Z".parse().unwrap();
        let p = profile_on(
            3600.0,
            hourly,
            [1.0; 7],
            vec![],
            zone("Europe/Berlin"),
            start,
        );
        assert_eq!(p.rate_at(8.0 * HOUR), 2.0);
        assert_eq!(p.rate_at(7.5 * HOUR), 1.0);
        assert_eq!(p.rate_at(WEEK + 7.0 * HOUR), 2.0);
        assert_eq!(p.rate_at(WEEK + 8.0 * HOUR), 1.0);
        // The pieces end at each local hour and at the change of offset.
        assert_eq!(p.next_change(6.0 * DAY + 10.0), 6.0 * DAY + HOUR);
        // India is at +05:30: its hours end at half past UTC hours.
        let p = profile_on(
            3600.0,
            hourly,
            [1.0; 7],
            vec![],
            zone("Asia/Kolkata"),
            start,
        );
        assert_eq!(p.next_change(600.0), 1800.0);
        assert_eq!(p.rate_at(3.5 * HOUR), 2.0);
        // A local Sunday without visitors in New York, from a Friday noon UTC start.
        let mut weekday = [1.0; 7];
        weekday[6] = 0.0;
        let start: Timestamp = "2024-11-01T12:00:00Z".parse().unwrap();
        let p = profile_on(
            60.0,
            [1.0; 24],
            weekday,
            vec![],
            zone("America/New_York"),
            start,
        );
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut process = ArrivalProcess::new(vec![p.clone()], 2.0 * WEEK);
        let (mut n, mut on_sunday) = (0u32, 0u32);
        let tz = crate::scenario::time_zone_database()
            .get("America/New_York")
            .unwrap();
        while let Some(t) = process.next(Exp1.sample(&mut rng)) {
            n += 1;
            let local = tz.to_datetime(instant(start.as_second(), t));
            if local.weekday() == jiff::civil::Weekday::Sunday {
                on_sunday += 1;
            }
        }
        assert_eq!(on_sunday, 0);
        // Two local Sundays are missing, one of them 25 hours long (3 November, clocks back).
        let expected = p.expected(0.0, 2.0 * WEEK);
        assert_eq!(expected, 60.0 * (14.0 * 24.0 - 49.0));
        assert!(
            (n as f64 - expected).abs() < 4.0 * expected.sqrt(),
            "{n} vs {expected}"
        );
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
        let mut process = ArrivalProcess::new(vec![p.clone()], until);
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
    fn several_sources_arrive_as_their_superposition_each_in_its_own_hours() {
        // Tokyo's 09:00-17:00 is 00:00-08:00 UTC; New York's is 14:00-22:00 UTC until the
        // clocks go forward on Sunday 10 March 2024, 13:00-21:00 UTC after.
        let mut office = [0.0; 24];
        office[9..17].fill(1.0);
        let start: Timestamp = "2024-03-04T00:00:00Z".parse().unwrap();
        let on = |per_hour, zone_name| {
            profile_on(per_hour, office, [1.0; 7], vec![], zone(zone_name), start)
        };
        let profiles = vec![on(30.0, "Asia/Tokyo"), on(50.0, "America/New_York")];
        let until = 2.0 * WEEK;
        // Each is open 8 hours on each of the 14 local days from 4 March to 17 March.
        assert_eq!(profiles[0].expected(0.0, until), 30.0 * 8.0 * 14.0);
        assert_eq!(profiles[1].expected(0.0, until), 50.0 * 8.0 * 14.0);
        let mut process = ArrivalProcess::new(profiles.clone(), until);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut counts = [0u32; 2];
        let mut rescaled = 0.0;
        while let Some(t) = process.next(Exp1.sample(&mut rng)) {
            let (k, u) = process.source(rand::RngExt::random(&mut rng));
            assert!((0.0..1.0).contains(&u));
            rescaled += u;
            counts[k] += 1;
            // A visitor of a source arrives only while that source's rate is not zero.
            assert!(profiles[k].rate_at(t) > 0.0, "source {k} at {t}");
            assert_eq!(profiles[1 - k].rate_at(t), 0.0, "source {k} at {t}");
        }
        for (k, n) in counts.into_iter().enumerate() {
            let expected = profiles[k].expected(0.0, until);
            assert!(
                (n as f64 - expected).abs() < 4.0 * expected.sqrt(),
                "source {k}: {n} vs {expected}"
            );
        }
        // The rescaled draw stays uniform: its mean is 1/2 within four standard errors.
        let n = (counts[0] + counts[1]) as f64;
        assert!((rescaled / n - 0.5).abs() < 4.0 * (1.0 / 12.0 / n).sqrt());
    }

    #[test]
    fn overlapping_sources_share_each_arrival_by_their_rates() {
        let p = |per_hour| {
            profile_on(
                per_hour,
                [1.0; 24],
                [1.0; 7],
                vec![],
                Clock::Offset(0),
                DEFAULT_START,
            )
        };
        let mut process = ArrivalProcess::new(vec![p(10.0), p(0.0), p(30.0)], DAY);
        assert_eq!(process.next(1.0), Some(90.0));
        // Slices [0, 1/4), an empty one, [1/4, 1), each rescaled to [0, 1).
        assert_eq!(process.source(0.0), (0, 0.0));
        assert_eq!(process.source(0.125), (0, 0.5));
        assert_eq!(process.source(0.25), (2, 0.0));
        assert_eq!(process.source(0.625), (2, 0.5));
        // One source: itself and the draw unchanged.
        let mut one = ArrivalProcess::new(vec![p(40.0)], DAY);
        assert_eq!(one.next(1.0), Some(90.0));
        assert_eq!(one.source(0.3), (0, 0.3));
    }

    #[test]
    fn zero_rate_yields_no_arrival() {
        let mut process = ArrivalProcess::new(vec![profile(0.0, vec![])], WEEK);
        assert_eq!(process.next(1.0), None);
    }
}
