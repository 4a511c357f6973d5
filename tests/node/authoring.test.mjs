// The two modules: the authoring module (pkg/authoring.js: the engine with its TOML
// reader, for the playground) decides every rule-set test case byte for byte as natively,
// whether it loads the bundle or each rule set's loose TOML files; the runtime module
// (pkg/index.js) loads bundles from their parsed form and refuses loose files plainly.

import { test } from "node:test";
import assert from "node:assert/strict";
import { loadPkg, loadAuthoring, bundleText, nativeCases, firstDifference, optionsFor } from "./helpers.mjs";

const authoring = await loadAuthoring();
await authoring.init();
const runtime = await loadPkg();
await runtime.init();
const bundle = JSON.parse(bundleText());

test("every case through the authoring module, from the bundle and from loose files, gives the native bytes", () => {
  const fromBundle = new authoring.Engine();
  fromBundle.load(bundle);
  const fromFiles = new authoring.Engine();
  for (const r of bundle.rulesets) fromFiles.load({ id: r.id, files: r.files });
  const cases = nativeCases();
  assert.ok(cases.length > 0, "eligo test --emit-json wrote no cases");
  const mismatches = [];
  for (const c of cases) {
    for (const [how, engine] of [["bundle", fromBundle], ["loose files", fromFiles]]) {
      const out = engine.evaluateJson(c.ruleset, JSON.stringify(c.input), optionsFor(c));
      if (out !== c.output) mismatches.push(`${how}: ${c.ruleset} ${c.file}: ${c.name}: ${firstDifference(out, c.output)}`);
    }
  }
  assert.equal(mismatches.length, 0, mismatches.join("\n"));
});

test("the runtime module loads bundles only, and says where loose files load", () => {
  const engine = new runtime.Engine();
  const first = bundle.rulesets[0];
  assert.throws(
    () => engine.load({ id: first.id, files: first.files }),
    (e) => e.code === "invalid_request" && /bundles/.test(e.message) && /authoring/.test(e.message),
  );
  // A bundle from before bundles carried a parsed form: the runtime names the fix...
  const old = structuredClone(bundle);
  for (const r of old.rulesets) delete r.parsed;
  assert.throws(
    () => engine.load(old),
    (e) => e.code === "invalid_request" && /no parsed form/.test(e.message) && /eligo bundle/.test(e.message),
  );
  // ...and the authoring module still reads it from its TOML text.
  const reader = new authoring.Engine();
  assert.deepEqual(reader.load(old).sort(), bundle.rulesets.map((r) => r.id).sort());
  assert.deepEqual(engine.load(bundle).sort(), bundle.rulesets.map((r) => r.id).sort());
});
