//! Front matter: TOML between `+++` lines or YAML between `---` lines.
//!
//! Parsed strictly into [`FrontMatter`]; errors point at the file, line and
//! column of the problem. Keys almanac does not know are an error unless
//! `front_matter.unknown_keys` says to warn or to keep them under `extra`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::date::{NOT_A_DATE, When};
use super::kind::{Kind, SortBy};
use crate::config::UnknownKeys;
use crate::diagnostic::{Diagnostic, LineIndex, Location, key_lines, key_of};
use crate::load::SourceFile;

/// One `[[history]]` entry of a rules page.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// When the change took effect.
    pub date: When,
    /// Version after the change.
    #[serde(default)]
    pub version: Option<String>,
    /// What changed.
    pub summary: String,
}

/// A page's or section's front matter, typed and validated. Every key a
/// page or section may set is a field here and nowhere else: the list of
/// known keys is read from this struct.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`.
    pub date: Option<When>,
    /// `updated`.
    pub updated: Option<When>,
    /// `tags`: a list, or one string of words as Jekyll writes them.
    #[serde(deserialize_with = "words_or_list")]
    pub tags: Vec<String>,
    /// `author` or `authors` (one name or a list): the page's authors, for feeds.
    #[serde(alias = "author", deserialize_with = "one_or_list")]
    pub authors: Vec<String>,
    /// `draft`.
    pub draft: bool,
    /// `slug`.
    pub slug: Option<String>,
    /// `aliases` (or Jekyll's `redirect_from`): old URLs that redirect here.
    #[serde(alias = "redirect_from", deserialize_with = "one_or_list")]
    pub aliases: Vec<String>,
    /// `weight`: lower comes first.
    pub weight: Option<i64>,
    /// `template`: a template name overriding the kind's.
    pub template: Option<String>,
    /// `extra`: free for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `lang`, as many themes spell the page's language; templates read it
    /// as `extra.lang`.
    pub lang: Option<String>,
    /// `translated_from` (translations): the fingerprint of the original
    /// this translation was made from; `almanac translated` writes it.
    pub translated_from: Option<String>,
    /// `kind` (sections).
    pub kind: Option<Kind>,
    /// `sort_by` (sections).
    pub sort_by: Option<SortBy>,
    /// `paginate_by` (sections): pages per listing page, 0 for all on one.
    pub paginate_by: Option<usize>,
    /// `duration` (playbooks).
    pub duration: Option<String>,
    /// `roles` (playbooks).
    pub roles: Vec<String>,
    /// `prerequisites` (playbooks): text, Markdown links allowed.
    pub prerequisites: Vec<String>,
    /// `effective` (rules).
    pub effective: Option<When>,
    /// `version` (rules).
    pub version: Option<String>,
    /// `[[history]]` (rules), as written.
    pub history: Vec<HistoryEntry>,
    /// `start` (events).
    pub start: Option<When>,
    /// `end` (events).
    pub end: Option<When>,
    /// `location` (events).
    pub location: Option<String>,
    /// `online` (events): a URL.
    pub online: Option<String>,
    /// `organizers` (events).
    pub organizers: Vec<String>,
    /// `recap` (events): the body is a write-up of a past event.
    pub recap: bool,
    /// Line of each top-level key in the file, for later diagnostics.
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// Where `key` is written in `path`, or the top of the file.
    pub fn locate(&self, path: &str, key: &str) -> Location {
        Location {
            path: path.to_string(),
            line: self
                .key_lines
                .get(key)
                .or_else(|| {
                    (key == "aliases")
                        .then(|| self.key_lines.get("redirect_from"))
                        .flatten()
                })
                .copied()
                .unwrap_or(1),
            col: 1,
        }
    }

    /// Every key front matter may set, as written in files.
    pub fn known_keys() -> &'static [&'static str] {
        serde_aux::serde_introspection::serde_introspect::<FrontMatter>()
    }
}

