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

const notice = document.getElementById('link-notice');

/** Say what a link asked for and could not be given; nothing when all is well. */
function tell(text) {
  notice.textContent = text || '';
  notice.hidden = !text;
}

/** The answers a link carries (`#input=`), if it carries any that can be read. */
function prefill() {
  const m = /^#input=(.*)$/.exec(location.hash);
  if (!m) return undefined;
  try {
    const input = JSON.parse(decodeURIComponent(m[1]));
    if (input && typeof input === 'object' && !Array.isArray(input)) return input;
  } catch {
    // Told below, as for any answers that are not an object.
  }
  tell('The answers in this link could not be read, so the form starts empty: the link may have been cut short when it was copied.');
  return undefined;
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
  const wanted = new URLSearchParams(location.search).get('ruleset') || null;
  const found = wanted === null || ids.includes(wanted);
  const id = found && wanted !== null ? wanted : ids[0];
  rules.ensure(id);
  // A link's answers are for the form it names: not poured into another.
  show(engine, id, found ? prefill() : undefined);
  if (!found) {
    tell(`This link asks for a check called “${wanted}”, which is not here, so “${form.schema.title}” is shown, empty: choose the check you need above.`);
  }
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
    tell('');
    const input = prefill();
    if (input && form) form.setInput(input);
  });
  picker.addEventListener('change', () => {
    tell('');
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
