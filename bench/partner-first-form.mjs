#!/usr/bin/env node
// Time from navigation to the embedded form on screen on the example partner page
// (www/example-partner.html: `<eligo-form>`'s `eligo-ready` event), in headless Debian
// chromium on localhost, loading the embed two ways in alternating runs: as partners are
// told to, one script (embed.bundle.js, made by scripts/bundle-page.mjs), and module by
// module (embed.js and its imports, the package's JS among them).
//
//   node bench/partner-first-form.mjs [--runs 8] [--settle 2000]
//
// "cold": a fresh browser profile each time (no HTTP cache, no compiled-wasm cache), left
// `--settle` ms after launch first (see bench/browser-first-decision.mjs); "warm": a reload.
// Needs target/release/eligo and pkg/ (see README).

import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serve, launch, ROOT } from '../tests/browser/helpers.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', 8));
const settle = Number(opt('settle', 2000));

const dir = mkdtempSync(path.join(tmpdir(), 'eligo-partner-'));
const html = readFileSync(path.join(ROOT, 'www/example-partner.html'), 'utf8');
if (!html.includes('src="embed.bundle.js"')) throw new Error('www/example-partner.html no longer loads embed.bundle.js');
writeFileSync(path.join(dir, 'modules.html'), html.replace('src="embed.bundle.js"', 'src="embed.js"'));
const loadBefore = loadavg()[0];
const srv = await serve({ mounts: { '/partner-modules.html': path.join(dir, 'modules.html') } });
const WAYS = { 'one script (embed.bundle.js)': 'example-partner.html', 'module by module (embed.js)': 'partner-modules.html' };

async function ready(page) {
  await page.waitForFunction(() => performance.getEntriesByName('bench:ready').length > 0, null, { timeout: 30000 });
  return page.evaluate(() => ({
    ready: performance.getEntriesByName('bench:ready')[0].startTime,
    dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
}

const times = Object.fromEntries(Object.keys(WAYS).map((w) => [w, { cold: [], warm: [], dcl: [] }]));
for (let i = 0; i < runs; i++) {
  // Alternate which way goes first, so neither always follows the other.
  const order = i % 2 ? Object.keys(WAYS).reverse() : Object.keys(WAYS);
  for (const way of order) {
    const b = await launch();
    const page = await b.context.newPage();
    await page.addInitScript(() => document.addEventListener('eligo-ready', () => performance.mark('bench:ready'), { once: true }));
    if (settle) await new Promise((r) => setTimeout(r, settle));
    await page.goto(srv.url + WAYS[way]);
    const cold = await ready(page);
    await page.reload();
    const warm = await ready(page);
    times[way].cold.push(cold.ready);
    times[way].dcl.push(cold.dcl);
    times[way].warm.push(warm.ready);
    await b.close();
  }
}
await srv.close();
rmSync(dir, { recursive: true, force: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`partner page, victim-referral form, ${runs} alternating runs each, browser left ${settle} ms after launch; ms from navigation start`);
console.log(`machine: ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after (1 min)`);
console.log(`${''.padEnd(30)} ${'cold: DOMContentLoaded'.padStart(22)} ${'cold: form ready'.padStart(17)} ${'warm: form ready'.padStart(17)}`);
for (const [way, t] of Object.entries(times)) {
  console.log(`${way.padEnd(30)} ${median(t.dcl).toFixed(1).padStart(22)} ${median(t.cold).toFixed(1).padStart(17)} ${median(t.warm).toFixed(1).padStart(17)}`);
}
