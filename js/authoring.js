// Eligo's authoring module: the API of index.js (see there), from a build of the engine
// that also reads rule sets' TOML text, so `load({ id?, files })` takes loose rule files, as
// the rule playground edits them, and can generate caseloads and compare two rule sets on
// one (below). A larger download than the runtime module (README, "WebAssembly package").

import * as glue from "./eligo_authoring.js";
import { bind, isEligoError } from "./api.js";

export const { init, createEngine, Engine } = bind(glue, () => new URL("eligo_authoring_bg.wasm", import.meta.url), addAuthoring);

/**
 * What only this module has (the runtime module's Engine has none of it, and its page
 * downloads none of this):
 *   engine.runTests(id)                                        // the rule set's own test cases, run in the page (every version's: `eligo test`'s)
 *   engine.generateCases(id, count, seed = 1, first = 0)      // synthetic cases, JSON Lines: `eligo generate`'s lines
 *   engine.compareWith(id, oldEngine, oldId, cases, options)  // what deciding `cases` by this rule set instead would change: `eligo diff --json`'s report
 *   engine.startComparison(id, oldEngine, oldId, options)     // the same a piece at a time: add(jsonLines, firstRow) or openCases(text, "jsonl"|"csv") → bytes, then step(maxRows); then report()
 */
function addAuthoring({ Engine, rawOf, glue, requestError, optionsText, text, asJson }) {
  /** `v` when it is a whole number from 0 to `max`; otherwise an invalid_request naming the argument. */
  function whole(name, v, max) {
    const shown = typeof v === "string" ? JSON.stringify(v) : typeof v === "number" || v == null ? String(v) : typeof v;
    if (!Number.isInteger(v) || v < 0 || v > max) throw requestError(`${name} must be a whole number from 0 to ${max}, not ${shown}`);
    return v;
  }

  Object.assign(Engine.prototype, {
    generateCases(id, count, seed = 1, first = 0) {
      // As `eligo generate` takes them; wasm-bindgen would wrap or truncate anything else.
      return rawOf(this).generateCases(text("id", id), whole("count", count, 2 ** 32 - 1), whole("seed", seed, Number.MAX_SAFE_INTEGER), whole("first", first, 2 ** 32 - 1));
    },

    runTests(id) {
      return JSON.parse(rawOf(this).runTests(text("id", id)));
    },

    compareWith(id, old, oldId, cases, options) {
      if (typeof cases !== "string" && !Array.isArray(cases)) throw requestError("cases must be JSON Lines text or an array of inputs");
      return JSON.parse(rawOf(this).compareWith(text("id", id), rawOf(old), text("oldId", oldId), asJson(cases), optionsText(options)));
    },

    startComparison(id, old, oldId, options) {
      const [self, raw] = [rawOf(this), rawOf(old)];
      text("id", id);
      text("oldId", oldId);
      const c = new glue.Comparison(optionsText(options));
      let done = false;
      const open = () => {
        if (done) throw requestError("this comparison has reported already");
      };
      return {
        add(jsonLines, firstRow = 1) {
          open();
          return c.add(self, id, raw, oldId, text("jsonLines", jsonLines), whole("firstRow", firstRow, 2 ** 32 - 1));
        },
        openCases(cases, format = "jsonl") {
          open();
          return c.openCases(raw, oldId, text("cases", cases), text("format", format));
        },
        step(maxRows = 1000) {
          open();
          return c.step(self, id, raw, oldId, whole("maxRows", maxRows, 2 ** 32 - 1)) ?? null;
        },
        report() {
          open();
          done = true;
          try {
            return JSON.parse(c.report(self, id, raw, oldId));
          } finally {
            c.free();
          }
        },
      };
    },
  });
}
export { isEligoError };
export default init;
