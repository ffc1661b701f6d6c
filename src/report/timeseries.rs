//! `timeseries.csv`: the run bucket by bucket, each figure's mean over the replications with a
//! 95% interval.

use crate::model::{AGENTS_AT_CAP, BUSY_SLOTS, Bucket, ONLINE_AGENTS, ONLINE_SLOTS, Reason, Tally};
use crate::stats::Summary;

/// The time series across replications; `columns[c]` names `rows[i].values[c]`.
pub struct TimeSeries {
    pub columns: Vec<String>,
    pub rows: Vec<SeriesRow>,
}

pub struct SeriesRow {
    pub start_h: f64,
    pub end_h: f64,
    /// `None` where no replication defines the figure (occupancy with nobody online).
    pub values: Vec<Option<Summary>>,
}

/// A column's value in one replication's bucket, given the bucket's length in seconds and the
/// engagements before it.
type Value = Box<dyn Fn(&Bucket, f64, u64) -> Option<f64>>;

struct Column {
    name: String,
    value: Value,
}

fn columns() -> Vec<Column> {
    let count = |name: &str, f: fn(&Bucket) -> u64| Column {
        name: name.to_string(),
        value: Box::new(move |b, _, _| Some(f(b) as f64)),
    };
    // A level's time average over the bucket's length in seconds.
    let level = |name: &str, k: usize| Column {
        name: name.to_string(),
        value: Box::new(move |b, secs, _| Some(b.areas[k] as f64 / 1000.0 / secs)),
    };
    let mut c = vec![
        count("visitors", |b| b.visitors),
        count("requests", |b| b.requests),
        count("engaged", |b| b.engaged),
        count("fallback", |b| b.fallback.iter().sum()),
    ];
    for r in Reason::ALL {
        c.push(Column {
            name: format!("fallback_{}", r.name()),
            value: Box::new(move |b, _, _| Some(b.fallback[r.index()] as f64)),
        });
    }
    c.extend([
        count("abandoned", |b| b.abandoned),
        level("busy_slots", BUSY_SLOTS),
        level("online_agents", ONLINE_AGENTS),
        level("agents_at_cap", AGENTS_AT_CAP),
        Column {
            name: "occupancy_share".into(),
            value: Box::new(|b, _, _| {
                let slots = b.areas[ONLINE_SLOTS];
                (slots > 0).then(|| b.areas[BUSY_SLOTS] as f64 / slots as f64)
            }),
        },
        Column {
            name: "cumulative_engaged".into(),
            value: Box::new(|b, _, before| Some((before + b.engaged) as f64)),
        },
    ]);
    c
}

impl TimeSeries {
    pub fn of(tallies: &[Tally]) -> TimeSeries {
        let cols = columns();
        let Some(first) = tallies.first() else {
            return TimeSeries {
                columns: cols.into_iter().map(|c| c.name).collect(),
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
                        Summary::of(
                            tallies
                                .iter()
                                .zip(&before)
                                .filter_map(|(t, &n)| (c.value)(&t.series.buckets[i], secs, n)),
                        )
                        .map(clip_at_zero)
                    })
                    .collect();
                for (n, t) in before.iter_mut().zip(tallies) {
                    *n += t.series.buckets[i].engaged;
                }
                SeriesRow {
                    start_h: start.as_secs_f64() / 3600.0,
                    end_h: end.as_secs_f64() / 3600.0,
                    values,
                }
            })
            .collect();
        TimeSeries {
            columns: cols.into_iter().map(|c| c.name).collect(),
            rows,
        }
    }

    /// The column named `name`'s summaries, one per bucket.
    pub fn column(&self, name: &str) -> Vec<Option<Summary>> {
        let c = self.columns.iter().position(|n| n == name);
        let c = c.unwrap_or_else(|| panic!("no time-series column {name}"));
        self.rows.iter().map(|r| r.values[c]).collect()
    }

    /// The column's means, zero where undefined.
    pub fn means(&self, name: &str) -> Vec<f64> {
        self.column(name)
            .iter()
            .map(|s| s.map_or(0.0, |s| s.mean))
            .collect()
    }
}

/// Every figure here is a count or a level, never negative: an interval reaching below zero
/// (a bucket with a handful of events) is cut there.
fn clip_at_zero(mut s: Summary) -> Summary {
    s.ci95[0] = s.ci95[0].max(0.0);
    s
}

/// One row per bucket: `start_h,end_h`, then `<figure>_mean,<figure>_ci95_lo,<figure>_ci95_hi`
/// for each figure. Counts are per bucket, levels are time averages over it.
pub fn timeseries_csv(ts: &TimeSeries) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["start_h".to_string(), "end_h".to_string()];
    for c in &ts.columns {
        header.extend(["mean", "ci95_lo", "ci95_hi"].map(|s| format!("{c}_{s}")));
    }
    w.write_record(&header)?;
    for r in &ts.rows {
        let mut row = vec![r.start_h.to_string(), r.end_h.to_string()];
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

    fn tally(engaged: [u64; 2]) -> Tally {
        let mut t = Tally::new(1, 0, 0, Time::ZERO).with_series(
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
        let ts = TimeSeries::of(&[tally([1, 3]), tally([3, 5])]);
        assert_eq!(ts.rows.len(), 2);
        assert_eq!((ts.rows[1].start_h, ts.rows[1].end_h), (1.0, 1.5));
        assert_eq!(ts.means("engaged"), [2.0, 4.0]);
        assert_eq!(ts.means("cumulative_engaged"), [2.0, 6.0]);
        // The same area over a half-length bucket is twice the level.
        assert_eq!(ts.means("online_agents"), [2.0, 4.0]);
        assert_eq!(ts.column("occupancy_share"), [None, None]);
        let csv = String::from_utf8(timeseries_csv(&ts).unwrap()).unwrap();
        assert!(csv.starts_with("start_h,end_h,visitors_mean,visitors_ci95_lo,visitors_ci95_hi,"));
        assert_eq!(csv.lines().count(), 3);
    }
}
