//! `almanac new --translate` and `almanac translated`: the commands that
//! record which version of its original a translation was made from.
//!
//! A translation keeps the original's fingerprint (see
//! [`crate::parse::Document::fingerprint`]) in `translated_from`; LINK
//! compares it with the original's current one to tell a stale translation.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{self, SiteConfig};
use crate::diagnostic::{Diagnostic, Diagnostics, Error, Result};
use crate::load::{self, SourceFile, SourcePath};
use crate::parse::{self, ParseCache};

/// The front matter key a translation records its original's fingerprint in.
const KEY: &str = "translated_from";

/// Where a file is in the site: its source path, from a path relative to
/// the site root, the working folder, or absolute.
fn locate(config: &SiteConfig, file: &Path) -> Result<(SourcePath, PathBuf)> {
    let candidates = [config.root.join(file), file.to_path_buf()];
    let path = candidates
        .iter()
        .find(|p| p.is_file())
        .and_then(|p| p.canonicalize().ok())
        .ok_or_else(|| {
            Error::Config(
                Diagnostic::error(format!("no file {}", file.display()))
                    .help("name a Markdown file of the site, e.g. content/rules/code.en.md"),
            )
        })?;
    for (lang, folder, dir) in load::content_dirs(config)?.into_iter().rev() {
        let Ok(dir) = dir.canonicalize() else {
            continue;
        };
        if let Ok(rel) = path.strip_prefix(&dir) {
            let rel = load::rel_path(Path::new(""), rel);
            return Ok((load::source_path(config, lang, &folder, &rel), path));
        }
    }
    Err(Error::Config(
        Diagnostic::error(format!("{} is not in a content folder", file.display())).help(
            "translations live beside their original (x.en.md) or in the language's content folder",
        ),
    ))
}

/// The original of a translation: the default language's file at the same path.
fn original_of(config: &SiteConfig, sp: &SourcePath) -> Result<(SourcePath, PathBuf)> {
    let dirs = load::content_dirs(config)?;
    let main = dirs.iter().find(|(l, _, _)| *l == 0);
    let found = main.map(|(_, folder, dir)| {
        (
            load::source_path(config, 0, folder, &sp.rel),
            dir.join(&sp.rel),
        )
    });
    match found {
        Some((osp, path)) if path.is_file() => Ok((osp, path)),
        _ => Err(Error::Config(
            Diagnostic::error(format!("{} has no original", sp.file)).help(format!(
                "the {} original would be content/{}",
                config.languages[0].code, sp.rel
            )),
        )),
    }
}

/// The fingerprint of a file as the build computes it.
fn fingerprint(config: &SiteConfig, sp: SourcePath, path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    let mut diags = Diagnostics::default();
    let src = SourceFile {
        path: sp,
        text: Arc::from(text),
    };
    let docs = parse::documents(vec![src], config, &mut ParseCache::default(), &mut diags);
    diags.finish()?;
    docs.first()
        .map(|d| d.fingerprint.clone())
        .ok_or_else(|| Error::Config(Diagnostic::error("the original did not parse")))
}

/// `text` with `translated_from` set to `fp` in its front matter, which is
/// added when the file has none.
fn with_fingerprint(text: &str, fp: &str) -> std::result::Result<String, String> {
    let split = parse::front_matter::split(text).map_err(|(_, msg)| msg)?;
    let (line, start, end) = if split.yaml {
        (format!("{KEY}: \"{fp}\""), "---", "---")
    } else {
        (format!("{KEY} = \"{fp}\""), "+++", "+++")
    };
    if split.front_offset == 0 {
        return Ok(format!("{start}\n{line}\n{end}\n\n{text}"));
    }
    let front = split.front;
    let mut lines: Vec<String> = front.lines().map(str::to_string).collect();
    let key_at = lines.iter().position(|l| {
        let l = l.trim_start();
        l.starts_with(KEY) && l[KEY.len()..].trim_start().starts_with(['=', ':'])
    });
    match key_at {
        Some(i) => lines[i] = line,
        None => {
            // Before the first table (`[extra]`, `[[history]]`): a key after
            // one would belong to it.
            let at = lines
                .iter()
                .position(|l| !split.yaml && l.trim_start().starts_with('['))
                .unwrap_or(lines.len());
            lines.insert(at, line);
        }
    }
    let mut out = String::with_capacity(text.len() + 40);
    out.push_str(&text[..split.front_offset]);
    out.push_str(&lines.join("\n"));
    out.push('\n');
    out.push_str(text[split.front_offset + front.len()..].trim_start_matches(['\r', '\n']));
    Ok(out)
}

