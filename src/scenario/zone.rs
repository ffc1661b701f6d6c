//! The calendar a scenario runs on: when simulated time 0 is (`[simulation] start`) and the IANA
//! time zones that schedules and the arrival profile may be written in. Both come from jiff and
//! the time-zone database compiled into chatsim, so that results do not depend on the machine's
//! own zone files.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};

/// The default start: Monday 1 January 2024, 00:00 UTC.
pub const DEFAULT_START: Timestamp = Timestamp::constant(1_704_067_200, 0);

pub const START_FORM: &str = r#"expected a date like "2024-03-25" (00:00 UTC) or a date-time with a UTC offset like "2024-03-30T22:00:00Z" or "2024-03-30T23:00:00+01:00""#;

/// The earliest and latest starts: a century of horizon after the latest stays within the
/// calendar jiff knows.
const FIRST_YEAR: i16 = 1900;
const LAST_YEAR: i16 = 2999;

/// The time-zone database compiled into chatsim, never the machine's: a run gives the same
/// results wherever it runs.
pub fn database() -> &'static TimeZoneDatabase {
    static DB: OnceLock<TimeZoneDatabase> = OnceLock::new();
    DB.get_or_init(TimeZoneDatabase::bundled)
}

/// `[simulation] start`: a date (midnight UTC) or a date-time with `Z` or an offset, in whole
/// seconds.
pub fn parse_start(text: &str) -> Result<Timestamp, String> {
    let t = text.trim();
    let bad = |why: &str| format!("{START_FORM}, got {text:?} ({why})");
    let is_date = t.len() == 10 && !t.contains(['T', 't', ' ']);
    let start = if is_date {
        let date: Date = t.parse().map_err(|e| bad(&format!("{e}")))?;
        date.to_zoned_datetime(TimeZone::UTC)
            .map_err(|e| bad(&format!("{e}")))?
            .timestamp()
    } else {
        t.parse::<Timestamp>().map_err(|e| {
            let has_offset = t.ends_with(['Z', 'z'])
                || t.get(10..).is_some_and(|rest| rest.contains(['+', '-']));
            if has_offset {
                bad(&format!("{e}"))
            } else {
                bad("a date-time needs Z or a UTC offset, like 2024-03-30T22:00:00Z")
            }
        })?
    };
    if start.subsec_nanosecond() != 0 {
        return Err(bad("give whole seconds"));
    }
    let year = start.to_zoned_datetime(TimeZone::UTC).year();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Err(bad(&format!(
            "expected a year from {FIRST_YEAR} to {LAST_YEAR}"
        )));
    }
    Ok(start)
}

/// An IANA time zone by name (`"Europe/Berlin"`, any ASCII case); an unknown name gets the
/// closest known one when one is close.
pub fn time_zone(name: &str) -> Result<TimeZone, String> {
    if let Ok(tz) = database().get(name.trim()) {
        return Ok(tz);
    }
    let shown = super::paths::excerpt(name);
    let wanted = name.trim().to_ascii_lowercase();
    let closest = database()
        .available()
        .map(|n| {
            let n = n.as_str().to_string();
            (strsim::jaro_winkler(&wanted, &n.to_ascii_lowercase()), n)
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, n)| format!(" (did you mean {n:?}?)"))
        .unwrap_or_default();
    Err(format!(
        "unknown time zone {shown}{closest}: expected an IANA time zone name like \
         \"Europe/Berlin\", \"America/New_York\" or \"UTC\""
    ))
}

/// The zone's offset from UTC in seconds when it never changes (`"UTC"`, `"Etc/GMT-3"`), so that
/// it can take the fixed-offset path.
pub fn fixed_offset(tz: &TimeZone) -> Option<i64> {
    if let Ok(o) = tz.to_fixed_offset() {
        return Some(o.seconds() as i64);
    }
    let changes = tz.following(Timestamp::MIN).next().is_some()
        || tz.preceding(Timestamp::MAX).next().is_some();
    (!changes).then(|| tz.to_offset(Timestamp::UNIX_EPOCH).seconds() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_are_dates_or_date_times_with_an_offset() {
        assert_eq!(parse_start("2024-01-01"), Ok(DEFAULT_START));
        assert_eq!(
            parse_start("2024-03-25").unwrap().as_second(),
            1_711_324_800
        );
        let z = parse_start("2024-03-30T22:00:00Z").unwrap();
        assert_eq!(z.as_second(), 1_711_836_000);
        assert_eq!(parse_start("2024-03-30T23:00:00+01:00"), Ok(z));
        assert_eq!(parse_start("2024-03-30 22:00:00Z"), Ok(z));
        for (bad, why) in [
            ("", "expected a date"),
            ("2024-02-30", "expected a date"),
            ("2024-13-01", "expected a date"),
            ("25.03.2024", "expected a date"),
            ("2024-03-30T22:00:00", "needs Z or a UTC offset"),
            ("2024-03-30T22:00:00.5Z", "whole seconds"),
            ("1850-01-01", "year from 1900"),
            ("monday", "expected a date"),
        ] {
            let e = parse_start(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn zones_come_from_the_compiled_in_database() {
        let berlin = time_zone("Europe/Berlin").unwrap();
        assert_eq!(berlin.iana_name(), Some("Europe/Berlin"));
        assert!(time_zone("europe/berlin").is_ok());
        assert_eq!(fixed_offset(&berlin), None);
        assert_eq!(fixed_offset(&time_zone("UTC").unwrap()), Some(0));
        assert_eq!(
            fixed_offset(&time_zone("Etc/GMT-3").unwrap()),
            Some(3 * 3600)
        );
        let e = time_zone("Europe/Berlinn").unwrap_err();
        assert!(e.contains("did you mean \"Europe/Berlin\"?"), "{e}");
        let e = time_zone("Mars/Olympus_Mons").unwrap_err();
        assert!(
            e.contains("unknown time zone") && !e.contains("did you mean"),
            "{e}"
        );
    }
}
