//! Staffing requirements per interval: for each team and each interval of the week, the fewest
//! agents online that meet every target *in that interval* with 95% confidence, under the full
//! rules (accept window, retries, the cap counted from the offer, limits, overflow).
//!
//! The method is the iterative staffing algorithm (ISA) of Feldman, Mandelbaum, Massey and Whitt
//! (2008, "Staffing of time-varying queues to achieve time-stable performance", Management
//! Science 54(2)): simulate whole weeks with a staffing function, set every interval's staffing
//! from what that interval showed in the simulation, and repeat until the function stops
//! changing. Whole weeks matter because a chat carried over an interval's edge, or a retry, binds
//! an agent in the next interval: the interval is judged with its neighbours staffed as they
//! will be. ISA's update reads a delay target off the number in system; chatsim's targets are
//! any per-interval figure of the full model, so each interval's update is a bisection step on
//! its own figure, all intervals of all teams in the same simulation, every step on the same
//! replications (common random numbers, which keep the steps monotone). When bisection has
//! closed every interval's bracket, the staffing found is simulated again and every interval it
//! does not yet meet gets one more agent, until none does: ISA's fixed point.
//!
//! An interval whose figure straddles its target is simulated on more replications (doubled, up
//! to a cap) before it is judged; what stays open is reported "inconclusive", never "missed".

use std::ops::Range;

use crate::figure::{Metric, Reason, Scope};
use crate::model::Tally;
use crate::plan::{Standing, Target, TargetSpec};
use crate::report::{At, Reader};
use crate::scenario::{AgentGroup, Scenario, Schedule};
use crate::stats::Summary;
use crate::usage::{UsageError, usage_error};

/// The figures a target may hold an interval to: rates of the interval's requests and the load
/// of the team's online agents, all of which more agents move one way.
pub fn per_interval_target(m: Metric) -> bool {
    matches!(
        m,
        Metric::FallbackRate
            | Metric::FallbackRateFor(_)
            | Metric::AbandonedRate
            | Metric::EngagedRate
            | Metric::ResponseTime
            | Metric::Occupancy
            | Metric::ChatsPerAgent
            | Metric::ChattingShare
    )
}

/// The targets of `specs` for `sc`'s intervals: `fallback_rate<=0.05` holds every team to it,
/// `teams.emea.fallback_rate<=0.02` one team, `site.fallback_rate<=0.05` the whole site in each
/// interval (which every team's staffing then answers for).
pub fn interval_targets(specs: &[TargetSpec], sc: &Scenario) -> Result<Vec<Target>, UsageError> {
    let names: Vec<&str> = sc.teams.iter().map(|t| t.name.as_str()).collect();
    let mut targets = Vec::new();
    for spec in specs {
        let bad = |why: String| usage_error("--target", &spec.metric, why);
        let (scopes, metric) = if let Some(m) = spec.metric.strip_prefix("site.") {
            (vec![Scope::Site], m)
        } else if let Some(rest) = spec.metric.strip_prefix("teams.") {
            let team = names
                .iter()
                .find(|t| rest.strip_prefix(**t).is_some_and(|r| r.starts_with('.')))
                .ok_or_else(|| bad(format!("no team of {rest:?} (teams: {})", names.join(", "))))?;
            (vec![Scope::Team(team.to_string())], &rest[team.len() + 1..])
        } else {
            let every = names.iter().map(|t| Scope::Team(t.to_string())).collect();
            (every, spec.metric.as_str())
        };
        let metric = Metric::parse(metric)
            .filter(|m| per_interval_target(*m))
            .ok_or_else(|| {
                bad(format!(
                    "not a figure an interval can be held to; use fallback_rate, \
                     fallback_rate.<reason>, abandoned_rate, engaged_rate, {}, occupancy, {} or {}, \
                     optionally as teams.<team>.<figure> or site.<figure>",
                    Metric::ResponseTime.name(),
                    Metric::ChatsPerAgent.name(),
                    Metric::ChattingShare.name()
                ))
            })?;
        for scope in scopes {
            targets.push(Target {
                metric: crate::figure::Figure {
                    metric,
                    scope,
                    window: None,
                },
                bound: spec.bound,
                value: spec.value,
            });
        }
    }
    Ok(targets)
}

