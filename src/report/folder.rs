//! Report folders appear whole or not at all. The report is built in a hidden temporary folder
//! beside the target (`.<name>.tmp-XXXXXX`) and swapped in whole once every file is written:
//! after a failure, SIGINT or SIGTERM (which remove the temporary folder) the target holds the
//! complete previous report or the complete new one. Swaps into one parent folder are
//! serialised by a lock on that folder, so that runs into one `--out` at once leave one of the
//! reports, whole. A target that holds files chatsim does not write is refused, so that a swap
//! never deletes a user's files.

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::report::plots::Rendered;
use crate::scenario::ScenarioError;

/// The files and folders a chatsim report folder may hold.
const REPORT_ENTRIES: [&str; 26] = [
    "summary.json",
    "summary.csv",
    "replications.csv",
    "timeseries.csv",
    "intervals.csv",
    "agents.csv",
    "teams.csv",
    "streams.csv",
    "report.html",
    "plots",
    "shard.json",
    "sweep.csv",
    "sweep.svg",
    "sweep.png",
    "staff.json",
    "compare.json",
    "fit.json",
    "backtest.csv",
    "backtest.json",
    "requirements.csv",
    "requirements.json",
    "roster.csv",
    "roster.json",
    "roster.toml",
    "screenshot.png",
    ".DS_Store",
];

fn bad_out(path: &Path, message: String) -> ScenarioError {
    ScenarioError::Invalid {
        file: "--out".into(),
        location: path.display().to_string(),
        message,
    }
}

/// Checks before any work that `out` can receive a command's files (`compare.json`,
/// `staff.json`, `sweep.csv`), written one by one into it: a folder with a name, not a file.
pub fn check_out_folder(out: &Path) -> Result<(), ScenarioError> {
    if !has_name(out) {
        return Err(bad_out(
            out,
            "expected a folder with a name, like reports/run (not /, . or ..)".into(),
        ));
    }
    if std::fs::metadata(out).is_ok_and(|m| !m.is_dir()) {
        return Err(bad_out(
            out,
            "is a file, not a folder: give a folder for the output".into(),
        ));
    }
    Ok(())
}

fn has_name(out: &Path) -> bool {
    out.components()
        .next_back()
        .is_some_and(|c| matches!(c, std::path::Component::Normal(_)))
}

/// Checks before any work that `out` can be an output folder: it has a name (not `/`, `.` or
/// `..`), is not a file, and holds nothing but report files.
pub fn check_out_dir(out: &Path) -> Result<(), ScenarioError> {
    if !has_name(out) {
        return Err(bad_out(
            out,
            "expected a folder with a name, like reports/run (not /, . or ..)".into(),
        ));
    }
    let meta = match std::fs::metadata(out) {
        Ok(m) => m,
        Err(_) if std::fs::symlink_metadata(out).is_ok() => {
            return Err(bad_out(out, "is a symlink to nothing".into()));
        }
        Err(_) => return Ok(()),
    };
    if !meta.is_dir() {
        return Err(bad_out(
            out,
            "is a file, not a folder: give a folder for the report".into(),
        ));
    }
    let entries =
        std::fs::read_dir(out).map_err(|e| bad_out(out, format!("cannot read it: {e}")))?;
    let mut foreign = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let known =
            REPORT_ENTRIES.contains(&name.as_str()) && (name != "plots" || plots_only(&e.path()));
        if !known {
            foreign.push(name);
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        let shown: Vec<String> = foreign
            .iter()
            .take(5)
            .map(|n| crate::scenario::excerpt(n))
            .collect();
        return Err(bad_out(
            out,
            format!(
                "holds files a chatsim report does not ({}{}): the report replaces the whole \
                 folder, so give a new or empty folder, or one with a previous report",
                shown.join(", "),
                if foreign.len() > 5 { ", ..." } else { "" }
            ),
        ));
    }
    Ok(())
}

/// Whether `dir` is a folder holding only plot files.
fn plots_only(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries.flatten().all(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file()) && (n.ends_with(".png") || n.ends_with(".svg"))
        })
    })
}

