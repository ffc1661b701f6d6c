//! The checked scenario: every default applied, every reference resolved to an index, every
//! number validated. The model reads only this; nothing downstream re-checks input.

use crate::dist::Dist;
use crate::engine::Time;
use crate::figure::Figure;

pub type AgentId = u32;
pub type TeamId = u32;

#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub simulation: Simulation,
    pub package: Package,
    pub arrivals: Arrivals,
    pub visitors: Visitors,
    pub streams: Vec<Stream>,
    /// One entry per agent, groups already expanded (`emea` with count 4 -> `emea-1` .. `emea-4`).
    pub agents: Vec<Agent>,
    /// The agent groups as written, so that reports and what-ifs can address them by name.
    pub groups: Vec<AgentGroup>,
    pub teams: Vec<Team>,
    pub accounts: Vec<Account>,
    /// Bounds on metrics that `chatsim check` holds the scenario to, in file order.
    pub expect: Vec<Expectation>,
    /// The weekly windows figures are restricted to: `[simulation] window` and the
    /// expectations' windows, each once, in the order they first appear.
    pub windows: Vec<Window>,
    pub provenance: Provenance,
}

/// Where a checked scenario came from, recorded in every output that could be mistaken for
/// another configuration's.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Provenance {
    /// SHA-256 of the scenario's text and the overrides applied to it, in hex: two runs with the
    /// same fingerprint simulated the same configuration.
    pub fingerprint: String,
    /// The overrides given on the command line, as `PATH=VALUE`.
    pub overrides: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Simulation {
    pub horizon: Time,
    /// Statistics ignore requests that arrive before it and time before it.
    pub warmup: Time,
    pub replications: u32,
    pub seed: u64,
    /// Width of time-series buckets.
    pub bucket: Time,
    /// Width of the intervals of the week that `intervals.csv` is counted in.
    pub interval: Time,
    /// The window every figure is restricted to (`[simulation] window`, `--window`), as an
    /// index into [`Scenario::windows`].
    pub window: Option<usize>,
    /// The instant simulated time 0 stands for, in whole seconds (default Monday 1 January
    /// 2024, 00:00 UTC).
    pub start: jiff::Timestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Select,
    Prime,
}

/// Which requests may be retried on another agent after a timeout or a decline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryScope {
    /// Only team routing (the seed page's rule; needs Prime).
    Team,
    /// Any routing option, the next attempt from the same pool (the later product notes' rule).
    Any,
}

/// Which of the product's documented behaviours a scenario simulates (docs/model.md, "Releases").
/// Each release keeps every change of the releases before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Release {
    /// The live-chat overview page: today's model.
    Overview,
    /// January 2024: the cap becomes an admin setting from 1 to 10, default 5.
    Jan2024,
    /// April/May 2025: custom rules and teams fall back to round robin over every available
    /// agent when none of theirs is.
    Apr2025,
    /// June 2025: the routing revamp, up to two attempts for every routing option.
    Jun2025,
}

impl Release {
    pub const ALL: [Release; 4] = [
        Release::Overview,
        Release::Jan2024,
        Release::Apr2025,
        Release::Jun2025,
    ];

    /// The name a scenario gives it (`[package] release`).
    pub fn name(self) -> &'static str {
        match self {
            Release::Overview => "overview",
            Release::Jan2024 => "2024-01",
            Release::Apr2025 => "2025-04",
            Release::Jun2025 => "2025-06",
        }
    }
}

/// Account routing when the mapped agent cannot take the chat, under the June 2025 release
/// (whose note reads both ways).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountFallback {
    /// The fallback message (or the owner's calendar): no other agent is tried.
    MappedOnly,
    /// One available agent picked by round robin over every agent (the note's table).
    RoundRobin,
}

/// What counts against the monthly limit of engaged conversations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthlyCounting {
    /// As the product counts: every visitor who engages a dialogue up to the live-chat card
    /// counts one, and on Select a live chat that follows counts one more.
    Conversations,
    /// One per live chat accepted, whatever the package (chatsim's count before).
    LiveChats,
}

#[derive(Clone, Debug)]
pub struct Package {
    pub tier: Tier,
    pub release: Release,
    /// Custom rules and team cards whose agents are all unavailable at the first resolution
    /// go to round robin over every agent (releases 2025-04 on).
    pub round_robin_fallback: bool,
    pub account_fallback: AccountFallback,
    /// When every attempt fails, the first-tried agent's calendar is shown instead of the
    /// fallback message: counted as a booked meeting (release 2025-06).
    pub calendar: bool,
    /// Lifetime engagement limit (Select's trial: 100); `None` means no limit.
    pub trial_engagements: Option<u64>,
    /// Engaged conversations per calendar month; once reached, dialogues stop triggering.
    pub monthly_engagements: Option<u64>,
    /// What the monthly limit counts.
    pub monthly_counting: MonthlyCounting,
    /// Further agents tried after the first one fails to accept (Prime team default: 1).
    pub retries: u32,
    pub retry_scope: RetryScope,
    pub accept_timeout: Time,
    /// Default cap for agents that do not set one.
    pub cap: u32,
    pub inactivity_timeout: Time,
    /// The waiting-queue what-if: `None` is the product (no queue, `at_cap` at once).
    pub queue: Option<Queue>,
    /// Mean length of one break, for agents with shrinkage.
    pub break_length: Time,
    /// Default shrinkage for agents that do not set one.
    pub shrinkage: f64,
}

