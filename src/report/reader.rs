//! The one reader of a replication's tally: every number an output shows (`summary.json`, the
//! tables, the time series, the plots) is read here from the counts, so a figure means the same
//! thing everywhere.

use crate::figure::{Figure, LOAD, Metric, Scope};
use crate::model::{AGENTS_AT_CAP, BUSY_SLOTS, Bucket, ONLINE_AGENTS, ONLINE_SLOTS};
use crate::model::{AgentTally, Outcomes, Tally};
use crate::model::{CHATTING_AGENTS, LIVE_CHATS, LOADS};
use crate::scenario::Scenario;

/// Where a figure is read: the site, a team, a stream or an agent, by index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Site,
    Team(usize),
    Stream(usize),
    Agent(usize),
}

pub struct Reader<'s> {
    sc: &'s Scenario,
}

impl<'s> Reader<'s> {
    pub fn new(sc: &'s Scenario) -> Self {
        Reader { sc }
    }

    /// The figure's value in this replication; `None` where it is undefined there (a rate with
    /// no requests, an exhaustion time when the limit was never reached) or for a scope that
    /// the scenario does not have.
    pub fn figure(&self, t: &Tally, f: &Figure) -> Option<f64> {
        let t = match &f.window {
            Some(w) => t
                .windows
                .get(self.sc.windows.iter().position(|x| &x.text == w)?)?,
            None => t,
        };
        let at = match &f.scope {
            Scope::Site => At::Site,
            Scope::Team(name) => At::Team(self.sc.teams.iter().position(|x| &x.name == name)?),
            Scope::Stream(name) => {
                At::Stream(self.sc.streams.iter().position(|x| &x.name == name)?)
            }
        };
        self.value(t, f.metric, at)
    }

    /// `m` at `at`, in its public unit.
    pub fn value(&self, t: &Tally, m: Metric, at: At) -> Option<f64> {
        self.read(t, m, at, 1.0)
    }

    /// `m` at `at` as the tables give it ([`Metric::column_divisor`]).
    pub fn column(&self, t: &Tally, m: Metric, at: At) -> Option<f64> {
        self.read(t, m, at, m.column_divisor())
    }

    /// Sums over events (chat lengths, response times) are divided by `divisor` before they are
    /// averaged, so that a table in minutes gives the same digits as it always has.
    fn read(&self, t: &Tally, m: Metric, at: At, divisor: f64) -> Option<f64> {
        if let At::Agent(a) = at {
            if LOAD.contains(&m) {
                let cap = self.sc.agents[a].cap;
                return load(
                    m,
                    &agent_loads(&t.agents[a], cap),
                    t.counted.millis() as f64,
                );
            }
            return agent(&t.agents[a], self.sc.agents[a].cap as f64, m, divisor);
        }
        let o = match at {
            At::Site => &t.total,
            At::Team(i) => &t.teams[i],
            At::Stream(i) => &t.streams[i],
            At::Agent(_) => unreachable!("read above"),
        };
        if let Some(v) = outcome(o, m, divisor) {
            return Some(v);
        }
        match at {
            At::Site => self.site(t, m),
            At::Team(i) => {
                let members = self.sc.teams[i].members.iter().map(|&a| a as usize);
                self.rollup(t, m, members)
            }
            _ => None,
        }
    }

    fn site(&self, t: &Tally, m: Metric) -> Option<f64> {
        let count = |n: u64| Some(n as f64);
        let requests = t.total.requests as f64;
        let trial = self.sc.package.trial_engagements.is_some();
        match m {
            Metric::Visitors => count(t.visitors),
            Metric::InFlightAtEnd => count(t.in_flight_at_end),
            Metric::Suppressed => count(t.suppressed),
            Metric::HiddenDemand => count(t.hidden_demand),
            Metric::Emails => count(t.total.fallbacks()),
            Metric::Occupancy => ratio(t.busy_slots.area_secs(), t.online_slots.area_secs()),
            Metric::CapSaturation => {
                ratio(t.agents_at_cap.area_secs(), t.online_agents.area_secs())
            }
            Metric::OnlineAgents => ratio(t.online_agents.area_secs(), t.counted.as_secs_f64()),
            Metric::LiveChats | Metric::ChatsPerAgent | Metric::ChattingShare => {
                let all =
                    (t.agents.iter().zip(&self.sc.agents)).map(|(a, x)| agent_loads(a, x.cap));
                load(m, &sum_loads(all), t.counted.millis() as f64)
            }
            Metric::TrialExhausted => Some((trial && t.trial_exhausted_at.is_some()) as u8 as f64),
            Metric::TrialExhaustedAt => t
                .trial_exhausted_at
                .filter(|_| trial)
                .map(|x| x.as_secs_f64()),
            Metric::QueueQueued => count(t.queued),
            Metric::QueueWaitedShare => ratio(t.queued as f64, requests),
            Metric::QueueWait => ratio(t.queue_wait_sum_s, t.queue_left as f64),
            Metric::QueueTimeouts => count(t.queue_timeouts),
            Metric::QueueTimeoutRate => ratio(t.queue_timeouts as f64, requests),
            _ => None,
        }
    }