/// One replication's figures of every interval: `site[slot][k]` and `teams[team][slot][k]` for
/// the `k`-th of the search's metrics.
pub struct Figures {
    pub site: Vec<Vec<Option<f64>>>,
    pub teams: Vec<Vec<Vec<Option<f64>>>>,
}

/// What one replication shows of each interval, for `metrics`; all a search keeps of it.
pub fn figures_of(sc: &Scenario, t: &Tally, metrics: &[Metric]) -> Figures {
    let reader = Reader::new(sc);
    let slots = t.week_intervals().slots();
    let at = |at: At| -> Vec<Vec<Option<f64>>> {
        (0..slots)
            .map(|slot| {
                metrics
                    .iter()
                    .map(|&m| reader.interval(t, m, at, slot))
                    .collect()
            })
            .collect()
    };
    Figures {
        site: at(At::Site),
        teams: (0..sc.teams.len()).map(|i| at(At::Team(i))).collect(),
    }
}

/// Replications of one staffing, in replication order.
type Sample = Vec<Figures>;

/// How an interval's requirement stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every target is met with 95% confidence at the agents required.
    Met,
    /// A target's interval still straddles its bound at the most replications allowed.
    Inconclusive,
    /// Head count cannot meet a target here; `why` says what stands in the way.
    Unreachable,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Inconclusive => "inconclusive",
            Status::Unreachable => "unreachable",
        }
    }
}

/// One team's interval: the agents online it requires, how that stands and why, and the
/// figures there (in [`Problem::metrics`]' order).
pub struct Cell {
    pub required: u32,
    pub status: Status,
    pub why: String,
    pub figures: Vec<Option<Summary>>,
    /// The same figures with the team's agents as scheduled.
    pub scheduled: Vec<Option<Summary>>,
    /// Whether the team's own schedule has agents online in it at all.
    pub open: bool,
}

pub struct Requirements {
    /// `cells[team][slot]`.
    pub cells: Vec<Vec<Cell>>,
    /// Replications behind the final figures.
    pub replications: u64,
    /// Staffings simulated, bisection steps and fixed-point rounds together.
    pub simulations: usize,
}

/// A requirement search: the scenario as given, the targets and the bounds.
pub struct Problem<'a> {
    /// Every team has at least one agent, the one more agents are copies of.
    pub scenario: &'a Scenario,
    pub targets: &'a [Target],
    /// The most agents each team may have online.
    pub most_agents: Vec<u32>,
    /// Search every interval, even where the team's schedule has nobody.
    pub all_hours: bool,
    pub replications: u64,
    pub most_replications: u64,
}

/// Rounds of the fixed point after bisection; each can only add agents, so it ends, and in
/// practice one or two suffice.
const MOST_ROUNDS: usize = 6;

impl Problem<'_> {
    /// The metrics every replication is reduced to: the targets', the requests, the fallback
    /// rate and each reason's (to say why an interval is out of reach) and the agents online.
    pub fn metrics(&self) -> Vec<Metric> {
        metrics_for(self.targets)
    }

    pub fn slots(&self) -> usize {
        (crate::scenario::WEEK_SECS as u64 * 1000 / self.scenario.simulation.interval.millis())
            as usize
    }
}

/// A target as `require` takes it back: `site.` before a site-wide figure, whose bare name
/// would hold every team to it.
pub fn target_text(t: &Target) -> String {
    match t.metric.scope {
        Scope::Site => format!("site.{t}"),
        _ => t.to_string(),
    }
}

