//! One pass over a log, keeping only counts and binned durations: what each request's steps
//! say about arrivals, streams, attributes, agents' responses, misses and declines, chat
//! lengths, inactivity and patience. Requests are held only while they are in flight, so
//! memory follows the requests open at once, not the log's length.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::tz::TimeZone;

use super::arrivals::{Counter, HOURS, cell};
use super::log::{Format, LogReader, Row, bad};
use super::sample::Sample;
use crate::model::EventKind;
use crate::scenario::ScenarioError;

/// What is known of an agent group (agents `name-1`, `name-2`, ... are group `name`).
#[derive(Default, Debug)]
pub struct Group {
    pub agents: BTreeSet<String>,
    pub teams: BTreeMap<String, u64>,
    pub offers: u64,
    pub accepted: u64,
    pub declined: u64,
    pub missed: u64,
    pub timed_out: u64,
    pub withdrawn: u64,
    /// Answers (accepted or declined) exactly; timed-out and withdrawn offers censored.
    pub response: Sample,
    /// Active chat length: the chat's length without the inactivity timeout when it ended by
    /// inactivity; chats still going at the log's end censored.
    pub chat: Sample,
    /// When withdrawn offers were withdrawn (as censoring points): a withdrawn offer may have
    /// been one that would never be answered, which the miss share must allow for.
    pub withdrawn_at: Sample,
    pub closed: u64,
    pub inactivity: u64,
    /// Per hour of the week: weeks in which its agents had an offer then, and the last such
    /// week counted.
    pub active_weeks: Vec<u32>,
    last_week: Vec<i64>,
}

impl Group {
    fn new() -> Group {
        Group {
            active_weeks: vec![0; HOURS],
            last_week: vec![i64::MIN; HOURS],
            ..Group::default()
        }
    }
}

/// A request in flight.
struct Open {
    requested: i64,
    offered: Option<(i64, usize)>,
    accepted: Option<(i64, usize)>,
}

pub struct Observed {
    pub format: Format,
    pub rows: u64,
    pub requests: u64,
    pub first_ms: i64,
    pub last_ms: i64,
    pub arrivals: [u64; HOURS],
    pub streams: BTreeMap<String, u64>,
    /// Per stream, the teams its requests were reported under.
    pub stream_teams: BTreeMap<String, BTreeMap<String, u64>>,
    pub attribute_names: Vec<String>,
    pub attributes: Vec<BTreeMap<String, u64>>,
    pub groups: BTreeMap<String, Group>,
    pub fallback: BTreeMap<String, u64>,
    pub abandoned: u64,
    pub engaged: u64,
    /// Patience: abandonments exactly; requests that ended otherwise censored at their end.
    pub patience: Sample,
    /// The visitor's wait from the request to the accept (timeouts censored): what the
    /// callbacks give in place of an agent's response time.
    pub connect: Sample,
    /// How long timed-out and missed offers lasted, by milliseconds: the accept window.
    pub window_ms: BTreeMap<i64, u64>,
    pub inactivity_ms: i64,
}

/// `sales-12` -> `sales`: the scenario's `count` names agents so.
pub fn group_of(agent: &str) -> &str {
    match agent.rsplit_once('-') {
        Some((g, n)) if !g.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            g
        }
        _ => agent,
    }
}

const WEEK_MS: i64 = 7 * 24 * 3600 * 1000;

