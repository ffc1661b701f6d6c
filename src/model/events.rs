//! The per-request event log of one replication (`run --events`): every step of every request,
//! handed to an [`EventSink`] in time order.
//!
//! The model calls the [`Journal`] only when a sink was given (`Option` tested at each step, so
//! a run without one pays one predictable branch per step). Some steps are known before they
//! happen (an accept settled when the offer is made, the end of a chat), so the journal holds
//! them until the clock reaches them: what it holds follows the chats in progress, never the
//! number of rows written.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::engine::Time;
use crate::figure::Reason;
use crate::model::offer::OfferOutcome;
use crate::scenario::{AgentId, TeamId};

/// What happened to a request, as the log's `event` column names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventKind {
    Requested,
    Offered,
    Accepted,
    Declined,
    Missed,
    TimedOut,
    Withdrawn,
    Ended,
    Fallback,
    Abandoned,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::Requested,
        EventKind::Offered,
        EventKind::Accepted,
        EventKind::Declined,
        EventKind::Missed,
        EventKind::TimedOut,
        EventKind::Withdrawn,
        EventKind::Ended,
        EventKind::Fallback,
        EventKind::Abandoned,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EventKind::Requested => "requested",
            EventKind::Offered => "offered",
            EventKind::Accepted => "accepted",
            EventKind::Declined => "declined",
            EventKind::Missed => "missed",
            EventKind::TimedOut => "timed_out",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Ended => "ended",
            EventKind::Fallback => "fallback",
            EventKind::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.name() == s)
    }

    fn of_offer(outcome: OfferOutcome) -> EventKind {
        match outcome {
            OfferOutcome::Accepted => EventKind::Accepted,
            OfferOutcome::Declined => EventKind::Declined,
            OfferOutcome::Missed => EventKind::Missed,
            OfferOutcome::TooSlow => EventKind::TimedOut,
        }
    }
}

/// Why a row happened: a fallback's reason, or how a chat ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    Fallback(Reason),
    /// The chat was closed after its active length.
    Closed,
    /// The visitor went silent and the inactivity timeout ended the chat.
    Inactivity,
}

impl Why {
    pub fn name(self) -> &'static str {
        match self {
            Why::Fallback(r) => r.name(),
            Why::Closed => "closed",
            Why::Inactivity => "inactivity",
        }
    }
}

/// One row of the log. `request` counts the replication's requests from 1; `team` is the team
/// the request is reported under (known once it is routed).
#[derive(Clone, Copy, Debug)]
pub struct EventRow<'a> {
    pub time: Time,
    pub request: u64,
    pub kind: EventKind,
    pub agent: Option<AgentId>,
    pub team: Option<TeamId>,
    pub stream: u32,
    pub why: Option<Why>,
    /// The visitor's attribute values, by the scenario's attribute order.
    pub attributes: &'a [u32],
}

/// Where the rows go (the report layer writes them as CSV). A sink keeps its own write error.
pub trait EventSink {
    fn event(&mut self, row: &EventRow);
}

/// What the journal keeps of a request in flight, by its slot.
#[derive(Clone, Debug, Default)]
struct Live {
    id: u64,
    attributes: Vec<u32>,
}

/// A row due later, with its own copy of the attributes (the request's slot may be reused).
/// Ordered by time, then by when it was held.
#[derive(Debug)]
struct Due {
    time: Time,
    seq: u64,
    request: u64,
    kind: EventKind,
    agent: Option<AgentId>,
    team: Option<TeamId>,
    stream: u32,
    why: Option<Why>,
    attributes: Vec<u32>,
}

impl PartialEq for Due {
    fn eq(&self, o: &Due) -> bool {
        (self.time, self.seq) == (o.time, o.seq)
    }
}
impl Eq for Due {}
impl PartialOrd for Due {
    fn partial_cmp(&self, o: &Due) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Due {
    fn cmp(&self, o: &Due) -> std::cmp::Ordering {
        (self.time, self.seq).cmp(&(o.time, o.seq))
    }
}

pub struct Journal<'s> {
    sink: &'s mut dyn EventSink,
    live: Vec<Live>,
    due: BinaryHeap<Reverse<Due>>,
    next_id: u64,
    seq: u64,
    horizon: Time,
}

/// The request a row is about: its slot in the model's slab, its stream and team.
#[derive(Clone, Copy, Debug)]
pub struct About {
    pub slot: u32,
    pub stream: u32,
    pub team: Option<TeamId>,
}

