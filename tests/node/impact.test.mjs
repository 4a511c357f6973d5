// What a rule change would flip, in the authoring module (the playground's): synthetic
// cases generated in the page are `eligo generate`'s bytes, and comparing a published rule
// set with an edited one gives the report `eligo diff --json` gives natively for the same
// cases, counts and examples alike. The runtime module leaves both out, and says so.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { loadPkg, loadAuthoring, bundleText, eligo } from "./helpers.mjs";

const authoring = await loadAuthoring();
await authoring.init();
const runtime = await loadPkg();
await runtime.init();
const bundle = JSON.parse(bundleText());
const entry = (id) => bundle.rulesets.find((r) => r.id === id);

let tmp;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "eligo-impact-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A rule set's files written out as a folder, for the native CLI. */
function writeRuleset(name, files) {
  const dir = join(tmp, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

/**
 * The published rule set `id` in one engine, and in another a copy whose parameter `name`
 * takes `value` on every date (its first value's line edited): `{ published, edited, files }`.
 */
function publishedAndEdited(id, name, value) {
  const published = new authoring.Engine();
  published.load({ format: bundle.format, rulesets: [entry(id)] });
  const files = { ...entry(id).files };
  const before = files["parameters.toml"];
  files["parameters.toml"] = before.replace(new RegExp(`(\\[${name}\\][\\s\\S]*?value = )(\\d+)`), (_, head) => `${head}${value}`);
  assert.notEqual(files["parameters.toml"], before, `parameters.toml sets ${name}`);
  const edited = new authoring.Engine();
  edited.load({ id, files });
  return { published, edited, files };
}

test("synthetic cases generated in wasm are the native generator's bytes, for every seed rule set", () => {
  const engine = new authoring.Engine();
  engine.load(bundle);
  for (const r of bundle.rulesets) {
    const dir = writeRuleset(`gen-${r.id}`, r.files);
    const native = eligo(["generate", dir, "--count", "200", "--seed", "7"]);
    assert.equal(native.status, 0, native.stderr);
    const wasm = engine.generateCases(r.id, 200, 7);
    assert.equal(wasm.split("\n").filter(Boolean).length, 200, r.id);
    assert.equal(wasm, native.stdout, `${r.id}: generated cases differ`);
  }
});

test("comparing a published rule set with an edited one gives the native diff's report", () => {
  const id = "community-grant";
  // Raise the People Power Fund's minimum for every date: requests between the old and the
  // new minimum flip from eligible to ineligible.
  const { published, edited, files } = publishedAndEdited(id, "people_power_min", 1200);

  const cases = published.generateCases(id, 2000, 3);
  const report = edited.compareWith(id, published, id, cases, { examples: 2 });
  const casesFile = join(tmp, "cases.jsonl");
  writeFileSync(casesFile, cases);
  const native = eligo(["diff", writeRuleset("old", entry(id).files), writeRuleset("new", files), "--input", casesFile, "--examples", "2", "--json", "--quiet"]);
  assert.equal(native.status, 0, native.stderr);
  assert.deepEqual(report, JSON.parse(native.stdout));

  assert.equal(report.cases, 2000);
  assert.ok(report.outcome_changed > 0, "raising a minimum flips some cases");
  const flip = report.transitions.find((t) => t.changed);
  assert.deepEqual([flip.from, flip.to], ["eligible", "ineligible"]);
  for (const e of flip.examples) {
    assert.equal(e.input.fund, "people_power", "only the People Power Fund changed");
    assert.equal(published.evaluate(id, e.input).outcome, "eligible");
    assert.equal(edited.evaluate(id, e.input).outcome, "ineligible");
  }
  assert.equal(report.cases, report.outcome_changed + report.value_only_changed + report.unchanged);
});

test("fed a piece at a time, generated and compared, the report is the one for every case at once", () => {
  const id = "community-grant";
  const { published, edited } = publishedAndEdited(id, "people_power_max", 2500);

  const whole = published.generateCases(id, 2500, 4);
  const pieces = [[0, 1000], [1000, 1000], [2000, 500]].map(([first, n]) => published.generateCases(id, n, 4, first));
  assert.equal(pieces.join(""), whole, "pieces of the caseload are its lines");

  const expected = edited.compareWith(id, published, id, whole);
  assert.ok(expected.outcome_changed > 0 && expected.value_only_changed > 0, JSON.stringify(expected).slice(0, 300));
  const c = edited.startComparison(id, published, id);
  let seen = 0;
  for (const [i, piece] of pieces.entries()) seen = c.add(piece, i * 1000 + 1);
  assert.equal(seen, 2500);
  assert.deepEqual(c.report(), expected);
  assert.throws(() => c.report(), (e) => e.code === "invalid_request" && /reported already/.test(e.message));
});

test("a caseload file stepped through in wasm, CSV or JSON Lines, reports what the native diff reports on it", () => {
  const id = "community-grant";
  const { published, edited, files } = publishedAndEdited(id, "people_power_min", 900);
  const [oldDir, newDir] = [writeRuleset("step-old", entry(id).files), writeRuleset("step-new", files)];

  for (const format of ["csv", "jsonl"]) {
    const made = eligo(["generate", oldDir, "--count", "1800", "--seed", "11", "--format", format]);
    assert.equal(made.status, 0, made.stderr);
    // A row no reader could take, in the middle: reported as an error on both sides.
    const lines = made.stdout.split("\n");
    lines.splice(700, 0, format === "csv" ? "not,a,valid,row" : "{not json");
    const text = lines.join("\n");
    const file = join(tmp, `cases.${format}`);
    writeFileSync(file, text);
    const native = eligo(["diff", oldDir, newDir, "--input", file, "--json", "--quiet"]);
    assert.equal(native.status, 0, native.stderr);

    const c = edited.startComparison(id, published, id);
    c.openCases(text, format);
    let steps = 0;
    let last = 0;
    for (let read; (read = c.step(250)) !== null; steps++) {
      assert.ok(read > last, "each step reads on");
      last = read;
    }
    assert.ok(steps >= 7, `${format}: stepped ${steps} times`);
    const report = c.report();
    assert.deepEqual(report, JSON.parse(native.stdout), format);
    assert.equal(report.cases, 1801);
    assert.ok(report.outcome_changed > 0, format);
    assert.ok(report.transitions.some((t) => t.from === "error:invalid_input"), format);
  }

  const c = edited.startComparison(id, published, id);
  assert.throws(() => c.step(), (e) => e.code === "invalid_request" && /openCases/.test(e.message), "nothing open to step through");
  assert.throws(() => c.openCases("colour,fund\nred,people_power\n", "csv"), (e) => e.code === "invalid_request" && /colour/.test(e.message));
  assert.throws(() => c.openCases("[{", "jsonl"), (e) => e.code === "invalid_request" && /JSON array/.test(e.message));
  assert.throws(() => c.openCases("", "xlsx"), (e) => e.code === "invalid_request" && /jsonl or csv/.test(e.message));
  // A caseload that does not open leaves the comparison as it was: an array of inputs opens.
  const inputs = published.generateCases(id, 40, 2).trim().split("\n").map((l) => JSON.parse(l));
  const size = c.openCases(JSON.stringify(inputs), "jsonl");
  assert.ok(size > 0, "openCases gives the caseload's size in bytes");
  assert.throws(() => c.add("{}", 1), (e) => e.code === "invalid_request" && /caseload open/.test(e.message));
  assert.throws(() => c.openCases("{}", "jsonl"), (e) => e.code === "invalid_request" && /not started/.test(e.message));
  let last = 0;
  for (let read; (read = c.step(7)) !== null;) last = read;
  assert.equal(last, size, "stepping reads the whole caseload");
  assert.deepEqual(c.report(), edited.compareWith(id, published, id, inputs));
});

test("an array of cases counts rows from 1; a line that is not JSON is an error on both sides; bad options are refused", () => {
  const id = "space-participant";
  const engine = new authoring.Engine();
  engine.load({ format: bundle.format, rulesets: [entry(id)] });
  const inputs = engine.generateCases(id, 5, 1).trim().split("\n").map((l) => JSON.parse(l));

  const same = engine.compareWith(id, engine, id, inputs);
  assert.equal(same.cases, 5);
  assert.equal(same.unchanged, 5);
  assert.ok(same.transitions.every((t) => !t.changed));

  const lines = `${JSON.stringify(inputs[0])}\n\nnot json\n`;
  const r = engine.compareWith(id, engine, id, lines);
  assert.equal(r.cases, 2, "the blank line is not a case");
  assert.ok(r.transitions.some((t) => t.from === "error:invalid_input" && t.count === 1), JSON.stringify(r.transitions));

  assert.throws(() => engine.compareWith(id, engine, id, "[1, 2", {}), (e) => e.code === "invalid_request" && /JSON array/.test(e.message));
  assert.throws(() => engine.compareWith(id, engine, id, lines, { asOf: "2024-02-30" }), (e) => e.code === "invalid_request" && /asOf/.test(e.message));
  assert.throws(() => engine.compareWith(id, engine, id, lines, { as_at: "2024-01-01" }), (e) => e.code === "invalid_request" && /as_at/.test(e.message));
  assert.throws(() => engine.compareWith(id, engine, "no-such-rules", lines), (e) => e.code === "unknown_ruleset");
  // A count no page could hold is refused, not attempted (and -1, which would cross into wasm as 4,294,967,295).
  assert.throws(() => engine.generateCases(id, 1_000_001), (e) => e.code === "invalid_request" && /at most 1000000/.test(e.message));
  assert.throws(() => engine.generateCases(id, -1), (e) => e.code === "invalid_request" && /^count must be a whole number/.test(e.message));
});

test("the runtime module leaves the generator and the comparison out, its JS and its wasm alike", () => {
  const engine = new runtime.Engine();
  engine.load(bundle);
  for (const name of ["generateCases", "compareWith", "startComparison"]) {
    assert.equal(typeof engine[name], "undefined", name);
    assert.equal(typeof new authoring.Engine()[name], "function", name);
  }
  // An engine of the other module is not an engine to compare with.
  const a = new authoring.Engine();
  a.load(bundle);
  assert.throws(() => a.compareWith("community-grant", engine, "community-grant", ""), (e) => e.code === "invalid_request" && /Engine/.test(e.message));
});
