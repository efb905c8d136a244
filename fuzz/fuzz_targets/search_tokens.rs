//! Fuzz target: see `almanac::fuzzing::search_tokens`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| almanac::fuzzing::search_tokens(data));
