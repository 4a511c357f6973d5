// Benchmark of the WebAssembly package in Node: size of what a page downloads, cold start
// (import → first decision) and evaluations per second for each rule set, beside the
// native engine doing the same work in the same run.
//
//   node bench/wasm.mjs [--seconds S] [--runs N] [--rows N] [--warmup S] [--pkg DIR] [--module runtime|authoring] [--json FILE]
//
// --module authoring times the authoring module (eligo/authoring, which also reads TOML
// rule files) instead of the runtime module (the default); both evaluate scripts compiled.
//
// Needs pkg/ (scripts/build-wasm.sh), target/rules.bundle.json (eligo bundle rules/ -o ...),
// target/native-cases.json (eligo test rules/ --emit-json ...) and target/release/eligo.
// Each rule set is timed on its own test-case inputs that reach a decision on the input's
// own date, cycling through them. Native: `eligo batch --threads 1` over the same inputs
// (JSON lines in, decision JSON out: the work evaluateJson does, plus file I/O).
// Rates are per second of CPU time (user + system), so a busy machine skews them less than
// wall time would; wall-clock rates are printed too. A benchmark, not a test.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import os from "node:os";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const PKG = resolve(ROOT, opt("--pkg", process.env.ELIGO_PKG ?? "pkg"));
const MODULE = opt("--module", "runtime");
const ENTRY = MODULE === "authoring" ? "authoring.js" : "index.js";
const STEM = MODULE === "authoring" ? "eligo_authoring" : "eligo_wasm";
const BUNDLE = resolve(ROOT, opt("--bundle", "target/rules.bundle.json"));
const CASES = resolve(ROOT, opt("--cases", "target/native-cases.json"));
const SECONDS = Number(opt("--seconds", "2"));
const RUNS = Number(opt("--runs", "7"));
const ROWS = Number(opt("--rows", "50000"));
const BIN = resolve(ROOT, opt("--bin", "target/release/eligo"));

// Child mode: one cold start, printed as JSON. Timed from this module's first line.
if (args[0] === "--cold") {
  const t0 = performance.now();
  const id = args[1];
  const input = args[2];
  const pkg = await import(pathToFileURL(join(PKG, ENTRY)).href);
  const tImport = performance.now();
  await pkg.init();
  const tInit = performance.now();
  const bundle = JSON.parse(readFileSync(BUNDLE, "utf8"));
  if (id !== "all") bundle.rulesets = bundle.rulesets.filter((r) => r.id === id);
  const engine = new pkg.Engine();
  engine.load(JSON.stringify(bundle));
  const tLoad = performance.now();
  engine.evaluateJson(id === "all" ? bundle.rulesets[0].id : id, input, "");
  const tFirst = performance.now();
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ import: tImport - t0, init: tInit - tImport, load: tLoad - tInit, first: tFirst - tLoad, total: tFirst - t0, process_cpu: (cpu.user + cpu.system) / 1000 }));
  process.exit(0);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function sizes() {
  // What a form page downloads: the runtime module, its glue and the JS API.
  const files = [`${STEM}_bg.wasm`, `${STEM}.js`, ENTRY, "api.js"];
  const rows = files.map((f) => {
    const b = readFileSync(join(PKG, f));
    return {
      file: f,
      raw: b.length,
      gzip: gzipSync(b, { level: 9 }).length,
      brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((t, r) => ({ file: "total", raw: t.raw + r.raw, gzip: t.gzip + r.gzip, brotli: t.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return [...rows, total];
}

function coldStart(id, input) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--cold", id, input, "--pkg", PKG, "--module", MODULE, "--bundle", BUNDLE], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`cold start of ${id} failed: ${r.stderr}`);
    runs.push(JSON.parse(r.stdout));
  }
  const keys = Object.keys(runs[0]);
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))]));
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Calls of `fn(i)` per CPU second and per wall second, cycling i; medians over RUNS
 * slices after a warm-up that lets V8 tier the module up. */
function rate(fn, n) {
  let i = 0;
  const slice = (ms) => {
    let calls = 0;
    const c0 = cpuSeconds();
    const w0 = performance.now();
    do {
      for (let k = 0; k < 50; k++) fn(i++ % n);
      calls += 50;
    } while (performance.now() - w0 < ms);
    return { cpu: calls / (cpuSeconds() - c0), wall: calls / ((performance.now() - w0) / 1000) };
  };
  slice(Math.max(500, (SECONDS * 1000) / 2));
  const rates = [];
  for (let r = 0; r < RUNS; r++) rates.push(slice((SECONDS * 1000) / RUNS));
  return { cpu: median(rates.map((r) => r.cpu)), wall: median(rates.map((r) => r.wall)) };
}

/** Native decisions per CPU second and wall second: `eligo batch --threads 1` over ROWS
 * rows cycling through `texts`, minus the same command on one row (start-up and loading). */