/// What each replication is reduced to for `targets`: the requests first (whether an interval
/// had any), see [`Problem::metrics`].
pub fn metrics_for(targets: &[Target]) -> Vec<Metric> {
    let mut m = vec![Metric::Requests, Metric::FallbackRate, Metric::OnlineAgents];
    m.extend(Reason::ALL.map(Metric::FallbackRateFor));
    for t in targets {
        if !m.contains(&t.metric.metric) {
            m.push(t.metric.metric);
        }
    }
    m
}

/// How one team's interval fares on its targets over some replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Met with 95% confidence, inconclusive or missed (met when it had no requests).
    pub standing: Standing,
    /// Every target's mean on its side of the bound.
    pub in_mean: bool,
    pub requests: bool,
}

/// The verdict of every team's interval (`[team][slot]`) on `targets` in `sample`, replications
/// of `sc` reduced with [`figures_of`] for [`metrics_for`]`(targets)`.
pub fn verdicts(sc: &Scenario, targets: &[Target], sample: &[Figures]) -> Vec<Vec<Verdict>> {
    let metrics = metrics_for(targets);
    let judge = Judge::new(sc, targets, &metrics);
    let slots = sample.first().map_or(0, |f| f.site.len());
    (0..sc.teams.len())
        .map(|i| {
            (0..slots)
                .map(|h| Verdict {
                    standing: judge.standing(sample, i, h),
                    in_mean: judge.mean_meets(sample, i, h),
                    requests: judge.has_requests(sample, i, h),
                })
                .collect()
        })
        .collect()
}

/// Finds the requirements of `p`. `eval` simulates replications of a scenario and reduces each
/// with [`figures_of`] (the caller runs them in parallel).
pub fn require(
    p: &Problem,
    mut eval: impl FnMut(&Scenario, Range<u64>) -> anyhow::Result<Vec<Figures>>,
) -> anyhow::Result<Requirements> {
    let metrics = p.metrics();
    let slots = p.slots();
    let teams = p.scenario.teams.len();
    let judge = Judge::new(p.scenario, p.targets, &metrics);
    let mut simulations = 0;
    let mut sample_of = |sc: &Scenario, cells: &[(usize, usize)]| -> anyhow::Result<Sample> {
        simulations += 1;
        let mut n = p.replications;
        let mut sample = eval(sc, 0..n)?;
        while n < p.most_replications
            && cells
                .iter()
                .any(|&(i, h)| judge.standing(&sample, i, h) == Standing::Inconclusive)
        {
            let more = (n * 2).min(p.most_replications);
            sample.extend(eval(sc, n..more)?);
            n = more;
        }
        Ok(sample)
    };
    // As scheduled: which intervals the team covers at all, and the figures a planner compares.
    let scheduled = sample_of(p.scenario, &[])?;
    let padded = padded(p.scenario, &p.most_agents);
    let online = metrics
        .iter()
        .position(|&m| m == Metric::OnlineAgents)
        .expect("the agents online are among the metrics");
    let open: Vec<Vec<bool>> = (0..teams)
        .map(|i| {
            (0..slots)
                .map(|h| {
                    p.all_hours
                        || judge
                            .summary(&scheduled, i, h, online)
                            .is_some_and(|s| s.max > 0.0)
                })
                .collect()
        })
        .collect();
    let cells: Vec<(usize, usize)> = (0..teams)
        .flat_map(|i| (0..slots).map(move |h| (i, h)))
        .collect();
    let most = |i: usize, h: usize| if open[i][h] { p.most_agents[i] } else { 0 };
    // First where the mean meets every target, which is cheap to close on; then, from there
    // up, where the whole interval does: for most intervals the same or the next count.
    let tops: Vec<Vec<u32>> = (0..teams)
        .map(|i| (0..slots).map(|h| most(i, h)).collect())
        .collect();
    let mut lo = vec![vec![0u32; slots]; teams];
    let mut hi = tops.clone();
    let mut probe = |staffing: &[Vec<u32>], cells: &[(usize, usize)]| {
        sample_of(&staffed(&padded, staffing), cells)
    };
    bisect(&mut probe, &judge, &mut lo, &mut hi, Criterion::Mean)?;
    let in_mean = hi.clone();
    let mut lo = in_mean.clone();
    let mut hi = tops;
    let settled = bisect(&mut probe, &judge, &mut lo, &mut hi, Criterion::Confident)?;
    // Where no count up to the most is met with confidence, the mean's answer stands, marked
    // inconclusive.
    let mut staffing: Vec<Vec<u32>> = (0..teams)
        .map(|i| {
            (0..slots)
                .map(|h| {
                    if settled[i][h] {
                        hi[i][h]
                    } else {
                        in_mean[i][h]
                    }
                })
                .collect()
        })
        .collect();
    // The fixed point: neighbours have moved since each interval was judged, so the whole
    // week is simulated again, and each interval that no longer passes gets one more agent.
    let mut rounds = 0;
    let last = loop {
        let sample = probe(&staffing, &cells)?;
        rounds += 1;
        let mut raised = false;
        for &(i, h) in &cells {
            let criterion = if settled[i][h] {
                Criterion::Confident
            } else {
                Criterion::Mean
            };
            if staffing[i][h] < most(i, h) && !judge.passes(&sample, i, h, criterion) {
                staffing[i][h] += 1;
                raised = true;
            }
        }
        if !raised || rounds == MOST_ROUNDS {
            break sample;
        }
    };
    let replications = last.len() as u64;
    let cells = (0..teams)
        .map(|i| {
            (0..slots)
                .map(|h| {
                    let (status, why) =
                        judge.status(&last, i, h, open[i][h], staffing[i][h], p, rounds);
                    Cell {
                        required: staffing[i][h],
                        status,
                        why,
                        figures: (0..metrics.len())
                            .map(|k| judge.summary(&last, i, h, k))
                            .collect(),
                        scheduled: (0..metrics.len())
                            .map(|k| judge.summary(&scheduled, i, h, k))
                            .collect(),
                        open: open[i][h],
                    }
                })
                .collect()
        })
        .collect();
    Ok(Requirements {
        cells,
        replications,
        simulations,
    })
}

