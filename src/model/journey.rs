//! The decisions of a visitor's journey (rules 3 to 8 of docs/model.md) as plain functions
//! over the model's state, so that each can be tested without running a simulation. The
//! draws stay in the order the model has always taken them: every function that draws says
//! which draws it takes.

use crate::engine::Time;
use crate::figure::Reason;
use crate::model::routing::{ALL_AGENTS, Destination, PoolId, Router, owner_verdict};
use crate::model::visitors::cumulative;
use crate::model::{AgentState, VisitorRng};
use crate::scenario::{Account, AccountFallback, Agent, AgentId, Package, RetryScope, TeamId};
use rand::RngExt;

/// Rule 3: the `[[accounts]]` entries as cumulative shares of visitors, with their owners.
pub struct Accounts(Vec<(f64, AgentId)>);

impl Accounts {
    pub fn new(accounts: &[Account]) -> Accounts {
        Accounts(
            cumulative(accounts.iter().map(|a| a.share))
                .into_iter()
                .zip(accounts.iter().map(|a| a.owner))
                .collect(),
        )
    }

    /// The owner of the visitor's account, if it belongs to one. One uniform, and none when
    /// the scenario has no accounts, so that adding none shifts no later draw.
    #[inline(always)]
    pub fn owner(&self, rng: &mut VisitorRng) -> Option<AgentId> {
        if self.0.is_empty() {
            return None;
        }
        let u: f64 = rng.random();
        self.0.iter().find(|(c, _)| u < *c).map(|(_, o)| *o)
    }
}

/// The agent first offered the chat, or why nobody is: the owner on their own state (no round
/// robin), else the next eligible agent of the pool; then, when nobody was found, the overflow
/// team's next eligible agent (the overflow what-if), and when still nobody and the release
/// falls back, round robin over every agent available now (the reason is then the fallback's:
/// `unavailable` only when nobody at all is online). The model asks [`resolve`], which also
/// says whether the overflow team took it.
#[cfg(test)]
pub fn first_pick(
    router: &mut Router,
    agents: &[AgentState],
    destination: Destination,
    package: &Package,
) -> Result<AgentId, Reason> {
    resolve(router, agents, destination, package).picked
}

/// The agent of the request's own destination, or why nobody: the owner on their own state,
/// else the next eligible agent of the pool.
#[inline(always)]
pub fn own_pick(
    router: &mut Router,
    agents: &[AgentState],
    destination: Destination,
) -> Result<AgentId, Reason> {
    match destination {
        Destination::Owner(a) => owner_verdict(&agents[a as usize]).map(|()| a),
        Destination::Pool { pool, .. } => router.pick(pool, agents, &[]),
    }
}

/// The first resolution of a request: whom it goes to, and whether the overflow team took it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Resolution {
    pub picked: Result<AgentId, Reason>,
    /// The overflow team's pool, when its agent was picked.
    pub overflowed_to: Option<PoolId>,
}

/// [`first_pick`], saying whether the overflow team took the request.
#[inline(always)]
pub fn resolve(
    router: &mut Router,
    agents: &[AgentState],
    destination: Destination,
    package: &Package,
) -> Resolution {
    let picked = own_pick(router, agents, destination);
    match picked {
        Err(own) if router.goes_elsewhere() => {
            resolve_elsewhere(router, agents, destination, own, package)
        }
        _ => Resolution {
            picked,
            overflowed_to: None,
        },
    }
}

/// The overflow team, then the round-robin fallback, for a request whose own pool had nobody
/// (for reason `own`). When the overflow team has nobody either, the reason is `at_cap` if
/// either team has someone online, else `unavailable`.
#[cold]
#[inline(never)]
fn resolve_elsewhere(
    router: &mut Router,
    agents: &[AgentState],
    destination: Destination,
    own: Reason,
    package: &Package,
) -> Resolution {
    let overflow = match destination {
        Destination::Pool { pool, .. } => router.overflow(pool),
        Destination::Owner(_) => None,
    };
    let mut reason = own;
    if let Some(o) = overflow {
        match router.pick(o, agents, &[]) {
            Ok(a) => {
                return Resolution {
                    picked: Ok(a),
                    overflowed_to: Some(o),
                };
            }
            Err(Reason::AtCap) => reason = Reason::AtCap,
            Err(_) => {}
        }
    }
    let picked = if falls_back(router, destination, package) {
        router.pick(ALL_AGENTS, agents, &[])
    } else {
        Err(reason)
    };
    Resolution {
        picked,
        overflowed_to: None,
    }
}

/// Rules 4 and 6 of the releases: whether a request that found nobody at its destination goes
/// to round robin over every agent. Custom rules and team cards from 2025-04; account routing
/// only with `account_fallback = "round_robin"` (the June 2025 note's table).
fn falls_back(router: &Router, destination: Destination, package: &Package) -> bool {
    match destination {
        Destination::Owner(_) => {
            package.round_robin_fallback && package.account_fallback == AccountFallback::RoundRobin
        }
        Destination::Pool { pool, .. } => router.falls_back(pool),
    }
}

