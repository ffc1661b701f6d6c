//! When an agent is online: weekly schedules evaluated at simulated times.
//!
//! Simulated time 0 is a Monday 00:00 UTC, so a schedule's seconds-of-week line up with it.

use crate::engine::Time;
use crate::scenario::{Schedule, WEEK_SECS};

const WEEK_MS: u64 = WEEK_SECS as u64 * 1000;

pub fn online_at(s: &Schedule, t: Time) -> bool {
    let pos = ((t.millis() % WEEK_MS) / 1000) as u32;
    s.spans.iter().any(|&(a, b)| a <= pos && pos < b)
}

/// The instants of the week at which an agent's online state flips, precomputed once per agent
/// so that scheduling the next shift change allocates nothing.
#[derive(Clone, Debug)]
pub struct ShiftChanges {
    /// Milliseconds since Monday 00:00 UTC, sorted.
    changes: Vec<u64>,
}

impl ShiftChanges {
    pub fn new(s: &Schedule) -> ShiftChanges {
        let week = WEEK_SECS;
        let online = |c: u32| s.spans.iter().any(|&(a, b)| a <= c && c < b);
        let mut changes: Vec<u64> = s
            .spans
            .iter()
            .flat_map(|&(a, b)| [a, b % week])
            .filter(|&c| online(c) != online((c + week - 1) % week))
            .map(|c| c as u64 * 1000)
            .collect();
        changes.sort_unstable();
        changes.dedup();
        ShiftChanges { changes }
    }

    /// The first time after `t` at which the agent goes online or offline; `None` for an agent
    /// who is always online or never.
    pub fn next_after(&self, t: Time) -> Option<Time> {
        let pos = t.millis() % WEEK_MS;
        let week_start = t.millis() - pos;
        let next = match self.changes.iter().find(|&&c| c > pos) {
            Some(&c) => week_start + c,
            None => week_start + WEEK_MS + self.changes.first()?,
        };
        Some(Time(next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u32 = 3600;
    const D: u32 = 24 * H;

    fn weekdays_9_to_17() -> Schedule {
        Schedule {
            spans: (0..5).map(|d| (d * D + 9 * H, d * D + 17 * H)).collect(),
        }
    }

    #[test]
    fn online_inside_spans_only() {
        let s = weekdays_9_to_17();
        assert!(!online_at(&s, Time::from_secs(8 * 3600)));
        assert!(online_at(&s, Time::from_secs(9 * 3600)));
        assert!(!online_at(&s, Time::from_secs(17 * 3600)));
        assert!(!online_at(&s, Time::from_secs(5 * 86400 + 10 * 3600)));
        assert!(online_at(&s, Time::from_secs(7 * 86400 + 10 * 3600)));
    }

    #[test]
    fn next_change_walks_the_week_and_wraps() {
        let s = weekdays_9_to_17();
        assert_eq!(
            ShiftChanges::new(&s).next_after(Time::ZERO),
            Some(Time::from_secs(9 * 3600))
        );
        assert_eq!(
            ShiftChanges::new(&s).next_after(Time::from_secs(9 * 3600)),
            Some(Time::from_secs(17 * 3600))
        );
        let friday_evening = Time::from_secs(4 * 86400 + 17 * 3600);
        assert_eq!(
            ShiftChanges::new(&s).next_after(friday_evening),
            Some(Time::from_secs(7 * 86400 + 9 * 3600))
        );
    }

    #[test]
    fn always_online_never_changes() {
        assert_eq!(
            ShiftChanges::new(&Schedule::always()).next_after(Time(12345)),
            None
        );
        assert_eq!(
            ShiftChanges::new(&Schedule { spans: vec![] }).next_after(Time(12345)),
            None
        );
    }

    #[test]
    fn a_span_over_the_week_end_is_one_shift() {
        // Sunday 22:00 to Monday 06:00, split at the wrap.
        let s = Schedule {
            spans: vec![(0, 6 * H), (6 * D + 22 * H, WEEK_SECS)],
        };
        assert_eq!(
            ShiftChanges::new(&s).next_after(Time::from_secs(3600)),
            Some(Time::from_secs(6 * 3600))
        );
        let sunday_23 = Time::from_secs((6 * D + 23 * H) as u64);
        assert_eq!(
            ShiftChanges::new(&s).next_after(sunday_23),
            Some(Time::from_secs((WEEK_SECS + 6 * H) as u64))
        );
        assert!(online_at(&s, sunday_23));
    }

    #[test]
    fn a_span_ending_at_the_week_end_goes_offline_on_monday() {
        let s = Schedule {
            spans: vec![(6 * D, WEEK_SECS)],
        };
        let sunday_noon = Time::from_secs((6 * D + 12 * H) as u64);
        assert_eq!(
            ShiftChanges::new(&s).next_after(sunday_noon),
            Some(Time::from_secs(WEEK_SECS as u64))
        );
    }
}
