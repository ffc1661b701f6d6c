//! The staffing search: the fewest agents in total that meet every target, without simulating
//! every combination.
//!
//! With one varied group the answer is found by bisection (more agents never make service
//! worse, and common random numbers keep the simulated figures close to monotone). With several,
//! a greedy marginal search: from the lower bounds, add one agent to the group whose increment
//! helps the worst target most, until all targets are met (when the upper bounds meet them; else
//! the answer is the upper bounds, marked as not met); then remove agents one at a time while
//! the targets stay met; then try moving one agent between groups, and removing again, until no
//! move helps. Every staffing is simulated at most once.

use std::collections::BTreeMap;

use crate::plan::{Bound, Standing, Target};
use crate::report::{RunSummary, Searched, StaffPage, TargetRow};
use crate::scenario::Scenario;
use crate::usage::{UsageError, usage_error};

/// One varied key with its inclusive bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vary {
    pub path: String,
    pub lo: i64,
    pub hi: i64,
}

impl Vary {
    /// Reads `PATH=LO..HI` or a bare `PATH`. A bare `agents.<name>.count` ranges from 1 to four
    /// times the scenario's count (at least 20); other keys need their range.
    pub fn parse(spec: &str, sc: &Scenario) -> Result<Vary, UsageError> {
        let (path, range) = match spec.split_once('=') {
            Some((p, r)) => (p.trim(), Some(r.trim())),
            None => (spec.trim(), None),
        };
        let bad = |m: String| usage_error("--vary", path, m);
        let Some(range) = range else {
            let group = path
                .strip_prefix("agents.")
                .and_then(|p| p.strip_suffix(".count"))
                .ok_or_else(|| {
                    bad("give the range to search, like package.cap=1..10 (only \
                         agents.<name>.count has a default range)"
                        .into())
                })?;
            let g = sc.groups.iter().find(|g| g.name == group).ok_or_else(|| {
                let names: Vec<&str> = sc.groups.iter().map(|g| g.name.as_str()).collect();
                bad(format!(
                    "no agent group is named {group:?} (groups: {})",
                    names.join(", ")
                ))
            })?;
            return Ok(Vary {
                path: path.to_string(),
                lo: fewest_named(sc, g),
                hi: (4 * g.count as i64).max(20),
            });
        };
        let parsed = range.split_once("..").and_then(|(a, b)| {
            Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?))
        });
        match parsed {
            Some((lo, hi)) if 0 <= lo && lo <= hi => Ok(Vary {
                path: path.to_string(),
                lo,
                hi,
            }),
            _ => Err(bad(format!(
                "expected a range of non-negative integers like 1..30, got {range:?}"
            ))),
        }
    }
}

/// The smallest count of group `g` that keeps every one of its agents that the scenario names
/// (in routing, rules or accounts): `sales-2` named in a rule needs at least 2. At least 1.
fn fewest_named(sc: &Scenario, g: &crate::scenario::AgentGroup) -> i64 {
    use crate::scenario::{Routing, Target};
    let mut named: Vec<u32> = sc.accounts.iter().map(|a| a.owner).collect();
    for s in &sc.streams {
        match &s.routing {
            Routing::Agent(a) => named.push(*a),
            Routing::Rules(rules) => {
                for r in rules {
                    if let Target::Agents(ids) = &r.target {
                        named.extend(ids);
                    }
                }
            }
            Routing::RoundRobin | Routing::Team(_) => {}
        }
    }
    named
        .iter()
        .filter(|&&id| (g.first..g.first + g.count).contains(&id))
        .map(|&id| (id - g.first + 1) as i64)
        .max()
        .unwrap_or(1)
}

/// The search's answer: the staffing, whether it meets every target, its summary, and how many
/// staffings were simulated to find it.
pub struct Search {
    pub answer: Vec<i64>,
    pub met: bool,
    pub summary: RunSummary,
    pub runs: usize,
}

impl Search {
    /// What `staff`'s report.html shows of the search over `vary` for `targets`.
    pub fn page<'a>(&'a self, vary: &[Vary], targets: &[Target]) -> StaffPage<'a> {
        StaffPage {
            summary: &self.summary,
            searched: vary
                .iter()
                .zip(&self.answer)
                .map(|(v, &answer)| Searched {
                    key: v.path.clone(),
                    lo: v.lo,
                    hi: v.hi,
                    answer,
                })
                .collect(),
            targets: targets
                .iter()
                .map(|t| TargetRow {
                    figure: t.metric.clone(),
                    at_most: t.bound == Bound::AtMost,
                    bound: t.value,
                    standing: self.standing(t).name(),
                })
                .collect(),
            met: self.met,
            inconclusive: self.standing_of(targets) == Standing::Inconclusive,
            runs: self.runs,
        }
    }

    /// How `t` stands at the answer.
    pub fn standing(&self, t: &Target) -> Standing {
        t.standing(self.summary.get(&t.metric))
    }

    /// How the answer stands on all of `targets`: inconclusive when one straddles its bound and
    /// none is missed outright, so that more replications could settle it.
    pub fn standing_of(&self, targets: &[Target]) -> Standing {
        Standing::worst(targets.iter().map(|t| self.standing(t)))
    }
}

