//! Front matter: TOML between `+++` lines or YAML between `---` lines.
//!
//! Parsed strictly into [`FrontMatter`]; errors point at the file, line and
//! column of the problem. Keys almanac does not know are an error unless
//! `front_matter.unknown_keys` says to warn or to keep them under `extra`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::date::{DateInput, When};
use super::kind::{Kind, SortBy};
use crate::config::UnknownKeys;
use crate::diagnostic::{Diagnostic, LineIndex, Location};
use crate::load::SourceFile;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    date: DateInput,
    #[serde(default)]
    version: Option<String>,
    summary: String,
}

/// Every key a page or section may set.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFront {
    title: Option<String>,
    description: Option<String>,
    date: Option<DateInput>,
    updated: Option<DateInput>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    draft: bool,
    slug: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    weight: Option<i64>,
    template: Option<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    kind: Option<Kind>,
    sort_by: Option<SortBy>,
    paginate_by: Option<usize>,
    duration: Option<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    prerequisites: Vec<String>,
    effective: Option<DateInput>,
    version: Option<String>,
    #[serde(default)]
    history: Vec<RawHistory>,
    start: Option<DateInput>,
    end: Option<DateInput>,
    location: Option<String>,
    online: Option<String>,
    #[serde(default)]
    organizers: Vec<String>,
    #[serde(default)]
    recap: bool,
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "tags",
    "draft",
    "slug",
    "aliases",
    "weight",
    "template",
    "extra",
    "kind",
    "sort_by",
    "paginate_by",
    "duration",
    "roles",
    "prerequisites",
    "effective",
    "version",
    "history",
    "start",
    "end",
    "location",
    "online",
    "organizers",
    "recap",
];

/// One `[[history]]` entry of a rules page.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryEntry {
    /// When the change took effect.
    pub date: When,
    /// Version after the change.
    pub version: Option<String>,
    /// What changed.
    pub summary: String,
}

/// A page's or section's front matter, typed and validated.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `date`.
    pub date: Option<When>,
    /// `updated`.
    pub updated: Option<When>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `draft`.
    pub draft: bool,
    /// `slug`.
    pub slug: Option<String>,
    /// `aliases`: old URLs that redirect here.
    pub aliases: Vec<String>,
    /// `weight`: lower comes first.
    pub weight: Option<i64>,
    /// `template`: a template name overriding the kind's.
    pub template: Option<String>,
    /// `extra`: free for templates.
    pub extra: serde_json::Map<String, serde_json::Value>,
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
    pub key_lines: BTreeMap<String, usize>,
}

impl FrontMatter {
    /// Where `key` is written in `path`, or the top of the file.
    pub fn locate(&self, path: &str, key: &str) -> Location {
        Location {
            path: path.to_string(),
            line: self.key_lines.get(key).copied().unwrap_or(1),
            col: 1,
        }
    }
}

/// A source split into front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
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
pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
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
pub fn parse(
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
    let raw = match unknown {
        UnknownKeys::Error => strict(split, &at)?,
        _ => lenient(split, unknown, &at, &key_lines, warnings)?,
    };
    let mut fm = convert(raw, &at.path, &key_lines)?;
    fm.key_lines = key_lines;
    Ok(fm)
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

    fn line(&self, line: usize, col: usize) -> Location {
        Location {
            path: self.path.clone(),
            line: self.fm_line + line.max(1) - 1,
            col,
        }
    }

    fn toml(&self, e: &toml::de::Error) -> Diagnostic {
        front_error(e.message(), self.offset(e.span().map_or(0, |s| s.start)))
    }

    fn yaml(&self, e: &serde_norway::Error) -> Diagnostic {
        let loc = e
            .location()
            .map_or_else(|| self.line(1, 1), |l| self.line(l.line(), l.column()));
        let msg = e.to_string();
        front_error(msg.split(" at line ").next().unwrap_or(&msg), loc)
    }
}

/// Typed parsing straight from the text: every error, unknown keys included, is located.
fn strict(split: &Split<'_>, at: &Locator<'_>) -> Result<RawFront, Diagnostic> {
    if split.yaml {
        serde_norway::from_str(split.front).map_err(|e| at.yaml(&e))
    } else {
        toml::from_str(split.front).map_err(|e| at.toml(&e))
    }
}

