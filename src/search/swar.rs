//! Eight bytes of text tested at once in a `u64`: the tokenizer's and the
//! text collector's hot loops look for a few kinds of byte, and a test per
//! byte cost them several instructions each.

/// 0x01 in every byte.
pub(super) const ONES: u64 = u64::from_le_bytes([1; 8]);
/// The high bit of every byte: where each test marks its bytes.
pub(super) const HIGH: u64 = ONES * 0x80;

/// A block of eight bytes, the first lowest (0 for a block of any other
/// length: callers pass `chunks_exact(8)` blocks).
pub(super) fn load(block: &[u8]) -> u64 {
    u64::from_le_bytes(block.try_into().unwrap_or_default())
}

/// The first `N` bytes of `bytes`, padded with a letter (which begins no
/// white space and needs no escaping): the last bytes of a text tested
/// as one more whole block, rather than a byte at a time.
#[inline(always)]
pub(super) fn padded<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut block = [b'a'; N];
    let bytes = bytes.get(..N).unwrap_or(bytes);
    block[..bytes.len()].copy_from_slice(bytes);
    block
}

/// The high bit of each byte of `x` at least `k` (`k` at least 1), exact
/// for bytes below 0x80: adding `0x80 - k` sets it. A byte from 0x80 may
/// carry into the next, so callers read only below the first such byte.
pub(super) fn at_least(x: u64, k: u8) -> u64 {
    x.wrapping_add(ONES * u64::from(0x80 - k)) & HIGH
}

/// The high bit of each byte of `x` below `n` (at most 0x80): subtracting
/// `n` sets it. A byte that borrows from the one above marks that one too,
/// wrongly, but none below `n` is left unmarked.
pub(super) fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(ONES * u64::from(n)) & !x & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_byte_is_marked_as_its_value_says() {
        for b in 0..=0x7Fu8 {
            for k in [1, b'0', b'9' + 1, b'a', b'z' + 1] {
                let x = load(&[b'a', b, b'a', 0, 0, 0, 0, 0]);
                assert_eq!(at_least(x, k) >> 15 & 1 == 1, b >= k, "{b:#x} {k:#x}");
            }
        }
        for b in 0..=0xFFu8 {
            for n in [1, 4, 0x21, 0x80] {
                let x = load(&[0xFF, b, 0, 0, 0, 0, 0, 0]);
                assert_eq!(below(x, n) >> 15 & 1 == 1, b < n, "{b:#x} {n:#x}");
            }
        }
        assert_eq!(padded::<4>(b"xy"), *b"xyaa");
        assert_eq!(padded::<2>(b"xyz"), *b"xy");
        assert_eq!(load(b"ab\0\0\0\0\0\0"), 0x6261);
        assert_eq!(load(b"ab"), 0);
    }
}
