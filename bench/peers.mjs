#!/usr/bin/env node
// Eligo beside its peers, on equivalent rules and the same inputs, in one run.
//
//   node bench/peers.mjs [--cases 2000] [--seconds 3] [--rounds 10] [--seed 1] [--native-rows 100000] [--json results.json]
//
// For community-grant and space-participant: generate a caseload with `eligo generate`,
// decide it natively with `eligo batch` (the reference answers, and the native figure), then
// run the same cases through Eligo-wasm (pkg/), json-rules-engine, json-logic-js and
// @gorules/zen-engine-wasm, each holding the same rules written in its own form
// (bench/peers/<ruleset>.<peer>.json). Every engine must give the reference outcome and
// value for every case before any is timed. Then each decides the cases over and over for
// --seconds in all, one case at a time on one thread, in --rounds turns taken with the
// other engines (see timeRounds), and evaluations per second are reported with ratios. Eligo does more per case than the peers (schema validation, a reason in plain
// English for every rule, the full decision as JSON); the peers return the outcome and one value.
// Eligo is also timed with brief decisions (`--brief`, `{"brief": true}`: outcome, values and
// which rules passed, no reason worded), the nearest it comes to what the peers return.
//
// Then the same job for all: the whole decision (the outcome, every rule's verdict and every
// value, as a brief decision gives them), from each peer holding the rule set written out in
// full (bench/peers/<ruleset>.<peer>.decision.json), checked against Eligo's brief decisions
// case by case before any is timed.
//
// Needs target/release/eligo (cargo build --release), pkg/ (scripts/build-wasm.sh) and
// `npm ci`. A peer that cannot be loaded is reported as such, not skipped silently.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const CASES = Number(opt('cases', 2000));
const SECONDS = Number(opt('seconds', 3));
const ROUNDS = Math.max(1, Math.round(Number(opt('rounds', 10))));
const SEED = Number(opt('seed', 1));
// Rows for the native runs: enough that the process's start and the rule set's load are a
// small part of the time (at 300,000 rows/s, 20,000 rows took 70 ms, start-up ~10 of them).
const NATIVE_CASES = Math.max(CASES, Number(opt('native-rows', 100000)));
const JSON_OUT = opt('json', null);

const RULESETS = [
  { id: 'community-grant', value: 'award_cap_applied' },
  { id: 'space-participant', value: 'age_on_attendance' },
];

const exe = path.join(root, 'target/release/eligo');
if (!existsSync(exe)) {
  console.error('bench/peers: target/release/eligo is missing: run `cargo build --release` first');
  process.exit(2);
}
const tmp = mkdtempSync(path.join(os.tmpdir(), 'eligo-peers-'));
const peerData = (id, peer) => JSON.parse(readFileSync(path.join(root, 'bench/peers', `${id}.${peer}.json`), 'utf8'));

// Whole years from dob to on, as the rule sets count them: a birthday counts on the day, and
// 29 February birthdays fall on 1 March in common years. Dates are YYYY-MM-DD text.
function ageOn(dob, on) {
  let years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  if (on.slice(5) < dob.slice(5)) years -= 1;
  return years;
}
const intersects = (a, b) => Array.isArray(a) && Array.isArray(b) && a.some((x) => b.includes(x));

// ---- the caseload and the native reference -------------------------------------------

