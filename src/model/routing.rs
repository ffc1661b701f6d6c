//! Routing decisions: which agent gets a live-chat request, or why nobody does.
//!
//! Plain logic over agent states, so that tests can drive it without a simulation. Every
//! destination (all agents, a team, one agent, a rule's agents) is a [`Pool`] with its own
//! round-robin cursor; a rule that targets a team shares the team's pool and cursor.

use crate::figure::Reason;
use crate::model::AgentState;
use crate::model::pool::Pool;
use crate::scenario::{AgentId, Routing, Scenario, Target, TeamId};

pub type PoolId = u32;

/// The pool of every agent: the Round robin option's, and the round-robin fallback's.
pub const ALL_AGENTS: PoolId = 0;

/// Where a request goes before any agent is picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// The owner of the visitor's account: no round robin, no retry.
    Owner(AgentId),
    /// A pool; `team_routed` marks the card's Team option (the seed's retry rule applies).
    Pool { pool: PoolId, team_routed: bool },
}

pub struct Router {
    pools: Vec<Pool>,
    /// Per agent: (pool, position in its members) for every pool it belongs to that requests
    /// can be routed to, in pool order.
    memberships: Vec<Vec<(PoolId, u32)>>,
    /// Per stream: its rules as (condition checker index, pool), or a single destination.
    streams: Vec<StreamRoute>,
    /// Per pool: whether a request that finds nobody eligible in it falls back to round robin
    /// over every agent (team and rule pools, from release 2025-04).
    falls_back: Vec<bool>,
    /// Whether a request that finds nobody may still go elsewhere (an overflow team or the
    /// round-robin fallback): without either, a failed pick costs no further call.
    goes_elsewhere: bool,
    /// Per pool: the team pool that takes its requests when nobody of its own is eligible (the
    /// overflow what-if).
    overflow: Vec<Option<PoolId>>,
}

enum StreamRoute {
    Fixed(Destination),
    Rules(Vec<CompiledRule>),
}

struct CompiledRule {
    /// (attribute index, allowed value indices); all must hold.
    conditions: Vec<(usize, Vec<u32>)>,
    pool: PoolId,
}

