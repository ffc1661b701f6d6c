//! `timeseries.csv`: the run bucket by bucket, each figure's mean over the replications with a
//! 95% interval.

use crate::figure::{self, Metric, Reason};
use crate::model::Tally;
use crate::report::reader;
use crate::scenario::DAY_NAMES;
use crate::stats::Summary;

/// The time series across replications; `columns[c]` is `rows[i].values[c]`.
pub struct TimeSeries {
    pub columns: Vec<Metric>,
    pub rows: Vec<SeriesRow>,
}

pub struct SeriesRow {
    /// When the bucket starts on the calendar.
    pub start: jiff::Timestamp,
    pub start_h: f64,
    pub end_h: f64,
    /// `None` where no replication defines the figure (occupancy with nobody online).
    pub values: Vec<Option<Summary>>,
}

/// Counts of the requests that arrived in the bucket, then levels averaged over it.
fn columns() -> Vec<Metric> {
    let mut c = vec![
        Metric::Visitors,
        Metric::Requests,
        Metric::Engaged,
        Metric::Fallback,
    ];
    c.extend(Reason::ALL.map(Metric::FallbackFor));
    c.extend([
        Metric::Abandoned,
        Metric::BusySlots,
        Metric::OnlineAgents,
        Metric::AgentsAtCap,
        Metric::Occupancy,
        Metric::CumulativeEngaged,
    ]);
    c
}

impl TimeSeries {
    /// The series of `tallies`, whose time 0 is `origin` on the calendar.
    pub fn of(tallies: &[Tally], origin: jiff::Timestamp) -> TimeSeries {
        let cols = columns();
        let Some(first) = tallies.first() else {
            return TimeSeries {
                columns: cols,
                rows: Vec::new(),
            };
        };
        let series = &first.series;
        // Engagements before each bucket, per replication.
        let mut before = vec![0u64; tallies.len()];
        let rows = (0..series.buckets.len())
            .map(|i| {
                let (start, end) = series.span(i);
                let secs = (end - start).as_secs_f64();
                let values = cols
                    .iter()
                    .map(|c| {
                        Summary::of(tallies.iter().zip(&before).filter_map(|(t, &n)| {
                            reader::bucket(&t.series.buckets[i], *c, secs, n)
                        }))
                        .map(|s| s.clipped(c.unit()))
                    })
                    .collect();
                for (n, t) in before.iter_mut().zip(tallies) {
                    *n += t.series.buckets[i].engaged;
                }
                let offset = jiff::SignedDuration::from_millis(start.millis() as i64);
                SeriesRow {
                    start: origin.saturating_add(offset).unwrap_or(origin),
                    start_h: start.as_secs_f64() / 3600.0,
                    end_h: end.as_secs_f64() / 3600.0,
                    values,
                }
            })
            .collect();
        TimeSeries {
            columns: cols,
            rows,
        }
    }

    /// The metric's summaries, one per bucket; `None` where undefined or not in the series.
    pub fn column(&self, metric: Metric) -> Vec<Option<Summary>> {
        let c = self.columns.iter().position(|m| *m == metric);
        self.rows
            .iter()
            .map(|r| c.and_then(|c| r.values[c]))
            .collect()
    }

    /// The metric's means, zero where undefined.
    pub fn means(&self, metric: Metric) -> Vec<f64> {
        self.column(metric)
            .iter()
            .map(|s| s.map_or(0.0, |s| s.mean))
            .collect()
    }
}

/// One row per bucket: `start` (ISO 8601, UTC), `weekday` (UTC), `start_h,end_h` (hours since
/// the start), then `<figure>_mean,<figure>_ci95_lo,<figure>_ci95_hi` for each figure. Counts
/// are per bucket, levels are time averages over it.
pub fn timeseries_csv(ts: &TimeSeries) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["start", "weekday", "start_h", "end_h"]
        .map(String::from)
        .into();
    for c in &ts.columns {
        let name = c.column(figure::Table::Series);
        header.extend(["mean", "ci95_lo", "ci95_hi"].map(|s| format!("{name}_{s}")));
    }
    w.write_record(&header)?;
    for r in &ts.rows {
        let weekday = r.start.to_zoned_datetime(jiff::tz::TimeZone::UTC).weekday();
        let mut row = vec![
            r.start.to_string(),
            DAY_NAMES[weekday.to_monday_zero_offset() as usize][..3].to_string(),
            r.start_h.to_string(),
            r.end_h.to_string(),
        ];
        for v in &r.values {
            match v {
                Some(s) => row.extend([s.mean, s.ci95[0], s.ci95[1]].map(|x| x.to_string())),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Time;
    use crate::model::ONLINE_AGENTS;

    fn tally(engaged: [u64; 2]) -> Tally {
        let mut t = Tally::new(1, 0, 0, Time::ZERO, Time::from_secs(5400)).with_series(
            Time::from_secs(3600),
            Time::from_secs(5400),
            Time::from_secs(100),
        );
        for (b, e) in t.series.buckets.iter_mut().zip(engaged) {
            b.engaged = e;
            b.areas[ONLINE_AGENTS] = 2 * 3_600_000;
        }
        t
    }

    #[test]
    fn buckets_are_summarised_over_replications() {
        let origin: jiff::Timestamp = "2024-03-31T00:30:00Z".parse().unwrap();
        let ts = TimeSeries::of(&[tally([1, 3]), tally([3, 5])], origin);
        assert_eq!(ts.rows.len(), 2);
        assert_eq!((ts.rows[1].start_h, ts.rows[1].end_h), (1.0, 1.5));
        assert_eq!(ts.means(Metric::Engaged), [2.0, 4.0]);
        assert_eq!(ts.means(Metric::CumulativeEngaged), [2.0, 6.0]);
        // The same area over a half-length bucket is twice the level.
        assert_eq!(ts.means(Metric::OnlineAgents), [2.0, 4.0]);
        assert_eq!(ts.column(Metric::Occupancy), [None, None]);
        let csv = String::from_utf8(timeseries_csv(&ts).unwrap()).unwrap();
        assert!(csv.starts_with(
            "start,weekday,start_h,end_h,visitors_mean,visitors_ci95_lo,visitors_ci95_hi,"
        ));
        // The second bucket starts an hour later, on the calendar too: a Sunday.
        assert!(
            csv.lines()
                .nth(2)
                .unwrap()
                .starts_with("2024-03-31T01:30:00Z,sun,1,1.5,"),
            "{csv}"
        );
        assert_eq!(csv.lines().count(), 3);
    }
}
