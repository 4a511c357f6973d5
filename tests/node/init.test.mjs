// How the package starts in Node: from its own .wasm file by default (read with fs, without
// loading Node's fetch implementation, which costs ~100 ms of cold start), or from bytes or
// a compiled module given by the host. Each test file runs in its own process, so init here
// is the first.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, cpSync, rmSync, renameSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
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
  await assert.rejects(fresh.init(new Uint8Array([0, 1, 2, 3])), (e) => fresh.isEligoError(e) && e.code === "module_error");
  await fresh.init(readFileSync(join(PKG_DIR, "eligo_wasm_bg.wasm")));
  assert.match(new fresh.Engine().version, /^eligo\//);
});

/** A copy of the package, so that its glue module starts uninitialised; `use(pkg, dir)`. */
async function withFreshPackage(use) {
  const dir = mkdtempSync(join(tmpdir(), "eligo-init-"));
  try {
    cpSync(PKG_DIR, dir, { recursive: true });
    await use(await import(pathToFileURL(join(dir, "index.js")).href), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `init` rejects with an EligoError of code module_error whose message matches `pattern`. */
async function failsToStart(pkg, source, pattern) {
  let caught;
  await assert.rejects(pkg.init(source), (e) => ((caught = e), true));
  assert.ok(pkg.isEligoError(caught), `not an EligoError: ${caught}`);
  assert.equal(caught.name, "EligoError");
  assert.equal(caught.code, "module_error", caught.message);
  assert.deepEqual(caught.issues, []);
  assert.match(caught.message, /^the WebAssembly module could not be loaded/);
  assert.match(caught.message, pattern);
  assert.ok(caught.cause !== undefined, "the error underneath is its cause");
  assert.throws(() => new pkg.Engine(), (e) => e.code === "invalid_request", "not started");
  return caught;
}

test("init failures are EligoErrors with code module_error: a URL answering 404, a missing file, bytes that are not WebAssembly", async () => {
  // They were the platform's own errors (TypeError, CompileError, ENOENT), with no code.
  const wasm = readFileSync(join(PKG_DIR, "eligo_wasm_bg.wasm"));
  const server = createServer((req, res) => {
    if (req.url === "/eligo_wasm_bg.wasm") {
      res.writeHead(200, { "content-type": "application/wasm" }).end(wasm);
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    await withFreshPackage(async (pkg, dir) => {
      await failsToStart(pkg, `${base}/missing.wasm`, /404.*missing\.wasm/);
      await failsToStart(pkg, new URL(`${base}/missing.wasm`), /404/);
      await failsToStart(pkg, new Uint8Array([0, 1, 2, 3]), /magic|WebAssembly/i);
      await failsToStart(pkg, new Response("not found", { status: 404, statusText: "Not Found" }), /404/);
      // The default: the .wasm file beside index.js, here not there.
      renameSync(join(dir, "eligo_wasm_bg.wasm"), join(dir, "moved.wasm"));
      await failsToStart(pkg, undefined, /eligo_wasm_bg\.wasm/);
      await failsToStart(pkg, join(dir, "nowhere.wasm"), /nowhere\.wasm/);
      // Each failure can be retried: here with the URL that serves it.
      await pkg.init(`${base}/eligo_wasm_bg.wasm`);
      assert.match(new pkg.Engine().version, /^eligo\//);
    });
    // A Response, as the types allow, starts the module in Node too (it was handed to
    // WebAssembly.compile as if it were bytes, a TypeError).
    await withFreshPackage(async (pkg) => {
      await pkg.init(new Response(wasm, { headers: { "content-type": "application/wasm" } }));
      assert.match(new pkg.Engine().version, /^eligo\//);
    });
    await withFreshPackage(async (pkg) => {
      await pkg.init(null); // null is not given: the .wasm file beside index.js
      assert.match(new pkg.Engine().version, /^eligo\//);
    });
  } finally {
    server.close();
  }
});
