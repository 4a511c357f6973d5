// The JS API of the wasm package, through the authoring module (pkg/authoring.js: the same
// API as the runtime's index.js, and it also reads loose files): loading bundles and loose files, errors
// as JS Errors with code/issues/location, options, runTests. A tiny rule set written here
// keeps these tests independent of the seed rule sets' contents; where the native CLI can
// answer the same question (describe, check), the answers must agree.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { loadAuthoring, bundleText, eligo } from "./helpers.mjs";

const pkg = await loadAuthoring();
const { init, Engine, createEngine, isEligoError } = pkg;

const MINI = {
  "ruleset.toml": `id = "mini"
title = "A tiny rule set for the wasm tests"
version = "1"
owner = "tests"
description = "Adults may apply; the fee changed in 2020."

[as_of]
field = "on"

[[outcomes]]
id = "yes"
label = "Yes"

[[outcomes]]
id = "no"
label = "No"

[[input]]
name = "age"
type = "integer"
min = 0

[[input]]
name = "on"
type = "date"
`,
  "parameters.toml": `[fee]
type = "money"
values = [
  { from = 2010-01-01, value = 10 },
  { from = 2020-01-01, value = 12.5 },
]
`,
  "rules.rhai": `let adult = rule("adult", input.age >= 18, "You are an adult.", "You are under 18.");
value("fee", param("fee"));
outcome(if adult { "yes" } else { "no" });
`,
  "tests/basic.toml": `[[case]]
name = "an adult"
[case.input]
age = 30
on = 2021-05-01
[case.expect]
outcome = "yes"
values = { fee = 12.5 }
`,
};

/** MINI with some files replaced. */
const mini = (changes = {}) => ({ id: "mini", files: { ...MINI, ...changes } });

/** Assert `fn` throws an Eligo error with this code; returns the error. */
function throwsEligo(fn, code) {
  let caught;
  assert.throws(fn, (e) => {
    caught = e;
    return true;
  });
  assert.ok(caught instanceof Error, `expected an Error, got ${caught}`);
  assert.equal(caught.name, "EligoError");
  assert.equal(caught.code, code, `code ${caught.code}: ${caught.message}`);
  assert.ok(Array.isArray(caught.issues), "issues is an array");
  assert.ok(isEligoError(caught));
  return caught;
}