function nativeRun(id) {
  const cases = path.join(tmp, `${id}.jsonl`);
  const results = path.join(tmp, `${id}.out.jsonl`);
  execFileSync(exe, ['generate', `rules/${id}`, '--count', String(NATIVE_CASES), '--seed', String(SEED), '-o', cases], { cwd: root });
  const batch = (out, ...more) => {
    const started = process.hrtime.bigint();
    try {
      execFileSync(exe, ['batch', `rules/${id}`, '--input', cases, '-o', out, '--threads', '1', '--quiet', '--json', ...more], { cwd: root });
    } catch (e) {
      // Exit 1 means some generated rows were invalid input; they are left out below.
      if (e.status !== 1) throw e;
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  const seconds = batch(results);
  const briefSeconds = batch(path.join(tmp, `${id}.brief.jsonl`), '--brief');
  const inputs = readFileSync(cases, 'utf8').split('\n').filter(Boolean);
  const outputs = readFileSync(results, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  // Brief decisions must give the same outcomes and values, row for row.
  const brief = readFileSync(path.join(tmp, `${id}.brief.jsonl`), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const same = (a, b) => JSON.stringify([a.row, a.outcome, a.values, a.error?.code]) === JSON.stringify([b.row, b.outcome, b.values, b.error?.code]);
  const off = brief.length !== outputs.length ? 'a different number of rows' : brief.findIndex((b, i) => !same(b, outputs[i]));
  if (off !== -1) throw new Error(`${id}: eligo batch --brief disagrees with the full run (${typeof off === 'number' ? `row ${off + 1}` : off})`);
  const decided = [];
  for (const [i, out] of outputs.entries()) {
    if (out.outcome !== undefined && decided.length < CASES) {
      const decision = wholeDecision(fromEligo(brief[i]));
      decided.push({ row: out.row, input: JSON.parse(inputs[out.row - 1]), outcome: out.outcome, values: out.values, decision });
    }
  }
  return { decided, nativeRate: outputs.length / seconds, nativeBriefRate: outputs.length / briefSeconds, nativeRows: outputs.length };
}

// The whole decision in one comparable form: the outcome, each rule's verdict and each value,
// by name (object keys in order, as Eligo writes them). A peer's null (a rule or value the
// rule set does not record on that path) is left out; numbers compare as numbers.
function wholeDecision({ outcome, rules, values }) {
  const sorted = (x) =>
    Array.isArray(x)
      ? x.map(sorted)
      : x && typeof x === 'object'
        ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sorted(v)]))
        : x;
  const present = (o) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== null && x !== undefined));
  return JSON.stringify(sorted({ outcome, rules: present(rules), values: present(values) }));
}
const fromEligo = (d) => ({ outcome: d.outcome, rules: Object.fromEntries((d.reasons ?? []).map((r) => [r.rule, r.passed])), values: d.values ?? {} });

// ---- the engines ----------------------------------------------------------------------

async function eligoWasm() {
  const glue = path.join(root, 'pkg/eligo_wasm.js');
  if (!existsSync(glue)) throw new Error('pkg/ is not built (scripts/build-wasm.sh)');
  const mod = await import(glue);
  await mod.default({ module_or_path: readFileSync(path.join(root, 'pkg/eligo_wasm_bg.wasm')) });
  const bundle = path.join(tmp, 'rules.bundle.json');
  execFileSync(exe, ['bundle', 'rules/', '-o', bundle], { cwd: root, stdio: 'ignore' });
  const engine = new mod.Engine();
  engine.load(readFileSync(bundle, 'utf8'));
  // Object in, object out, as a page would call it: JSON across the boundary both ways.
  const decide = (id, options) => (input) => JSON.parse(engine.evaluateJson(id, JSON.stringify(input), options));
  return (options) => {
    const one = (id, valueName) => {
      const run = decide(id, options);
      return (input) => {
        const d = run(input);
        return { outcome: d.outcome, value: d.values?.[valueName] ?? null };
      };
    };
    // A brief decision is the whole decision the peers are asked for.
    one.whole = options.includes('brief') ? (id) => ({ evaluate: decide(id, options), normalize: fromEligo }) : null;
    return one;
  };
}
// One module, loaded once, timed both ways.
let wasmOnce;
const eligoWasmWith = (options) => async () => (await (wasmOnce ??= eligoWasm()))(options);

