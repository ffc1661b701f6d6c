//! The module graph runs one way: each top-level module imports only modules of lower layers
//! (the table below, which README's Layout describes), and no files within one folder import
//! each other in a circle. Read from the sources' `use` lines, so a new upward import fails
//! here rather than in review.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Layers from the bottom: a module may import modules of its own layer's number or lower, never
/// its own module through another, never a higher one.
const LAYERS: [(&str, u8); 18] = [
    ("engine", 0),
    ("figure", 0),
    ("dist", 0),
    ("usage", 0),
    ("cleanup", 0),
    ("stats", 1),
    ("scenario", 2),
    ("model", 3),
    ("limits", 3),
    ("report", 4),
    ("plan", 5),
    ("gate", 5),
    ("fit", 5),
    ("runner", 6),
    ("cli", 7),
    ("commands", 8),
    ("lib", 9),
    ("main", 9),
];

fn layer(module: &str) -> u8 {
    LAYERS
        .iter()
        .find(|(m, _)| *m == module)
        .unwrap_or_else(|| panic!("module {module} has no layer: add it to LAYERS"))
        .1
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// `src/scenario/check.rs` -> ["scenario", "check"]; `src/scenario/mod.rs` -> ["scenario"].
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|c| c.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The modules a file imports outside its tests, as paths from the crate root.
fn imports(file: &Path, module: &[String]) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in code.lines().map(str::trim).filter(|l| !l.starts_with("//")) {
        for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
            let mut rest = line;
            while let Some(i) = rest.find(prefix) {
                rest = &rest[i + prefix.len()..];
                let path: Vec<String> = rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or_default()
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                if !path.is_empty() {
                    found.push(base.iter().cloned().chain(path).collect());
                }
            }
        }
    }
    found
}

/// The module `super` names from a file: for `a/b.rs` it is `a`, for `a/mod.rs` the crate.
fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

#[test]
fn imports_run_down_the_layers_and_files_form_no_circle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let modules: Vec<Vec<String>> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut upward = Vec::new();
    // Within each top-level folder: which of its files import which.
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (file, module) in files.iter().zip(&modules) {
        let own = module[0].as_str();
        for target in imports(file, module) {
            let top = target[0].as_str();
            if top != own && layer(top) > layer(own) {
                upward.push(format!(
                    "{} imports {}",
                    module.join("::"),
                    target.join("::")
                ));
            }
            // The deepest module of the same folder that the import names.
            if top == own && target.len() > 1 && module.len() > 1 {
                let to = (2..=target.len())
                    .rev()
                    .map(|n| target[..n].to_vec())
                    .find(|t| modules.contains(t) && t != module);
                if let Some(to) = to {
                    edges
                        .entry(module.join("::"))
                        .or_default()
                        .push(to.join("::"));
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that run up the layers: {upward:#?}"
    );
    // Depth-first search for a circle among the files.
    fn visit(
        n: &str,
        edges: &BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            return Some(path[i..].to_vec());
        }
        if done.iter().any(|d| d == n) {
            return None;
        }
        path.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(n.to_string());
        None
    }
    let mut done = Vec::new();
    for n in edges.keys() {
        let circle = visit(n, &edges, &mut Vec::new(), &mut done);
        assert!(
            circle.is_none(),
            "files that import each other in a circle: {circle:?}"
        );
    }
}
