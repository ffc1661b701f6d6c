//! Every metric chatsim computes, with everything that outputs need to know about it: its public
//! name (`summary.json`, `[[expect]]`, `--target`, `--metric`, baselines), its name in the tables
//! (the product dashboard's where the product has one), its unit, which way it gets worse and how
//! it is aggregated. A metric is added here and given a value in the tally's reader; every output
//! then shows it.

use std::fmt;

use super::Reason;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    Visitors,
    /// Live-chat requests (the product's "requested live chats").
    Requests,
    /// Accepted by an agent (the product's "connected live chats").
    Engaged,
    /// Visitors who ran out of patience before an accept.
    Abandoned,
    Fallback,
    FallbackFor(Reason),
    /// Offers beyond the first.
    RetryAttempts,
    /// Requests engaged on a retry.
    RetryRescued,
    /// Requests that got the fallback message although a retry was tried.
    RetryFailed,
    /// Meetings booked from the fallback.
    Meetings,
    /// Not connected: a fallback or abandoned.
    MissedRequests,
    FallbackRate,
    FallbackRateFor(Reason),
    EngagedRate,
    AbandonedRate,
    /// Requests still waiting for an accept at the horizon.
    InFlightAtEnd,
    /// Visitors whose dialogue did not trigger because the monthly limit was reached.
    Suppressed,
    /// Failure e-mails, one per fallback.
    Emails,
    /// Busy slots over the slots of online agents, time-averaged.
    Occupancy,
    /// Share of online agent time spent at the cap.
    CapSaturation,
    /// Agents online, time-averaged.
    OnlineAgents,
    /// Time to accept, over engaged requests (over accepted offers for one agent).
    ResponseTime,
    /// Chat length, including the inactivity timeout of chats that end by silence.
    ChatLength,
    /// Whether the trial's engagement limit was reached (its mean: the share of replications).
    TrialExhausted,
    /// When the trial's engagement limit was reached.
    TrialExhaustedAt,
    /// Requests that waited in a queue (the queue what-if).
    QueueQueued,
    QueueWaitedShare,
    /// Mean wait of the requests that left a queue.
    QueueWait,
    QueueTimeouts,
    QueueTimeoutRate,
    Offers,
    OffersAccepted,
    /// Offers never answered.
    OffersMissed,
    OffersDeclined,
    /// Offers answered after the window.
    OffersTimedOut,
    /// Offers withdrawn because the visitor left first.
    OffersWithdrawn,
    /// Agent-hours online.
    OnlineHours,
    /// Agent-hours at the cap.
    AtCapHours,
    /// Busy slots, time-averaged.
    BusySlots,
    /// Agents at their cap, time-averaged.
    AgentsAtCap,
    /// Engagements from the start up to the end of an interval.
    CumulativeEngaged,
    /// Chats held against the cap, by agents online or not, time-averaged: the level Little's
    /// law gives from the engagements and their length (with the offers still ringing).
    LiveChats,
    /// Chats held per agent online, time-averaged: the occupancy in chats rather than slots.
    ChatsPerAgent,
    /// Share of online agent time with at least one chat.
    ChattingShare,
    /// Visitors who would have asked for an agent but were not offered live chat: their
    /// dialogue branches on availability and nobody who could take them was online.
    HiddenDemand,
    /// Requests a team handed to its overflow team (counted under the team that handed them).
    Overflowed,
    /// Overflowed requests engaged by an agent of the team that took them (counted under it).
    OverflowServed,
}

/// What a figure's number measures, which decides how it is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Visitors, requests, offers, e-mails: never negative.
    Count,
    /// A share from 0 to 1, printed as a percentage.
    Share,
    Seconds,
    Minutes,
    Hours,
    /// A time-averaged number of agents or slots.
    Level,
}

impl Unit {
    /// Seconds per unit, for converting between times; 1 for quantities that are not times.
    fn seconds(self) -> f64 {
        match self {
            Unit::Minutes => 60.0,
            Unit::Hours => 3600.0,
            _ => 1.0,
        }
    }

    /// The range a value can take: every figure is a count, a time, a level or a share, never
    /// negative, so an interval reaching past the range is cut at its edge.
    pub fn range(self) -> (f64, f64) {
        match self {
            Unit::Share => (0.0, 1.0),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// An interval's ends cut to [`Unit::range`].
    pub fn clip(self, ci: [f64; 2]) -> [f64; 2] {
        let (min, max) = self.range();
        [ci[0].clamp(min, max), ci[1].clamp(min, max)]
    }
}

/// Which way a metric gets worse; `None` for counts and levels that move with traffic rather
/// than with the quality of routing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Worse {
    Higher,
    Lower,
}

impl Worse {
    pub fn name(self) -> &'static str {
        match self {
            Worse::Higher => "higher_is_worse",
            Worse::Lower => "lower_is_worse",
        }
    }
}

