// Eligo: the rules-and-eligibility engine as WebAssembly, for browsers, bundlers and Node 20.
//
// API (types in eligo.d.ts):
//   import { init, Engine, createEngine, isEligoError } from "./index.js";
//   await init();                          // once; Node reads eligo_wasm_bg.wasm with fs, browsers fetch it
//   const engine = new Engine();
//   engine.load(bundle);                   // `eligo bundle` JSON (text or object), or { id?, files: {"ruleset.toml": ...} } → ids
//   engine.load(bundle, publicKey);        // only a bundle signed by that ed25519 key (`eligo bundle --sign`) and unchanged loads
//   engine.rulesets();                     // [{ id, title, version, hash, outcomes }]
//   engine.describe(id);                   // schema, outcomes, parameters, rules: enough to build a form
//   engine.jsonSchema(id);                 // the input schema as JSON Schema
//   engine.evaluate(id, input, { asOf, trace });   // → decision object {ruleset, as_of, outcome, values, reasons, trace?, engine}
//   engine.evaluateJson(id, inputJson, optionsJson); // → decision or {"error":...} JSON text, byte-identical to native; never throws for a bad case
//   engine.runTests(id);                   // → { ruleset, cases: [{name, file, passed, problems, output}], coverage, never_fired }
//   engine.remove(id); engine.free();
// Failures throw an Error named "EligoError" with `code` (invalid_input, unknown_ruleset,
// ruleset_error, evaluation_error, invalid_request), `issues` ([{path, message, location?}])
// and, for rule-file errors, `location` ({ruleset, file, line, column}).
//
// Everything crosses into WebAssembly as JSON text (faster than converting objects, and the
// decision bytes are the native ones); this file only parses and stringifies.

import wasmInit, { initSync, Engine as RawEngine } from "./eligo_wasm.js";

const WASM_FILE = "eligo_wasm_bg.wasm";
let ready = null;
let initialized = false;

const isNode = typeof process !== "undefined" && process.versions != null && process.versions.node != null;

/** Load and instantiate the module once; later calls return the same promise. */
export function init(source) {
  if (ready === null) {
    ready = instantiate(source).then(
      () => {
        initialized = true;
      },
      (e) => {
        ready = null; // let a caller retry, e.g. with another source
        throw e;
      },
    );
  }
  return ready;
}

async function instantiate(source) {
  if (source === undefined) {
    source = new URL(WASM_FILE, import.meta.url);
  }
  if (isNode && !/^https?:/.test(String(source)) && !(typeof source === "object" && "then" in source)) {
    // Node's fetch cannot read file: URLs, so read the bytes; and compile here rather than
    // through the generated init, whose checks for Response/Request make Node load its
    // fetch implementation (~100 ms of cold start).
    if (source instanceof URL || typeof source === "string") {
      const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ "node:fs/promises");
      source = await readFile(source);
    }
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    initSync({ module });
    return;
  }
  await wasmInit({ module_or_path: source });
}

/** `init`, then a new engine with `rules` loaded when given. */
export async function createEngine(rules) {
  await init();
  const engine = new Engine();
  if (rules !== undefined) {
    engine.load(rules);
  }
  return engine;
}

/** True for the errors Eligo throws. */
export function isEligoError(e) {
  return e instanceof Error && typeof e.code === "string" && Array.isArray(e.issues);
}

function requestError(message) {
  const e = new Error(message);
  e.name = "EligoError";
  e.code = "invalid_request";
  e.issues = [];
  return e;
}

const asJson = (v) => (typeof v === "string" ? v : v === undefined ? "null" : JSON.stringify(v));

export class Engine {
  #raw;

  constructor() {
    if (!initialized) {
      throw requestError("the WebAssembly module is not ready: await init() before new Engine()");
    }
    this.#raw = new RawEngine();
  }

  get version() {
    return this.#raw.version;
  }

  load(rules, publicKey) {
    return JSON.parse(this.#raw.load(asJson(rules), publicKey));
  }

  rulesets() {
    return JSON.parse(this.#raw.rulesets());
  }

  remove(id) {
    return this.#raw.remove(id);
  }

  describe(id) {
    return JSON.parse(this.#raw.describe(id));
  }

  jsonSchema(id) {
    return JSON.parse(this.#raw.jsonSchema(id));
  }

  evaluate(id, input, options) {
    const opts = options === undefined || options === null ? "" : asJson(options);
    return JSON.parse(this.#raw.evaluate(id, asJson(input), opts));
  }

  evaluateJson(id, inputJson, optionsJson = "") {
    return this.#raw.evaluateJson(id, inputJson, optionsJson);
  }

  runTests(id) {
    return JSON.parse(this.#raw.runTests(id));
  }

  free() {
    this.#raw.free();
  }
}

export default init;
