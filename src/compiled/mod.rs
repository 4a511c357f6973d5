//! Rule scripts compiled for evaluation: the fast path.
//!
//! Rhai stays the rule language: it parses and checks every script, reports its errors,
//! and defines what a script means. At load, the parsed script is also lowered (`lower`)
//! to a tree (`ir`) with every variable resolved to a numbered slot and every call to the
//! script function or library function (`builtins`) it names, which `eval` walks with one
//! value stack. Rhai's interpreter looks names up, hashes calls and copies values on the
//! same script, taking about twice the instructions.
//!
//! Two rules keep the two identical:
//! - Lowering covers a subset of Rhai (what rule scripts use). A script outside it is not
//!   compiled and runs on Rhai's interpreter, as before.
//! - Evaluation never reports an error of its own. Anything unusual (a type combination
//!   it does not handle, a script error, a resource limit coming near) makes it give up,
//!   and the evaluation starts again on Rhai's interpreter, which decides and words any
//!   error exactly as it always has. Evaluation is pure, so starting again is safe.
//! - Where a script could see the order of evaluation, it is Rhai's (see `eval`).
//!
//! tests/compiled.rs checks, over every seed rule set's test cases and generated
//! caseloads, that both give the same decision bytes, trace included.

// Cargo feature `compiled` (on by default, and in both WebAssembly modules): a build
// without it evaluates every script on the interpreter, and decides the same.
#[cfg(feature = "compiled")]
mod builtins;
#[cfg(feature = "compiled")]
mod eval;
#[cfg(feature = "compiled")]
mod fields;
#[cfg(feature = "compiled")]
mod ir;
#[cfg(feature = "compiled")]
mod lower;
#[cfg(feature = "compiled")]
mod moves;
#[cfg(feature = "compiled")]
mod wording;

use rhai::{Dynamic, EvalAltResult};

#[cfg(feature = "compiled")]
pub use lower::compile;

/// Without the feature, no script compiles.
#[cfg(not(feature = "compiled"))]
pub fn compile(_: &rhai::AST, _: &crate::params::Parameters, _: &[&str]) -> Result<Program, NotCompiled> {
    Err(NotCompiled("this build leaves the compiled form out (cargo feature `compiled`)".into()))
}

/// A compiled script: the top level and its functions (closures included).
#[cfg(feature = "compiled")]
pub struct Program {
    main: ir::Function,
    functions: Vec<ir::Function>,
    /// The slot of the input's first field, when the script reads `input` only field by
    /// field (see `fields`); otherwise the fields' names, to build the map it reads.
    input: Result<ir::Slot, Vec<rhai::Identifier>>,
}

#[cfg(not(feature = "compiled"))]
pub enum Program {}

/// What a compiled run came to.
pub enum Ran {
    /// The script finished; the recorder holds the decision.
    Finished,
    /// `reject_input(...)` stopped it: the error Rhai would raise.
    Rejected(Box<EvalAltResult>),
    /// It gave up: evaluate again on Rhai's interpreter.
    GaveUp,
}

impl Program {
    /// Whether the script reads `input` only through its fields, so that no input map is
    /// built for it (see `fields`).
    pub fn input_by_field(&self) -> bool {
        #[cfg(feature = "compiled")]
        return self.input.is_ok();
        #[cfg(not(feature = "compiled"))]
        match *self {}
    }

    /// Run with the validated input (`schema::validate_values`: the values in the schema's
    /// order) and `as_of` as the script's two constants. Library functions write to the
    /// recorder installed by [`crate::script::with_recorder`].
    pub fn run(&self, input: Vec<Dynamic>, as_of: Dynamic) -> Ran {
        #[cfg(feature = "compiled")]
        return eval::run(self, input, as_of);
        #[cfg(not(feature = "compiled"))]
        {
            let _ = (input, as_of);
            match *self {}
        }
    }
}

/// Why a script could not be compiled (it then runs on Rhai's interpreter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotCompiled(pub String);

