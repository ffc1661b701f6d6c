//! `chatsim validate`: load and check scenarios without simulating.

use std::io::Write;
use std::path::PathBuf;

use crate::scenario;

pub fn validate(paths: &[PathBuf]) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    // Folders give their *.toml files, as for `check`.
    for p in &super::check::scenario_files(paths)? {
        let sc = scenario::load(p)?;
        writeln!(
            stdout,
            "{}: ok ({} streams, {} agents in {} teams)",
            p.display(),
            sc.streams.len(),
            sc.agents.len(),
            sc.teams.len()
        )?;
    }
    Ok(())
}
