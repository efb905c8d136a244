//! Folding Traditional Chinese characters to Simplified, one character at a
//! time, with OpenCC's `t2s` conversion (through `ferrous-opencc`).
//!
//! The table is made once per process by converting every CJK ideograph on
//! its own (so phrase rules, which need context, never apply): the same
//! character always folds the same way, in the index and in a query.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::tokenize::is_cjk;

/// Traditional → Simplified, for the characters that differ.
pub(crate) struct Fold {
    map: FxHashMap<char, char>,
    /// The same for U+3400..=U+9FFF, by offset: most CJK text is there, and
    /// indexing looks up every character.
    dense: Vec<char>,
    /// The tokenizer's table of the Basic Multilingual Plane, made from
    /// this fold on first use (see `tokenize::simple_table`).
    pub(super) simple: OnceLock<Vec<u32>>,
}

const DENSE: std::ops::RangeInclusive<u32> = 0x3400..=0x9FFF;

impl Fold {
    /// OpenCC's table, made on first use.
    pub(crate) fn opencc() -> &'static Fold {
        static FOLD: OnceLock<Fold> = OnceLock::new();
        FOLD.get_or_init(Fold::build)
    }

    fn build() -> Fold {
        let Ok(cc) =
            ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        else {
            // The table is compiled into the crate; without it nothing folds.
            return Fold::from_map(FxHashMap::default());
        };
        let chars: Vec<char> = (0x3400u32..=0x9FFF)
            .chain(0xF900..=0xFAFF)
            .chain(0x20000..=0x2FA1F)
            .filter_map(char::from_u32)
            .filter(|&c| is_cjk(c))
            .collect();
        let mut text = String::with_capacity(chars.len() * 4);
        for c in &chars {
            text.push(*c);
            text.push('\n');
        }
        let converted = cc.convert(&text);
        let mut map = FxHashMap::default();
        for (from, to) in chars.iter().zip(converted.split('\n')) {
            let mut it = to.chars();
            if let (Some(t), None) = (it.next(), it.next())
                && t != *from
            {
                map.insert(*from, t);
            }
        }
        Fold::from_map(map)
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
            simple: OnceLock::new(),
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
