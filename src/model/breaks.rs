//! Shrinkage (a what-if lever of docs/model.md): each agent alternates work spells and breaks
//! of exponential lengths, from its own generator.

use rand::RngExt;
use rand::rngs::Xoshiro256PlusPlus;
use rand_distr::{Distribution, Exp1};

use crate::engine::Time;
use crate::model::streams::{self, Purpose};
use crate::scenario::Scenario;

pub struct Breaks {
    on_break: Vec<bool>,
    /// Per agent, the share of time on break (0: no breaks).
    shrinkage: Vec<f64>,
    break_length_s: f64,
    /// Per agent, seeded from the seed, the replication and the agent's index only, so breaks
    /// do not shift when routing or staffing changes elsewhere.
    rngs: Vec<Xoshiro256PlusPlus>,
}

impl Breaks {
    pub fn new(sc: &Scenario, replication: u64) -> Breaks {
        let n = sc.agents.len();
        Breaks {
            on_break: vec![false; n],
            shrinkage: sc.agents.iter().map(|a| a.shrinkage).collect(),
            break_length_s: sc.package.break_length.as_secs_f64(),
            rngs: (0..n as u64)
                .map(|a| streams::stream(sc.simulation.seed, replication, Purpose::Breaks(a)))
                .collect(),
        }
    }

    pub fn on_break(&self, agent: usize) -> bool {
        self.on_break[agent]
    }

    /// Starts `agent` in the long-run state (on a break with probability `s`), so that the
    /// share holds from time 0; returns the length of its first spell, `None` without
    /// shrinkage.
    pub fn start(&mut self, agent: usize) -> Option<Time> {
        let s = self.shrinkage[agent];
        if s > 0.0 {
            self.on_break[agent] = self.rngs[agent].random::<f64>() < s;
            Some(self.spell(agent))
        } else {
            None
        }
    }

    /// Ends `agent`'s spell; returns the length of the next.
    pub fn toggle(&mut self, agent: usize) -> Time {
        self.on_break[agent] = !self.on_break[agent];
        self.spell(agent)
    }

    /// Breaks of mean `break_length`, work spells of mean `break_length (1 - s) / s`: a share
    /// `s` of the time is on break.
    fn spell(&mut self, agent: usize) -> Time {
        let s = self.shrinkage[agent];
        let mean = if self.on_break[agent] {
            self.break_length_s
        } else {
            self.break_length_s * (1.0 - s) / s
        };
        let draw: f64 = Exp1.sample(&mut self.rngs[agent]);
        // At least a millisecond, so that a spell always ends after it starts.
        Time::from_secs_f64(draw * mean).max(Time(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::testing::scenario_with;
    use crate::scenario::Routing;

    fn breaks(shrinkage: &[f64], replication: u64) -> Breaks {
        let mut sc = scenario_with(shrinkage.len() as u32, Routing::RoundRobin);
        for (a, &s) in sc.agents.iter_mut().zip(shrinkage) {
            a.shrinkage = s;
        }
        Breaks::new(&sc, replication)
    }

    #[test]
    fn shrinkage_is_the_long_run_share_of_time_on_break() {
        let mut b = breaks(&[0.2], 0);
        let (mut on, mut total) = (0u64, 0u64);
        let mut spell = b.start(0).unwrap();
        for _ in 0..100_000 {
            if b.on_break(0) {
                on += spell.millis();
            }
            total += spell.millis();
            spell = b.toggle(0);
        }
        let share = on as f64 / total as f64;
        assert!((share - 0.2).abs() < 0.01, "{share}");
        let mean_break_s = on as f64 / 1000.0 / 50_000.0;
        assert!((mean_break_s / 900.0 - 1.0).abs() < 0.03, "{mean_break_s}");
    }

    #[test]
    fn shrinkage_zero_takes_no_breaks() {
        let mut b = breaks(&[0.0], 0);
        assert_eq!(b.start(0), None);
        assert!(!b.on_break(0));
    }

    #[test]
    fn shrinkage_breaks_are_the_agents_own() {
        // Agent 1's breaks are the same whether or not agent 0 takes any.
        let (mut with, mut without) = (breaks(&[0.3, 0.3], 2), breaks(&[0.0, 0.3], 2));
        with.start(0);
        assert_eq!(with.start(1), without.start(1));
        assert_eq!(with.toggle(1), without.toggle(1));
    }
}
