//! Files that appear complete or not at all: written under a temporary name in the same directory
//! and renamed over the final name by [`AtomicFile::commit`]. Dropped without a commit, the
//! temporary file is removed.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A buffered file written under a temporary name until committed.
pub struct AtomicFile {
    tmp: PathBuf,
    dest: PathBuf,
    file: Option<BufWriter<File>>,
}

/// The fixed temporary name of a resumable output: `.<name>.partial` beside `dest`.
pub fn partial_path(dest: &Path) -> PathBuf {
    let dir = dest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.partial"))
}

/// Removes the temporary files [`AtomicFile::create`] names (`.<name>.tmp-<pid>-<n>`) under
/// `dir` and its subdirectories, left behind by a run killed before it could commit or remove
/// them (`--resume` calls it on the output directory). This process's own are kept; symbolic
/// links are not followed. Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> io::Result<usize> {
    let own = std::process::id();
    let mut removed = 0;
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                dirs.push(entry.path());
            } else if kind.is_file() {
                let name = entry.file_name();
                if temp_pid(&name.to_string_lossy()).is_some_and(|pid| pid != own) {
                    std::fs::remove_file(entry.path())?;
                    removed += 1;
                }
            }
        }
    }
    Ok(removed)
}

/// The process id in a temporary file name of [`AtomicFile::create`]'s form, if it is one.
fn temp_pid(name: &str) -> Option<u32> {
    let rest = name.strip_prefix('.')?;
    let (stem, tail) = rest.rsplit_once(".tmp-")?;
    let (pid, n) = tail.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!stem.is_empty() && digits(pid) && digits(n)).then(|| pid.parse().ok())?
}

impl AtomicFile {
    /// Creates `.<name>.tmp-<pid>-<n>` beside `dest`.
    pub fn create(dest: impl Into<PathBuf>) -> io::Result<AtomicFile> {
        AtomicFile::create_buffered(dest.into(), 256 * 1024)
    }

