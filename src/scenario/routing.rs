//! Streams and how each routes its live-chat requests: round robin, one agent, a team, or rules.

use std::cmp::Reverse;
use std::collections::HashMap;

use super::error::Problem;
use super::fields::{SUM_TOLERANCE, listing, share};
use super::raw::{RawMode, RawRule, RawStream};
use super::roster::Roster;
use super::*;

/// Streams in one scenario: each keeps its own counters in every replication.
pub const MAX_STREAMS: usize = 1_000;

pub(crate) fn streams(
    raw: &[RawStream],
    package: &Package,
    visitors: &Visitors,
    roster: &Roster,
) -> Result<Vec<Stream>, Problem> {
    let mut streams = Vec::with_capacity(raw.len());
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    if raw.len() > MAX_STREAMS {
        return Err(Problem::new(
            "streams",
            format!("expected at most {MAX_STREAMS} streams, got {}", raw.len()),
        ));
    }
    for (i, s) in raw.iter().enumerate() {
        let at = format!("streams[{i}]");
        super::fields::name(&s.name, &format!("{at}.name"))?;
        if let Some(first) = index_of.insert(&s.name, i) {
            return Err(Problem::new(
                format!("{at}.name"),
                format!("{:?} is already the name of streams[{first}]", s.name),
            ));
        }
        streams.push(Stream {
            name: s.name.clone(),
            share: share(s.share, &format!("{at}.share"))?,
            live_chat: share(s.live_chat, &format!("{at}.live_chat"))?,
            routing: routing(s, &at, package, visitors, roster)?,
            only_when_available: s.only_when_available.unwrap_or(false),
        });
    }
    let total: f64 = streams.iter().map(|s| s.share).sum();
    if total > 1.0 + SUM_TOLERANCE {
        return Err(Problem::new(
            "streams",
            format!("the streams' shares sum to {total}, more than 1"),
        ));
    }
    Ok(streams)
}

fn routing(
    s: &RawStream,
    at: &str,
    package: &Package,
    visitors: &Visitors,
    roster: &Roster,
) -> Result<Routing, Problem> {
    let r = &s.routing;
    let mode = match r.mode {
        RawMode::RoundRobin => "round_robin",
        RawMode::Agent => "agent",
        RawMode::Team => "team",
        RawMode::Rules => "rules",
    };
    let stray = |key: &str| {
        Problem::new(
            format!("{at}.routing.{key}"),
            format!("does not apply to mode = {mode:?}"),
        )
    };
    if r.team.is_some() && r.mode != RawMode::Team {
        return Err(stray("team"));
    }
    if r.agent.is_some() && r.mode != RawMode::Agent {
        return Err(stray("agent"));
    }
    if !s.rules.is_empty() && r.mode != RawMode::Rules {
        return Err(Problem::new(
            format!("{at}.rules"),
            format!(
                r#"rules apply only to routing mode = "rules", this stream has mode = {mode:?}"#
            ),
        ));
    }
    match r.mode {
        RawMode::RoundRobin => Ok(Routing::RoundRobin),
        RawMode::Agent => {
            let name = r.agent.as_deref().ok_or_else(|| {
                Problem::new(
                    format!("{at}.routing"),
                    r#"mode = "agent" needs agent = "<agent name>""#,
                )
            })?;
            Ok(Routing::Agent(
                roster.agent(name, &format!("{at}.routing.agent"))?,
            ))
        }
        RawMode::Team => {
            prime_only(package, &format!("{at}.routing.mode"), "team routing")?;
            let name = r.team.as_deref().ok_or_else(|| {
                Problem::new(
                    format!("{at}.routing"),
                    r#"mode = "team" needs team = "<team name>""#,
                )
            })?;
            Ok(Routing::Team(
                roster.team(name, &format!("{at}.routing.team"))?,
            ))
        }
        RawMode::Rules => {
            if s.rules.is_empty() {
                return Err(Problem::new(
                    format!("{at}.routing"),
                    r#"mode = "rules" needs at least one [[streams.rules]] entry"#,
                ));
            }
            let mut rules = s
                .rules
                .iter()
                .enumerate()
                .map(|(j, rule)| {
                    self::rule(rule, &format!("{at}.rules[{j}]"), package, visitors, roster)
                })
                .collect::<Result<Vec<_>, _>>()?;
            // Stable, so that equal priorities keep file order.
            rules.sort_by_key(|r| Reverse(r.priority));
            Ok(Routing::Rules(rules))
        }
    }
}

