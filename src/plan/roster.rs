//! Rosters: shifts that cover a team's requirement in every interval of the week at the least
//! paid hours (or cost), as an integer program over shift patterns (the set-covering model of
//! Dantzig 1954 for shift scheduling), solved by branch and bound in microlp.
//!
//! A pattern is a shift length, a start time of day in the team's own time zone and a run of
//! working days in a row, the days off in a row after them. Its head count `x` must cover each
//! interval: the patterns on in an interval, times the share of their time agents are online
//! (one minus shrinkage), at least the agents it requires. The linear relaxation's optimum is
//! a lower bound on any roster's paid hours, and the roster says how close it came.
//!
//! The program is solved by microlp's own interface rather than through good_lp, for its node
//! limit: a deterministic bound on the search, where good_lp offers only a clock.

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions, Variable};

use crate::scenario::{DAY_NAMES, WEEK_SECS};

const DAY: u32 = 86_400;

/// What shifts a roster may use.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Shift lengths in seconds, each with its cost per shift (`None`: its paid hours).
    pub shifts: Vec<(u32, Option<f64>)>,
    /// Allowed start times, seconds after local midnight.
    pub starts: Vec<u32>,
    /// Working days in a row a week (1 to 7); the rest are days off, also in a row.
    pub days: u32,
    /// Share of paid time agents are not online.
    pub shrinkage: f64,
}

/// One shift pattern: `days` days in a row from `first_day` (Monday 0), each from `start`
/// (local seconds after midnight) for `length` seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    pub first_day: u32,
    pub days: u32,
    pub start: u32,
    pub length: u32,
    /// Cost of one agent on it for a week.
    pub cost: f64,
}

impl Pattern {
    pub fn paid_hours(&self) -> f64 {
        (self.days * self.length) as f64 / 3600.0
    }

    /// The days as the schedule syntax writes them: `mon-fri`, `sat-wed`, `daily`.
    pub fn day_range(&self) -> String {
        let name = |d: u32| &DAY_NAMES[(d % 7) as usize][..3];
        match self.days {
            7 => "daily".into(),
            1 => name(self.first_day).into(),
            n => format!("{}-{}", name(self.first_day), name(self.first_day + n - 1)),
        }
    }

    /// `HH:MM-HH:MM` in local time; an end past midnight reads as the next day's clock time.
    pub fn hours(&self) -> String {
        let hm = |s: u32| format!("{:02}:{:02}", (s / 3600) % 24, (s % 3600) / 60);
        let end = self.start + self.length;
        let end = if end == DAY { "24:00".into() } else { hm(end) };
        format!("{}-{end}", hm(self.start))
    }

    /// The name of the scenario group of `team`'s agents on it: `emea-mon-fri-0800-480m`.
    pub fn group_name(&self, team: &str) -> String {
        format!(
            "{team}-{}-{:02}{:02}-{}m",
            self.day_range(),
            self.start / 3600,
            self.start % 3600 / 60,
            self.length / 60
        )
    }

    /// The entry of a scenario's `schedule` that puts an agent on this pattern.
    pub fn schedule(&self) -> String {
        format!("{} {}", self.day_range(), self.hours())
    }

