//! When an agent is online: weekly schedules evaluated on the calendar from the simulation's
//! start.
//!
//! A schedule at a fixed offset is the same every week in UTC: its instants of change are
//! precomputed once, and the week is found from where the start falls in it (its phase; 0 for the
//! default start, a Monday 00:00 UTC). A schedule in a time zone with daylight saving repeats only
//! while the zone keeps one offset: between two of the zone's transitions it is the fixed-offset
//! schedule at that offset, and at a transition the agent's state changes when the local clock's
//! jump moves it into or out of a span. The model walks those pieces lazily, keeping only the
//! current one, so memory does not grow with the horizon.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::engine::Time;
use crate::scenario::{DEFAULT_START, Schedule, WEEK_SECS};

const WEEK_MS: u64 = WEEK_SECS as u64 * 1000;

/// Milliseconds from the Monday 00:00 UTC before `start` to `start`: where simulated time 0
/// falls in a UTC week.
pub fn week_phase(start: Timestamp) -> u64 {
    let secs = (start.as_second() - DEFAULT_START.as_second()).rem_euclid(WEEK_SECS as i64);
    secs as u64 * 1000
}

/// Whether UTC `spans` (seconds since Monday 00:00 UTC) hold simulated time `t`, with `phase`
/// from [`week_phase`].
fn in_spans(spans: &[(u32, u32)], phase: u64, t: Time) -> bool {
    let pos = (((t.millis() + phase) % WEEK_MS) / 1000) as u32;
    spans.iter().any(|&(a, b)| a <= pos && pos < b)
}

/// An agent's schedule on the simulation's calendar: whether the agent is on schedule at an
/// instant, and when that next changes.
#[derive(Clone, Debug)]
pub enum Availability {
    /// A fixed offset: the UTC week repeats.
    Weekly {
        spans: Vec<(u32, u32)>,
        phase: u64,
        changes: ShiftChanges,
    },
    /// A time zone with daylight saving.
    Zoned(Zoned),
}

impl Availability {
    pub fn new(s: &Schedule, start: Timestamp) -> Availability {
        let phase = week_phase(start);
        match &s.zone {
            None => Availability::Weekly {
                spans: s.spans.clone(),
                phase,
                changes: ShiftChanges::new(&s.spans, phase),
            },
            Some(tz) => Availability::Zoned(Zoned {
                schedule: s.clone(),
                tz: tz.clone(),
                start: start.as_second(),
                phase,
                piece: None,
            }),
        }
    }

    /// Whether the schedule has the agent online at `t`.
    pub fn online_at(&self, t: Time) -> bool {
        match self {
            Availability::Weekly { spans, phase, .. } => in_spans(spans, *phase, t),
            Availability::Zoned(z) => z.online_at(t),
        }
    }

    /// The first time after `t` at which the agent goes online or offline; `None` for an agent
    /// who is always online or never.
    pub fn next_after(&mut self, t: Time) -> Option<Time> {
        match self {
            Availability::Weekly { changes, .. } => changes.next_after(t),
            Availability::Zoned(z) => z.next_after(t),
        }
    }
}

/// The instants of the week at which an agent's online state flips, precomputed once per agent
/// so that scheduling the next shift change allocates nothing.
#[derive(Clone, Debug)]
pub struct ShiftChanges {
    /// Milliseconds since Monday 00:00 UTC, sorted.
    changes: Vec<u64>,
    /// Simulated time 0's place in the week, from [`week_phase`].
    phase: u64,
}

impl ShiftChanges {
    /// The changes of UTC `spans` (sorted, disjoint, within the week).
    pub fn new(spans: &[(u32, u32)], phase: u64) -> ShiftChanges {
        let week = WEEK_SECS;
        let online = |c: u32| spans.iter().any(|&(a, b)| a <= c && c < b);
        let mut changes: Vec<u64> = spans
            .iter()
            .flat_map(|&(a, b)| [a, b % week])
            .filter(|&c| online(c) != online((c + week - 1) % week))
            .map(|c| c as u64 * 1000)
            .collect();
        changes.sort_unstable();
        changes.dedup();
        ShiftChanges { changes, phase }
    }

