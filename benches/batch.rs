//! Batch throughput: generated cases for each rule set through the streaming batch runner
//! (parse, validate, decide, serialise, reorder), on every core, results discarded.
//! The 1,000,000-case figure with memory is measured on the `eligo` binary instead
//! (bench/batch-1m.sh), since criterion repeats what it times.
//!
//! Run: `cargo bench --bench batch`.

// The allocator the `eligo` binary uses (src/main.rs), so figures match the CLI.
#[global_allocator]
static ALLOCATOR: eligo::memory::Counting<mimalloc::MiMalloc> = eligo::memory::Counting(mimalloc::MiMalloc);

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use eligo::batch::{self, rows::Format, Options};
use eligo::engine::rule_dirs;
use eligo::generate::{self, Generator};
use eligo::ruleset::read_dir;
use eligo::RuleSet;
use std::path::Path;

const CASES: u64 = 5_000;

fn throughput(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(CASES));
    for dir in rule_dirs(&root).unwrap_or_default() {
        let name = dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let Ok(files) = read_dir(&dir) else { continue };
        let Ok(rs) = RuleSet::from_files(&name, files.clone()) else { continue };
        let mut input = Vec::new();
        if generate::write_jsonl(&Generator::new(&rs, 1), CASES, &mut input).is_err() {
            continue;
        }
        let opts = Options::default();
        group.bench_function(BenchmarkId::from_parameter(&name), |b| {
            b.iter(|| batch::run(&name, &files, &input[..], Format::Jsonl, &mut std::io::sink(), &opts, |_| {}))
        });
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