/// What a bisection step asks of an interval: that every target's mean is on its side of the
/// bound, or its whole 95% interval.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Criterion {
    Mean,
    Confident,
}

/// Closes every interval's bracket `[lo, hi]` on the fewest agents that pass `c`, all intervals
/// in each simulated staffing, and says which intervals some count passed in (the others end at
/// `hi` untried or failed). A confident search starts next to its lower end, probing `lo`,
/// `lo + 1`, `lo + 3`, ... before it bisects, since its answer is mostly there.
fn bisect(
    probe: &mut impl FnMut(&[Vec<u32>], &[(usize, usize)]) -> anyhow::Result<Sample>,
    judge: &Judge,
    lo: &mut [Vec<u32>],
    hi: &mut [Vec<u32>],
    c: Criterion,
) -> anyhow::Result<Vec<Vec<bool>>> {
    let mut passed: Vec<Vec<bool>> = lo.iter().map(|l| vec![false; l.len()]).collect();
    let mut exhausted = passed.clone();
    let mut gallop: Vec<Vec<Option<u32>>> = lo
        .iter()
        .map(|l| vec![(c == Criterion::Confident).then_some(0); l.len()])
        .collect();
    loop {
        // Open until the bracket closes on a count that passed, or its top failed too.
        let searching: Vec<(usize, usize)> = (0..lo.len())
            .flat_map(|i| (0..lo[i].len()).map(move |h| (i, h)))
            .filter(|&(i, h)| !(exhausted[i][h] || passed[i][h] && lo[i][h] == hi[i][h]))
            .collect();
        if searching.is_empty() {
            return Ok(passed);
        }
        let mut staffing: Vec<Vec<u32>> = hi.to_vec();
        for &(i, h) in &searching {
            staffing[i][h] = match gallop[i][h] {
                Some(k) => (lo[i][h] + k).min(hi[i][h]),
                None => lo[i][h] + (hi[i][h] - lo[i][h]) / 2,
            };
        }
        let sample = probe(&staffing, &searching)?;
        for &(i, h) in &searching {
            let at = staffing[i][h];
            if judge.passes(&sample, i, h, c) {
                hi[i][h] = at;
                passed[i][h] = true;
                gallop[i][h] = None;
            } else if at == hi[i][h] {
                exhausted[i][h] = true;
            } else {
                lo[i][h] = at + 1;
                gallop[i][h] = gallop[i][h].map(|k| 2 * k + 1);
            }
        }
    }
}

