//! Stage 5, WRITE: outputs go to disk, all or nothing.
//!
//! RENDER hands each output to a [`Sink`] as soon as it is made. A build
//! streams them into a [`Staging`] folder beside the output folder, swapped
//! in with two renames at the end, so the whole site is never held in
//! memory and a build that fails anywhere before the swap leaves the
//! previous output exactly as it was. The dev server keeps them in a
//! [`MemorySink`].

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::render::{Content, Output};

/// What was written.
#[derive(Debug, Clone, Copy)]
pub struct WriteReport {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Files identical to the previous build's, linked rather than written.
    pub unchanged: usize,
}

/// Where RENDER puts outputs as it makes them.
pub trait Sink: Sync {
    /// Stores one output. When two outputs share a path, the later one wins
    /// (a site's `static/` over a theme's).
    fn put(&self, output: Output) -> Result<()>;
}

/// Keeps outputs in memory (the dev server, and `check`, which discards them).
#[derive(Default)]
pub struct MemorySink {
    outputs: Mutex<Vec<Output>>,
}

impl MemorySink {
    /// Everything put so far, in order.
    pub fn into_outputs(self) -> Vec<Output> {
        self.outputs.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, output: Output) -> Result<()> {
        self.outputs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(output);
        Ok(())
    }
}

/// Drops every output: rendering only to find errors (`check`).
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: Output) -> Result<()> {
        Ok(())
    }
}

/// A folder beside the output folder that outputs are written into as they
/// are rendered, and that replaces the output folder on [`Staging::commit`].
/// Dropped without a commit, it removes itself: the output is untouched.
pub struct Staging {
    out_dir: PathBuf,
    dir: PathBuf,
    retired: PathBuf,
    previous: Option<PathBuf>,
    paths: Mutex<HashSet<String>>,
    bytes: AtomicU64,
    unchanged: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Creates the staging folder for `out_dir`.
    pub fn new(out_dir: &Path) -> Result<Staging> {
        let name = out_dir
            .file_name()
            .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
        let parent = match out_dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.almanac-new-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            retired: parent.join(format!(".{name}.almanac-old-{pid}")),
            previous: out_dir.is_dir().then(|| out_dir.to_path_buf()),
            dir,
            paths: Mutex::new(HashSet::new()),
            bytes: AtomicU64::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Swaps the staging folder in as the output folder.
    pub fn commit(mut self) -> Result<WriteReport> {
        swap(&self.dir, &self.out_dir, &self.retired)?;
        self.committed = true;
        Ok(WriteReport {
            files: self.paths.lock().unwrap_or_else(|p| p.into_inner()).len(),
            bytes: self.bytes.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<()> {
        check_path(&output.path)?;
        let again = !self
            .paths
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(output.path.clone());
        if again {
            // The first may be a hard link into the previous output: never write through it.
            let _ = std::fs::remove_file(self.dir.join(&output.path));
        }
        let w = write_one(&self.dir, self.previous.as_deref(), &output)?;
        self.bytes.fetch_add(w.bytes, Ordering::Relaxed);
        if w.linked {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn check_path(path: &str) -> Result<()> {
    let p = Path::new(path);
    if path.is_empty() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(Error::Build(vec![
            Diagnostic::error(format!(
                "refusing to write outside the output folder: `{path}`"
            ))
            .help("check `aliases` and `slug` values for `..` or absolute paths"),
        ]));
    }
    Ok(())
}

/// Writes one output into `root`. A file whose bytes equal the previous
/// build's is hard-linked from it instead: no data written, no new inode,
/// which on large sites is most of the cost of a rebuild.
fn write_one(root: &Path, previous: Option<&Path>, output: &Output) -> Result<Written> {
    let path = root.join(&output.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let copied;
    let bytes: &[u8] = match &output.content {
        Content::Bytes(b) => &b[..],
        Content::Embedded(b) => b,
        Content::Copy(src) => {
            copied = std::fs::read(src).map_err(|e| Error::io(src, e))?;
            &copied
        }
    };
    if let Some(old) = previous.map(|p| p.join(&output.path))
        && same_bytes(&old, bytes)
        && std::fs::hard_link(&old, &path).is_ok()
    {
        return Ok(Written {
            bytes: 0,
            linked: true,
        });
    }
    std::fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    Ok(Written {
        bytes: bytes.len() as u64,
        linked: false,
    })
}

/// What writing one output did.
struct Written {
    bytes: u64,
    linked: bool,
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Moves `staging` into place at `out_dir`, keeping the old folder until the new one is in.
fn swap(staging: &Path, out_dir: &Path, retired: &Path) -> Result<()> {
    let had_old = out_dir.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(retired);
        std::fs::rename(out_dir, retired).map_err(|e| Error::io(out_dir, e))?;
    }
    if let Err(e) = std::fs::rename(staging, out_dir) {
        if had_old {
            let _ = std::fs::rename(retired, out_dir);
        }
        return Err(Error::io(out_dir, e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(retired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        assert!(check_path("../x").is_err());
        assert!(check_path("/etc/x").is_err());
        assert!(check_path("a/../b").is_err());
        assert!(check_path("a/b.html").is_ok());
    }
}
