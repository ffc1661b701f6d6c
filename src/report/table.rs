//! A table of named rows whose figures are summarised over the replications: the shape of
//! `agents.csv`, `teams.csv` and `streams.csv`, and of the tables in `report.html`.

use crate::model::Tally;
use crate::stats::Summary;

/// A figure of row `i` in one replication; `None` where it is undefined there.
pub type Figure = Box<dyn Fn(&Tally, usize) -> Option<f64>>;

pub struct Column {
    /// With its unit, like `online_h` or `avg_agent_response_s`.
    pub name: String,
    /// Whether the CSV also gives the 95% interval.
    pub interval: bool,
    pub figure: Figure,
}

impl Column {
    pub fn new(name: impl Into<String>, figure: Figure) -> Column {
        Column {
            name: name.into(),
            interval: false,
            figure,
        }
    }

    pub fn with_interval(mut self) -> Column {
        self.interval = true;
        self
    }
}

pub struct Table {
    /// What a row is: `agent`, `team`, `stream`.
    pub key: &'static str,
    /// Text columns after the key, like an agent's team.
    pub labels: Vec<&'static str>,
    pub columns: Vec<(String, bool)>,
    pub rows: Vec<Row>,
}

pub struct Row {
    pub name: String,
    pub labels: Vec<String>,
    pub values: Vec<Option<Summary>>,
}

impl Table {
    /// Evaluates every column for rows `0..names.len()` over the replications. Every figure is
    /// a count, a time or a share, never negative.
    pub fn build(
        key: &'static str,
        labels: Vec<&'static str>,
        names: Vec<(String, Vec<String>)>,
        columns: Vec<Column>,
        tallies: &[Tally],
    ) -> Table {
        let rows = names
            .into_iter()
            .enumerate()
            .map(|(i, (name, labels))| Row {
                name,
                labels,
                values: columns
                    .iter()
                    .map(|c| {
                        Summary::of(tallies.iter().filter_map(|t| (c.figure)(t, i))).map(|mut s| {
                            // Counts, times and shares: an interval reaching below zero is cut.
                            s.ci95[0] = s.ci95[0].max(0.0);
                            s
                        })
                    })
                    .collect(),
            })
            .collect();
        Table {
            key,
            labels,
            columns: columns.into_iter().map(|c| (c.name, c.interval)).collect(),
            rows,
        }
    }

    /// The mean of `column` in every row, `None` where undefined.
    pub fn means(&self, column: &str) -> Vec<Option<f64>> {
        let c = self.columns.iter().position(|(n, _)| n == column);
        let c = c.unwrap_or_else(|| panic!("no column {column} in the {} table", self.key));
        self.rows
            .iter()
            .map(|r| r.values[c].map(|s| s.mean))
            .collect()
    }

    pub fn csv(&self) -> anyhow::Result<Vec<u8>> {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![self.key.to_string()];
        header.extend(self.labels.iter().map(|l| l.to_string()));
        for (name, interval) in &self.columns {
            header.push(name.clone());
            if *interval {
                header.extend([format!("{name}_ci95_lo"), format!("{name}_ci95_hi")]);
            }
        }
        w.write_record(&header)?;
        for r in &self.rows {
            let mut row = vec![r.name.clone()];
            row.extend(r.labels.iter().cloned());
            for ((_, interval), v) in self.columns.iter().zip(&r.values) {
                let cells = match v {
                    Some(s) if *interval => vec![s.mean, s.ci95[0], s.ci95[1]],
                    Some(s) => vec![s.mean],
                    None => vec![f64::NAN; if *interval { 3 } else { 1 }],
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

/// `num / den`, undefined when `den` is not positive.
pub fn ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Time;

    fn tallies(offers: &[u64]) -> Vec<Tally> {
        offers
            .iter()
            .map(|&n| {
                let mut t = Tally::new(1, 0, 1, Time::ZERO);
                t.agents[0].offers = n;
                t
            })
            .collect()
    }

    #[test]
    fn csv_gives_means_intervals_and_empty_cells() {
        let columns = vec![
            Column::new("offers", Box::new(|t, i| Some(t.agents[i].offers as f64))).with_interval(),
            Column::new("never", Box::new(|_, _| None)),
        ];
        let names = vec![("ana".to_string(), vec!["sales".to_string()])];
        let t = Table::build("agent", vec!["team"], names, columns, &tallies(&[2, 4]));
        let text = String::from_utf8(t.csv().unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some("agent,team,offers,offers_ci95_lo,offers_ci95_hi,never")
        );
        let row: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(&row[..3], ["ana", "sales", "3"]);
        assert!(row[3].parse::<f64>().unwrap() < 3.0 && row[4].parse::<f64>().unwrap() > 3.0);
        assert_eq!(row[5], "");
        assert_eq!(t.means("offers"), [Some(3.0)]);
    }
}
