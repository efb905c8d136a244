//! Rules history: the `[[history]]` entries a page declares and, with
//! `rules.history_from_git`, the file's revisions (read by LOAD) with the
//! rules added, removed or reworded in each.

use serde::Serialize;

use super::view::{DateView, HistoryView};
use crate::link::Page;
use crate::load::Revision;

/// How one rule changed between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct RuleChange {
    /// `added`, `removed` or `reworded`.
    pub kind: &'static str,
    /// Rule number in the newer revision (in the older one for `removed`).
    pub number: usize,
    /// Text before, for `removed` and `reworded`.
    pub old: Option<String>,
    /// Text after, for `added` and `reworded`.
    pub new: Option<String>,
    /// For `reworded`: the text as runs kept, deleted and inserted.
    pub diff: Vec<DiffRun>,
}

/// A run of text in a rewording: `equal`, `delete` or `insert`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DiffRun {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    /// The text.
    pub text: String,
}

/// How `old` became `new`, by words, or by characters for CJK text (which has no spaces).
fn inline_diff(old: &str, new: &str) -> Vec<DiffRun> {
    use similar::{ChangeTag, TextDiff};
    let cjk = old.chars().chain(new.chars()).any(crate::slug::is_cjk);
    let diff = if cjk {
        TextDiff::from_chars(old, new)
    } else {
        TextDiff::from_words(old, new)
    };
    let mut runs: Vec<DiffRun> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match runs.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => runs.push(DiffRun {
                op,
                text: change.value().to_string(),
            }),
        }
    }
    runs
}

/// The history of a rules page, newest first: its `[[history]]` entries
/// and the revisions from git that LOAD read for it.
pub(crate) fn of_page(page: &Page, dates: Option<&str>) -> Vec<HistoryView> {
    let mut out: Vec<HistoryView> = page
        .doc
        .front
        .history
        .iter()
        .map(|h| HistoryView {
            date: DateView::new(&h.date, dates),
            instant: h.date.instant(),
            version: h.version.clone(),
            summary: h.summary.clone(),
            changes: Vec::new(),
            source: "front",
        })
        .collect();
    let declared = !page.doc.front.history.is_empty();
    out.extend(git_history(&page.history, declared, dates));
    out.sort_by(|a, b| {
        b.instant
            .cmp(&a.instant)
            .then_with(|| a.source.cmp(b.source))
    });
    out
}

/// The revisions that changed a rule; and the first revision (when the
/// rules were adopted) unless the page declares its own history.
fn git_history(revisions: &[Revision], declared: bool, dates: Option<&str>) -> Vec<HistoryView> {
    let mut out = Vec::with_capacity(revisions.len());
    let mut previous: Option<&[String]> = None;
    for rev in revisions {
        // The first revision adds every rule; listing them all says nothing.
        let changes = previous.map(|p| diff(p, &rev.rules)).unwrap_or_default();
        // A revision that changed no rule (a typo in the intro, front matter) is not a rule change.
        let keep = if previous.is_none() {
            !declared
        } else {
            !changes.is_empty()
        };
        if keep {
            out.push(HistoryView {
                date: DateView::new(&rev.date, dates),
                instant: rev.date.instant(),
                version: None,
                summary: rev.subject.clone(),
                changes,
                source: "git",
            });
        }
        previous = Some(&rev.rules);
    }
    out
}

/// Rules added, removed and reworded between two lists of rule texts.
/// A replaced run pairs old and new rules one to one as rewordings; the
/// rest of the longer side are additions or removals.
pub(crate) fn diff(old: &[String], new: &[String]) -> Vec<RuleChange> {
    use similar::{Algorithm, DiffTag, capture_diff_slices};
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, old, new) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let paired = o.len().min(n.len());
        for k in 0..paired {
            out.push(RuleChange {
                kind: "reworded",
                number: n.start + k + 1,
                old: Some(old[o.start + k].clone()),
                new: Some(new[n.start + k].clone()),
                diff: inline_diff(&old[o.start + k], &new[n.start + k]),
            });
        }
        for (k, text) in old[o.start + paired..o.end].iter().enumerate() {
            out.push(RuleChange {
                kind: "removed",
                number: o.start + paired + k + 1,
                old: Some(text.clone()),
                new: None,
                diff: Vec::new(),
            });
        }
        for (k, text) in new[n.start + paired..n.end].iter().enumerate() {
            out.push(RuleChange {
                kind: "added",
                number: n.start + paired + k + 1,
                old: None,
                new: Some(text.clone()),
                diff: Vec::new(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn chinese_rewording_diffs_by_character() {
        let d = inline_diff("转发前请确认来源。", "转发前请确认来源，并注明出处。");
        assert_eq!(
            d[0],
            DiffRun {
                op: "equal",
                text: "转发前请确认来源".into()
            }
        );
        assert_eq!(
            d[1],
            DiffRun {
                op: "insert",
                text: "，并注明出处".into()
            }
        );
        assert_eq!(
            d[2],
            DiffRun {
                op: "equal",
                text: "。".into()
            }
        );
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn diff_classifies_changes() {
        let old = s(&["Be kind.", "No spam.", "No ads."]);
        let new = s(&[
            "Be kind.",
            "No spam or self-promotion.",
            "No ads.",
            "Use threads.",
        ]);
        let d = diff(&old, &new);
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].kind, "reworded");
        assert_eq!(d[0].number, 2);
        assert_eq!(
            d[0].diff,
            vec![
                DiffRun {
                    op: "equal",
                    text: "No ".into()
                },
                DiffRun {
                    op: "delete",
                    text: "spam.".into()
                },
                DiffRun {
                    op: "insert",
                    text: "spam or self-promotion.".into()
                },
            ]
        );
        assert_eq!(d[1].kind, "added");
        assert_eq!(d[1].number, 4);
        let d = diff(&new, &old);
        assert!(d.iter().any(|c| c.kind == "removed" && c.number == 4));
    }
}
