//! Replays every file of the fuzz corpus (fuzz/corpus/<target>/) through the same entry
//! points the cargo-fuzz targets run (fuzz/entry_points.rs), so CI re-checks every input
//! the fuzzer found interesting, and every input that once crashed it, without nightly
//! Rust or libFuzzer. Each entry point panics on a broken invariant, failing this test.

#[path = "../fuzz/entry_points.rs"]
mod entry_points;

use std::path::Path;

fn replay(target: &str, run: fn(&entry_points::Seeds, &[u8])) {
    let seeds = entry_points::Seeds::load();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join("corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus files in {}", dir.display());
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("cannot read {}: {e}", f.display()));
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&seeds, &data)));
        assert!(outcome.is_ok(), "{} broke an invariant (see the panic above)", f.display());
    }
}

#[test]
fn manifest_corpus() {
    replay("load_manifest", entry_points::load_manifest);
}

#[test]
fn script_corpus() {
    replay("load_script", entry_points::load_script);
}

#[test]
fn input_corpus() {
    replay("eval_input", entry_points::eval_input);
}
