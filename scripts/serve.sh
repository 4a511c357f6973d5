#!/usr/bin/env bash
# Build everything the browser front end needs and serve www/ on http://localhost:8080:
# the release CLI, the wasm package (pkg/, linked as www/pkg), the seed rule bundle
# (www/rules.bundle.json), and the referral page's script and the partner embed as one file
# each (www/index.bundle.js, www/embed.bundle.js).
# PORT=9000 scripts/serve.sh serves elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"

scripts/setup.sh
cargo build --release --locked
scripts/build-wasm.sh
target/release/eligo bundle rules/ -o www/rules.bundle.json
# The referral page's script and the partner embed as one file each; run it again after editing www/.
node scripts/bundle-page.mjs
# www/pkg is a link, so a rebuilt pkg/ is served at once (both are gitignored).
if [ ! -L www/pkg ]; then rm -rf www/pkg; fi
ln -sfn ../pkg www/pkg

echo
echo "Eligo is at http://localhost:${PORT}/  (playground: http://localhost:${PORT}/playground.html," \
     "partner example: http://localhost:${PORT}/example-partner.html). Ctrl-C stops it."
exec node scripts/static-server.mjs --host 127.0.0.1 --port "$PORT" www
