//! Routing decisions: which agent gets a live-chat request, or why nobody does.
//!
//! Plain logic over agent states, so that tests can drive it without a simulation. Every
//! destination (all agents, a team, one agent, a rule's agents) is a [`Pool`] with its own
//! round-robin cursor; a rule that targets a team shares the team's pool and cursor.

use crate::figure::Reason;
use crate::model::AgentState;
use crate::scenario::{AgentId, Routing, Scenario, Target, TeamId};

pub type PoolId = u32;

/// A destination's agents in round-robin order, with which of them can take a chat now.
///
/// Eligibility is kept as a bitset over member positions, updated as agents change, so that a
/// pick finds the next eligible agent a word (64 agents) at a time and a pool with nobody
/// eligible answers at once: scanning 2,000 offline agents for every request at night cost more
/// than everything else the model does.
#[derive(Clone, Debug)]
pub struct Pool {
    pub members: Vec<AgentId>,
    /// The team this pool is, when it is one: requests routed to it are reported under it.
    pub team: Option<TeamId>,
    /// Index into `members` of the next agent in turn.
    cursor: usize,
    /// Bit `i` set: `members[i]` is eligible (online and below cap).
    eligible: Vec<u64>,
    eligible_count: u32,
    online_count: u32,
}

impl Pool {
    /// Every member starts offline, as agents do before their first shift change.
    fn new(members: Vec<AgentId>, team: Option<TeamId>) -> Pool {
        let words = members.len().div_ceil(64);
        Pool {
            members,
            team,
            cursor: 0,
            eligible: vec![0; words],
            eligible_count: 0,
            online_count: 0,
        }
    }

