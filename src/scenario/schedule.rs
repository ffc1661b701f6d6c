//! Weekly availability written in local time (`"mon-fri 08:00-17:00"`), turned into UTC spans.

use super::{Schedule, WEEK_SECS};

const DAY: i64 = 86_400;
const WEEK: i64 = WEEK_SECS as i64;
/// Monday first, as weeks are everywhere in chatsim; schedules accept any prefix of three or
/// more letters, outputs print the first three.
pub const DAY_NAMES: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

pub const ENTRY_FORM: &str = r#"expected "<days> HH:MM-HH:MM" like "mon-fri 08:00-17:00", "daily 22:00-06:00" or "sat,sun 10:00-14:00""#;
pub const OFFSET_FORM: &str = r#"expected a UTC offset like "+01:00", "-05:30" or "Z""#;

/// Seconds to add to UTC to get local time: `"+01:00"` is 3600.
pub fn parse_offset(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if t == "Z" || t.eq_ignore_ascii_case("utc") {
        return Ok(0);
    }
    let bad = || format!("{OFFSET_FORM}, got {text:?}");
    let (sign, rest) = match t.as_bytes().first() {
        Some(b'+') => (1, &t[1..]),
        Some(b'-') => (-1, &t[1..]),
        _ => return Err(bad()),
    };
    let (h, m) = rest.split_once(':').unwrap_or((rest, "00"));
    let h: i64 = digits(h, 2).ok_or_else(bad)?;
    let m: i64 = digits(m, 2).filter(|_| m.len() == 2).ok_or_else(bad)?;
    if h > 14 || m > 59 || (h == 14 && m > 0) {
        return Err(bad());
    }
    Ok(sign * (h * 3600 + m * 60))
}

/// The weekly schedule in UTC of local-time `entries` at `offset` seconds east of UTC; on error,
/// the index of the entry that does not parse and why.
pub fn weekly(entries: &[String], offset: i64) -> Result<Schedule, (usize, String)> {
    let mut spans = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        for (start, end) in parse_entry(entry).map_err(|why| (i, why))? {
            let len = end - start;
            let start = (start - offset).rem_euclid(WEEK);
            push_wrapped(&mut spans, start, start + len);
        }
    }
    Ok(Schedule {
        spans: merge(spans),
        zone: None,
    })
}

impl Schedule {
    /// The spans in UTC of a schedule whose spans are local time at `offset` seconds east of
    /// UTC: what a schedule in a time zone is while the zone keeps that offset.
    pub fn spans_at_offset(&self, offset: i64) -> Vec<(u32, u32)> {
        let mut spans = Vec::new();
        for &(start, end) in &self.spans {
            let (start, len) = (start as i64, (end - start) as i64);
            let start = (start - offset).rem_euclid(WEEK);
            push_wrapped(&mut spans, start, start + len);
        }
        merge(spans)
    }
}

/// Local-time `[start, end)` spans in seconds since Monday 00:00, an end past the week's end
/// meaning into the next Monday.
fn parse_entry(entry: &str) -> Result<Vec<(i64, i64)>, String> {
    let bad = |why: &str| format!("{ENTRY_FORM}, got {entry:?} ({why})");
    let mut words = entry.split_whitespace();
    let days = parse_days(words.next().ok_or_else(|| bad("it is empty"))?).map_err(|w| bad(&w))?;
    let ranges: Vec<&str> = words
        .flat_map(|w| w.split(','))
        .filter(|r| !r.is_empty())
        .collect();
    if ranges.is_empty() {
        return Err(bad("no time range"));
    }
    let mut spans = Vec::new();
    for range in ranges {
        let (from, to) = parse_range(range).map_err(|w| bad(&w))?;
        for &day in &days {
            spans.push((day * DAY + from, day * DAY + to));
        }
    }
    Ok(spans)
}

fn parse_days(text: &str) -> Result<Vec<i64>, String> {
    let mut days = Vec::new();
    for part in text.to_ascii_lowercase().split(',') {
        match part {
            "daily" => days.extend(0..7),
            "weekdays" => days.extend(0..5),
            "weekends" => days.extend(5..7),
            _ => match part.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a)?, day(b)?);
                    // `sat-mon` wraps over the week's end.
                    let len = (b - a).rem_euclid(7);
                    days.extend((0..=len).map(|k| (a + k) % 7));
                }
                None => days.push(day(part)?),
            },
        }
    }
    days.sort_unstable();
    days.dedup();
    Ok(days)
}

fn day(name: &str) -> Result<i64, String> {
    DAY_NAMES
        .iter()
        .position(|full| name.len() >= 3 && full.starts_with(name))
        .map(|i| i as i64)
        .ok_or_else(|| format!("{name:?} is not a day: use mon..sun, daily, weekdays or weekends"))
}

/// Seconds since local midnight of the start and end; an end before the start is on the next day.
fn parse_range(text: &str) -> Result<(i64, i64), String> {
    let (a, b) = text
        .split_once('-')
        .ok_or_else(|| format!("{text:?} is not HH:MM-HH:MM"))?;
    let from = clock(a)
        .filter(|&s| s < DAY)
        .ok_or_else(|| format!("{a:?} is not a time HH:MM"))?;
    let to = clock(b).ok_or_else(|| format!("{b:?} is not a time HH:MM"))?;
    if from == to {
        return Err("start and end are the same; a whole day is 00:00-24:00".into());
    }
    Ok((from, if to < from { to + DAY } else { to }))
}

