//! Scenario files: raw TOML in, a checked [`Scenario`] out.
//!
//! The file is parsed into a document, `--set` style overrides are written into that document,
//! the document is read into raw structs that mirror the file, and `check` turns those into the
//! checked types in one step, applying every default and every validation.

mod check;
mod distribution;
mod document;
mod duration;
mod error;
mod expectations;
mod fields;
mod overrides;
mod raw;
mod roster;
mod routing;
mod samples;
mod schedule;
mod trace;
mod types;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use error::ScenarioError;
pub use overrides::{Override, OverrideSyntaxError};
pub use trace::{Trace, TraceError, TraceReader, TraceRow};
pub use types::*;

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
    let Some(path) = path else {
        return parse_labelled(
            DEFAULT_SCENARIO,
            "default.toml",
            "default",
            Path::new("."),
            overrides,
        );
    };
    let label = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|reason| ScenarioError::Read {
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
    parse_labelled(&text, &label, &name, base_dir, overrides)
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
