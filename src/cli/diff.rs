//! `eligo diff`: which cases a rule change would flip. Runs one caseload through the old
//! and the new rule set and prints the from → to table, value-only changes and example rows.

use super::batch::{open_input, progress_bar, read_versions, report_failure, thousands, RunArgs};
use super::EXIT_OK;
use crate::batch::diff::{self, Report};
use crate::batch::Options;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The rule set as it is now: a folder, or a folder of its versions.
    old: PathBuf,
    /// The changed rule set: a folder, or a folder of its versions (a new version with an
    /// effective_from changes only the cases from that date).
    new: PathBuf,
    /// The caseload: .jsonl or .csv (CSV is read by the old rule set's schema); - for standard input.
    #[arg(long)]
    input: String,
    /// Decide every row as on this date (YYYY-MM-DD) instead of its own date.
    #[arg(long, value_name = "DATE", value_parser = super::as_of_date)]
    as_of: Option<String>,
    /// Example rows to show for each change.
    #[arg(long, value_name = "N", default_value_t = 3)]
    examples: usize,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    run: RunArgs,
}

pub fn run(a: Args) -> i32 {
    let old = match read_versions(&a.old, "diff") {
        Ok(v) => v,
        Err(code) => return code,
    };
    let new = match read_versions(&a.new, "diff") {
        Ok(v) => v,
        Err(code) => return code,
    };
    let (input, format, total) = match open_input(&a.input, a.run.format.as_deref(), "diff") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opts = Options { as_of: a.as_of.clone(), threads: a.run.threads, brief: a.run.brief, ..Options::default() };
    let bar = progress_bar(total, a.run.quiet);
    let result = diff::run(&old, &new, input, format, &opts, a.examples, |p| bar.update(p));
    bar.finish();
    let report = match result {
        Ok(r) => r,
        Err(e) => return report_failure(&e, "diff", &a.input),
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    } else {
        print!("{}", text(&report, &a));
    }
    EXIT_OK
}

fn short_hash(h: &str) -> &str {
    h.get(..19).unwrap_or(h)
}

fn text(r: &Report, a: &Args) -> String {
    let mut t = String::new();
    for (side, rs, versions, dir) in [("old", &r.old, &r.old_versions, &a.old), ("new", &r.new, &r.new_versions, &a.new)] {
        let which = if versions.is_empty() {
            format!("{} {}…", rs.version, short_hash(&rs.hash))
        } else {
            // Each case by the version in effect on its date.
            let listed: Vec<String> = versions
                .iter()
                .map(|v| match &v.effective_from {
                    Some(d) => format!("{} from {d}", v.version),
                    None => v.version.clone(),
                })
                .collect();
            format!("versions {}", listed.join(", "))
        };
        t.push_str(&format!("{side}: {} {which} ({})\n", rs.id, dir.display()));
    }
    t.push_str(&format!(
        "{} cases: {} change outcome, {} change a value only, {} unchanged\n\n",
        thousands(r.cases),
        thousands(r.outcome_changed),
        thousands(r.value_only_changed),
        thousands(r.unchanged)
    ));
    let w_from = r.transitions.iter().map(|x| x.from.len()).max().unwrap_or(0).max(4);
    let w_to = r.transitions.iter().map(|x| x.to.len()).max().unwrap_or(0).max(2);
    t.push_str(&format!("  {:<w_from$}    {:<w_to$}  {:>10}\n", "from", "to", "cases"));
    for x in &r.transitions {
        let arrow = if x.changed { "->" } else { "  " };
        let rows: Vec<String> = x.examples.iter().map(|e| e.row.to_string()).collect();
        let eg = if rows.is_empty() { String::new() } else { format!("  rows {}", rows.join(", ")) };
        t.push_str(&format!("  {:<w_from$} {arrow} {:<w_to$}  {:>10}{eg}\n", x.from, x.to, thousands(x.count)));
    }
    if !r.value_changes.is_empty() {
        t.push_str("\nvalue-only changes (same outcome)\n");
        let w = r.value_changes.iter().map(|v| v.value.len()).max().unwrap_or(0).max(5);
        for v in &r.value_changes {
            let eg =
                v.examples.first().map(|e| format!("  e.g. row {}: {} -> {}", e.row, e.old, e.new)).unwrap_or_default();
            t.push_str(&format!("  {:<w$}  {:>10}{eg}\n", v.value, thousands(v.count)));
        }
    }
    let changes: Vec<_> = r.transitions.iter().filter(|x| x.changed && !x.examples.is_empty()).collect();
    if !changes.is_empty() {
        t.push_str("\nexamples\n");
        for x in changes {
            t.push_str(&format!("  {} -> {}\n", x.from, x.to));
            for e in &x.examples {
                t.push_str(&format!("    row {}: {}\n", e.row, e.input));
            }
        }
    }
    t
}
