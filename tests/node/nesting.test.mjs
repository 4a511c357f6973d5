// A hostile script that nests values deeply is stopped by the sandbox's list and map limits
// before V8's stack gives out, and the engine stays usable afterwards (a stack overflow
// inside wasm would leave the Engine object poisoned).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadAuthoring } from "./helpers.mjs";

test("deep nesting is stopped with an evaluation_error and the engine still decides", async () => {
  const { createEngine } = await loadAuthoring(); // loose files: the authoring module
  const engine = await createEngine();
  const dir = join(ROOT, "rules", "community-grant");
  const files = {
    "ruleset.toml": readFileSync(join(dir, "ruleset.toml"), "utf8"),
    "parameters.toml": readFileSync(join(dir, "parameters.toml"), "utf8"),
    "rules.rhai": 'rule("r", true, "ok");\nlet a = [];\nloop { a = [#{ x: a }]; }\noutcome("eligible");\n',
  };
  engine.load({ files });
  const input = { fund: "people_power", applicant_type: "community_group", requested_amount: 100,
    application_date: "2019-01-01", priorities: ["early_intervention"] };
  assert.throws(() => engine.evaluate("community-grant", input), (e) => {
    assert.equal(e.code, "evaluation_error");
    // Each step copies the whole nest, so what the script copies in all (128 MB) can stop it
    // before the nesting reaches the list and map limits.
    assert.match(e.message, /sandbox limit|copied or searched more than 128 MB/);
    assert.equal(e.location.line, 3);
    return true;
  });
  engine.load({ files: { ...files, "rules.rhai": readFileSync(join(dir, "rules.rhai"), "utf8") } });
  assert.equal(engine.evaluate("community-grant", input).outcome, "eligible");
});