/// The date of `2023-03-01-meetup.md`, as Jekyll names posts.
fn date_prefix(rel: &str) -> Option<When> {
    let name = rel.rsplit('/').next()?;
    let mut parts = name.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    parts.next()?;
    let numeric = |s: &str, len: std::ops::RangeInclusive<usize>| {
        len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(numeric(y, 4..=4) && numeric(m, 1..=2) && numeric(d, 1..=2)) {
        return None;
    }
    When::parse(&format!("{y}-{m}-{d}"))
}

#[derive(Deserialize)]
#[serde(untagged, expecting = "expected a string or a list of strings")]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// `tags = "a b"` is two tags, as Jekyll splits them; `""` is none.
fn words_or_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => s.split_whitespace().map(str::to_string).collect(),
        OneOrMany::Many(v) => v,
    })
}

/// One string is a list of one.
fn one_or_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// A source split into front matter and body.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The front matter text, without delimiters.
    pub front: &'a str,
    /// Byte offset of `front` in the file.
    pub front_offset: usize,
    /// Whether the front matter is YAML.
    pub yaml: bool,
    /// The Markdown body.
    pub body: &'a str,
    /// Byte offset of `body` in the file.
    pub body_offset: usize,
}

/// Splits `text` at its front matter delimiters; a file without front matter is all body.
pub(crate) fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let (delim, yaml) = if rest.starts_with("+++") {
        ("+++", false)
    } else if rest.starts_with("---") {
        ("---", true)
    } else {
        return Ok(Split {
            front: "",
            front_offset: 0,
            yaml: false,
            body: rest,
            body_offset: bom,
        });
    };
    let Some(first_nl) = rest.find('\n') else {
        return Err((
            bom,
            format!("front matter opened with `{delim}` is never closed"),
        ));
    };
    if rest[..first_nl].trim_end() != delim {
        return Ok(Split {
            front: "",
            front_offset: 0,
            yaml: false,
            body: rest,
            body_offset: bom,
        });
    }
    let front_start = first_nl + 1;
    let mut pos = front_start;
    while pos <= rest.len() {
        let end = rest[pos..].find('\n').map_or(rest.len(), |i| pos + i);
        let line = rest[pos..end].trim_end();
        if line == delim || (yaml && line == "...") {
            let body_start = (end + 1).min(rest.len());
            return Ok(Split {
                front: &rest[front_start..pos],
                front_offset: bom + front_start,
                yaml,
                body: &rest[body_start..],
                body_offset: bom + body_start,
            });
        }
        pos = end + 1;
    }
    Err((
        bom,
        format!("front matter opened with `{delim}` is never closed"),
    ))
}

/// Parses the front matter of `source`. Warnings (dropped keys) go to `warnings`.
pub(crate) fn parse(
    source: &SourceFile,
    split: &Split<'_>,
    unknown: UnknownKeys,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    let index = LineIndex::new(&source.text);
    let fm_line = index.line_col(&source.text, split.front_offset).0;
    let at = Locator {
        path: source.path.display_path(),
        index,
        text: &source.text,
        split,
        fm_line,
    };
    let key_lines = key_lines(split.front, split.yaml, fm_line);
    let parsed = match unknown {
        UnknownKeys::Error => strict(split, &at, &key_lines),
        _ => lenient(split, unknown, &at, &key_lines, warnings),
    };
    let mut fm = parsed.map_err(|d| at_duplicate(d, split, fm_line, &at.path))?;
    fm.title = fm.title.filter(|t| !t.trim().is_empty());
    if let Some(lang) = &fm.lang {
        fm.extra
            .entry("lang")
            .or_insert_with(|| serde_json::Value::String(lang.clone()));
    }
    if fm.date.is_none() {
        fm.date = date_prefix(&source.path.rel);
    }
    fm.key_lines = key_lines;
    Ok(fm)
}

