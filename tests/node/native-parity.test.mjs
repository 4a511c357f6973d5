// native ≡ wasm: every rule-set test case, run through the WebAssembly build, must give
// the same bytes as natively. Cases are discovered from `eligo test --emit-json` and from
// the bundle, never listed here, so new rule sets and cases are covered as they land.

import { describe, it, before } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadPkg, loadAuthoring, bundleText, nativeCases, eligo, firstDifference, optionsFor } from "./helpers.mjs";

const { init, Engine } = await loadPkg();
await init();
const engine = new Engine();
const loaded = engine.load(bundleText());
// The bundle's own test cases run in the authoring module (the runtime module leaves them unread).
const authoring = await loadAuthoring();
await authoring.init();
const tester = new authoring.Engine();
tester.load(bundleText());
const cases = nativeCases();

const byRuleset = new Map();
for (const c of cases) {
  if (!byRuleset.has(c.ruleset)) byRuleset.set(c.ruleset, []);
  byRuleset.get(c.ruleset).push(c);
}

describe("the bundle and the native run", () => {
  it("have cases to compare", () => {
    assert.ok(cases.length > 0, "eligo test --emit-json wrote no cases");
  });

  it("cover the same rule sets", () => {
    assert.deepEqual([...byRuleset.keys()].sort(), [...loaded].sort());
  });

  it("hold the same cases per rule set (wasm runTests vs native)", () => {
    for (const id of loaded) {
      assert.equal(engine.runTests, undefined, "the runtime module has no runTests");
      const wasmCases = tester.runTests(id).cases.map((c) => `${c.file} ${c.name}`);
      const native = (byRuleset.get(id) ?? []).map((c) => `${c.file} ${c.name}`);
      assert.deepEqual(wasmCases, native, `${id}: the bundle's test cases differ from the native run's`);
    }
  });
});

for (const [id, group] of byRuleset) {
  describe(`${id}: every test case through wasm`, () => {
    let report;
    before(() => {
      report = tester.runTests(id);
    });

    it(`evaluateJson gives the native bytes for all ${group.length} cases`, () => {
      const mismatches = [];
      for (const c of group) {
        const out = engine.evaluateJson(c.ruleset, JSON.stringify(c.input), optionsFor(c));
        if (out !== c.output) mismatches.push(`${c.file}: ${c.name}: ${firstDifference(out, c.output)}`);
      }
      assert.equal(mismatches.length, 0, mismatches.join("\n"));
    });

    it(`brief decisions (no reason worded) give the native bytes for all ${group.length} cases`, () => {
      const mismatches = [];
      for (const c of group) {
        assert.equal(typeof c.brief_output, "string", `${c.name}: eligo test --emit-json wrote no brief output`);
        const options = JSON.stringify({ brief: true, ...(c.as_of ? { asOf: c.as_of } : {}) });
        const out = engine.evaluateJson(c.ruleset, JSON.stringify(c.input), options);
        if (out !== c.brief_output) mismatches.push(`${c.file}: ${c.name}: ${firstDifference(out, c.brief_output)}`);
        // Brief is the full decision less each reason's wording.
        const full = JSON.parse(c.output);
        if (!full.error) {
          for (const r of full.reasons) delete r.message;
          assert.deepEqual(JSON.parse(out), full, `${c.name}: brief is not the full decision unworded`);
        }
      }
      assert.equal(mismatches.length, 0, mismatches.join("\n"));
    });

    it("evaluate returns the same decisions as objects (or throws the same errors)", () => {
      for (const c of group) {
        const native = JSON.parse(c.output);
        const options = c.as_of ? { asOf: c.as_of } : undefined;
        if (native.error) {
          assert.throws(
            () => engine.evaluate(c.ruleset, c.input, options),
            (e) => e instanceof Error && e.code === native.error.code && JSON.stringify(e.issues) === JSON.stringify(native.error.issues ?? []),
            `${c.name}: expected a thrown ${native.error.code}`,
          );
        } else {
          assert.deepEqual(engine.evaluate(c.ruleset, c.input, options), native, c.name);
        }
      }
    });

    it("runTests (test files parsed and checked inside wasm) gives the native outputs, all passing", () => {
      assert.equal(report.cases.length, group.length);
      report.cases.forEach((w, i) => {
        const n = group[i];
        assert.equal(w.name, n.name);
        assert.equal(w.output, n.output, `${w.file}: ${w.name}: ${firstDifference(w.output, n.output)}`);
        assert.ok(w.passed, `${w.file}: ${w.name} fails in wasm: ${w.problems.join("; ")}`);
      });
    });

    const dir = join(ROOT, "rules", id);
    it("traces equal `eligo eval --trace` for every case", { skip: !existsSync(dir) && `no folder rules/${id}` }, () => {
      const mismatches = [];
      for (const c of group) {
        const input = JSON.stringify(c.input);
        const args = ["eval", `rules/${id}`, "--input", "-", "--trace", ...(c.as_of ? ["--as-of", c.as_of] : [])];
        const native = eligo(args, input);
        assert.ok(native.status === 0 || native.status === 1, `eligo eval exited ${native.status}: ${native.stderr}`);
        const wasm = engine.evaluateJson(id, input, JSON.stringify({ trace: true, ...(c.as_of ? { asOf: c.as_of } : {}) }));
        const nativeOut = native.stdout.replace(/\n$/, "");
        if (wasm !== nativeOut) mismatches.push(`${c.file}: ${c.name}: ${firstDifference(wasm, nativeOut)}`);
      }
      assert.equal(mismatches.length, 0, mismatches.join("\n"));
    });
  });
}
