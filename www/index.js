// The referral page: pick a rule set, get its generated form, decide as you type.
// `?ruleset=<id>` picks the form; `#input=<JSON>` fills it in (the part after # never leaves
// the browser). The time from navigation to the first decision is recorded as the
// performance mark `eligo:first-decision` (see bench/browser-first-decision.mjs).

import * as runtime from './pkg/index.js';
import { openEngine, toProblem } from './engine.js';
import { createForm } from './form.js';

// The page is served as one script (index.bundle.js: this file and its imports, the engine's
// JS included, made by scripts/bundle-page.mjs), so the .wasm file is named from here.
const engineOptions = { pkg: runtime, wasmUrl: new URL('./pkg/eligo_wasm_bg.wasm', import.meta.url) };

const host = document.getElementById('form-host');
const picker = document.getElementById('ruleset-picker');
let form = null;
let firstDecision = false;
// Each form's answers while the tab is open (in memory only), so that picking another form,
// by mistake or with the arrow keys on the picker, and coming back loses nothing typed.
const answers = new Map();

function prefill() {
  const m = /^#input=(.*)$/.exec(location.hash);
  if (!m) return undefined;
  try {
    return JSON.parse(decodeURIComponent(m[1]));
  } catch {
    return undefined;
  }
}

function show(engine, id, initial) {
  if (form) {
    answers.set(form.root.dataset.ruleset, form.input());
    form.destroy();
  }
  form = createForm(host, engine, id, {
    initial,
    headingLevel: 1,
    onDecision(decision) {
      if (decision && !firstDecision) {
        firstDecision = true;
        performance.mark('eligo:first-decision');
      }
    },
  });
  document.title = `${form.schema.title} – Eligo`;
  document.documentElement.dataset.ruleset = id;
}

function option(value, text) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

try {
  // Load only the rule set on screen first; the others load just after.
  const rules = await openEngine('rules.bundle.json', { ...engineOptions, lazy: true });
  const { engine, bundle } = rules;
  const ids = bundle.rulesets.map((r) => r.id);
  const wanted = new URLSearchParams(location.search).get('ruleset');
  const id = ids.includes(wanted) ? wanted : ids[0];
  rules.ensure(id);
  show(engine, id, prefill());
  picker.replaceChildren(option(id, form.schema.title));
  document.documentElement.dataset.eligoReady = 'true';

  setTimeout(() => {
    rules.ensureAll();
    picker.replaceChildren(...engine.rulesets().map((s) => option(s.id, s.title)));
    picker.value = document.documentElement.dataset.ruleset;
    picker.disabled = false;
    picker.dataset.ready = 'true';
  }, 0);
  // A link with another #input= opened in this tab changes only the hash, not the page.
  window.addEventListener('hashchange', () => {
    const input = prefill();
    if (input && form) form.setInput(input);
  });
  picker.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('ruleset', picker.value);
    url.hash = '';
    history.replaceState(null, '', url);
    show(engine, picker.value, answers.get(picker.value));
  });
} catch (err) {
  const p = toProblem(err);
  host.replaceChildren(Object.assign(document.createElement('p'), {
    className: 'eligo-result__failure',
    textContent: `The rules could not be loaded: ${p.message}`,
  }));
  document.documentElement.dataset.eligoReady = 'failed';
  throw err;
}
