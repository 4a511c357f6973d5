//! The command line as a shell uses it.

use std::path::Path;
use std::process::{Command, Stdio};

/// `eligo check rules/ | head -1`: when the reader goes away, the command stops quietly
/// (as Unix tools do, by SIGPIPE), never with a panic and a backtrace.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
            .args(["check", &rules.display().to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command has loaded the rule sets and written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert_ne!(out.status.code(), Some(101), "{stderr}");
    }
}

/// `eligo check` notes a parameter the rules never read (left behind by a rename, say),
/// without failing the rule set; the seed rule sets read every one of theirs.
#[test]
fn check_notes_parameters_the_rules_never_read() {
    let eligo = env!("CARGO_BIN_EXE_eligo");
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let out = Command::new(eligo).args(["check", &seeds.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(!stdout.contains("unused"), "{stdout}");

    let dir = std::env::temp_dir().join(format!("eligo-check-unused-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tests")).unwrap();
    let from = seeds.join("space-participant");
    for f in ["ruleset.toml", "rules.rhai", "tests/ages.toml"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    let params = std::fs::read_to_string(from.join("parameters.toml")).unwrap();
    let extra = "\n[old_max_age]\ntype = \"integer\"\nlabel = \"x\"\nsource = \"x\"\nvalues = [{ from = \"2015-01-01\", value = 18 }]\n";
    std::fs::write(dir.join("parameters.toml"), format!("{params}{extra}")).unwrap();
    let out = Command::new(eligo).args(["check", &dir.display().to_string()]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("unused: parameter old_max_age is in parameters.toml but never read by rules.rhai"), "{stdout}");
    assert!(!stdout.contains("min_age,") && !stdout.contains("parameters "), "{stdout}");
}
