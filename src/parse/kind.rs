//! Section kinds and listing order.

use serde::Deserialize;

/// Section kinds: how a section's pages are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain page.
    Page,
    /// A step-by-step procedure.
    Playbook,
    /// A rules page with anchors and history.
    Rules,
    /// Questions and answers.
    Faq,
    /// An event with a time and a place.
    Event,
}

impl Kind {
    /// The kind a folder name implies: `playbooks` → playbook, and so on.
    pub fn from_folder(name: &str) -> Option<Kind> {
        match name {
            "playbooks" => Some(Kind::Playbook),
            "rules" => Some(Kind::Rules),
            "faq" => Some(Kind::Faq),
            "events" => Some(Kind::Event),
            _ => None,
        }
    }

    /// The kind of the folder `dir` (relative to `content/`): its `_index.md`'s
    /// `kind`, else, for a top-level folder, the kind its name implies, else
    /// its parent's. Like Hugo's type, the name counts only at the top, so
    /// `playbooks/events/` holds playbooks, not events.
    pub fn of_folder(dir: &str, explicit: Option<Kind>, parent: Option<Kind>) -> Kind {
        let top_level = !dir.is_empty() && !dir.contains('/');
        explicit
            .or_else(|| {
                if top_level {
                    Kind::from_folder(dir)
                } else {
                    None
                }
            })
            .or(parent)
            .unwrap_or(Kind::Page)
    }

    /// Lowercase name, as used for template names.
    pub fn name(&self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Playbook => "playbook",
            Kind::Rules => "rules",
            Kind::Faq => "faq",
            Kind::Event => "event",
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// By `weight`, then title.
    Weight,
    /// Newest first.
    Date,
    /// Alphabetically.
    Title,
}
