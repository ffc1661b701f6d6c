//! Routing decisions: which agent gets a live-chat request, or why nobody does.
//!
//! Plain logic over agent states, so that tests can drive it without a simulation. Every
//! destination (all agents, a team, one agent, a rule's agents) is a [`Pool`] with its own
//! round-robin cursor; a rule that targets a team shares the team's pool and cursor.

use crate::model::AgentState;
use crate::scenario::{AgentId, Routing, Scenario, Target, TeamId};

pub type PoolId = u32;

/// Why a request got the fallback message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    NoRule,
    Unavailable,
    AtCap,
    Timeout,
    TrialLimit,
}

impl Reason {
    pub const ALL: [Reason; 5] = [
        Reason::NoRule,
        Reason::Unavailable,
        Reason::AtCap,
        Reason::Timeout,
        Reason::TrialLimit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Reason::NoRule => "no_rule",
            Reason::Unavailable => "unavailable",
            Reason::AtCap => "at_cap",
            Reason::Timeout => "timeout",
            Reason::TrialLimit => "trial_limit",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Clone, Debug)]
pub struct Pool {
    pub members: Vec<AgentId>,
    /// The team this pool is, when it is one: requests routed to it are reported under it.
    pub team: Option<TeamId>,
    /// Index into `members` of the next agent in turn.
    cursor: usize,
}

impl Pool {
    fn new(members: Vec<AgentId>, team: Option<TeamId>) -> Pool {
        Pool {
            members,
            team,
            cursor: 0,
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
    /// Per agent: the pools it belongs to, in pool order (who a freed agent can serve).
    agent_pools: Vec<Vec<PoolId>>,
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
        let mut agent_pools = vec![Vec::new(); sc.agents.len()];
        for (id, p) in pools.iter().enumerate() {
            for &a in &p.members {
                agent_pools[a as usize].push(id as PoolId);
            }
        }
        Router {
            pools,
            agent_pools,
            streams,
        }
    }

    pub fn pools_of(&self, agent: AgentId) -> &[PoolId] {
        &self.agent_pools[agent as usize]
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
    pub fn pick(
        &mut self,
        pool: PoolId,
        agents: &[AgentState],
        tried: &[AgentId],
    ) -> Result<AgentId, Reason> {
        let p = &mut self.pools[pool as usize];
        let n = p.members.len();
        let mut any_online = false;
        for step in 0..n {
            let i = (p.cursor + step) % n;
            let a = p.members[i];
            let st = &agents[a as usize];
            if tried.contains(&a) {
                continue;
            }
            if st.eligible() {
                p.cursor = (i + 1) % n;
                return Ok(a);
            }
            any_online |= st.online;
        }
        Err(if any_online {
            Reason::AtCap
        } else {
            Reason::Unavailable
        })
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

    #[test]
    fn round_robin_goes_in_order_and_wraps() {
        let sc = scenario_with(5, Routing::RoundRobin);
        let mut r = Router::new(&sc);
        let st = states(5);
        let picks: Vec<_> = (0..7).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
        assert_eq!(picks, vec![0, 1, 2, 3, 4, 0, 1]);
    }

    #[test]
    fn round_robin_skips_ineligible_agents() {
        let sc = scenario_with(4, Routing::RoundRobin);
        let mut r = Router::new(&sc);
        let mut st = states(4);
        st[1].online = false;
        st[2].held = 2;
        let picks: Vec<_> = (0..3).map(|_| r.pick(0, &st, &[]).unwrap()).collect();
        assert_eq!(picks, vec![0, 3, 0]);
        assert_eq!(r.pick(0, &st, &[0, 3]), Err(Reason::AtCap));
    }

    #[test]
    fn says_why_nobody_was_picked() {
        let sc = scenario_with(2, Routing::RoundRobin);
        let mut r = Router::new(&sc);
        let mut st = states(2);
        st[0].online = false;
        st[1].held = 2;
        assert_eq!(r.pick(0, &st, &[]), Err(Reason::AtCap));
        st[1].online = false;
        assert_eq!(r.pick(0, &st, &[]), Err(Reason::Unavailable));
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