/// A report being built; dropped without [`ReportDir::commit`], it leaves nothing behind.
pub struct ReportDir {
    target: PathBuf,
    tmp: PathBuf,
    /// Held (shared) while the temporary folder is in use, so that another run can tell a live
    /// temporary folder from one a killed run left behind.
    _in_use: Option<File>,
    committed: bool,
}

impl ReportDir {
    /// Starts a report for the folder `out` (checked with [`check_out_dir`]).
    pub fn new(out: &Path) -> anyhow::Result<ReportDir> {
        check_out_dir(out)?;
        // A symlink to a folder is followed: the folder it names receives the report.
        let target = if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
            out.canonicalize()
                .with_context(|| format!("cannot resolve {}", out.display()))?
        } else {
            out.to_path_buf()
        };
        let parent = parent_of(&target);
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let name = target
            .file_name()
            .map_or("report".into(), |n| n.to_string_lossy().into_owned());
        remove_abandoned(parent, &name);
        let tmp = crate::cleanup::locked(|t| {
            let prefix = format!(".{name}.tmp-");
            let mut builder = tempfile::Builder::new();
            builder.prefix(&prefix);
            // Temporary folders are private (0700) by default; a report folder gets the mode a
            // plain folder creation would give (0777 less the umask).
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                builder.permissions(std::fs::Permissions::from_mode(0o777));
            }
            let dir = builder.tempdir_in(parent)?.keep();
            t.add(&dir);
            std::io::Result::Ok(dir)
        })
        .with_context(|| format!("cannot write in {}", parent.display()))?;
        let in_use = File::open(&tmp)
            .and_then(|f| f.lock_shared().map(|()| f))
            .ok();
        Ok(ReportDir {
            target,
            tmp,
            _in_use: in_use,
            committed: false,
        })
    }

    /// Where the report will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Writes `bytes` as `relative` (like `plots/agents.png`) in the report.
    /// Writes a drawn plot as `plots/<name>.png` and `.svg`.
    pub fn write_plot(&self, p: &Rendered) -> anyhow::Result<()> {
        self.write(&format!("plots/{}.png", p.name), &p.png)?;
        self.write(&format!("plots/{}.svg", p.name), p.svg.as_bytes())
    }

    pub fn write(&self, relative: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.tmp.join(relative);
        crate::cleanup::locked(|_| -> anyhow::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, bytes)?;
            Ok(())
        })
        .with_context(|| {
            format!(
                "cannot write {} (the report in {} is left as it was)",
                relative,
                self.target.display()
            )
        })
    }

    /// Swaps the finished report in for whatever the target held.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let parent = parent_of(&self.target).to_path_buf();
        // Serialises the swaps of every run writing beside this folder.
        let lock = File::open(&parent)
            .and_then(|f| f.lock().map(|()| f))
            .with_context(|| format!("cannot lock {}", parent.display()))?;
        let swapped = crate::cleanup::locked(|_| -> std::io::Result<()> {
            match std::fs::symlink_metadata(&self.target) {
                Err(_) => std::fs::rename(&self.tmp, &self.target)?,
                Ok(_) => {
                    // The previous report ends up at the temporary path, removed below.
                    exchange(&self.tmp, &self.target)?;
                }
            }
            Ok(())
        });
        if let Err(e) = swapped {
            drop(lock);
            return Err(anyhow::Error::new(e).context(format!(
                "cannot replace {} (it is left as it was)",
                self.target.display()
            )));
        }
        self.committed = true;
        crate::cleanup::locked(|t| {
            let _ = std::fs::remove_dir_all(&self.tmp);
            t.remove(&self.tmp);
        });
        drop(lock);
        Ok(())
    }
}

impl Drop for ReportDir {
    fn drop(&mut self) {
        if !self.committed {
            crate::cleanup::locked(|t| {
                let _ = std::fs::remove_dir_all(&self.tmp);
                t.remove(&self.tmp);
            });
        }
    }
}

