//! The `[[agents]]` entries expanded into agents, their groups and the teams they name.

use std::collections::HashMap;
use std::path::Path;

use crate::dist::Dist;

use super::distribution;
use super::error::Problem;
use super::fields::{listing, share, shrinkage};
use super::raw::{RawAgent, RawDist, RawSlowdown};
use super::schedule;
use super::*;

const MAX_CAP: u32 = 10_000;
/// Agents per `[[agents]]` entry and in all: far above any real team, low enough that a typo
/// cannot exhaust memory.
const MAX_COUNT: u32 = 10_000;
const MAX_AGENTS: usize = 100_000;

/// The agents expanded from their groups, with the teams they name and lookups by name.
pub(crate) struct Roster {
    pub agents: Vec<Agent>,
    pub groups: Vec<AgentGroup>,
    pub teams: Vec<Team>,
    agent_ids: HashMap<String, AgentId>,
}

impl Roster {
    pub fn agent(&self, name: &str, at: &str) -> Result<AgentId, Problem> {
        self.agent_ids.get(name).copied().ok_or_else(|| {
            let names: Vec<&str> = self.agents.iter().map(|a| a.name.as_str()).collect();
            Problem::new(
                at,
                format!("unknown agent {name:?} (agents: {})", listing(&names)),
            )
        })
    }

    pub fn team(&self, name: &str, at: &str) -> Result<TeamId, Problem> {
        match self.teams.iter().position(|t| t.name == name) {
            Some(id) => Ok(id as TeamId),
            None if self.teams.is_empty() => Err(Problem::new(
                at,
                format!("unknown team {name:?} (no agent names a team)"),
            )),
            None => {
                let names: Vec<&str> = self.teams.iter().map(|t| t.name.as_str()).collect();
                Err(Problem::new(
                    at,
                    format!("unknown team {name:?} (teams: {})", listing(&names)),
                ))
            }
        }
    }
}

pub(crate) fn roster(
    raw: &[RawAgent],
    package: &Package,
    base_dir: &Path,
) -> Result<Roster, Problem> {
    let mut roster = Roster {
        agents: Vec::new(),
        groups: Vec::new(),
        teams: Vec::new(),
        agent_ids: HashMap::new(),
    };
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for (g, a) in raw.iter().enumerate() {
        let at = format!("agents[{g}]");
        let name = a.name.as_str();
        super::fields::name(name, &format!("{at}.name"))?;
        if let Some(first) = group_of.insert(name, g) {
            return Err(Problem::new(
                format!("{at}.name"),
                format!("{name:?} is already the name of agents[{first}]"),
            ));
        }
        let count = a.count.unwrap_or(1);
        if count > MAX_COUNT {
            return Err(Problem::new(
                format!("{at}.count"),
                format!("expected at most {MAX_COUNT} agents, got {count}"),
            ));
        }
        if roster.agents.len() + count as usize > MAX_AGENTS {
            return Err(Problem::new(
                format!("{at}.count"),
                format!("the scenario would have more than {MAX_AGENTS} agents"),
            ));
        }
        let team = match a.team.as_deref() {
            None => None,
            Some("") => {
                return Err(Problem::new(
                    format!("{at}.team"),
                    "expected a team name, got an empty string",
                ));
            }
            Some(t) if super::fields::name(t, "").is_err() => {
                return Err(super::fields::name(t, &format!("{at}.team")).unwrap_err());
            }
            Some(t) => Some(match roster.teams.iter().position(|x| x.name == t) {
                Some(id) => id as TeamId,
                None => {
                    roster.teams.push(Team {
                        name: t.to_string(),
                        members: Vec::new(),
                        overflow: None,
                    });
                    (roster.teams.len() - 1) as TeamId
                }
            }),
        };
        let cap = a.cap.unwrap_or(package.cap);
        check_cap(cap, &format!("{at}.cap"))?;
        let schedule = agent_schedule(a, &at)?;
        let response = dist_or(
            a.response.as_ref(),
            &format!("{at}.response"),
            base_dir,
            || Dist::exponential(30.0),
        )?;
        let chat_length = dist_or(
            a.chat_length.as_ref(),
            &format!("{at}.chat_length"),
            base_dir,
            || Dist::exponential(600.0),
        )?;
        let miss = share(a.miss.unwrap_or(0.0), &format!("{at}.miss"))?;
        let decline = share(a.decline.unwrap_or(0.0), &format!("{at}.decline"))?;
        let shrinkage = shrinkage(a.shrinkage, package.shrinkage, &format!("{at}.shrinkage"))?;
        let slowdown = a
            .slowdown
            .as_ref()
            .map(|s| slowdown(s, &format!("{at}.slowdown")))
            .transpose()?
            .map(std::sync::Arc::new);

        let first = roster.agents.len() as AgentId;
        roster.groups.push(AgentGroup {
            name: name.to_string(),
            first,
            count,
        });
        for k in 1..=count {
            // One scheme whatever the count: an entry that gives `count` makes `name-1` ..
            // `name-N` (so that `--set agents.sales.count=1` keeps `sales-1`); one without it
            // is a single agent named `name`.
            let agent_name = if a.count.is_none() {
                name.to_string()
            } else {
                format!("{name}-{k}")
            };
            let id = roster.agents.len() as AgentId;
            if roster.agent_ids.insert(agent_name.clone(), id).is_some() {
                return Err(Problem::new(
                    format!("{at}.name"),
                    format!("agent {agent_name:?} is defined twice"),
                ));
            }
            if let Some(t) = team {
                roster.teams[t as usize].members.push(id);
            }
            roster.agents.push(Agent {
                name: agent_name,
                group: g as u32,
                team,
                cap,
                schedule: schedule.clone(),
                response: response.clone(),
                miss,
                decline,
                chat_length: chat_length.clone(),
                shrinkage,
                slowdown: slowdown.clone(),
            });
        }
    }
    Ok(roster)
}