    /// A team's agents' offers and time, added up.
    fn rollup(&self, t: &Tally, m: Metric, members: impl Iterator<Item = usize>) -> Option<f64> {
        let members: Vec<usize> = members.collect();
        let agents: Vec<(&AgentTally, f64)> = members
            .iter()
            .map(|&a| (&t.agents[a], self.sc.agents[a].cap as f64))
            .collect();
        let sum = |f: fn(&AgentTally) -> f64| Some(agents.iter().map(|(a, _)| f(a)).sum());
        let areas = |f: fn(&AgentTally, f64) -> (f64, f64)| {
            let (num, den) = agents.iter().fold((0.0, 0.0), |(n, d), &(a, cap)| {
                let (x, y) = f(a, cap);
                (n + x, d + y)
            });
            ratio(num, den)
        };
        match m {
            Metric::Offers => sum(|a| a.offers as f64),
            Metric::OffersMissed => sum(|a| a.missed as f64),
            Metric::OffersDeclined => sum(|a| a.declined as f64),
            Metric::OffersTimedOut => sum(|a| a.too_slow as f64),
            Metric::OnlineHours => sum(|a| a.online.area_secs() / 3600.0),
            Metric::CapSaturation => areas(|a, _| (a.at_cap.area_secs(), a.online.area_secs())),
            Metric::Occupancy => areas(|a, cap| (a.busy.area_secs(), a.online.area_secs() * cap)),
            Metric::LiveChats | Metric::ChatsPerAgent | Metric::ChattingShare => {
                let sums = sum_loads(
                    members
                        .iter()
                        .map(|&a| agent_loads(&t.agents[a], self.sc.agents[a].cap)),
                );
                load(m, &sums, t.counted.millis() as f64)
            }
            _ => None,
        }
    }

    /// `m` in interval `slot` of the week at the site, a team or a stream, averaged over the
    /// weeks it came round: counts per week, levels over its time. Streams have no agents and
    /// so no levels.
    pub fn interval(&self, t: &Tally, m: Metric, at: At, slot: usize) -> Option<f64> {
        let iv = t.week_intervals();
        let weeks = iv.occurrences(slot);
        let site;
        let (o, team) = match at {
            At::Site => {
                site = iv.site(slot);
                (&site, None)
            }
            At::Team(i) => (iv.team(slot, i), Some(i)),
            At::Stream(i) => (iv.stream(slot, i), None),
            At::Agent(_) => return None,
        };
        let per_week = |n: u64| ratio(n as f64, weeks);
        match m {
            Metric::Requests => return per_week(o.requests),
            Metric::Engaged => return per_week(o.engaged),
            Metric::Abandoned => return per_week(o.abandoned),
            Metric::Fallback => return per_week(o.fallbacks()),
            Metric::FallbackFor(r) => return per_week(o.fallback[r.index()]),
            _ => {}
        }
        if let Some(v) = outcome(o, m, 1.0) {
            return Some(v);
        }
        if matches!(at, At::Stream(_)) {
            return None;
        }
        load(m, iv.areas(slot, team), iv.exposure(slot) as f64)
    }
}

/// An agent's levels over the counted time, in the order of [`load`]'s areas.
fn agent_loads(a: &AgentTally, cap: u32) -> [u128; LOADS] {
    let mut l = [0; LOADS];
    l[ONLINE_AGENTS] = a.online.area();
    l[ONLINE_SLOTS] = a.online.area() * cap as u128;
    l[BUSY_SLOTS] = a.busy.area();
    l[AGENTS_AT_CAP] = a.at_cap.area();
    l[LIVE_CHATS] = a.busy.area() + a.offline_held.area();
    l[CHATTING_AGENTS] = a.chatting.area();
    l
}

/// Levels added up over agents.
fn sum_loads(areas: impl Iterator<Item = [u128; LOADS]>) -> [u128; LOADS] {
    areas.fold([0; LOADS], |mut s, a| {
        for k in 0..LOADS {
            s[k] += a[k];
        }
        s
    })
}

