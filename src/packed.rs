//! Text kept LZ4-compressed in memory.
//!
//! A big site's rendered bodies are most of what a build holds between
//! PARSE and RENDER (about 1 GB at 100,000 pages); HTML packs about
//! fourfold and unpacks at several GB/s, so each body is packed once when
//! it is made and unpacked when a page or feed needs it.

/// Compressed UTF-8 text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PackedText(Box<[u8]>);

impl PackedText {
    /// Packs `text`.
    pub fn new(text: &str) -> PackedText {
        if text.is_empty() {
            return PackedText::default();
        }
        PackedText(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text.
    pub fn unpack(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        // Only ever made by `new` from a `&str`, so neither step can fail;
        // an empty string is the harmless answer if memory were corrupted.
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// Length of the text, without unpacking it.
    pub fn unpacked_len(&self) -> usize {
        lz4_flex::block::uncompressed_size(&self.0).map_or(0, |(len, _)| len)
    }
}

impl std::fmt::Debug for PackedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("PackedText").field(&self.unpack()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "",
            "a",
            "<p>社群规则 community rules</p>\n".repeat(50).as_str(),
        ] {
            let packed = PackedText::new(text);
            assert_eq!(packed.unpack(), text);
        }
        let long = "<li>rule</li>".repeat(1000);
        let packed = PackedText::new(&long);
        assert!(packed.0.len() < long.len() / 4);
        assert_eq!(packed.unpacked_len(), long.len());
    }
}
