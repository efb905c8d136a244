//! Fuzz target: see `almanac::fuzzing::site`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| almanac::fuzzing::site(data));
