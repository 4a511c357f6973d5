#!/usr/bin/env node
// Time from navigation to the first decision on the referral page, in headless Debian
// chromium on localhost: the page, its modules, the .wasm engine and the rule bundle are
// fetched, the engine starts, the rules load, the form is generated and filled from the
// URL's #input=, and the first decision is shown (performance mark `eligo:first-decision`,
// set in www/index.js; its startTime counts from navigation start).
//
//   node bench/browser-first-decision.mjs [--runs 15] [--ruleset community-grant] [--settle 2000]
//
// "cold" runs use a fresh browser profile each time (no HTTP cache, no compiled-wasm cache);
// "warm" runs reload in the same profile. Each fresh browser is left `--settle` ms first:
// a Chromium that has just started spends its first second or so building its own UI (a
// "WebUI Top Renderer" busy for 500 ms of main thread and more on workers, in a trace),
// which on two cores would be timed as the page's; `--settle 0` times that too.
// Needs target/release/eligo and pkg/ (see README).

import { loadavg, cpus, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serve, launch, contractCases } from '../tests/browser/helpers.mjs';
import { startServer } from '../scripts/static-server.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', 15));
const settle = Number(opt('settle', 2000));
const ruleset = opt('ruleset', 'community-grant');
const c = contractCases().find((x) => x.ruleset === ruleset);
if (!c) {
  console.error(`no contract case for ${ruleset} in shared/cases`);
  process.exit(2);
}

const loadBefore = loadavg()[0];
const srv = await serve();
const url = `${srv.url}index.html?ruleset=${ruleset}#input=${encodeURIComponent(JSON.stringify(c.input))}`;
// The floor: a blank page from the same kind of server in the same browser set-up.
const blankDir = mkdtempSync(path.join(tmpdir(), 'eligo-blank-'));
writeFileSync(path.join(blankDir, 'index.html'), '<!doctype html><title>blank</title><p>blank</p>');
const blank = await startServer({ root: blankDir });

async function measure(page) {
  await page.waitForFunction(() => performance.getEntriesByName('eligo:first-decision').length > 0, null, { timeout: 30000 });
  return page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      first: at('eligo:first-decision'),
      wasm: at('eligo:wasm-ready'),
      rules: at('eligo:rules-loaded'),
      dcl: nav ? nav.domContentLoadedEventEnd : NaN,
      outcome: document.querySelector('.eligo-decision')?.dataset.outcome,
    };
  });
}

const cold = [];
const warm = [];
const floor = [];
let outcome;
for (let i = 0; i < runs; i++) {
  const b = await launch();
  const page = await b.context.newPage();
  if (settle) await new Promise((r) => setTimeout(r, settle));
  await page.goto(blank.url);
  floor.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
  await page.goto('about:blank');
  await page.goto(url);
  const m = await measure(page);
  cold.push(m);
  outcome = m.outcome;
  await page.reload();
  warm.push(await measure(page));
  await b.close();
}
await srv.close();
await blank.close();
rmSync(blankDir, { recursive: true, force: true });

const stat = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), min: s[0], p90: q(0.9) };
};
const row = (label, xs) => {
  const st = stat(xs);
  return `${label.padEnd(34)} ${st.median.toFixed(1).padStart(7)} ${st.min.toFixed(1).padStart(7)} ${st.p90.toFixed(1).padStart(7)}`;
};
console.log(`${ruleset}, ${runs} runs, outcome ${outcome}, browser left ${settle} ms after launch; ms from navigation start`);
console.log(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after (1 min)`);
console.log(`${''.padEnd(34)} ${'median'.padStart(7)} ${'min'.padStart(7)} ${'p90'.padStart(7)}`);
console.log(row('blank page: DOMContentLoaded', floor));
for (const [name, set] of [['cold', cold], ['warm', warm]]) {
  console.log(row(`${name}: DOMContentLoaded`, set.map((m) => m.dcl)));
  console.log(row(`${name}: wasm started`, set.map((m) => m.wasm)));
  console.log(row(`${name}: rules loaded`, set.map((m) => m.rules)));
  console.log(row(`${name}: first decision`, set.map((m) => m.first)));
}