/// A key written twice is reported where it is written the second time
/// (the parser points at the mapping); other errors as they are.
fn at_duplicate(d: Diagnostic, split: &Split<'_>, fm_line: usize, path: &str) -> Diagnostic {
    let Some(key) = d
        .message
        .split("duplicate field `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string)
    else {
        return d;
    };
    let key = key.as_str();
    let second = split
        .front
        .lines()
        .enumerate()
        .filter(|(_, l)| key_of(l, split.yaml) == Some(key))
        .nth(1);
    match second {
        Some((i, _)) => Diagnostic {
            location: Some(Location {
                path: path.to_string(),
                line: fm_line + i,
                col: 1,
            }),
            ..d
        }
        .help(format!("`{key}` is set twice; keep one")),
        None => d,
    }
}

/// Turns positions inside the front matter into locations in the file.
struct Locator<'a> {
    path: String,
    index: LineIndex,
    text: &'a str,
    split: &'a Split<'a>,
    fm_line: usize,
}

impl Locator<'_> {
    fn offset(&self, offset: usize) -> Location {
        self.index
            .locate(&self.path, self.text, self.split.front_offset + offset)
    }

    /// Line `line` of the whole file.
    fn line_of_file(&self, line: usize) -> Location {
        Location {
            path: self.path.clone(),
            line,
            col: 1,
        }
    }

    fn line(&self, line: usize, col: usize) -> Location {
        Location {
            path: self.path.clone(),
            line: self.fm_line + line.max(1) - 1,
            col,
        }
    }

    /// A TOML error at its span, naming the key at `path` when there is one.
    fn toml(&self, e: &toml::de::Error, path: Option<&KeyPath>) -> Diagnostic {
        let loc = self.offset(e.span().map_or(0, |s| s.start));
        front_error(&keyed(e.message(), path), loc)
    }

    /// A YAML error at its position, naming the key at `path` when there is one.
    fn yaml(&self, e: &serde_norway::Error, path: Option<&KeyPath>) -> Diagnostic {
        let loc = e
            .location()
            .map_or_else(|| self.line(1, 1), |l| self.line(l.line(), l.column()));
        let msg = e.to_string();
        front_error(
            &keyed(msg.split(" at line ").next().unwrap_or(&msg), path),
            loc,
        )
    }

    /// The line of the value at `path` (`history[1].date`): its top-level
    /// key's line, then the n-th `[[key]]` table or `- ` item under it, then
    /// the key inside that; the deepest part found when the rest is written
    /// inline.
    fn path_line(
        &self,
        path: &serde_path_to_error::Path,
        key_lines: &BTreeMap<String, usize>,
    ) -> usize {
        use serde_path_to_error::Segment;
        let mut segments = path.iter();
        let Some(top) = segments.next() else {
            return 1;
        };
        let Some(&top_line) = key_lines.get(&top.to_string()) else {
            return 1;
        };
        let lines: Vec<&str> = self.split.front.lines().collect();
        let yaml = self.split.yaml;
        let top_index = top_line.saturating_sub(self.fm_line);
        let mut found = top_index;
        // The lines the current value spans.
        let mut region = if yaml {
            top_index + 1..yaml_block_end(&lines, top_index + 1, lines.len(), 0)
        } else if lines.get(top_index).is_some_and(|l| l.starts_with("[[")) {
            // Every `[[key]]` table (the only tables key_lines knows); the
            // next segment picks one.
            top_index..lines.len()
        } else {
            return top_line;
        };
        for segment in segments {
            let hit = match segment {
                Segment::Seq { index } => {
                    let items = list_items(&lines, region.clone(), yaml, lines[top_index].trim());
                    items.get(*index).map(|&start| {
                        let end = items.get(index + 1).copied().unwrap_or(region.end);
                        let end = if yaml {
                            end
                        } else {
                            toml_table_end(&lines, start, end)
                        };
                        (start, start..end)
                    })
                }
                Segment::Map { key } => region.clone().find_map(|i| {
                    let line = lines[i].trim_start();
                    let (line, extra) = match line.strip_prefix("- ") {
                        Some(rest) if yaml => (rest.trim_start(), 2),
                        _ => (line, 0),
                    };
                    (key_of(line, yaml) == Some(key.as_str())).then(|| {
                        let indent = indent_of(lines[i]) + extra;
                        let end = if yaml {
                            yaml_block_end(&lines, i + 1, region.end, indent)
                        } else {
                            i + 1
                        };
                        (i, i + 1..end)
                    })
                }),
                _ => None,
            };
            let Some((line, inner)) = hit else { break };
            found = line;
            region = inner;
        }
        self.fm_line + found
    }

    /// A bad value of a known key: at the key's line, naming the key.
    fn value(
        &self,
        path: &serde_path_to_error::Path,
        message: &str,
        key_lines: &BTreeMap<String, usize>,
    ) -> Option<Diagnostic> {
        // serde_norway wraps messages in its own path and position.
        let (_, text) = message.split_once(NOT_A_DATE)?;
        let text = text.split(" at line ").next().unwrap_or(text);
        let line = self.path_line(path, key_lines);
        Some(
            Diagnostic::error(format!("`{path}` is not a date: {text}"))
                .at(Location {
                    path: self.path.clone(),
                    line,
                    col: 1,
                })
                .help("write 2026-05-01, or 2026-05-01T19:00:00+08:00 with a time"),
        )
    }
}

