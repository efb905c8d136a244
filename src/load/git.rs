//! Revisions of content files from git, read in one pass for the whole
//! site: one `git log` lists every commit that touched `content/` (renames
//! followed), and one `git cat-file --batch` reads every wanted revision.
//! Without git, outside a repository, or for a file never committed, a
//! file simply has no revisions.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use crate::parse::When;

/// One committed version of a file.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Revision {
    /// Commit id.
    pub commit: String,
    /// Author date.
    pub date: When,
    /// The commit's subject line.
    pub subject: String,
    /// The rule texts of the file in that commit.
    pub rules: Vec<String>,
}

/// What a revision keeps of the file's text (its rules), worked out once
/// per revision and cached with it.
pub(crate) type Digest = fn(&str) -> Vec<String>;

/// Revisions per file (path from the site root, `content/rules/x.md`), oldest first.
pub(crate) type Revisions = HashMap<String, Arc<[Revision]>>;

/// Revisions read before, reused while `HEAD` and the wanted files stay the same.
#[derive(Default)]
pub struct HistoryCache {
    key: Option<(String, Vec<String>)>,
    revisions: Revisions,
    last: Option<(String, Arc<LastCommits>)>,
}

/// The newest commit that touched each file (path from the site root):
/// its place in the log, 0 for the newest commit, and its date.
pub(crate) type LastCommits = HashMap<String, (usize, When)>;

/// The newest commit of every file in the content folders `dirs`, from one
/// `git log`; reused while `HEAD` stays. Empty outside a repository.
pub(crate) fn last_commits(
    root: &Path,
    dirs: &[String],
    cache: &mut HistoryCache,
) -> Arc<LastCommits> {
    let Some(head) = git(root, &["rev-parse", "HEAD"]) else {
        return Arc::default();
    };
    let head = format!("{}{dirs:?}", head.trim());
    if let Some((key, last)) = &cache.last
        && *key == head
    {
        return last.clone();
    }
    let mut last = LastCommits::new();
    for (i, c) in log(root, dirs).unwrap_or_default().iter().enumerate() {
        for (_, paths) in &c.files {
            if let Some(path) = paths.last() {
                last.entry(path.clone()).or_insert((i, c.date));
            }
        }
    }
    let last = Arc::new(last);
    cache.last = Some((head, last.clone()));
    last
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The site's folder within its repository, with a trailing `/` (`""`
/// at the root or outside a repository).
pub(crate) fn prefix(root: &Path) -> String {
    git(root, &["rev-parse", "--show-prefix"])
        .map(|p| p.trim().to_string())
        .unwrap_or_default()
}

/// The revisions of `files` (paths from the site root) in the content
/// folders `dirs`, from the cache when `HEAD` has not moved.
pub(crate) fn revisions(
    root: &Path,
    dirs: &[String],
    files: &[String],
    digest: Digest,
    cache: &mut HistoryCache,
) -> Revisions {
    if files.is_empty() {
        return Revisions::new();
    }
    let Some(head) = git(root, &["rev-parse", "HEAD"]) else {
        return Revisions::new();
    };
    let key = (head.trim().to_string(), files.to_vec());
    if cache.key.as_ref() != Some(&key) {
        cache.revisions = read(root, dirs, files, digest).unwrap_or_default();
        cache.key = Some(key);
    }
    cache.revisions.clone()
}

/// A commit from the log: id, date, subject, and (status, paths) per file.
pub(crate) struct Commit {
    pub id: String,
    pub date: When,
    pub subject: String,
    pub files: Vec<(char, Vec<String>)>,
}

/// Every commit that touched the content folders `dirs`, newest first.
pub(crate) fn log(root: &Path, dirs: &[String]) -> Option<Vec<Commit>> {
    let mut args = vec![
        "log",
        "--relative",
        "-M",
        "--name-status",
        // A `History:` trailer, when the commit has one, says what changed for readers.
        "--format=%x1e%H%x1f%aI%x1f%s%x1f%(trailers:key=History,valueonly,separator=%x20)",
        "--",
    ];
    args.extend(dirs.iter().map(String::as_str));
    let text = git(root, &args)?;
    let mut commits = Vec::new();
    for record in text.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let mut fields = lines.next().unwrap_or("").split('\u{1f}');
        let (Some(id), Some(date), Some(subject)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let trailer = fields.next().map(str::trim).unwrap_or("");
        let subject = if trailer.is_empty() {
            readable_subject(subject)
        } else {
            trailer
        };
        let Some(date) = When::parse(date) else {
            continue;
        };
        let files = lines
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| {
                let mut parts = l.split('\t');
                let status = parts.next()?.chars().next()?;
                Some((status, parts.map(str::to_string).collect()))
            })
            .collect();
        commits.push(Commit {
            id: id.to_string(),
            date,
            subject: subject.to_string(),
            files,
        });
    }
    Some(commits)
}

