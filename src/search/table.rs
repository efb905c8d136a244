//! The table a thread counts its tokens in while it reads pages: keys are
//! numbers (a CJK bigram or character, or a word of up to 8 bytes, see
//! `short_key`), met millions of times, of which a site has a few
//! thousand to a few hundred thousand distinct.
//!
//! Open addressing with linear probing, keys and values side by side: a
//! token met again is found in one cache line, most often at the first
//! place it looks. A general map (hashbrown's, with FxHash) spent four
//! times the instructions on it, a third of indexing a Chinese text.

/// A token's entry: its number, and its place in the list of the page
/// being read when last met (see `Slot::hit` in the index).
#[derive(Clone, Copy)]
pub(super) struct Slot {
    pub(super) id: u32,
    pub(super) at: u32,
}

/// An entry: `key` 0 is a free place (see [`Table::zero`]).
#[derive(Clone, Copy)]
struct Entry {
    key: u64,
    slot: Slot,
}

const FREE: Entry = Entry {
    key: 0,
    slot: Slot { id: 0, at: 0 },
};

/// Slots by `u64` key.
pub(super) struct Table {
    entries: Vec<Entry>,
    /// `64 - log2(entries.len())`: a key's first place is the top bits
    /// of its product with an odd constant.
    shift: u32,
    len: usize,
    /// Key 0 marks a free place, so its slot, if it has one, is kept
    /// here. No token's key is 0; kept so that none is lost if one were.
    zero: Option<Slot>,
}

impl Default for Table {
    fn default() -> Self {
        Table::with_places(1024)
    }
}

impl Table {
    fn with_places(places: usize) -> Self {
        Table {
            entries: vec![FREE; places],
            shift: 64 - places.trailing_zeros(),
            len: 0,
            zero: None,
        }
    }

    #[inline]
    fn first_place(&self, key: u64) -> usize {
        // Fibonacci hashing: the top bits mix every bit of the key.
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The slot of `key`, made with `new` when it has none.
    #[inline]
    pub(super) fn slot(&mut self, key: u64, new: impl FnOnce() -> Slot) -> &mut Slot {
        if key == 0 {
            return self.zero.get_or_insert_with(new);
        }
        let mask = self.entries.len() - 1;
        let mut i = self.first_place(key);
        let found = loop {
            match self.entries[i].key {
                k if k == key => break true,
                0 => break false,
                _ => i = (i + 1) & mask,
            }
        };
        if !found {
            i = self.insert(key, i, new());
        }
        &mut self.entries[i].slot
    }

    /// Puts a new key at free place `i`, or wherever it goes once the
    /// table has grown: where it is.
    #[cold]
    #[inline(never)]
    fn insert(&mut self, key: u64, mut i: usize, slot: Slot) -> usize {
        // At most three quarters full: a search still ends within a few
        // places (the same cache line, most often), and the table takes
        // no more of the cache than hashbrown's did.
        if (self.len + 1) * 4 > self.entries.len() * 3 {
            self.grow();
            i = self.free_place(key);
        }
        self.len += 1;
        self.entries[i] = Entry { key, slot };
        i
    }

    /// Where the search for `key` meets a free place.
    fn free_place(&self, key: u64) -> usize {
        let mask = self.entries.len() - 1;
        let mut i = self.first_place(key);
        while self.entries[i].key != 0 {
            i = (i + 1) & mask;
        }
        i
    }

    fn grow(&mut self) {
        let old = std::mem::replace(self, Table::with_places(self.entries.len() * 2));
        self.zero = old.zero;
        self.len = old.len;
        for entry in old.entries.into_iter().filter(|e| e.key != 0) {
            let i = self.free_place(entry.key);
            self.entries[i] = entry;
        }
    }

    /// Every key and its token's number, in no order.
    pub(super) fn ids(&self) -> Vec<(u64, u32)> {
        let zero = self.zero.map(|slot| (0, slot.id));
        self.entries
            .iter()
            .filter(|e| e.key != 0)
            .map(|e| (e.key, e.slot.id))
            .chain(zero)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_their_slots_through_growing() {
        let mut table = Table::default();
        let mut next = 0;
        let mut fresh = || {
            next += 1;
            Slot { id: next, at: 0 }
        };
        // Keys that share low bits and high bits alike, and 0.
        let keys: Vec<u64> = (1..5000u64)
            .map(|k| k << 32 | (k % 7))
            .chain([0, 1, u64::MAX])
            .collect();
        for &key in &keys {
            table.slot(key, &mut fresh);
        }
        for (n, &key) in keys.iter().enumerate() {
            assert_eq!(table.slot(key, || unreachable!()).id, n as u32 + 1);
        }
        let mut ids = table.ids();
        ids.sort_unstable_by_key(|&(_, id)| id);
        assert_eq!(ids.len(), keys.len());
        assert!(ids.iter().zip(&keys).all(|(&(k, _), &key)| k == key));
    }
}