async function jsonLogic() {
  const logic = (await import('json-logic-js')).default;
  logic.add_operation('intersects', intersects);
  logic.add_operation('age_on', ageOn);
  // For the whole decision: what json-logic has no operation for (items of a list also in
  // another, in the first's order; an amount in whole pence; rounding; a payment entry).
  logic.add_operation('intersect', (a, b) => (Array.isArray(a) && Array.isArray(b) ? a.filter((x) => b.includes(x)) : []));
  logic.add_operation('pence', (x) => Math.round(x * 100));
  logic.add_operation('round', (x) => Math.round(x));
  logic.add_operation('entry', (when, amount) => ({ when, amount }));
  const one = (id, valueName) => {
    const rules = peerData(id, 'json-logic');
    return (input) => ({ outcome: logic.apply(rules.outcome, input), value: logic.apply(rules[valueName], input) });
  };
  one.whole = (id) => {
    const spec = peerData(id, 'json-logic.decision');
    const rules = Object.entries(spec.rules);
    const values = Object.entries(spec.values);
    return {
      evaluate: (input) => {
        const d = { outcome: logic.apply(spec.outcome, input), rules: {}, values: {} };
        for (const [name, rule] of rules) d.rules[name] = logic.apply(rule, input);
        for (const [name, rule] of values) d.values[name] = logic.apply(rule, input);
        return d;
      },
      normalize: (d) => d,
    };
  };
  return one;
}

async function zenWasm() {
  const zen = await import('@gorules/zen-engine-wasm');
  const wasm = path.join(root, 'node_modules/@gorules/zen-engine-wasm/dist/zen_engine_wasm_bg.wasm');
  await zen.default({ module_or_path: readFileSync(wasm) });
  const one = (id, valueName) => {
    const e = peerData(id, 'zen');
    // One expression per case, returning both results (zen-engine-wasm runs expressions only).
    const expr = `{ outcome: (${e.outcome}), value: (${e[valueName]}) }`;
    return (input) => {
      const r = zen.evaluateExpression(expr, input);
      return { outcome: r.outcome, value: r.value ?? null };
    };
  };
  one.whole = (id) => {
    const spec = peerData(id, 'zen.decision');
    const asText = new Set(spec.as_text);
    // Amounts come back as text; numbers again for the comparison (not timed).
    const numbers = (x) =>
      Array.isArray(x)
        ? x.map(numbers)
        : x && typeof x === 'object'
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, asText.has(k) && typeof v === 'string' ? Number(v) : numbers(v)]))
          : x;
    return {
      evaluate: (input) => zen.evaluateExpression(spec.expression, input),
      normalize: (d) => ({ ...d, values: numbers(d.values) }),
    };
  };
  return one;
}

