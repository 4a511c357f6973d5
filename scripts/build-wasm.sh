#!/usr/bin/env bash
# Build the WebAssembly package into pkg/. Two modules from the same crate, each compiled
# for wasm32 (profile wasm-release in Cargo.toml), given JS bindings by wasm-bindgen
# (--target web) and shrunk by npm binaryen's wasm-opt:
#   runtime    eligo_wasm_bg.wasm, wrapped by index.js: loads bundles only, built
#              --no-default-features --features compiled (no TOML reader; scripts
#              evaluated in compiled form); what forms and partner pages download
#   authoring  eligo_authoring_bg.wasm, wrapped by authoring.js: also loads loose TOML rule
#              files (the playground)
# then adds the shared JS API (js/api.js), the TypeScript declarations
# (js/eligo-types.d.ts → pkg/eligo.d.ts) and package.json, minifies the JS (npm esbuild)
# and prints the sizes (raw, gzip -9, brotli) of what a page downloads for each.
#
# Environment:
#   ELIGO_WASM_TARGET_DIR   cargo target dir (default target/wasm-build: its own, so a wasm
#                           build does not wait on the lock of native builds in target/)
#   CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL   override the profile's opt-level (s, z, 3...)
#   ELIGO_WASM_INLINE_THRESHOLD   LLVM inline threshold for every crate (default 25; empty:
#                           LLVM's own, 5 at opt-level z). Measured on the runtime module
#                           (README, "Size and speed"): 25 gives 2.81-2.87x native at 499.5 KB
#                           gzip, 20 gives 3.00x at 497.9 KB, 15 gives 3.12-3.15x at 495.9 KB
#   WASM_OPT_FLAGS          wasm-opt flags (default -Oz --converge); none skips wasm-opt
#   PKG_DIR                 output folder (default pkg)
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_DIR=${ELIGO_WASM_TARGET_DIR:-target/wasm-build}
PKG_DIR=${PKG_DIR:-pkg}
# --converge repeats -Oz until it stops shrinking: ~3 KB gzip smaller, ~1 minute longer.
WASM_OPT_FLAGS=${WASM_OPT_FLAGS:--Oz --converge}
THRESHOLD=${ELIGO_WASM_INLINE_THRESHOLD-25}
INLINE=${THRESHOLD:+-C llvm-args=-inline-threshold=$THRESHOLD}
WASM_BINDGEN_VERSION=0.2.130

need() {
  echo "build-wasm: $1" >&2
  echo "build-wasm: scripts/setup.sh installs what the build needs" >&2
  exit 2
}
command -v wasm-bindgen >/dev/null || need "wasm-bindgen is not on PATH (cargo install wasm-bindgen-cli --version $WASM_BINDGEN_VERSION)"
wasm-bindgen --version | grep -q "$WASM_BINDGEN_VERSION" || need "wasm-bindgen must be $WASM_BINDGEN_VERSION to match the crate (found: $(wasm-bindgen --version))"
WASM_OPT=node_modules/.bin/wasm-opt
if [ "$WASM_OPT_FLAGS" != none ] && [ ! -x "$WASM_OPT" ]; then
  need "$WASM_OPT is missing (npm ci installs binaryen; Debian's binaryen output fails to load)"
fi
[ -x node_modules/.bin/esbuild ] || need "node_modules/.bin/esbuild is missing (npm ci installs it)"

