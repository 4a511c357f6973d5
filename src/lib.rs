//! Eligo: an embeddable rules-and-eligibility engine.
//!
//! Data flows one way: rule files → [`RuleSet`] (loaded and compiled once, all fallible
//! work done here) → many evaluations, each `input + as-of date → Decision`.
//! The same core runs natively (library and `eligo` command line) and as WebAssembly.
//!
//! ```no_run
//! let engine = eligo::Engine::load_dir("rules").unwrap();
//! let input = serde_json::json!({"fund": "people_power", "applicant_type": "community_group",
//!     "requested_amount": 2500, "application_date": "2019-03-01", "priorities": ["victims_and_witnesses"]});
//! let decision = engine.evaluate("community-grant", &input, &eligo::EvalOptions::default()).unwrap();
//! println!("{}", decision.outcome);
//! ```

pub mod bundle;
pub mod compiled;
pub mod date;
pub mod decision;
pub mod engine;
pub mod error;
#[cfg(feature = "toml-files")]
mod folders;
pub mod manifest;
pub mod memory;
pub mod money;
pub mod params;
pub mod rulefile;
pub mod ruleset;
pub mod schema;
#[cfg(feature = "toml-files")]
mod schema_lints;
pub mod script;
pub mod script_errors;
#[cfg(feature = "toml-files")]
pub mod script_lints;
mod script_math;
pub mod signing;
pub mod testcases;
#[cfg(feature = "toml-files")]
pub mod toml_de;
#[cfg(feature = "toml-files")]
mod toml_errors;
pub mod value;
pub mod versions;

// The command line reads rule folders, so it needs the TOML reader.
#[cfg(all(not(target_arch = "wasm32"), feature = "toml-files"))]
pub mod cli;
// Caseloads (reading, generating) and the rule-change comparison: native, and in the
// authoring module (the playground); left out of the runtime module, whose size has a budget.
#[cfg(any(not(target_arch = "wasm32"), feature = "toml-files"))]
pub mod batch;
#[cfg(any(not(target_arch = "wasm32"), feature = "toml-files"))]
pub mod generate;
#[cfg(any(not(target_arch = "wasm32"), feature = "toml-files"))]
pub mod impact;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

// The WebAssembly modules count what each evaluation holds, so that the sandbox can stop a
// script that builds too much (see `memory`). Natively, the `eligo` binary does the same.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: memory::Counting<std::alloc::System> = memory::Counting(std::alloc::System);

pub use decision::{Decision, DecisionJson, EvalOptions, Reason, TraceEntry};
pub use engine::Engine;
pub use error::{Error, ErrorCode, Issue};
pub use ruleset::RuleSet;

/// Engine version recorded in every decision so it can be reproduced later.
pub const ENGINE_VERSION: &str = concat!("eligo/", env!("CARGO_PKG_VERSION"));