/// A level figure of levels integrated over `ms` milliseconds.
fn load(m: Metric, areas: &[u128; LOADS], ms: f64) -> Option<f64> {
    let a = |k: usize| areas[k] as f64;
    match m {
        Metric::OnlineAgents => ratio(a(ONLINE_AGENTS), ms),
        Metric::BusySlots => ratio(a(BUSY_SLOTS), ms),
        Metric::AgentsAtCap => ratio(a(AGENTS_AT_CAP), ms),
        Metric::LiveChats => ratio(a(LIVE_CHATS), ms),
        Metric::Occupancy => ratio(a(BUSY_SLOTS), a(ONLINE_SLOTS)),
        Metric::CapSaturation => ratio(a(AGENTS_AT_CAP), a(ONLINE_AGENTS)),
        Metric::ChatsPerAgent => ratio(a(BUSY_SLOTS), a(ONLINE_AGENTS)),
        Metric::ChattingShare => ratio(a(CHATTING_AGENTS), a(ONLINE_AGENTS)),
        _ => None,
    }
}

/// The request metrics of a site, team or stream.
fn outcome(o: &Outcomes, m: Metric, divisor: f64) -> Option<f64> {
    let requests = o.requests as f64;
    let count = |n: u64| Some(n as f64);
    match m {
        Metric::Requests => count(o.requests),
        Metric::Engaged => count(o.engaged),
        Metric::Abandoned => count(o.abandoned),
        Metric::Fallback => count(o.fallbacks()),
        Metric::FallbackFor(r) => count(o.fallback[r.index()]),
        Metric::RetryAttempts => count(o.retry_attempts),
        Metric::RetryRescued => count(o.rescued),
        Metric::RetryFailed => count(o.retry_failed),
        Metric::Meetings => count(o.meetings),
        Metric::MissedRequests => count(o.fallbacks() + o.abandoned),
        Metric::FallbackRate => ratio(o.fallbacks() as f64, requests),
        Metric::FallbackRateFor(r) => ratio(o.fallback[r.index()] as f64, requests),
        Metric::EngagedRate => ratio(o.engaged as f64, requests),
        Metric::AbandonedRate => ratio(o.abandoned as f64, requests),
        Metric::ResponseTime => ratio(o.response_sum_s / divisor, o.engaged as f64),
        Metric::ChatLength => ratio(o.chat_length_sum_s / divisor, o.engaged as f64),
        Metric::Overflowed => count(o.overflowed),
        Metric::OverflowServed => count(o.overflow_served),
        _ => None,
    }
}

/// One agent's figures; its response time is over the offers it accepted.
fn agent(a: &AgentTally, cap: f64, m: Metric, divisor: f64) -> Option<f64> {
    let count = |n: u64| Some(n as f64);
    match m {
        Metric::Offers => count(a.offers),
        Metric::OffersAccepted => count(a.accepted),
        Metric::OffersMissed => count(a.missed),
        Metric::OffersDeclined => count(a.declined),
        Metric::OffersTimedOut => count(a.too_slow),
        Metric::OffersWithdrawn => count(a.withdrawn),
        Metric::Engaged => count(a.engaged),
        Metric::OnlineHours => Some(a.online.area_secs() / 3600.0),
        Metric::AtCapHours => Some(a.at_cap.area_secs() / 3600.0),
        Metric::CapSaturation => ratio(a.at_cap.area_secs(), a.online.area_secs()),
        Metric::Occupancy => ratio(a.busy.area_secs(), a.online.area_secs() * cap),
        Metric::ResponseTime => ratio(a.response_sum_s / divisor, a.accepted as f64),
        Metric::ChatLength => ratio(a.chat_length_sum_s / divisor, a.engaged as f64),
        _ => None,
    }
}

/// A figure of one time-series bucket of `secs` seconds, given the engagements before it.
/// Counts are of requests that arrived in the bucket; levels are time averages over it.
pub fn bucket(b: &Bucket, m: Metric, secs: f64, engaged_before: u64) -> Option<f64> {
    let count = |n: u64| Some(n as f64);
    let level = |k: usize| Some(b.areas[k] as f64 / 1000.0 / secs);
    match m {
        Metric::Visitors => count(b.visitors),
        Metric::Requests => count(b.requests),
        Metric::Engaged => count(b.engaged),
        Metric::Fallback => count(b.fallback.iter().sum()),
        Metric::FallbackFor(r) => count(b.fallback[r.index()]),
        Metric::Abandoned => count(b.abandoned),
        Metric::BusySlots => level(BUSY_SLOTS),
        Metric::OnlineAgents => level(ONLINE_AGENTS),
        Metric::AgentsAtCap => level(AGENTS_AT_CAP),
        Metric::Occupancy => {
            let slots = b.areas[ONLINE_SLOTS];
            (slots > 0).then(|| b.areas[BUSY_SLOTS] as f64 / slots as f64)
        }
        Metric::CumulativeEngaged => count(engaged_before + b.engaged),
        _ => None,
    }
}

/// `num / den`, undefined when `den` is not positive.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}