/// Seconds since midnight of `HH:MM`, up to `24:00`.
pub fn clock(text: &str) -> Option<i64> {
    let (h, m) = text.split_once(':')?;
    let (h, m) = (digits(h, 2)?, digits(m, 2).filter(|_| m.len() == 2)?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 3600 + m * 60)
}

/// A number of one to `max_len` ASCII digits.
fn digits(text: &str, max_len: usize) -> Option<i64> {
    let ok = !text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

/// Adds `[start, end)`, `start` within the week, split at the week's end.
fn push_wrapped(spans: &mut Vec<(i64, i64)>, start: i64, end: i64) {
    if end > WEEK {
        spans.push((start, WEEK));
        spans.push((0, end - WEEK));
    } else {
        spans.push((start, end));
    }
}

fn merge(mut spans: Vec<(i64, i64)>) -> Vec<(u32, u32)> {
    spans.sort_unstable();
    let mut merged: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
        .into_iter()
        .map(|(s, e)| (s as u32, e as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: u32 = 3600;
    const D: u32 = 86_400;

    fn utc(entries: &[&str], offset: &str) -> Vec<(u32, u32)> {
        let entries: Vec<String> = entries.iter().map(|e| e.to_string()).collect();
        weekly(&entries, parse_offset(offset).unwrap())
            .unwrap()
            .spans
    }

    #[test]
    fn weekdays_in_utc() {
        let spans = utc(&["mon-fri 08:00-17:00"], "Z");
        assert_eq!(spans.len(), 5);
        assert_eq!(spans[0], (8 * H, 17 * H));
        assert_eq!(spans[4], (4 * D + 8 * H, 4 * D + 17 * H));
    }

    #[test]
    fn local_time_is_shifted_to_utc() {
        assert_eq!(utc(&["mon 08:00-17:00"], "+01:00"), vec![(7 * H, 16 * H)]);
        assert_eq!(
            utc(&["mon 08:00-17:00"], "-05:30"),
            vec![(13 * H + 1800, 22 * H + 1800)]
        );
    }

    #[test]
    fn wraps_at_the_week_end() {
        // Monday 00:30 in +01:00 is Sunday 23:30 UTC.
        assert_eq!(
            utc(&["mon 00:30-02:00"], "+01:00"),
            vec![(0, H), (7 * D - 1800, 7 * D)]
        );
        // Sunday night into Monday morning.
        assert_eq!(
            utc(&["sun 22:00-06:00"], "Z"),
            vec![(0, 6 * H), (6 * D + 22 * H, 7 * D)]
        );
    }

    #[test]
    fn merges_overlaps_and_adjacent_spans() {
        assert_eq!(utc(&["daily 00:00-24:00"], "+01:00"), vec![(0, 7 * D)]);
        assert_eq!(
            utc(
                &["mon 08:00-12:00", "mon 12:00-13:00", "mon 12:30-18:00"],
                "Z"
            ),
            vec![(8 * H, 18 * H)]
        );
    }

    #[test]
    fn day_forms() {
        assert_eq!(
            utc(&["weekends 10:00-11:00"], "Z"),
            vec![
                (5 * D + 10 * H, 5 * D + 11 * H),
                (6 * D + 10 * H, 6 * D + 11 * H)
            ]
        );
        assert_eq!(utc(&["mon,wed,FRI 10:00-11:00"], "Z").len(), 3);
        assert_eq!(utc(&["sat-mon 10:00-11:00"], "Z").len(), 3);
        assert_eq!(utc(&["weekdays 10:00-11:00"], "Z").len(), 5);
        assert_eq!(
            utc(&["tuesday 09:00-12:00,13:00-17:00"], "Z"),
            vec![(D + 9 * H, D + 12 * H), (D + 13 * H, D + 17 * H)]
        );
    }

    #[test]
    fn rejects_malformed_entries() {
        for bad in [
            "",
            "mon",
            "08:00-17:00",
            "mon 8-17",
            "mon 08:00-25:00",
            "mon 24:00-02:00",
            "mon 09:00-09:00",
            "xyz 08:00-09:00",
            "mon 08:60-09:00",
            "mon,,tue 08:00-09:00",
        ] {
            let err = weekly(&[bad.to_string()], 0).unwrap_err();
            assert_eq!(err.0, 0);
            assert!(err.1.contains("mon-fri 08:00-17:00"), "{bad:?}: {}", err.1);
        }
    }

    #[test]
    fn local_spans_move_to_utc_at_an_offset() {
        let local = weekly(
            &["mon 00:30-02:00".to_string(), "sun 23:00-24:00".to_string()],
            0,
        )
        .unwrap();
        assert_eq!(
            local.spans_at_offset(3600),
            vec![(0, H), (7 * D - 2 * H, 7 * D - H), (7 * D - 1800, 7 * D)]
        );
        assert_eq!(local.spans_at_offset(0), local.spans);
        assert_eq!(
            local.spans_at_offset(-3600),
            vec![(0, H), (H + 1800, 3 * H)]
        );
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("Z"), Ok(0));
        assert_eq!(parse_offset("+01:00"), Ok(3600));
        assert_eq!(parse_offset("-05:30"), Ok(-19_800));
        assert_eq!(parse_offset("+9"), Ok(9 * 3600));
        for bad in ["", "01:00", "+1:5", "+15:00", "+01:60", "UTC+1", "+a"] {
            assert!(parse_offset(bad).is_err(), "{bad:?}");
        }
    }
}
