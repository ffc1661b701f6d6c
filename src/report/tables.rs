//! `replications.csv` (one row per replication) and `summary.csv` (one row per metric).

use crate::report::RunSummary;

/// Undefined values are empty cells.
pub fn replications_csv(s: &RunSummary) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["replication".to_string()];
    header.extend(s.metrics.iter().map(|(f, _)| f.name()));
    w.write_record(&header)?;
    for (i, m) in s.per_replication.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(
            m.iter()
                .map(|(_, v)| v.map(|x| x.to_string()).unwrap_or_default()),
        );
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

pub fn summary_csv(s: &RunSummary) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["metric", "mean", "ci95_lo", "ci95_hi", "min", "max"])?;
    for (name, sum) in &s.metrics {
        let cells = match sum {
            Some(x) => [x.mean, x.ci95[0], x.ci95[1], x.min, x.max].map(|v| v.to_string()),
            None => Default::default(),
        };
        w.write_record(std::iter::once(name.name()).chain(cells))?;
    }
    Ok(w.into_inner()?)
}