pub fn collect(
    reader: &mut LogReader,
    tz: &TimeZone,
    inactivity_ms: i64,
) -> Result<Observed, ScenarioError> {
    let mut o = Observed {
        format: reader.format,
        rows: 0,
        requests: 0,
        first_ms: 0,
        last_ms: 0,
        arrivals: [0; HOURS],
        streams: BTreeMap::new(),
        stream_teams: BTreeMap::new(),
        attribute_names: reader.attributes.clone(),
        attributes: vec![BTreeMap::new(); reader.attributes.len()],
        groups: BTreeMap::new(),
        fallback: BTreeMap::new(),
        abandoned: 0,
        engaged: 0,
        patience: Sample::default(),
        connect: Sample::default(),
        window_ms: BTreeMap::new(),
        inactivity_ms,
    };
    let mut counter = Counter::new(tz.clone());
    let mut open: HashMap<String, Open> = HashMap::new();
    let mut group_ids: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(String, Group)> = Vec::new();
    let mut row = Row::default();
    let label = reader.label().to_string();
    let secs = |ms: i64| ms as f64 / 1000.0;
    while reader.next(&mut row)? {
        let t = row.time_ms;
        if o.rows == 0 {
            o.first_ms = t;
        }
        o.rows += 1;
        o.last_ms = t;
        let kind = row.kind.expect("parsed");
        let line = row.line;
        let mut group = |agent: &str, row_team: &str| -> usize {
            let name = group_of(agent);
            let id = match group_ids.get(name) {
                Some(&id) => id,
                None => {
                    groups.push((name.to_string(), Group::new()));
                    group_ids.insert(name.to_string(), groups.len() - 1);
                    groups.len() - 1
                }
            };
            let g = &mut groups[id].1;
            if !g.agents.contains(agent) {
                g.agents.insert(agent.to_string());
            }
            if !row_team.is_empty() {
                *g.teams.entry(row_team.to_string()).or_default() += 1;
            }
            let c = cell(t, tz);
            let week = t.div_euclid(WEEK_MS);
            if g.last_week[c] != week {
                g.last_week[c] = week;
                g.active_weeks[c] += 1;
            }
            id
        };
        if kind == EventKind::Requested {
            if open.contains_key(&row.request) {
                return Err(bad(
                    &label,
                    line,
                    format!("request {} is requested again while in flight", row.request),
                ));
            }
            o.requests += 1;
            counter.count(t);
            *o.streams.entry(row.stream.clone()).or_default() += 1;
            for (k, v) in row.attributes.iter().enumerate() {
                if !v.is_empty() {
                    *o.attributes[k].entry(v.clone()).or_default() += 1;
                }
            }
            let offered = (o.format == Format::Callbacks).then_some((t, usize::MAX));
            open.insert(
                row.request.clone(),
                Open {
                    requested: t,
                    offered,
                    accepted: None,
                },
            );
            continue;
        }
        let Some(r) = open.get_mut(&row.request) else {
            return Err(bad(
                &label,
                line,
                format!(
                    "{} for request {}, which is not in flight: it ended already (a request \
                     ends once) or was never requested",
                    kind.name(),
                    crate::scenario::excerpt(&row.request)
                ),
            ));
        };
        let needs_offer = |r: &Open| {
            r.offered.ok_or_else(|| {
                bad(
                    &label,
                    line,
                    format!("{} without an offer running", kind.name()),
                )
            })
        };
        let mut ends = false;
        match kind {
            EventKind::Requested => unreachable!("handled above"),
            EventKind::Offered => {
                let g = group(&row.agent, &row.team);
                groups[g].1.offers += 1;
                r.offered = Some((t, g));
            }
            EventKind::Accepted | EventKind::Declined => {
                let (at, g) = needs_offer(r)?;
                let g = if g == usize::MAX {
                    let g = group(&row.agent, &row.team);
                    groups[g].1.offers += 1;
                    g
                } else {
                    g
                };
                let gr = &mut groups[g].1;
                gr.response.exact(secs(t - at));
                r.offered = None;
                if kind == EventKind::Accepted {
                    gr.accepted += 1;
                    r.accepted = Some((t, g));
                    o.patience.censored_ms((t - r.requested) as u64);
                    o.connect.exact(secs(t - r.requested));
                    if let Some(team) = Some(&row.team).filter(|t| !t.is_empty()) {
                        *o.stream_teams
                            .entry(row.stream.clone())
                            .or_default()
                            .entry(team.clone())
                            .or_default() += 1;
                    }
                } else {
                    gr.declined += 1;
                }
            }
            EventKind::Missed | EventKind::TimedOut | EventKind::Withdrawn => {
                let (at, g) = needs_offer(r)?;
                r.offered = None;
                let lasted = t - at;
                if g != usize::MAX {
                    let gr = &mut groups[g].1;
                    match kind {
                        EventKind::Missed => gr.missed += 1,
                        EventKind::TimedOut => {
                            gr.timed_out += 1;
                            gr.response.censored_ms(lasted as u64);
                        }
                        _ => {
                            gr.withdrawn += 1;
                            gr.response.censored_ms(lasted as u64);
                            gr.withdrawn_at.censored_ms(lasted as u64);
                        }
                    }
                }
                if kind != EventKind::Withdrawn && o.window_ms.len() < 64 {
                    *o.window_ms.entry(lasted).or_default() += 1;
                }
                if o.format == Format::Callbacks {
                    // The request timed out unconnected: its wait is censored.
                    o.connect.censored_ms(lasted as u64);
                    o.patience.censored_ms(lasted as u64);
                    *o.fallback.entry("timeout".into()).or_default() += 1;
                    ends = true;
                }
            }
            EventKind::Ended => {
                let Some((at, g)) = r.accepted else {
                    return Err(bad(&label, line, "ended without an accepted chat"));
                };
                let gr = &mut groups[g].1;
                let length = t - at;
                if row.reason == "inactivity" {
                    gr.inactivity += 1;
                    gr.chat.exact(secs((length - inactivity_ms).max(0)));
                } else {
                    gr.closed += 1;
                    gr.chat.exact(secs(length));
                }
                o.engaged += 1;
                ends = true;
            }
            EventKind::Fallback => {
                *o.fallback.entry(row.reason.clone()).or_default() += 1;
                if r.accepted.is_none() {
                    o.patience.censored_ms((t - r.requested) as u64);
                    if let Some(team) = Some(&row.team).filter(|t| !t.is_empty()) {
                        *o.stream_teams
                            .entry(row.stream.clone())
                            .or_default()
                            .entry(team.clone())
                            .or_default() += 1;
                    }
                }
                ends = true;
            }
            EventKind::Abandoned => {
                o.abandoned += 1;
                o.patience.exact(secs(t - r.requested));
                ends = true;
            }
        }
        if ends {
            open.remove(&row.request);
        }
    }
    // What was still going when the log ends is censored there, in the order of the requests
    // (never the map's, so that a fit is the same every time).
    let mut still: Vec<(&String, &Open)> = open.iter().collect();
    still.sort_by(|a, b| (a.1.requested, a.0).cmp(&(b.1.requested, b.0)));
    for (_, r) in still {
        match r.accepted {
            Some((at, g)) => {
                groups[g].1.chat.censored_ms((o.last_ms - at) as u64);
                o.engaged += 1;
            }
            None => {
                o.patience.censored_ms((o.last_ms - r.requested) as u64);
                if let Some((at, g)) = r.offered.filter(|o| o.1 != usize::MAX) {
                    groups[g].1.response.censored_ms((o.last_ms - at) as u64);
                }
            }
        }
    }
    o.arrivals = counter.counts;
    o.groups = groups.into_iter().collect();
    Ok(o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_numbered_by_count_form_their_group() {
        assert_eq!(group_of("sales-12"), "sales");
        assert_eq!(group_of("ana"), "ana");
        assert_eq!(group_of("x-ray"), "x-ray");
        assert_eq!(group_of("-3"), "-3");
    }
}
