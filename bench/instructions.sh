#!/usr/bin/env bash
# CPU instructions per evaluation for each rule set, compiled and on Rhai's interpreter,
# counted by valgrind (callgrind): repeatable for the same build whatever else the machine
# is doing, so small changes can be compared where timings are too noisy. An evaluation is
# the mean over the rule set's own test inputs that reach a decision; loading is taken out
# by counting 1,000 and 4,000 evaluations and dividing the difference by 3,000. "compiled"
# and "interpreter" build the `Decision` (the Rust API); "JSON in/out" is the way
# `evaluateJson` and `eligo batch` go: input read from JSON text, decision written as text;
# "brief JSON" the same with brief decisions (`--brief`: no reason worded).
#
#   bench/instructions.sh [rules/community-grant ...]
#
# Needs valgrind (Debian: valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "bench/instructions.sh: valgrind is missing (apt-get install valgrind)" >&2; exit 2; }
cargo build --release --quiet --example evaluate_many
EXE=target/release/examples/evaluate_many
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$EXE" "$@" 2>&1 | sed -n 's/.*refs: *//p' | tr -d ,
}
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(rules/*/)
printf '%-22s %12s %12s %12s %12s\n' "rule set" compiled "JSON in/out" "brief JSON" interpreter
for dir in "${dirs[@]}"; do
  dir=${dir%/}
  per() { echo $(( ($(count "$dir" 4000 "$@") - $(count "$dir" 1000 "$@")) / 3000 )); }
  printf '%-22s %12s %12s %12s %12s\n' "$(basename "$dir")" "$(per)" "$(per --json)" "$(per --json --brief)" "$(per --interpreter)"
done
