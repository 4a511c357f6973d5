#!/usr/bin/env bash
# Build the fuzz targets once, then run one directly (so edits elsewhere in the tree do
# not trigger rebuilds mid-run). Usage: fuzz/run.sh <target> <seconds> [libFuzzer args...]
# New inputs go to fuzz/work/<target> (ignored by git); crashes to fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
target=$1 secs=$2
shift 2
case $target in
  load_manifest) dict=dict/toml.dict ;;
  load_script) dict=dict/rhai.dict ;;
  eval_input) dict=dict/input.dict ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
if [ "${NO_BUILD:-}" != 1 ]; then
  RUSTC_BOOTSTRAP=1 cargo fuzz build -O "$target"
fi
mkdir -p "work/$target" "artifacts/$target"
exec "target/x86_64-unknown-linux-gnu/release/$target" "work/$target" "corpus/$target" \
  -dict="$dict" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1 "$@"