/// Release 2025-06: the visitor whose every attempt failed sees the first-tried agent's
/// calendar instead of the fallback message, when the calendar is on. Only a request that had
/// an agent: one whose offers all timed out or were declined, or an account request whose
/// mapped agent could not take it; never one that found nobody at all.
#[inline]
pub fn calendar_shown(
    package: &Package,
    destination: Option<Destination>,
    tried: &[AgentId],
    reason: Reason,
) -> bool {
    package.calendar
        && match reason {
            Reason::Timeout => !tried.is_empty(),
            Reason::Unavailable | Reason::AtCap => {
                matches!(destination, Some(Destination::Owner(_))) && tried.is_empty()
            }
            Reason::NoRule | Reason::TrialLimit => false,
        }
}

/// The team a request is reported under: the pool's when it is a team, else the team of the
/// agent it went to first (the owner even when unavailable).
#[inline(always)]
pub fn reported_team(
    router: &Router,
    agents: &[Agent],
    destination: Destination,
    picked: Result<AgentId, Reason>,
) -> Option<TeamId> {
    let pool_team = match destination {
        Destination::Owner(_) => None,
        Destination::Pool { pool, .. } => router.pool(pool).team,
    };
    // An owner who was offline or full was never offered the request: like any request that no
    // team routing sent anywhere, it counts under the team of the first agent offered it, if any.
    pool_team.or_else(|| picked.ok().and_then(|a| agents[a as usize].team))
}

/// The destination of a request the overflow team `pool` took: its retries come from that
/// team.
pub fn overflowed(destination: Destination, pool: PoolId) -> Destination {
    match destination {
        Destination::Pool { team_routed, .. } => Destination::Pool { pool, team_routed },
        owner => owner,
    }
}

/// What a request does once routed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    Offer(AgentId),
    /// The queue what-if: wait in the pool's queue for at most `max_wait`.
    Queue {
        pool: PoolId,
        max_wait: Time,
    },
    Fallback(Reason),
}

/// Only a request that finds every online candidate of its pool at cap waits, and only with
/// the queue what-if on: nobody online means nobody to wait for, and account routing to an
/// owner never queues.
#[inline(always)]
pub fn start(
    picked: Result<AgentId, Reason>,
    destination: Destination,
    package: &Package,
) -> Start {
    match (picked, &package.queue, destination) {
        (Ok(agent), _, _) => Start::Offer(agent),
        (Err(Reason::AtCap), Some(q), Destination::Pool { pool, .. }) => Start::Queue {
            pool,
            max_wait: q.max_wait,
        },
        (Err(reason), _, _) => Start::Fallback(reason),
    }
}

/// Rule 6: the pool a failed offer may be retried from, while retries remain: the card's Team
/// option, or any pool with `retry_scope = "any"`; never account routing. `tried` counts the
/// agents offered so far, the first included.
#[inline]
pub fn retry_pool(
    destination: Option<Destination>,
    tried: usize,
    package: &Package,
) -> Option<PoolId> {
    match destination {
        Some(Destination::Pool {
            pool, team_routed, ..
        }) if retrying_routing(team_routed, package) && tried <= package.retries as usize => {
            Some(pool)
        }
        _ => None,
    }
}

/// Rule 6's scope: team routing retries, and with `retry_scope = "any"` every routing option
/// (account routing never: it has no pool). Reports ask it too, to say which groups can retry.
#[inline]
pub fn retrying_routing(team_routed: bool, package: &Package) -> bool {
    team_routed || package.retry_scope == RetryScope::Any
}

/// Rule 6: who gets the chat after a timeout or a decline: the next eligible agent of the
/// pool in turn not yet tried. `None` ends the request as `timeout`.
#[inline]
pub fn next_to_try(
    router: &mut Router,
    agents: &[AgentState],
    destination: Option<Destination>,
    tried: &[AgentId],
    package: &Package,
) -> Option<AgentId> {
    let pool = retry_pool(destination, tried.len(), package)?;
    router.pick(pool, agents, tried).ok()
}

/// Rule 7: how long an engagement holds its slot: its active length, plus the inactivity
/// timeout when the visitor goes silent. Draws the length, then whether the end is silent, which
/// it also returns (the event log names how a chat ended).
#[inline(always)]
pub fn slot_hold(
    rng: &mut VisitorRng,
    agent: &Agent,
    silent_end: f64,
    inactivity: Time,
) -> (Time, bool) {
    let (active, silent) = slot_parts(rng, agent, silent_end);
    (hold_of(active, silent, inactivity), silent)
}

/// [`slot_hold`]'s draws: the active length in seconds, then whether the end is silent.
#[inline(always)]
pub fn slot_parts(rng: &mut VisitorRng, agent: &Agent, silent_end: f64) -> (f64, bool) {
    let active = agent.chat_length.sample(rng);
    (active, rng.chance(silent_end))
}

/// How long a chat of `active` seconds holds its slot (rule 7).
#[inline(always)]
pub fn hold_of(active: f64, silent: bool, inactivity: Time) -> Time {
    Time::from_secs_f64(active) + if silent { inactivity } else { Time::ZERO }
}

/// Rule 8: whose pending offer a leaving visitor withdraws; nobody's while the request waits
/// in a queue.
pub fn withdrawn_from(queued_at: Option<Time>, tried: &[AgentId]) -> Option<AgentId> {
    match queued_at {
        Some(_) => None,
        None => tried.last().copied(),
    }
}

#[cfg(test)]
mod tests;
