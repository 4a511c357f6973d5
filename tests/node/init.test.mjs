// How the package starts in Node: from its own .wasm file by default (read with fs, without
// loading Node's fetch implementation, which costs ~100 ms of cold start), or from bytes or
// a compiled module given by the host. Each test file runs in its own process, so init here
// is the first.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadPkg, PKG_DIR } from "./helpers.mjs";

const fetchLoaded = () => process.moduleLoadList.some((m) => m.includes("undici"));

test("init from a compiled WebAssembly.Module; later calls share it", async () => {
  const { init, Engine } = await loadPkg();
  const module = await WebAssembly.compile(readFileSync(join(PKG_DIR, "eligo_wasm_bg.wasm")));
  await init(module);
  await init(); // already initialised: no second instance, no file read
  const engine = new Engine();
  assert.deepEqual(engine.rulesets(), []);
  assert.equal(fetchLoaded(), false, "init must not load Node's fetch (undici)");
});

test("a bad source rejects and can be retried with a good one", async () => {
  const fresh = await import(`${new URL(join(PKG_DIR, "index.js"), "file://").href}?fresh`);
  await assert.rejects(fresh.init(new Uint8Array([0, 1, 2, 3])));
  await fresh.init(readFileSync(join(PKG_DIR, "eligo_wasm_bg.wasm")));
  assert.match(new fresh.Engine().version, /^eligo\//);
});
