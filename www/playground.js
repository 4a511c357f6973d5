// The rule playground: edit a rule set's files, reload them into the engine in this page,
// see load errors at their line and column, run the rule set's own test cases, try an
// input and read the decision with its trace, and download the edited files.
// Everything runs in the page; the edited files never leave it unless downloaded.

import { openEngine, toProblem, AUTHORING_PKG } from './engine.js';
import { CodeEditor } from './code-editor.js';
import { longDate } from './result.js';
import { h } from './form.js';

const RELOAD_MS = 400;
const FILE_ORDER = ['rules.rhai', 'parameters.toml', 'ruleset.toml'];

const $ = (id) => document.getElementById(id);
const picker = $('pg-ruleset');
const tabs = $('pg-tabs');
const statusEl = $('pg-status');
const problemsEl = $('pg-problems');
const testsEl = $('pg-tests');
const inputEl = $('pg-input');
const asOfEl = $('pg-asof');
const decisionEl = $('pg-decision');

const state = {
  engine: null,
  bundle: null,
  id: null, // the rule set being edited, as first loaded
  key: null, // its entry in the published bundle (see entryKey)
  loadedId: null, // its id as the engine knows it now (the manifest may rename it)
  files: {},
  current: null,
  ok: false,
  timer: null,
  module: null, // the authoring module, for engines of the published rule sets
  publishedEngines: new Map(),
  stopComparison: null, // set while a comparison runs
  edits: new Map(), // entry key → its edited files, kept while another rule set is open
  freshInput: false, // a rule set was opened: "Try an input" is built from its schema when it loads
  downloaded: new Map(), // entry key → its files as last downloaded (JSON text)
};

const editor = new CodeEditor($('pg-editor'), {
  label: 'File contents',
  onInput(text) {
    state.files[state.current] = text;
    clearTimeout(state.timer);
    state.timer = setTimeout(reload, RELOAD_MS);
  },
});

/**
 * A published bundle entry's key in the picker: its id, or `id@version` when the bundle
 * holds several versions of that rule set (each edited and compared on its own).
 */
function entryKey(r) {
  return state.bundle.rulesets.filter((x) => x.id === r.id).length > 1 ? `${r.id}@${r.version}` : r.id;
}

function published(key) {
  return state.bundle.rulesets.find((r) => entryKey(r) === key);
}

