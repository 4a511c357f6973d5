// Versions of a rule set with effective dates, through the runtime module: a bundle that
// holds two versions of community-grant (as `eligo bundle` writes it from a folder of
// versions) decides each case by the version in effect on its date, byte for byte as the
// native CLI decides it from the folders; describe and rulesets show the versions; and the
// authoring module's runTests runs every version's own test cases, as `eligo test` does.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPkg, loadAuthoring, eligo, ROOT } from "./helpers.mjs";

const pkg = await loadPkg();
await pkg.init();

let tmp;
let bundle;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), "eligo-versions-"));
  // versions/community-grant/2022.1: the seed; 2027.1: from 2027-04-01, People Power up to
  // £5,000, with test cases of its own (one dated before it takes effect: a version's cases
  // are its own, run by it, whatever their dates).
  const old = join(tmp, "versions/community-grant/2022.1");
  const neu = join(tmp, "versions/community-grant/2027.1");
  cpSync(join(ROOT, "rules/community-grant"), old, { recursive: true });
  cpSync(old, neu, { recursive: true });
  rmSync(join(neu, "tests"), { recursive: true, force: true });
  mkdirSync(join(neu, "tests"));
  const ppCase = (name, date, start, end) => `[[case]]
name = "${name}"
[case.input]
applicant_type = "charity"
application_date = ${date}
fund = "people_power"
priorities = ["support_victims_witnesses"]
project_start = ${start}
project_end = ${end}
requested_amount = 4000
[case.expect]
outcome = "eligible"
`;
  writeFileSync(
    join(neu, "tests/people-power.toml"),
    [
      ppCase("People Power: £4,000 is within the 2027.1 maximum", "2027-05-01", "2027-06-01", "2027-09-14"),
      ppCase("People Power: dated before 2027.1 takes effect, run by 2027.1 all the same", "2026-05-01", "2026-06-01", "2026-09-14"),
    ].join("\n"),
  );
  const manifest = readFileSync(join(neu, "ruleset.toml"), "utf8").replace('version = "2022.1"', 'version = "2027.1"\neffective_from = 2027-04-01');
  writeFileSync(join(neu, "ruleset.toml"), manifest);
  const params = readFileSync(join(neu, "parameters.toml"), "utf8");
  const edited = params.replace("value = 3000 }", "value = 5000 }");
  assert.notEqual(edited, params, "the People Power maximum is where this test expects it");
  writeFileSync(join(neu, "parameters.toml"), edited);
  const made = eligo(["bundle", join(tmp, "versions"), "-o", join(tmp, "versions.bundle.json")]);
  assert.equal(made.status, 0, made.stderr);
  bundle = readFileSync(join(tmp, "versions.bundle.json"), "utf8");
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const application = (date, amount = 4000) => ({
  applicant_type: "charity",
  application_date: date,
  fund: "people_power",
  priorities: ["support_victims_witnesses"],
  project_start: "2027-06-01",
  project_end: "2027-09-14",
  requested_amount: amount,
});

test("each case is decided by the version in effect on its date, as natively", () => {
  const engine = new pkg.Engine();
  assert.deepEqual(engine.load(bundle), ["community-grant"]);
  const cases = [
    [application("2014-06-01"), {}, "2022.1", "ineligible"],
    [application("2027-03-31"), {}, "2022.1", "ineligible"],
    [application("2027-04-01"), {}, "2027.1", "eligible"],
    [application("2029-12-31", 5000), {}, "2027.1", "eligible"],
    [application("2027-05-01"), { asOf: "2027-03-31" }, "2022.1", "ineligible"],
  ];
  for (const [input, options, version, outcome] of cases) {
    const d = engine.evaluate("community-grant", input, options);
    assert.equal(d.ruleset.version, version, input.application_date);
    assert.equal(d.outcome, outcome, input.application_date);
    // The same bytes as the CLI deciding from the folder of versions.
    const path = join(tmp, "case.json");
    writeFileSync(path, JSON.stringify(input));
    const args = ["eval", join(tmp, "versions/community-grant"), "--input", path, ...(options.asOf ? ["--as-of", options.asOf] : [])];
    const native = eligo(args);
    assert.equal(native.status, 0, native.stderr);
    assert.equal(engine.evaluateJson("community-grant", JSON.stringify(input), JSON.stringify(options)), native.stdout.trimEnd());
  }
  // A case whose date cannot be read: the latest version refuses it, naming the field.
  const missing = application("2027-05-01");
  delete missing.application_date;
  assert.throws(() => engine.evaluate("community-grant", missing), (e) => e.code === "invalid_input" && e.issues[0].path === "/application_date");
});

