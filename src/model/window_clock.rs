//! A window's clock: the time spent inside a weekly window since the start. A tally kept on this
//! clock integrates levels only over the window's time (a level held from `t0` to `t1` adds its
//! value times the window's time between them), so every time-weighted figure of a windowed
//! tally is its figure over the window, with no change to how figures are read.

use jiff::Timestamp;

use crate::engine::Time;
use crate::model::Availability;
use crate::scenario::Schedule;

#[derive(Clone, Debug)]
pub struct WindowClock {
    open: Availability,
    inside: bool,
    /// The next instant the window opens or closes.
    next: Option<Time>,
    /// The last instant asked, and the window's time up to it.
    last: Time,
    elapsed: Time,
}

impl WindowClock {
    pub fn new(s: &Schedule, start: Timestamp) -> WindowClock {
        let mut open = Availability::new(s, start);
        let inside = open.online_at(Time::ZERO);
        let next = open.next_after(Time::ZERO);
        WindowClock {
            open,
            inside,
            next,
            last: Time::ZERO,
            elapsed: Time::ZERO,
        }
    }

    /// Whether `t` is inside the window; `t` is no earlier than the last instant asked.
    #[inline]
    pub fn inside(&mut self, t: Time) -> bool {
        self.advance(t);
        self.inside
    }

    /// The window's time from the start up to `t`, which is no earlier than the last instant
    /// asked.
    #[inline]
    pub fn at(&mut self, t: Time) -> Time {
        self.advance(t);
        if self.inside {
            self.elapsed += t - self.last;
        }
        self.last = t;
        self.elapsed
    }

    fn advance(&mut self, t: Time) {
        while let Some(next) = self.next.filter(|&n| n <= t) {
            if self.inside {
                self.elapsed += next - self.last;
            }
            self.last = self.last.max(next);
            self.inside = !self.inside;
            self.next = self.open.next_after(next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{DEFAULT_START, parse_window};

    #[test]
    fn counts_only_the_time_inside() {
        let w = parse_window("mon 09:00-17:00").unwrap();
        let mut c = WindowClock::new(&w.schedule, DEFAULT_START);
        let h = |n: u64| Time::from_secs(n * 3600);
        assert!(!c.inside(h(8)));
        assert_eq!(c.at(h(8)), Time::ZERO);
        assert_eq!(c.at(h(10)), h(1));
        assert!(c.inside(h(12)));
        assert_eq!(c.at(h(24)), h(8));
        // A week later the window has been open twice.
        assert_eq!(c.at(h(7 * 24 + 13)), h(12));
        assert!(!c.inside(h(7 * 24 + 17)));
    }
}
