//! Temporary files and folders that must not outlive an interrupted command: each is tracked
//! while it exists, and SIGINT or SIGTERM removes every tracked path before the process exits
//! (with 128 + the signal's number, as a shell reports it). SIGKILL cannot be caught: it may
//! leave a hidden temporary entry beside the output, never a partial output.
//!
//! Creating, completing (renaming) and removing a tracked path happen under one lock, which the
//! signal handler takes too, so that a path is never created after the handler cleaned up.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

static TRACKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The tracked paths, handed to [`locked`]'s closure.
pub struct Tracked<'a>(&'a mut Vec<PathBuf>);

impl Tracked<'_> {
    pub fn add(&mut self, path: &Path) {
        self.0.push(path.to_path_buf());
    }

    pub fn remove(&mut self, path: &Path) {
        self.0.retain(|p| p != path);
    }
}

/// Runs `f` with the lock held: a signal arriving meanwhile is handled after it.
pub fn locked<R>(f: impl FnOnce(&mut Tracked) -> R) -> R {
    let mut paths = TRACKED.lock().unwrap_or_else(|e| e.into_inner());
    f(&mut Tracked(&mut paths))
}

/// Removes every tracked path.
fn remove_all(paths: &mut Vec<PathBuf>) {
    for p in paths.drain(..) {
        if p.is_dir() {
            let _ = std::fs::remove_dir_all(&p);
        } else {
            let _ = std::fs::remove_file(&p);
        }
    }
}

/// Handles SIGINT and SIGTERM for the rest of the process: the tracked paths are removed, then
/// the process exits with 128 + the signal's number.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let mut paths = TRACKED.lock().unwrap_or_else(|e| e.into_inner());
            remove_all(&mut paths);
            // The lock stays held: nothing is created between the cleanup and the exit.
            std::process::exit(128 + sig);
        }
    });
}

#[cfg(not(unix))]
pub fn install() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracked_paths_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let (f, d) = (dir.path().join("f"), dir.path().join("d"));
        std::fs::write(&f, "x").unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        let mut paths = vec![f.clone(), d.clone()];
        remove_all(&mut paths);
        assert!(!f.exists() && !d.exists() && paths.is_empty());
    }
}