/// How one replication's value comes out of its events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    /// Events counted.
    Total,
    /// One count over another.
    Ratio,
    /// A level integrated over time, divided by the time or by another level's integral.
    TimeAverage,
    /// A sum over events divided by their number.
    Mean,
    /// A yes or no, as 1 or 0.
    Indicator,
    /// The instant something happened.
    Instant,
}

/// Which table a column name is for: the team and stream tables use the product dashboard's
/// names, the agent table names an agent's own offers without the prefix, and the time series
/// keeps the public names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Groups,
    Agents,
    Series,
}

/// A metric's facts, in one place.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The public name; reasons are appended as `.<reason>`.
    pub name: &'static str,
    /// How a person reads it, in the terminal and report.html.
    pub label: &'static str,
    pub unit: Unit,
    pub worse: Option<Worse>,
    pub aggregation: Aggregation,
}

/// The request metrics every team and stream has, in `summary.json`'s order; a metric with a
/// reason stands for one per reason.
pub const GROUP: [Metric; 12] = [
    Metric::Requests,
    Metric::Engaged,
    Metric::Abandoned,
    Metric::Fallback,
    Metric::FallbackFor(Reason::NoRule),
    Metric::RetryAttempts,
    Metric::RetryRescued,
    Metric::Meetings,
    Metric::FallbackRate,
    Metric::FallbackRateFor(Reason::NoRule),
    Metric::EngagedRate,
    Metric::AbandonedRate,
];

/// The site's metrics after its request metrics and before the teams' and streams'.
const SITE: [Metric; 10] = [
    Metric::InFlightAtEnd,
    Metric::Suppressed,
    Metric::Emails,
    Metric::Occupancy,
    Metric::CapSaturation,
    Metric::OnlineAgents,
    Metric::ResponseTime,
    Metric::ChatLength,
    Metric::TrialExhausted,
    Metric::TrialExhaustedAt,
];

/// The queue what-if's metrics, last in `summary.json`.
pub const QUEUE: [Metric; 5] = [
    Metric::QueueQueued,
    Metric::QueueWaitedShare,
    Metric::QueueWait,
    Metric::QueueTimeouts,
    Metric::QueueTimeoutRate,
];

/// How loaded agents are, in the units people think in; after [`QUEUE`] in the summary, and
/// not in `summary.json`, whose figures stay those of the files that older versions wrote.
pub const LOAD: [Metric; 3] = [
    Metric::LiveChats,
    Metric::ChatsPerAgent,
    Metric::ChattingShare,
];

/// The figures of dialogues that offer live chat only when an agent is available, in
/// `summary.json` only when some stream does (see [`super::Uses`]).
pub const UNAVAILABLE_BRANCH: [Metric; 1] = [Metric::HiddenDemand];

/// The overflow what-if's figures, site-wide and per team, in `summary.json` only when some
/// team or rule overflows (see [`super::Uses`]).
pub const OVERFLOW: [Metric; 2] = [Metric::Overflowed, Metric::OverflowServed];

/// The headline figures, in the order the terminal and report.html show them (the trial's only
/// when a limit applies).
pub const HEADLINE: [Metric; 14] = [
    Metric::Visitors,
    Metric::Requests,
    Metric::Engaged,
    Metric::FallbackRate,
    Metric::Abandoned,
    Metric::RetryRescued,
    Metric::Meetings,
    Metric::Occupancy,
    Metric::ChatsPerAgent,
    Metric::ChattingShare,
    Metric::CapSaturation,
    Metric::ResponseTime,
    Metric::ChatLength,
    Metric::TrialExhausted,
];

