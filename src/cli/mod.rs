//! The `eligo` command line: check, test, eval, describe and bundle rule sets.
//! Exit codes: 0 done; 1 the work found problems (invalid input, failing tests, lint
//! errors); 2 usage error; 3 a rule set could not be loaded.

mod batch;
mod check;
mod diff;
mod eval;
mod generate;
mod replay;
mod report;
mod sign;
mod test;

use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};

pub const EXIT_OK: i32 = 0;
pub const EXIT_PROBLEMS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
pub const EXIT_LOAD: i32 = 3;

#[derive(Parser)]
#[command(name = "eligo", version, about = "Rules-and-eligibility engine: check, test and evaluate Rhai rule sets")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load and lint every rule set in a folder; show errors with their source lines.
    Check {
        /// A rule-set folder, or a folder of them (e.g. rules/).
        dir: PathBuf,
        /// One line per problem (file:line:col: message), for screen readers and scripts.
        #[arg(long)]
        plain: bool,
    },
    /// Run every rule set's test cases; show pass/fail per case and rule coverage.
    Test {
        dir: PathBuf,
        /// Fail when some rule is never exercised by any case.
        #[arg(long)]
        require_coverage: bool,
        /// Print each case, not only failures.
        #[arg(short, long)]
        verbose: bool,
        /// Also write every case's output to FILE as JSON: [{ruleset, name, file, as_of, input, output}]
        /// (the wasm tests compare their own outputs with these, byte for byte).
        #[arg(long, value_name = "FILE")]
        emit_json: Option<PathBuf>,
    },
    /// Decide one case: the decision as JSON on stdout (exit 0), or the error as JSON (exit 1).
    Eval {
        /// The rule-set folder (e.g. rules/community-grant).
        ruleset: PathBuf,
        /// The input as a JSON file, or - for standard input.
        #[arg(long, required_unless_present = "replay")]
        input: Option<String>,
        /// Decide as on this date (YYYY-MM-DD) instead of the input's own date.
        #[arg(long, value_name = "DATE", value_parser = as_of_date)]
        as_of: Option<String>,
        /// Include every rule, parameter and value in order, with the values used.
        #[arg(long)]
        trace: bool,
        /// A brief decision: outcome, values and which rules passed, without the reasons'
        /// wording (a script error that lies only in a reason's wording is then not met).
        #[arg(long, conflicts_with = "trace")]
        brief: bool,
        /// Indent the JSON for reading.
        #[arg(long)]
        pretty: bool,
        /// Also write {"format", "input", "decision"} to FILE, for `--replay` later.
        #[arg(long, value_name = "FILE")]
        record: Option<PathBuf>,
        /// Decide a recorded input again (with its recorded as-of date) and confirm the
        /// decision is byte-identical; list what differs and exit 1 otherwise.
        #[arg(long, value_name = "FILE", conflicts_with_all = ["input", "as_of", "trace", "brief", "record"])]
        replay: Option<PathBuf>,
    },
    /// Print a rule set's schema, outcomes, parameters and rules as JSON.
    Describe {
        ruleset: PathBuf,
        /// Print the input schema as JSON Schema (draft 2020-12) instead.
        #[arg(long)]
        json_schema: bool,
    },
    /// Decide a whole caseload (.jsonl or .csv), in parallel, into one JSON line per row.
    Batch(batch::Args),
    /// Show which cases a rule change flips: a caseload through an old and a new rule set.
    Diff(diff::Args),
    /// Write a reproducible synthetic caseload for a rule set (edge-heavy, from its schema).
    Generate(generate::Args),
    /// Write every rule set in a folder to one JSON bundle with content hashes.
    Bundle {
        dir: PathBuf,
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Sign the bundle with this ed25519 secret key file (from `eligo keygen`).
        #[arg(long, value_name = "SECRET_KEY_FILE")]
        sign: Option<PathBuf>,
    },
    /// Make an ed25519 key pair for signing bundles: NAME.key (secret) and NAME.pub.
    Keygen {
        #[arg(short, long, value_name = "NAME")]
        output: PathBuf,
    },
    /// Check a bundle is signed by a public key and unchanged since; list what it holds.
    Verify {
        bundle: PathBuf,
        #[arg(long, value_name = "PUBLIC_KEY_FILE")]
        public_key: PathBuf,
    },
}

/// `--as-of` checked as arguments are read, so an impossible date is a usage error before
/// any work, not an error on every row of a run (which `diff` counted as "unchanged").
fn as_of_date(text: &str) -> Result<String, String> {
    crate::date::parse(text).map(|_| text.to_string())
}

/// Refuse (usage error) to write `output` when it is the file `input` names, however the
/// two are spelt: creating the output would empty the input before a row of it is read.
/// Called before anything is opened for writing; an output that does not exist yet, or
/// standard input or output (`-`), is never the input.
fn refuse_output_over_input(cmd: &str, input: &str, output: &Path) -> Result<(), i32> {
    if input == "-" || output.as_os_str() == "-" || !same_file(Path::new(input), output) {
        return Ok(());
    }
    eprintln!(
        "eligo {cmd}: the output {} is the input {input}: writing it would destroy the input before it is read; write to another file",
        output.display()
    );
    Err(EXIT_USAGE)
}

/// Whether both paths exist and are one file (through `..`, symbolic or hard links).
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => (x.dev(), x.ino()) == (y.dev(), y.ino()),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Command::Check { dir, plain } => check::run(&dir, plain),
        Command::Test { dir, require_coverage, verbose, emit_json } => {
            test::run(&dir, require_coverage, verbose, emit_json.as_deref())
        }
        Command::Eval { ruleset, input, as_of, trace, brief, pretty, record, replay } => match (replay, input) {
            (Some(file), _) => eval::load_versions(&ruleset, "eligo", eval::ErrorOut::Json).map_or_else(|code| code, |engine| replay::run(&engine, &file)),
            (None, Some(input)) => {
                if let Some(r) = &record {
                    if let Err(code) = refuse_output_over_input("eval", &input, r) {
                        return code;
                    }
                }
                let opts = crate::decision::EvalOptions { as_of, trace, brief };
                eval::run(&ruleset, &input, &opts, pretty, record.as_deref())
            }
            (None, None) => EXIT_USAGE,
        },
        Command::Describe { ruleset, json_schema } => eval::describe(&ruleset, json_schema),
        Command::Bundle { dir, output, sign } => eval::bundle(&dir, &output, sign.as_deref()),
        Command::Keygen { output } => sign::keygen(&output),
        Command::Verify { bundle, public_key } => sign::verify(&bundle, &public_key),
        Command::Batch(args) => batch::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Generate(args) => generate::run(args),
    }
}