/// Requests that find every eligible agent at cap wait, first come first served, per pool.
#[derive(Clone, Debug)]
pub struct Queue {
    /// After this long in the queue a request gets the fallback message (`at_cap`).
    pub max_wait: Time,
}

#[derive(Clone, Debug)]
pub struct Arrivals {
    /// Where visitors come from; the site's traffic is the superposition of the sources'. A
    /// scenario without `[[arrivals.sources]]` has one, `[arrivals]`'s own rate keys.
    pub sources: Vec<Source>,
    /// Visitors replayed from a file instead of generated. The sources are then unused (still
    /// checked), so that `--set arrivals.trace=...` works on any scenario.
    pub trace: Option<super::Trace>,
}

/// One source of visitors: a Poisson process with its own rate, profile and time zone, whose
/// visitors may bring attributes and streams of their own.
#[derive(Clone, Debug)]
pub struct Source {
    /// Empty for `[arrivals]`'s own rate keys.
    pub name: String,
    /// Mean visitors per hour before the hourly, weekday and surge multipliers.
    pub per_hour: f64,
    /// Multiplier by hour of day on `clock`, 24 entries.
    pub hourly: [f64; 24],
    /// Multiplier by day of week on `clock`, Monday first, 7 entries.
    pub weekday: [f64; 7],
    /// The local time `hourly` and `weekday` are read in (UTC unless `time_zone` says).
    pub clock: Clock,
    /// The source's own surges, then `[arrivals] surges`, which apply to every source.
    pub surges: Vec<Surge>,
    /// Per visitor attribute (as `Visitors::attributes`), how this source's visitors get it.
    /// Empty when every attribute is drawn from `[visitors]`.
    pub attributes: Vec<AttributeDraw>,
    /// Share of this source's visitors who enter each stream (as `Scenario::streams`); `None`
    /// for the streams' own shares.
    pub streams: Option<Vec<f64>>,
}

impl Source {
    /// Whether its visitors differ from `[visitors]` and the streams' shares.
    pub fn is_plain(&self) -> bool {
        self.streams.is_none()
            && self
                .attributes
                .iter()
                .all(|a| matches!(a, AttributeDraw::Visitors))
    }
}

/// How a source's visitors get one attribute.
#[derive(Clone, Debug, PartialEq)]
pub enum AttributeDraw {
    /// Drawn from `[visitors]`' shares.
    Visitors,
    /// Always this value (an index into the attribute's values).
    Fixed(u32),
    /// Drawn from the source's own shares, one per value of the attribute, summing to 1.
    Shares(Vec<f64>),
}

impl Arrivals {
    /// Mean visitors per hour of every source together, before the profiles and surges.
    pub fn per_hour(&self) -> f64 {
        self.sources.iter().map(|s| s.per_hour).sum()
    }
}

#[derive(Clone, Debug)]
pub struct Surge {
    pub start: Time,
    pub length: Time,
    pub factor: f64,
}

#[derive(Clone, Debug)]
pub struct Visitors {
    pub attributes: Vec<Attribute>,
    /// Share of chats that end by the visitor going silent: they hold the slot for the
    /// inactivity timeout on top of their active length.
    pub silent_end: f64,
    /// How long a visitor waits for an accept before leaving; `None` waits for every window.
    pub patience: Option<Dist>,
    /// Share of visitors given the fallback message who book a meeting instead.
    pub meeting_booking: f64,
}

/// A categorical visitor attribute (country, segment, ...).
#[derive(Clone, Debug)]
pub struct Attribute {
    pub name: String,
    /// Values with their probabilities, in file order; the probabilities sum to 1.
    pub values: Vec<(String, f64)>,
}

#[derive(Clone, Debug)]
pub struct Stream {
    pub name: String,
    /// Share of all visitors who enter this stream.
    pub share: f64,
    /// Share of this stream's visitors who reach the live-chat card.
    pub live_chat: f64,
    pub routing: Routing,
    /// The dialogue branches on availability: its visitors reach the live-chat card only when
    /// an agent who could take them is online; the others are hidden demand.
    pub only_when_available: bool,
}

#[derive(Clone, Debug)]
pub enum Routing {
    RoundRobin,
    Agent(AgentId),
    Team(TeamId),
    /// Rules sorted by priority (highest first), then file order.
    Rules(Vec<Rule>),
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub priority: i64,
    /// All must hold.
    pub conditions: Vec<Condition>,
    pub target: Target,
    /// The team that takes the rule's requests when nobody of its own is eligible (the overflow
    /// what-if); a rule for a team without one takes the team's.
    pub overflow: Option<TeamId>,
}

