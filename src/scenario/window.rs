//! Weekly windows that figures are restricted to (`[simulation] window`, `--window`, an
//! `[[expect]]`'s `window`): the schedule syntax, entries separated by `;`, optionally followed
//! by an IANA time zone or a UTC offset, like `"mon-fri 09:00-17:00 Europe/Berlin"`.

use super::schedule::{self, weekly};
use super::types::{WEEK_SECS, Window};
use super::zone;

pub const WINDOW_FORM: &str = r#"expected a weekly window in the schedule syntax, entries separated by ";", optionally followed by a time zone or UTC offset, like "mon-fri 09:00-17:00", "mon-fri 09:00-17:00 Europe/Berlin" or "mon-fri 08:00-12:00; sat 10:00-14:00 -05:00""#;

pub fn parse_window(text: &str) -> Result<Window, String> {
    let t = text.trim();
    let bad = |why: String| format!("{WINDOW_FORM}, got {text:?} ({why})");
    let (body, clock) = match t.rsplit_once(char::is_whitespace) {
        Some((body, last)) if is_clock(last) => (body.trim(), Some(last)),
        _ => (t, None),
    };
    let (offset, tz) = match clock {
        None => (0, None),
        Some(c) if c.starts_with(['+', '-']) || c.eq_ignore_ascii_case("z") => {
            (schedule::parse_offset(c).map_err(bad)?, None)
        }
        Some(name) => {
            let tz = zone::time_zone(name).map_err(bad)?;
            match zone::fixed_offset(&tz) {
                Some(offset) => (offset, None),
                None => (0, Some(tz)),
            }
        }
    };
    let entries: Vec<String> = body.split(';').map(|e| e.trim().to_string()).collect();
    let mut schedule = weekly(&entries, offset).map_err(|(_, why)| bad(why))?;
    if schedule.spans.is_empty() {
        return Err(bad("it is never open".into()));
    }
    let always = schedule.spans == [(0, WEEK_SECS)];
    schedule.zone = tz.filter(|_| !always);
    Ok(Window {
        text: t.to_string(),
        schedule,
    })
}

/// Whether the last word names a clock rather than hours: a zone (`Europe/Berlin`, `UTC`) or
/// an offset (`+01:00`, `Z`).
fn is_clock(word: &str) -> bool {
    word.contains('/')
        || word.starts_with(['+', '-'])
        || word.eq_ignore_ascii_case("utc")
        || word.eq_ignore_ascii_case("z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_reads_like_a_schedule_with_an_optional_clock() {
        let w = parse_window("mon-fri 09:00-17:00").unwrap();
        assert_eq!(w.schedule.spans[0], (9 * 3600, 17 * 3600));
        assert_eq!(w.schedule.zone, None);
        let w = parse_window("mon 09:00-10:00 +01:00").unwrap();
        assert_eq!(w.schedule.spans, [(8 * 3600, 9 * 3600)]);
        let w = parse_window("mon 09:00-10:00; tue 09:00-10:00 -05:00").unwrap();
        assert_eq!(w.schedule.spans.len(), 2);
        assert_eq!(w.schedule.spans[0], (14 * 3600, 15 * 3600));
        let w = parse_window("sat,sun 10:00-14:00 Europe/Berlin").unwrap();
        assert!(w.schedule.zone.is_some());
        assert_eq!(
            w.schedule.spans[0],
            (5 * 86_400 + 10 * 3600, 5 * 86_400 + 14 * 3600)
        );
        let w = parse_window("mon 00:00-01:00 UTC").unwrap();
        assert_eq!(w.schedule.spans, [(0, 3600)]);
    }

    #[test]
    fn a_bad_window_says_what_was_expected() {
        for bad in [
            "",
            "monday",
            "mon-fri 09:00",
            "mon-fri 09:00-17:00 Europe/Berlinn",
            "mon 09:00-09:00",
        ] {
            let e = parse_window(bad).unwrap_err();
            assert!(e.starts_with("expected a weekly window"), "{bad}: {e}");
        }
    }
}
