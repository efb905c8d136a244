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
    let written: Result<Vec<u64>> = last
        .par_iter()
        .map(|(_, &i)| write_one(&staging, &outputs[i]))
        .collect();
    let bytes = match written {
        Ok(sizes) => sizes.iter().sum(),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap(&staging, out_dir, &retired)?;
    Ok(WriteReport {
        files: last.len(),
        bytes,
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

fn write_one(root: &Path, output: &Output) -> Result<u64> {
    let path = root.join(&output.path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    match &output.content {
        Content::Bytes(b) => std::fs::write(&path, b).map(|_| b.len() as u64),
        Content::Embedded(b) => std::fs::write(&path, b).map(|_| b.len() as u64),
        Content::Copy(src) => std::fs::copy(src, &path),
    }
    .map_err(|e| Error::io(&path, e))
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