async function jsonRulesEngine() {
  const { Engine } = await import('json-rules-engine');
  const one = (id) => {
    const spec = peerData(id, 'rules-engine');
    const engine = new Engine([], { allowUndefinedFacts: true });
    engine.addOperator('intersects', intersects);
    engine.addOperator('onOrAfter', (a, b) => a >= b);
    for (const r of spec.rules) engine.addRule(r);
    const fact = (name, f) => engine.addFact(name, f);
    if (id === 'community-grant') {
      const fund = (almanac) => almanac.factValue('fund').then((f) => spec.data.funds[f]);
      fact('fund_min', (_, a) => fund(a).then((f) => f.min));
      fact('fund_max', (_, a) => fund(a).then((f) => f.max));
      fact('fund_applicants', (_, a) => fund(a).then((f) => f.applicants));
      fact('priorities_in_force', (_, a) =>
        a.factValue('application_date').then((d) => spec.data.priorities.filter((p) => p.from <= d).at(-1)?.value ?? []),
      );
      fact('award_cap_applied', (_, a) =>
        Promise.all([a.factValue('requested_amount'), a.factValue('fund_max')]).then(([x, m]) => Math.min(x, m)),
      );
      return async (input) => {
        const { events, almanac } = await engine.run(input);
        const outcome = events.some((e) => e.type === 'eligible') ? 'eligible' : spec.default;
        return { outcome, value: await almanac.factValue('award_cap_applied') };
      };
    }
    fact('age', (_, a) =>
      Promise.all([a.factValue('date_of_birth'), a.factValue('attendance_date')]).then(([dob, on]) => ageOn(dob, on)),
    );
    return async (input) => {
      const { events, almanac } = await engine.run(input);
      const types = new Set(events.map((e) => e.type));
      const datesOk = input.attendance_date >= input.date_of_birth;
      const outcome = !types.has('in_range') ? 'ineligible' : types.has('targeted') ? 'eligible_targeted' : 'eligible_universal';
      return { outcome, value: datesOk ? await almanac.factValue('age') : null };
    };
  };
  // The whole decision: one rule per rule of the rule set, each rule's verdict from the run's
  // results and failure results; the values computed from the run's facts in JavaScript, as
  // a json-rules-engine caller would (it has no notion of computed outputs).
  one.whole = (id) => {
    const spec = peerData(id, 'rules-engine.decision');
    const engine = new Engine([], { allowUndefinedFacts: true });
    engine.addOperator('intersects', intersects);
    engine.addOperator('notEmpty', (a, want) => (Array.isArray(a) && a.length > 0) === want);
    for (const r of spec.rules) engine.addRule(r);
    const fact = (name, f) => engine.addFact(name, f);
    const verdicts = ({ results, failureResults }) =>
      Object.fromEntries([...results.map((r) => [r.name, true]), ...failureResults.map((r) => [r.name, false])]);
    if (id === 'community-grant') {
      const { funds, priorities, locality_deal_advance_share: share } = spec.data;
      const fund = (a) => a.factValue('fund').then((f) => funds[f]);
      fact('fund_min', (_, a) => fund(a).then((f) => f.min));
      fact('fund_max', (_, a) => fund(a).then((f) => f.max));
      fact('fund_applicants', (_, a) => fund(a).then((f) => f.applicants));
      fact('priorities_in_force', (_, a) => a.factValue('application_date').then((d) => priorities.filter((p) => p.from <= d).at(-1)?.value ?? []));
      return {
        evaluate: async (input) => {
          const run = await engine.run(input);
          const rules = verdicts(run);
          const eligible = Object.values(rules).every(Boolean);
          const f = funds[input.fund];
          const amount = input.requested_amount;
          const inForce = await run.almanac.factValue('priorities_in_force');
          // In whole pence, so the two parts add up exactly.
          const pence = Math.round(amount * 100);
          const advance = Math.round(pence * share);
          const schedule = !eligible
            ? []
            : input.fund === 'locality_deal'
              ? [{ when: 'in_advance', amount: advance / 100 }, { when: 'after_half_year_evaluation', amount: (pence - advance) / 100 }]
              : [{ when: 'in_advance', amount }];
          const values = {
            award: eligible ? amount : 0,
            award_cap_applied: Math.min(amount, f.max),
            fund_name: f.name,
            matched_priorities: inForce.filter((p) => (input.priorities ?? []).includes(p)),
            max_award: f.max,
            min_award: f.min,
            payment_schedule: schedule,
            priorities_in_force: inForce,
          };
          return { outcome: eligible ? 'eligible' : 'ineligible', rules, values };
        },
        normalize: (d) => d,
      };
    }
    const { min_age, max_age, pathways } = spec.data;
    fact('age', (_, a) => Promise.all([a.factValue('date_of_birth'), a.factValue('attendance_date')]).then(([dob, on]) => ageOn(dob, on)));
    fact('targeted_because', (_, a) =>
      Promise.all([a.factValue('referral_source'), a.factValue('youth_asb_marker'), a.factValue('area_risk_evidence')]).then(([source, asb, area]) => {
        const evidence = [source];
        if (asb === true && !evidence.includes('youth_asb_marker')) evidence.push('youth_asb_marker');
        if (area === true && !evidence.includes('area_risk_evidence')) evidence.push('area_risk_evidence');
        return evidence.filter((x) => pathways.includes(x));
      }),
    );
    return {
      evaluate: async (input) => {
        const run = await engine.run(input);
        const rules = verdicts(run);
        const inRange = rules.age_in_range;
        const values = { age_on_attendance: await run.almanac.factValue('age'), max_age, min_age };
        // Out of range, the rule set stops: no pathway verdict, no pathways value.
        if (!inRange) return { outcome: 'ineligible', rules: { age_in_range: false }, values };
        values.targeted_because = await run.almanac.factValue('targeted_because');
        return { outcome: rules.targeted_pathway ? 'eligible_targeted' : 'eligible_universal', rules, values };
      },
      normalize: (d) => d,
    };
  };
  return one;
}