/// The visitor's attribute `attribute` (an index into `Visitors::attributes`) takes one of
/// `values` (indices into that attribute's values).
#[derive(Clone, Debug)]
pub struct Condition {
    pub attribute: usize,
    pub values: Vec<u32>,
}

#[derive(Clone, Debug)]
pub enum Target {
    Agents(Vec<AgentId>),
    Team(TeamId),
}

#[derive(Clone, Debug)]
pub struct Agent {
    pub name: String,
    pub group: u32,
    pub team: Option<TeamId>,
    pub cap: u32,
    pub schedule: Schedule,
    pub response: Dist,
    /// Share of offers never answered (the window runs out).
    pub miss: f64,
    /// Share of answered offers that are declined at the response time.
    pub decline: f64,
    pub chat_length: Dist,
    /// Share of scheduled time lost to breaks and meetings (0 to below 1).
    pub shrinkage: f64,
    /// Busy agents slow down: `None` is the product as modelled, every chat at its own pace.
    pub slowdown: Option<std::sync::Arc<Slowdown>>,
}

/// How much slower an agent works by the number of its other live chats: entry k applies
/// when it has k other live chats, the last entry to any more.
#[derive(Clone, Debug, PartialEq)]
pub struct Slowdown {
    /// Factors on the response time to an offer (k: live chats when the offer is made).
    pub response: Vec<f64>,
    /// Factors on a live chat's length: its active part advances at 1/factor of its own pace
    /// while the agent holds k other live chats.
    pub pace: Vec<f64>,
}

impl Slowdown {
    /// The factor of `factors` with `others` other live chats.
    #[inline]
    pub fn factor(factors: &[f64], others: u32) -> f64 {
        factors[(others as usize).min(factors.len() - 1)]
    }
}

impl Scenario {
    /// The optional features whose figures its outputs show.
    pub fn uses(&self) -> crate::figure::Uses {
        let rule_overflows = self.streams.iter().any(|s| match &s.routing {
            Routing::Rules(rules) => rules.iter().any(|r| r.overflow.is_some()),
            _ => false,
        });
        crate::figure::Uses {
            availability_branch: self.streams.iter().any(|s| s.only_when_available),
            overflow: rule_overflows || self.teams.iter().any(|t| t.overflow.is_some()),
        }
    }
}

#[derive(Clone, Debug)]
pub struct AgentGroup {
    pub name: String,
    pub first: AgentId,
    pub count: u32,
}

#[derive(Clone, Debug)]
pub struct Team {
    pub name: String,
    pub members: Vec<AgentId>,
    /// The team that takes its requests when nobody of its own is eligible (the overflow
    /// what-if, `[package] overflow`).
    pub overflow: Option<TeamId>,
}

#[derive(Clone, Debug)]
pub struct Account {
    pub owner: AgentId,
    /// Share of live-chat requests whose email domain belongs to this account.
    pub share: f64,
}

impl Schedule {
    /// Hours on schedule in a week.
    pub fn hours_per_week(&self) -> f64 {
        self.spans.iter().map(|(a, b)| (b - a) as f64).sum::<f64>() / 3600.0
    }
}

/// A weekly window figures are restricted to, as written and as a schedule on the calendar.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub text: String,
    pub schedule: Schedule,
}

/// Weekly availability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Sorted, disjoint, non-adjacent `[start, end)` spans in seconds since Monday 00:00, each
    /// within `0..WEEK_SECS`; a span over the week's end is split in two. In UTC (a fixed
    /// offset is applied already) unless `zone` is set, when they are in that zone's local time.
    pub spans: Vec<(u32, u32)>,
    /// A time zone whose offset changes (daylight saving): the week then does not repeat
    /// exactly in UTC, and the model walks the calendar. Always `None` for an agent who is
    /// always online or never.
    pub zone: Option<jiff::tz::TimeZone>,
}

/// The local time a weekly profile is read in.
#[derive(Clone, Debug, PartialEq)]
pub enum Clock {
    /// A fixed offset, in seconds east of UTC (0: UTC).
    Offset(i64),
    /// A time zone whose offset changes.
    Zone(jiff::tz::TimeZone),
}

pub const WEEK_SECS: u32 = 7 * 24 * 3600;

impl Schedule {
    pub fn always() -> Schedule {
        Schedule {
            spans: vec![(0, WEEK_SECS)],
            zone: None,
        }
    }
}

/// A bound on one metric of the run summary: `check` passes it when the metric's 95% interval
/// lies within `[min, max]` (a missing side is unbounded). At least one side is set.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    /// With the window of the `[[expect]]` table, if it gives one.
    pub metric: Figure,
    pub min: Option<f64>,
    pub max: Option<f64>,
}
