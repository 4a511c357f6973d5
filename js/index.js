// Eligo: the rules-and-eligibility engine as WebAssembly, for browsers, bundlers and Node 20.
// This is the runtime module: it loads bundles (`eligo bundle`), which carry their rule
// files' parsed form, so it has no TOML reader and is the smallest download. authoring.js
// has the same API and also loads loose rule files ({ id?, files }), as the playground does.
//
// API (types in eligo.d.ts):
//   import { init, Engine, createEngine, isEligoError } from "./index.js";
//   await init();                          // once; Node reads eligo_wasm_bg.wasm with fs, browsers fetch it
//   const engine = new Engine();
//   engine.load(bundle);                   // `eligo bundle` JSON (text or object) → ids; authoring.js also takes { id?, files: {"ruleset.toml": ...} }
//   engine.load(bundle, publicKey);        // only a bundle signed by that ed25519 key (`eligo bundle --sign`) and unchanged loads
//   engine.rulesets();                     // [{ id, title, version, hash, outcomes }]
//   engine.describe(id);                   // schema, outcomes, parameters, rules: enough to build a form
//   engine.jsonSchema(id);                 // the input schema as JSON Schema
//   engine.evaluate(id, input, { asOf, trace });   // → decision object {ruleset, as_of, outcome, values, reasons, trace?, engine}
//   engine.evaluateJson(id, inputJson, optionsJson); // → decision or {"error":...} JSON text, byte-identical to native; never throws for a bad case
//   engine.remove(id); engine.free();
// Failures throw an Error named "EligoError" with `code` (invalid_input, unknown_ruleset,
// ruleset_error, evaluation_error, invalid_request; init rejects with module_error), `issues`
// ([{path, message, location?}]) and, for rule-file errors, `location` ({ruleset, file, line, column}).
//

import * as glue from "./eligo_wasm.js";
import { bind, isEligoError } from "./api.js";

// The literal `new URL(..., import.meta.url)` lets bundlers find and copy the .wasm file.
export const { init, createEngine, Engine } = bind(glue, () => new URL("eligo_wasm_bg.wasm", import.meta.url));
export { isEligoError };
export default init;
