//! What a folder of output holds, so the next build into it can tell which
//! files already have their bytes without reading them back.
//!
//! Each output folder's manifest lists, per file, a hash of its bytes and
//! the length and modification time it had when written. A file counts as
//! unchanged when its hash matches the new bytes and one `stat` finds it as
//! the manifest says. The manifest names the folder it describes (device
//! and inode, which survive a rename), so a manifest left behind by an
//! interrupted build is never trusted for the other folder; without a
//! trusted manifest the bytes are compared as before.

use std::collections::HashMap;
use std::path::Path;
use std::time::UNIX_EPOCH;

/// One file as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) hash: u128,
    pub(crate) len: u64,
    /// Nanoseconds since the epoch.
    pub(crate) mtime: u128,
}

impl Entry {
    /// The entry for `bytes` now stored at a file whose metadata is `meta`.
    pub(crate) fn new(hash: u128, meta: &std::fs::Metadata) -> Entry {
        Entry {
            hash,
            len: meta.len(),
            mtime: mtime(meta),
        }
    }

    /// Whether the file with metadata `meta` is still as this entry says.
    pub(crate) fn matches(&self, meta: &std::fs::Metadata) -> bool {
        meta.is_file() && meta.len() == self.len && mtime(meta) == self.mtime
    }
}

/// Files of one folder by path.
pub(crate) type Files = HashMap<String, Entry>;

/// Hash of a file's bytes.
pub(crate) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

fn mtime(meta: &std::fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Device and inode of a folder: stable across renames.
#[cfg(unix)]
fn identity(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).ok()?;
    Some(format!("{}:{}", meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn identity(_: &Path) -> Option<String> {
    None
}

const HEADER: &str = "almanac-manifest 1";

/// Reads `file` if it describes `dir`; anything else (missing, another
/// folder's, unreadable) is no manifest.
pub(crate) fn read(file: &Path, dir: &Path) -> Option<Files> {
    let text = std::fs::read_to_string(file).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER || lines.next()? != identity(dir)? {
        return None;
    }
    let mut files = Files::new();
    for line in lines {
        let mut parts = line.splitn(4, ' ');
        let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let mtime = parts.next()?.parse().ok()?;
        files.insert(parts.next()?.to_string(), Entry { hash, len, mtime });
    }
    Some(files)
}

/// Writes the manifest of `dir` to `file`; a folder with no identity gets none.
pub(crate) fn write(file: &Path, dir: &Path, files: &Files) -> std::io::Result<()> {
    let Some(id) = identity(dir) else {
        return Ok(());
    };
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    let mut text = String::with_capacity(64 + files.len() * 80);
    text.push_str(HEADER);
    text.push('\n');
    text.push_str(&id);
    text.push('\n');
    for path in paths {
        let e = &files[path];
        // Paths are relative output paths; they never hold a newline
        // (check_path refuses anything but plain components) but may hold spaces,
        // hence the path last.
        text.push_str(&format!("{:032x} {} {} {path}\n", e.hash, e.len, e.mtime));
    }
    let tmp = file.with_extension("tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_only_for_its_own_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("x y.html"), "hi").unwrap();
        let meta = std::fs::metadata(a.join("x y.html")).unwrap();
        let files = Files::from([("x y.html".to_string(), Entry::new(hash(b"hi"), &meta))]);
        let file = tmp.path().join("a.manifest");
        write(&file, &a, &files).unwrap();
        if cfg!(unix) {
            assert_eq!(read(&file, &a), Some(files.clone()));
            assert!(files["x y.html"].matches(&meta));
        }
        assert_eq!(read(&file, &b), None, "a manifest is for one folder");
        std::fs::write(a.join("x y.html"), "changed").unwrap();
        let meta = std::fs::metadata(a.join("x y.html")).unwrap();
        assert!(!files["x y.html"].matches(&meta));
    }
}