/// Removes the temporary folders of `name` in `parent` that no live run holds: those a run
/// killed with SIGKILL (which cannot be caught) left behind.
fn remove_abandoned(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let abandoned = e.file_name().to_string_lossy().starts_with(&prefix)
            && e.file_type().is_ok_and(|t| t.is_dir())
            && File::open(e.path()).is_ok_and(|f| f.try_lock().is_ok());
        if abandoned {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

fn parent_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Swaps two paths: in one step where the system can (Linux's `renameat2` with
/// `RENAME_EXCHANGE`), else by moving `b` aside, `a` into its place and the old `b` to `a`.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let ca = CString::new(a.as_os_str().as_bytes())?;
        let cb = CString::new(b.as_os_str().as_bytes())?;
        // SAFETY: two valid NUL-terminated paths; the call reads nothing else.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                ca.as_ptr(),
                libc::AT_FDCWD,
                cb.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(());
        }
        let e = std::io::Error::last_os_error();
        if !matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOSYS)) {
            return Err(e);
        }
    }
    let aside = a.with_extension("old");
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_committed_report_replaces_the_old_one_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r");
        let first = ReportDir::new(&out).unwrap();
        first.write("summary.json", b"1").unwrap();
        first.write("plots/agents.png", b"1").unwrap();
        first.commit().unwrap();
        let second = ReportDir::new(&out).unwrap();
        second.write("summary.json", b"2").unwrap();
        second.commit().unwrap();
        assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), b"2");
        assert!(
            !out.join("plots").exists(),
            "a file of the old report is left"
        );
        assert_eq!(listing(dir.path()), ["r"]);
        #[cfg(unix)]
        {
            // The mode of a folder created the ordinary way, whatever the umask.
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.path().join("plain");
            std::fs::create_dir(&plain).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&out), mode(&plain));
        }
    }

    #[test]
    fn a_failed_write_leaves_the_old_report_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r");
        let first = ReportDir::new(&out).unwrap();
        first.write("summary.json", b"old").unwrap();
        first.write("report.html", b"old").unwrap();
        first.commit().unwrap();
        let second = ReportDir::new(&out).unwrap();
        second.write("summary.json", b"new").unwrap();
        // The disk fills up: the next file cannot be written (injected: a folder in its place).
        std::fs::create_dir(second.tmp.join("report.html")).unwrap();
        assert!(second.write("report.html", b"new").is_err());
        drop(second);
        assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), b"old");
        assert_eq!(std::fs::read(out.join("report.html")).unwrap(), b"old");
        assert_eq!(listing(dir.path()), ["r"]);
    }

    #[test]
    fn a_killed_runs_temporary_folder_is_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("r");
        let abandoned = dir.path().join(".r.tmp-killed");
        std::fs::create_dir_all(abandoned.join("plots")).unwrap();
        std::fs::write(abandoned.join("summary.json"), "x").unwrap();
        // A run still writing holds its own.
        let live = ReportDir::new(&out).unwrap();
        let next = ReportDir::new(&out).unwrap();
        assert!(!abandoned.exists());
        assert!(live.tmp.exists() && next.tmp.exists());
        next.commit().unwrap();
        live.commit().unwrap();
        assert_eq!(listing(dir.path()), ["r"]);
    }

    #[test]
    fn refuses_targets_that_are_not_report_folders() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["/", ".", ".."] {
            assert!(check_out_dir(Path::new(bad)).is_err(), "{bad}");
        }
        let file = dir.path().join("f.txt");
        std::fs::write(&file, "x").unwrap();
        let e = check_out_dir(&file).unwrap_err().to_string();
        assert!(e.contains("is a file"), "{e}");
        let mine = dir.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("thesis.tex"), "x").unwrap();
        let e = check_out_dir(&mine).unwrap_err().to_string();
        assert!(e.contains("thesis.tex"), "{e}");
        assert!(check_out_dir(&dir.path().join("new")).is_ok());
    }
}
