//! Stage 5, WRITE: outputs go to disk, all or nothing.
//!
//! RENDER hands each output to a [`Sink`] as soon as it is made. A build
//! streams them into a [`Staging`] folder (in `.almanac-cache/` beside the
//! output folder), swapped in with renames at the end, so the whole site is
//! never held in memory and a build that fails anywhere before the swap
//! leaves the previous output exactly as it was. The dev server keeps
//! outputs in a [`MemorySink`].

mod manifest;

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::{Diagnostic, Error, Result};
use crate::output::{Content, Dictionary, Output, Sink};

/// What was written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WriteReport {
    /// Files in the output.
    pub files: usize,
    /// Files that already had their bytes and were not written.
    pub unchanged: usize,
}

/// Keeps outputs in memory, compressed as they arrive (the dev server): a
/// big site's pages held uncompressed until the end of a render would
/// double serve's memory.
pub(crate) struct MemorySink {
    dict: std::sync::Arc<Dictionary>,
    outputs: Mutex<Vec<Output>>,
}

impl MemorySink {
    /// A sink that packs generated outputs against `dict`.
    pub(crate) fn new(dict: std::sync::Arc<Dictionary>) -> MemorySink {
        MemorySink {
            dict,
            outputs: Mutex::default(),
        }
    }

    /// Everything put so far, in order.
    pub(crate) fn into_outputs(self) -> Vec<Output> {
        self.outputs.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, mut output: Output) -> Result<()> {
        // Packed on the rendering thread, before the lock.
        output.content = output.content.packed(&self.dict);
        self.outputs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(output);
        Ok(())
    }
}

/// Drops every output: rendering only to find errors (`check`).
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: Output) -> Result<()> {
        Ok(())
    }
}

/// The folder the next output is written into before it replaces the
/// output folder: the output before last, kept in `.almanac-cache/` beside
/// the output folder. Writing into it changes only the files that differ,
/// and swapping it in deletes nothing, so rebuilding a big site does not
/// pay for creating and deleting every file again. Until [`Staging::commit`]
/// the output folder is not touched. Which files already have their bytes
/// is told by the folder's manifest, not by reading them back.
pub(crate) struct Staging {
    out_dir: PathBuf,
    /// Says the output folder was made by a build, so the next may replace it.
    marker: PathBuf,
    dir: PathBuf,
    parked: PathBuf,
    /// Manifests of the output folder and of the staging folder.
    out_manifest: PathBuf,
    next_manifest: PathBuf,
    /// What the staging folder holds, when its manifest can be trusted.
    known: Option<manifest::Files>,
    /// Held until the build ends: one build at a time writes this output.
    _lock: std::fs::File,
    /// Every file put so far.
    written: Mutex<manifest::Files>,
    unchanged: AtomicUsize,
}

/// The folder beside `out_dir` that keeps what makes its rebuilds fast
/// (`.almanac-cache/`), and the output folder's name, which names its
/// files there.
fn cache_of(out_dir: &Path) -> (PathBuf, String) {
    let name = out_dir
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (parent.join(".almanac-cache"), name)
}

/// The file `what` of `out_dir`'s cache: `.almanac-cache/NAME.what`.
pub(crate) fn cache_file(out_dir: &Path, what: &str) -> PathBuf {
    let (cache, name) = cache_of(out_dir);
    cache.join(format!("{name}.{what}"))
}

/// Marks a folder as a cache for backup tools (<https://bford.info/cachedir/>).
const CACHEDIR_TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# almanac's previous output, kept to make rebuilds fast; safe to delete.\n";

impl Staging {
    /// Prepares the staging folder for `out_dir`. An existing, non-empty
    /// `out_dir` that no build made is not replaced unless `force` is set.
    #[cfg(test)]
    pub(crate) fn new(out_dir: &Path, force: bool) -> Result<Staging> {
        Staging::for_site(out_dir, force, "")
    }