    /// [`AtomicFile::create`] with a write buffer of `capacity` bytes (0: every write goes
    /// straight to the file, for one that is written in one piece).
    fn create_buffered(dest: PathBuf, capacity: usize) -> io::Result<AtomicFile> {
        let dir = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp-{}-{n}", std::process::id()));
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            tmp,
            dest,
            file: Some(BufWriter::with_capacity(capacity, file)),
        })
    }

    /// A resumable file: written under the fixed name [`partial_path`], so that a later run can
    /// find it. `keep: None` starts it empty; `keep: Some(n)` reopens an existing one, cut to its
    /// first `n` bytes (what a checkpoint recorded as complete), to append to it. Dropped without
    /// a commit, the temporary file is removed, unless [`AtomicFile::keep`] was called.
    pub fn resumable(dest: impl Into<PathBuf>, keep: Option<u64>) -> io::Result<AtomicFile> {
        let dest = dest.into();
        let tmp = partial_path(&dest);
        let file = match keep {
            None => File::create(&tmp)?,
            Some(n) => {
                let f = std::fs::OpenOptions::new().write(true).open(&tmp)?;
                let len = f.metadata()?.len();
                if len < n {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        format!("{} holds {len} bytes, the checkpoint {n}", tmp.display()),
                    ));
                }
                f.set_len(n)?;
                let mut f = f;
                std::io::Seek::seek(&mut f, io::SeekFrom::End(0))?;
                f
            }
        };
        Ok(AtomicFile {
            tmp,
            dest,
            file: Some(BufWriter::with_capacity(256 * 1024, file)),
        })
    }

    /// Flushes and leaves the temporary file in place (for a later `--resume`).
    pub fn keep(mut self) -> io::Result<()> {
        let file = self.file.take().expect("open");
        file.into_inner().map_err(|e| e.into_error())?;
        Ok(())
    }

    /// Where the file goes when committed.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Flushes, syncs nothing (speed over durability), and renames into place.
    pub fn commit(mut self) -> io::Result<()> {
        let file = self.file.take().expect("not committed twice");
        let file = file.into_inner().map_err(|e| e.into_error())?;
        drop(file);
        std::fs::rename(&self.tmp, &self.dest).inspect_err(|_| {
            // A temporary file goes with the failed write; a resumable one stays, holding what
            // was written, for a later `--resume`.
            if self.tmp != partial_path(&self.dest) {
                let _ = std::fs::remove_file(&self.tmp);
            }
        })
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().expect("open").write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.file.as_mut().expect("open").write_all(buf)
    }
    fn write_vectored(&mut self, bufs: &[io::IoSlice<'_>]) -> io::Result<usize> {
        self.file.as_mut().expect("open").write_vectored(bufs)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().expect("open").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Writes `bytes` to `dest` atomically.
pub fn write_atomic(dest: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create_buffered(dest.to_path_buf(), 0)?;
    f.write_all(bytes)?;
    f.commit()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_failed_rename_leaves_no_temporary_file() {
        let t = tempfile::tempdir().unwrap();
        let dest = t.path().join("a.txt");
        // A folder holding a file cannot be replaced by a file.
        std::fs::create_dir_all(dest.join("x")).unwrap();
        assert!(super::write_atomic(&dest, b"text").is_err());
        let names: Vec<_> = std::fs::read_dir(t.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.txt")]);
        // A resumable file keeps what was written.
        let mut f = super::AtomicFile::resumable(&dest, None).unwrap();
        std::io::Write::write_all(&mut f, b"kept").unwrap();
        assert!(f.commit().is_err());
        assert_eq!(
            std::fs::read(super::partial_path(&dest)).unwrap(),
            b"kept".to_vec()
        );
    }

    #[test]
    fn stale_temporary_files_are_removed_and_others_kept() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        let own = format!(".mine.txt.tmp-{}-3", std::process::id());
        for f in [
            "..textmend-progress.json.tmp-4242424-20",
            "sub/.a.txt.tmp-1-0",
            "keep.txt",
            ".keep.partial",
            ".x.tmp-12-a",
            ".tmp-1-2",
            own.as_str(),
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        assert_eq!(super::remove_stale_temps(d).unwrap(), 2);
        let mut left: Vec<String> = Vec::new();
        for e in walk(d) {
            left.push(e);
        }
        left.sort();
        let mut want = vec![
            ".keep.partial".to_string(),
            ".tmp-1-2".to_string(),
            ".x.tmp-12-a".to_string(),
            "keep.txt".to_string(),
            own.clone(),
        ];
        want.sort();
        assert_eq!(left, want);
        assert!(d.join("sub").is_dir());
    }

    /// The names of the plain files under `d`, relative to it.
    fn walk(d: &std::path::Path) -> Vec<String> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(d).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                let name = e.file_name().to_string_lossy().into_owned();
                out.extend(walk(&e.path()).into_iter().map(|f| format!("{name}/{f}")));
            } else {
                out.push(e.file_name().to_string_lossy().into_owned());
            }
        }
        out
    }

    use super::*;

    #[test]
    fn resumable_files_are_cut_to_the_checkpoint_and_appended_to() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.jsonl");
        let mut f = AtomicFile::resumable(&p, None).unwrap();
        f.write_all(b"line1\nline2-half").unwrap();
        f.keep().unwrap();
        assert!(partial_path(&p).exists() && !p.exists());
        let mut g = AtomicFile::resumable(&p, Some(6)).unwrap();
        g.write_all(b"line2\n").unwrap();
        g.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"line1\nline2\n");
        assert!(!partial_path(&p).exists());
        // A checkpoint longer than the file is an error; so is a missing file.
        std::fs::write(partial_path(&p), b"ab").unwrap();
        assert!(AtomicFile::resumable(&p, Some(5)).is_err());
        std::fs::remove_file(partial_path(&p)).unwrap();
        assert!(AtomicFile::resumable(&p, Some(0)).is_err());
    }

    #[test]
    fn commit_renames_and_drop_cleans_up() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        let mut f = AtomicFile::create(&p).unwrap();
        f.write_all(b"hello").unwrap();
        assert!(!p.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");

        let q = dir.path().join("b.txt");
        let mut g = AtomicFile::create(&q).unwrap();
        g.write_all(b"half").unwrap();
        drop(g);
        assert!(!q.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "temporary file left behind"
        );
    }
}