fn prime_only(package: &Package, at: &str, what: &str) -> Result<(), Problem> {
    match package.tier {
        Tier::Prime => Ok(()),
        Tier::Select => Err(Problem::new(
            at,
            format!(
                r#"{what} needs package.tier = "prime": teams are a Prime feature, this scenario is "select""#
            ),
        )),
    }
}

fn rule(
    raw: &RawRule,
    at: &str,
    package: &Package,
    visitors: &Visitors,
    roster: &Roster,
) -> Result<Rule, Problem> {
    let mut conditions = Vec::with_capacity(raw.when.0.len());
    for (name, values) in &raw.when.0 {
        let at = format!("{at}.when.{name}");
        let Some(attribute) = visitors.attributes.iter().position(|a| &a.name == name) else {
            let names: Vec<&str> = visitors
                .attributes
                .iter()
                .map(|a| a.name.as_str())
                .collect();
            let known = if names.is_empty() {
                "no attributes are declared in [visitors]".to_string()
            } else {
                format!("attributes: {}", listing(&names))
            };
            return Err(Problem::new(
                at,
                format!("unknown attribute {name:?} ({known})"),
            ));
        };
        let declared = &visitors.attributes[attribute].values;
        if values.0.is_empty() {
            return Err(Problem::new(at, "expected at least one value"));
        }
        let mut indices = Vec::with_capacity(values.0.len());
        for v in &values.0 {
            let Some(k) = declared.iter().position(|(d, _)| d == v) else {
                let names: Vec<&str> = declared.iter().map(|(d, _)| d.as_str()).collect();
                return Err(Problem::new(
                    at,
                    format!(
                        "unknown value {v:?} of {name} (values: {})",
                        listing(&names)
                    ),
                ));
            };
            indices.push(k as u32);
        }
        indices.sort_unstable();
        indices.dedup();
        conditions.push(Condition {
            attribute,
            values: indices,
        });
    }
    conditions.sort_by_key(|c| c.attribute);

    let target = match (&raw.team, &raw.agents) {
        (Some(_), Some(_)) => {
            return Err(Problem::new(at, "a rule takes team or agents, not both"));
        }
        (None, None) => {
            return Err(Problem::new(
                at,
                r#"a rule needs team = "<team>" or agents = ["<agent>", ...]"#,
            ));
        }
        (Some(team), None) => {
            prime_only(package, &format!("{at}.team"), "a rule for a team")?;
            Target::Team(roster.team(team, &format!("{at}.team"))?)
        }
        (None, Some(names)) => {
            if names.is_empty() {
                return Err(Problem::new(
                    format!("{at}.agents"),
                    "expected at least one agent",
                ));
            }
            let mut ids = Vec::with_capacity(names.len());
            for (k, name) in names.iter().enumerate() {
                let id = roster.agent(name, &format!("{at}.agents[{k}]"))?;
                if ids.contains(&id) {
                    return Err(Problem::new(
                        format!("{at}.agents[{k}]"),
                        format!("agent {name:?} is listed twice"),
                    ));
                }
                ids.push(id);
            }
            Target::Agents(ids)
        }
    };
    let overflow = raw
        .overflow
        .as_deref()
        .map(|t| roster.team(t, &format!("{at}.overflow")))
        .transpose()?;
    if let (Some(o), Target::Team(t)) = (overflow, &target)
        && o == *t
    {
        return Err(Problem::new(
            format!("{at}.overflow"),
            "a rule cannot overflow to its own team",
        ));
    }
    Ok(Rule {
        priority: raw.priority.unwrap_or(0),
        conditions,
        target,
        overflow,
    })
}