const ENGINES = [
  { name: 'Eligo (wasm, Node)', load: eligoWasmWith('') },
  { name: 'Eligo (wasm, Node), brief', load: eligoWasmWith('{"brief":true}') },
  { name: 'json-rules-engine 7.3.1', load: jsonRulesEngine },
  { name: 'json-logic-js 2.0.5', load: jsonLogic },
  { name: '@gorules/zen-engine-wasm 0.23.1', load: zenWasm },
];

// ---- check, then time -------------------------------------------------------------------

const sameValue = (a, b) => (a === null || b === null ? a === b : Number(a) === Number(b));

async function check(name, evaluate, cases, valueName) {
  const wrong = [];
  for (const c of cases) {
    let got;
    try {
      got = await evaluate(c.input);
    } catch (err) {
      got = { error: String(err.message ?? err) };
    }
    const want = { outcome: c.outcome, value: c.values?.[valueName] ?? null };
    if (got.outcome !== want.outcome || !sameValue(got.value, want.value)) {
      wrong.push({ row: c.row, input: c.input, want, got });
    }
  }
  return wrong;
}

// The whole decision, against Eligo's brief decision; normalizing is not timed.
async function checkWhole(job, cases) {
  const wrong = [];
  for (const c of cases) {
    let got;
    try {
      got = wholeDecision(job.normalize(await job.evaluate(c.input)));
    } catch (err) {
      got = `error: ${err.message ?? err}`;
    }
    if (got !== c.decision) wrong.push({ row: c.row, input: c.input, want: c.decision, got });
  }
  return wrong;
}

// Each engine's time is split into --rounds slices, the engines taking turns (the order
// reversed every other round), so that a slow spell of this shared machine falls on all of
// them alike: an engine's rate is the median of its rounds, and a ratio between two engines
// the median of the ratios round by round, with the lowest and highest beside it.
async function timeRounds(jobs, cases) {
  const inputs = cases.map((c) => c.input);
  const limit = BigInt(Math.round((SECONDS / ROUNDS) * 1e9));
  const rates = jobs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const order = jobs.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      let n = 0;
      const start = process.hrtime.bigint();
      let elapsed = 0n;
      while (elapsed < limit) {
        for (const input of inputs) {
          await jobs[i](input);
        }
        n += inputs.length;
        elapsed = process.hrtime.bigint() - start;
      }
      rates[i].push(n / (Number(elapsed) / 1e9));
    }
  }
  return rates;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Rate ratios a/b round by round: median, lowest, highest.
const roundRatios = (a, b) => {
  const r = a.map((x, i) => x / b[i]);
  return { median: median(r), min: Math.min(...r), max: Math.max(...r) };
};

const fmt = (x) => Math.round(x).toLocaleString('en-GB');
const ratio = (a, b) => `${a / b >= 10 ? (a / b).toFixed(0) : (a / b).toFixed(2)}×`;

const report = { machine: {}, rulesets: {} };
report.machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  node: process.version,
  load_average: os.loadavg().map((x) => x.toFixed(2)),
};
console.log(`# Eligo beside its peers: ${CASES} cases per rule set, ${SECONDS} s per engine, seed ${SEED}`);
console.log(`# ${report.machine.cpu}, ${report.machine.cores} cores, Node ${report.machine.node}, load average ${report.machine.load_average.join(' ')}`);

const loaded = [];
for (const e of ENGINES) {
  try {
    loaded.push({ ...e, make: await e.load() });
  } catch (err) {
    console.log(`\n${e.name}: could not be loaded here: ${err.message}`);
    loaded.push({ ...e, error: err.message });
  }
}