test("rulesets() lists the versions and describe follows the date", () => {
  const engine = new pkg.Engine();
  engine.load(bundle);
  const [summary] = engine.rulesets();
  assert.equal(summary.version, "2027.1");
  assert.equal(summary.effective_from, "2027-04-01");
  assert.deepEqual(
    summary.versions.map((v) => [v.version, v.effective_from ?? null]),
    [["2022.1", null], ["2027.1", "2027-04-01"]],
  );
  assert.equal(engine.describe("community-grant").version, "2027.1");
  assert.equal(engine.describe("community-grant", { asOf: "2027-03-31" }).version, "2022.1");
  assert.equal(engine.describe("community-grant", { asOf: "2027-04-01" }).version, "2027.1");
  assert.throws(() => engine.describe("community-grant", { asOf: "31/03/2027" }), (e) => e.code === "invalid_request" && /as-of date/.test(e.message));
  // Loading one version's files (as the playground does) replaces both.
  const one = JSON.parse(bundle);
  one.rulesets = one.rulesets.filter((r) => r.version === "2022.1");
  engine.load(one);
  assert.equal(engine.rulesets()[0].versions, undefined);
  assert.equal(engine.evaluate("community-grant", application("2027-05-01")).ruleset.version, "2022.1");
});

test("a bundle with two versions from one date does not load", () => {
  const b = JSON.parse(bundle);
  const clash = structuredClone(b.rulesets[1]);
  b.rulesets.push(clash);
  const engine = new pkg.Engine();
  assert.throws(() => engine.load(b), (e) => e.code === "ruleset_error" && /two versions in effect from 2027-04-01/.test(e.message));
  assert.deepEqual(engine.rulesets(), []);
});

/** `eligo test -v DIR`'s report, per "id version" block: each case's name and pass, and coverage. */
function nativeTests(dir) {
  const out = eligo(["test", "-v", dir]);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  const blocks = {};
  let block;
  for (const line of out.stdout.split("\n")) {
    let m;
    if ((m = /^(\S+) (\S+) \((\d+) cases\)$/.exec(line))) {
      block = blocks[m[2]] = { ruleset: m[1], count: Number(m[3]), cases: [], coverage: {}, never_fired: [] };
    } else if ((m = /^ {2}(PASS|FAIL) (.*?)(?: \(.*\): .*)?$/.exec(line))) {
      block.cases.push([m[2], m[1] === "PASS"]);
    } else if ((m = /^ {4}(\S+): passed in (\d+), failed in (\d+)$/.exec(line))) {
      block.coverage[m[1]] = { passed: Number(m[2]), failed: Number(m[3]) };
    } else if ((m = /^ {2}never exercised: (.*)$/.exec(line))) {
      block.never_fired = m[1].split(", ");
    }
  }
  return blocks;
}

test("runTests (authoring module) runs every version's own test cases, reported per version as `eligo test` does", async () => {
  // It ran the latest version's cases only: 2022.1's were never run from a bundle of both.
  const authoring = await loadAuthoring();
  await authoring.init();
  const engine = new authoring.Engine();
  engine.load(bundle);
  const report = engine.runTests("community-grant");
  const native = nativeTests(join(tmp, "versions"));
  assert.deepEqual(Object.keys(native), ["2022.1", "2027.1"]);
  assert.ok(native["2022.1"].count > 2 && native["2027.1"].count === 2, "each version has cases of its own");
  // Every version's report, earliest first, each as `eligo test` reports that version.
  assert.deepEqual(report.versions.map((v) => v.version), ["2022.1", "2027.1"]);
  for (const v of report.versions) {
    const n = native[v.version];
    assert.equal(v.ruleset, n.ruleset);
    assert.equal(v.cases.length, n.count, v.version);
    assert.deepEqual(v.cases.map((c) => [c.name, c.passed]), n.cases, v.version);
    assert.deepEqual(v.coverage, n.coverage, v.version);
    assert.deepEqual(v.never_fired, n.never_fired, v.version);
  }
  assert.ok(report.versions.every((v) => v.cases.every((c) => c.passed)));
  // The top level is the latest version's report, as before.
  const { versions, ...latest } = report;
  assert.deepEqual(latest, versions[1]);
  // One version loaded: its report, with no `versions`.
  const one = JSON.parse(bundle);
  one.rulesets = one.rulesets.filter((r) => r.version === "2022.1");
  engine.load(one);
  const single = engine.runTests("community-grant");
  assert.equal(single.versions, undefined);
  assert.deepEqual(single, versions[0]);
});