/// Judges a team's interval in a sample against the targets that apply to it.
struct Judge<'a> {
    targets: Vec<(&'a Target, Option<usize>, usize)>,
    metrics: &'a [Metric],
}

impl<'a> Judge<'a> {
    fn new(sc: &Scenario, targets: &'a [Target], metrics: &'a [Metric]) -> Judge<'a> {
        let team_of = |s: &Scope| match s {
            Scope::Team(name) => sc.teams.iter().position(|t| &t.name == name),
            _ => None,
        };
        Judge {
            targets: targets
                .iter()
                .map(|t| {
                    let k = metrics.iter().position(|&m| m == t.metric.metric);
                    (
                        t,
                        team_of(&t.metric.scope),
                        k.expect("targets are among the metrics"),
                    )
                })
                .collect(),
            metrics,
        }
    }

    /// The team's figure `k` in interval `h` over the sample's replications (`None` when no
    /// replication defines it).
    fn summary(&self, s: &[Figures], team: usize, h: usize, k: usize) -> Option<Summary> {
        Summary::of(s.iter().filter_map(|r| r.teams[team][h][k]))
            .map(|x| x.clipped(self.metrics[k].unit()))
    }

    fn site(&self, s: &[Figures], h: usize, k: usize) -> Option<Summary> {
        Summary::of(s.iter().filter_map(|r| r.site[h][k]))
            .map(|x| x.clipped(self.metrics[k].unit()))
    }

    /// Whether the team had requests in the interval in any replication: without any, no
    /// figure of it needs an agent, and every target counts as met.
    fn has_requests(&self, s: &[Figures], team: usize, h: usize) -> bool {
        self.summary(s, team, h, 0).is_some_and(|r| r.max > 0.0)
    }

    /// The targets that apply to the team's interval, each with its figure's summary: the
    /// team's own and the site's.
    fn applying<'s>(
        &'s self,
        s: &'s [Figures],
        team: usize,
        h: usize,
    ) -> impl Iterator<Item = (&'a Target, Option<Summary>)> + 's {
        self.targets.iter().filter_map(move |&(t, of, k)| match of {
            Some(i) if i != team => None,
            Some(_) => Some((t, self.summary(s, team, h, k))),
            None => Some((t, self.site(s, h, k))),
        })
    }

    /// The worst standing of the targets that apply (met without requests).
    fn standing(&self, s: &[Figures], team: usize, h: usize) -> Standing {
        if !self.has_requests(s, team, h) {
            return Standing::Met;
        }
        Standing::worst(
            self.applying(s, team, h)
                .map(|(t, x)| t.standing(x.as_ref())),
        )
    }

    fn passes(&self, s: &[Figures], team: usize, h: usize, c: Criterion) -> bool {
        match c {
            Criterion::Confident => self.standing(s, team, h) == Standing::Met,
            Criterion::Mean => self.mean_meets(s, team, h),
        }
    }

    /// Whether every target that applies has its mean on its side of the bound (met without
    /// requests).
    fn mean_meets(&self, s: &[Figures], team: usize, h: usize) -> bool {
        !self.has_requests(s, team, h)
            || self
                .applying(s, team, h)
                .all(|(t, x)| t.met_in_mean(x.as_ref()))
    }

    /// The status of the interval at its final staffing, and what a planner should know.
    #[allow(clippy::too_many_arguments)]
    fn status(
        &self,
        s: &[Figures],
        team: usize,
        h: usize,
        open: bool,
        agents: u32,
        p: &Problem,
        rounds: usize,
    ) -> (Status, String) {
        if !self.has_requests(s, team, h) {
            return (Status::Met, "no requests".into());
        }
        match self.standing(s, team, h) {
            Standing::Met => (Status::Met, String::new()),
            _ if !open => (
                Status::Unreachable,
                "the team is not scheduled then (--all-hours searches every interval)".into(),
            ),
            Standing::Inconclusive if self.mean_meets(s, team, h) => (
                Status::Inconclusive,
                format!(
                    "the mean meets the target at this count, but its 95% interval still \
                     straddles it at {} replications (raise --max-replications)",
                    s.len()
                ),
            ),
            Standing::Inconclusive => (
                Status::Inconclusive,
                format!(
                    "the 95% interval straddles the target at {} replications and {agents} \
                     agents (raise --max-replications or --max-agents)",
                    s.len()
                ),
            ),
            Standing::Missed if agents < p.most_agents[team] => (
                Status::Unreachable,
                format!("still missed after {rounds} rounds of the whole week"),
            ),
            Standing::Missed => (Status::Unreachable, self.obstacle(s, team, h, agents)),
        }
    }

    /// Why `agents` online do not meet the targets: the reason most of the interval's fallbacks
    /// have, and whether head count answers it.
    fn obstacle(&self, s: &[Figures], team: usize, h: usize, agents: u32) -> String {
        let rate = |r: Reason| {
            let k = self
                .metrics
                .iter()
                .position(|&m| m == Metric::FallbackRateFor(r))
                .expect("each reason's rate is among the metrics");
            self.summary(s, team, h, k).map_or(0.0, |x| x.mean)
        };
        let worst = Reason::ALL
            .into_iter()
            .max_by(|a, b| rate(*a).total_cmp(&rate(*b)))
            .filter(|r| rate(*r) > 0.0);
        let share = |r: Reason| crate::figure::value(crate::figure::Unit::Share, rate(r));
        match worst {
            Some(r @ Reason::Timeout) => format!(
                "{} of requests reach the end of the accept window unanswered at {agents} agents: \
                 agents' responses, which head count does not change",
                share(r)
            ),
            Some(r @ Reason::TrialLimit) => {
                format!("the trial limit is used up ({} of requests)", share(r))
            }
            Some(r @ Reason::NoRule) => format!("no routing rule matches {} of requests", share(r)),
            _ => format!("{agents} agents online are not enough (raise --max-agents)"),
        }
    }
}