/// Evaluates staffings in batches (each batch can run in parallel) and remembers them.
struct Evaluations<'f, F> {
    targets: &'f [Target],
    eval: F,
    seen: BTreeMap<Vec<i64>, RunSummary>,
}

impl<F> Evaluations<'_, F>
where
    F: FnMut(&[Vec<i64>]) -> anyhow::Result<Vec<RunSummary>>,
{
    fn batch(&mut self, xs: &[Vec<i64>]) -> anyhow::Result<()> {
        let mut new: Vec<Vec<i64>> = Vec::new();
        for x in xs {
            if !self.seen.contains_key(x) && !new.contains(x) {
                new.push(x.clone());
            }
        }
        if !new.is_empty() {
            let summaries = (self.eval)(&new)?;
            self.seen.extend(new.into_iter().zip(summaries));
        }
        Ok(())
    }

    /// (worst shortfall, total shortfall): smaller is better; met when the first is <= 0.
    fn score(&self, x: &[i64]) -> (f64, f64) {
        let s = &self.seen[x];
        let falls: Vec<f64> = self.targets.iter().map(|t| t.shortfall(s)).collect();
        let worst = falls.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (worst, falls.iter().map(|f| f.max(0.0)).sum())
    }

    fn met(&self, x: &[i64]) -> bool {
        self.score(x).0 <= 0.0
    }

    /// Evaluates `xs` and returns the best of them by score (the first on ties).
    fn best(&mut self, xs: &[Vec<i64>], only_met: bool) -> anyhow::Result<Option<Vec<i64>>> {
        self.batch(xs)?;
        let mut best: Option<(&Vec<i64>, (f64, f64))> = None;
        for x in xs {
            let s = self.score(x);
            if only_met && s.0 > 0.0 {
                continue;
            }
            if best.is_none_or(|(_, b)| s.0 < b.0 || (s.0 == b.0 && s.1 < b.1)) {
                best = Some((x, s));
            }
        }
        Ok(best.map(|(x, _)| x.clone()))
    }
}

fn moved(x: &[i64], i: usize, by: i64) -> Vec<i64> {
    let mut y = x.to_vec();
    y[i] += by;
    y
}

/// Searches staffings within `vary`'s bounds for the fewest agents in total that meet every
/// target. `eval` simulates a batch of staffings (values in `vary` order).
pub fn staff_search(
    vary: &[Vary],
    targets: &[Target],
    eval: impl FnMut(&[Vec<i64>]) -> anyhow::Result<Vec<RunSummary>>,
) -> anyhow::Result<Search> {
    let mut ev = Evaluations {
        targets,
        eval,
        seen: BTreeMap::new(),
    };
    let lo: Vec<i64> = vary.iter().map(|v| v.lo).collect();
    let hi: Vec<i64> = vary.iter().map(|v| v.hi).collect();
    let answer = if vary.len() == 1 {
        bisect(&mut ev, lo[0], hi[0])?
    } else {
        greedy(&mut ev, &lo, &hi)?
    };
    let met = ev.met(&answer);
    let runs = ev.seen.len();
    let summary = ev.seen.remove(&answer).expect("the answer was evaluated");
    Ok(Search {
        answer,
        met,
        summary,
        runs,
    })
}