function nativeRate(id, texts) {
  const dir = mkdtempSync(join(os.tmpdir(), "eligo-bench-"));
  try {
    const many = join(dir, "many.jsonl");
    const one = join(dir, "one.jsonl");
    writeFileSync(many, Array.from({ length: ROWS }, (_, i) => texts[i % texts.length]).join("\n") + "\n");
    writeFileSync(one, texts[0] + "\n");
    const time = (file) => {
      const cmd = `TIMEFORMAT='%R %U %S'; time "${BIN}" batch "rules/${id}" --input "${file}" -o /dev/null --threads 1 -q >/dev/null`;
      const r = spawnSync("bash", ["-c", cmd], { cwd: ROOT, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`eligo batch ${id} failed: ${r.stderr}`);
      const [real, user, sys] = r.stderr.trim().split("\n").pop().split(" ").map(Number);
      return { cpu: user + sys, wall: real };
    };
    const runs = [];
    for (let r = 0; r < Math.min(RUNS, 3); r++) {
      const base = time(one);
      const all = time(many);
      runs.push({ cpu: (ROWS - 1) / Math.max(1e-3, all.cpu - base.cpu), wall: (ROWS - 1) / Math.max(1e-3, all.wall - base.wall) });
    }
    return { cpu: median(runs.map((r) => r.cpu)), wall: median(runs.map((r) => r.wall)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const bundle = JSON.parse(readFileSync(BUNDLE, "utf8"));
const cases = JSON.parse(readFileSync(CASES, "utf8"));
const ids = bundle.rulesets.map((r) => r.id);

const pkg = await import(pathToFileURL(join(PKG, ENTRY)).href);
await pkg.init();
const engine = new pkg.Engine();
const bundleJson = readFileSync(BUNDLE, "utf8");
const loads = [];
for (let i = 0; i < 6; i++) {
  const c0 = cpuSeconds();
  engine.load(bundleJson);
  loads.push((cpuSeconds() - c0) * 1000);
}
const loadAll = { first: loads[0], warm: median(loads.slice(1)) };

// Warm-up over every rule set first, so V8 has tiered the hot code up (Liftoff → TurboFan,
// on background threads that a busy machine starves) before anything is timed.
const warmup = Number(opt("--warmup", "3"));
{
  const all = cases.filter((c) => !c.as_of && !JSON.parse(c.output).error);
  const texts = all.map((c) => JSON.stringify(c.input));
  const end = performance.now() + warmup * 1000;
  for (let i = 0; performance.now() < end; i++) {
    const c = all[i % all.length];
    engine.evaluateJson(c.ruleset, texts[i % all.length], "");
    engine.evaluate(c.ruleset, c.input);
  }
}

const results = [];
for (const id of ids) {
  // Cases decided on their own date (no as-of override), so batch can run the same inputs.
  const deciding = cases.filter((c) => c.ruleset === id && !c.as_of && !JSON.parse(c.output).error);
  if (deciding.length === 0) continue;
  const texts = deciding.map((c) => JSON.stringify(c.input));
  const objects = deciding.map((c) => c.input);
  const jsonRate = rate((i) => engine.evaluateJson(id, texts[i], ""), texts.length);
  const objRate = rate((i) => engine.evaluate(id, objects[i]), objects.length);
  const native = nativeRate(id, texts);
  const cold = coldStart(id, texts[0]);
  results.push({ id, cases: deciding.length, evaluateJson: jsonRate, evaluate: objRate, native, cold_ms: cold });
}
const coldAll = coldStart("all", JSON.stringify(cases.find((c) => c.ruleset === ids[0])?.input ?? {}));

const size = sizes();
const f1 = (n) => n.toFixed(1);
console.log(`Eligo wasm benchmark — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "cpu"}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}, pkg ${PKG} (${MODULE} module)`);
console.log(`\nsize (module + JS glue + wrapper), gzip -9 and brotli -q 11:`);
for (const s of size) console.log(`  ${s.file.padEnd(20)} ${kb(s.raw).padStart(10)} ${kb(s.gzip).padStart(10)} ${kb(s.brotli).padStart(10)}`);
console.log(`\nload (parse + compile) of all ${ids.length} rule sets in wasm, CPU ms: first ${f1(loadAll.first)}, then ${f1(loadAll.warm)} (median of 5 more)`);
console.log(`cold start, median of ${RUNS} fresh Node processes, wall ms from the script's first line (CPU ms of the whole process, Node's own start included):`);
console.log(`  ${"rule set".padEnd(20)} ${["import", "init", "load", "decide", "total"].map((x) => x.padStart(7)).join(" ")}   cpu`);
for (const r of [...results.map((r) => [r.id, r.cold_ms]), ["all rule sets", coldAll]]) {
  const c = r[1];
  console.log(`  ${r[0].padEnd(20)} ${[c.import, c.init, c.load, c.first, c.total].map((x) => f1(x).padStart(7)).join(" ")}   ${f1(c.process_cpu)}`);
}
const us = (perSecond) => f1(1e6 / perSecond).padStart(7);
console.log(`\nµs per evaluation, one thread, by CPU time (wall time in brackets); each rule set's deciding test inputs in turn:`);
console.log(`  ${"rule set".padEnd(20)} ${"cases".padStart(5)}   ${"wasm evaluateJson".padEnd(17)}   ${"wasm evaluate".padEnd(17)}   ${"native batch".padEnd(17)}  wasm/native`);
for (const r of results) {
  const cell = (x) => `${us(x.cpu)} (${us(x.wall)})`.padEnd(17);
  console.log(`  ${r.id.padEnd(20)} ${String(r.cases).padStart(5)}   ${cell(r.evaluateJson)}   ${cell(r.evaluate)}   ${cell(r.native)}  ${(r.native.cpu / r.evaluateJson.cpu).toFixed(2)}×`);
}
const geo = Math.exp(results.reduce((t, r) => t + Math.log(r.native.cpu / r.evaluateJson.cpu), 0) / results.length);
console.log(`  geometric mean wasm/native (evaluateJson vs native batch, CPU time): ${geo.toFixed(2)}×`);
const jsonOut = opt("--json", null);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ node: process.version, pkg: PKG, size, loadAll, coldAll, results, ratio: geo }, null, 2));
