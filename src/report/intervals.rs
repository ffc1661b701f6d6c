//! `intervals.csv`: the week interval by interval (`[simulation] interval`), for the site, each
//! team and each stream, every figure averaged over the weeks of the horizon and then over the
//! replications, with its 95% interval. What a planner reads to ask "do we cover EMEA until
//! 20:00?" or "what is the fallback rate in the Monday 14:00 peak?".

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::figure::{self, Metric, Reason};
use crate::model::{Tally, week_phase};
use crate::report::reader::{At, Reader};
use crate::scenario::{DAY_NAMES, Scenario};
use crate::stats::Summary;

const WEEK_MS: u64 = 7 * 86_400_000;

/// Counts are per occurrence of the interval (per week), levels are time averages over it.
pub fn columns() -> Vec<Metric> {
    let mut c = vec![Metric::Requests, Metric::Engaged, Metric::FallbackRate];
    c.extend(Reason::ALL.map(Metric::FallbackRateFor));
    c.extend([
        Metric::AbandonedRate,
        Metric::OnlineAgents,
        Metric::BusySlots,
        Metric::Occupancy,
        Metric::AgentsAtCap,
        Metric::ChatsPerAgent,
        Metric::ChattingShare,
        Metric::LiveChats,
        Metric::ResponseTime,
    ]);
    c
}

pub struct IntervalTable {
    /// How long an interval is, in milliseconds.
    pub width_ms: u64,
    pub columns: Vec<Metric>,
    pub rows: Vec<IntervalRow>,
}

pub struct IntervalRow {
    /// `site`, `team` or `stream`.
    pub scope: &'static str,
    pub name: String,
    /// Which interval of the UTC week, from Monday 00:00.
    pub slot: usize,
    /// Its first start in the counted time, on the calendar.
    pub first: Timestamp,
    /// The time zone its local time is given in: its team's when all the team's agents keep
    /// their schedules in one, else UTC.
    pub zone: TimeZone,
    pub values: Vec<Option<Summary>>,
}

impl IntervalTable {
    pub fn of(sc: &Scenario, tallies: &[Tally]) -> IntervalTable {
        let columns = columns();
        let Some(first) = tallies.first() else {
            return IntervalTable {
                width_ms: sc.simulation.interval.millis(),
                columns,
                rows: Vec::new(),
            };
        };
        let iv = first.week_intervals();
        let reader = Reader::new(sc);
        let mut scopes = vec![("site", "site".to_string(), At::Site, TimeZone::UTC)];
        scopes.extend(
            sc.teams
                .iter()
                .enumerate()
                .map(|(i, t)| ("team", t.name.clone(), At::Team(i), team_zone(sc, i))),
        );
        scopes.extend(
            sc.streams
                .iter()
                .enumerate()
                .map(|(i, s)| ("stream", s.name.clone(), At::Stream(i), TimeZone::UTC)),
        );
        let width = iv.width();
        let mut rows = Vec::new();
        for (scope, name, at, zone) in scopes {
            for slot in 0..iv.slots() {
                let Some(first) = first_start(sc, slot as u64 * width, width) else {
                    continue;
                };
                let values = columns
                    .iter()
                    .map(|&m| {
                        let v = tallies
                            .iter()
                            .filter_map(|t| reader.interval(t, m, at, slot));
                        Summary::of(v).map(|s| s.clipped(m.unit()))
                    })
                    .collect();
                rows.push(IntervalRow {
                    scope,
                    name: name.clone(),
                    slot,
                    first,
                    zone: zone.clone(),
                    values,
                });
            }
        }
        IntervalTable {
            width_ms: width,
            columns,
            rows,
        }
    }

    /// The rows of one scope and name, in the week's order.
    pub fn of_scope<'a>(
        &'a self,
        scope: &'a str,
        name: &'a str,
    ) -> impl Iterator<Item = &'a IntervalRow> + 'a {
        self.rows
            .iter()
            .filter(move |r| r.scope == scope && r.name == name)
    }

    pub fn column(&self, m: Metric) -> Option<usize> {
        self.columns.iter().position(|&c| c == m)
    }
}

