//! Output files appear whole or not at all: written to a temporary file beside the target,
//! then renamed over it.

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    write_atomic_with(path, |w| {
        w.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

/// Like [`write_atomic`], for output that `write` streams (buffered) rather than one held in
/// memory; an error from `write` leaves the target as it was.
pub fn write_atomic_with<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    // Tracked while it exists, so that SIGINT or SIGTERM removes it.
    let tmp = crate::cleanup::locked(|t| {
        let tmp = temp_builder().tempfile_in(dir)?;
        t.add(tmp.path());
        std::io::Result::Ok(tmp)
    })
    .with_context(|| format!("cannot write in {}", dir.display()))?;
    let tmp_path = tmp.path().to_path_buf();
    let untrack = || crate::cleanup::locked(|t| t.remove(&tmp_path));
    let mut w = BufWriter::new(tmp);
    let value = match write(&mut w) {
        Ok(v) => v,
        Err(e) => {
            drop(w);
            untrack();
            return Err(e);
        }
    };
    let tmp = match w.into_inner() {
        Ok(tmp) => tmp,
        Err(e) => {
            let reason = e.into_error();
            untrack();
            return Err(
                anyhow::Error::new(reason).context(format!("cannot write {}", path.display()))
            );
        }
    };
    let persisted = crate::cleanup::locked(|t| {
        let r = tmp.persist(path);
        t.remove(&tmp_path);
        r
    });
    persisted.with_context(|| format!("cannot write {}", path.display()))?;
    Ok(value)
}

/// Temporary files are private (0600) by default; reports are ordinary files, so they get the
/// mode a plain file creation would give (0666 less the umask).
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut b = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_files_with_ordinary_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/out.txt");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        // No temporary file is left behind.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );
        #[cfg(unix)]
        {
            // The same mode as a file created the ordinary way, whatever the umask.
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.path().join("plain.txt");
            std::fs::write(&plain, b"x").unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
            assert_eq!(mode(&path), mode(&plain));
        }
    }

    #[test]
    fn a_failed_stream_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let n = write_atomic_with(&path, |w| {
            w.write_all(b"a,b\n")?;
            Ok(1)
        })
        .unwrap();
        assert_eq!((n, std::fs::read(&path).unwrap()), (1, b"a,b\n".to_vec()));
        let failed: anyhow::Result<()> = write_atomic_with(&path, |w| {
            w.write_all(b"partial")?;
            anyhow::bail!("no more rows")
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