impl<'s> Journal<'s> {
    /// Rows due after `horizon` (chats still going when the run ends) are never written.
    pub fn new(sink: &'s mut dyn EventSink, horizon: Time) -> Journal<'s> {
        Journal {
            sink,
            live: Vec::new(),
            due: BinaryHeap::new(),
            next_id: 1,
            seq: 0,
            horizon,
        }
    }

    /// Writes every held row due at or before `now`.
    fn catch_up(&mut self, now: Time) {
        while self.due.peek().is_some_and(|d| d.0.time <= now) {
            let Reverse(d) = self.due.pop().expect("peeked");
            self.sink.event(&EventRow {
                time: d.time,
                request: d.request,
                kind: d.kind,
                agent: d.agent,
                team: d.team,
                stream: d.stream,
                why: d.why,
                attributes: &d.attributes,
            });
        }
    }

    fn write(
        &mut self,
        now: Time,
        a: About,
        kind: EventKind,
        agent: Option<AgentId>,
        why: Option<Why>,
    ) {
        self.catch_up(now);
        let live = &self.live[a.slot as usize];
        self.sink.event(&EventRow {
            time: now,
            request: live.id,
            kind,
            agent,
            team: a.team,
            stream: a.stream,
            why,
            attributes: &live.attributes,
        });
    }

    fn hold(
        &mut self,
        at: Time,
        a: About,
        kind: EventKind,
        agent: Option<AgentId>,
        why: Option<Why>,
    ) {
        if at > self.horizon {
            return;
        }
        let live = &self.live[a.slot as usize];
        self.seq += 1;
        self.due.push(Reverse(Due {
            time: at,
            seq: self.seq,
            request: live.id,
            kind,
            agent,
            team: a.team,
            stream: a.stream,
            why,
            attributes: live.attributes.clone(),
        }));
    }

    /// A new request in slot `a.slot`, with the attributes the visitor brings.
    pub fn requested(&mut self, now: Time, a: About, attributes: &[u32]) {
        let slot = a.slot as usize;
        if self.live.len() <= slot {
            self.live.resize_with(slot + 1, Live::default);
        }
        let live = &mut self.live[slot];
        live.id = self.next_id;
        live.attributes.clear();
        live.attributes.extend_from_slice(attributes);
        self.next_id += 1;
        self.write(now, a, EventKind::Requested, None, None);
    }

    pub fn offered(&mut self, now: Time, a: About, agent: AgentId) {
        self.write(now, a, EventKind::Offered, Some(agent), None);
    }

    /// The offer to `agent` ends at `at` with `outcome`: now, or later for an accept settled
    /// when the offer was made.
    pub fn offer_ended(&mut self, now: Time, at: Time, a: About, agent: AgentId, o: OfferOutcome) {
        if at > now {
            self.hold(at, a, EventKind::of_offer(o), Some(agent), None);
        } else {
            self.write(now, a, EventKind::of_offer(o), Some(agent), None);
        }
    }

    /// The chat with `agent`, accepted at `now`, ends at `at`, by inactivity when `silent`.
    pub fn chat(&mut self, a: About, agent: AgentId, at: Time, silent: bool) {
        let why = if silent { Why::Inactivity } else { Why::Closed };
        self.hold(at, a, EventKind::Ended, Some(agent), Some(why));
    }

    pub fn fallback(&mut self, now: Time, a: About, reason: Reason) {
        let why = Some(Why::Fallback(reason));
        self.write(now, a, EventKind::Fallback, None, why);
    }

    /// The visitor left, withdrawing the offer to `withdrawn_from` if one ran.
    pub fn abandoned(&mut self, now: Time, a: About, withdrawn_from: Option<AgentId>) {
        if let Some(agent) = withdrawn_from {
            self.write(now, a, EventKind::Withdrawn, Some(agent), None);
        }
        self.write(now, a, EventKind::Abandoned, None, None);
    }

    /// The end of the run: the rows held for the horizon or before it.
    pub fn finish(&mut self) {
        self.catch_up(self.horizon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Rows(Vec<(u64, u64, &'static str)>);

    impl EventSink for Rows {
        fn event(&mut self, r: &EventRow) {
            self.0.push((r.time.millis(), r.request, r.kind.name()));
        }
    }

    #[test]
    fn rows_known_early_come_out_in_time_order_and_past_the_horizon_never() {
        let mut rows = Rows::default();
        let mut j = Journal::new(&mut rows, Time(1000));
        let a = About {
            slot: 0,
            stream: 0,
            team: None,
        };
        j.requested(Time(10), a, &[]);
        j.offered(Time(10), a, 0);
        j.offer_ended(Time(10), Time(50), a, 0, OfferOutcome::Accepted);
        let b = About { slot: 1, ..a };
        j.requested(Time(20), b, &[]);
        j.chat(a, 0, Time(2000), false);
        j.fallback(Time(60), b, Reason::Unavailable);
        j.finish();
        drop(j);
        assert_eq!(
            rows.0,
            [
                (10, 1, "requested"),
                (10, 1, "offered"),
                (20, 2, "requested"),
                (50, 1, "accepted"),
                (60, 2, "fallback"),
            ]
        );
    }

    #[test]
    fn every_name_reads_back() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::parse(k.name()), Some(k));
        }
        assert_eq!(EventKind::parse("nope"), None);
    }
}
