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