/// Parsing that drops unknown keys with a warning, or moves them under `extra`.
fn lenient(
    split: &Split<'_>,
    unknown: UnknownKeys,
    at: &Locator<'_>,
    key_lines: &BTreeMap<String, usize>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<RawFront, Diagnostic> {
    let mut value: serde_json::Map<String, serde_json::Value> = if split.yaml {
        match serde_norway::from_str(split.front).map_err(|e| at.yaml(&e))? {
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
        toml::from_str(split.front).map_err(|e| at.toml(&e))?
    };
    let unknown_keys: Vec<String> = value
        .keys()
        .filter(|k| !KNOWN_KEYS.contains(&k.as_str()))
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
    let mut raw: RawFront = serde_json::from_value(serde_json::Value::Object(value))
        .map_err(|e| front_error(&e.to_string(), at.line(1, 1)))?;
    for (k, v) in moved {
        raw.extra.entry(k).or_insert(v);
    }
    Ok(raw)
}

fn front_error(message: &str, loc: Location) -> Diagnostic {
    // serde names our internal types; say what the user wrote instead.
    let message = message
        .trim()
        .replace("struct RawFront", "a table of keys")
        .replace(
            "struct RawHistory",
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

/// Line numbers of top-level keys, found by their position at a line start.
fn key_lines(front: &str, yaml: bool, first_line: usize) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    let sep = if yaml { ':' } else { '=' };
    for (i, line) in front.lines().enumerate() {
        let key_line = first_line + i;
        if let Some(table) = line.strip_prefix("[[").and_then(|l| l.split("]]").next()) {
            out.entry(table.trim().to_string()).or_insert(key_line);
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            continue;
        }
        if let Some((key, _)) = line.split_once(sep) {
            let key = key.trim().trim_matches('"');
            if !key.is_empty() && !key.contains(' ') {
                out.entry(key.to_string()).or_insert(key_line);
            }
        }
    }
    out
}

fn convert(
    raw: RawFront,
    path: &str,
    lines: &BTreeMap<String, usize>,
) -> Result<FrontMatter, Diagnostic> {
    let date = |key: &str, v: Option<DateInput>| -> Result<Option<When>, Diagnostic> {
        let Some(v) = v else { return Ok(None) };
        let text = v.text();
        When::parse(&text).map(Some).ok_or_else(|| {
            let line = lines.get(key).copied().unwrap_or(1);
            Diagnostic::error(format!("`{key}` is not a date: `{text}`"))
                .at(Location {
                    path: path.to_string(),
                    line,
                    col: 1,
                })
                .help("write 2026-05-01, or 2026-05-01T19:00:00+08:00 with a time")
        })
    };
    let mut history = Vec::with_capacity(raw.history.len());
    for h in raw.history {
        history.push(HistoryEntry {
            date: date("history", Some(h.date))?.expect("some in, some out"),
            version: h.version,
            summary: h.summary,
        });
    }
    Ok(FrontMatter {
        title: raw.title.filter(|t| !t.trim().is_empty()),
        description: raw.description,
        date: date("date", raw.date)?,
        updated: date("updated", raw.updated)?,
        tags: raw.tags,
        draft: raw.draft,
        slug: raw.slug,
        aliases: raw.aliases,
        weight: raw.weight,
        template: raw.template,
        extra: raw.extra,
        kind: raw.kind,
        sort_by: raw.sort_by,
        paginate_by: raw.paginate_by,
        duration: raw.duration,
        roles: raw.roles,
        prerequisites: raw.prerequisites,
        effective: date("effective", raw.effective)?,
        version: raw.version,
        history,
        start: date("start", raw.start)?,
        end: date("end", raw.end)?,
        location: raw.location,
        online: raw.online,
        organizers: raw.organizers,
        recap: raw.recap,
        key_lines: BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> SourceFile {
        SourceFile {
            path: crate::load::SourcePath { rel: "a.md".into() },
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
            "+++\ntitle = \"x\"\nauthor = \"me\"\n+++\n",
            UnknownKeys::Error,
        );
        let d = r.unwrap_err();
        assert!(d.message.contains("author"), "{d}");
        assert_eq!(d.location.unwrap().line, 3);
        let (r, _) = parse_text("---\ntitle: x\n\nauthor: me\n---\n", UnknownKeys::Error);
        let d = r.unwrap_err();
        assert!(d.message.contains("author"), "{d}");
        assert_eq!(d.location.unwrap().line, 4);
    }

    #[test]
    fn unknown_keys_warn_or_extra() {
        let text = "+++\ntitle = \"x\"\nauthor = \"me\"\n+++\n";
        let (r, w) = parse_text(text, UnknownKeys::Warn);
        assert!(r.unwrap().extra.is_empty());
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].location.as_ref().unwrap().line, 3);
        let (r, w) = parse_text(text, UnknownKeys::Extra);
        assert_eq!(r.unwrap().extra["author"], "me");
        assert!(w.is_empty());
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
