//! The files of the planning commands: `sweep.csv`, `staff.json` and `compare.json`, each
//! written through one type whose fields are the file's keys.

use indexmap::IndexMap;
use serde::Serialize;

use crate::figure::Figure;
use crate::stats::Summary;

/// One point of a sweep: its values along the swept keys, and the chosen figures' summaries.
pub struct SweepRow {
    pub settings: Vec<String>,
    pub values: Vec<Option<Summary>>,
}

/// One column per swept key named as in `--set`, then `NAME.mean`, `NAME.ci95_lo`,
/// `NAME.ci95_hi` per figure; undefined values are empty cells.
pub fn sweep_csv(
    keys: &[String],
    figures: &[Figure],
    rows: &[SweepRow],
) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = keys.to_vec();
    for f in figures {
        header.extend(["mean", "ci95_lo", "ci95_hi"].map(|s| format!("{f}.{s}")));
    }
    w.write_record(&header)?;
    for r in rows {
        let mut record = r.settings.clone();
        for v in &r.values {
            match v {
                Some(s) => record.extend([s.mean, s.ci95[0], s.ci95[1]].map(|x| x.to_string())),
                None => record.extend(["", "", ""].map(String::from)),
            }
        }
        w.write_record(&record)?;
    }
    Ok(w.into_inner()?)
}

/// `staff.json`: the staffing found, whether it meets every target and how each stands, the
/// figures there and how many staffings were simulated.
#[derive(Serialize)]
pub struct StaffDoc {
    pub answer: IndexMap<String, i64>,
    pub met: bool,
    /// Each target as typed, and `met`, `inconclusive` or `missed` at the answer.
    pub targets: IndexMap<String, &'static str>,
    /// Replications behind every figure: the scenario's, doubled while a target stayed
    /// inconclusive at the answer, up to the cap.
    pub replications: usize,
    pub metrics: IndexMap<String, Option<Estimate>>,
    pub runs: usize,
}

/// A mean with its 95% interval.
#[derive(Clone, Copy, Serialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci95: [f64; 2],
}

impl From<&Summary> for Estimate {
    fn from(s: &Summary) -> Estimate {
        Estimate {
            mean: s.mean,
            ci95: s.ci95,
        }
    }
}

/// `compare.json`: per figure, both sides' means and the paired difference (variant - base).
#[derive(Serialize)]
pub struct CompareDoc {
    pub metrics: IndexMap<String, DifferenceDoc>,
}

#[derive(Serialize)]
pub struct DifferenceDoc {
    pub base: Option<f64>,
    pub variant: Option<f64>,
    pub diff: Option<f64>,
    pub ci95: Option<[f64; 2]>,
    pub significant: bool,
}

/// Pretty JSON with a final newline, as every JSON file chatsim writes.
pub fn to_json(doc: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(doc).expect("JSON of plain values");
    text.push('\n');
    text
}