# An 8 MB wasm stack (rust's default is 1 MB): rhai walks nested values recursively, and
# the sandbox's size limits are set for an 8 MB stack, as natively.
mkdir -p "$PKG_DIR"
rm -f "$PKG_DIR"/eligo_wasm* "$PKG_DIR"/eligo_authoring* "$PKG_DIR"/*.js "$PKG_DIR"/*.d.ts "$PKG_DIR"/package.json

# Source paths in panic locations without this machine's folders (the crate registry's and
# this checkout's): shorter, and the same module wherever it is built (-0.2 KB gzip).
# (RUSTFLAGS is split at spaces: a folder with one in its path is left as it is.)
# The registry's folder exists once the dependencies are fetched.
cargo fetch --locked --quiet --target wasm32-unknown-unknown
REMAP=""
for dir in "$PWD/" "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  case $dir in *' '*) ;; *) REMAP="$REMAP --remap-path-prefix=$dir=" ;; esac
done

# build_module NAME CARGO_FEATURE_ARGS...: compile, bind as NAME, shrink.
build_module() {
  local name=$1
  shift
  RUSTFLAGS="${RUSTFLAGS:-} -C link-arg=-zstack-size=8388608 $INLINE $REMAP" \
  CARGO_TARGET_DIR=$TARGET_DIR cargo build --locked --profile wasm-release --target wasm32-unknown-unknown --lib "$@"
  wasm-bindgen --target web --out-dir "$PKG_DIR" --out-name "$name" \
    "$TARGET_DIR/wasm32-unknown-unknown/wasm-release/eligo.wasm"
  local wasm="$PKG_DIR/${name}_bg.wasm"
  if [ "$WASM_OPT_FLAGS" != none ]; then
    # shellcheck disable=SC2086 # flags are words
    # The producers and target-features sections are for tools, not browsers (-0.25 KB gzip).
    "$WASM_OPT" $WASM_OPT_FLAGS --strip-producers --strip-target-features "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
  fi
}
build_module eligo_wasm --no-default-features --features compiled
build_module eligo_authoring

cp js/index.js js/authoring.js js/api.js "$PKG_DIR/"
# The JS a page downloads, minified (esbuild, from npm): each file on its own, imports,
# exports and property names as they are. js/ keeps the readable source; eligo.d.ts the API.
for f in index.js authoring.js api.js eligo_wasm.js eligo_authoring.js; do
  node_modules/.bin/esbuild "$PKG_DIR/$f" --minify --format=esm --legal-comments=none --log-level=warning \
    --outfile="$PKG_DIR/$f" --allow-overwrite
done
cp js/eligo-types.d.ts "$PKG_DIR/eligo.d.ts"
# authoring.js has index.js's API, so it has its types.
printf '%s\n' 'export * from "./eligo.js";' 'export { default } from "./eligo.js";' >"$PKG_DIR/authoring.d.ts"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
cat >"$PKG_DIR/package.json" <<EOF
{
  "name": "eligo",
  "version": "$VERSION",
  "description": "Rules-and-eligibility engine (Rhai rule sets) as WebAssembly: decisions with plain-English reasons, computed in the page",
  "license": "MIT",
  "type": "module",
  "main": "./index.js",
  "module": "./index.js",
  "types": "./eligo.d.ts",
  "exports": {
    ".": { "types": "./eligo.d.ts", "default": "./index.js" },
    "./authoring": { "types": "./authoring.d.ts", "default": "./authoring.js" },
    "./eligo_wasm_bg.wasm": "./eligo_wasm_bg.wasm",
    "./eligo_authoring_bg.wasm": "./eligo_authoring_bg.wasm"
  },
  "files": ["index.js", "authoring.js", "api.js", "eligo.d.ts", "authoring.d.ts",
            "eligo_wasm.js", "eligo_wasm.d.ts", "eligo_wasm_bg.wasm", "eligo_wasm_bg.wasm.d.ts",
            "eligo_authoring.js", "eligo_authoring.d.ts", "eligo_authoring_bg.wasm", "eligo_authoring_bg.wasm.d.ts"],
  "sideEffects": false
}
EOF

# Sizes of what a page downloads for each module: the .wasm and the JS (glue + wrapper + API).
node - "$PKG_DIR" <<'EOF'
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const dir = process.argv[2];
const kb = (n) => (n / 1024).toFixed(1) + " KB";
const size = (buf) => [buf.length,
  zlib.gzipSync(buf, { level: 9 }).length,
  zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
for (const [label, name, wrapper] of [["runtime (index.js)", "eligo_wasm", "index.js"], ["authoring (authoring.js)", "eligo_authoring", "authoring.js"]]) {
  const rows = [`${name}_bg.wasm`, `${name}.js`, wrapper, "api.js"].map((f) => [f, ...size(fs.readFileSync(path.join(dir, f)))]);
  const total = rows.reduce((t, r) => [t[0], t[1] + r[1], t[2] + r[2], t[3] + r[3]], ["total", 0, 0, 0]);
  console.log(`${label.padEnd(26)} raw        gzip -9    brotli`);
  for (const r of [...rows, total]) console.log("  " + r[0].padEnd(24), ...r.slice(1).map((n) => kb(n).padStart(10)));
}
EOF
