#!/usr/bin/env node
// Where a cold referral page's main thread goes before its first decision, from Chromium's
// own trace (headless Debian chromium, localhost, a fresh profile each run): how many wasm
// functions V8 compiles on their first call (lazily, on the main thread), how long that
// takes and how much code it is, against the time spent running the engine and laying out
// the page; and how much optimizing compilation runs beside it on worker threads (on two
// cores, it competes with the page). The first-decision budget (150 ms) is measured by
// browser-first-decision.mjs; this says where that time goes.
//
//   node bench/browser-cold-trace.mjs [--runs 5] [--ruleset community-grant] [--settle 2000]
//                                     [--save trace.json]   (the last run's trace, for chrome://tracing)
//
// Tracing slows the page a little, so its marks run later than browser-first-decision.mjs's.
// Needs target/release/eligo and pkg/ (see README).

import { writeFileSync } from 'node:fs';
import { serve, launch, contractCases } from '../tests/browser/helpers.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const runs = Number(opt('runs', 5));
const settle = Number(opt('settle', 2000));
const ruleset = opt('ruleset', 'community-grant');
const save = opt('save', null);
const c = contractCases().find((x) => x.ruleset === ruleset);
if (!c) {
  console.error(`no contract case for ${ruleset} in shared/cases`);
  process.exit(2);
}

const CATEGORIES = ['toplevel', 'devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.wasm.detailed', 'blink', 'loading', 'blink.user_timing'];
const MARKS = ['eligo:wasm-ready', 'eligo:rules-loaded', 'eligo:first-decision'];

/** One cold load, traced: the page's marks and the trace's events. */
async function tracedLoad(url) {
  const b = await launch();
  try {
    const page = await b.context.newPage();
    if (settle) await new Promise((r) => setTimeout(r, settle));
    const cdp = await b.context.newCDPSession(page);
    const events = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
    const complete = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReportEvents' });
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('eligo:first-decision').length > 0, null, { timeout: 30000 });
    const marks = await page.evaluate((names) => Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime])), MARKS);
    await cdp.send('Tracing.end');
    await complete;
    return { marks, events };
  } finally {
    await b.close();
  }
}

/**
 * The page's renderer main thread from its navigation to the first decision: wasm compiled
 * lazily (count, ms, bytes), and the optimizing compiler's time on the renderer's workers.
 */
function summarize({ marks, events }) {
  // The page's navigation: the last document committed in the trace (the first is about:blank).
  const commits = events.filter((e) => e.name === 'DocumentLoader::CommitNavigation').sort((a, b) => a.ts - b.ts);
  const commit = commits[commits.length - 1];
  const navStart = events.find((e) => e.name === 'navigationStart' && e.pid === commit.pid && e.ts <= commit.ts && e.args?.data?.documentLoaderURL?.includes('index.html'));
  const t0 = navStart ? navStart.ts : commit.ts;
  const end = t0 + marks['eligo:first-decision'] * 1000;
  const onMain = (e) => e.pid === commit.pid && e.tid === commit.tid;
  const before = (e) => e.ph === 'X' && e.ts >= t0 && e.ts < end;
  const sizes = new Map(events.filter((e) => e.name === 'wasm.CompileBaseline').map((e) => [`${e.args.funcIndex}`, e.args.bodySize]));
  const lazy = events.filter((e) => e.name === 'wasm.CompileLazy' && onMain(e) && before(e));
  const ms = (list) => list.reduce((s, e) => s + e.dur, 0) / 1000;
  const topTier = events.filter((e) => e.name === 'wasm.TopTierCompilation' && e.pid === commit.pid && !onMain(e) && before(e));
  const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && onMain(e) && before(e));
  return {
    firstDecision: marks['eligo:first-decision'],
    rulesLoaded: marks['eligo:rules-loaded'],
    wasmReady: marks['eligo:wasm-ready'],
    mainBusy: ms(tasks),
    lazyCount: lazy.length,
    lazyMs: ms(lazy),
    lazyKB: lazy.reduce((s, e) => s + (sizes.get(`${e.args.func_index}`) || 0), 0) / 1024,
    topTierMs: ms(topTier),
  };
}

const srv = await serve();
const url = `${srv.url}index.html?ruleset=${ruleset}#input=${encodeURIComponent(JSON.stringify(c.input))}`;
const rows = [];
let last = null;
try {
  for (let i = 0; i < runs; i++) {
    last = await tracedLoad(url);
    rows.push(summarize(last));
  }
} finally {
  await srv.close();
}
if (save && last) writeFileSync(save, JSON.stringify({ traceEvents: last.events }));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const line = (label, key, unit) => {
  const xs = rows.map((r) => r[key]);
  console.log(`${label.padEnd(58)} ${median(xs).toFixed(1).padStart(7)} ${unit.padEnd(3)} (${xs.map((x) => x.toFixed(0)).join(', ')})`);
};
console.log(`${ruleset}, cold (fresh profile), ${runs} traced runs; medians, each run in brackets; ms from navigation start`);
line('wasm started', 'wasmReady', 'ms');
line('rules loaded', 'rulesLoaded', 'ms');
line('first decision', 'firstDecision', 'ms');
line('main thread busy before the first decision', 'mainBusy', 'ms');
line('  of which compiling wasm functions on first call', 'lazyMs', 'ms');
line('wasm functions compiled on first call', 'lazyCount', '');
line('  their code', 'lazyKB', 'KB');
line('optimizing (TurboFan) compilation on workers, same time', 'topTierMs', 'ms');
