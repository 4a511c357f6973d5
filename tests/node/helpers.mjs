// Shared set-up for the wasm tests: where the built package, the rule bundle, the native
// case outputs and the native binary are. scripts/test.sh builds them all; each can be
// pointed elsewhere with an environment variable.

import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const fromEnv = (name, fallback) => resolve(ROOT, process.env[name] ?? fallback);

export const PKG_DIR = fromEnv("ELIGO_PKG", "pkg");
export const BUNDLE = fromEnv("ELIGO_BUNDLE", "target/rules.bundle.json");
export const NATIVE_CASES = fromEnv("ELIGO_NATIVE_CASES", "target/native-cases.json");

const HOW = "scripts/test.sh builds it (or: scripts/build-wasm.sh; target/release/eligo bundle rules/ -o target/rules.bundle.json; target/release/eligo test rules/ --emit-json target/native-cases.json)";

function mustExist(path, what) {
  if (!existsSync(path)) {
    throw new Error(`${what} not found at ${path}: ${HOW}`);
  }
  return path;
}

/** One of the package's ES modules: pkg/index.js (the runtime module) unless named. */
export async function loadPkg(file = "index.js") {
  return import(pathToFileURL(mustExist(join(PKG_DIR, file), "the wasm package")).href);
}

/** The authoring module (pkg/authoring.js): the runtime's API, plus loose TOML rule files. */
export function loadAuthoring() {
  return loadPkg("authoring.js");
}

export function bundleText() {
  return readFileSync(mustExist(BUNDLE, "the rule bundle"), "utf8");
}

/** Every case `eligo test --emit-json` wrote: [{ruleset, name, file, as_of, input, output}]. */
export function nativeCases() {
  return JSON.parse(readFileSync(mustExist(NATIVE_CASES, "the native case outputs"), "utf8"));
}

/** The native `eligo` binary: $ELIGO_BIN, else the release build, else the debug build. */
export function nativeBin() {
  const candidates = process.env.ELIGO_BIN ? [resolve(ROOT, process.env.ELIGO_BIN)] : [join(ROOT, "target/release/eligo"), join(ROOT, "target/debug/eligo")];
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`no native eligo binary (looked for ${candidates.join(", ")}): cargo build --release`);
  }
  return found;
}

/** Run the native CLI: { status, stdout, stderr }. */
export function eligo(args, stdin) {
  const r = spawnSync(nativeBin(), args, { cwd: ROOT, input: stdin, encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Where two strings first differ, with some context, for a readable failure. */
export function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 60);
  return `at character ${i}:\n  wasm:   …${a.slice(from, i + 60)}…\n  native: …${b.slice(from, i + 60)}…`;
}

/** The options JSON a case was run with natively. */
export function optionsFor(c) {
  return c.as_of ? JSON.stringify({ asOf: c.as_of }) : "";
}