    /// Which intervals of the UTC week (`width` seconds each) the pattern covers whole, with
    /// local time `offset` seconds ahead of UTC.
    pub fn covers(&self, offset: i64, width: u32) -> Vec<usize> {
        let slots = (WEEK_SECS / width) as i64;
        let mut out = Vec::new();
        for d in 0..self.days {
            let local = ((self.first_day + d) % 7 * DAY + self.start) as i64;
            let from = (local - offset).rem_euclid(WEEK_SECS as i64);
            let first = (from + width as i64 - 1) / width as i64;
            let last = (from + self.length as i64) / width as i64;
            out.extend((first..last).map(|s| (s.rem_euclid(slots)) as usize));
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Every pattern the rules allow.
pub fn patterns(rules: &Rules) -> Vec<Pattern> {
    let firsts = if rules.days == 7 { 1 } else { 7 };
    let mut out = Vec::new();
    for &(length, cost) in &rules.shifts {
        for &start in &rules.starts {
            for first_day in 0..firsts {
                let mut p = Pattern {
                    first_day,
                    days: rules.days,
                    start,
                    length,
                    cost: 0.0,
                };
                p.cost = cost.map_or_else(|| p.paid_hours(), |c| c * rules.days as f64);
                out.push(p);
            }
        }
    }
    out
}

/// A team's roster: head counts per pattern (only those used), its cost and paid hours, and
/// the linear relaxation's cost, the lower bound it is measured against.
#[derive(Debug)]
pub struct Roster {
    pub shifts: Vec<(Pattern, u32)>,
    pub cost: f64,
    pub paid_hours: f64,
    pub lower_bound: f64,
}

impl Roster {
    /// How far the roster's cost is above the lower bound, as a share of it.
    pub fn gap(&self) -> f64 {
        if self.lower_bound > 0.0 {
            self.cost / self.lower_bound - 1.0
        } else {
            0.0
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("interval {slot} of the week needs agents but no allowed shift covers it")]
    Uncovered { slot: usize },
    #[error("the solver failed: {0}")]
    Solver(#[from] microlp::Error),
    #[error("the solver stopped before it had a roster")]
    NoIncumbent,
}

/// The relative gap branch and bound stops at: a roster within 2% of the best possible.
const MIP_GAP: f64 = 0.02;

/// The most branch-and-bound nodes a team's roster may take: a bound on time that, unlike a
/// clock, gives the same roster on every machine. The roster states its gap to the bound.
const NODES: u64 = 2_000;

/// The cheapest roster that puts, in every interval `h` of the UTC week, at least
/// `required[h]` agents online on average, for a team whose clock is `offset` seconds ahead of
/// UTC.
pub fn solve(
    required: &[u32],
    rules: &Rules,
    offset: i64,
    width: u32,
) -> Result<Roster, RosterError> {
    let all = patterns(rules);
    let covers: Vec<Vec<usize>> = all.iter().map(|p| p.covers(offset, width)).collect();
    // Scheduled agents needed: online = scheduled x (1 - shrinkage), and a whole number of
    // agents covers a fractional need only by the next whole number, which tightens the
    // relaxation the search bounds with.
    let need: Vec<f64> = required
        .iter()
        .map(|&r| (r as f64 / (1.0 - rules.shrinkage) - 1e-9).ceil().max(0.0))
        .collect();
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); required.len()];
    for (p, slots) in covers.iter().enumerate() {
        for &h in slots {
            on[h].push(p);
        }
    }
    if let Some(slot) = (0..required.len()).find(|&h| need[h] > 0.0 && on[h].is_empty()) {
        return Err(RosterError::Uncovered { slot });
    }
    let relaxed = relaxation(&all, &on, &need)?;
    let lower_bound = relaxed
        .iter()
        .zip(&all)
        .map(|(x, p)| x * p.cost)
        .sum::<f64>();
    // Rounding the relaxation up covers every interval: a start the search can only improve.
    let start: Vec<f64> = relaxed.iter().map(|x| (x - 1e-9).ceil().max(0.0)).collect();
    let counts = integer(&all, &on, &need, &start)?;
    let shifts: Vec<(Pattern, u32)> = all
        .into_iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .collect();
    Ok(Roster {
        cost: shifts.iter().map(|(p, n)| p.cost * *n as f64).sum(),
        paid_hours: shifts.iter().map(|(p, n)| p.paid_hours() * *n as f64).sum(),
        shifts,
        lower_bound,
    })
}

/// The covering program: `x[p] >= 0` per pattern at its cost, and for each interval that needs
/// agents `sum of x[p] over the patterns on then >= need`. Integer or relaxed.
fn program(
    all: &[Pattern],
    on: &[Vec<usize>],
    need: &[f64],
    integer: bool,
) -> (Problem, Vec<Variable>) {
    let mut m = Problem::new(OptimizationDirection::Minimize);
    let most = need.iter().copied().fold(0.0, f64::max);
    let xs: Vec<Variable> = all
        .iter()
        .map(|p| {
            if integer {
                m.add_integer_var(p.cost, (0, most as i32))
            } else {
                m.add_var(p.cost, (0.0, f64::INFINITY))
            }
        })
        .collect();
    for (h, ps) in on.iter().enumerate() {
        if need[h] > 0.0 {
            let mut sum = LinearExpr::empty();
            for &p in ps {
                sum.add(xs[p], 1.0);
            }
            m.add_constraint(sum, ComparisonOp::Ge, need[h]);
        }
    }
    (m, xs)
}

/// The linear relaxation's optimum, per pattern.
fn relaxation(all: &[Pattern], on: &[Vec<usize>], need: &[f64]) -> Result<Vec<f64>, RosterError> {
    let (m, xs) = program(all, on, need, false);
    let s = m
        .solve()?
        .into_solution()
        .map_err(|_| RosterError::NoIncumbent)?;
    Ok(xs.iter().map(|&x| s.var_value(x)).collect())
}

/// Branch and bound from the rounded-up relaxation `start`, to [`MIP_GAP`] or [`NODES`].
fn integer(
    all: &[Pattern],
    on: &[Vec<usize>],
    need: &[f64],
    start: &[f64],
) -> Result<Vec<u32>, RosterError> {
    let (m, xs) = program(all, on, need, true);
    let mut options = SolveOptions::default();
    options.mip_gap = MIP_GAP;
    options.node_limit = Some(NODES);
    options.warm_start = Some(xs.iter().copied().zip(start.iter().copied()).collect());
    let s = m
        .solve_with(options)?
        .into_solution()
        .map_err(|_| RosterError::NoIncumbent)?;
    Ok(xs
        .iter()
        .map(|&x| s.var_value(x).round().max(0.0) as u32)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(days: u32) -> Rules {
        Rules {
            shifts: vec![(8 * 3600, None)],
            starts: (0..24).map(|h| h * 3600).collect(),
            days,
            shrinkage: 0.0,
        }
    }

    #[test]
    fn a_pattern_reads_in_the_schedule_syntax_and_covers_its_hours_in_utc() {
        let p = Pattern {
            first_day: 5,
            days: 5,
            start: 22 * 3600,
            length: 8 * 3600,
            cost: 40.0,
        };
        assert_eq!(p.schedule(), "sat-wed 22:00-06:00");
        assert_eq!(p.group_name("emea"), "emea-sat-wed-2200-480m");
        // Saturday 22:00 at UTC+2 is Saturday 20:00 UTC: interval 5 x 24 + 20.
        let c = p.covers(7200, 3600);
        assert_eq!(c.len(), 40);
        assert_eq!(
            c[..4],
            [0, 1, 2, 3],
            "Wednesday's night shift ends on Thursday 04:00 UTC: {c:?}"
        );
        assert!(c.contains(&(5 * 24 + 20)) && !c.contains(&(5 * 24 + 19)));
        let day = Pattern {
            days: 7,
            start: 0,
            length: DAY,
            ..p
        };
        assert_eq!(day.schedule(), "daily 00:00-24:00");
    }

    #[test]
    fn a_flat_requirement_is_covered_by_shifts_end_to_end() {
        // Two agents every hour, all week: three 8-hour shifts a day, seven days, no waste.
        let required = vec![2; 168];
        let r = solve(&required, &rules(7), 0, 3600).unwrap();
        assert_eq!(r.paid_hours, 2.0 * 168.0);
        assert!((r.lower_bound - 336.0).abs() < 1e-6);
    }

    #[test]
    fn every_interval_is_covered_and_the_cost_is_near_the_bound() {
        // Office hours with a peak, five days a week: the roster must cover each hour.
        let required: Vec<u32> = (0..168)
            .map(|h| {
                let (day, hour) = (h / 24, h % 24);
                match (day < 5, hour) {
                    (true, 8..=17) => 3 + (hour % 4) as u32,
                    (_, 6..=21) => 1,
                    _ => 0,
                }
            })
            .collect();
        let rules = Rules {
            shrinkage: 0.25,
            ..rules(5)
        };
        let r = solve(&required, &rules, -5 * 3600, 3600).unwrap();
        let mut online = vec![0.0; 168];
        for (p, n) in &r.shifts {
            for h in p.covers(-5 * 3600, 3600) {
                online[h] += *n as f64 * 0.75;
            }
        }
        for h in 0..168 {
            assert!(online[h] + 1e-9 >= required[h] as f64, "hour {h}");
        }
        assert!(
            r.paid_hours <= 1.1 * r.lower_bound,
            "{} vs {}",
            r.paid_hours,
            r.lower_bound
        );
    }

    #[test]
    fn an_interval_no_shift_can_reach_is_an_error() {
        let mut required = vec![0; 168];
        required[3] = 1;
        let rules = Rules {
            starts: vec![9 * 3600],
            ..rules(5)
        };
        assert!(matches!(
            solve(&required, &rules, 0, 3600),
            Err(RosterError::Uncovered { slot: 3 })
        ));
    }
}
