//! Partial results of a sharded run (`shard.json`), and their merge into the summary the
//! unsharded run would have written.
//!
//! A shard holds its replications' metrics at full precision (JSON numbers round-trip exactly),
//! and replication k draws from stream k whichever shard runs it, so the merge is exact.

use serde::{Deserialize, Serialize};

use crate::figure::Figure;
use crate::report::{Metrics, RunSummary};
use crate::scenario::{Provenance, Scenario};

/// One of N slices of a run's replications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

impl Shard {
    /// Contiguous slices, as even as possible, so that their union is every replication once.
    pub fn replications(self, total: u32) -> std::ops::Range<u64> {
        let at = |i: u32| (i as u64 * total as u64) / self.n as u64;
        at(self.k - 1)..at(self.k)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("expected K/N with 1 <= K <= N, like 2/8; got {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// Shards that cannot be merged: unreadable, not a shard file, of different runs, or not
/// covering every replication once. Bad input, exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("{file}: cannot read the file: {reason}")]
    Read {
        file: String,
        reason: std::io::Error,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

pub const SHARD_FILE: &str = "shard.json";
const FORMAT: &str = "chatsim-shard/2";

#[derive(Debug, Serialize, Deserialize)]
pub struct ShardFile {
    format: String,
    scenario: String,
    seed: u64,
    horizon_s: f64,
    /// Of the whole run.
    replications: u32,
    /// [K, N].
    shard: [u32; 2],
    /// The index of this shard's first replication.
    first: u64,
    /// Of the effective scenario: shards of one run share it (see `Provenance`).
    fingerprint: String,
    overrides: Vec<String>,
    metrics: Vec<String>,
    /// One row per replication, in `metrics` order; `null` where undefined.
    values: Vec<Vec<Option<f64>>>,
}

impl ShardFile {
    pub fn new(sc: &Scenario, shard: Shard, first: u64, per_rep: Vec<Metrics>) -> ShardFile {
        let metrics = per_rep
            .first()
            .map(|m| m.iter().map(|(f, _)| f.name()).collect())
            .unwrap_or_default();
        ShardFile {
            format: FORMAT.into(),
            scenario: sc.name.clone(),
            seed: sc.simulation.seed,
            horizon_s: sc.simulation.horizon.as_secs_f64(),
            replications: sc.simulation.replications,
            shard: [shard.k, shard.n],
            first,
            fingerprint: sc.provenance.fingerprint.clone(),
            overrides: sc.provenance.overrides.clone(),
            metrics,
            values: per_rep
                .into_iter()
                .map(|m| m.into_iter().map(|(_, v)| v).collect())
                .collect(),
        }
    }

    /// The scenario's name as the shard records it (unchecked).
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    pub fn to_json(&self) -> serde_json::Result<String> {
        serde_json::to_string(self)
    }

    pub fn from_json(text: &str) -> Result<ShardFile, String> {
        let f: ShardFile =
            serde_json::from_str(text).map_err(|e| format!("not a shard file: {e}"))?;
        if f.format != FORMAT {
            return Err(format!(
                "shard format {:?}, expected {FORMAT:?} (shards must be written by the same \
                 chatsim version as merges them)",
                f.format
            ));
        }
        if let Some(i) = f.values.iter().position(|row| row.len() != f.metrics.len()) {
            return Err(format!(
                "row {i} of the shard has {} values for {} metrics",
                f.values[i].len(),
                f.metrics.len()
            ));
        }
        Ok(f)
    }

    /// Checks that the shards are of one run and cover each of its replications exactly once.
    pub fn merge(mut shards: Vec<ShardFile>) -> Result<RunSummary, String> {
        shards.sort_by_key(|s| s.first);
        let head = shards.first().ok_or("no shards to merge")?;
        let same_run = |s: &ShardFile| {
            s.scenario == head.scenario
                && s.seed == head.seed
                && s.horizon_s == head.horizon_s
                && s.replications == head.replications
                && s.metrics == head.metrics
                && s.fingerprint == head.fingerprint
        };
        if let Some(odd) = shards.iter().find(|s| !same_run(s)) {
            return Err(format!(
                "shard {}/{} is of another run (scenario {:?}, seed {}, overrides [{}]) than \
                 shard {}/{} (scenario {:?}, seed {}, overrides [{}]): every shard must run the \
                 same scenario with the same --set changes",
                odd.shard[0],
                odd.shard[1],
                odd.scenario,
                odd.seed,
                odd.overrides.join(" "),
                head.shard[0],
                head.shard[1],
                head.scenario,
                head.seed,
                head.overrides.join(" ")
            ));
        }
        let mut next = 0u64;
        for s in &shards {
            if s.first != next {
                let what = if s.first < next {
                    "overlap"
                } else {
                    "leave a gap"
                };
                return Err(format!(
                    "the shards {what} at replication {}: is a shard missing or given twice?",
                    s.first.min(next)
                ));
            }
            next += s.values.len() as u64;
        }
        if next != head.replications as u64 {
            return Err(format!(
                "the shards hold {next} of the run's {} replications",
                head.replications
            ));
        }
        if next < 2 {
            return Err(format!(
                "the run has {next} replication; confidence intervals need at least 2"
            ));
        }
        let (scenario, seed, horizon_s) = (head.scenario.clone(), head.seed, head.horizon_s);
        let provenance = Provenance {
            fingerprint: head.fingerprint.clone(),
            overrides: head.overrides.clone(),
        };
        let names = head
            .metrics
            .iter()
            .map(|n| n.parse::<Figure>())
            .collect::<Result<Vec<_>, _>>()?;
        let per_rep = shards
            .into_iter()
            .flat_map(|s| s.values)
            .map(|row| names.iter().cloned().zip(row).collect())
            .collect();
        Ok(RunSummary {
            provenance,
            ..RunSummary::new(&scenario, seed, horizon_s, per_rep)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_cover_every_replication_once() {
        for total in [1, 7, 10, 64] {
            for n in 1..=9 {
                let all: Vec<u64> = (1..=n)
                    .flat_map(|k| Shard { k, n }.replications(total))
                    .collect();
                assert_eq!(all, (0..total as u64).collect::<Vec<_>>());
            }
        }
        assert_eq!("2/8".parse(), Ok(Shard { k: 2, n: 8 }));
        assert!("0/8".parse::<Shard>().is_err());
        assert!("9/8".parse::<Shard>().is_err());
        assert!("x".parse::<Shard>().is_err());
    }
}
