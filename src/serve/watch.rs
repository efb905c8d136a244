//! File watching: notify events, debounced, filtered to what affects the site.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use crate::diagnostic::{Diagnostic, Error, Result};

/// Quiet time after the last event before rebuilding: editors save in
/// bursts of events a few milliseconds apart; more would be felt as lag.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Whether a changed path can change the site.
pub(super) fn is_relevant(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let Some(first) = parts.next() else {
        return false;
    };
    // A commit moves HEAD or a branch: rules history from git may change.
    if let Ok(git) = rel.strip_prefix(".git") {
        return git == Path::new("HEAD")
            || git == Path::new("packed-refs")
            || git.starts_with("refs/heads");
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    if crate::load::is_ignored(&name)
        || rel
            .components()
            .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
    {
        return false;
    }
    // `content.en/` and the like hold other languages' pages.
    first.starts_with("content")
        || matches!(first.as_ref(), "static" | "templates" | "themes")
        || first == crate::config::WORDS_DIR
        || first == crate::config::CONFIG_FILE
}

/// A running file watcher and the changed paths it reports.
pub(super) struct Watch {
    _watcher: Box<dyn Watcher + Send>,
    root: PathBuf,
    changes: mpsc::Receiver<PathBuf>,
}

/// How often the fallback watcher looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(500);

/// Starts watching `root`; changes made from now on are reported, even
/// those made while the first build is still running. When the system's
/// file events are not available (inotify's limits reached, some network
/// and container file systems), files are polled instead: slower to
/// notice, but `serve` still rebuilds.
pub(super) fn start(root: &Path) -> Result<Watch> {
    let (tx, changes) = mpsc::channel::<PathBuf>();
    let root = root.canonicalize().map_err(|e| Error::io(root, e))?;
    let events = native(&root, tx.clone()).or_else(|native_error| {
        let poll = polled(&root, tx)?;
        eprintln!(
            "warning: cannot use the system's file events ({native_error}); checking files every {} ms instead. On Linux, raising fs.inotify.max_user_watches and fs.inotify.max_user_instances helps.",
            POLL_INTERVAL.as_millis()
        );
        Ok::<Box<dyn Watcher + Send>, notify::Error>(Box::new(poll))
    });
    let watcher = events.map_err(|e| {
        Error::Unavailable(
            Diagnostic::error(format!("cannot watch {}: {e}", root.display())).help(
                "the system's limit on watched files may be reached; on Linux, raise fs.inotify.max_user_watches",
            ),
        )
    })?;
    Ok(Watch {
        _watcher: watcher,
        root,
        changes,
    })
}

/// Polling, of what can change the site only: walking the output folder
/// and `.almanac-cache` (tens of thousands of files on a big site) twice a
/// second would cost more than the rebuilds. The root itself is polled
/// without its folders, so a new top-level folder (`static/`) is noticed.
fn polled(root: &Path, tx: mpsc::Sender<PathBuf>) -> notify::Result<notify::PollWatcher> {
    let mut poll = notify::PollWatcher::new(
        handler(tx),
        notify::Config::default().with_poll_interval(POLL_INTERVAL),
    )?;
    poll.watch(root, RecursiveMode::NonRecursive)?;
    let git = [".git/HEAD", ".git/packed-refs", ".git/refs/heads"].map(|p| root.join(p));
    let entries = std::fs::read_dir(root)?.filter_map(|e| e.ok().map(|e| e.path()));
    for path in entries.chain(git) {
        if path.exists() && is_relevant(root, &path) {
            poll.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(poll)
}

/// The system's own file events (inotify, FSEvents, ReadDirectoryChangesW).
fn native(root: &Path, tx: mpsc::Sender<PathBuf>) -> notify::Result<Box<dyn Watcher + Send>> {
    let mut watcher = notify::recommended_watcher(handler(tx))?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    Ok(Box::new(watcher))
}

/// Sends the paths of changes; reading files (our own builds do) raises
/// access events, which do not count.
fn handler(tx: mpsc::Sender<PathBuf>) -> impl notify::EventHandler {
    move |res: notify::Result<notify::Event>| {
        if let Some(event) = res
            .ok()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        {
            for p in event.paths {
                let _ = tx.send(p);
            }
        }
    }
}

impl Watch {
    /// Calls `rebuild` with the relevant paths of every burst of changes;
    /// returns only if watching stops.
    pub(super) fn rebuild_on_change(self, mut rebuild: impl FnMut(&[PathBuf])) {
        while let Ok(first) = self.changes.recv() {
            let mut paths = vec![first];
            while let Ok(p) = self.changes.recv_timeout(DEBOUNCE) {
                paths.push(p);
            }
            paths.retain(|p| is_relevant(&self.root, p));
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                rebuild(&paths);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevance() {
        let root = Path::new("/site");
        assert!(is_relevant(root, Path::new("/site/content/a.md")));
        assert!(is_relevant(root, Path::new("/site/almanac.toml")));
        assert!(is_relevant(root, Path::new("/site/templates/page.html")));
        assert!(!is_relevant(root, Path::new("/site/public/index.html")));
        assert!(!is_relevant(root, Path::new("/site/content/.a.md.swp")));
        assert!(!is_relevant(root, Path::new("/site/content/a.md~")));
        assert!(!is_relevant(root, Path::new("/site/.git/index")));
        assert!(is_relevant(root, Path::new("/site/.git/refs/heads/main")));
        assert!(is_relevant(root, Path::new("/site/.git/HEAD")));
    }
}
