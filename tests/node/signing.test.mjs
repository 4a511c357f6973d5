// Signed bundles in the wasm engine: `load(bundle, publicKey)` accepts only a bundle signed
// by that key and unchanged since; unsigned bundles still load when no key is given. The
// keys and bundles come from the native CLI (`eligo keygen`, `eligo bundle --sign`).

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPkg, eligo } from "./helpers.mjs";

const { init, Engine, isEligoError } = await loadPkg();
await init();

const dir = mkdtempSync(join(tmpdir(), "eligo-signing-"));
const run = (args) => {
  const r = eligo(args);
  assert.equal(r.status, 0, `eligo ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};
run(["keygen", "-o", join(dir, "publisher")]);
run(["keygen", "-o", join(dir, "other")]);
run(["bundle", "rules", "-o", join(dir, "signed.json"), "--sign", join(dir, "publisher.key")]);
run(["bundle", "rules", "-o", join(dir, "unsigned.json")]);
const signed = readFileSync(join(dir, "signed.json"), "utf8");
const unsigned = readFileSync(join(dir, "unsigned.json"), "utf8");
const publicKey = readFileSync(join(dir, "publisher.pub"), "utf8");
const otherKey = readFileSync(join(dir, "other.pub"), "utf8");
rmSync(dir, { recursive: true, force: true });

function refused(bundle, key, words) {
  const engine = new Engine();
  assert.throws(
    () => engine.load(bundle, key),
    (e) => isEligoError(e) && e.code === "invalid_request" && e.message.includes(words),
  );
  assert.deepEqual(engine.rulesets(), [], "nothing from a refused bundle is loaded");
}

test("a signed bundle loads with its public key (file text or bare hex) and decides", () => {
  const engine = new Engine();
  const ids = engine.load(signed, publicKey);
  assert.ok(ids.includes("community-grant"));
  const hex = publicKey.split("\n").find((l) => /^[0-9a-f]{64}$/.test(l));
  assert.deepEqual(new Engine().load(JSON.parse(signed), hex), ids);
  const d = engine.evaluate("community-grant", {
    fund: "people_power", applicant_type: "community_group", requested_amount: 2500,
    application_date: "2019-03-01", priorities: ["victims_and_witnesses"],
  });
  assert.equal(d.outcome, "eligible");
});

test("unsigned bundles load without a key and are refused with one", () => {
  assert.ok(new Engine().load(unsigned).includes("community-grant"));
  refused(unsigned, publicKey, "not signed");
});

test("a tampered bundle, another key, or loose files with a key are refused", () => {
  const b = JSON.parse(signed);
  b.rulesets[0].version = "9999.1";
  refused(JSON.stringify(b), publicKey, "does not match its content");
  const c = JSON.parse(signed);
  c.rulesets[0].files["rules.rhai"] += "\n// changed\n";
  refused(JSON.stringify(c), publicKey, "does not match its hash");
  refused(signed, otherKey, "not by the trusted key");
  refused({ id: "x", files: { "ruleset.toml": "", "rules.rhai": "" } }, publicKey, "only a signed bundle");
  refused(signed, "not a key", "public key");
});