/** The native CLI's `check --plain` lines for these files, written to a temporary folder. */
function nativeCheck(files) {
  const dir = mkdtempSync(join(tmpdir(), "eligo-api-"));
  try {
    const rs = join(dir, "mini");
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(dirname(join(rs, name)), { recursive: true });
      writeFileSync(join(rs, name), text);
    }
    return eligo(["check", "--plain", rs]).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("new Engine() before init() throws an EligoError", () => {
  const e = throwsEligo(() => new Engine(), "invalid_request");
  assert.match(e.message, /init\(\)/);
});

test("init() loads the module once", async () => {
  const a = init();
  const b = init();
  assert.equal(a, b);
  await a;
  assert.match(new Engine().version, /^eligo\/\d+\.\d+\.\d+/);
  // In Node the module is read with fs; touching fetch's globals would load undici (~100 ms).
  assert.equal(process.moduleLoadList.some((m) => m.includes("undici")), false, "init loaded Node's fetch");
});

test("a bundle loads as text or object; rulesets() lists it with the bundle's hashes", async () => {
  const text = bundleText();
  const bundle = JSON.parse(text);
  const engine = await createEngine(text);
  const ids = bundle.rulesets.map((r) => r.id).sort();
  assert.deepEqual(engine.rulesets().map((r) => r.id).sort(), ids);
  for (const s of engine.rulesets()) {
    const b = bundle.rulesets.find((r) => r.id === s.id);
    assert.equal(s.hash, b.hash);
    assert.equal(s.version, b.version);
    assert.ok(s.outcomes.length > 0);
  }
  const other = new Engine();
  assert.deepEqual(other.load(bundle).sort(), ids);
});

test("describe and jsonSchema equal the native `eligo describe`", async () => {
  const engine = await createEngine(bundleText());
  for (const { id } of engine.rulesets()) {
    const native = eligo(["describe", `rules/${id}`]);
    assert.equal(native.status, 0, native.stderr);
    assert.deepEqual(engine.describe(id), JSON.parse(native.stdout), id);
    const schema = eligo(["describe", `rules/${id}`, "--json-schema"]);
    assert.deepEqual(engine.jsonSchema(id), JSON.parse(schema.stdout), id);
  }
});

test("a tampered bundle is refused and nothing already loaded is lost", async () => {
  const engine = await createEngine(mini());
  const bundle = JSON.parse(bundleText());
  const first = bundle.rulesets[0];
  first.files["rules.rhai"] += "\n// edited after bundling\n";
  const e = throwsEligo(() => engine.load(bundle), "invalid_request");
  assert.match(e.message, new RegExp(`"${first.id}".*hash`));
  assert.deepEqual(engine.rulesets().map((r) => r.id), ["mini"]);
});

test("load refuses what is neither a bundle nor { files }", async () => {
  const engine = await createEngine();
  throwsEligo(() => engine.load("not json"), "invalid_request");
  throwsEligo(() => engine.load({ rules: [] }), "invalid_request");
  throwsEligo(() => engine.load({ files: { "ruleset.toml": 3 } }), "invalid_request");
  throwsEligo(() => engine.load({ format: "eligo-bundle/99", rulesets: [] }), "invalid_request");
});

test("loose files load, evaluate with dated parameters, and replace a rule set with the same id", async () => {
  const engine = await createEngine();
  assert.deepEqual(engine.load(mini()), ["mini"]);
  const d = engine.evaluate("mini", { age: 30, on: "2021-05-01" });
  assert.equal(d.outcome, "yes");
  assert.equal(d.as_of, "2021-05-01");
  assert.equal(d.values.fee, 12.5);
  assert.deepEqual(d.reasons, [{ rule: "adult", passed: true, message: "You are an adult." }]);
  assert.equal(d.ruleset.id, "mini");
  assert.match(d.ruleset.hash, /^sha256:[0-9a-f]{64}$/);
  assert.equal("trace" in d, false);

  // asOf overrides the input's date: the fee in force in 2019 was 10.
  const earlier = engine.evaluate("mini", { age: 17, on: "2021-05-01" }, { asOf: "2019-12-31" });
  assert.equal(earlier.outcome, "no");
  assert.equal(earlier.as_of, "2019-12-31");
  assert.equal(earlier.values.fee, 10);

  // Input as JSON text gives the same decision.
  assert.deepEqual(engine.evaluate("mini", '{"age": 30, "on": "2021-05-01"}'), d);

  engine.load(mini({ "ruleset.toml": MINI["ruleset.toml"].replace('version = "1"', 'version = "2"') }));
  assert.deepEqual(engine.rulesets().map((r) => [r.id, r.version]), [["mini", "2"]]);
  assert.equal(engine.remove("mini"), true);
  assert.equal(engine.remove("mini"), false);
  assert.deepEqual(engine.rulesets(), []);
});

test("trace lists parameters, rules, values and the outcome in order", async () => {
  const engine = await createEngine(mini());
  const d = engine.evaluate("mini", { age: 12, on: "2020-06-01" }, { trace: true });
  assert.deepEqual(
    d.trace.map((t) => t.kind),
    ["rule", "parameter", "value", "outcome"],
  );
  assert.deepEqual(d.trace[1], { kind: "parameter", name: "fee", value: 12.5, from: "2020-01-01" });
  assert.deepEqual(d.trace[3], { kind: "outcome", outcome: "no" });
});

test("invalid input throws invalid_input listing every problem by path", async () => {
  const engine = await createEngine(mini());
  const e = throwsEligo(() => engine.evaluate("mini", { age: -1, on: "2023-02-29", extra: true }), "invalid_input");
  assert.deepEqual(e.issues.map((i) => i.path).sort(), ["/age", "/extra", "/on"]);
  for (const i of e.issues) assert.ok(i.message.length > 0);
  assert.match(e.message, /3 problems/);
  assert.equal(e.location, undefined);

  const missing = throwsEligo(() => engine.evaluate("mini", {}), "invalid_input");
  assert.ok(missing.issues.some((i) => i.path === "/age"));

  const notJson = throwsEligo(() => engine.evaluate("mini", "{age: 30"), "invalid_input");
  assert.equal(notJson.issues[0].path, "/");
  assert.match(notJson.issues[0].message, /not valid JSON.*line 1/);

  throwsEligo(() => engine.evaluate("mini"), "invalid_input");
});

test("an unknown rule set throws unknown_ruleset naming what is loaded; evaluateJson returns it instead", async () => {
  const engine = await createEngine(mini());
  const e = throwsEligo(() => engine.evaluate("nope", { age: 1, on: "2020-01-01" }), "unknown_ruleset");
  assert.match(e.message, /"nope".*mini/);
  throwsEligo(() => engine.describe("nope"), "unknown_ruleset");
  throwsEligo(() => engine.runTests("nope"), "unknown_ruleset");
  const text = engine.evaluateJson("nope", "{}");
  assert.equal(JSON.parse(text).error.code, "unknown_ruleset");
});

test("arguments that are not text throw invalid_request naming them, and the engine carries on", async () => {
  // Text crosses into WebAssembly as bytes: a number there used to trap ("memory access out of bounds").
  const engine = await createEngine(mini());
  const other = await createEngine(mini());
  const input = { age: 30, on: "2021-05-01" };
  const calls = {
    id: [
      () => engine.evaluate(5, input),
      () => engine.describe(undefined),
      () => engine.jsonSchema({}),
      () => engine.runTests(null),
      () => engine.remove(7),
      () => engine.evaluateJson(5, "{}"),
      () => engine.generateCases(5, 1),
      () => engine.compareWith(5, other, "mini", ""),
      () => engine.startComparison(5, other, "mini"),
    ],
    oldId: [() => engine.compareWith("mini", other, 5, ""), () => engine.startComparison("mini", other, {})],
    asOf: [() => engine.describe("mini", { asOf: 20210501 })],
    publicKey: [() => engine.load(bundleText(), 42)],
    inputJson: [() => engine.evaluateJson("mini", input)],
    optionsJson: [() => engine.evaluateJson("mini", "{}", {})],
    jsonLines: [() => engine.startComparison("mini", other, "mini").add(5)],
    cases: [() => engine.startComparison("mini", other, "mini").openCases(["not", "text"])],
    format: [() => engine.startComparison("mini", other, "mini").openCases("", 1)],
  };
  for (const [name, list] of Object.entries(calls)) {
    for (const call of list) {
      const e = throwsEligo(call, "invalid_request");
      assert.match(e.message, new RegExp(`^${name} must be text \\(a string\\), not (number|object|undefined|null)$`), String(call));
    }
  }
  assert.equal(engine.evaluate("mini", input).outcome, "yes");
  assert.equal(engine.describe("mini").id, "mini");
});

test("numbers that are not whole or out of range, bytes, and a freed engine throw invalid_request saying so", async () => {
  // Found by a partner-developer review: wasm-bindgen wraps -1 to 4,294,967,295 (step(-1) then
  // trapped and left both engines unusable), truncates 1.9 to 1 and reads NaN or "abc" as 0.
  const engine = await createEngine(mini());
  const other = await createEngine(mini());
  const lines = `${JSON.stringify({ age: 30, on: "2021-05-01" })}\n`;
  const calls = {
    count: [() => engine.generateCases("mini", -1), () => engine.generateCases("mini", 1.9), () => engine.generateCases("mini", NaN), () => engine.generateCases("mini", "10")],
    seed: [() => engine.generateCases("mini", 5, -1), () => engine.generateCases("mini", 5, "abc"), () => engine.generateCases("mini", 5, 2 ** 60)],
    first: [() => engine.generateCases("mini", 5, 1, -1)],
    maxRows: [-1, 2 ** 32, 0.5].map((n) => () => { const c = engine.startComparison("mini", other, "mini"); c.openCases(lines); return c.step(n); }),
    firstRow: [() => engine.startComparison("mini", other, "mini").add(lines, -3)],
  };
  for (const [name, list] of Object.entries(calls)) {
    for (const call of list) {
      assert.match(throwsEligo(call, "invalid_request").message, new RegExp(`^${name} must be a whole number from 0 to \\d+, not `), String(call));
    }
  }
  // A large maxRows is a large step, not a trap; both engines carry on.
  const c = engine.startComparison("mini", other, "mini");
  c.openCases(lines);
  assert.ok(c.step(2 ** 32 - 1) > 0);
  assert.equal(c.report().cases, 1);
  // Seeds beyond 2^32 are `eligo generate --seed`'s own, not wrapped.
  assert.notEqual(engine.generateCases("mini", 3, 2 ** 32 + 1), engine.generateCases("mini", 3, 1));
  for (const cases of [null, 5, { age: 30 }]) {
    assert.match(throwsEligo(() => engine.compareWith("mini", other, "mini", cases), "invalid_request").message, /cases must be/);
  }
  assert.match(throwsEligo(() => engine.load(new TextEncoder().encode(bundleText())), "invalid_request").message, /not bytes/);
  other.free();
  other.free(); // a second free does nothing
  for (const call of [() => other.evaluate("mini", {}), () => other.rulesets(), () => other.evaluateJson("mini", "{}"), () => engine.compareWith("mini", other, "mini", lines)]) {
    assert.match(throwsEligo(call, "invalid_request").message, /freed/, String(call));
  }
  assert.equal(engine.evaluate("mini", { age: 30, on: "2021-05-01" }).outcome, "yes");
});

test("a case larger than 1 MB of JSON is invalid input, refused before it is read", async () => {
  // A 260 MB case ran the module out of memory (a trap) while it was parsed.
  const engine = await createEngine(mini());
  const big = JSON.stringify({ age: 30, on: "2021-05-01", note: "x".repeat(1 << 20) });
  const e = throwsEligo(() => engine.evaluate("mini", big), "invalid_input");
  assert.equal(e.issues[0].path, "/");
  assert.match(e.issues[0].message, /MB of JSON: a case may be at most 1 MB/);
  assert.match(engine.evaluateJson("mini", big), /a case may be at most 1 MB/);
  assert.equal(engine.evaluate("mini", { age: 30, on: "2021-05-01" }).outcome, "yes");
});

test("NaN and Infinity in an input object are refused at their field, not taken as missing", async () => {
  // JSON.stringify writes them as null, which a required field reported as "is required".
  const engine = await createEngine(mini());
  for (const age of [NaN, Infinity, -Infinity]) {
    const e = throwsEligo(() => engine.evaluate("mini", { age, on: "2021-05-01" }), "invalid_input");
    assert.equal(e.issues[0].path, "/age", String(age));
    assert.doesNotMatch(e.issues[0].message, /required/, String(age));
    assert.match(e.issues[0].message, new RegExp(String(age)), String(age));
  }
  assert.equal(engine.evaluate("mini", { age: 30, on: "2021-05-01" }).outcome, "yes");
});

test("a BigInt or a circular reference in an input is refused at its field as invalid_input, not JSON's TypeError", async () => {
  // JSON.stringify throws its own TypeError for either, which named no field and was no EligoError.
  const engine = await createEngine(mini());
  const input = { age: 30, on: "2021-05-01" };
  const big = throwsEligo(() => engine.evaluate("mini", { ...input, age: 30n }), "invalid_input");
  assert.deepEqual(big.issues, [{ path: "/age", message: "is a BigInt (30n), which JSON cannot carry: give a number or text" }]);
  assert.equal(big.message, `the input has 1 problem\n  /age: ${big.issues[0].message}`);
  assert.ok(big.cause instanceof TypeError, "the TypeError is kept as the cause");
  // Paths are JSON pointers, as the engine's; the same object twice is no circle.
  const shared = { n: 1 };
  assert.equal(throwsEligo(() => engine.evaluate("mini", { a: shared, b: shared, "x/y~z": [0, 7n] }), "invalid_input").issues[0].path, "/x~1y~0z/1");
  assert.equal(throwsEligo(() => engine.evaluate("mini", 5n), "invalid_input").issues[0].path, "/");

  const circular = { ...input, household: { members: [{ name: "A" }] } };
  circular.household.members.push(circular);
  const loop = throwsEligo(() => engine.evaluate("mini", circular), "invalid_input");
  assert.equal(loop.issues.length, 1);
  assert.equal(loop.issues[0].path, "/household/members/1");
  assert.match(loop.issues[0].message, /circular reference/);
  const self = { ...input };
  self.self = self;
  assert.equal(throwsEligo(() => engine.evaluate("mini", self), "invalid_input").issues[0].path, "/self");

  // Anywhere else an object is sent as JSON: an array of cases is inputs too; options are a request.
  const other = await createEngine(mini());
  const cases = throwsEligo(() => engine.compareWith("mini", other, "mini", [input, { ...input, age: 2n }]), "invalid_input");
  assert.equal(cases.issues[0].path, "/1/age");
  const opts = throwsEligo(() => engine.evaluate("mini", input, { asOf: 20210501n }), "invalid_request");
  assert.match(opts.message, /^options at \/asOf is a BigInt \(20210501n\)/);
  assert.equal(engine.evaluate("mini", input).outcome, "yes");
});

test("an option given as null is not given, every option alike", async () => {
  // { asOf: null } was taken as no asOf, while { brief: null } and { trace: null } were refused.
  const engine = await createEngine(mini());
  const input = { age: 30, on: "2021-05-01" };
  const plain = engine.evaluate("mini", input);
  for (const options of [{ asOf: null }, { trace: null }, { brief: null }, { asOf: null, trace: null, brief: null }]) {
    assert.deepEqual(engine.evaluate("mini", input, options), plain, JSON.stringify(options));
    assert.equal(engine.evaluateJson("mini", JSON.stringify(input), JSON.stringify(options)), engine.evaluateJson("mini", JSON.stringify(input)), JSON.stringify(options));
  }
  assert.deepEqual(engine.evaluate("mini", input, null), plain);
  assert.deepEqual(engine.evaluate("mini", input, { brief: true, trace: null }), engine.evaluate("mini", input, { brief: true }));
  assert.deepEqual(engine.describe("mini", { asOf: null }), engine.describe("mini"));
  const other = await createEngine(mini());
  assert.deepEqual(engine.compareWith("mini", other, "mini", [input], { asOf: null, examples: null }), engine.compareWith("mini", other, "mini", [input]));
});

test("bad options throw invalid_request", async () => {
  const engine = await createEngine(mini());
  const input = { age: 30, on: "2021-05-01" };
  assert.match(throwsEligo(() => engine.evaluate("mini", input, { asOf: "2021-02-30" }), "invalid_request").message, /as-of/);
  assert.match(throwsEligo(() => engine.evaluate("mini", input, { asof: "2021-01-01" }), "invalid_request").message, /asof/);
  assert.match(throwsEligo(() => engine.evaluate("mini", input, { brief: true, trace: true }), "invalid_request").message, /brief.*trace/);
  assert.match(throwsEligo(() => engine.evaluate("mini", input, { brief: "yes" }), "invalid_request").message, /brief|boolean/);
});

test("brief: each reason keeps its rule and passed, without its message; the rest is the full decision", async () => {
  const engine = await createEngine(mini());
  const input = { age: 30, on: "2021-05-01" };
  const full = engine.evaluate("mini", input);
  const brief = engine.evaluate("mini", input, { brief: true });
  assert.ok(full.reasons.length > 0 && full.reasons.every((r) => typeof r.message === "string" && r.message.length > 0));
  assert.deepEqual(brief.reasons, full.reasons.map(({ rule, passed }) => ({ rule, passed })));
  assert.deepEqual({ ...brief, reasons: [] }, { ...full, reasons: [] });
});

test("a rule file with a syntax error reports file, line and column, as the native check does", async () => {
  const engine = await createEngine();
  const broken = MINI["rules.rhai"].replace('value("fee", param("fee"));', 'value("fee", param("fee")) +;');
  const e = throwsEligo(() => engine.load(mini({ "rules.rhai": broken })), "ruleset_error");
  assert.equal(e.location.ruleset, "mini");
  assert.equal(e.location.file, "rules.rhai");
  assert.equal(e.location.line, 2);
  assert.ok(e.location.column > 1, `column ${e.location.column}`);
  assert.equal(e.issues[0].location.line, 2);
  const where = `mini/rules.rhai:${e.location.line}:${e.location.column}`;
  assert.ok(e.message.startsWith(where), e.message);
  assert.ok(nativeCheck(mini({ "rules.rhai": broken }).files).includes(where), "native check reports the same place");
  assert.deepEqual(engine.rulesets(), [], "nothing half-loaded");
});

test("manifest and parameter problems carry their lines too", async () => {
  const engine = await createEngine();
  const badToml = MINI["ruleset.toml"].replace('label = "No"', 'label = "No');
  const t = throwsEligo(() => engine.load(mini({ "ruleset.toml": badToml })), "ruleset_error");
  assert.equal(t.location.file, "ruleset.toml");
  assert.equal(t.location.line, badToml.split("\n").findIndex((l) => l.startsWith('label = "No')) + 1);

  const unknownParam = MINI["rules.rhai"].replace('param("fee")', 'param("fees")');
  const p = throwsEligo(() => engine.load(mini({ "rules.rhai": unknownParam })), "ruleset_error");
  assert.equal(p.location.file, "rules.rhai");
  assert.equal(p.location.line, 2);
  assert.match(p.message, /unknown parameter "fees"/);
  assert.ok(nativeCheck(mini({ "rules.rhai": unknownParam }).files).includes(`mini/rules.rhai:2:${p.location.column}`));
});

test("a script that runs away is stopped with evaluation_error at its line", async () => {
  const engine = await createEngine();
  const endless = `let n = 0;\nwhile true { n += 1; }\n${MINI["rules.rhai"]}`;
  engine.load(mini({ "rules.rhai": endless }));
  const e = throwsEligo(() => engine.evaluate("mini", { age: 30, on: "2021-05-01" }), "evaluation_error");
  assert.equal(e.location.file, "rules.rhai");
  assert.equal(e.location.line, 2);
  assert.match(e.message, /steps/);
  // Steps taken in the closures list functions call count too (Rhai's own count drops them).
  const nested = `// two million steps, all inside closures\nfn big() { let a = []; for i in 0..700 { a.push(i); } a } let b = big().map(|x| big().len());\n${MINI["rules.rhai"]}`;
  engine.load(mini({ "rules.rhai": nested }));
  const c = throwsEligo(() => engine.evaluate("mini", { age: 30, on: "2021-05-01" }), "evaluation_error");
  assert.equal(c.location.line, 2);
  assert.match(c.message, /steps/);
  // A script inside every value and scope limit that holds 144 MB across its calls is
  // stopped (the module's allocator counts what an evaluation holds), and the engine goes on.
  const lets = Array.from({ length: 100 }, (_, k) => ` let v${k} = s + "${k}";`).join("");
  const hoarding = `// 100 strings of 60,000 characters at each of 12 call depths\nfn fill(n) { let s = ""; s.pad(60000, "x");${lets} if n > 0 { fill(n - 1) } else { 0 } } fill(11);\n${MINI["rules.rhai"]}`;
  engine.load(mini({ "rules.rhai": hoarding }));
  const m = throwsEligo(() => engine.evaluate("mini", { age: 30, on: "2021-05-01" }), "evaluation_error");
  assert.equal(m.location.line, 2);
  assert.match(m.message, /held more than 64 MB of memory/);
  engine.load(mini());
  assert.equal(engine.evaluate("mini", { age: 30, on: "2021-05-01" }).outcome, "yes");
});

test("runTests reports each case, its problems and rule coverage", async () => {
  const engine = await createEngine(mini());
  const ok = engine.runTests("mini");
  assert.equal(ok.ruleset, "mini");
  assert.equal(ok.cases.length, 1);
  assert.equal(ok.cases[0].passed, true);
  assert.deepEqual(JSON.parse(ok.cases[0].output), engine.evaluate("mini", { age: 30, on: "2021-05-01" }));
  assert.deepEqual(ok.coverage, { adult: { passed: 1, failed: 0 } });
  assert.deepEqual(ok.never_fired, []);

  const wrong = MINI["tests/basic.toml"].replace('outcome = "yes"', 'outcome = "no"') +
    `
[[case]]
name = "a child"
[case.input]
age = 9
on = 2021-05-01
[case.expect]
outcome = "no"
failed = ["adult"]
`;
  engine.load(mini({ "tests/basic.toml": wrong }));
  const rep = engine.runTests("mini");
  assert.deepEqual(rep.cases.map((c) => [c.name, c.passed]), [["an adult", false], ["a child", true]]);
  assert.deepEqual(rep.cases[0].problems, ["outcome yes, expected no"]);
  assert.deepEqual(rep.coverage, { adult: { passed: 1, failed: 1 } });
});
