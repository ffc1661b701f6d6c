//! Everything one replication counts, updated in place as events happen; the site-wide outcomes
//! and most site-wide levels are sums of the streams' and agents' figures, added up at the end.

use crate::engine::Time;
use crate::model::intervals::{AgentLevels, Intervals};
use crate::model::series::{AGENTS_AT_CAP, BUSY_SLOTS, LEVELS, ONLINE_AGENTS, ONLINE_SLOTS};
use crate::model::{AgentState, Series};
use crate::stats::{Histogram, TimeWeighted};

/// Request outcomes, for the whole site or one stream or team.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcomes {
    pub requests: u64,
    pub engaged: u64,
    pub abandoned: u64,
    /// By [`crate::figure::Reason::index`].
    pub fallback: [u64; 5],
    /// Offers beyond the first.
    pub retry_attempts: u64,
    /// Requests engaged on a retry.
    pub rescued: u64,
    pub meetings: u64,
    /// Over engaged requests: time to accept and chat length.
    pub response_sum_s: f64,
    pub chat_length_sum_s: f64,
    /// Requests that got the fallback message although a retry was tried.
    pub retry_failed: u64,
    /// The overflow what-if: requests handed to the overflow team (under the team that handed
    /// them), and overflowed requests engaged (under the team that took them).
    pub overflowed: u64,
    pub overflow_served: u64,
}

impl Outcomes {
    pub fn fallbacks(&self) -> u64 {
        self.fallback.iter().sum()
    }

    /// Adds `other`'s counts and sums to these.
    pub fn add(&mut self, other: &Outcomes) {
        self.requests += other.requests;
        self.engaged += other.engaged;
        self.abandoned += other.abandoned;
        for (f, o) in self.fallback.iter_mut().zip(other.fallback) {
            *f += o;
        }
        self.retry_attempts += other.retry_attempts;
        self.rescued += other.rescued;
        self.meetings += other.meetings;
        self.response_sum_s += other.response_sum_s;
        self.chat_length_sum_s += other.chat_length_sum_s;
        self.retry_failed += other.retry_failed;
        self.overflowed += other.overflowed;
        self.overflow_served += other.overflow_served;
    }
}

/// One agent's offers and time. In this order, so that what every offer and chat end touches
/// (the slots held, the cap, the counts of an offer and an engagement) lies together at the
/// front, and the levels that change seldom after: the agents' tallies are reached at random,
/// and a benchmark's 200 of them no longer fitted in the processor's first cache.
#[derive(Clone, Debug)]
#[repr(C)]
pub struct AgentTally {
    pub busy: TimeWeighted,
    pub at_cap: TimeWeighted,
    pub offers: u64,
    pub accepted: u64,
    pub response_sum_s: f64,
    /// Accepted offers that became engagements (not refused by an exhausted trial).
    pub engaged: u64,
    pub chat_length_sum_s: f64,
    /// Never answered.
    pub missed: u64,
    pub declined: u64,
    /// Answered, but after the window.
    pub too_slow: u64,
    /// Offers withdrawn because the visitor left while the offer ran.
    pub withdrawn: u64,
    pub online: TimeWeighted,
    /// Chats held while offline: they go on after a shift ends. With `busy`, the chats held.
    pub offline_held: TimeWeighted,
    /// Online and holding at least one chat.
    pub chatting: TimeWeighted,
}

#[derive(Clone, Debug)]
pub struct Tally {
    pub visitors: u64,
    /// Visitors whose dialogue did not trigger because the monthly limit was reached.
    pub suppressed: u64,
    /// Visitors not offered live chat because their dialogue branches on availability and
    /// nobody was online for them.
    pub hidden_demand: u64,
    /// The site's outcomes: the sum of the streams', added up by [`Tally::finish`].
    pub total: Outcomes,
    pub streams: Vec<Outcomes>,
    pub teams: Vec<Outcomes>,
    pub agents: Vec<AgentTally>,
    pub online_agents: TimeWeighted,
    pub online_slots: TimeWeighted,
    pub busy_slots: TimeWeighted,
    pub agents_at_cap: TimeWeighted,
    /// When the lifetime engagement limit was reached, if it was.
    pub trial_exhausted_at: Option<Time>,
    pub in_flight_at_end: u64,
    pub events: u64,
    pub series: Series,
    /// Agents' response times in seconds, over offers that were answered (accepted, declined
    /// or too late).
    pub responses: Histogram,
    /// Requests that joined a waiting queue (the queue what-if).
    pub queued: u64,
    /// Queued requests that waited the longest allowed wait and got the fallback message.
    pub queue_timeouts: u64,
    /// Time spent in queues by the requests that left one (offered, timed out or abandoned).
    pub queue_wait_sum_s: f64,
    pub queue_left: u64,
    /// The run folded onto the intervals of the week, per team and stream.
    pub intervals: Intervals,
    /// Per window of the scenario, what arrived in it and the time inside it.
    pub windows: Vec<Tally>,
    /// The time counted, from the warm-up's end to the horizon on the tally's clock (a
    /// window's: its time inside them): what time averages divide by.
    pub counted: Time,
    /// The whole run's intervals when this is the tally of the window every figure is
    /// restricted to (its own `intervals` are then one of the window's time).
    pub week: Option<Box<Intervals>>,
}

