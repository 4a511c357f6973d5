// The JS API over one wasm-bindgen module (runtime or authoring: both have the same
// exports). index.js and authoring.js each bind their own module; see index.js for the API.
//
// Everything crosses into WebAssembly as JSON text (faster than converting objects, and the
// decision bytes are the native ones); this file only parses and stringifies.

const isNode = typeof process !== "undefined" && process.versions != null && process.versions.node != null;

/** True for the errors Eligo throws. */
export function isEligoError(e) {
  return e instanceof Error && typeof e.code === "string" && Array.isArray(e.issues);
}

function eligoError(code, message, issues = [], cause) {
  const e = new Error(message, cause && { cause });
  e.name = "EligoError";
  e.code = code;
  e.issues = issues;
  return e;
}
const requestError = (message) => eligoError("invalid_request", message);

/**
 * `v` when it is text; otherwise an invalid_request naming the argument. Text crosses into
 * WebAssembly as bytes, and anything else there would trap rather than say what is wrong.
 */
function text(name, v) {
  if (typeof v !== "string") throw requestError(`${name} must be text (a string), not ${v === null ? "null" : typeof v}`);
  return v;
}
/** An optional text argument: `undefined` (or null) when not given. */
const maybeText = (name, v) => (v === undefined || v === null ? undefined : text(name, v));

// NaN and ±Infinity (a form's parseFloat("abc")) would become null in JSON, reported as a
// missing field: sent as text, they are refused as what they are, at their field.
const finite = (_, x) => (typeof x === "number" && !Number.isFinite(x) ? String(x) : x);

/**
 * `v` as JSON text (text as it is). What JSON cannot carry, a BigInt or a circular reference
 * (JSON.stringify's own TypeError), is refused at its field: in an input (`name` not given)
 * as invalid_input, as the engine refuses a field; in another argument as invalid_request.
 */
function asJson(v, name) {
  if (typeof v === "string") return v;
  try {
    return v === undefined ? "null" : JSON.stringify(v, finite);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const [path, message] = unwritable(v, "", []) ?? ["/", `cannot be written as JSON: ${e.message}`];
    if (name) throw requestError(`${name} at ${path} ${message}`);
    throw eligoError("invalid_input", `the input has 1 problem\n  ${path}: ${message}`, [{ path, message }], e);
  }
}

/** Where in `v` JSON.stringify stopped, found only once it has: [JSON path, why], or undefined. */
function unwritable(v, path, within) {
  if (typeof v === "bigint") return [path || "/", `is a BigInt (${v}n), which JSON cannot carry: give a number or text`];
  if (v === null || typeof v !== "object") return;
  if (within.includes(v)) return [path || "/", "refers back to an object that holds it (a circular reference), which JSON cannot carry"];
  within.push(v);
  for (const k of Object.keys(v)) {
    const found = unwritable(v[k], `${path}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, within);
    if (found) return found;
  }
  within.pop();
}

const optionsText = (o) => (o === undefined || o === null ? "" : asJson(o, "options"));

/**
 * The API for one wasm-bindgen glue module: `glue` is its namespace (default init,
 * initSync, Engine), `wasmUrl()` the URL of its .wasm file.
 */
export function bind(glue, wasmUrl, extend) {
  const { default: wasmInit, initSync, Engine: RawEngine } = glue;
  let ready = null;
  let initialized = false;

  /** Load and instantiate the module once; later calls return the same promise. */
  function init(source) {
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

  /** Any failure is an EligoError with code module_error, its cause the error underneath. */
  async function instantiate(source) {
    source ??= wasmUrl();
    const path = source instanceof URL || typeof source === "string" ? String(source) : undefined;
    const where = path ?? source.url; // a Request's or a Response's
    try {
      const file = path !== undefined && !/^https?:/.test(path);
      if (isNode && (file || source instanceof WebAssembly.Module || ArrayBuffer.isView(source) || source instanceof ArrayBuffer)) {
        // Node's fetch cannot read file: URLs, so read the bytes; and compile here rather than
        // through the generated init, whose checks for Response/Request make Node load its
        // fetch implementation (~100 ms of cold start).
        if (file) {
          const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ "node:fs/promises");
          source = await readFile(source);
        }
        initSync({ module: source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source) });
        return;
      }
      await wasmInit({ module_or_path: source });
    } catch (e) {
      // A URL that answers 404 (the .wasm file not served), bytes that are not WebAssembly, a file not there.
      const why = String(e?.message ?? e);
      const from = where && !why.includes(where) ? ` from ${where}` : "";
      throw eligoError("module_error", `the WebAssembly module could not be loaded${from}: ${why}`, [], e);
    }
  }

  /** `init`, then a new engine with `rules` loaded when given. */
  async function createEngine(rules) {
    await init();
    const engine = new Engine();
    if (rules !== undefined) {
      engine.load(rules);
    }
    return engine;
  }

  let rawOf;
  class Engine {
    #raw;

    static {
      // For the authoring module's methods (authoring.js): the wasm engine behind an Engine.
      rawOf = (e) => {
        if (!(e instanceof Engine)) throw requestError("expected an Engine");
        return e.#live();
      };
    }

    constructor() {
      if (!initialized) {
        throw requestError("the WebAssembly module is not ready: await init() before new Engine()");
      }
      this.#raw = new RawEngine();
    }

    /** The wasm engine, or an invalid_request once freed (wasm-bindgen's own error names no cause). */
    #live() {
      if (this.#raw === null) throw requestError("this engine has been freed: create a new one");
      return this.#raw;
    }

    get version() {
      return this.#live().version;
    }

    load(rules, publicKey) {
      if (ArrayBuffer.isView(rules) || rules instanceof ArrayBuffer) {
        throw requestError("load takes a bundle's text or object, not bytes: read the file as text");
      }
      return JSON.parse(this.#live().load(asJson(rules, "rules"), maybeText("publicKey", publicKey)));
    }

    rulesets() {
      return JSON.parse(this.#live().rulesets());
    }

    remove(id) {
      return this.#live().remove(text("id", id));
    }

    describe(id, options) {
      return JSON.parse(this.#live().describe(text("id", id), maybeText("asOf", options?.asOf)));
    }

    jsonSchema(id) {
      return JSON.parse(this.#live().jsonSchema(text("id", id)));
    }

    evaluate(id, input, options) {
      return JSON.parse(this.#live().evaluate(text("id", id), asJson(input), optionsText(options)));
    }

    evaluateJson(id, inputJson, optionsJson = "") {
      return this.#live().evaluateJson(text("id", id), text("inputJson", inputJson), text("optionsJson", optionsJson));
    }

    /** Release the engine's memory; later calls are an invalid_request, a second free() nothing. */
    free() {
      this.#raw?.free();
      this.#raw = null;
    }
  }

  extend?.({ Engine, rawOf, glue, requestError, optionsText, text, asJson });
  return { init, createEngine, Engine };
}