/// The smallest value in `lo..=hi` that meets the targets, or `hi` when none does.
fn bisect<F>(ev: &mut Evaluations<'_, F>, lo: i64, hi: i64) -> anyhow::Result<Vec<i64>>
where
    F: FnMut(&[Vec<i64>]) -> anyhow::Result<Vec<RunSummary>>,
{
    ev.batch(&[vec![hi]])?;
    if !ev.met(&[hi]) {
        return Ok(vec![hi]);
    }
    let (mut lo, mut hi) = (lo, hi);
    // Invariant: hi meets the targets; every value below lo is known not to.
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        ev.batch(&[vec![mid]])?;
        if ev.met(&[mid]) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Ok(vec![hi])
}

fn greedy<F>(ev: &mut Evaluations<'_, F>, lo: &[i64], hi: &[i64]) -> anyhow::Result<Vec<i64>>
where
    F: FnMut(&[Vec<i64>]) -> anyhow::Result<Vec<RunSummary>>,
{
    let n = lo.len();
    // When even the upper bounds miss, no staffing in the box meets the targets.
    ev.batch(&[hi.to_vec(), lo.to_vec()])?;
    if !ev.met(hi) {
        return Ok(hi.to_vec());
    }
    let mut x = lo.to_vec();
    while !ev.met(&x) {
        let ups: Vec<Vec<i64>> = (0..n)
            .filter(|&i| x[i] < hi[i])
            .map(|i| moved(&x, i, 1))
            .collect();
        match ev.best(&ups, false)? {
            Some(y) => x = y,
            None => return Ok(x),
        }
    }
    loop {
        // Remove agents while the targets stay met, keeping the most margin.
        loop {
            let downs: Vec<Vec<i64>> = (0..n)
                .filter(|&i| x[i] > lo[i])
                .map(|i| moved(&x, i, -1))
                .collect();
            match ev.best(&downs, true)? {
                Some(y) => x = y,
                None => break,
            }
        }
        // Move one agent between groups; a move that still meets the targets and lets one more
        // agent go is progress.
        let mut progressed = false;
        'moves: for i in (0..n).filter(|&i| x[i] > lo[i]) {
            for j in (0..n).filter(|&j| j != i && x[j] < hi[j]) {
                let y = moved(&moved(&x, i, -1), j, 1);
                ev.batch(std::slice::from_ref(&y))?;
                if !ev.met(&y) {
                    continue;
                }
                let downs: Vec<Vec<i64>> = (0..n)
                    .filter(|&k| y[k] > lo[k])
                    .map(|k| moved(&y, k, -1))
                    .collect();
                if let Some(z) = ev.best(&downs, true)? {
                    x = z;
                    progressed = true;
                    break 'moves;
                }
            }
        }
        if !progressed {
            return Ok(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::{Figure, Metric};
    use crate::plan::Bound;

    /// A fake model: the "fallback rate" of a staffing is a known decreasing function with a
    /// tiny interval, so the search can be checked against every combination.
    fn fake(x: &[i64]) -> RunSummary {
        let rate = 1.0 / (1.0 + 0.6 * x[0] as f64 + 0.3 * x.get(1).copied().unwrap_or(0) as f64);
        let per_rep = [rate - 1e-4, rate + 1e-4]
            .iter()
            .map(|v| vec![(Figure::site(Metric::FallbackRate), Some(*v))])
            .collect();
        RunSummary::new("t", 1, 1.0, per_rep)
    }

    fn target(v: f64) -> Vec<Target> {
        vec![Target {
            metric: Figure::site(Metric::FallbackRate),
            bound: Bound::AtMost,
            value: v,
        }]
    }

    fn vary(lo: i64, hi: i64) -> Vary {
        Vary {
            path: "x".into(),
            lo,
            hi,
        }
    }

    #[test]
    fn bisection_finds_the_smallest_count() {
        let mut calls = 0;
        let s = staff_search(&[vary(0, 40)], &target(0.1), |xs| {
            calls += xs.len();
            Ok(xs.iter().map(|x| fake(x)).collect())
        })
        .unwrap();
        // The interval's upper end, 1 / (1 + 0.6 x) + 0.0013, is first below 0.1 at x = 16.
        assert_eq!((s.answer, s.met), (vec![16], true));
        assert!(s.runs <= 8 && calls == s.runs, "{} runs", s.runs);
    }

    #[test]
    fn greedy_matches_brute_force_and_says_when_unmet() {
        let t = target(0.1);
        let s = staff_search(&[vary(0, 20), vary(0, 20)], &t, |xs| {
            Ok(xs.iter().map(|x| fake(x)).collect())
        })
        .unwrap();
        let best = (0..=20)
            .flat_map(|a| (0..=20).map(move |b| vec![a, b]))
            .filter(|x| t[0].met(&fake(x)))
            .map(|x| x[0] + x[1])
            .min()
            .unwrap();
        assert!(s.met);
        assert_eq!(s.answer.iter().sum::<i64>(), best);
        assert!(s.runs < 441 / 4, "{} runs", s.runs);
        let s = staff_search(&[vary(0, 3), vary(0, 3)], &t, |xs| {
            Ok(xs.iter().map(|x| fake(x)).collect())
        })
        .unwrap();
        assert_eq!((s.answer, s.met), (vec![3, 3], false));
    }

    #[test]
    fn default_range_for_agent_counts() {
        let sc = crate::model::testing::scenario_with(3, crate::scenario::Routing::RoundRobin);
        let v = Vary::parse("agents.a.count", &sc).unwrap();
        assert_eq!((v.lo, v.hi), (1, 20));
        let v = Vary::parse("package.cap=2..6", &sc).unwrap();
        assert_eq!((v.lo, v.hi), (2, 6));
        for bad in [
            "package.cap",
            "agents.zz.count",
            "package.cap=6..2",
            "x=a..b",
        ] {
            assert!(Vary::parse(bad, &sc).is_err(), "{bad}");
        }
    }
}