function orderedFiles() {
  const names = Object.keys(state.files);
  const rank = (n) => (FILE_ORDER.includes(n) ? FILE_ORDER.indexOf(n) : FILE_ORDER.length);
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

function renderTabs() {
  const names = orderedFiles();
  tabs.replaceChildren(...names.map((name) => {
    const selected = name === state.current;
    const b = h('button', {
      type: 'button', role: 'tab', class: 'pg-tab', id: `pg-tab-${name.replace(/[^a-z0-9]/gi, '-')}`,
      'aria-selected': String(selected), 'aria-controls': 'pg-editor', tabindex: selected ? '0' : '-1', 'data-file': name,
    }, name);
    b.addEventListener('click', () => openFile(name));
    return b;
  }));
  $('pg-editor').setAttribute('aria-labelledby', tabs.querySelector('[aria-selected="true"]')?.id || '');
}

// Arrow keys move between file tabs, as in any tab list.
tabs.addEventListener('keydown', (e) => {
  const list = [...tabs.querySelectorAll('[role="tab"]')];
  const at = list.indexOf(document.activeElement);
  if (at < 0) return;
  let next = null;
  if (e.key === 'ArrowRight') next = list[(at + 1) % list.length];
  if (e.key === 'ArrowLeft') next = list[(at - 1 + list.length) % list.length];
  if (e.key === 'Home') next = list[0];
  if (e.key === 'End') next = list[list.length - 1];
  if (!next) return;
  e.preventDefault();
  openFile(next.dataset.file);
  tabs.querySelector('[aria-selected="true"]').focus();
});

function openFile(name) {
  if (state.current !== null && state.current in state.files) state.files[state.current] = editor.value;
  state.current = name;
  editor.value = state.files[name] ?? '';
  editor.setLabel(`Contents of ${name}`);
  renderTabs();
  markEditor();
}

/** Problems from the last load, for the file on screen. */
let problems = [];

function markEditor() {
  editor.setMarks(problems.filter((p) => p.file === state.current).map((p) => ({ line: p.line, message: p.message })));
}

function setStatus(text, kind) {
  // Rewritten only when it changes: a status region is read out whenever its text is set.
  if (statusEl.textContent !== text) statusEl.textContent = text;
  statusEl.dataset.kind = kind;
}

const saidEl = $('pg-said');
let saying = false;

/**
 * Tell a screen reader what the tests and the decision came to, once both are shown, and
 * only when that changed: the results themselves are not live regions, so a pause in
 * typing does not read the whole test table and trace out again.
 */
function say() {
  if (saying) return;
  saying = true;
  queueMicrotask(() => {
    saying = false;
    const tests = testsEl.dataset.stale ? '' : testsEl.querySelector('.pg-tests__summary, .pg-fail')?.textContent;
    const decision = decisionEl.dataset.stale ? '' : decisionEl.querySelector('.pg-outcome, .pg-fail')?.textContent;
    const text = [tests && `Tests: ${tests}.`, decision && `${decision.replace(/\.$/, '')}.`].filter(Boolean).join(' ');
    if (text && saidEl.textContent !== text) saidEl.textContent = text;
  });
}

/** Load the edited files into the engine; show every problem with its place, or run the tests. */
function reload() {
  clearTimeout(state.timer);
  // A comparison under way was of the rules as they were: it stops, and says why.
  state.stopComparison?.('changed');
  if (state.current) state.files[state.current] = editor.value;
  let ids;
  try {
    ids = state.engine.load({ id: state.id, files: { ...state.files } });
  } catch (err) {
    const p = toProblem(err);
    const issues = p.issues.length ? p.issues : [{ path: '', message: p.message, location: p.location }];
    problems = issues.map((i) => ({
      file: i.location?.file ?? '',
      line: i.location?.line ?? 0,
      column: i.location?.column ?? 0,
      message: i.message,
    }));
    state.ok = false;
    showProblems();
    setStatus(`The rules did not load: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}. Tests and decisions are paused until they are fixed.`, 'error');
    markStale(testsEl, 'Not run: the rules as they are now did not load.', 'Below are the results from when they last loaded.');
    markStale(decisionEl, 'Not decided: the rules as they are now did not load.', 'Below is the decision by the rules as they last loaded.');
    return false;
  }
  problems = [];
  state.ok = true;
  state.loadedId = ids[0] || state.id;
  // A rule set just opened starts "Try an input" from its schema, once its rules load
  // (unless an input was typed meanwhile).
  if (state.freshInput) {
    state.freshInput = false;
    if (!inputEl.value.trim()) {
      inputEl.value = JSON.stringify(skeleton(state.engine.describe(state.loadedId).input || []), null, 2);
      asOfEl.value = '';
    }
  }
  showProblems();
  const d = state.engine.describe(state.loadedId);
  const from = d.effective_from ? `, in effect from ${d.effective_from}` : '';
  setStatus(`Loaded ${d.id} version ${d.version}${from} (${d.rules.length} rules, ${d.input.length} input fields).`, 'ok');
  runTests();
  if (inputEl.value.trim()) evaluate();
  else {
    decisionEl.replaceChildren();
    delete decisionEl.dataset.stale;
  }
  return true;
}

/**
 * Say in words, not only by fading, that what a panel shows is from rules that have since
 * changed and did not load (a screen reader hears it; the panel is a live region).
 */
function markStale(el, why, below) {
  el.dataset.stale = 'true';
  if (el.querySelector(':scope > .pg-stale')) return;
  el.prepend(h('p', { class: 'pg-stale' }, el.childElementCount ? `${why} ${below}` : why));
}

function showProblems() {
  markEditor();
  problemsEl.hidden = problems.length === 0;
  problemsEl.querySelector('ul').replaceChildren(...problems.map((p) => {
    const where = p.line > 0 ? `${p.file}, line ${p.line}, column ${p.column}` : (p.file || 'rule set');
    const b = h('button', { type: 'button', class: 'eligo-link-button pg-problem', 'data-file': p.file, 'data-line': String(p.line) },
      h('span', { class: 'pg-problem__where' }, where), `: ${p.message}`);
    b.addEventListener('click', () => {
      if (p.file && p.file in state.files) {
        openFile(p.file);
        if (p.line > 0) editor.goTo(p.line, p.column || 1);
      }
    });
    return h('li', {}, b);
  }));
}

function runTests() {
  if (!state.ok) {
    testsEl.dataset.stale = 'true';
    return;
  }
  let report;
  try {
    report = state.engine.runTests(state.loadedId);
  } catch (err) {
    delete testsEl.dataset.stale;
    testsEl.replaceChildren(h('p', { class: 'pg-fail' }, toProblem(err).message));
    say();
    return;
  }
  delete testsEl.dataset.stale;
  const cases = report.cases || [];
  const failed = cases.filter((c) => !c.passed).length;
  const summary = h('p', { class: `pg-tests__summary ${failed ? 'pg-fail' : 'pg-pass'}`, id: 'pg-tests-summary', tabindex: '-1' },
    cases.length === 0 ? 'This rule set has no test cases.'
      : `${cases.length - failed} passed, ${failed} failed`);
  const rows = cases.map((c) => {
    const detail = c.passed ? '' : h('ul', { class: 'pg-case__problems' }, ...(c.problems || []).map((p) => h('li', {}, p)));
    return h('tr', { class: `pg-case ${c.passed ? 'is-pass' : 'is-fail'}`, 'data-passed': String(c.passed) },
      h('td', { class: 'pg-case__status' }, h('span', { 'aria-hidden': 'true' }, c.passed ? '✓ ' : '✗ '), c.passed ? 'Pass' : 'Fail'),
      h('td', {}, h('span', { class: 'pg-case__name' }, c.name), h('span', { class: 'pg-case__file' }, ` ${c.file || ''}`), detail));
  });
  const table = h('table', { class: 'pg-table' },
    h('caption', { class: 'eligo-vh' }, 'Test cases'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Result'), h('th', { scope: 'col' }, 'Case'))),
    h('tbody', {}, ...rows));
  const never = report.never_fired || [];
  const coverage = h('p', { class: 'pg-coverage' }, never.length
    ? `Rules no case exercises: ${never.join(', ')}.`
    : 'Every rule is exercised by some case.');
  testsEl.replaceChildren(summary, table, coverage);
  say();
}

/** A starting input built from the schema: each required field with a first valid value. */
function skeleton(fields) {
  const out = {};
  for (const f of fields) {
    if (!f.required || f.visible_when || f.default !== undefined) continue;
    out[f.name] = sample(f);
  }
  return out;
}

function sample(f) {
  switch (f.type) {
    case 'enum': return f.options?.[0]?.value ?? '';
    case 'boolean': return false;
    case 'integer': case 'number': case 'money': return f.min !== undefined ? Number(f.min) : 0;
    case 'date': return typeof f.min === 'string' ? f.min : '2022-04-01';
    case 'list': return [];
    case 'object': return skeleton(f.fields || []);
    default: return '';
  }
}

function evaluate() {
  say();
  decisionEl.replaceChildren();
  if (!state.ok) {
    decisionEl.append(h('p', { class: 'pg-fail' }, 'Fix the problems in the rule files first.'));
    return;
  }
  let input;
  try {
    input = JSON.parse(inputEl.value || '{}');
  } catch (e) {
    decisionEl.append(h('p', { class: 'pg-fail' }, `The input is not valid JSON: ${e.message}`));
    return;
  }
  const opts = { trace: true };
  try {
    const asOf = asOfFrom(asOfEl, 'Decide as on');
    if (asOf) opts.asOf = asOf;
  } catch (e) {
    decisionEl.append(h('p', { class: 'pg-fail' }, e.message));
    return;
  }
  delete decisionEl.dataset.stale;
  try {
    const d = state.engine.evaluate(state.loadedId, input, opts);
    decisionEl.append(renderTraceDecision(d));
  } catch (err) {
    const p = toProblem(err);
    // The message lists the issues after its first line; they are listed once, below it.
    const head = p.issues.length ? p.message.split('\n')[0] : p.message;
    decisionEl.append(h('div', { class: 'pg-error', 'data-code': p.code },
      h('p', { class: 'pg-fail' }, `${p.code}: ${head}`),
      p.issues.length ? h('ul', {}, ...p.issues.map((i) => h('li', {}, h('code', {}, i.path), ` ${i.message}`))) : ''));
  }
}

function show(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function renderTraceDecision(d) {
  const wrap = h('div', { class: 'pg-decision', 'data-outcome': d.outcome });
  wrap.append(h('p', { class: 'pg-outcome' }, 'Outcome: ', h('strong', {}, d.outcome), ` (as on ${longDate(d.as_of)})`));
  const trace = d.trace || [];
  wrap.append(h('h3', { class: 'pg-h3' }, 'Trace'));
  wrap.append(h('ol', { class: 'pg-trace' }, ...trace.map((t) => {
    switch (t.kind) {
      case 'rule':
        return h('li', { class: `pg-trace__rule ${t.passed ? 'is-pass' : 'is-fail'}` },
          h('span', { 'aria-hidden': 'true' }, t.passed ? '✓ ' : '✗ '), h('span', { class: 'eligo-vh' }, t.passed ? 'passed ' : 'failed '),
          h('code', {}, t.rule), `: ${t.message}`,
          t.used && Object.keys(t.used).length ? h('div', { class: 'pg-trace__used' }, `used ${show(t.used)}`) : '');
      case 'parameter':
        return h('li', { class: 'pg-trace__param' }, 'parameter ', h('code', {}, t.name), ` = ${show(t.value)} (in force from ${t.from})`);
      case 'value':
        return h('li', { class: 'pg-trace__value' }, 'value ', h('code', {}, t.name), ` = ${show(t.value)}`);
      case 'outcome':
        return h('li', { class: 'pg-trace__outcome' }, 'outcome ', h('code', {}, t.outcome));
      default:
        return h('li', {}, show(t));
    }
  })));
  wrap.append(h('details', { class: 'eligo-details' }, h('summary', {}, 'The decision as data'),
    h('pre', { class: 'eligo-code pg-decision-json' }, JSON.stringify(d, null, 2))));
  return wrap;
}

/** The published rule set (entry `key`) in an engine of its own, to compare the edited one with. */
function publishedEngine(key) {
  if (!state.publishedEngines.has(key)) {
    const engine = new state.module.Engine();
    engine.load(JSON.stringify({ format: state.bundle.format, rulesets: [published(key)] }));
    state.publishedEngines.set(key, engine);
  }
  return state.publishedEngines.get(key);
}

const MAX_GENERATED = 100000;
// Cases compared between two looks at the page: about a tenth of a second here.
const PIECE = 1000;

/**
 * The cases to compare on: synthetic ones, generated a piece at a time (rows numbered from
 * 1, as `eligo generate` writes them), or the chosen file's text, which the engine reads
 * as `eligo diff` reads a caseload (JSON Lines or a JSON array; CSV by the published schema).
 */
async function impactCases(pub) {
  if ($('pg-impact-pasted').checked) {
    const text = $('pg-impact-paste').value;
    if (!text.trim()) throw new Error('Paste the cases into "Pasted cases" first (CSV with a header row, JSON Lines, or a JSON array of cases).');
    const format = caseloadFormat('', text);
    return { file: true, text: format === 'csv' ? tabsToCommas(text) : text, format, what: 'pasted cases' };
  }
  if ($('pg-impact-own').checked) {
    const file = $('pg-impact-file').files[0];
    if (!file) throw new Error('Choose a caseload file first (JSON Lines, CSV, or a JSON array of cases).');
    const text = await file.text();
    return { file: true, text, format: caseloadFormat(file.name, text), what: file.name };
  }
  const raw = $('pg-impact-count').value.trim();
  // "1,000" as the page writes counts, or 1000.
  const digits = /^\d{1,3}(,\d{3})+$/.test(raw) ? raw.replaceAll(',', '') : raw;
  const n = Number(digits);
  if (!/^\d+$/.test(digits) || n < 1 || n > MAX_GENERATED) {
    throw new Error(`How many synthetic cases must be a whole number from 1 to ${MAX_GENERATED.toLocaleString('en-GB')}, not "${raw}".`);
  }
  return { file: false, total: n, what: 'synthetic cases, seed 1', piece: (first, k) => pub.generateCases(state.id, k, 1, first) };
}

/**
 * How to read a caseload file: CSV or JSON (JSON Lines, or an array) by its name's ending,
 * and a file named otherwise (`cases.txt`, an export with no ending) by its first character:
 * JSON starts with `{` or `[`, anything else is read as CSV, rather than every row of a CSV
 * being refused as JSON.
 */
function caseloadFormat(name, text) {
  if (/\.csv$/i.test(name)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/i.test(name)) return 'jsonl';
  return /^\uFEFF?\s*[{[]/.test(text) || !text.trim() ? 'jsonl' : 'csv';
}

/**
 * Rows copied from a spreadsheet come with tabs between the cells: as CSV, each cell quoted
 * when it holds a comma or a quote. Text whose header row has a comma is CSV already.
 */
function tabsToCommas(text) {
  const header = text.replace(/^\uFEFF/, '').split('\n', 1)[0];
  if (!header.includes('\t') || header.includes(',')) return text;
  const cell = (c) => (/[",]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return text.split('\n').map((line) => line.split('\t').map(cell).join(',')).join('\n');
}

/** The as-of date typed in the field labelled `label`, checked as the engine reads it; '' when none. */
function asOfFrom(el, label) {
  const v = el.value.trim();
  if (!v) return '';
  try {
    state.engine.describe(state.loadedId, { asOf: v });
  } catch (err) {
    throw new Error(`${label}: ${toProblem(err).message.replace(/^as-of date: /, '')}`);
  }
  return v;
}

const nextFrame = () => new Promise((r) => setTimeout(r, 0));

async function compareWithPublished() {
  const out = $('pg-impact');
  out.replaceChildren();
  if (!state.ok) {
    out.append(h('p', { class: 'pg-fail' }, 'Fix the problems in the rule files first.'));
    return;
  }
  const run = $('pg-impact-run');
  const stop = $('pg-impact-stop');
  // Pressed from the keyboard, the button is disabled under the person's focus: focus goes
  // to Stop while the cases are compared, then to the report's summary.
  const fromRun = document.activeElement === run;
  run.disabled = true;
  // Why the comparison stopped early: 'asked' (Stop), 'changed' (the rules reloaded) or
  // 'closed' (another rule set was opened: this one's report is not wanted).
  let stopped = null;
  state.stopComparison = (why) => { stopped = stopped || why; };
  stop.hidden = false;
  if (fromRun) stop.focus();
  stop.onclick = () => state.stopComparison('asked');
  // Progress is shown outside the live region, which announces only the report.
  const bar = h('progress', { class: 'pg-impact__progress', max: '1', value: '0', 'aria-labelledby': 'pg-impact-busy' });
  const busy = h('span', { id: 'pg-impact-busy' }, 'Comparing…');
  const progress = $('pg-impact-progress');
  progress.replaceChildren(busy, ' ', bar);
  progress.hidden = false;
  try {
    const pub = publishedEngine(state.key);
    const cases = await impactCases(pub);
    const opts = {};
    const asOf = asOfFrom($('pg-impact-asof'), 'Decide every case as on');
    if (asOf) opts.asOf = asOf;
    const started = performance.now();
    const comparison = state.engine.raw.startComparison(state.loadedId, pub, state.id, opts);
    if (cases.file) {
      bar.max = Math.max(1, comparison.openCases(cases.text, cases.format));
      for (let read; !stopped && (read = comparison.step(PIECE)) !== null;) {
        bar.value = read;
        busy.textContent = `Compared ${Math.floor((100 * read) / bar.max)}% of ${cases.what}…`;
        // Let the page draw the progress and take a click on "Stop" between pieces.
        await nextFrame();
      }
    } else {
      bar.max = cases.total;
      for (let first = 0; first < cases.total && !stopped; first += PIECE) {
        const n = Math.min(PIECE, cases.total - first);
        comparison.add(cases.piece(first, n), first + 1);
        bar.value = first + n;
        busy.textContent = `Compared ${(first + n).toLocaleString('en-GB')} of ${cases.total.toLocaleString('en-GB')} cases…`;
        await nextFrame();
      }
    }
    const report = comparison.report();
    if (stopped === 'closed') {
      out.replaceChildren();
      return;
    }
    if (stopped === 'changed') {
      out.replaceChildren(h('p', { class: 'pg-fail' }, 'The rule files changed while the cases were being compared. Compare again to see what the rules as they are now would flip.'));
      return;
    }
    const what = stopped ? `${cases.what}, stopped after ${count(report.cases, 'case')}` : cases.what;
    out.replaceChildren(renderImpact(report, what, performance.now() - started, opts.asOf));
  } catch (err) {
    out.replaceChildren(h('p', { class: 'pg-fail' }, toProblem(err).message));
  } finally {
    state.stopComparison = null;
    run.disabled = false;
    const onStop = document.activeElement === stop;
    stop.hidden = true;
    progress.hidden = true;
    if (onStop || (fromRun && document.activeElement === document.body)) ($('pg-impact-summary') || run).focus();
  }
}

// A value in a table cell: a long one (a list of pathways with their reasons) by its size
// only, as its opening words are often the same on both sides; trying the case shows it whole.
const clip = (v) => {
  const text = show(v);
  if (text.length <= 80) return text;
  return Array.isArray(v) ? `a list of ${v.length}` : `${text.slice(0, 79)}…`;
};
const count = (n, one, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
const outcomeName = (label) => label.replace(/^error:/, 'error: ');
// An id in a table cell, free to break after each underscore (below_age_of_<wbr>responsibility)
// so that a narrow window wraps it there rather than widening the table.
// (Split without a lookbehind, which Safari before 16.4 cannot parse.)
const breakable = (id) => id.split('_').flatMap((part, i, parts) => [i ? h('wbr') : '', i < parts.length - 1 ? `${part}_` : part]);

/** Put a case's input into "Try an input" and decide it by the edited rules. */
function tryCase(input, asOf) {
  inputEl.value = JSON.stringify(input, null, 2);
  asOfEl.value = asOf || '';
  evaluate();
  inputEl.focus();
}

function exampleButtons(examples, asOf) {
  return examples.flatMap((e, i) => {
    const b = h('button', { type: 'button', class: 'eligo-link-button pg-impact__example', 'data-row': String(e.row) }, `case ${e.row}`);
    // Decided as the comparison decided it: on its as-of date when one was given.
    b.addEventListener('click', () => tryCase(e.input, asOf));
    return i ? [', ', b] : [b];
  });
}

function renderImpact(r, what, ms, asOf) {
  const wrap = h('div', { class: 'pg-impact__report', 'data-cases': String(r.cases), 'data-changed': String(r.outcome_changed), 'data-value-only': String(r.value_only_changed) });
  const sameVersion = r.old.version === r.new.version;
  const differ = r.outcome_changed + r.value_only_changed;
  wrap.append(h('p', { class: `pg-impact__summary ${differ ? 'pg-fail' : 'pg-pass'}`, id: 'pg-impact-summary', tabindex: '-1' },
    differ === 0
      ? `Of ${count(r.cases, 'case')} (${what}), none would be decided differently.`
      : `Of ${count(r.cases, 'case')} (${what}), ${r.outcome_changed ? count(r.outcome_changed, 'case') : 'none'} would change outcome and ${r.value_only_changed ? r.value_only_changed.toLocaleString('en-GB') : 'none'} would keep their outcome with a different value; ${r.unchanged.toLocaleString('en-GB')} would be decided the same.`));
  // Cases both versions refuse say nothing about the edit: a file every case of which is
  // refused (not a caseload for this rule set, or not in a form it reads) is said to be so.
  const refused = r.transitions.filter((t) => !t.changed && t.from.startsWith('error:')).reduce((n, t) => n + t.count, 0);
  if (r.cases > 0 && refused === r.cases) {
    wrap.append(h('p', { class: 'pg-fail pg-impact__refused' },
      `Both versions refused ${r.cases === 1 ? 'the one case' : `all ${count(r.cases, 'case')}`} as errors, so this comparison cannot show what your change would flip. Check that the cases are for ${r.old.id}: JSON Lines or a JSON array of cases, or CSV with a header row of its field names.`));
  }
  wrap.append(h('p', { class: 'eligo-hint' }, `Published version ${r.old.version} against your edit${sameVersion ? '' : ` (version ${r.new.version})`}; ${Math.round(ms).toLocaleString('en-GB')} ms in this page.`));
  const changes = r.transitions.filter((t) => t.changed);
  if (changes.length) {
    wrap.append(h('table', { class: 'pg-table pg-impact__changes' },
      h('caption', { class: 'pg-h3' }, 'Outcome changes'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'To'), h('th', { scope: 'col' }, 'Cases'), h('th', { scope: 'col' }, 'Try one'))),
      h('tbody', {}, ...changes.map((t) => h('tr', { 'data-from': t.from, 'data-to': t.to, 'data-count': String(t.count) },
        h('td', {}, breakable(outcomeName(t.from))), h('td', {}, breakable(outcomeName(t.to))), h('td', {}, t.count.toLocaleString('en-GB')),
        h('td', {}, ...exampleButtons(t.examples, asOf)))))));
  }
  if (r.value_changes.length) {
    wrap.append(h('table', { class: 'pg-table pg-impact__values' },
      h('caption', { class: 'pg-h3' }, 'Values that change where the outcome does not'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Cases'), h('th', { scope: 'col' }, 'For example'))),
      h('tbody', {}, ...r.value_changes.map((v) => {
        const e = v.examples[0];
        return h('tr', { 'data-value': v.value, 'data-count': String(v.count) },
          h('td', {}, h('code', {}, breakable(v.value))), h('td', {}, v.count.toLocaleString('en-GB')),
          h('td', {}, e ? [`${clip(e.old)} → ${clip(e.new)} in `, ...exampleButtons([e], asOf)] : ''));
      }))));
  }
  const same = r.transitions.filter((t) => !t.changed);
  if (same.length) {
    wrap.append(h('p', { class: 'pg-impact__unchanged' }, `Outcome kept: ${same.map((t) => `${outcomeName(t.from)} ${t.count.toLocaleString('en-GB')}`).join(', ')}.`));
  }
  // The report as `eligo diff --json` writes it, with the caseload named, to go with the
  // edited files for review.
  const save = h('button', { type: 'button', class: 'eligo-button eligo-button--secondary', id: 'pg-impact-download' }, 'Download this report');
  save.addEventListener('click', () => saveJson({ caseload: what, ...r }, `${r.new.id}.flip-report.json`));
  wrap.append(h('p', {}, save));
  return wrap;
}

/** Save `value` as a JSON file named `filename`, from the page. */
function saveJson(value, filename) {
  const blob = new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/json' });
  const a = h('a', { href: URL.createObjectURL(blob), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function download() {
  if (state.current) state.files[state.current] = editor.value;
  const name = state.loadedId || state.id;
  saveJson({ id: name, files: state.files }, `${name}.files.json`);
  state.downloaded.set(state.key, JSON.stringify(state.files));
}

/** Whether any rule set has edits that are neither published nor downloaded. */
function unsavedEdits() {
  if (state.key === null) return false;
  if (state.current) state.files[state.current] = editor.value;
  const same = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);
  return [[state.key, state.files], ...state.edits].some(([key, files]) => {
    const entry = published(key);
    return !(entry && same(files, entry.files)) && state.downloaded.get(key) !== JSON.stringify(files);
  });
}

/**
 * Open the rule set `key`: its files as last edited in this page (choosing another rule set
 * keeps the edits to this one), or as published when `asPublished` is set ("Undo all changes").
 */
function choose(key, { asPublished = false } = {}) {
  const entry = published(key);
  if (!entry) return;
  if (state.key !== null && state.key !== key) {
    if (state.current) state.files[state.current] = editor.value;
    state.edits.set(state.key, state.files);
  }
  const id = entry.id;
  state.key = key;
  state.id = id;
  state.loadedId = id;
  state.files = (!asPublished && state.edits.get(key)) || { ...entry.files };
  state.edits.delete(key);
  state.current = null;
  // Nothing of the rule set shown before stays: its tests, its decision, its input, and what
  // its edit would flip (a comparison under way stops and reports nothing).
  state.stopComparison?.('closed');
  for (const el of [testsEl, decisionEl, $('pg-impact')]) {
    el.replaceChildren();
    delete el.dataset.stale;
  }
  inputEl.value = '';
  asOfEl.value = '';
  state.freshInput = true;
  openFile(state.files['rules.rhai'] !== undefined ? 'rules.rhai' : orderedFiles()[0]);
  reload();
}

try {
  // The authoring module: it reads the edited TOML files (the runtime reads bundles only).
  const { engine, bundle, module } = await openEngine('rules.bundle.json', { fresh: true, pkgUrl: AUTHORING_PKG });
  state.engine = engine;
  state.bundle = bundle;
  state.module = module;
  picker.replaceChildren(...bundle.rulesets.map((r) => h('option', { value: entryKey(r) }, `${r.id} (${r.version})`)));
  // ?ruleset=id opens its latest version (a bundle lists a rule set's versions earliest first).
  const wanted = new URLSearchParams(location.search).get('ruleset');
  const match = bundle.rulesets.filter((r) => r.id === wanted || entryKey(r) === wanted).at(-1) ?? bundle.rulesets[0];
  const first = match && entryKey(match);
  picker.value = first;
  picker.disabled = false;
  picker.addEventListener('change', () => choose(picker.value));
  $('pg-reload').addEventListener('click', reload);
  // Focus goes to what answers the press: the tests' summary, or the first problem that
  // stops them running.
  $('pg-run-tests').addEventListener('click', () => {
    if (reload()) $('pg-tests-summary')?.focus();
    else problemsEl.querySelector('.pg-problem')?.focus();
  });
  $('pg-reset').addEventListener('click', () => choose(state.key, { asPublished: true }));
  $('pg-download').addEventListener('click', download);
  $('pg-evaluate-form').addEventListener('submit', (e) => {
    e.preventDefault();
    evaluate();
  });
  $('pg-impact-form').addEventListener('submit', (e) => {
    e.preventDefault();
    compareWithPublished();
  });
  // Choosing a file chooses to compare on it.
  $('pg-impact-file').addEventListener('change', () => {
    $('pg-impact-own').checked = true;
  });
  // Leaving the page (a link, a reload, closing the tab) with edits not yet downloaded asks
  // first: they live only in this page.
  window.addEventListener('beforeunload', (e) => {
    if (unsavedEdits()) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
  // And pasting cases chooses them.
  $('pg-impact-paste').addEventListener('input', () => {
    $('pg-impact-pasted').checked = true;
  });
  choose(first);
  document.documentElement.dataset.eligoReady = 'true';
} catch (err) {
  setStatus(`The engine could not start: ${toProblem(err).message}`, 'error');
  document.documentElement.dataset.eligoReady = 'failed';
  throw err;
}
