#!/usr/bin/env bash
# Install what the build and tests need, idempotently: the wasm32 target, wasm-bindgen-cli
# (its version must equal the wasm-bindgen crate's), npm packages, Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130

rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  # Not --locked: its lockfile wants a crate version the registry here lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if [ -f package-lock.json ] && { [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/esbuild ]; }; then
  npm ci --no-audit --no-fund
fi
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update && apt-get install -y chromium brotli) >/dev/null
  else
    sudo sh -c 'apt-get update && apt-get install -y chromium brotli' >/dev/null
  fi
fi