fn read(root: &Path, dirs: &[String], files: &[String], digest: Digest) -> Option<Revisions> {
    let commits = log(root, dirs)?;
    // Newest first, following each file back through renames.
    let mut wanted: Vec<(String, usize, String)> = Vec::new();
    for file in files {
        let mut name = file.clone();
        for (i, c) in commits.iter().enumerate() {
            let Some((status, paths)) = c.files.iter().find(|(_, p)| p.last() == Some(&name))
            else {
                continue;
            };
            if *status == 'D' {
                break;
            }
            wanted.push((file.clone(), i, name.clone()));
            match (status, paths.first()) {
                ('R', Some(old)) => name = old.clone(),
                ('A', _) => break,
                _ => {}
            }
        }
    }
    let texts = cat(
        root,
        wanted
            .iter()
            .map(|(_, i, name)| format!("{}:./{name}", commits[*i].id)),
    )?;
    let mut out: HashMap<String, Vec<Revision>> = HashMap::new();
    for ((file, i, _), text) in wanted.into_iter().zip(texts) {
        let Some(text) = text else { continue };
        let c = &commits[i];
        out.entry(file).or_default().push(Revision {
            commit: c.id.clone(),
            date: c.date,
            subject: c.subject.clone(),
            rules: digest(&text),
        });
    }
    Some(
        out.into_iter()
            .map(|(file, mut revs)| {
                revs.reverse();
                (file, revs.into())
            })
            .collect(),
    )
}

/// A commit subject as history: without a leading `path:` or `scope:`
/// (`rules/group-rules.md: add rule 8` → `add rule 8`).
fn readable_subject(subject: &str) -> &str {
    match subject.split_once(": ") {
        Some((scope, rest))
            if !rest.trim().is_empty()
                && !scope.is_empty()
                && scope
                    .chars()
                    .all(|c| c.is_alphanumeric() || "/._-()".contains(c)) =>
        {
            rest.trim()
        }
        _ => subject,
    }
}

/// The text of each `commit:path`, through one `git cat-file --batch`.
fn cat(root: &Path, objects: impl Iterator<Item = String>) -> Option<Vec<Option<String>>> {
    let objects: Vec<String> = objects.collect();
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdin = child.stdin.take()?;
    let input = objects.join("\n") + "\n";
    // Written from a thread so a large answer cannot fill the pipe while we write.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let mut reader = BufReader::new(child.stdout.take()?);
    let mut out = Vec::with_capacity(objects.len());
    for _ in &objects {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            break;
        }
        // `<id> blob <size>`, or `<name> missing` for a path not in that commit.
        let parts: Vec<&str> = header.split_whitespace().collect();
        let size = match parts.as_slice() {
            [_, "blob", size] => size.parse::<usize>().ok()?,
            _ => {
                out.push(None);
                continue;
            }
        };
        let mut body = vec![0; size + 1];
        reader.read_exact(&mut body).ok()?;
        body.pop();
        out.push(String::from_utf8(body).ok());
    }
    let _ = writer.join();
    let _ = child.wait();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::readable_subject;

    #[test]
    fn subjects_lose_their_path_prefix() {
        assert_eq!(
            readable_subject("content/rules/group-rules.md: add rule 8"),
            "add rule 8"
        );
        assert_eq!(readable_subject("rules: tighten rule 4"), "tighten rule 4");
        assert_eq!(
            readable_subject("Add rule 8: privacy"),
            "Add rule 8: privacy"
        );
        assert_eq!(readable_subject("群规：第 8 条"), "群规：第 8 条");
    }
}