/// `sc` with every team grown to `most[team]` agents by copies of its first (named
/// `<team>+<n>`, in a group of their own), and every team agent's shrinkage set aside: the
/// requirement counts agents online, and FTEs add the shrinkage back.
pub fn padded(sc: &Scenario, most: &[u32]) -> Scenario {
    let mut sc = sc.clone();
    for (team, &most) in most.iter().enumerate() {
        for &a in &sc.teams[team].members {
            sc.agents[a as usize].shrinkage = 0.0;
        }
        let Some(&first) = sc.teams[team].members.first() else {
            continue;
        };
        let have = sc.teams[team].members.len() as u32;
        if have >= most {
            continue;
        }
        let start = sc.agents.len() as u32;
        for n in 1..=most - have {
            let mut copy = sc.agents[first as usize].clone();
            copy.name = format!("{}+{n}", sc.teams[team].name);
            copy.group = sc.groups.len() as u32;
            let id = sc.agents.len() as u32;
            sc.agents.push(copy);
            sc.teams[team].members.push(id);
        }
        sc.groups.push(AgentGroup {
            name: format!("{}+", sc.teams[team].name),
            first: start,
            count: most - have,
        });
    }
    sc
}

/// `padded` with each team's agents online by `staffing[team][slot]`: its k-th agent is on in
/// the intervals that need more than k, in UTC, so that the count online is the staffing.
pub fn staffed(padded: &Scenario, staffing: &[Vec<u32>]) -> Scenario {
    let mut sc = padded.clone();
    let width = (sc.simulation.interval.millis() / 1000) as u32;
    for (team, need) in staffing.iter().enumerate() {
        for (level, &a) in sc.teams[team].members.clone().iter().enumerate() {
            let mut spans: Vec<(u32, u32)> = Vec::new();
            for (slot, &n) in need.iter().enumerate() {
                if n as usize <= level {
                    continue;
                }
                let (a, b) = (slot as u32 * width, (slot as u32 + 1) * width);
                match spans.last_mut() {
                    Some(last) if last.1 == a => last.1 = b,
                    _ => spans.push((a, b)),
                }
            }
            sc.agents[a as usize].schedule = Schedule { spans, zone: None };
        }
    }
    sc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Bound;

    fn two_teams() -> Scenario {
        let text = r#"
            [arrivals]
            per_hour = 10
            [[streams]]
            name = "all"
            share = 1.0
            live_chat = 1.0
            routing = { mode = "team", team = "a" }
            [[agents]]
            name = "a"
            count = 2
            team = "a"
            shrinkage = 0.2
            [[agents]]
            name = "b"
            count = 1
            team = "b"
        "#;
        crate::scenario::parse_str(text, "t", std::path::Path::new("."), &[]).unwrap()
    }

    #[test]
    fn a_team_is_padded_with_copies_and_staffed_level_by_level() {
        let sc = two_teams();
        let padded = padded(&sc, &[3, 1]);
        let a = &padded.teams[0].members;
        assert_eq!(a.len(), 3);
        assert_eq!(padded.agents[a[2] as usize].name, "a+1");
        assert!(
            a.iter()
                .all(|&m| padded.agents[m as usize].shrinkage == 0.0)
        );
        let slots = 168;
        let mut need = vec![vec![0; slots], vec![1; slots]];
        need[0][1] = 2;
        need[0][2] = 3;
        need[0][3] = 1;
        let s = staffed(&padded, &need);
        let spans = |id: u32| s.agents[id as usize].schedule.spans.clone();
        assert_eq!(
            spans(a[0]),
            vec![(3600, 4 * 3600)],
            "intervals 1 to 3, merged"
        );
        assert_eq!(spans(a[1]), vec![(3600, 3 * 3600)]);
        assert_eq!(spans(a[2]), vec![(2 * 3600, 3 * 3600)]);
        let b = s.teams[1].members[0];
        assert_eq!(spans(b), vec![(0, crate::scenario::WEEK_SECS)]);
    }

    #[test]
    fn a_bare_target_holds_every_team_to_it() {
        let sc = two_teams();
        let spec = |s: &str| s.parse::<TargetSpec>().unwrap();
        let t = interval_targets(
            &[
                spec("fallback_rate<=0.05"),
                spec("teams.b.abandoned_rate<=0.1"),
                spec("site.engaged_rate>=0.9"),
            ],
            &sc,
        )
        .unwrap();
        let names: Vec<String> = t.iter().map(|t| t.to_string()).collect();
        assert_eq!(
            names,
            [
                "teams.a.fallback_rate<=0.05",
                "teams.b.fallback_rate<=0.05",
                "teams.b.abandoned_rate<=0.1",
                "engaged_rate>=0.9"
            ]
        );
        assert_eq!(t[3].bound, Bound::AtLeast);
        for bad in [
            "requests<=5",
            "teams.c.fallback_rate<=0.1",
            "site.nothing<=1",
        ] {
            assert!(interval_targets(&[spec(bad)], &sc).is_err(), "{bad}");
        }
    }
}
