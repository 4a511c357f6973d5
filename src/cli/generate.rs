//! `eligo generate`: a reproducible synthetic caseload for a rule set, as JSON Lines or CSV.

use super::batch::{progress_bar, read_versions};
use crate::batch::Progress;
use super::{EXIT_LOAD, EXIT_OK, EXIT_USAGE};
use crate::generate::{self, Generator};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The rule-set folder whose schema and parameters shape the cases (a folder of
    /// versions: the latest version's).
    ruleset: PathBuf,
    /// How many cases.
    #[arg(long, value_name = "N")]
    count: u64,
    /// The same seed gives the same cases, byte for byte.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    #[arg(long, value_parser = ["jsonl", "csv"], default_value = "jsonl")]
    format: String,
    /// Write here instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// No progress bar (it shows only when standard error is a terminal).
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(a: Args) -> i32 {
    let sources = match read_versions(&a.ruleset, "generate") {
        Ok(s) => s,
        Err(code) => return code,
    };
    let versions = match crate::batch::load_versions(&sources) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("eligo generate: {e}");
            return EXIT_LOAD;
        }
    };
    // A folder of versions: cases for the latest version's form.
    let g = Generator::new(versions.latest(), a.seed);
    let out: Box<dyn Write> = match &a.output {
        None => Box::new(io::stdout().lock()),
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("eligo generate: cannot create {}: {e}", p.display());
                return EXIT_USAGE;
            }
        },
    };
    let mut out = BufWriter::with_capacity(1 << 20, out);
    // clap allows only the two names.
    let format = generate::Format::parse(&a.format).unwrap_or(generate::Format::Jsonl);
    // Cases for the bar's position: their count is known before the first is written.
    let bar = progress_bar(Some(a.count), a.quiet);
    let written = generate::write(&g, format, a.count, &mut out, |n| bar.update(Progress { rows: n, bytes: n })).and_then(|()| out.flush());
    bar.finish();
    match written {
        Ok(()) => EXIT_OK,
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("eligo generate: cannot write: {e}");
            EXIT_USAGE
        }
    }
}
