//! Files a scenario names (an empirical distribution's `file`, `[arrivals] trace`): they resolve
//! inside the scenario's folder (unless `--allow-outside-files` widens that), must be regular
//! files, and messages about them quote at most a short, sanitised excerpt of one field.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by `--allow-outside-files`: files may then be anywhere (still regular files, never under
/// /proc, /sys or /dev).
static OUTSIDE_ALLOWED: AtomicBool = AtomicBool::new(false);

/// Lets scenarios name files outside their own folder, for this process.
pub fn allow_files_outside(allowed: bool) {
    OUTSIDE_ALLOWED.store(allowed, Ordering::Relaxed);
}

/// Pseudo-file systems whose entries look like regular files but are not data.
const SYSTEM_TREES: [&str; 3] = ["/proc", "/sys", "/dev"];

/// At most this many characters of a file's field appear in a message.
pub const EXCERPT_CHARS: usize = 40;

/// The file `file` (as written in the scenario, shown as `shown`) of the scenario in
/// `base_dir`: its canonical path, once it is known to be a regular file inside the folder.
pub fn resolve(base_dir: &Path, file: &str, shown: &str) -> Result<PathBuf, String> {
    if file.is_empty() {
        return Err("expected a file name, got an empty string".into());
    }
    let joined = base_dir.join(file);
    let canonical = joined
        .canonicalize()
        .map_err(|e| format!("cannot read {shown}: {}", io_reason(&e)))?;
    if SYSTEM_TREES.iter().any(|t| canonical.starts_with(t)) {
        return Err(format!(
            "{shown} is a system file, not a data file: expected a CSV file beside the scenario"
        ));
    }
    if !OUTSIDE_ALLOWED.load(Ordering::Relaxed) {
        let root = base_dir
            .canonicalize()
            .map_err(|e| format!("cannot read {shown}: {}", io_reason(&e)))?;
        if !canonical.starts_with(&root) {
            return Err(format!(
                "{shown} is outside the scenario's folder: files a scenario names must be in \
                 its folder or below (--allow-outside-files lifts this)"
            ));
        }
    }
    let meta = std::fs::metadata(&canonical)
        .map_err(|e| format!("cannot read {shown}: {}", io_reason(&e)))?;
    if !meta.is_file() {
        return Err(format!(
            "{shown} is not a regular file (a folder, FIFO, socket or device): expected a CSV file"
        ));
    }
    Ok(canonical)
}

/// Opens `path` for reading, refusing anything but a regular file. The open does not block
/// (a FIFO put in the file's place would otherwise wait for a writer).
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    Ok(file)
}

/// `field` quoted for a message: control characters escaped, at most [`EXCERPT_CHARS`]
/// characters, a trailing `...` when cut.
pub fn excerpt(field: &str) -> String {
    let mut shown: String = field.chars().take(EXCERPT_CHARS).collect();
    let cut = shown.len() < field.len();
    if cut {
        shown.push_str("...");
    }
    format!("{shown:?}")
}

/// A file name as the scenario writes it, for messages: control characters escaped, at most 100
/// characters.
pub fn label(file: &str) -> String {
    let mut shown = String::new();
    for (i, c) in file.chars().enumerate() {
        if i == 100 {
            shown.push_str("...");
            break;
        }
        if c.is_control() {
            shown.extend(c.escape_debug());
        } else {
            shown.push(c);
        }
    }
    shown
}

/// The reason of an I/O error without the OS error number's noise.
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_resolve_inside_the_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("scen");
        std::fs::create_dir_all(inner.join("data")).unwrap();
        std::fs::write(inner.join("data/r.csv"), "1\n").unwrap();
        std::fs::write(dir.path().join("secret.csv"), "1\n").unwrap();
        assert!(resolve(&inner, "data/r.csv", "r").is_ok());
        assert!(resolve(&inner, "./data/../data/r.csv", "r").is_ok());
        for outside in ["../secret.csv", "/etc/passwd", "/proc/self/environ"] {
            let e = resolve(&inner, outside, outside).unwrap_err();
            assert!(
                e.contains("outside the scenario's folder") || e.contains("system file"),
                "{outside}: {e}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.csv"), inner.join("link.csv"))
                .unwrap();
            let e = resolve(&inner, "link.csv", "link.csv").unwrap_err();
            assert!(e.contains("outside"), "{e}");
            std::os::unix::fs::symlink("/proc/self/environ", inner.join("env.csv")).unwrap();
            let e = resolve(&inner, "env.csv", "env.csv").unwrap_err();
            assert!(e.contains("system file"), "{e}");
        }
        let e = resolve(&inner, "data", "data").unwrap_err();
        assert!(e.contains("not a regular file"), "{e}");
        let e = resolve(&inner, "nope.csv", "nope.csv").unwrap_err();
        assert!(e.starts_with("cannot read nope.csv"), "{e}");
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("abc"), "\"abc\"");
        assert_eq!(excerpt("a\u{1b}[31mb\n"), "\"a\\u{1b}[31mb\\n\"");
        let long = "x".repeat(500);
        let e = excerpt(&long);
        assert!(e.len() < EXCERPT_CHARS + 8 && e.ends_with("...\""), "{e}");
    }
}
