//! Single-file outputs (`check --junit` and `--json`, `arrivals --out`, and each file a command
//! writes into its output folder):
//!
//! - `-` is standard output;
//! - a new path, or a regular file, is written atomically (a temporary file beside it, renamed
//!   over it): readers see the old file or the new one, never part of one;
//! - a symlink is followed: the file it points to is treated by these rules and the link stays
//!   a link; a symlink to nothing is refused;
//! - anything else that is not a folder (a FIFO, a terminal, a device such as /dev/null) is
//!   opened and written directly, never replaced;
//! - a folder is refused.
//!
//! Refusals are bad input (exit 2) and are found by [`check_file_target`] before any work.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::scenario::ScenarioError;

/// Where a single-file output goes.
enum Target {
    Stdout,
    /// Written atomically at this path (the symlink's target when the path is a symlink).
    Atomic(PathBuf),
    /// Opened and written in place.
    Direct(PathBuf),
}

/// Whether `path` means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path.as_os_str() == "-"
}

fn refused(path: &Path, flag: &str, message: &str) -> ScenarioError {
    ScenarioError::Invalid {
        file: flag.to_string(),
        location: path.display().to_string(),
        message: message.to_string(),
    }
}

fn target(path: &Path, flag: &str) -> Result<Target, ScenarioError> {
    if is_stdout(path) {
        return Ok(Target::Stdout);
    }
    // `/dev/stdout`, `/proc/self/fd/1` and the like are descriptors, whatever they point to
    // (even a regular file a shell redirected to): written in place.
    if path.starts_with("/dev") || path.starts_with("/proc") {
        return Ok(Target::Direct(path.to_path_buf()));
    }
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(_) => return Ok(Target::Atomic(path.to_path_buf())),
    };
    let (meta, resolved) = if link.file_type().is_symlink() {
        let meta = std::fs::metadata(path).map_err(|_| {
            refused(
                path,
                flag,
                "is a symlink to nothing: give the file itself, or a new path",
            )
        })?;
        let resolved = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        (meta, resolved)
    } else {
        (link, path.to_path_buf())
    };
    if meta.is_dir() {
        return Err(refused(
            path,
            flag,
            "is a folder: expected a file name (or - for standard output)",
        ));
    }
    if meta.is_file() {
        // A symlink into /proc (to /proc/self/fd/1, say) names a descriptor, which may point
        // to a regular file: write it in place, so that the descriptor's file gets the output.
        let via_proc = std::fs::read_link(path).is_ok_and(|l| l.starts_with("/proc"));
        if via_proc || resolved.starts_with("/proc") {
            return Ok(Target::Direct(path.to_path_buf()));
        }
        return Ok(Target::Atomic(resolved));
    }
    Ok(Target::Direct(path.to_path_buf()))
}

/// Checks before any work that `path` can receive the output of `flag` (exit 2 if not).
pub fn check_file_target(path: &Path, flag: &str) -> Result<(), ScenarioError> {
    target(path, flag).map(|_| ())
}

/// Writes `bytes` to `path` by the rules above.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_file_with(path, "output", |w| {
        w.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

/// Like [`write_file`], for output that `write` streams; `flag` names the option in messages.
pub fn write_file_with<T>(
    path: &Path,
    flag: &str,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    match target(path, flag)? {
        Target::Stdout => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::new(stdout.lock());
            let value = write(&mut w)?;
            w.flush().context("cannot write to standard output")?;
            Ok(value)
        }
        Target::Atomic(p) => super::files::write_atomic_with(&p, write),
        Target::Direct(p) => {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&p)
                .with_context(|| format!("cannot open {}", p.display()))?;
            let mut w = BufWriter::new(file);
            let value = write(&mut w)?;
            w.flush()
                .with_context(|| format!("cannot write {}", p.display()))?;
            Ok(value)
        }
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{FileTypeExt, symlink};

    #[test]
    fn regular_files_are_replaced_and_symlinks_followed() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        symlink(&real, &link).unwrap();
        write_file(&link, b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
        let dangling = dir.path().join("dangling.json");
        symlink(dir.path().join("nothing"), &dangling).unwrap();
        assert!(check_file_target(&dangling, "--json").is_err());
        assert!(check_file_target(dir.path(), "--json").is_err());
        assert!(check_file_target(&dir.path().join("new.json"), "--json").is_ok());
    }

    #[test]
    fn fifos_are_written_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read(&fifo).unwrap())
        };
        write_file(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo());
    }
}
