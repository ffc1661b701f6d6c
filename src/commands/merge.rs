//! `chatsim merge`: combine the shards of a run into the report the unsharded run writes.

use std::io::Write;
use std::path::PathBuf;

use crate::commands::run::{default_out, run_folder, write_outputs};
use crate::report::{self, ShardError, ShardFile};

pub fn merge(dirs: &[PathBuf], out: Option<&PathBuf>) -> anyhow::Result<()> {
    let shards = dirs
        .iter()
        .map(|d| {
            let path = d.join(report::SHARD_FILE);
            let file = path.display().to_string();
            let text = std::fs::read_to_string(&path).map_err(|reason| ShardError::Read {
                file: file.clone(),
                reason,
            })?;
            ShardFile::from_json(&text).map_err(|message| ShardError::Invalid { file, message })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let summary = ShardFile::merge(shards).map_err(|message| ShardError::Invalid {
        file: dirs[0].display().to_string(),
        message,
    })?;
    let out = out
        .cloned()
        .unwrap_or_else(|| default_out(&run_folder(&summary.scenario, &summary.provenance)));
    write_outputs(&out, &summary)?;
    let mut stdout = std::io::stdout().lock();
    report::print_summary(&mut stdout, &summary)?;
    writeln!(stdout, "report written to {}", out.display())?;
    Ok(())
}
