//! Scenario files: raw TOML in, a checked [`Scenario`] out.
//!
//! The file is parsed into a document, `--set` style overrides are written into that document,
//! the document is read into raw structs that mirror the file, and `check` turns those into the
//! checked types in one step, applying every default and every validation.

mod arrivals;
mod check;
mod distribution;
mod document;
mod duration;
pub use duration::parse as parse_duration;
mod error;
mod expectations;
mod fields;
mod overrides;
mod paths;
mod raw;
mod roster;
mod rostered;
mod routing;
mod samples;
mod schedule;
mod trace;
mod types;
mod window;
mod zone;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use arrivals::{MAX_SOURCES, MAX_SURGES};
pub use check::{MAX_ATTRIBUTE_VALUES, MAX_ATTRIBUTES, MAX_REPLICATIONS, check_name};
pub use error::ScenarioError;
pub use fields::MAX_NAME_BYTES;
pub use overrides::{Override, OverrideSyntaxError};
pub use paths::{EXCERPT_CHARS, allow_files_outside, excerpt, open_regular};
pub use rostered::{ShiftGroup, rostered, team_clock};
pub use routing::MAX_STREAMS;
pub use samples::{MAX_FILE_BYTES, MAX_SAMPLES};
pub use schedule::{DAY_NAMES, clock, parse_offset};
pub use trace::{Trace, TraceError, TraceReader, TraceRow};
pub use types::*;
pub use window::{WINDOW_FORM, parse_window};
pub use zone::{DEFAULT_START, database as time_zone_database};

#[cfg(test)]
pub(crate) use schedule::weekly as weekly_schedule;

use document::Document;

/// The built-in scenario, used when no file is given.
pub const DEFAULT_SCENARIO: &str = include_str!("../../scenarios/default.toml");

/// Reads and checks the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    load_with(Some(path), &[])
}

/// Reads and checks the scenario at `path` (`None`: the built-in default) with `overrides`
/// applied on top of the file.
pub fn load_with(path: Option<&Path>, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    load_with_text(path, overrides).map(|(sc, _)| sc)
}

/// [`load_with`], and the text the scenario was read from, for a command that writes a
/// scenario of its own from it (`roster`): one read, under the same checks.
pub fn load_with_text(
    path: Option<&Path>,
    overrides: &[Override],
) -> Result<(Scenario, String), ScenarioError> {
    let Some(path) = path else {
        let sc = parse_labelled(
            DEFAULT_SCENARIO,
            "default.toml",
            "default",
            Path::new("."),
            overrides,
        )?;
        return Ok((sc, DEFAULT_SCENARIO.to_string()));
    };
    let label = path.display().to_string();
    let text = read_scenario_file(path).map_err(|reason| ScenarioError::Read {
        file: label.clone(),
        reason,
    })?;
    let name = path
        .file_stem()
        .map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned());
    let base_dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let sc = parse_labelled(&text, &label, &name, base_dir, overrides)?;
    Ok((sc, text))
}

/// Checks the scenario in `text`, named `name` unless it names itself; file references resolve
/// against `base_dir`.
pub fn parse_str(
    text: &str,
    name: &str,
    base_dir: &Path,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    parse_labelled(text, name, name, base_dir, overrides)
}

/// `label` is how errors refer to the text: its file name.
fn parse_labelled(
    text: &str,
    label: &str,
    name: &str,
    base_dir: &Path,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let doc = Document::parse(text, overrides).map_err(|p| p.in_file(label))?;
    let raw = doc.read().map_err(|p| p.in_file(label))?;
    let mut sc = check::check(raw, name, base_dir).map_err(|p| doc.locate(p).in_file(label))?;
    sc.provenance = provenance(text, overrides);
    if let Some(t) = &sc.arrivals.trace
        && !t.ignored.is_empty()
    {
        let keys: Vec<String> = t.ignored.iter().map(|k| format!("arrivals.{k}")).collect();
        warn_once(format!(
            "warning: {label}: arrivals.trace replays {}, so {} {} not used",
            t.label,
            keys.join(", "),
            if keys.len() == 1 { "is" } else { "are" }
        ));
    }
    Ok(sc)
}

/// The fingerprint hashes the text and each override as typed, each ended by a NUL byte (which
/// neither can contain), so that no two different inputs run together into the same bytes.
fn provenance(text: &str, overrides: &[Override]) -> Provenance {
    use sha2::{Digest, Sha256};
    let overrides: Vec<String> = overrides.iter().map(|o| o.to_string()).collect();
    let mut h = Sha256::new();
    for part in std::iter::once(text).chain(overrides.iter().map(String::as_str)) {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let fingerprint = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Provenance {
        fingerprint,
        overrides,
    }
}

/// The largest scenario file read, in bytes.
pub const MAX_SCENARIO_BYTES: u64 = 16 * 1024 * 1024;

/// A scenario file's text: a regular file (a FIFO would block), at most
/// [`MAX_SCENARIO_BYTES`].
fn read_scenario_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let file = paths::open_regular(path)?;
    let mut text = String::new();
    file.take(MAX_SCENARIO_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {} MiB", MAX_SCENARIO_BYTES >> 20),
        ));
    }
    Ok(text)
}

/// Prints `message` to standard error, once per process however often a scenario is loaded
/// (a sweep loads it once per point).
fn warn_once(message: String) {
    use std::collections::HashSet;
    use std::sync::Mutex;
    static SHOWN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut shown = SHOWN.lock().unwrap_or_else(|e| e.into_inner());
    if shown
        .get_or_insert_with(HashSet::new)
        .insert(message.clone())
    {
        eprintln!("{message}");
    }
}
