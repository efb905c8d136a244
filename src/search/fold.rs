//! Folding Traditional Chinese characters to Simplified, one character at a
//! time, with OpenCC's `t2s` conversion (through `ferrous-opencc`).
//!
//! The table is made when almanac is compiled (see `build.rs`) by
//! converting every character the tokenizer calls CJK on its own (so
//! phrase rules, which need
//! context, never apply): the same character always folds the same way, in
//! the index and in a query.

use std::sync::OnceLock;

use super::tokenize::IDEOGRAPHS;

/// Traditional → Simplified, for the characters that differ.
pub(crate) struct Fold {
    /// The tokenizer's table of the Basic Multilingual Plane, made from
    /// this fold as characters are met: what the index looks up for every
    /// character, so [`Fold::char`] itself is read once per character a
    /// site has.
    pub(super) simple: super::tokenize::Simple,
    /// Each ideograph of the Basic Multilingual Plane (U+3400 to U+9FFF)
    /// folded (0 for the few that fold beyond it), read for every one a
    /// text has: a fifth of the size of the tokenizer's table, made at once.
    ideographs: Box<[u16]>,
}

/// Each character OpenCC's `t2s` changes, and what to, in the order of
/// the characters changed (so it is searched by halves).
const T2S: &[(char, char)] = include!(concat!(env!("OUT_DIR"), "/t2s.rs"));

impl Fold {
    /// OpenCC's table, made on first use.
    pub(crate) fn opencc() -> &'static Fold {
        static FOLD: OnceLock<Fold> = OnceLock::new();
        FOLD.get_or_init(|| {
            let mut ideographs: Box<[u16]> = IDEOGRAPHS.map(|u| u as u16).collect();
            for &(from, to) in T2S {
                let at = (from as u32).wrapping_sub(IDEOGRAPHS.start) as usize;
                if let Some(entry) = ideographs.get_mut(at) {
                    // 0: beyond the BMP (a few fold to Extension B).
                    *entry = u16::try_from(to as u32).unwrap_or(0);
                }
            }
            Fold {
                simple: Default::default(),
                ideographs,
            }
        })
    }

    /// Ideograph `u` (see [`super::tokenize`]'s `ideograph`) folded.
    #[inline]
    pub(super) fn ideograph(&self, u: u32) -> u32 {
        match self
            .ideographs
            .get(u.wrapping_sub(IDEOGRAPHS.start) as usize)
        {
            Some(&c) if c != 0 => u32::from(c),
            _ => char::from_u32(u).map_or(u, |c| self.char(c) as u32),
        }
    }

    /// `c` folded.
    pub(crate) fn char(&self, c: char) -> char {
        T2S.binary_search_by_key(&c, |&(from, _)| from)
            .map_or(c, |i| T2S[i].1)
    }

    /// Every pair whose Simplified side `wanted` says yes to, for the
    /// browser: a site's index ships only what its own text needs.
    pub(crate) fn pairs_for(&self, wanted: impl Fn(char) -> bool) -> Vec<(char, char)> {
        T2S.iter().copied().filter(|&(_, to)| wanted(to)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_order_and_folds_both_ways_of_writing() {
        assert!(T2S.windows(2).all(|w| w[0].0 < w[1].0));
        let fold = Fold::opencc();
        assert_eq!(fold.char('規'), '规');
        assert_eq!(fold.char('规'), '规');
        assert_eq!(fold.char('a'), 'a');
        // Every pair, Extension B among them.
        for &(from, to) in T2S {
            assert_eq!(fold.char(from), to);
        }
        assert!(T2S.iter().any(|(f, _)| *f as u32 > 0xFFFF));
        for u in IDEOGRAPHS {
            let c = char::from_u32(u).map_or(0, |c| fold.char(c) as u32);
            assert_eq!(fold.ideograph(u), c, "U+{u:04X}");
        }
    }
}