impl Tally {
    /// A tally counting from `warmup` to `horizon`, its intervals one of the whole run.
    pub fn new(streams: usize, teams: usize, agents: usize, warmup: Time, horizon: Time) -> Tally {
        let tw = || TimeWeighted::new(warmup);
        Tally {
            visitors: 0,
            suppressed: 0,
            hidden_demand: 0,
            total: Outcomes::default(),
            streams: vec![Outcomes::default(); streams],
            teams: vec![Outcomes::default(); teams],
            agents: (0..agents)
                .map(|_| AgentTally {
                    offers: 0,
                    accepted: 0,
                    missed: 0,
                    declined: 0,
                    too_slow: 0,
                    response_sum_s: 0.0,
                    online: tw(),
                    at_cap: tw(),
                    busy: tw(),
                    offline_held: tw(),
                    chatting: tw(),
                    withdrawn: 0,
                    engaged: 0,
                    chat_length_sum_s: 0.0,
                })
                .collect(),
            online_agents: tw(),
            online_slots: tw(),
            busy_slots: tw(),
            agents_at_cap: tw(),
            trial_exhausted_at: None,
            counted: horizon - warmup,
            in_flight_at_end: 0,
            events: 0,
            series: Series::new(Time::MAX, Time::MAX),
            responses: Histogram::new(1.0, 0),
            queued: 0,
            queue_timeouts: 0,
            queue_wait_sum_s: 0.0,
            queue_left: 0,
            intervals: Intervals::new(
                Time::MAX,
                0,
                warmup,
                horizon,
                teams,
                streams,
                &vec![(Vec::new(), 0); agents],
            ),
            windows: Vec::new(),
            week: None,
        }
    }

    /// The interval of the week `now` falls in (see [`Intervals::slot_at`]).
    #[inline(always)]
    pub fn slot_at(&mut self, now: Time) -> u32 {
        self.intervals.slot_at(now, &self.agents)
    }

    /// The run folded onto the intervals of the week: `intervals.csv`'s source.
    pub fn week_intervals(&self) -> &Intervals {
        self.week.as_deref().unwrap_or(&self.intervals)
    }

    /// Folds the run onto `intervals` (by default one interval of the whole run).
    pub fn with_intervals(mut self, intervals: Intervals) -> Tally {
        self.intervals = intervals;
        self
    }

    /// Records the time series in buckets of `bucket` up to `horizon`, and response times in
    /// bins fine enough to show where the accept window `window` cuts them.
    pub fn with_series(mut self, bucket: Time, horizon: Time, window: Time) -> Tally {
        self.series = Series::new(bucket, horizon);
        self.responses = Histogram::new(
            window.as_secs_f64() / RESPONSE_BINS_PER_WINDOW as f64,
            2 * RESPONSE_BINS_PER_WINDOW,
        );
        self
    }

    /// Applies `f` to the stream's and the team's outcomes alike (the site's are their sum).
    pub fn outcome(&mut self, stream: u32, team: Option<u32>, f: impl Fn(&mut Outcomes)) {
        f(&mut self.streams[stream as usize]);
        if let Some(t) = team {
            f(&mut self.teams[t as usize]);
        }
    }