    /// The first time after `t` at which the agent goes online or offline; `None` for an agent
    /// who is always online or never.
    pub fn next_after(&self, t: Time) -> Option<Time> {
        let shifted = t.millis() + self.phase;
        let pos = shifted % WEEK_MS;
        let week_start = shifted - pos;
        let next = match self.changes.iter().find(|&&c| c > pos) {
            Some(&c) => week_start + c,
            None => week_start + WEEK_MS + self.changes.first()?,
        };
        Some(Time(next - self.phase))
    }
}

/// A schedule in a time zone whose offset changes, with the stretch of constant offset the
/// last question fell in.
#[derive(Clone, Debug)]
pub struct Zoned {
    /// Spans in the zone's local time.
    schedule: Schedule,
    tz: TimeZone,
    /// The simulation's start, in seconds since 1970 UTC.
    start: i64,
    phase: u64,
    piece: Option<Piece>,
}

/// From `from` until `to` (simulated milliseconds; `u64::MAX` when the zone changes no more)
/// the zone keeps one offset, and the schedule is the fixed one at it.
#[derive(Clone, Debug)]
struct Piece {
    from: u64,
    to: u64,
    spans: Vec<(u32, u32)>,
    changes: ShiftChanges,
}

impl Zoned {
    /// The UTC instant of simulated time `t`, to the second below.
    fn instant(&self, t: Time) -> Timestamp {
        Timestamp::from_second(self.start + (t.millis() / 1000) as i64)
            .expect("the start and horizon are checked to stay within the calendar")
    }

    fn online_at(&self, t: Time) -> bool {
        let offset = self.tz.to_offset(self.instant(t)).seconds() as i64;
        let local = (t.millis() as i64 + (self.phase as i64 + offset * 1000))
            .rem_euclid(WEEK_MS as i64) as u64;
        let pos = (local / 1000) as u32;
        self.schedule
            .spans
            .iter()
            .any(|&(a, b)| a <= pos && pos < b)
    }

    /// The stretch of constant offset that holds `t`.
    fn piece(&mut self, t: Time) -> &Piece {
        let ms = t.millis();
        let current = self
            .piece
            .as_ref()
            .is_some_and(|p| p.from <= ms && ms < p.to);
        if !current {
            let at = self.instant(t);
            let offset = self.tz.to_offset(at).seconds() as i64;
            let to = self
                .tz
                .following(at)
                .map(|tr| tr.timestamp().as_second())
                .find(|&s| s > at.as_second())
                .map_or(u64::MAX, |s| (s - self.start) as u64 * 1000);
            let spans = self.schedule.spans_at_offset(offset);
            let changes = ShiftChanges::new(&spans, self.phase);
            self.piece = Some(Piece {
                from: ms,
                to,
                spans,
                changes,
            });
        }
        self.piece.as_ref().expect("set above")
    }

