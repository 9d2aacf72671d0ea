//! Arbitrary bytes -> parse_problem_str -> solve (50 iterations, 1 thread) -> verify.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check_text(text);
    }
});
