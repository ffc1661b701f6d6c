//! Everything the tables, plots and HTML report show beyond the summary, gathered once from the
//! replications' tallies.

use crate::model::Tally;
use crate::report::agents::agents_table;
use crate::report::rollups::{streams_table, teams_table};
use crate::report::table::Table;
use crate::report::timeseries::TimeSeries;
use crate::scenario::Scenario;

pub struct Detail {
    pub series: TimeSeries,
    pub agents: Table,
    pub teams: Table,
    pub streams: Table,
    pub responses: Responses,
    /// Only when a lifetime engagement limit applies.
    pub trial: Option<Trial>,
    pub warmup_h: f64,
    pub horizon_h: f64,
}

/// Agents' response times pooled over the replications.
pub struct Responses {
    pub bin_s: f64,
    pub window_s: f64,
    /// Per bin from 0, the last bin holding everything past the others.
    pub counts: Vec<u64>,
}

impl Responses {
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Share of answered offers answered at or after the window closed.
    pub fn late_share(&self) -> Option<f64> {
        let first_late = (self.window_s / self.bin_s).round() as usize;
        let late: u64 = self.counts.iter().skip(first_late).sum();
        let total = self.total();
        (total > 0).then(|| late as f64 / total as f64)
    }
}

pub struct Trial {
    pub limit: u64,
    /// When the limit was reached, in hours, in the replications where it was.
    pub exhausted_at_h: Vec<f64>,
    pub replications: usize,
}

impl Detail {
    pub fn of(sc: &Scenario, tallies: &[Tally]) -> Detail {
        let mut counts: Vec<u64> = Vec::new();
        let mut bin_s = 1.0;
        for t in tallies {
            let h = &t.responses;
            counts.resize(h.counts().len(), 0);
            for (c, n) in counts.iter_mut().zip(h.counts()) {
                *c += n;
            }
            bin_s = h.width();
        }
        Detail {
            series: TimeSeries::of(tallies),
            agents: agents_table(sc, tallies),
            teams: teams_table(sc, tallies),
            streams: streams_table(sc, tallies),
            responses: Responses {
                bin_s,
                window_s: sc.package.accept_timeout.as_secs_f64(),
                counts,
            },
            trial: sc.package.trial_engagements.map(|limit| Trial {
                limit,
                exhausted_at_h: tallies
                    .iter()
                    .filter_map(|t| t.trial_exhausted_at)
                    .map(|at| at.as_secs_f64() / 3600.0)
                    .collect(),
                replications: tallies.len(),
            }),
            warmup_h: sc.simulation.warmup.as_secs_f64() / 3600.0,
            horizon_h: sc.simulation.horizon.as_secs_f64() / 3600.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_share_counts_from_the_window_on() {
        let r = Responses {
            bin_s: 5.0,
            window_s: 10.0,
            counts: vec![4, 2, 1, 3],
        };
        assert_eq!(r.total(), 10);
        assert_eq!(r.late_share(), Some(0.4));
        let none = Responses {
            counts: vec![0; 4],
            ..r
        };
        assert_eq!(none.late_share(), None);
    }
}