impl Router {
    pub fn new(sc: &Scenario) -> Router {
        let all = (0..sc.agents.len() as AgentId).collect();
        let mut pools = vec![Pool::new(all, None)];
        let team_pool0 = pools.len() as PoolId;
        pools.extend(
            sc.teams
                .iter()
                .enumerate()
                .map(|(i, t)| Pool::new(t.members.clone(), Some(i as TeamId))),
        );
        let single = |a: AgentId, pools: &mut Vec<Pool>| {
            pools.push(Pool::new(vec![a], None));
            pools.len() as PoolId - 1
        };
        let mut streams = Vec::with_capacity(sc.streams.len());
        // (pool, overflow team) of the rule pools; the team pools take their team's.
        let mut overflows: Vec<(PoolId, Option<TeamId>)> = sc
            .teams
            .iter()
            .enumerate()
            .map(|(i, t)| (team_pool0 + i as PoolId, t.overflow))
            .collect();
        for s in &sc.streams {
            let route = match &s.routing {
                Routing::RoundRobin => StreamRoute::Fixed(Destination::Pool {
                    pool: 0,
                    team_routed: false,
                }),
                Routing::Agent(a) => StreamRoute::Fixed(Destination::Pool {
                    pool: single(*a, &mut pools),
                    team_routed: false,
                }),
                Routing::Team(t) => StreamRoute::Fixed(Destination::Pool {
                    pool: team_pool0 + t,
                    team_routed: true,
                }),
                Routing::Rules(rules) => StreamRoute::Rules(
                    rules
                        .iter()
                        .map(|r| CompiledRule {
                            conditions: r
                                .conditions
                                .iter()
                                .map(|c| (c.attribute, c.values.clone()))
                                .collect(),
                            pool: match &r.target {
                                // A rule that names an overflow of its own needs a pool of its
                                // own to carry it: a copy of the team's, with its own cursor.
                                Target::Team(t)
                                    if r.overflow.is_some()
                                        && r.overflow != sc.teams[*t as usize].overflow =>
                                {
                                    let team = &sc.teams[*t as usize];
                                    pools.push(Pool::new(team.members.clone(), Some(*t)));
                                    let pool = pools.len() as PoolId - 1;
                                    overflows.push((pool, r.overflow));
                                    pool
                                }
                                Target::Team(t) => team_pool0 + t,
                                Target::Agents(list) => {
                                    pools.push(Pool::new(list.clone(), None));
                                    let pool = pools.len() as PoolId - 1;
                                    overflows.push((pool, r.overflow));
                                    pool
                                }
                            },
                        })
                        .collect(),
                ),
            };
            streams.push(route);
        }
        // Only pools some request can go to are kept up to date: the all-agents pool and the
        // team pools exist whatever the routing, and keeping unused ones in step doubled the
        // work of every agent change in a one-team scenario.
        let mut used = vec![false; pools.len()];
        let mut falls_back = vec![false; pools.len()];
        if sc.package.round_robin_fallback {
            used[ALL_AGENTS as usize] = true;
            for route in &streams {
                match route {
                    StreamRoute::Fixed(Destination::Pool {
                        pool,
                        team_routed: true,
                    }) => falls_back[*pool as usize] = true,
                    StreamRoute::Rules(rules) => rules
                        .iter()
                        .for_each(|r| falls_back[r.pool as usize] = true),
                    StreamRoute::Fixed(_) => {}
                }
            }
        }
        for route in &streams {
            match route {
                StreamRoute::Fixed(Destination::Pool { pool, .. }) => used[*pool as usize] = true,
                StreamRoute::Fixed(Destination::Owner(_)) => {}
                StreamRoute::Rules(rules) => {
                    rules.iter().for_each(|r| used[r.pool as usize] = true)
                }
            }
        }
        let mut overflow = vec![None; pools.len()];
        for (pool, team) in overflows {
            if let Some(t) = team.filter(|_| used[pool as usize]) {
                overflow[pool as usize] = Some(team_pool0 + t);
            }
        }
        for o in overflow.iter().flatten() {
            used[*o as usize] = true;
        }
        let mut memberships = vec![Vec::new(); sc.agents.len()];
        for (id, p) in pools.iter().enumerate().filter(|(id, _)| used[*id]) {
            for (pos, &a) in p.members.iter().enumerate() {
                memberships[a as usize].push((id as PoolId, pos as u32));
            }
        }
        Router {
            pools,
            memberships,
            streams,
            falls_back,
            goes_elsewhere: overflow.iter().any(Option::is_some) || sc.package.round_robin_fallback,
            overflow,
        }
    }