impl Metric {
    pub fn spec(self) -> Spec {
        use Aggregation::*;
        use Unit::*;
        let spec = |name, label, unit, worse, aggregation| Spec {
            name,
            label,
            unit,
            worse,
            aggregation,
        };
        let higher = Some(Worse::Higher);
        match self {
            Metric::Visitors => spec("visitors", "visitors", Count, None, Total),
            Metric::Requests => spec("requests", "live-chat requests", Count, None, Total),
            Metric::Engaged => spec("engaged", "connected", Count, None, Total),
            Metric::Abandoned => spec("abandoned", "abandoned", Count, None, Total),
            Metric::Fallback => spec("fallback", "fallbacks", Count, None, Total),
            Metric::FallbackFor(_) => spec("fallback", "fallbacks", Count, None, Total),
            Metric::RetryAttempts => spec("retry.attempts", "retry offers", Count, None, Total),
            Metric::RetryRescued => spec("retry.rescued", "rescued by a retry", Count, None, Total),
            Metric::RetryFailed => spec("retry.failed", "failed after a retry", Count, None, Total),
            Metric::Meetings => spec("meetings", "meetings booked", Count, None, Total),
            Metric::MissedRequests => {
                spec("missed_requests", "missed requests", Count, None, Total)
            }
            Metric::FallbackRate => spec("fallback_rate", "fallback rate", Share, higher, Ratio),
            Metric::FallbackRateFor(_) => {
                spec("fallback_rate", "fallback rate", Share, higher, Ratio)
            }
            Metric::EngagedRate => spec(
                "engaged_rate",
                "connected rate",
                Share,
                Some(Worse::Lower),
                Ratio,
            ),
            Metric::AbandonedRate => spec("abandoned_rate", "abandoned rate", Share, higher, Ratio),
            Metric::InFlightAtEnd => spec(
                "in_flight_at_end",
                "in flight at the end",
                Count,
                None,
                Total,
            ),
            Metric::Suppressed => spec("suppressed", "suppressed", Count, None, Total),
            Metric::Emails => spec("emails", "failure e-mails", Count, None, Total),
            Metric::Occupancy => spec("occupancy", "occupancy", Share, None, TimeAverage),
            Metric::CapSaturation => spec(
                "cap_saturation",
                "agents at cap",
                Share,
                higher,
                TimeAverage,
            ),
            Metric::OnlineAgents => spec(
                "online_agents.mean",
                "agents online",
                Level,
                None,
                TimeAverage,
            ),
            Metric::ResponseTime => spec(
                "response_time.mean_s",
                "avg agent response",
                Seconds,
                None,
                Mean,
            ),
            Metric::ChatLength => {
                spec("chat_length.mean_s", "avg chat length", Seconds, None, Mean)
            }
            Metric::TrialExhausted => {
                spec("trial.exhausted", "trial used up", Share, None, Indicator)
            }
            Metric::TrialExhaustedAt => spec(
                "trial.exhausted_at_s",
                "trial used up after",
                Seconds,
                None,
                Instant,
            ),
            Metric::QueueQueued => spec("queue.queued", "queued", Count, None, Total),
            Metric::QueueWaitedShare => {
                spec("queue.waited_share", "share queued", Share, None, Ratio)
            }
            Metric::QueueWait => spec("queue.wait.mean_s", "avg queue wait", Seconds, None, Mean),
            Metric::QueueTimeouts => spec("queue.timeouts", "queue timeouts", Count, None, Total),
            // Judged through `fallback_rate.at_cap`, which counts these timeouts.
            Metric::QueueTimeoutRate => spec(
                "queue.timeout_rate",
                "queue timeout rate",
                Share,
                None,
                Ratio,
            ),
            Metric::Offers => spec("offers", "offers", Count, None, Total),
            Metric::OffersAccepted => spec("offers.accepted", "accepted", Count, None, Total),
            Metric::OffersMissed => spec("offers.missed", "missed", Count, None, Total),
            Metric::OffersDeclined => spec("offers.declined", "declined", Count, None, Total),
            Metric::OffersTimedOut => spec("offers.timed_out", "timed out", Count, None, Total),
            Metric::OffersWithdrawn => spec("offers.withdrawn", "withdrawn", Count, None, Total),
            Metric::OnlineHours => spec("online_h", "online", Hours, None, TimeAverage),
            Metric::AtCapHours => spec("at_cap_h", "at cap", Hours, None, TimeAverage),
            Metric::BusySlots => spec("busy_slots", "busy slots", Level, None, TimeAverage),
            Metric::AgentsAtCap => spec("agents_at_cap", "agents at cap", Level, None, TimeAverage),
            Metric::LiveChats => spec("live_chats.mean", "live chats", Level, None, TimeAverage),
            Metric::ChatsPerAgent => spec(
                "chats_per_agent.mean",
                "chats per online agent",
                Level,
                None,
                TimeAverage,
            ),
            Metric::ChattingShare => spec(
                "chatting_share",
                "agents chatting",
                Share,
                None,
                TimeAverage,
            ),
            Metric::CumulativeEngaged => spec(
                "cumulative_engaged",
                "engagements so far",
                Count,
                None,
                Total,
            ),
            Metric::HiddenDemand => spec("hidden_demand", "hidden demand", Count, None, Total),
            Metric::Overflowed => spec("overflow.sent", "overflowed", Count, None, Total),
            Metric::OverflowServed => spec(
                "overflow.served",
                "served from overflow",
                Count,
                None,
                Total,
            ),
        }
    }

