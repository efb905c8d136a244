//! Makes the Traditional → Simplified character table the search folds
//! with (see `src/search/fold.rs`) from OpenCC's `t2s` data, through
//! `ferrous-opencc`, once when almanac is compiled: converting every CJK
//! character at run time took half of a small site's build.
//!
//! Each character is converted on its own (so phrase rules, which need
//! context, never apply): the same character always folds the same way, in
//! the index and in a query. Only the characters that change are kept.

use std::fmt::Write as _;

#[path = "src/search/cjk.rs"]
mod cjk;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=src/search/cjk.rs");
    let cc = ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
        .expect("ferrous-opencc ships the t2s table");
    // Every character the tokenizer calls CJK, in order.
    let chars: Vec<char> = (0..=0x3134Fu32)
        .filter_map(char::from_u32)
        .filter(|&c| cjk::is_cjk(c))
        .collect();
    let mut text = String::with_capacity(chars.len() * 5);
    for c in &chars {
        text.push(*c);
        text.push('\n');
    }
    let converted = cc.convert(&text);
    let mut table = String::from("&[\n");
    for (from, to) in chars.iter().zip(converted.split('\n')) {
        let mut it = to.chars();
        if let (Some(t), None) = (it.next(), it.next())
            && t != *from
        {
            let _ = writeln!(
                table,
                "    ('\\u{{{:x}}}', '\\u{{{:x}}}'),",
                *from as u32, t as u32
            );
        }
    }
    table.push(']');
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("t2s.rs");
    std::fs::write(out, table).expect("OUT_DIR is writable");
}