/// Writes through a temporary file beside it, so an interrupted write leaves the old file.
fn write(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, text).map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
}

/// Marks each translation current: records its original's fingerprint.
/// Returns the files changed.
pub(crate) fn mark_current(root: &Path, files: &[PathBuf]) -> Result<Vec<String>> {
    let config = config::load(root, None)?;
    let mut done = Vec::new();
    for file in files {
        let (sp, path) = locate(&config, file)?;
        if sp.lang == 0 {
            return Err(Error::Config(
                Diagnostic::error(format!("{} is not a translation", sp.file)).help(format!(
                    "it is in the default language ({}); name a translation such as {}",
                    config.languages[0].code,
                    sp.rel.replace(".md", ".en.md")
                )),
            ));
        }
        let (osp, opath) = original_of(&config, &sp)?;
        let fp = fingerprint(&config, osp, &opath)?;
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let new = with_fingerprint(&text, &fp)
            .map_err(|msg| Error::Config(Diagnostic::error(msg).in_file(&sp.file)))?;
        write(&path, &new)?;
        done.push(sp.file);
    }
    Ok(done)
}

/// Starts a translation of `original` into `lang`: a copy of it, to be
/// translated, that records the version it was made from. It goes in the
/// language's content folder when it has one, else beside the original
/// with the language's suffix.
pub(crate) fn start(root: &Path, original: &Path, lang: &str) -> Result<PathBuf> {
    let config = config::load(root, None)?;
    let Some(l) = config.language_of_code(lang).filter(|&l| l != 0) else {
        let codes: Vec<&str> = config.languages[1..]
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        return Err(Error::Config(
            Diagnostic::error(format!("`{lang}` is not one of the site's other languages")).help(
                if codes.is_empty() {
                    "add it under [languages] in almanac.toml".to_string()
                } else {
                    format!("the site's other languages: {}", codes.join(", "))
                },
            ),
        ));
    };
    let (sp, path) = locate(&config, original)?;
    if sp.lang != 0 {
        return Err(Error::Config(
            Diagnostic::error(format!("{} is itself a translation", sp.file))
                .help("translate the original, in the default language"),
        ));
    }
    // As the user wrote it, when it names the language in file names.
    let lower = lang.to_ascii_lowercase();
    let code = &lower;
    let folder = load::content_dirs(&config)?
        .into_iter()
        .find(|(i, _, _)| *i == l)
        .map(|(_, _, dir)| dir);
    let target = match folder {
        Some(dir) => dir.join(&sp.rel),
        None => {
            let stem = sp.rel.strip_suffix(".md").unwrap_or(&sp.rel);
            config.content_dir().join(format!("{stem}.{code}.md"))
        }
    };
    if target.exists() {
        return Err(Error::Refused(
            Diagnostic::error(format!("{} already exists", target.display()))
                .help("mark it current after updating it with `almanac translated FILE`"),
        ));
    }
    let fp = fingerprint(&config, sp, &path)?;
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let new = with_fingerprint(&text, &fp).map_err(|msg| {
        Error::Config(Diagnostic::error(msg).in_file(&original.display().to_string()))
    })?;
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    write(&target, &new)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_goes_in_the_front_matter() {
        let toml = "+++\ntitle = \"A\"\n\n[extra]\nx = 1\n+++\n\nBody\n";
        assert_eq!(
            with_fingerprint(toml, "ab").unwrap(),
            "+++\ntitle = \"A\"\n\ntranslated_from = \"ab\"\n[extra]\nx = 1\n+++\n\nBody\n"
        );
        let again = with_fingerprint(&with_fingerprint(toml, "ab").unwrap(), "cd").unwrap();
        assert!(again.contains("translated_from = \"cd\"") && !again.contains("\"ab\""));
        let yaml = "---\ntitle: A\n---\nBody\n";
        assert_eq!(
            with_fingerprint(yaml, "ab").unwrap(),
            "---\ntitle: A\ntranslated_from: \"ab\"\n---\nBody\n"
        );
        assert_eq!(
            with_fingerprint("Body\n", "ab").unwrap(),
            "+++\ntranslated_from = \"ab\"\n+++\n\nBody\n"
        );
    }
}