    /// [`Staging::new`] for the site whose home page is at `home` (a
    /// permalink): an output whose sitemap lists that home page is this
    /// site's own, even when the cache that says so was deleted.
    pub(crate) fn for_site(out_dir: &Path, force: bool, home: &str) -> Result<Staging> {
        let (cache, name) = cache_of(out_dir);
        if out_dir.exists() && !out_dir.is_dir() {
            return Err(Error::Refused(
                Diagnostic::error(format!(
                    "refusing to build into {}: it is a file, not a folder",
                    out_dir.display()
                ))
                .help("the output is a folder that each build replaces; pick one with -o, such as public/"),
            ));
        }
        let marker = cache.join(format!("{name}.built"));
        let occupied = std::fs::read_dir(out_dir).is_ok_and(|mut d| d.next().is_some());
        if occupied && !marker.exists() && !force && !lists_home(out_dir, home) {
            return Err(Error::Refused(
                Diagnostic::error(format!(
                    "refusing to replace {}: it has files that no almanac build made",
                    out_dir.display()
                ))
                .help("pick another output folder with -o, empty this one, or pass --force to replace it"),
            ));
        }
        std::fs::create_dir_all(&cache).map_err(|e| Error::io(&cache, e))?;
        let lock = lock(&cache.join(format!("{name}.lock")), out_dir)?;
        for (file, text) in [(".gitignore", "*\n"), ("CACHEDIR.TAG", CACHEDIR_TAG)] {
            let path = cache.join(file);
            if !path.exists() {
                std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
            }
        }
        let dir = cache.join(format!("{name}.next"));
        if !dir.is_dir() {
            let _ = std::fs::remove_file(&dir);
            std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let next_manifest = cache.join(format!("{name}.next.manifest"));
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            marker,
            parked: cache.join(format!("{name}.parked")),
            known: manifest::read(&next_manifest, &dir),
            out_manifest: cache.join(format!("{name}.manifest")),
            next_manifest,
            dir,
            _lock: lock,
            written: Mutex::new(manifest::Files::new()),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Removes what no output wrote, then swaps the staging folder in as the
    /// output folder; the old output becomes the next staging folder.
    pub(crate) fn commit(self) -> Result<WriteReport> {
        let written = self.written.into_inner().unwrap_or_else(|p| p.into_inner());
        let paths: HashSet<&str> = written.keys().map(String::as_str).collect();
        remove_stale(&self.dir, &paths)?;
        // Marked before the swap: killed between the swap and the mark, the
        // next build would otherwise take its own output for somebody's files.
        std::fs::write(&self.marker, "").map_err(|e| Error::io(&self.marker, e))?;
        swap(&self.dir, &self.out_dir, &self.parked)?;
        // The old output is the staging folder now, and so is its manifest.
        // A crash between these steps leaves a manifest naming the other
        // folder, which the next build ignores.
        let _ = std::fs::rename(&self.out_manifest, &self.next_manifest);
        manifest::write(&self.out_manifest, &self.out_dir, &written)
            .map_err(|e| Error::io(&self.out_manifest, e))?;
        Ok(WriteReport {
            files: written.len(),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Sink for Staging {
    fn put(&self, output: Output) -> Result<()> {
        check_path(&output.path)?;
        let (entry, unchanged) = write_one(&self.dir, &output, self.known.as_ref())?;
        if unchanged {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
        }
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(output.path, entry);
        Ok(())
    }
}

/// Whether `out_dir/sitemap.xml` lists `home`: what every build of the site writes.
fn lists_home(out_dir: &Path, home: &str) -> bool {
    if home.is_empty() {
        return false;
    }
    let Ok(file) = std::fs::File::open(out_dir.join("sitemap.xml")) else {
        return false;
    };
    let mut head = String::new();
    // The home page comes first; a sitemap is never read whole for this.
    let _ = std::io::Read::read_to_string(&mut std::io::Read::take(file, 64 * 1024), &mut head);
    head.contains(&format!("<loc>{home}</loc>"))
}

/// Takes the output's lock, or says which build holds it. The operating
/// system releases it when a build ends, however it ends.
fn lock(path: &Path, out_dir: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| Error::io(path, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Refused(
            Diagnostic::error(format!(
                "another almanac build is writing {} right now",
                out_dir.display()
            ))
            .help("wait for it to finish, or build into another folder with -o"),
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
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

/// Writes one output into `root` unless the file there already has its
/// bytes, as `known` (the folder's manifest) says or, without one, as
/// reading it back shows; returns its manifest entry and whether it did not
/// need writing.
fn write_one(
    root: &Path,
    output: &Output,
    known: Option<&manifest::Files>,
) -> Result<(manifest::Entry, bool)> {
    let path = root.join(&output.path);
    let bytes = output.content.read().map_err(|e| match &output.content {
        Content::Copy(src) => Error::io(src, e),
        _ => Error::io(&path, e),
    })?;
    let hash = manifest::hash(&bytes);
    let meta = std::fs::symlink_metadata(&path).ok();
    if let Some(meta) = &meta {
        let same = match known {
            Some(files) => files
                .get(&output.path)
                .is_some_and(|e| e.hash == hash && e.matches(meta)),
            None => meta.is_file() && same_bytes(&path, meta, &bytes),
        };
        if same {
            return Ok((manifest::Entry::new(hash, meta), true));
        }
    }
    make_parent(root, &path)?;
    if path.is_dir() {
        // A page became a file of the same name.
        std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    std::fs::write(&path, &bytes).map_err(|e| Error::io(&path, e))?;
    let meta = std::fs::metadata(&path).map_err(|e| Error::io(&path, e))?;
    Ok((manifest::Entry::new(hash, &meta), false))
}

/// Creates the folders above `path`, removing files that stand where a folder must be.
fn make_parent(root: &Path, path: &Path) -> Result<()> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    if std::fs::create_dir_all(dir).is_ok() {
        return Ok(());
    }
    let mut at = root.to_path_buf();
    for part in dir.strip_prefix(root).unwrap_or(dir).components() {
        at.push(part);
        if at.is_file() {
            std::fs::remove_file(&at).map_err(|e| Error::io(&at, e))?;
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

fn same_bytes(path: &Path, meta: &std::fs::Metadata, bytes: &[u8]) -> bool {
    meta.len() == bytes.len() as u64 && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Deletes every file under `dir` that is not one of `keep`, and the folders left empty.
fn remove_stale(dir: &Path, keep: &HashSet<&str>) -> Result<()> {
    let mut emptied: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(|e| Error::io(dir, e.into()))?;
        if entry.file_type().is_dir() {
            continue;
        }
        if !keep.contains(crate::load::rel_path(dir, entry.path()).as_str()) {
            std::fs::remove_file(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
            emptied.extend(entry.path().parent().map(Path::to_path_buf));
        }
    }
    // Deepest first; a folder that still holds something stays.
    emptied.sort();
    emptied.dedup();
    emptied.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    for mut folder in emptied {
        while folder != dir && std::fs::remove_dir(&folder).is_ok() {
            if !folder.pop() {
                break;
            }
        }
    }
    Ok(())
}

/// Puts `staging` in place of `out_dir`, and the old output where `staging` was.
fn swap(staging: &Path, out_dir: &Path, parked: &Path) -> Result<()> {
    let had_old = out_dir.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(parked);
        std::fs::rename(out_dir, parked).map_err(|e| Error::io(out_dir, e))?;
    }
    if let Err(e) = std::fs::rename(staging, out_dir) {
        if had_old {
            let _ = std::fs::rename(parked, out_dir);
        }
        return Err(Error::io(out_dir, e));
    }
    if had_old {
        // The old output is the next build's starting point.
        std::fs::rename(parked, staging).map_err(|e| Error::io(parked, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put_all(out: &Path, files: &[(&str, &str)]) -> WriteReport {
        let staging = Staging::new(out, false).unwrap();
        for (path, text) in files {
            let content = Content::Bytes(text.as_bytes().to_vec().into());
            staging
                .put(Output {
                    path: path.to_string(),
                    content,
                })
                .unwrap();
        }
        staging.commit().unwrap()
    }

    fn tree(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = walkdir::WalkDir::new(dir)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_build_leaves_exactly_its_outputs() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let builds: [&[(&str, &str)]; 4] = [
            &[("index.html", "1"), ("a/index.html", "a"), ("b", "file b")],
            &[
                ("index.html", "2"),
                ("a", "a is a file now"),
                ("b/index.html", "b is a page now"),
            ],
            &[("index.html", "2"), ("c/d/e.txt", "deep")],
            &[("index.html", "2"), ("c/d/e.txt", "deep")],
        ];
        for files in builds {
            let report = put_all(&out, files);
            let mut want: Vec<(String, String)> = files
                .iter()
                .map(|(p, t)| (p.to_string(), t.to_string()))
                .collect();
            want.sort();
            assert_eq!(tree(&out), want);
            assert_eq!(report.files, files.len());
        }
        // The last build found everything in place from the one before last.
        assert_eq!(put_all(&out, builds[3]).unchanged, 2);
        let dirs: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_dir())
            .map(|e| {
                e.path()
                    .strip_prefix(&out)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(dirs, ["c", "c/d"], "no empty folders are left");
    }

    #[test]
    fn an_unfinished_build_leaves_the_output_alone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        put_all(&out, &[("index.html", "good")]);
        put_all(&out, &[("index.html", "better")]);
        let staging = Staging::new(&out, false).unwrap();
        staging
            .put(Output {
                path: "index.html".into(),
                content: Content::Embedded(b"broken"),
            })
            .unwrap();
        drop(staging);
        assert_eq!(
            tree(&out),
            [("index.html".to_string(), "better".to_string())]
        );
        put_all(&out, &[("index.html", "best")]);
        assert_eq!(tree(&out), [("index.html".to_string(), "best".to_string())]);
    }

    #[test]
    fn a_manifest_never_hides_a_changed_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let cache = tmp.path().join(".almanac-cache");
        let files: &[(&str, &str)] = &[("index.html", "home"), ("a.txt", "aaaa")];
        put_all(&out, files);
        put_all(&out, files);
        // The staging folder now holds the first build, as its manifest says.
        assert_eq!(put_all(&out, files).unchanged, 2);
        // Same length, other bytes, behind the manifest's back.
        let edited = cache.join("public.next/a.txt");
        std::fs::write(&edited, "bbbb").unwrap();
        // As an edit made later would be (this test runs within one clock tick).
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options()
            .write(true)
            .open(&edited)
            .unwrap()
            .set_modified(later)
            .unwrap();
        assert_eq!(put_all(&out, files).unchanged, 1);
        assert_eq!(
            tree(&out),
            [
                ("a.txt".into(), "aaaa".into()),
                ("index.html".into(), "home".into())
            ]
        );
        // A crash that left the output's manifest as the staging folder's:
        // it names the other folder and is not trusted.
        std::fs::write(cache.join("public.next/index.html"), "emoh").unwrap();
        std::fs::copy(
            cache.join("public.manifest"),
            cache.join("public.next.manifest"),
        )
        .unwrap();
        put_all(&out, files);
        assert_eq!(
            tree(&out),
            [
                ("a.txt".into(), "aaaa".into()),
                ("index.html".into(), "home".into())
            ]
        );
    }

    #[test]
    fn one_build_at_a_time_and_never_over_a_file() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let first = Staging::new(&out, false).unwrap();
        let second = Staging::new(&out, false)
            .err()
            .expect("the output is locked");
        assert!(
            second
                .to_string()
                .contains("another almanac build is writing"),
            "{second}"
        );
        drop(first);
        assert!(
            Staging::new(&out, false).is_ok(),
            "the lock ends with the build"
        );
        let notes = tmp.path().join("notes.txt");
        std::fs::write(&notes, "precious").unwrap();
        for force in [false, true] {
            let e = Staging::new(&notes, force)
                .err()
                .expect("a file is never replaced");
            assert!(e.to_string().contains("it is a file, not a folder"), "{e}");
        }
        assert_eq!(std::fs::read_to_string(&notes).unwrap(), "precious");
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(check_path("../x").is_err());
        assert!(check_path("/etc/x").is_err());
        assert!(check_path("a/../b").is_err());
        assert!(check_path("a/b.html").is_ok());
    }
}
