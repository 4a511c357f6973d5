// The referral page: pick a rule set, get its generated form, decide as you type.
// `?ruleset=<id>` picks the form; `#input=<JSON>` fills it in (the part after # never leaves
// the browser). The time from navigation to the first decision is recorded as the
// performance mark `eligo:first-decision` (see bench/browser-first-decision.mjs).

import { openEngine, toProblem } from './engine.js';
import { createForm } from './form.js';

const host = document.getElementById('form-host');
const picker = document.getElementById('ruleset-picker');
let form = null;
let firstDecision = false;

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
  if (form) form.destroy();
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

try {
  const { engine } = await openEngine('rules.bundle.json');
  const sets = engine.rulesets();
  picker.replaceChildren(...sets.map((s) => {
    const o = document.createElement('option');
    o.value = s.id;
    o.textContent = s.title;
    return o;
  }));
  const wanted = new URLSearchParams(location.search).get('ruleset');
  const id = sets.some((s) => s.id === wanted) ? wanted : sets[0]?.id;
  picker.value = id;
  picker.disabled = false;
  picker.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('ruleset', picker.value);
    url.hash = '';
    history.replaceState(null, '', url);
    show(engine, picker.value);
  });
  show(engine, id, prefill());
  document.documentElement.dataset.eligoReady = 'true';
} catch (err) {
  const p = toProblem(err);
  host.replaceChildren(Object.assign(document.createElement('p'), {
    className: 'eligo-result__failure',
    textContent: `The rules could not be loaded: ${p.message}`,
  }));
  document.documentElement.dataset.eligoReady = 'failed';
  throw err;
}
