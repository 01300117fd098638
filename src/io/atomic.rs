//! Atomic outputs: write to a temporary file (or directory) beside the target, then rename.
//! A failed or interrupted run leaves the previous target untouched and no partial file.

use crate::error::{Result, SentirError};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where the labelled rows go: stdout, or a file replaced atomically on [`Output::commit`].
pub enum Output {
    /// Standard output (`-`).
    Stdout(BufWriter<std::io::Stdout>),
    /// A temporary file that becomes `target` on commit and is deleted if dropped.
    File {
        /// Buffered temp file.
        tmp: BufWriter<tempfile::NamedTempFile>,
        /// Final path.
        target: PathBuf,
    },
    /// A file with a fixed name beside `target` (see [`Output::open_partial`]).
    Partial(Partial),
}

/// A temporary file with a fixed name, so that the next run to the same target replaces
/// what a killed run left there; deleted if dropped before [`Partial::commit`].
pub struct Partial {
    file: Option<BufWriter<std::fs::File>>,
    path: PathBuf,
    target: PathBuf,
}

impl Partial {
    fn commit(mut self) -> Result<()> {
        let file = self.file.take().expect("committed once");
        let file = file
            .into_inner()
            .map_err(|e| SentirError::io(&self.target, e.into_error()))?;
        file.sync_all()
            .map_err(|e| SentirError::io(&self.target, e))?;
        drop(file);
        std::fs::rename(&self.path, &self.target).map_err(|e| SentirError::io(&self.target, e))
    }

    fn writer(&mut self) -> &mut BufWriter<std::fs::File> {
        self.file.as_mut().expect("not committed")
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl Output {
    /// `-` is stdout; anything else is a file created atomically.
    pub fn open(spec: &str) -> Result<Output> {
        if spec == "-" {
            return Ok(Output::Stdout(BufWriter::new(std::io::stdout())));
        }
        let target = PathBuf::from(spec);
        let tmp = temp_file_beside(&target)?;
        Ok(Output::File {
            tmp: BufWriter::with_capacity(1 << 16, tmp),
            target,
        })
    }

    /// A file written as `.NAME.sentir-partial` beside `spec` and renamed onto it on commit.
    /// Unlike [`Output::open`]'s random temp name, a run killed with SIGKILL leaves at most
    /// this one file, which the next run to the same output replaces.
    pub fn open_partial(spec: &str) -> Result<Output> {
        let target = PathBuf::from(spec);
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let path = target.with_file_name(format!(".{name}.sentir-partial"));
        let file = std::fs::File::create(&path).map_err(|e| SentirError::io(&target, e))?;
        Ok(Output::Partial(Partial {
            file: Some(BufWriter::with_capacity(1 << 16, file)),
            path,
            target,
        }))
    }

    /// Flushes and, for files, renames the temp file onto the target.
    pub fn commit(self) -> Result<()> {
        match self {
            Output::Stdout(mut w) => w.flush().map_err(|e| SentirError::io("-", e)),
            Output::File { tmp, target } => {
                let file = tmp
                    .into_inner()
                    .map_err(|e| SentirError::io(&target, e.into_error()))?;
                file.as_file()
                    .sync_all()
                    .map_err(|e| SentirError::io(&target, e))?;
                file.persist(&target)
                    .map_err(|e| SentirError::io(&target, e.error))?;
                Ok(())
            }
            Output::Partial(p) => p.commit(),
        }
    }

    /// Display name for messages.
    pub fn name(&self) -> String {
        match self {
            Output::Stdout(_) => "-".into(),
            Output::File { target, .. } => target.display().to_string(),
            Output::Partial(p) => p.target.display().to_string(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File { tmp, .. } => tmp.write(buf),
            Output::Partial(p) => p.writer().write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File { tmp, .. } => tmp.flush(),
            Output::Partial(p) => p.writer().flush(),
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut out = Output::open(path.to_str().unwrap_or_default())?;
    out.write_all(bytes).map_err(|e| SentirError::io(path, e))?;
    out.commit()
}

/// Creates `path` atomically from what `write` puts at the temporary path it is given (for
/// writers that take a path, such as the safetensors serializer).
pub fn write_with(path: &Path, write: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let tmp = temp_file_beside(path)?;
    write(tmp.path())?;
    tmp.as_file()
        .sync_all()
        .map_err(|e| SentirError::io(path, e))?;
    tmp.persist(path)
        .map_err(|e| SentirError::io(path, e.error))?;
    Ok(())
}

/// A temporary directory beside a target directory, renamed onto it by [`TempDir::persist`].
pub struct TempDir {
    dir: Option<tempfile::TempDir>,
}

impl TempDir {
    /// Creates the temporary directory next to `target` (same filesystem).
    pub fn beside(target: &Path) -> Result<TempDir> {
        let parent = parent_dir(target);
        std::fs::create_dir_all(&parent).map_err(|e| SentirError::io(&parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".sentir-")
            .tempdir_in(&parent)
            .map_err(|e| SentirError::io(&parent, e))?;
        Ok(TempDir { dir: Some(dir) })
    }

    /// The temporary directory.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("not persisted").path()
    }

    /// Replaces `target` (removing an old directory there) with this directory.
    pub fn persist(mut self, target: &Path) -> Result<()> {
        let dir = self.dir.take().expect("not persisted").keep();
        if target.exists() {
            std::fs::remove_dir_all(target).map_err(|e| SentirError::io(target, e))?;
        }
        std::fs::rename(&dir, target).map_err(|e| SentirError::io(target, e))
    }
}

/// A temporary file in `target`'s directory (same filesystem, so it can be renamed onto it).
fn temp_file_beside(target: &Path) -> Result<tempfile::NamedTempFile> {
    // Mode 0666 less the umask, as for a file the shell creates (tempfile's default is 0600).
    tempfile::Builder::new()
        .prefix(".sentir-")
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(parent_dir(target))
        .map_err(|e| SentirError::io(target, e))
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty directory and `out.csv` in it.
    fn target() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        (dir, target)
    }

    #[test]
    fn file_appears_only_on_commit() {
        let (_dir, target) = target();
        let mut out = Output::open(target.to_str().unwrap()).unwrap();
        out.write_all(b"a,b\n").unwrap();
        assert!(!target.exists());
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
    }

    #[test]
    fn a_partial_has_a_fixed_name_and_appears_only_on_commit() {
        let (dir, target) = target();
        let partial = dir.path().join(".out.csv.sentir-partial");
        std::fs::write(&partial, b"left by a killed run").unwrap();
        let mut out = Output::open_partial(target.to_str().unwrap()).unwrap();
        out.write_all(b"a,b\n").unwrap();
        out.flush().unwrap();
        assert_eq!(std::fs::read(&partial).unwrap(), b"a,b\n");
        out.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert!(!partial.exists());
        let out = Output::open_partial(target.to_str().unwrap()).unwrap();
        drop(out);
        assert!(!partial.exists());
    }

    #[test]
    fn dropped_output_leaves_nothing() {
        let (dir, target) = target();
        {
            let mut out = Output::open(target.to_str().unwrap()).unwrap();
            out.write_all(b"partial").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
