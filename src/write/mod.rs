//! Stage 5, WRITE: outputs go to disk, all or nothing.
//!
//! The site is written into a fresh folder beside the output folder, then
//! swapped in with two renames. A build that fails anywhere before the swap
//! leaves the previous output exactly as it was.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

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

/// Writes `outputs` as the new content of `out_dir`. When two outputs share
/// a path, the later one wins (a site's `static/` over a theme's).
pub fn outputs(outputs: &[Output], out_dir: &Path) -> Result<WriteReport> {
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(outputs.len());
    for (i, o) in outputs.iter().enumerate() {
        check_path(&o.path)?;
        last.insert(o.path.as_str(), i);
    }
    let name = out_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.almanac-new-{pid}"));
    let retired = parent.join(format!(".{name}.almanac-old-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let previous = out_dir.is_dir().then_some(out_dir);
    let written: Result<Vec<Written>> = last
        .par_iter()
        .map(|(_, &i)| write_one(&staging, previous, &outputs[i]))
        .collect();
    let (bytes, unchanged) = match written {
        Ok(w) => (
            w.iter().map(|w| w.bytes).sum(),
            w.iter().filter(|w| w.linked).count(),
        ),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap(&staging, out_dir, &retired)?;
    Ok(WriteReport {
        files: last.len(),
        bytes,
        unchanged,
    })
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
