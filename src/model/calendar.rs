//! Calendar months for the monthly engagement limit: UTC months from the simulation's start,
//! found one at a time as the run reaches them.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::engine::Time;

/// The months after the start, as simulated times.
#[derive(Clone, Debug)]
pub struct Months {
    start: Timestamp,
    /// The first day of the next month.
    next: Date,
    next_at: Time,
}

impl Months {
    pub fn new(start: Timestamp) -> Months {
        let day = start.to_zoned_datetime(TimeZone::UTC).date();
        let mut months = Months {
            start,
            next: day.first_of_month(),
            next_at: Time::ZERO,
        };
        months.advance();
        months
    }

    /// When the next month starts.
    pub fn next_start(&self) -> Time {
        self.next_at
    }

    /// Moves on to the month after the next one.
    pub fn advance(&mut self) {
        self.next = self
            .next
            .last_of_month()
            .tomorrow()
            .expect("the start's year is checked");
        let at = self
            .next
            .to_zoned_datetime(TimeZone::UTC)
            .expect("the start's year is checked")
            .timestamp();
        self.next_at = Time(at.duration_since(self.start).as_millis() as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: u64 = 86_400_000;

    fn month_lengths(start: &str, n: usize) -> (u64, Vec<u64>) {
        let mut m = Months::new(start.parse().unwrap());
        let first = m.next_start().millis();
        let mut lengths = Vec::new();
        for _ in 0..n {
            let before = m.next_start();
            m.advance();
            lengths.push((m.next_start().millis() - before.millis()) / DAY_MS);
        }
        (first, lengths)
    }

    #[test]
    fn months_of_a_leap_year() {
        let (first, days) = month_lengths("2024-01-01T00:00:00Z", 12);
        assert_eq!(first, 31 * DAY_MS);
        assert_eq!(&days, &[29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]);
    }

    #[test]
    fn the_first_month_ends_at_the_next_first_of_a_month() {
        // From 2024-03-18 the first month ends on 1 April, 14 days later.
        let (first, days) = month_lengths("2024-03-18T00:00:00Z", 2);
        assert_eq!(first, 14 * DAY_MS);
        assert_eq!(days, [30, 31]);
        // Months are UTC months: 22:00 UTC on 31 January is two hours before February.
        let (first, _) = month_lengths("2023-01-31T22:00:00Z", 1);
        assert_eq!(first, 2 * 3_600_000);
    }
}
