#!/usr/bin/env bash
# The whole test suite, as CI runs it: native unit and integration tests, every rule set's
# own test cases with coverage, the shared contract cases, the wasm build with its
# native≡wasm tests, and the browser tests. Installs what it needs (see scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "setup"
scripts/setup.sh

step "native tests"
cargo test --locked 2>&1

step "release build"
cargo build --release --locked

step "rule sets: check and test"
target/release/eligo check rules/
target/release/eligo test rules/ --require-coverage

if [ -x ../shared/checks/contract-cases.sh ]; then
  step "shared contract cases"
  ../shared/checks/contract-cases.sh target/release/eligo
fi

step "wasm: build; every rule-set case through wasm, byte for byte against native; the JS API"
scripts/build-wasm.sh
target/release/eligo bundle rules/ -o target/rules.bundle.json
target/release/eligo test rules/ --emit-json target/native-cases.json >/dev/null
ELIGO_BIN=target/release/eligo node --test tests/node/

step "browser tests"
# The browser tests drive www/ on the wasm package: (re)build it when missing or older
# than its sources.
if [ ! -f pkg/index.js ] || [ ! -f pkg/authoring.js ] || [ ! -f pkg/eligo_authoring_bg.wasm ] || [ -n "$(find src js Cargo.toml Cargo.lock -newer pkg/eligo_authoring_bg.wasm 2>/dev/null | head -1)" ]; then
  scripts/build-wasm.sh
fi
node --test tests/browser/