    /// Records an agent's state change at `now` in every time-weighted figure. Runs on every
    /// offer and chat end, so it touches only what changed; the site-wide figures other than
    /// online slots are sums of the agents' and are added up at the end.
    pub fn agent_changed(&mut self, now: Time, agent: usize, old: AgentState, new: AgentState) {
        self.intervals.reach(now, &self.agents);
        let (o, n) = (contribution(old), contribution(new));
        let d: [i64; LEVELS] = std::array::from_fn(|k| n[k] - o[k]);
        let a = &mut self.agents[agent];
        let offline = offline_held(new) - offline_held(old);
        if offline != 0 {
            a.offline_held.change(now, offline);
        }
        let chatting = chatting(new) - chatting(old);
        if chatting != 0 {
            a.chatting.change(now, chatting);
        }
        if d[BUSY_SLOTS] != 0 {
            a.busy.change(now, d[BUSY_SLOTS]);
        }
        if d[AGENTS_AT_CAP] != 0 {
            a.at_cap.change(now, d[AGENTS_AT_CAP]);
        }
        if d[ONLINE_AGENTS] != 0 {
            a.online.change(now, d[ONLINE_AGENTS]);
            self.online_slots.change(now, d[ONLINE_SLOTS]);
        }
        self.series.change(now, d);
    }

    /// [`Tally::agent_changed`] for the commonest change, a slot taken or freed (on every offer
    /// and chat end): agents online and their slots stay as they were, so only busy slots and
    /// the agents at cap move. Both take their change even when it is zero: whether a change
    /// crosses the cap is as random as the traffic, so a test on it would often be mispredicted.
    #[inline(always)]
    pub fn held_changed(&mut self, now: Time, agent: usize, old: AgentState, new: AgentState) {
        debug_assert_eq!((old.online, old.cap), (new.online, new.cap));
        self.intervals.reach(now, &self.agents);
        let on = old.online as i64;
        let busy = on * (new.held as i64 - old.held as i64);
        let at_cap = on * (new.at_cap() as i64 - old.at_cap() as i64);
        let a = &mut self.agents[agent];
        a.busy.change(now, busy);
        a.at_cap.change(now, at_cap);
        // The chats held offline and the agents chatting change only for an agent offline, or
        // one left without a chat or given a first one (a slot moves by one, so one of the two
        // counts is zero): both seldom, so the common case pays one test for the two.
        if !old.online || old.held.min(new.held) == 0 {
            if !old.online {
                a.offline_held
                    .change(now, new.held as i64 - old.held as i64);
            }
            let chatting = chatting(new) - chatting(old);
            if chatting != 0 {
                a.chatting.change(now, chatting);
            }
        }
        let mut d = [0; LEVELS];
        d[BUSY_SLOTS] = busy;
        d[AGENTS_AT_CAP] = at_cap;
        self.series.change(now, d);
    }

    /// Closes every time-weighted figure at the end of the run.
    pub fn finish(&mut self, end: Time) {
        self.intervals.finish(end, &self.agents);
        for a in &mut self.agents {
            a.online.finish(end);
            a.at_cap.finish(end);
            a.busy.finish(end);
            a.offline_held.finish(end);
            a.chatting.finish(end);
            self.online_agents.add(&a.online);
            self.busy_slots.add(&a.busy);
            self.agents_at_cap.add(&a.at_cap);
        }
        for tw in [
            &mut self.online_agents,
            &mut self.online_slots,
            &mut self.busy_slots,
            &mut self.agents_at_cap,
        ] {
            tw.finish(end);
        }
        self.series.finish();
        for s in &self.streams {
            self.total.add(s);
        }
    }
}

impl AgentLevels for AgentTally {
    fn levels(&self) -> [&TimeWeighted; 5] {
        [
            &self.online,
            &self.busy,
            &self.at_cap,
            &self.offline_held,
            &self.chatting,
        ]
    }
}

/// The chats an offline agent still holds.
#[inline(always)]
fn offline_held(s: AgentState) -> i64 {
    (!s.online) as i64 * s.held as i64
}

/// Whether an agent counts among those online holding a chat.
#[inline(always)]
fn chatting(s: AgentState) -> i64 {
    (s.online && s.held > 0) as i64
}

/// The response-time histogram's resolution: bins per accept window (it covers two windows).
const RESPONSE_BINS_PER_WINDOW: usize = 20;

/// What one agent adds to the site-wide levels, in the series' order: only online agents
/// count, so occupancy is busy slots over the slots of the agents online.
fn contribution(s: AgentState) -> [i64; LEVELS] {
    let on = s.online as i64;
    let mut c = [0; LEVELS];
    c[ONLINE_AGENTS] = on;
    c[ONLINE_SLOTS] = on * s.cap as i64;
    c[BUSY_SLOTS] = on * s.held as i64;
    c[AGENTS_AT_CAP] = on * s.at_cap() as i64;
    c
}
