//! Evaluate a rule set's own deciding test inputs over and over: a steady loop to count
//! instructions per evaluation under valgrind (bench/instructions.sh), where timing is too
//! noisy to compare small changes.
//!
//!   cargo run --release --example evaluate_many -- rules/community-grant 4000 [--interpreter]

// The allocator the `eligo` binary uses (src/main.rs), so counts match the CLI.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use eligo::ruleset::Evaluator;
use eligo::RuleSet;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: evaluate_many <rule-set-dir> <evaluations> [--interpreter]");
        std::process::exit(2);
    };
    let on = if args.iter().any(|a| a == "--interpreter") { Evaluator::Interpreter } else { Evaluator::Compiled };
    let rs = match RuleSet::from_dir(dir) {
        Ok(rs) => rs,
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(3);
        }
    };
    let inputs = eligo::testcases::deciding_inputs(&rs);
    if inputs.is_empty() {
        eprintln!("{dir}: no test case reaches a decision");
        std::process::exit(1);
    }
    for i in 0..n {
        let (input, o) = &inputs[i % inputs.len()];
        let _ = black_box(rs.evaluate_on(black_box(input), o, on));
    }
}