/// The first start after the warm-up of the interval `pos` milliseconds into the UTC week,
/// `None` if the counted time never reaches it.
pub fn first_start(sc: &Scenario, pos: u64, width: u64) -> Option<Timestamp> {
    let s = &sc.simulation;
    let phase = week_phase(s.start);
    let mut t = (pos + WEEK_MS - phase % WEEK_MS) % WEEK_MS;
    while t + width <= s.warmup.millis() {
        t += WEEK_MS;
    }
    if t >= s.horizon.millis() {
        return None;
    }
    s.start
        .checked_add(SignedDuration::from_millis(t as i64))
        .ok()
}

/// The team's time zone when every scheduled agent of the team keeps one, else UTC.
pub fn team_zone(sc: &Scenario, team: usize) -> TimeZone {
    let mut zones = sc.teams[team]
        .members
        .iter()
        .filter_map(|&a| sc.agents[a as usize].schedule.zone.as_ref());
    match zones.next() {
        Some(z) if zones.all(|o| o == z) => z.clone(),
        _ => TimeZone::UTC,
    }
}

/// Where a row's interval falls in its own time zone's week: the weekday from Monday and the
/// hour of the day.
pub fn local_position(r: &IntervalRow) -> (usize, f64) {
    let z = r.first.to_zoned_datetime(r.zone.clone());
    let day = z.weekday().to_monday_zero_offset() as usize;
    (day, z.hour() as f64 + z.minute() as f64 / 60.0)
}

/// Weekday and clock time of `t` in `zone`.
pub fn weekday_time(t: Timestamp, zone: &TimeZone) -> (&'static str, String) {
    let z = t.to_zoned_datetime(zone.clone());
    let day = DAY_NAMES[z.weekday().to_monday_zero_offset() as usize];
    (&day[..3], format!("{:02}:{:02}", z.hour(), z.minute()))
}

/// Where an interval of a table falls on the calendar: [`calendar_cells`]'s columns.
pub const CALENDAR_COLUMNS: [&str; 7] = [
    "weekday",
    "start",
    "end",
    "first_start",
    "time_zone",
    "local_weekday",
    "local_start",
];

/// The interval of `width_ms` first starting at `first`: weekday, start and end in UTC, the
/// ISO start, and `zone` with the local weekday and start.
pub fn calendar_cells(first: Timestamp, width_ms: u64, zone: &TimeZone) -> Vec<String> {
    let (day, start) = weekday_time(first, &TimeZone::UTC);
    let end = first
        .checked_add(SignedDuration::from_millis(width_ms as i64))
        .unwrap_or(first);
    let (_, end) = weekday_time(end, &TimeZone::UTC);
    let (local_day, local_start) = weekday_time(first, zone);
    vec![
        day.to_string(),
        start,
        end,
        first.to_string(),
        zone.iana_name().unwrap_or("UTC").to_string(),
        local_day.to_string(),
        local_start,
    ]
}

/// One row per scope and interval: `scope,name,weekday,start,end` (UTC), `first_start` (its
/// first start in the counted time, ISO 8601), `time_zone,local_weekday,local_start` (at that
/// first start), then `<figure>_mean,<figure>_ci95_lo,<figure>_ci95_hi` for each figure.
pub fn intervals_csv(iv: &IntervalTable) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["scope", "name"]
        .into_iter()
        .chain(CALENDAR_COLUMNS)
        .map(String::from)
        .collect();
    for c in &iv.columns {
        let name = c.column(figure::Table::Series);
        header.extend(["mean", "ci95_lo", "ci95_hi"].map(|s| format!("{name}_{s}")));
    }
    w.write_record(&header)?;
    for r in &iv.rows {
        let mut row = vec![r.scope.to_string(), r.name.clone()];
        row.extend(calendar_cells(r.first, iv.width_ms, &r.zone));
        for v in &r.values {
            match v {
                Some(s) => row.extend([s.mean, s.ci95[0], s.ci95[1]].map(|x| x.to_string())),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}
