//! Fuzz target: see `eval_input` in fuzz/entry_points.rs.
#![no_main]

#[path = "../entry_points.rs"]
mod entry_points;

use libfuzzer_sys::fuzz_target;

thread_local! {
    // Loaded once: the seed rule sets are the base every input is tried against.
    static SEEDS: entry_points::Seeds = entry_points::Seeds::load();
}

fuzz_target!(|data: &[u8]| {
    SEEDS.with(|seeds| entry_points::eval_input(seeds, data));
});
