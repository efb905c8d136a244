//! Fuzz target: see `almanac::fuzzing::front_matter`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| almanac::fuzzing::front_matter(data));
