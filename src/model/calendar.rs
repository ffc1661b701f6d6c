//! Calendar months for the monthly engagement limit.
//!
//! Simulated time 0 is Monday 1 January 2024, 00:00 UTC: a Monday that is also the first of a
//! month, so weekly schedules and monthly resets both line up with time 0.

use crate::engine::Time;

const DAY_MS: u64 = 86_400_000;

/// The start of each month from time 0 on, far enough to cover `horizon`.
pub fn month_starts(horizon: Time) -> Vec<Time> {
    let mut starts = vec![Time::ZERO];
    let (mut year, mut month) = (2024u32, 1u32);
    let mut at = 0u64;
    while at <= horizon.millis() {
        at += days_in(year, month) as u64 * DAY_MS;
        starts.push(Time(at));
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    starts
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_a_leap_year() {
        let s = month_starts(Time(400 * DAY_MS));
        let days: Vec<u64> = s
            .windows(2)
            .map(|w| (w[1].millis() - w[0].millis()) / DAY_MS)
            .collect();
        assert_eq!(
            &days[..13],
            &[31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]
        );
        assert!(s.last().unwrap().millis() > 400 * DAY_MS);
    }
}
