//! Evaluate a rule set's own deciding test inputs over and over: a steady loop to count
//! instructions per evaluation under valgrind (bench/instructions.sh), where timing is too
//! noisy to compare small changes.
//!
//!   cargo run --release --example evaluate_many -- rules/community-grant 4000 [--interpreter | --json] [--brief]
//!
//! `--json` goes the way `evaluateJson` and `eligo batch` go: JSON text in (read straight
//! into field values when plainly valid, else parsed and validated), the decision written
//! as JSON text out (`Engine::evaluate_json`). `--brief`
//! asks for brief decisions (no reason worded).

// The allocator the `eligo` binary uses (src/main.rs), so counts match the CLI.
#[global_allocator]
static ALLOCATOR: eligo::memory::Counting<mimalloc::MiMalloc> = eligo::memory::Counting(mimalloc::MiMalloc);

use eligo::ruleset::Evaluator;
use eligo::{Engine, RuleSet};
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: evaluate_many <rule-set-dir> <evaluations> [--interpreter | --json] [--brief]");
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
    let mut inputs = eligo::testcases::deciding_inputs(&rs);
    if args.iter().any(|a| a == "--brief") {
        inputs.iter_mut().for_each(|(_, o)| o.brief = true);
    }
    if inputs.is_empty() {
        eprintln!("{dir}: no test case reaches a decision");
        std::process::exit(1);
    }
    if args.iter().any(|a| a == "--json") {
        let texts: Vec<(String, String)> =
            inputs.iter().map(|(input, o)| (input.to_string(), serde_json::to_string(o).unwrap_or_default())).collect();
        let id = rs.id().to_string();
        let mut engine = Engine::new();
        if let Err(e) = engine.add(rs) {
            eprintln!("{dir}: {e}");
            std::process::exit(3);
        }
        for i in 0..n {
            let (input, o) = &texts[i % texts.len()];
            let _ = black_box(engine.evaluate_json(&id, black_box(input), o));
        }
        return;
    }
    for i in 0..n {
        let (input, o) = &inputs[i % inputs.len()];
        let _ = black_box(rs.evaluate_on(black_box(input), o, on));
    }
}