/// Typed parsing straight from the text: every error, unknown keys included, is located.
fn strict(
    split: &Split<'_>,
    at: &Locator<'_>,
    key_lines: &BTreeMap<String, usize>,
) -> Result<FrontMatter, Diagnostic> {
    if split.yaml {
        let de = serde_norway::Deserializer::from_str(split.front);
        serde_path_to_error::deserialize(de).map_err(|e| {
            let d = at.value(e.path(), &e.inner().to_string(), key_lines);
            d.unwrap_or_else(|| {
                let mut d = at.yaml(e.inner(), Some(e.path()));
                // Values read through a buffer (one-or-many lists) are placed
                // at the mapping they are in; the key path finds their line.
                let line = at.path_line(e.path(), key_lines);
                if line > 1 && d.location.as_ref().is_some_and(|l| l.line != line) {
                    d.location = Some(at.line_of_file(line));
                }
                d
            })
        })
    } else {
        let de = toml::de::Deserializer::parse(split.front).map_err(|e| at.toml(&e, None))?;
        serde_path_to_error::deserialize(de).map_err(|e| {
            let d = at.value(e.path(), e.inner().message(), key_lines);
            d.unwrap_or_else(|| at.toml(e.inner(), Some(e.path())))
        })
    }
}

/// Parsing that drops unknown keys with a warning, or moves them under `extra`.
fn lenient(
    split: &Split<'_>,
    unknown: UnknownKeys,
    at: &Locator<'_>,
    key_lines: &BTreeMap<String, usize>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<FrontMatter, Diagnostic> {
    let mut value: serde_json::Map<String, serde_json::Value> = if split.yaml {
        match serde_norway::from_str(split.front).map_err(|e| at.yaml(&e, None))? {
            serde_json::Value::Object(m) => m,
            serde_json::Value::Null => Default::default(),
            _ => {
                return Err(front_error(
                    "front matter must be a mapping of keys",
                    at.line(1, 1),
                ));
            }
        }
    } else {
        toml::from_str(split.front).map_err(|e| at.toml(&e, None))?
    };
    let unknown_keys: Vec<String> = value
        .keys()
        .filter(|k| !FrontMatter::known_keys().contains(&k.as_str()))
        .cloned()
        .collect();
    let mut moved = serde_json::Map::new();
    for key in unknown_keys {
        let Some(v) = value.remove(&key) else {
            continue;
        };
        if unknown == UnknownKeys::Warn {
            let line = key_lines.get(&key).copied().unwrap_or(1);
            warnings.push(
                Diagnostic::warning(format!("unknown front matter key `{key}` ignored")).at(
                    Location {
                        path: at.path.clone(),
                        line,
                        col: 1,
                    },
                ),
            );
        } else {
            moved.insert(key, v);
        }
    }
    let mut fm: FrontMatter = serde_path_to_error::deserialize(serde_json::Value::Object(value))
        .map_err(|e| {
            let message = e.inner().to_string();
            at.value(e.path(), &message, key_lines).unwrap_or_else(|| {
                // No position in a value: found again from the key path.
                let line = at.path_line(e.path(), key_lines);
                front_error(&keyed(&message, Some(e.path())), at.line_of_file(line))
            })
        })?;
    for (k, v) in moved {
        fm.extra.entry(k).or_insert(v);
    }
    Ok(fm)
}

/// A key path into front matter (`history[1].summary`).
type KeyPath = serde_path_to_error::Path;

/// `message` naming the key it is about (`history[1].summary`), in place of
/// the shorter path serde_norway writes, if any.
fn keyed(message: &str, path: Option<&KeyPath>) -> String {
    let Some(path) = path.filter(|p| p.iter().next().is_some()) else {
        return message.to_string();
    };
    let key = path.to_string();
    if key.contains('?') || message.contains("unknown field") {
        return message.to_string();
    }
    let rest = message
        .split_once(": ")
        .filter(|(head, _)| key.starts_with(head) && !head.contains(' '))
        .map_or(message, |(_, tail)| tail);
    format!("`{key}`: {rest}")
}

/// The first line of each item of the list in `region`: YAML's `- ` items
/// at the list's own indent, or TOML's `[[key]]` tables (`header`).
fn list_items(
    lines: &[&str],
    region: std::ops::Range<usize>,
    yaml: bool,
    header: &str,
) -> Vec<usize> {
    if !yaml {
        return region.filter(|&i| lines[i].trim() == header).collect();
    }
    let dash = |i: &usize| {
        let t = lines[*i].trim_start();
        t == "-" || t.starts_with("- ")
    };
    let indent = region
        .clone()
        .filter(dash)
        .map(|i| indent_of(lines[i]))
        .min();
    region
        .filter(|i| dash(i) && Some(indent_of(lines[*i])) == indent)
        .collect()
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Where a YAML value that starts at `start` ends: the first line, before
/// `end`, indented at most `indent` (a `- ` item at `indent` still belongs
/// to the key above it).
fn yaml_block_end(lines: &[&str], start: usize, end: usize, indent: usize) -> usize {
    (start..end)
        .find(|&i| {
            let t = lines[i].trim_start();
            if t.is_empty() || t.starts_with('#') {
                return false;
            }
            let at = indent_of(lines[i]);
            at < indent || (at == indent && !(t == "-" || t.starts_with("- ")))
        })
        .unwrap_or(end)
}

/// Where the TOML table whose header is at `start` ends: the next header.
fn toml_table_end(lines: &[&str], start: usize, end: usize) -> usize {
    (start + 1..end)
        .find(|&i| lines[i].trim_start().starts_with('['))
        .unwrap_or(end)
}

fn front_error(message: &str, loc: Location) -> Diagnostic {
    // serde names our internal types; say what the user wrote instead.
    let message = message
        .trim()
        .replace("struct FrontMatter", "a table of keys")
        .replace(
            "struct HistoryEntry",
            "a [[history]] entry with date and summary",
        );
    let message = message.as_str();
    let help = if message.contains("unknown field") {
        "put custom keys under `extra`, or set front_matter.unknown_keys = \"warn\" or \"extra\" in almanac.toml"
    } else {
        "front matter is TOML between +++ lines or YAML between --- lines"
    };
    Diagnostic::error(format!("invalid front matter: {message}"))
        .at(loc)
        .help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile {
            path: crate::load::SourcePath::new("a.md"),
            text: text.into(),
        }
    }

    fn parse_text(
        text: &str,
        unknown: UnknownKeys,
    ) -> (Result<FrontMatter, Diagnostic>, Vec<Diagnostic>) {
        let src = source(text);
        let sp = split(&src.text).unwrap();
        let mut w = Vec::new();
        let r = parse(&src, &sp, unknown, &mut w);
        (r, w)
    }

    #[test]
    fn toml_and_yaml_agree() {
        let t = "+++\ntitle = \"群规\"\ndate = 2026-05-01\ntags = [\"a\", \"b\"]\n+++\nbody";
        let y = "---\ntitle: 群规\ndate: 2026-05-01\ntags: [a, b]\n---\nbody";
        let (a, _) = parse_text(t, UnknownKeys::Error);
        let (b, _) = parse_text(y, UnknownKeys::Error);
        let (a, b) = (a.unwrap(), b.unwrap());
        assert_eq!(a.title.as_deref(), Some("群规"));
        assert_eq!(a.title, b.title);
        assert_eq!(a.date, b.date);
        assert_eq!(a.tags, b.tags);
    }

    #[test]
    fn unknown_key_has_line() {
        let (r, _) = parse_text(
            "+++\ntitle = \"x\"\nauthr = \"me\"\n+++\n",
            UnknownKeys::Error,
        );
        let d = r.unwrap_err();
        assert!(d.message.contains("authr"), "{d}");
        assert_eq!(d.location.unwrap().line, 3);
        let (r, _) = parse_text("---\ntitle: x\n\nauthr: me\n---\n", UnknownKeys::Error);
        let d = r.unwrap_err();
        assert!(d.message.contains("authr"), "{d}");
        assert_eq!(d.location.unwrap().line, 4);
    }

    #[test]
    fn unknown_keys_warn_or_extra() {
        let text = "+++\ntitle = \"x\"\nauthr = \"me\"\n+++\n";
        let (r, w) = parse_text(text, UnknownKeys::Warn);
        assert!(r.unwrap().extra.is_empty());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.as_ref().unwrap().line, 3);
        let (r, w) = parse_text(text, UnknownKeys::Extra);
        assert_eq!(r.unwrap().extra["authr"], "me");
        assert!(w.is_empty());
    }

    #[test]
    fn known_keys_come_from_the_struct() {
        let keys = FrontMatter::known_keys();
        for key in ["title", "paginate_by", "history", "recap", "extra"] {
            assert!(keys.contains(&key), "{key} missing from {keys:?}");
        }
        assert!(!keys.contains(&"key_lines"));
    }

    #[test]
    fn bad_dates_name_the_key_in_every_mode() {
        let cases = [
            (
                "+++\ntitle = \"x\"\ndate = \"soon\"\n+++\n",
                "`date` is not a date: `soon`",
                3,
            ),
            (
                "---\ntitle: x\n\nstart: soon\n---\n",
                "`start` is not a date: `soon`",
                4,
            ),
            (
                "+++\n[[history]]\ndate = \"later\"\nsummary = \"s\"\n+++\n",
                "`history[0].date` is not a date: `later`",
                3,
            ),
        ];
        for (text, message, line) in cases {
            for mode in [UnknownKeys::Error, UnknownKeys::Warn, UnknownKeys::Extra] {
                let d = parse_text(text, mode).0.unwrap_err();
                assert_eq!(d.message, message, "{mode:?}");
                assert_eq!(d.location.unwrap().line, line, "{text:?} {mode:?}");
            }
        }
    }

    #[test]
    fn nested_values_are_located_at_their_own_line() {
        let cases = [
            (
                "+++\ntitle = \"R\"\n\n[[history]]\ndate = 2025-01-01\nsummary = \"a\"\n\n[[history]]\nsummary = 5\ndate = 2025-02-01\n\n[extra]\nx = 1\n+++\n",
                "`history[1].summary`",
                9,
            ),
            (
                "+++\n[[history]]\nsummary = \"a\"\ndate = 2025-01-01\n[[history]]\nsummary = \"b\"\ndate = \"soon\"\n+++\n",
                "`history[1].date` is not a date",
                7,
            ),
            (
                "---\ntitle: R\nhistory:\n  - summary: a\n    date: 2025-01-01\n  - summary: b\n    version: '2'\n    date: later\nversion: '2'\n---\n",
                "`history[1].date` is not a date: `later`",
                8,
            ),
            (
                "---\ntitle: R\nhistory:\n- summary: [1]\n  date: 2025-01-01\n---\n",
                "`history[0].summary`",
                4,
            ),
            (
                "---\ntitle: R\n\ntags: 5\n---\n",
                "`tags`: expected a string or a list",
                4,
            ),
            (
                "---\ntitle: R\ndate: 12\n---\n",
                "`date` is not a date: the value is not text",
                3,
            ),
        ];
        for (text, message, line) in cases {
            for mode in [UnknownKeys::Error, UnknownKeys::Warn] {
                let d = parse_text(text, mode).0.unwrap_err();
                assert!(d.message.contains(message), "{mode:?}: {}", d.message);
                assert_eq!(d.location.unwrap().line, line, "{text:?} {mode:?}");
            }
        }
    }

    #[test]
    fn jekyll_spellings() {
        let y = "---\ntitle: x\ntags: meetup  rust\nredirect_from: /old/\n---\n";
        let fm = parse_text(y, UnknownKeys::Error).0.unwrap();
        assert_eq!(fm.tags, ["meetup", "rust"]);
        assert_eq!(fm.aliases, ["/old/"]);
        let fm = parse_text("---\ntags: \"\"\n---\n", UnknownKeys::Error)
            .0
            .unwrap();
        assert!(fm.tags.is_empty());
        let y = "---\nredirect_from: [/a/, /b/]\n---\n";
        // Known in every mode, so never moved under `extra`.
        let fm = parse_text(y, UnknownKeys::Extra).0.unwrap();
        assert_eq!(fm.aliases, ["/a/", "/b/"]);
        assert!(fm.extra.is_empty());
    }

    #[test]
    fn a_post_takes_its_date_from_its_name() {
        assert_eq!(
            date_prefix("posts/2023-3-01-meetup.md")
                .map(|w| w.rfc3339())
                .as_deref(),
            Some("2023-03-01")
        );
        assert_eq!(
            date_prefix("posts/2023-03-01.md"),
            None,
            "a name that is only a date is a title"
        );
        assert_eq!(date_prefix("posts/v1-2-3-notes.md"), None);
        let fm = parse_text("---\ntitle: x\nlang: zh-Hant\n---\n", UnknownKeys::Error)
            .0
            .unwrap();
        assert_eq!(fm.extra["lang"], "zh-Hant");
    }

    #[test]
    fn a_duplicate_key_is_located_at_its_second_line() {
        let d = parse_text(
            "---\ntitle: a\ndate: 2026-01-01\ntitle: b\n---\n",
            UnknownKeys::Error,
        )
        .0
        .unwrap_err();
        assert!(d.message.contains("duplicate field `title`"), "{d}");
        assert_eq!(d.location.unwrap().line, 4);
    }

    #[test]
    fn syntax_error_points_into_file() {
        let (r, _) = parse_text("+++\ntitle = \"x\"\ntags = [\n+++\n", UnknownKeys::Error);
        let loc = r.unwrap_err().location.unwrap();
        assert!(loc.line >= 3, "{loc}");
    }

    #[test]
    fn dates() {
        assert!(matches!(When::parse("2026-05-01"), Some(When::Day(_))));
        let w = When::parse("2026-05-01T19:00:00+08:00").unwrap();
        assert_eq!(w.utc().to_rfc3339(), "2026-05-01T11:00:00+00:00");
        assert!(When::parse("May 1").is_none());
    }

    #[test]
    fn no_front_matter() {
        let sp = split("# Hi\n").unwrap();
        assert_eq!(sp.body, "# Hi\n");
        assert!(split("+++\ntitle = 1\n").is_err());
    }
}
