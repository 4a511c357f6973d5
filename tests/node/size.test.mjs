// The size budget (DESIGN.md): what a form page downloads for the engine, the runtime
// module with its JS, stays under 500 KB gzip -9 and 400 KB brotli. A size check, not a
// timing: compression is deterministic. The authoring module (playground) has no budget.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import { PKG_DIR } from "./helpers.mjs";

const RUNTIME = ["eligo_wasm_bg.wasm", "eligo_wasm.js", "index.js", "api.js"];
const KB = 1024;

test("the runtime module and its JS are under 500 KB gzip and 400 KB brotli", () => {
  let gzip = 0;
  let brotli = 0;
  for (const f of RUNTIME) {
    const bytes = readFileSync(join(PKG_DIR, f));
    gzip += gzipSync(bytes, { level: 9 }).length;
    brotli += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  const kb = (n) => `${(n / KB).toFixed(1)} KB`;
  assert.ok(gzip < 500 * KB, `gzip ${kb(gzip)} is over the 500 KB budget (README, "Size and speed": what to trade)`);
  assert.ok(brotli < 400 * KB, `brotli ${kb(brotli)} is over the 400 KB budget`);
  // The runtime carries no TOML reader: the authoring module is the larger of the two.
  const authoring = readFileSync(join(PKG_DIR, "eligo_authoring_bg.wasm")).length;
  assert.ok(authoring > readFileSync(join(PKG_DIR, RUNTIME[0])).length, "the runtime module is the smaller one");
});