    /// The public name, like `fallback_rate.at_cap`.
    pub fn name(self) -> String {
        let base = self.spec().name;
        match self.reason() {
            Some(r) => format!("{base}.{}", r.name()),
            None => base.to_string(),
        }
    }

    pub fn label(self) -> String {
        let base = self.spec().label;
        match self.reason() {
            Some(r) => format!("{base}: {}", r.name()),
            None => base.to_string(),
        }
    }

    pub fn unit(self) -> Unit {
        self.spec().unit
    }

    pub fn worse(self) -> Option<Worse> {
        self.spec().worse
    }

    pub fn reason(self) -> Option<Reason> {
        match self {
            Metric::FallbackFor(r) | Metric::FallbackRateFor(r) => Some(r),
            _ => None,
        }
    }

    /// The same metric for another reason (itself when it has none).
    pub fn for_reason(self, r: Reason) -> Metric {
        match self {
            Metric::FallbackFor(_) => Metric::FallbackFor(r),
            Metric::FallbackRateFor(_) => Metric::FallbackRateFor(r),
            m => m,
        }
    }

    /// Itself, or one metric per reason when it has a reason.
    pub fn each_reason(self) -> impl Iterator<Item = Metric> {
        let n = if self.reason().is_some() {
            Reason::ALL.len()
        } else {
            1
        };
        (0..n).map(move |i| self.for_reason(Reason::ALL[i]))
    }

    /// The name in a table: the product dashboard's where it has one, with the unit as a suffix.
    pub fn column(self, table: Table) -> String {
        let base = match (self, table) {
            (Metric::Requests, Table::Groups) => "requested_live_chats",
            (Metric::Engaged, Table::Groups) => "connected_live_chats",
            (Metric::Meetings, Table::Groups) => "meetings_booked",
            (Metric::OffersAccepted, Table::Agents) => "accepted",
            (Metric::OffersMissed, Table::Agents) => "missed",
            (Metric::OffersDeclined, Table::Agents) => "declined",
            (Metric::OffersTimedOut, Table::Agents) => "timed_out",
            (Metric::OffersWithdrawn, Table::Agents) => "withdrawn",
            (Metric::OnlineHours, Table::Groups) => "online_agent_h",
            (Metric::Occupancy, _) => "occupancy_share",
            (Metric::CapSaturation, _) => "at_cap_share",
            (Metric::OnlineAgents, _) => "online_agents",
            (Metric::LiveChats, _) => "live_chats",
            (Metric::ChatsPerAgent, _) => "chats_per_agent",
            (Metric::ResponseTime, _) => "avg_agent_response_s",
            (Metric::ChatLength, _) => "avg_chat_length_min",
            _ => "",
        };
        if !base.is_empty() {
            return base.to_string();
        }
        // Otherwise the public name with underscores: `retry.rescued` is `retry_rescued`.
        self.name().replace('.', "_")
    }

    /// What the tables divide the public value by: the ratio of their unit to the public one.
    pub fn column_divisor(self) -> f64 {
        self.column_unit().seconds() / self.unit().seconds()
    }

    /// The unit of its table column: chat lengths are in minutes there, as on the product's
    /// dashboard.
    pub fn column_unit(self) -> Unit {
        match self {
            Metric::ChatLength => Unit::Minutes,
            m => m.unit(),
        }
    }

    /// Every metric once, reasons expanded: the vocabulary a name is parsed against.
    pub fn all() -> impl Iterator<Item = Metric> {
        let more = [
            Metric::RetryFailed,
            Metric::MissedRequests,
            Metric::Offers,
            Metric::OffersAccepted,
            Metric::OffersMissed,
            Metric::OffersDeclined,
            Metric::OffersTimedOut,
            Metric::OffersWithdrawn,
            Metric::OnlineHours,
            Metric::AtCapHours,
            Metric::BusySlots,
            Metric::AgentsAtCap,
            Metric::CumulativeEngaged,
        ];
        site_metrics()
            .into_iter()
            .chain(QUEUE)
            .chain(LOAD)
            .chain(more)
            .chain(super::Uses::ALL.site_metrics())
    }

    /// The metric named `name` (its public name), if any.
    pub fn parse(name: &str) -> Option<Metric> {
        Metric::all().find(|m| m.name() == name)
    }
}

/// The request metrics of a team or a stream, reasons expanded, in `summary.json`'s order.
pub fn group_metrics() -> Vec<Metric> {
    GROUP.into_iter().flat_map(Metric::each_reason).collect()
}

/// The site's metrics that come before the teams' and streams' in `summary.json`, in its order;
/// [`QUEUE`] follows them.
pub fn site_metrics() -> Vec<Metric> {
    std::iter::once(Metric::Visitors)
        .chain(group_metrics())
        .chain(SITE)
        .collect()
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
