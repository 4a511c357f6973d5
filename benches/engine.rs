//! Engine benchmarks: how long loading takes (each seed rule set, and all of `rules/`), and
//! how long one evaluation takes for each rule set on its own test-case inputs (the ones
//! that reach a decision), as a host calls it after loading once.
//!
//! Run: `cargo bench --bench engine` (figures in the README, "Batch, diff and performance").

// The allocator the `eligo` binary uses (src/main.rs), so figures match the CLI.
#[global_allocator]
static ALLOCATOR: eligo::memory::Counting<mimalloc::MiMalloc> = eligo::memory::Counting(mimalloc::MiMalloc);

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use eligo::engine::rule_dirs;
use eligo::ruleset::{read_dir, Evaluator};
use eligo::RuleSet;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn rules_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn name_of(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default()
}

fn load(c: &mut Criterion) {
    let dirs = rule_dirs(&rules_root()).unwrap_or_default();
    let mut group = c.benchmark_group("load");
    // Files are read once up front: the figure is parse + check + compile, not disk speed.
    let mut all = Vec::new();
    for dir in &dirs {
        let name = name_of(dir);
        let Ok(files) = read_dir(dir) else { continue };
        if RuleSet::from_files(&name, files.clone()).is_err() {
            eprintln!("skipping {name}: it does not load");
            continue;
        }
        group.bench_with_input(BenchmarkId::from_parameter(&name), &files, |b, files| {
            b.iter(|| RuleSet::from_files(&name, black_box(files.clone())))
        });
        all.push((name, files));
    }
    group.bench_function("all", |b| {
        b.iter(|| {
            for (name, files) in &all {
                let _ = black_box(RuleSet::from_files(name, files.clone()));
            }
        })
    });
    group.finish();
}

fn evaluate(c: &mut Criterion) {
    let dirs = rule_dirs(&rules_root()).unwrap_or_default();
    let mut group = c.benchmark_group("evaluate");
    for dir in &dirs {
        let Ok(rs) = RuleSet::from_dir(dir) else { continue };
        let inputs = eligo::testcases::deciding_inputs(&rs);
        if inputs.is_empty() {
            continue;
        }
        // Cycle through the rule set's own deciding test inputs: a mean over realistic cases.
        // Each rule set twice: as evaluate() runs it (compiled), and on Rhai's interpreter
        // alone, so the two compare within one run.
        for (label, on) in [("", Evaluator::Compiled), ("/interpreter", Evaluator::Interpreter)] {
            group.bench_function(BenchmarkId::from_parameter(format!("{}{label}", rs.id())), |b| {
                let mut i = 0usize;
                b.iter(|| {
                    i = (i + 1) % inputs.len();
                    let (input, o) = &inputs[i];
                    black_box(rs.evaluate_on(black_box(input), o, on))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, load, evaluate);
criterion_main!(benches);