let disagreements = 0;
for (const rs of RULESETS) {
  const { decided, nativeRate, nativeBriefRate, nativeRows } = nativeRun(rs.id);
  const rows = [];
  console.log(`\n## ${rs.id}: ${decided.length} cases with a decision (of ${CASES} generated), value compared: ${rs.value}`);
  for (const e of loaded) {
    if (e.error) {
      rows.push({ engine: e.name, error: e.error });
      continue;
    }
    const evaluate = e.make(rs.id, rs.value);
    const wrong = await check(e.name, evaluate, decided, rs.value);
    if (wrong.length > 0) {
      disagreements += wrong.length;
      console.log(`${e.name}: ${wrong.length} of ${decided.length} cases disagree with Eligo native; first: ${JSON.stringify(wrong[0])}`);
      rows.push({ engine: e.name, disagree: wrong.length });
      continue;
    }
    rows.push({ engine: e.name, evaluate });
  }
  const timed = rows.filter((r) => r.evaluate);
  (await timeRounds(timed.map((r) => r.evaluate), decided)).forEach((rates, i) => Object.assign(timed[i], { rates, rate: median(rates) }));
  const wasm = rows.find((r) => r.engine === 'Eligo (wasm, Node)' && r.rate);
  const shown = (x) => `${x.median.toFixed(2)}× (${x.min.toFixed(2)}–${x.max.toFixed(2)})`;
  console.log(`\n| engine | evaluations/s | speed relative to Eligo-wasm (median of ${ROUNDS} rounds, lowest–highest) |`);
  console.log(`|---|---:|---:|`);
  console.log(`| Eligo native (\`eligo batch --threads 1\`, ${fmt(nativeRows)} rows, JSON in and out) | ${fmt(nativeRate)} | ${wasm ? ratio(nativeRate, wasm.rate) : '–'} |`);
  console.log(`| Eligo native, brief (\`--brief\`) | ${fmt(nativeBriefRate)} | ${wasm ? ratio(nativeBriefRate, wasm.rate) : '–'} |`);
  for (const r of rows) {
    if (r.rate) console.log(`| ${r.engine} | ${fmt(r.rate)} | ${wasm ? shown(roundRatios(r.rates, wasm.rates)) : '–'} |`);
    else if (r.disagree) console.log(`| ${r.engine} | not timed: ${r.disagree} answers differ | |`);
    else console.log(`| ${r.engine} | not run: ${r.error} | |`);
  }
  // The same job for every engine: the whole decision.
  const whole = [];
  for (const e of loaded) {
    const job = e.make?.whole?.(rs.id);
    if (!job) continue;
    const wrong = await checkWhole(job, decided);
    if (wrong.length > 0) {
      disagreements += wrong.length;
      console.log(`${e.name}, whole decision: ${wrong.length} of ${decided.length} cases disagree with Eligo native; first: ${JSON.stringify(wrong[0])}`);
      whole.push({ engine: e.name, disagree: wrong.length });
      continue;
    }
    whole.push({ engine: e.name, evaluate: job.evaluate });
  }
  const wholeTimed = whole.filter((r) => r.evaluate);
  (await timeRounds(wholeTimed.map((r) => r.evaluate), decided)).forEach((rates, i) => Object.assign(wholeTimed[i], { rates, rate: median(rates) }));
  const wasmWhole = whole.find((r) => r.engine === 'Eligo (wasm, Node), brief' && r.rate);
  console.log(`\nThe whole decision (outcome, every rule's verdict, every value), the same job for each:\n`);
  console.log(`| engine | evaluations/s | speed relative to Eligo native, brief | Eligo-wasm, brief, relative to it (median of ${ROUNDS} rounds, lowest–highest) |`);
  console.log(`|---|---:|---:|---:|`);
  console.log(`| Eligo native, brief (as above) | ${fmt(nativeBriefRate)} | 1.00× | |`);
  for (const r of whole) {
    const vsWasm = wasmWhole && r !== wasmWhole ? shown(roundRatios(wasmWhole.rates, r.rates)) : '';
    if (r.rate) console.log(`| ${r.engine} | ${fmt(r.rate)} | ${ratio(r.rate, nativeBriefRate)} | ${vsWasm} |`);
    else console.log(`| ${r.engine} | not timed: ${r.disagree} answers differ | | |`);
  }
  const strip = (list) => list.map(({ evaluate, ...r }) => r);
  report.rulesets[rs.id] = { cases: decided.length, native: { rate: nativeRate, brief_rate: nativeBriefRate, rows: nativeRows }, engines: strip(rows), whole_decision: strip(whole) };
}

if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(report, null, 2));
rmSync(tmp, { recursive: true, force: true });
if (disagreements > 0) {
  console.log(`\n${disagreements} answers differ: the logic is not equivalent, so those engines were not timed.`);
  process.exit(1);
}
