#!/usr/bin/env bash
# 1,000,000 generated cases through one rule set with `eligo batch` on every core, timed
# with /usr/bin/time -v (wall time, CPU, peak memory). A run of a tenth the size comes
# first: the same peak memory for both is what "streamed, memory flat" means.
#
#   bench/batch-1m.sh [rules/community-grant] [1000000]
#   ELIGO_EXE=/path/to/eligo bench/batch-1m.sh   (time another build, e.g. an older commit's)
#
# Needs target/release/eligo (cargo build --release) and /usr/bin/time (Debian: time).
set -euo pipefail
cd "$(dirname "$0")/.."
RULESET=${1:-rules/community-grant}
COUNT=${2:-1000000}
EXE=${ELIGO_EXE:-target/release/eligo}
[ -x "$EXE" ] || { echo "bench/batch-1m.sh: build first: cargo build --release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/batch-1m.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $((COUNT / 10)) "$COUNT"; do
  "$EXE" generate "$RULESET" --count "$n" --seed 1 -o "$TMP/cases.jsonl"
  size=$(du -h "$TMP/cases.jsonl" | cut -f1)
  # Exit 1 only says some generated rows were invalid input (reported on their lines).
  /usr/bin/time -v "$EXE" batch "$RULESET" --input "$TMP/cases.jsonl" -o "$TMP/results.jsonl" --quiet \
    >"$TMP/summary.txt" 2>"$TMP/time.txt" || [ $? -eq 1 ]
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time.txt")
  cpu=$(sed -n 's/.*Percent of CPU this job got: //p' "$TMP/time.txt")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
  user=$(sed -n 's/.*User time (seconds): //p' "$TMP/time.txt")
  sys=$(sed -n 's/.*System time (seconds): //p' "$TMP/time.txt")
  out=$(du -h "$TMP/results.jsonl" | cut -f1)
  # CPU seconds say what the run costs when other work shares the cores; wall time does not.
  echo "$RULESET: $n cases ($size in, $out out): wall $wall, CPU $cpu (user $user s, system $sys s), peak memory $((rss / 1024)) MiB"
  head -1 "$TMP/summary.txt"
done
