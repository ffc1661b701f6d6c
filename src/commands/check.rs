//! `chatsim check`: the regression gate. Loads every scenario first (bad input stops it before
//! anything runs), simulates those with expectations or a baseline as one parallel batch, then
//! reports in path order so that the output does not depend on which finished first.

use std::io::Write;
use std::path::PathBuf;

use crate::cli::CheckArgs;
use crate::gate::{self, Baseline, BaselineError, ScenarioResult, Totals, plural};
use crate::report;
use crate::runner::{progress_bar, summarise_all};
use crate::scenario::{self, Scenario, ScenarioError};

/// The gate did not pass; `main` turns it into exit code 1 after the verdicts are printed.
#[derive(Debug, thiserror::Error)]
#[error("check failed: {0}")]
pub struct ChecksFailed(pub String);

pub fn check(args: &CheckArgs) -> anyhow::Result<()> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("scenarios")]
    } else {
        args.paths.clone()
    };
    // The output files are checked before anything runs (a folder or a dangling symlink is
    // bad input); `-` is standard output, and then the verdict lines go to standard error.
    for (file, flag) in [(&args.junit, "--junit"), (&args.json, "--json")] {
        if let Some(file) = file {
            report::check_file_target(file, flag)?;
        }
    }
    let overrides = args.sim.overrides();
    let loaded = scenario_files(&paths)?
        .into_iter()
        .map(|p| Ok((scenario::load_with(Some(&p), &overrides)?, p)))
        .collect::<Result<Vec<(Scenario, PathBuf)>, ScenarioError>>()?;
    let wanted = |sc: &Scenario| args.baseline.is_some() || !sc.expect.is_empty();
    let chosen: Vec<&(Scenario, PathBuf)> = loaded.iter().filter(|(sc, _)| wanted(sc)).collect();
    if chosen.is_empty() {
        return Err(ScenarioError::Invalid {
            file: listing(&paths),
            location: "expect".into(),
            message: format!(
                "nothing to check: none of the {} scenarios has [[expect]] bounds (add some, \
                 like [[expect]] metric = \"fallback_rate\" max = 0.05, or give --baseline)",
                loaded.len()
            ),
        }
        .into());
    }
    let baselines = chosen
        .iter()
        .map(|(sc, _)| match &args.baseline {
            Some(dir) => {
                let b = Baseline::find(dir, &sc.name)?;
                b.check_usable(args.tolerance)?;
                Ok(Some((b, args.tolerance)))
            }
            None => Ok(None),
        })
        .collect::<Result<Vec<_>, BaselineError>>()?;

    let scenarios: Vec<&Scenario> = chosen.iter().map(|(sc, _)| sc).collect();
    let work: Vec<(&Scenario, u64)> = scenarios
        .iter()
        .map(|s| (*s, s.simulation.replications as u64))
        .collect();
    crate::limits::check_work(&work, args.sim.force, "the check")?;
    let reps = scenarios
        .iter()
        .map(|s| s.simulation.replications as u64)
        .sum();
    let bar = progress_bar(reps, args.sim.quiet, "check");
    let runs = summarise_all(&scenarios, args.sim.threads, &bar)?;
    bar.finish_and_clear();
    let results: Vec<ScenarioResult> = chosen
        .iter()
        .zip(runs)
        .zip(baselines)
        .map(|(((sc, path), run), baseline)| {
            ScenarioResult::new(path.display().to_string(), sc, &run, baseline)
        })
        .collect();

    if let Some(file) = &args.junit {
        report::write_file(file, &gate::junit_xml(&results, args.allow_inconclusive)?)?;
    }
    if let Some(file) = &args.json {
        let json = gate::check_json(&results, args.allow_inconclusive);
        report::write_file(file, json.as_bytes())?;
    }
    let to_stdout = [&args.junit, &args.json]
        .into_iter()
        .flatten()
        .any(|f| report::is_stdout(f));
    let mut stdout: Box<dyn Write> = if to_stdout {
        Box::new(std::io::stderr().lock())
    } else {
        Box::new(std::io::stdout().lock())
    };
    let mut next = results.iter();
    for (sc, path) in &loaded {
        if wanted(sc) {
            if let Some(r) = next.next() {
                gate::print_result(&mut stdout, r)?;
            }
        } else {
            writeln!(stdout, "{} (no [[expect]] bounds: skipped)", path.display())?;
        }
    }
    let totals = Totals::of(&results);
    writeln!(stdout, "{}", totals.describe())?;
    if totals.gate_fails(args.allow_inconclusive) {
        return Err(ChecksFailed(failure_summary(&totals, args.allow_inconclusive)).into());
    }
    Ok(())
}

/// The scenario files under `paths`: files as given, folders' `*.toml` files (not recursing),
/// sorted and without repeats.
pub(crate) fn scenario_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ScenarioError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let unreadable = |reason| ScenarioError::Read {
            file: path.display().to_string(),
            reason,
        };
        let before = files.len();
        for entry in std::fs::read_dir(path).map_err(unreadable)? {
            let p = entry.map_err(unreadable)?.path();
            if p.is_file() && p.extension().is_some_and(|e| e == "toml") {
                files.push(p);
            }
        }
        if files.len() == before {
            return Err(ScenarioError::Invalid {
                file: path.display().to_string(),
                location: "folder".into(),
                message: "expected scenario files (*.toml) in this folder, found none".into(),
            });
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn listing(paths: &[PathBuf]) -> String {
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    names.join(", ")
}

fn failure_summary(t: &Totals, allow_inconclusive: bool) -> String {
    let mut parts = Vec::new();
    if t.failed > 0 {
        parts.push(format!("{} failed", plural(t.failed, "expectation")));
    }
    if t.inconclusive > 0 && !allow_inconclusive {
        parts.push(format!(
            "{} inconclusive (more replications may settle it; --allow-inconclusive lets it \
             pass)",
            plural(t.inconclusive, "expectation")
        ));
    }
    if t.regressed > 0 {
        parts.push(format!(
            "{} regressed against the baseline",
            plural(t.regressed, "scenario")
        ));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_their_toml_files_sorted_once() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["b.toml", "a.toml", "notes.md"] {
            std::fs::write(dir.path().join(f), "").unwrap();
        }
        std::fs::create_dir(dir.path().join("data")).unwrap();
        let a = dir.path().join("a.toml");
        let files = scenario_files(&[dir.path().to_path_buf(), a.clone()]).unwrap();
        assert_eq!(files, vec![a, dir.path().join("b.toml")]);
        let empty = dir.path().join("data");
        let e = scenario_files(&[empty]).unwrap_err().to_string();
        assert!(e.contains("found none"), "{e}");
    }

    #[test]
    fn a_missing_path_is_left_to_the_loader() {
        let files = scenario_files(&[PathBuf::from("no/such.toml")]).unwrap();
        assert_eq!(files.len(), 1);
    }
}
