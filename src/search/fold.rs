//! Folding Traditional Chinese characters to Simplified, one character at a
//! time, with OpenCC's `t2s` conversion (through `ferrous-opencc`).
//!
//! The table is made when almanac is compiled (see `build.rs`) by
//! converting every CJK ideograph on its own (so phrase rules, which need
//! context, never apply): the same character always folds the same way, in
//! the index and in a query.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

/// Traditional → Simplified, for the characters that differ.
pub(crate) struct Fold {
    map: FxHashMap<char, char>,
    /// The same for U+3400..=U+9FFF, by offset: most CJK text is there, and
    /// indexing looks up every character.
    dense: Vec<char>,
    /// The tokenizer's table of the Basic Multilingual Plane, made from
    /// this fold as characters are met.
    pub(super) simple: super::tokenize::Simple,
}

const DENSE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

/// Each character OpenCC's `t2s` changes, and what to.
const T2S: &[(char, char)] = include!(concat!(env!("OUT_DIR"), "/t2s.rs"));

impl Fold {
    /// OpenCC's table, made on first use.
    pub(crate) fn opencc() -> &'static Fold {
        static FOLD: OnceLock<Fold> = OnceLock::new();
        FOLD.get_or_init(Fold::build)
    }

    fn build() -> Fold {
        Fold::from_map(T2S.iter().copied().collect())
    }

    fn from_map(map: FxHashMap<char, char>) -> Fold {
        let dense = DENSE
            .map(|u| {
                let c = char::from_u32(u).unwrap_or('\0');
                map.get(&c).copied().unwrap_or(c)
            })
            .collect();
        Fold {
            map,
            dense,
            simple: Default::default(),
        }
    }

    /// `c` folded.
    pub(crate) fn char(&self, c: char) -> char {
        let u = c as u32;
        if u < *DENSE.start() {
            return c;
        }
        if u <= *DENSE.end() {
            return self.dense[(u - DENSE.start()) as usize];
        }
        self.map.get(&c).copied().unwrap_or(c)
    }

    /// Every pair whose Simplified side `wanted` says yes to, for the
    /// browser: a site's index ships only what its own text needs.
    pub(crate) fn pairs_for(&self, wanted: impl Fn(char) -> bool) -> Vec<(char, char)> {
        let mut pairs: Vec<(char, char)> = self
            .map
            .iter()
            .filter(|(_, to)| wanted(**to))
            .map(|(from, to)| (*from, *to))
            .collect();
        pairs.sort_unstable();
        pairs
    }
}
