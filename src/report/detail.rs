//! Everything the tables, plots and HTML report show beyond the summary, gathered once from the
//! replications' tallies.

use crate::model::Tally;
use crate::model::retrying_routing;
use crate::report::agents::agents_table;
use crate::report::intervals::IntervalTable;
use crate::report::rollups::{streams_table, team_fallbacks_table, teams_table};
use crate::report::table::Table;
use crate::report::timeseries::TimeSeries;
use crate::scenario::{Routing, Scenario};
use crate::stats::Histogram;

pub struct Detail {
    pub series: TimeSeries,
    pub intervals: IntervalTable,
    pub agents: Table,
    pub teams: Table,
    /// Each team's fallback rate by reason (report.html only).
    pub team_fallbacks: Table,
    pub streams: Table,
    pub responses: Responses,
    /// Only when a lifetime engagement limit applies.
    pub trial: Option<Trial>,
    pub warmup_h: f64,
    pub horizon_h: f64,
    /// What time 0 is on the calendar.
    pub start: jiff::Timestamp,
    /// Per team and per stream, whether its requests can be retried at all: retries need team
    /// routing (or `retry_scope = "any"`) and retries left (`team_retries`).
    pub team_can_retry: Vec<bool>,
    pub stream_can_retry: Vec<bool>,
}

/// Agents' response times pooled over the replications.
pub struct Responses {
    pub window_s: f64,
    /// Replications pooled, so that counts can be said per replication like every other figure.
    pub replications: usize,
    /// In seconds, its last bin holding everything past the others.
    pub histogram: Histogram,
}

impl Responses {
    /// Share of answered offers answered at or after the window closed.
    pub fn late_share(&self) -> Option<f64> {
        let h = &self.histogram;
        let first_late = (self.window_s / h.width()).round() as usize;
        let late: u64 = h.counts().iter().skip(first_late).sum();
        let total = h.total();
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
        let mut histogram = tallies
            .first()
            .map_or_else(|| Histogram::new(1.0, 0), |t| t.responses.clone());
        for t in tallies.iter().skip(1) {
            histogram.add(&t.responses);
        }
        Detail {
            series: TimeSeries::of(tallies, sc.simulation.start),
            intervals: IntervalTable::of(sc, tallies),
            agents: agents_table(sc, tallies),
            teams: teams_table(sc, tallies),
            team_fallbacks: team_fallbacks_table(sc, tallies),
            streams: streams_table(sc, tallies),
            responses: Responses {
                window_s: sc.package.accept_timeout.as_secs_f64(),
                replications: tallies.len(),
                histogram,
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
            start: sc.simulation.start,
            team_can_retry: (0..sc.teams.len())
                .map(|t| {
                    let routed_here =
                        |r: &Routing| matches!(r, Routing::Team(x) if *x as usize == t);
                    can_retry(sc, sc.streams.iter().any(|s| routed_here(&s.routing)))
                })
                .collect(),
            stream_can_retry: sc
                .streams
                .iter()
                .map(|s| can_retry(sc, matches!(s.routing, Routing::Team(_))))
                .collect(),
        }
    }
}

/// Whether a group's requests can be retried: retries left, and either every routing option
/// retries or the group is reached by team routing.
fn can_retry(sc: &Scenario, by_team_routing: bool) -> bool {
    sc.package.retries > 0 && retrying_routing(by_team_routing, &sc.package)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_share_counts_from_the_window_on() {
        // Bins of 5 s: 4, 2 and 1 answers, then 3 past the last bin.
        let mut histogram = Histogram::new(5.0, 3);
        for x in [0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 10.0, 15.0, 20.0, 99.0] {
            histogram.record(x);
        }
        assert_eq!(histogram.counts(), [4, 2, 1, 3]);
        let r = Responses {
            window_s: 10.0,
            replications: 2,
            histogram,
        };
        assert_eq!(r.histogram.total(), 10);
        assert_eq!(r.late_share(), Some(0.4));
        let none = Responses {
            histogram: Histogram::new(5.0, 3),
            ..r
        };
        assert_eq!(none.late_share(), None);
    }
}