    /// The next eligible member in turn, from the cursor round to just before it, that is not
    /// in `tried`; moves the cursor past it. A word of the bitset at a time.
    #[inline(always)]
    fn next_in_turn(&mut self, tried: &[AgentId]) -> Option<AgentId> {
        let start = self.cursor;
        let (first_word, words) = (start / 64, self.eligible.len());
        let mut word = first_word;
        let mut bits = self.eligible[word] & (u64::MAX << (start % 64));
        let mut wrapped = false;
        loop {
            while bits != 0 {
                let i = word * 64 + bits.trailing_zeros() as usize;
                if wrapped && i >= start {
                    return None;
                }
                let agent = self.members[i];
                if !tried.contains(&agent) {
                    // A compare rather than a remainder: a division on every pick showed.
                    self.cursor = if i + 1 == self.members.len() {
                        0
                    } else {
                        i + 1
                    };
                    return Some(agent);
                }
                bits &= bits - 1;
            }
            word += 1;
            if word == words {
                if wrapped {
                    return None;
                }
                (word, wrapped) = (0, true);
            } else if wrapped && word > first_word {
                return None;
            }
            bits = self.eligible[word];
        }
    }
}

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
                                Target::Team(t) => team_pool0 + t,
                                Target::Agents(list) => {
                                    pools.push(Pool::new(list.clone(), None));
                                    pools.len() as PoolId - 1
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
        for route in &streams {
            match route {
                StreamRoute::Fixed(Destination::Pool { pool, .. }) => used[*pool as usize] = true,
                StreamRoute::Fixed(Destination::Owner(_)) => {}
                StreamRoute::Rules(rules) => {
                    rules.iter().for_each(|r| used[r.pool as usize] = true)
                }
            }
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
            let p = &mut self.pools[pool as usize];
            let (word, bit) = (pos as usize / 64, 1u64 << (pos % 64));
            if new.eligible() {
                p.eligible[word] |= bit;
            } else {
                p.eligible[word] &= !bit;
            }
            p.eligible_count = p.eligible_count + new.eligible() as u32 - old.eligible() as u32;
            p.online_count = p.online_count + new.online as u32 - old.online as u32;
        }
    }

    pub fn pool_count(&self) -> usize {
        self.pools.len()
    }

    /// Where a request from `stream` with these attribute values goes; `owner` is the owning
    /// agent when the visitor's account matched (account routing comes first).
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
        let found = if p.eligible_count > 0 {
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
        let online_count = self.pools[pool as usize].online_count;
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
mod tests {
    use super::*;
    use crate::model::testing::scenario_with;
    use crate::scenario::{Condition, Rule};

    fn states(n: usize) -> Vec<AgentState> {
        vec![
            AgentState {
                held: 0,
                cap: 2,
                online: true
            };
            n
        ]
    }

    /// Tells the router every agent's state, as the model does when agents change.
    fn tell(r: &mut Router, before: &[AgentState], after: &[AgentState]) {
        for (i, (b, a)) in before.iter().zip(after).enumerate() {
            r.agent_changed(i as AgentId, *b, *a);
        }
    }

    /// A router over agents that start offline and then take the states `st`.
    fn router(sc: &Scenario, st: &[AgentState]) -> Router {
        let mut r = Router::new(sc);
        let offline: Vec<AgentState> = st
            .iter()
            .map(|s| AgentState {
                held: 0,
                cap: s.cap,
                online: false,
            })
            .collect();
        tell(&mut r, &offline, st);
        r
    }

    #[test]
    fn round_robin_goes_in_order_and_wraps() {
        let sc = scenario_with(5, Routing::RoundRobin);
        let st = states(5);
        let mut r = router(&sc, &st);
        let picks: Vec<_> = (0..7).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
        assert_eq!(picks, vec![0, 1, 2, 3, 4, 0, 1]);
    }

    #[test]
    fn round_robin_skips_ineligible_agents() {
        let sc = scenario_with(4, Routing::RoundRobin);
        let mut st = states(4);
        st[1].online = false;
        st[2].held = 2;
        let mut r = router(&sc, &st);
        let picks: Vec<_> = (0..3).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
        assert_eq!(picks, vec![0, 3, 0]);
        assert_eq!(r.pick(0, &st, &[0, 3]), Err(Reason::AtCap));
    }

    #[test]
    fn says_why_nobody_was_picked() {
        let sc = scenario_with(2, Routing::RoundRobin);
        let mut st = states(2);
        st[0].online = false;
        st[1].held = 2;
        let mut r = router(&sc, &st);
        assert_eq!(r.pick(0, &st, &[]), Err(Reason::AtCap));
        let before = st.clone();
        st[1].online = false;
        tell(&mut r, &before, &st);
        assert_eq!(r.pick(0, &st, &[]), Err(Reason::Unavailable));
    }

    /// Against a plain scan of the members, over random states, cursors and exclusions, on a
    /// pool wider than one bitset word. Every other phase keeps few agents online, so that the
    /// next in turn is often far from the cursor or behind it.
    #[test]
    fn bitset_pick_agrees_with_a_linear_scan() {
        use rand::rngs::Xoshiro256PlusPlus;
        use rand::{RngExt, SeedableRng};
        let n = 150;
        let sc = scenario_with(n, Routing::RoundRobin);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let mut st = states(n as usize);
        let mut r = router(&sc, &st);
        let mut cursor = 0usize;
        for round in 0..10_000 {
            let online = if round / 1_000 % 2 == 0 { 0.7 } else { 0.02 };
            let before = st.clone();
            for _ in 0..3 {
                let a = rng.random_range(0..n as usize);
                st[a] = AgentState {
                    held: rng.random_range(0..=2),
                    cap: 2,
                    online: rng.random_bool(online),
                };
            }
            tell(&mut r, &before, &st);
            let tried: Vec<AgentId> = (0..rng.random_range(0..3))
                .map(|_| rng.random_range(0..n))
                .collect();
            let expected = (0..n as usize)
                .map(|k| (cursor + k) % n as usize)
                .find(|&i| st[i].eligible() && !tried.contains(&(i as AgentId)));
            let got = r.pick(0, &st, &tried);
            match expected {
                Some(i) => {
                    assert_eq!(got, Ok(i as AgentId));
                    cursor = (i + 1) % n as usize;
                }
                None => {
                    let untried_online =
                        (0..n).any(|a| st[a as usize].online && !tried.contains(&a));
                    let reason = if untried_online {
                        Reason::AtCap
                    } else {
                        Reason::Unavailable
                    };
                    assert_eq!(got, Err(reason));
                }
            }
        }
    }

    #[test]
    fn rules_take_the_first_match_in_priority_order() {
        let rules = vec![
            Rule {
                priority: 2,
                conditions: vec![Condition {
                    attribute: 0,
                    values: vec![1],
                }],
                target: Target::Agents(vec![1]),
            },
            Rule {
                priority: 1,
                conditions: vec![],
                target: Target::Agents(vec![0]),
            },
        ];
        let sc = scenario_with(2, Routing::Rules(rules));
        let r = Router::new(&sc);
        let first = r.destination(0, &[1], None).unwrap();
        let second = r.destination(0, &[0], None).unwrap();
        let pool_of = |d: Destination| match d {
            Destination::Pool { pool, .. } => r.pool(pool).members.clone(),
            Destination::Owner(_) => unreachable!(),
        };
        assert_eq!(pool_of(first), vec![1]);
        assert_eq!(pool_of(second), vec![0]);
        assert_eq!(r.destination(0, &[0], Some(1)), Ok(Destination::Owner(1)));
    }

    #[test]
    fn a_visitor_matching_no_rule_gets_no_rule() {
        let rules = vec![Rule {
            priority: 0,
            conditions: vec![Condition {
                attribute: 0,
                values: vec![0],
            }],
            target: Target::Agents(vec![0]),
        }];
        let sc = scenario_with(1, Routing::Rules(rules));
        assert_eq!(
            Router::new(&sc).destination(0, &[1], None),
            Err(Reason::NoRule)
        );
    }

    #[test]
    fn owner_verdict_distinguishes_offline_from_full() {
        let mut a = AgentState {
            held: 0,
            cap: 1,
            online: false,
        };
        assert_eq!(owner_verdict(&a), Err(Reason::Unavailable));
        a.online = true;
        assert_eq!(owner_verdict(&a), Ok(()));
        a.held = 1;
        assert_eq!(owner_verdict(&a), Err(Reason::AtCap));
    }
}