/// The agent's weekly schedule in its `utc_offset` or `time_zone` (at most one of them).
fn agent_schedule(a: &RawAgent, at: &str) -> Result<Schedule, Problem> {
    let (offset, zone) = match (&a.utc_offset, &a.time_zone) {
        (Some(_), Some(_)) => {
            return Err(Problem::new(
                format!("{at}.time_zone"),
                "give utc_offset or time_zone, not both: time_zone follows the zone's daylight \
                 saving, utc_offset is fixed all year",
            ));
        }
        (Some(text), None) => (
            schedule::parse_offset(text)
                .map_err(|why| Problem::new(format!("{at}.utc_offset"), why))?,
            None,
        ),
        (None, Some(name)) => {
            let tz = super::zone::time_zone(name)
                .map_err(|why| Problem::new(format!("{at}.time_zone"), why))?;
            match super::zone::fixed_offset(&tz) {
                Some(offset) => (offset, None),
                None => (0, Some(tz)),
            }
        }
        (None, None) => (0, None),
    };
    let Some(entries) = &a.schedule else {
        return Ok(Schedule::always());
    };
    let mut schedule = schedule::weekly(entries, offset)
        .map_err(|(k, why)| Problem::new(format!("{at}.schedule[{k}]"), why))?;
    // A schedule that is always on or never does not depend on the clock.
    let constant = schedule.spans.is_empty() || schedule.spans == [(0, WEEK_SECS)];
    schedule.zone = zone.filter(|_| !constant);
    Ok(schedule)
}

fn dist_or(
    raw: Option<&RawDist>,
    at: &str,
    base_dir: &Path,
    default: impl FnOnce() -> Result<Dist, String>,
) -> Result<Dist, Problem> {
    match raw {
        Some(d) => distribution::build(d, at, base_dir),
        None => default().map_err(|why| Problem::new(at, why)),
    }
}

/// Factors on response and pace, each a list of positive numbers; a list not given is all 1.
/// At least one list, and not longer than the largest cap.
fn slowdown(raw: &RawSlowdown, at: &str) -> Result<Slowdown, Problem> {
    if raw.response.is_none() && raw.pace.is_none() {
        return Err(Problem::new(
            at,
            "expected response = [...] and/or pace = [...]: factors by the agent's other live chats",
        ));
    }
    let factors = |list: &Option<Vec<f64>>, key: &str| -> Result<Vec<f64>, Problem> {
        let Some(list) = list else {
            return Ok(vec![1.0]);
        };
        if list.is_empty() || list.len() > MAX_CAP as usize {
            return Err(Problem::new(
                format!("{at}.{key}"),
                format!(
                    "expected 1 to {MAX_CAP} factors (entry k for k other live chats), got {}",
                    list.len()
                ),
            ));
        }
        for (i, &f) in list.iter().enumerate() {
            if !(f.is_finite() && f > 0.0 && f <= 1_000.0) {
                return Err(Problem::new(
                    format!("{at}.{key}[{i}]"),
                    format!("expected a factor above 0 and at most 1000, got {f}"),
                ));
            }
        }
        Ok(list.clone())
    };
    Ok(Slowdown {
        response: factors(&raw.response, "response")?,
        pace: factors(&raw.pace, "pace")?,
    })
}

pub(crate) fn check_cap(cap: u32, at: &str) -> Result<(), Problem> {
    if (1..=MAX_CAP).contains(&cap) {
        Ok(())
    } else {
        Err(Problem::new(
            at,
            format!("expected a number of chats from 1 to {MAX_CAP}, got {cap}"),
        ))
    }
}
