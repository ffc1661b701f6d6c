//! A table of named rows whose figures are summarised over the replications: the shape of
//! `agents.csv`, `teams.csv` and `streams.csv`, and of the tables in `report.html`.

use crate::figure::{self, Metric};
use crate::model::Tally;
use crate::report::reader::{At, Reader};
use crate::stats::Summary;

#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub metric: Metric,
    /// Whether the CSV also gives the 95% interval.
    pub interval: bool,
}

impl Column {
    pub const fn new(metric: Metric) -> Column {
        Column {
            metric,
            interval: false,
        }
    }

    pub const fn with_interval(metric: Metric) -> Column {
        Column {
            metric,
            interval: true,
        }
    }
}

pub struct Table {
    /// What a row is: `agent`, `team`, `stream`.
    pub key: &'static str,
    /// Which of the tables' vocabularies names the columns.
    pub kind: figure::Table,
    /// Text columns after the key, like an agent's team.
    pub labels: Vec<&'static str>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

pub struct Row {
    pub name: String,
    pub labels: Vec<String>,
    pub values: Vec<Option<Summary>>,
}

impl Table {
    /// Reads every column for the rows `names`, row `i` at `at(i)`, over the replications.
    pub fn build(
        key: &'static str,
        labels: Vec<&'static str>,
        names: Vec<(String, Vec<String>)>,
        at: impl Fn(usize) -> At,
        columns: Vec<Column>,
        reader: &Reader,
        tallies: &[Tally],
    ) -> Table {
        let kind = if key == "agent" {
            figure::Table::Agents
        } else {
            figure::Table::Groups
        };
        let rows = names
            .into_iter()
            .enumerate()
            .map(|(i, (name, labels))| Row {
                name,
                labels,
                values: columns
                    .iter()
                    .map(|c| {
                        let values = tallies
                            .iter()
                            .filter_map(|t| reader.column(t, c.metric, at(i)));
                        Summary::of(values).map(|s| s.clipped(c.metric.unit()))
                    })
                    .collect(),
            })
            .collect();
        Table {
            key,
            kind,
            labels,
            columns,
            rows,
        }
    }

    /// The column's name in this table.
    pub fn column_name(&self, c: &Column) -> String {
        c.metric.column(self.kind)
    }

    /// The mean of `metric` in every row, `None` where undefined or where the table has no
    /// such column.
    pub fn means(&self, metric: Metric) -> Vec<Option<f64>> {
        let c = self.columns.iter().position(|c| c.metric == metric);
        self.rows
            .iter()
            .map(|r| c.and_then(|c| r.values[c]).map(|s| s.mean))
            .collect()
    }

    pub fn csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![self.key.to_string()];
        header.extend(self.labels.iter().map(|l| l.to_string()));
        for c in &self.columns {
            let name = self.column_name(c);
            if c.interval {
                header.extend([
                    name.clone(),
                    format!("{name}_ci95_lo"),
                    format!("{name}_ci95_hi"),
                ]);
            } else {
                header.push(name);
            }
        }
        w.write_record(&header)?;
        for r in &self.rows {
            let mut row = vec![r.name.clone()];
            row.extend(r.labels.iter().cloned());
            for (c, v) in self.columns.iter().zip(&r.values) {
                let cells = match v {
                    Some(s) if c.interval => vec![s.mean, s.ci95[0], s.ci95[1]],
                    Some(s) => vec![s.mean],
                    None => vec![f64::NAN; if c.interval { 3 } else { 1 }],
                };
                row.extend(cells.into_iter().map(|x| {
                    if x.is_nan() {
                        String::new()
                    } else {
                        x.to_string()
                    }
                }));
            }
            w.write_record(&row)?;
        }
        Ok(w.into_inner()?)
    }
}