    /// The routable pools `agent` belongs to (who a freed agent can serve).
    pub fn pools_of(&self, agent: AgentId) -> impl Iterator<Item = PoolId> + '_ {
        self.memberships[agent as usize]
            .iter()
            .map(|&(pool, _)| pool)
    }

    /// Keeps every pool's view of `agent` in step with its state; call on every change. The
    /// test is inlined and the update is not: most changes (a slot taken or freed below the
    /// cap) change nothing routing sees, and then cost no call.
    #[inline(always)]
    pub fn agent_changed(&mut self, agent: AgentId, old: AgentState, new: AgentState) {
        if old.eligible() != new.eligible() || old.online != new.online {
            self.update_pools(agent, old, new);
        }
    }

    #[inline(never)]
    fn update_pools(&mut self, agent: AgentId, old: AgentState, new: AgentState) {
        for &(pool, pos) in &self.memberships[agent as usize] {
            self.pools[pool as usize].member_changed(pos as usize, old, new);
        }
    }

    pub fn pool_count(&self) -> usize {
        self.pools.len()
    }

    /// Where a request from `stream` with these attribute values goes; `owner` is the owning
    /// agent when the visitor's account matched (account routing comes first). Always inlined
    /// in the request, as the whole-program build did while it had one caller.
    #[inline(always)]
    pub fn destination(
        &self,
        stream: usize,
        attributes: &[u32],
        owner: Option<AgentId>,
    ) -> Result<Destination, Reason> {
        if let Some(a) = owner {
            return Ok(Destination::Owner(a));
        }
        match &self.streams[stream] {
            StreamRoute::Fixed(d) => Ok(*d),
            StreamRoute::Rules(rules) => rules
                .iter()
                .find(|r| {
                    r.conditions
                        .iter()
                        .all(|(a, vals)| vals.contains(&attributes[*a]))
                })
                .map(|r| Destination::Pool {
                    pool: r.pool,
                    team_routed: false,
                })
                .ok_or(Reason::NoRule),
        }
    }

    /// The next eligible agent of `pool` in round-robin order, skipping those in `tried`.
    /// Advances the cursor past the agent picked. When nobody is eligible, says why: `AtCap`
    /// when some untried member is online (so all online ones are at cap), else `Unavailable`.
    /// Always inlined (into the request and the retry): as a call, its register saves and
    /// restores cost as much as the pick itself, once per visitor.
    #[inline(always)]
    pub fn pick(
        &mut self,
        pool: PoolId,
        agents: &[AgentState],
        tried: &[AgentId],
    ) -> Result<AgentId, Reason> {
        let p = &mut self.pools[pool as usize];
        let found = if p.anyone_eligible() {
            p.next_in_turn(tried)
        } else {
            None
        };
        found.ok_or_else(|| self.why_nobody(pool, agents, tried))
    }

    /// Why `pool` has nobody to pick: `AtCap` when some untried member is online (so all
    /// online ones are at cap), else `Unavailable`. Kept out of line, so that a pick that
    /// finds someone does not pay for it.
    #[cold]
    #[inline(never)]
    fn why_nobody(&self, pool: PoolId, agents: &[AgentState], tried: &[AgentId]) -> Reason {
        let online_count = self.pools[pool as usize].online_count();
        let online_tried = tried
            .iter()
            .filter(|&&a| {
                agents[a as usize].online
                    && self.memberships[a as usize].iter().any(|&(q, _)| q == pool)
            })
            .count() as u32;
        if online_count > online_tried {
            Reason::AtCap
        } else {
            Reason::Unavailable
        }
    }

    pub fn pool(&self, pool: PoolId) -> &Pool {
        &self.pools[pool as usize]
    }

    /// Whether someone online could take a request bound for `destination`: its pool, the
    /// pool it overflows to, or anyone when it falls back to round robin (`owner_falls_back`
    /// for an account's owner). What a dialogue that branches on availability asks before it
    /// offers live chat: online, whether or not at cap.
    pub fn anyone_online(
        &self,
        destination: Destination,
        agents: &[AgentState],
        owner_falls_back: bool,
    ) -> bool {
        let anyone = self.pools[ALL_AGENTS as usize].online_count() > 0;
        match destination {
            Destination::Owner(a) => agents[a as usize].online || (owner_falls_back && anyone),
            Destination::Pool { pool, .. } => {
                self.pools[pool as usize].online_count() > 0
                    || self.overflow[pool as usize]
                        .is_some_and(|o| self.pools[o as usize].online_count() > 0)
                    || (self.falls_back[pool as usize] && anyone)
            }
        }
    }

    /// Whether a request that finds nobody in its pool may go elsewhere (see `goes_elsewhere`).
    #[inline(always)]
    pub fn goes_elsewhere(&self) -> bool {
        self.goes_elsewhere
    }

    /// The team pool that takes `pool`'s requests when nobody of its own is eligible.
    pub fn overflow(&self, pool: PoolId) -> Option<PoolId> {
        self.overflow[pool as usize]
    }

    /// Whether `pool` falls back to round robin over every agent when nobody in it is
    /// eligible at the first resolution (custom rules and teams, release 2025-04 on).
    #[inline(always)]
    pub fn falls_back(&self, pool: PoolId) -> bool {
        self.falls_back[pool as usize]
    }
}

/// The owner's own eligibility, for account routing (which never round-robins).
pub fn owner_verdict(owner: &AgentState) -> Result<(), Reason> {
    if !owner.online {
        Err(Reason::Unavailable)
    } else if owner.at_cap() {
        Err(Reason::AtCap)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
