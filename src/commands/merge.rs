//! `chatsim merge`: combine the shards of a run into the report the unsharded run writes.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::run::{default_out, run_folder, write_outputs};
use crate::report::{self, ReportDir, ShardError, ShardFile};
use crate::scenario;
use crate::usage::usage_error;

pub fn merge(dirs: &[PathBuf], out: Option<&PathBuf>) -> anyhow::Result<()> {
    let shards = dirs
        .iter()
        .map(|d| {
            let path = d.join(report::SHARD_FILE);
            let file = path.display().to_string();
            let text = read_shard(&path).map_err(|reason| ShardError::Read {
                file: file.clone(),
                reason,
            })?;
            let shard = ShardFile::from_json(&text).map_err(|message| ShardError::Invalid {
                file: file.clone(),
                message,
            })?;
            // The name picks the output folder: held to the rule scenario names follow.
            scenario::check_name(shard.scenario()).map_err(|why| ShardError::Invalid {
                file,
                message: format!("its scenario name: {why}"),
            })?;
            Ok(shard)
        })
        .collect::<Result<Vec<_>, ShardError>>()?;
    let summary = ShardFile::merge(shards).map_err(|message| ShardError::Invalid {
        file: dirs[0].display().to_string(),
        message,
    })?;
    let out = out
        .cloned()
        .unwrap_or_else(|| default_out(&run_folder(&summary.scenario, &summary.provenance)));
    report::check_out_dir(&out)?;
    // The report replaces its folder whole: never one of the shards being merged.
    let same = |a: &Path, b: &Path| {
        a.canonicalize()
            .ok()
            .is_some_and(|a| b.canonicalize().ok() == Some(a))
    };
    if let Some(d) = dirs.iter().find(|d| same(&out, d)) {
        return Err(usage_error(
            "--out",
            &out.display().to_string(),
            format!(
                "is the shard folder {}: the merged report replaces its folder, so give \
                 another one",
                d.display()
            ),
        )
        .into());
    }
    let dir = ReportDir::new(&out)?;
    write_outputs(&dir, &summary)?;
    dir.commit()?;
    let mut stdout = std::io::stdout().lock();
    report::print_summary(&mut stdout, &summary)?;
    writeln!(stdout, "report written to {}", out.display())?;
    Ok(())
}

/// The largest `shard.json` read, in bytes.
pub const MAX_SHARD_BYTES: u64 = 256 * 1024 * 1024;

/// A shard file's text: a regular file (a FIFO would block), at most [`MAX_SHARD_BYTES`].
fn read_shard(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut text = String::new();
    scenario::open_regular(path)?
        .take(MAX_SHARD_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SHARD_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_SHARD_BYTES >> 20),
        ));
    }
    Ok(text)
}