    fn next_after(&mut self, mut t: Time) -> Option<Time> {
        // Spans that are the whole week or nothing are never zoned (see the scenario's check),
        // so every piece's schedule changes within a week and this ends.
        loop {
            let phase = self.phase;
            let piece = self.piece(t);
            let next = piece.changes.next_after(t)?;
            if next.millis() < piece.to {
                return Some(next);
            }
            // The zone's offset changes at `to`: the state changes there if the jump of the
            // local clock moves it into or out of a span.
            let to = Time(piece.to);
            let before = in_spans(&piece.spans, phase, Time(piece.to - 1));
            let after = self.piece(to);
            if in_spans(&after.spans, phase, to) != before {
                return Some(to);
            }
            t = to;
        }
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
            zone: None,
        }
    }

    fn online_at(s: &Schedule, t: Time) -> bool {
        Availability::new(s, DEFAULT_START).online_at(t)
    }

    fn changes(s: &Schedule) -> ShiftChanges {
        ShiftChanges::new(&s.spans, 0)
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
            changes(&s).next_after(Time::ZERO),
            Some(Time::from_secs(9 * 3600))
        );
        assert_eq!(
            changes(&s).next_after(Time::from_secs(9 * 3600)),
            Some(Time::from_secs(17 * 3600))
        );
        let friday_evening = Time::from_secs(4 * 86400 + 17 * 3600);
        assert_eq!(
            changes(&s).next_after(friday_evening),
            Some(Time::from_secs(7 * 86400 + 9 * 3600))
        );
    }

    #[test]
    fn always_online_never_changes() {
        assert_eq!(changes(&Schedule::always()).next_after(Time(12345)), None);
        assert_eq!(
            changes(&Schedule {
                spans: vec![],
                zone: None
            })
            .next_after(Time(12345)),
            None
        );
    }

    #[test]
    fn a_span_over_the_week_end_is_one_shift() {
        // Sunday 22:00 to Monday 06:00, split at the wrap.
        let s = Schedule {
            spans: vec![(0, 6 * H), (6 * D + 22 * H, WEEK_SECS)],
            zone: None,
        };
        assert_eq!(
            changes(&s).next_after(Time::from_secs(3600)),
            Some(Time::from_secs(6 * 3600))
        );
        let sunday_23 = Time::from_secs((6 * D + 23 * H) as u64);
        assert_eq!(
            changes(&s).next_after(sunday_23),
            Some(Time::from_secs((WEEK_SECS + 6 * H) as u64))
        );
        assert!(online_at(&s, sunday_23));
    }

    #[test]
    fn a_span_ending_at_the_week_end_goes_offline_on_monday() {
        let s = Schedule {
            spans: vec![(6 * D, WEEK_SECS)],
            zone: None,
        };
        let sunday_noon = Time::from_secs((6 * D + 12 * H) as u64);
        assert_eq!(
            changes(&s).next_after(sunday_noon),
            Some(Time::from_secs(WEEK_SECS as u64))
        );
    }

    fn zoned(entries: &[&str], zone: &str) -> Schedule {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        let mut s = crate::scenario::weekly_schedule(&entries, 0).unwrap();
        s.zone = Some(crate::scenario::time_zone_database().get(zone).unwrap());
        s
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    /// The instants (UTC) of the first `n` changes from `start`, and the state after each.
    fn changes_from(s: &Schedule, start: &str, n: usize) -> Vec<(String, bool)> {
        let start = at(start);
        let mut a = Availability::new(s, start);
        let mut t = Time::ZERO;
        (0..n)
            .map(|_| {
                t = a.next_after(t).unwrap();
                let when = start
                    .checked_add(jiff::SignedDuration::from_millis(t.millis() as i64))
                    .unwrap();
                (when.to_string(), a.online_at(t))
            })
            .collect()
    }

    #[test]
    fn berlin_office_hours_move_by_an_hour_in_utc_when_summer_time_starts() {
        // Daylight saving starts on Sunday 31 March 2024, 01:00 UTC.
        let s = zoned(&["mon-fri 09:00-17:00"], "Europe/Berlin");
        let c = changes_from(&s, "2024-03-18T00:00:00Z", 30);
        let days: Vec<String> = (18..=22)
            .chain(25..=29)
            .map(|d| format!("2024-03-{d}"))
            .collect();
        for (k, day) in days.iter().enumerate() {
            assert_eq!(c[2 * k], (format!("{day}T08:00:00Z"), true));
            assert_eq!(c[2 * k + 1], (format!("{day}T16:00:00Z"), false));
        }
        let days = [
            "2024-04-01",
            "2024-04-02",
            "2024-04-03",
            "2024-04-04",
            "2024-04-05",
        ];
        for (k, day) in days.iter().enumerate() {
            assert_eq!(c[20 + 2 * k], (format!("{day}T07:00:00Z"), true));
            assert_eq!(c[21 + 2 * k], (format!("{day}T15:00:00Z"), false));
        }
        let a = Availability::new(&s, at("2024-03-18T00:00:00Z"));
        let hour = |d: u64, h: u64| Time::from_secs(d * 86_400 + h * 3600);
        assert!(!a.online_at(hour(0, 7)) && a.online_at(hour(0, 8)) && !a.online_at(hour(0, 16)));
        assert!(a.online_at(hour(14, 7)) && !a.online_at(hour(14, 15)));
        assert!(!a.online_at(hour(13, 12)), "Sunday");
    }

    #[test]
    fn the_clocks_jump_moves_shifts_over_it() {
        // Berlin, Sunday 31 March 2024: 02:00 CET becomes 03:00 CEST at 01:00 UTC. A shift
        // from 01:00 to 04:00 local lasts two hours; one from 02:00 to 02:30 does not happen.
        let s = zoned(&["sun 01:00-04:00"], "Europe/Berlin");
        let c = changes_from(&s, "2024-03-25T00:00:00Z", 4);
        assert_eq!(c[0], ("2024-03-31T00:00:00Z".into(), true));
        assert_eq!(c[1], ("2024-03-31T02:00:00Z".into(), false));
        assert_eq!(c[2], ("2024-04-06T23:00:00Z".into(), true));
        let s = zoned(&["sun 02:00-02:30"], "Europe/Berlin");
        let c = changes_from(&s, "2024-03-25T00:00:00Z", 2);
        assert_eq!(c[0], ("2024-04-07T00:00:00Z".into(), true));
        assert_eq!(c[1], ("2024-04-07T00:30:00Z".into(), false));
        // Sunday 27 October 2024: 03:00 CEST becomes 02:00 CET at 01:00 UTC, so the local half
        // hour from 02:00 comes twice.
        let c = changes_from(&s, "2024-10-21T00:00:00Z", 4);
        assert_eq!(c[0], ("2024-10-27T00:00:00Z".into(), true));
        assert_eq!(c[1], ("2024-10-27T00:30:00Z".into(), false));
        assert_eq!(c[2], ("2024-10-27T01:00:00Z".into(), true));
        assert_eq!(c[3], ("2024-10-27T01:30:00Z".into(), false));
        // A shift over the change: Saturday 22:00 to Sunday 06:00 local, 9 hours in UTC.
        let s = zoned(&["sat 22:00-06:00"], "Europe/Berlin");
        let c = changes_from(&s, "2024-10-21T00:00:00Z", 2);
        assert_eq!(c[0], ("2024-10-26T20:00:00Z".into(), true));
        assert_eq!(c[1], ("2024-10-27T05:00:00Z".into(), false));
    }

    #[test]
    fn zoned_changes_agree_with_the_state_at_every_instant() {
        // Zones with a one-hour and a half-hour change, north and south, over a year of
        // quarter hours: between two reported changes the state is constant, and it differs
        // across each.
        for (zone, entries) in [
            (
                "Europe/Berlin",
                vec!["mon-fri 09:00-17:00", "sat 01:30-02:30"],
            ),
            ("America/New_York", vec!["daily 22:00-02:15"]),
            (
                "Australia/Lord_Howe",
                vec!["sun 01:00-03:00", "weekdays 08:00-18:00"],
            ),
        ] {
            let s = zoned(&entries, zone);
            let mut a = Availability::new(&s, at("2024-01-03T05:00:00Z"));
            let mut t = Time::ZERO;
            let mut state = a.online_at(t);
            let mut next = a.next_after(t).unwrap();
            while t.millis() < 366 * 86_400_000 {
                let step = Time(t.millis() + 900_000);
                while next <= step {
                    let before = a.online_at(Time(next.millis() - 1));
                    let after = a.online_at(next);
                    assert_eq!(before, state, "{zone} before {next:?}");
                    assert_ne!(before, after, "{zone}: no change at {next:?}");
                    state = after;
                    next = a.next_after(next).unwrap();
                }
                t = step;
                assert_eq!(a.online_at(t), state, "{zone} at {t:?}");
            }
        }
    }

    #[test]
    fn a_start_midweek_finds_its_place_in_the_week() {
        // Wednesday 2024-03-27 12:00 UTC: the next Monday 09:00 UTC is 4 days 21 hours on.
        let s = Schedule {
            spans: vec![(9 * H, 17 * H)],
            zone: None,
        };
        let mut a = Availability::new(&s, at("2024-03-27T12:00:00Z"));
        assert_eq!(
            a.next_after(Time::ZERO),
            Some(Time::from_secs((4 * D + 21 * H) as u64))
        );
        assert!(!a.online_at(Time::ZERO));
        assert!(a.online_at(Time::from_secs((4 * D + 21 * H) as u64)));
        assert_eq!(
            week_phase(at("2024-03-27T12:00:00Z")),
            (2 * D + 12 * H) as u64 * 1000
        );
        assert_eq!(week_phase(DEFAULT_START), 0);
        assert_eq!(
            week_phase(at("2023-12-31T23:00:00Z")),
            (7 * D - H) as u64 * 1000
        );
    }
}
