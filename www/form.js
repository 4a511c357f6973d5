// A referral form generated from a rule set's schema (`engine.describe(id).input`), which
// decides as the person types. Nothing here is written per rule set: every question, hint,
// option, list and condition comes from the schema, and every decision from the engine.
//
// Markup follows the GOV.UK Design System's habits: a label for every control, fieldset and
// legend around radios, checkboxes, dates and lists, hints and errors tied to controls with
// aria-describedby, an error summary whose links move focus to the field, and the result in
// an aria-live="polite" region.
//
// The input sent to the engine keeps numbers exact: money and decimals go as the text the
// person typed ("1250.50"), which the engine parses as an exact decimal.

import { toProblem } from './engine.js';
import { longDate, renderDecision } from './result.js';

const DEBOUNCE_MS = 120;
const RADIO_LIMIT = 5;
// The engine's limit on a string field that sets no `max_length` (DEFAULT_MAX_LENGTH in
// src/schema.rs; `describe` leaves the field's max_length out then).
const DEFAULT_MAX_LENGTH = 2000;
// A screen reader hears how many characters are left once typing pauses this long (as
// GOV.UK's character count does), not at every key.
const COUNT_ANNOUNCE_MS = 1000;

/**
 * Render the form for rule set `id` into `host` and keep it decided as the person types.
 *
 * options: `prefix` for element ids (unique per page when several forms share one),
 * `asOf` (`YYYY-MM-DD`): whose version of the rule set the form asks for (default: today's),
 * `initial` input to fill in, `onDecision(decision, problem)` called after each evaluation,
 * `headingLevel` of the form title (default 2), `showTitle` (default true).
 * Returns `{ schema, input(), setInput(obj), evaluateNow(), submit(), destroy() }`.
 */
export function createForm(host, engine, id, options = {}) {
  const prefix = options.prefix ?? 'eligo-';
  // The version in effect today, when the bundle holds several (`options.asOf` to choose);
  // each decision is still made by the version in effect on the case's own date.
  const schema = engine.describe(id, { asOf: options.asOf ?? localDate(new Date()) });
  const nodes = new Map(); // JSON pointer → node, for placing errors
  const outcomes = new Map((schema.outcomes || []).map((o) => [o.id, o]));
  let timer = null;
  let showAll = false; // after "Check", every problem shows, not only those on touched fields
  let lastKey = null;

  const ctx = { prefix, nodes, changed, schedule };
  const hl = Math.min(Math.max(options.headingLevel ?? 2, 1), 5);

  const root = h('div', { class: 'eligo', 'data-ruleset': id });
  const summary = h('div', { class: 'eligo-error-summary', tabindex: '-1', hidden: '' },
    h(`h${hl + 1}`, { class: 'eligo-error-summary__title', id: `${prefix}error-summary-title` }, 'There is a problem'),
    h('ul', { class: 'eligo-error-summary__list' }));
  summary.setAttribute('aria-labelledby', `${prefix}error-summary-title`);
  summary.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="#"]');
    if (!a) return;
    e.preventDefault();
    focusField(root, a.getAttribute('href').slice(1));
  });

  const form = h('form', { class: 'eligo-form', novalidate: '', 'aria-describedby': `${prefix}privacy` });
  if (options.showTitle !== false) {
    form.append(h(`h${hl}`, { class: 'eligo-form__title' }, schema.title || id));
    // Manifest descriptions are wrapped TOML text: blank lines separate paragraphs.
    for (const para of String(schema.description || '').split(/\n\s*\n/)) {
      if (para.trim()) form.append(h('p', { class: 'eligo-body eligo-form__description' }, para.replace(/\s+/g, ' ').trim()));
    }
  }
  const top = objectNode({ name: '', type: 'object', fields: schema.input || [] }, '', ctx, 0);
  form.append(top.fieldsEl);
  form.append(h('p', { class: 'eligo-body eligo-privacy', id: `${prefix}privacy` },
    'Your answers stay in this browser. Nothing you type is sent anywhere: the rules run on your device.'));
  form.append(h('button', { type: 'submit', class: 'eligo-button' }, 'Check my answers'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  form.addEventListener('input', () => schedule());
  form.addEventListener('change', () => {
    top.refreshVisibility();
    evaluateNow();
  });

  // Only the outcome (or what is still needed) is live, so a screen reader hears a short
  // update as answers change, not every reason again; the details follow it in the page.
  const result = h('section', { class: 'eligo-result', 'aria-labelledby': `${prefix}result-title` },
    h(`h${hl}`, { class: 'eligo-result__title', id: `${prefix}result-title`, tabindex: '-1' }, 'Result'),
    h('div', { class: 'eligo-result__status', 'aria-live': 'polite' }),
    h('div', { class: 'eligo-result__body' }));
  const resultStatus = result.querySelector('.eligo-result__status');
  const resultBody = result.querySelector('.eligo-result__body');

  root.append(summary, h('div', { class: 'eligo-layout' }, form, result));
  host.replaceChildren(root);

  if (options.initial) top.write(options.initial);
  top.refreshVisibility();
  evaluateNow();

  function changed(node) {
    node.touched = true;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(() => {
      top.refreshVisibility();
      evaluateNow();
    }, DEBOUNCE_MS);
  }

  /** Evaluate the current answers; show the decision or the problems. */
  function evaluateNow() {
    clearTimeout(timer);
    const input = top.read() ?? {};
    let decision = null;
    let problem = null;
    try {
      decision = engine.evaluate(id, input, {});
    } catch (err) {
      problem = toProblem(err);
    }
    showProblems(problem);
    render(decision, problem);
    if (options.onDecision) options.onDecision(decision, problem, input);
    host.dispatchEvent(new CustomEvent('eligo-decision', {
      bubbles: true, composed: true, detail: { ruleset: id, decision, problem },
    }));
    return { decision, problem };
  }

  function submit() {
    showAll = true;
    top.refreshVisibility();
    const { problem } = evaluateNow();
    if (!summary.hidden) summary.focus();
    else if (!problem) result.querySelector('.eligo-result__title').focus();
    return problem;
  }

  /** Errors on fields: all of them after "Check", else only on fields already answered. */
  function showProblems(problem) {
    for (const n of nodes.values()) n.setError(null);
    const shown = [];
    const issues = problem && problem.code === 'invalid_input' ? problem.issues : [];
    for (const issue of issues) {
      const node = nodeFor(nodes, issue.path);
      if (!node) continue;
      if (!showAll && !node.touchedDeep()) continue;
      const text = errorText(node, issue);
      node.setError(text);
      shown.push({ node, text });
    }
    const list = summary.querySelector('ul');
    list.replaceChildren(...shown.map(({ node, text }) =>
      h('li', {}, h('a', { href: `#${node.focusId}` }, joinContext(node.context(), text)))));
    summary.hidden = shown.length === 0;
    return shown.length;
  }

  function render(decision, problem) {
    let key;
    if (decision) key = JSON.stringify(decision);
    else if (problem && problem.code === 'invalid_input') key = `pending:${problem.issues.length}:${summary.hidden}`;
    else key = JSON.stringify(problem);
    if (key === lastKey) return; // leave the live region alone when nothing changed
    lastKey = key;
    root.dataset.state = decision ? 'decided' : (problem && problem.code === 'invalid_input' ? 'incomplete' : 'error');
    if (decision) {
      const shown = renderDecision(decision, { outcomes, schema, headingLevel: hl + 1 });
      announce(shown.querySelector('.eligo-panel'));
      resultBody.replaceChildren(shown);
    } else if (problem && problem.code === 'invalid_input') {
      // Counted: the answers missing, not those given and refused (a link's, say).
      const n = problem.issues.filter((i) => i.message === 'is required').length;
      announce(h('p', { class: 'eligo-body eligo-result__pending' }, summary.hidden
        ? `Answer the questions to see the result${n ? ` (${n} ${n === 1 ? 'answer is' : 'answers are'} still needed)` : ''}.`
        : 'Correct the answers listed under “There is a problem” to see the result.'));
      resultBody.replaceChildren();
    } else {
      announce(h('div', { class: 'eligo-result__failure' },
        h('p', { class: 'eligo-body' }, 'These rules could not decide your answers. This is a fault in the rules, not in your answers.'),
        h('pre', { class: 'eligo-code' }, problem ? problem.message : 'unknown error')));
      resultBody.replaceChildren();
    }
  }

  /** Put `el` in the live region, unless it says what the region says already: a screen
   * reader would read the same outcome again at every keystroke that changes only a value. */
  function announce(el) {
    if (resultStatus.textContent === el.textContent && resultStatus.firstElementChild?.className === el.className) return;
    resultStatus.replaceChildren(el);
  }

  return {
    schema,
    root,
    input: () => top.read() ?? {},
    setInput(obj) {
      top.write(obj || {});
      top.refreshVisibility();
      return evaluateNow();
    },
    evaluateNow,
    submit,
    destroy() {
      clearTimeout(timer);
      host.replaceChildren();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Field nodes. Each node renders one schema field and knows how to read, write and show an
// error for it. Paths are JSON pointers, as in the engine's issues: /activities/0/cost.

/** A Date's calendar day where the person is, as `YYYY-MM-DD`. */
function localDate(d) {
  const two = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

function baseNode(field, path, ctx, depth) {
  const id = `${ctx.prefix}f${path.replaceAll('/', '-')}`;
  const node = {
    field,
    path,
    id,
    focusId: id,
    depth,
    touched: false,
    parent: null,
    el: h('div', { class: 'eligo-group', 'data-path': path, 'data-type': field.type, 'data-depth': String(depth) }),
    errorEl: h('p', { class: 'eligo-error-message', id: `${id}-error`, hidden: '' }),
    hintEl: field.help ? h('div', { class: 'eligo-hint', id: `${id}-hint` }, field.help) : null,
    label: fieldLabel(field),
    // Lines under the control that describe it too, when they say something: a text's
    // character count, a note that this answer added questions further on.
    notes: [],
    describedBy() {
      return [this.hintEl && this.hintEl.id, !this.errorEl.hidden && this.errorEl.id,
        ...this.notes.filter((n) => !n.hidden && n.textContent).map((n) => n.id)].filter(Boolean).join(' ');
    },
    controls() {
      return [...this.el.querySelectorAll('input, select, textarea')];
    },
    setError(text) {
      this.errorEl.hidden = !text;
      this.errorEl.replaceChildren(...(text ? [h('span', { class: 'eligo-vh' }, 'Error: '), text] : []));
      this.el.classList.toggle('eligo-group--error', Boolean(text));
      for (const c of this.ownControls()) {
        if (text) c.setAttribute('aria-invalid', 'true');
        else c.removeAttribute('aria-invalid');
      }
      this.describe();
    },
    ownControls() {
      return this.controls();
    },
    /** Point the control (or the fieldset around a group of them) at its hint and error. */
    describe() {
      const d = this.describedBy();
      for (const t of this.describeTarget ? [this.describeTarget] : this.ownControls()) {
        if (d) t.setAttribute('aria-describedby', d);
        else t.removeAttribute('aria-describedby');
      }
    },
    /** Answered (or changed) by the person, here or in a field inside. */
    touchedDeep() {
      return this.touched || (this.anyChildTouched ? this.anyChildTouched() : false);
    },
    /** Where the field is, for the error summary: "Activities, Item 2, Cost". */
    context() {
      const parts = [];
      for (let n = this; n; n = n.parent) parts.unshift(n.isRow ? n.rowTitle() : n.label);
      return parts.filter(Boolean).join(', ');
    },
  };
  ctx.nodes.set(path || '/', node);
  return node;
}

function makeNode(field, path, ctx, depth) {
  switch (field.type) {
    case 'boolean':
      return radiosNode(field, path, ctx, depth, [
        { value: 'true', label: 'Yes', data: true },
        { value: 'false', label: 'No', data: false },
      ], true);
    case 'enum':
      return (field.options || []).length <= RADIO_LIMIT
        ? radiosNode(field, path, ctx, depth, (field.options || []).map((o) => ({ ...o, data: o.value })), false)
        : selectNode(field, path, ctx, depth);
    case 'date':
      return dateNode(field, path, ctx, depth);
    case 'list':
      return choicesOf(field.items).length
        ? checkboxesNode(field, path, ctx, depth)
        : listNode(field, path, ctx, depth);
    case 'object':
      return objectNode(field, path, ctx, depth);
    default:
      return textNode(field, path, ctx, depth);
  }
}

/** integer, number, money and string: one text input. */
function textNode(field, path, ctx, depth) {
  const node = baseNode(field, path, ctx, depth);
  const numeric = ['integer', 'number', 'money'].includes(field.type);
  const attrs = { class: 'eligo-input', id: node.id, type: 'text', autocomplete: 'off', spellcheck: 'false' };
  if (field.type === 'integer') attrs.inputmode = 'numeric';
  if (field.type === 'number' || field.type === 'money') attrs.inputmode = 'decimal';
  if (field.type === 'string') attrs.spellcheck = 'true';
  attrs.class += ` eligo-input--${widthFor(field)}`;
  const input = h('input', attrs);
  input.addEventListener('change', () => ctx.changed(node));
  const control = field.type === 'money'
    ? h('div', { class: 'eligo-input__wrapper' }, h('div', { class: 'eligo-input__prefix', 'aria-hidden': 'true' }, '£'), input)
    : input;
  node.el.append(h('label', { class: 'eligo-label', for: node.id }, node.label), node.hintEl || '', node.errorEl, control);
  // A string's limit is counted, never enforced with `maxlength`: that would cut a pasted
  // text short without a word. What is typed stays; past the limit the count says by how
  // much, and the engine's error ("must be at most 2000 characters") shows at the field.
  const count = field.type === 'string' ? characterCount(node, input, field.max_length ?? DEFAULT_MAX_LENGTH) : null;
  node.read = () => {
    const text = input.value.trim();
    if (text === '') return undefined;
    if (field.type === 'integer' && /^-?\d{1,15}$/.test(text)) return Number(text);
    if (numeric) return text; // exact: the engine parses decimals and "£1,250.50" itself
    return input.value;
  };
  node.write = (v) => {
    input.value = v === undefined || v === null ? '' : String(v);
    if (count) count.update();
  };
  node.describe();
  return node;
}

/** Characters as the engine counts them (Unicode scalar values, not UTF-16 units). */
function charCount(text) {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * GOV.UK's character count: under the box, how many characters it takes and, once
 * something is typed, how many are left or how many too many. Screen readers get the same
 * words in a polite live region once typing pauses (only when over the limit, or when just
 * brought back under it), and the line describes the box.
 */
function characterCount(node, input, max) {
  const el = h('div', { class: 'eligo-hint eligo-character-count', id: `${node.id}-count` });
  const live = h('div', { class: 'eligo-vh eligo-character-count__status', 'aria-live': 'polite' });
  node.el.append(el, live);
  node.notes.push(el);
  node.textLength = () => charCount(input.value);
  let timer = null;
  let spokenOver = false;
  const text = () => {
    const n = node.textLength();
    const chars = (k) => `${k.toLocaleString('en-GB')} ${k === 1 ? 'character' : 'characters'}`;
    if (n === 0) return `You can enter up to ${chars(max)}`;
    return n > max ? `You have ${chars(n - max)} too many` : `You have ${chars(max - n)} remaining`;
  };
  const update = () => {
    const over = node.textLength() > max;
    el.textContent = text();
    el.classList.toggle('eligo-character-count--over', over);
    input.classList.toggle('eligo-input--over', over);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const now = node.textLength() > max;
      if (now || spokenOver) live.textContent = text();
      spokenOver = now;
    }, COUNT_ANNOUNCE_MS);
  };
  input.addEventListener('input', update);
  el.textContent = text();
  return { update };
}

function radiosNode(field, path, ctx, depth, choices, inline) {
  const node = baseNode(field, path, ctx, depth);
  const list = h('div', { class: `eligo-radios${inline ? ' eligo-radios--inline' : ''}` });
  const inputs = choices.map((c, i) => {
    const rid = i === 0 ? node.id : `${node.id}-${i + 1}`;
    const input = h('input', { class: 'eligo-radios__input', type: 'radio', id: rid, name: node.id, value: c.value });
    input.addEventListener('change', () => ctx.changed(node));
    const item = h('div', { class: 'eligo-radios__item' }, input, h('label', { class: 'eligo-label eligo-radios__label', for: rid }, c.label));
    if (c.help) {
      item.append(h('div', { class: 'eligo-hint eligo-radios__hint', id: `${rid}-hint` }, c.help));
      input.setAttribute('aria-describedby', `${rid}-hint`);
    }
    list.append(item);
    return { input, data: c.data };
  });
  node.el.append(fieldset(node, list));
  node.describeTarget = node.el.querySelector('fieldset');
  node.read = () => {
    const on = inputs.find((x) => x.input.checked);
    return on ? on.data : undefined;
  };
  node.write = (v) => {
    for (const x of inputs) x.input.checked = v !== undefined && v !== null && x.data === v;
  };
  node.describe();
  return node;
}

function selectNode(field, path, ctx, depth) {
  const node = baseNode(field, path, ctx, depth);
  const select = h('select', { class: 'eligo-select', id: node.id },
    h('option', { value: '' }, 'Choose an answer'),
    ...field.options.map((o) => h('option', { value: o.value }, o.label)));
  select.addEventListener('change', () => ctx.changed(node));
  const help = field.options.filter((o) => o.help);
  node.el.append(h('label', { class: 'eligo-label', for: node.id }, node.label), node.hintEl || '', node.errorEl, select);
  if (help.length) {
    // Option help cannot live inside <option>; list it under the control instead.
    node.el.append(h('details', { class: 'eligo-details' }, h('summary', {}, 'What these answers mean'),
      h('dl', { class: 'eligo-details__list' }, ...help.flatMap((o) => [h('dt', {}, o.label), h('dd', {}, o.help)]))));
  }
  node.read = () => (select.value === '' ? undefined : select.value);
  node.write = (v) => {
    select.value = v === undefined || v === null ? '' : String(v);
  };
  node.describe();
  return node;
}

/** GOV.UK's date pattern: day, month and year boxes, composed to YYYY-MM-DD. */
function dateNode(field, path, ctx, depth) {
  const node = baseNode(field, path, ctx, depth);
  if (!node.hintEl) node.hintEl = h('div', { class: 'eligo-hint', id: `${node.id}-hint` }, 'For example, 27 3 2007');
  // No `maxlength`: it would cut "27/03/2007" typed or pasted into the day box to "27"
  // without a word. A whole date pasted into any box fills all three; anything else stays
  // as typed, and the date's check says what is wrong with it.
  const part = (suffix, label, width) => {
    const pid = suffix ? `${node.id}-${suffix}` : node.id;
    const input = h('input', {
      class: `eligo-input eligo-date__input eligo-input--${width}`, id: pid, type: 'text', inputmode: 'numeric',
      autocomplete: 'off',
    });
    input.addEventListener('paste', (e) => {
      const whole = wholeDate(e.clipboardData?.getData('text') ?? '');
      if (!whole) return;
      e.preventDefault();
      [day.input.value, month.input.value, year.input.value] = whole;
      year.input.focus();
      year.input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    return { input, el: h('div', { class: 'eligo-date__item' }, h('label', { class: 'eligo-label eligo-date__label', for: pid }, label), input) };
  };
  const day = part('', 'Day', 2);
  const month = part('month', 'Month', 2);
  const year = part('year', 'Year', 4);
  const group = h('div', { class: 'eligo-date' }, day.el, month.el, year.el);
  const fs = fieldset(node, group);
  fs.setAttribute('role', 'group');
  node.el.append(fs);
  node.describeTarget = fs;
  // A date is answered when focus leaves all three boxes, not after the first one. The last
  // box's change was decided just before this (with the date not yet answered, so its
  // errors hidden): decide again, or a wrong date shows no error until the next answer.
  node.el.addEventListener('focusout', (e) => {
    if (node.el.contains(e.relatedTarget) || node.read() === undefined || node.touched) return;
    ctx.changed(node);
    ctx.schedule();
  });
  node.read = () => {
    const [d, m, y] = [day, month, year].map((p) => p.input.value.trim());
    if (!d && !m && !y) return undefined;
    const pad = (s, n) => (/^\d+$/.test(s) ? s.padStart(n, '0') : s);
    return `${y}-${pad(m, 2)}-${pad(d, 2)}`;
  };
  /** What is wrong with the three boxes, in words, or null when they make a real date. */
  node.partsProblem = () => {
    const [d, m, y] = [day, month, year].map((p) => p.input.value.trim());
    const missing = [['day', d], ['month', m], ['year', y]].filter(([, v]) => !v).map(([name]) => name);
    if (missing.length) return `Enter the ${missing.join(' and ').replace(' and ', missing.length === 3 ? ', ' : ' and ')}`;
    if (![d, m, y].every((v) => /^\d+$/.test(v))) return 'Enter the day, month and year as numbers, for example 27 3 2007';
    if (y.length !== 4) return 'Enter the year as 4 digits, for example 2007';
    if (Number(m) < 1 || Number(m) > 12) return 'Enter a month from 1 to 12';
    const last = new Date(0);
    last.setUTCFullYear(Number(y), Number(m), 0); // day 0 of the next month: this month's last
    const days = last.getUTCDate();
    if (Number(d) < 1 || Number(d) > days) {
      return Number(d) >= 1 && Number(d) <= 31
        ? `Enter a real date: ${longDate(`${y}-${m.padStart(2, '0')}-01`).replace(/^1 /, '')} has ${days} days`
        : 'Enter a day from 1 to 31';
    }
    return null;
  };
  node.write = (v) => {
    const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
    day.input.value = m ? String(Number(m[3])) : '';
    month.input.value = m ? String(Number(m[2])) : '';
    year.input.value = m ? m[1] : '';
  };
  node.describe();
  return node;
}

/**
 * A whole date in one piece of text, as people paste one: day first as written in the UK
 * (27/03/2007, 27-3-2007, 27.03.2007, 27 3 2007) or year first (2007-03-27). Its day, month
 * and year as the boxes show them, or null.
 */
function wholeDate(text) {
  const t = text.trim();
  const ymd = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (ymd) return [String(Number(ymd[3])), String(Number(ymd[2])), ymd[1]];
  const dmy = /^(\d{1,2})[-/. ]+(\d{1,2})[-/. ]+(\d{4})$/.exec(t);
  return dmy ? [String(Number(dmy[1])), String(Number(dmy[2])), dmy[3]] : null;
}

/** The values a list's items are picked from: an enum's options, or a string's suggestions
 * (the rule set's usual values; the form offers only those). */
function choicesOf(items) {
  if (!items) return [];
  return (items.type === 'enum' ? items.options : items.type === 'string' ? items.suggestions : null) || [];
}

/** A list of enum values, or of strings with suggestions: one checkbox per choice. */
function checkboxesNode(field, path, ctx, depth) {
  const node = baseNode(field, path, ctx, depth);
  const options = choicesOf(field.items);
  const list = h('div', { class: 'eligo-checkboxes' });
  const inputs = options.map((o, i) => {
    const cid = i === 0 ? node.id : `${node.id}-${i + 1}`;
    const input = h('input', { class: 'eligo-checkboxes__input', type: 'checkbox', id: cid, name: node.id, value: o.value });
    input.addEventListener('change', () => ctx.changed(node));
    const item = h('div', { class: 'eligo-checkboxes__item' }, input, h('label', { class: 'eligo-label eligo-checkboxes__label', for: cid }, o.label));
    if (o.help) {
      item.append(h('div', { class: 'eligo-hint eligo-checkboxes__hint', id: `${cid}-hint` }, o.help));
      input.setAttribute('aria-describedby', `${cid}-hint`);
    }
    list.append(item);
    return input;
  });
  node.el.append(fieldset(node, list));
  node.describeTarget = node.el.querySelector('fieldset');
  node.read = () => {
    const picked = inputs.filter((i) => i.checked).map((i) => i.value);
    return picked.length || field.required ? picked : undefined;
  };
  node.write = (v) => {
    const want = new Set(Array.isArray(v) ? v.map(String) : []);
    for (const i of inputs) i.checked = want.has(i.value);
  };
  node.describe();
  return node;
}

/** Any other list: rows added and removed by the person, each row one item (or object). */
function listNode(field, path, ctx, depth) {
  const node = baseNode(field, path, ctx, depth);
  const items = field.items || { type: 'string' };
  const noun = items.label || 'item';
  const rowsEl = h('div', { class: 'eligo-list__rows' });
  const empty = h('p', { class: 'eligo-body eligo-list__empty' }, 'None added yet.');
  const add = h('button', { type: 'button', class: 'eligo-button eligo-button--secondary eligo-list__add' }, `Add ${articleFor(noun)} ${noun}`);
  // At the rule set's `max_items` the button gives way to a line saying so: one more row
  // would only be refused ("must have at most 50 items") once filled in.
  const max = field.max_items;
  const full = Number.isInteger(max) ? h('p', { class: 'eligo-body eligo-list__full', hidden: '' }, `You have added ${max}, the most this question takes.`) : null;
  const refreshAdd = () => {
    if (!full) return;
    const atMax = node.rows.length >= max;
    add.hidden = atMax;
    full.hidden = !atMax;
  };
  node.rows = [];
  node.el.append(fieldset(node, h('div', { class: 'eligo-list' }, rowsEl, empty, add, full)));
  node.ownControls = () => [];
  node.describeTarget = node.el.querySelector('fieldset');
  node.anyChildTouched = () => node.rows.some((r) => r.touched || (r.anyChildTouched && r.anyChildTouched()));

  const unregister = () => {
    for (const key of [...ctx.nodes.keys()]) if (key.startsWith(`${path}/`)) ctx.nodes.delete(key);
  };
  const rebuild = (values) => {
    unregister();
    node.rows = [];
    rowsEl.replaceChildren();
    values.forEach((v) => addRow(v));
    empty.hidden = node.rows.length > 0;
    refreshAdd();
  };
  const addRow = (value) => {
    const i = node.rows.length;
    const rowPath = `${path}/${i}`;
    const title = `${capitalise(noun)} ${i + 1}`;
    const rowField = { ...items, name: String(i), label: items.type === 'object' ? title : `${title}`, required: true };
    const row = makeNode(rowField, rowPath, ctx, depth + 1);
    row.parent = node;
    row.isRow = true;
    row.rowTitle = () => title;
    const remove = h('button', { type: 'button', class: 'eligo-link-button eligo-list__remove' }, 'Remove', h('span', { class: 'eligo-vh' }, ` ${noun} ${i + 1}`));
    remove.addEventListener('click', () => {
      const values = node.rows.map((r) => r.read());
      values.splice(i, 1);
      node.touched = true;
      rebuild(values);
      (node.rows[Math.min(i, node.rows.length - 1)]?.el.querySelector('input, select') || add).focus();
      form(node).dispatchEvent(new Event('change', { bubbles: true }));
    });
    const wrap = h('div', { class: 'eligo-list__row' }, row.el, remove);
    rowsEl.append(wrap);
    node.rows.push(row);
    if (value !== undefined) row.write(value);
    if (row.refreshVisibility) row.refreshVisibility();
    return row;
  };
  add.addEventListener('click', () => {
    const row = addRow(undefined);
    empty.hidden = true;
    refreshAdd();
    node.touched = true;
    const first = row.el.querySelector('input, select');
    if (first) first.focus();
    form(node).dispatchEvent(new Event('change', { bubbles: true }));
  });
  node.read = () => {
    const values = node.rows.map((r) => r.read() ?? null);
    return values.length || field.required ? values : undefined;
  };
  node.write = (v) => rebuild(Array.isArray(v) ? v : []);
  node.refreshVisibility = () => node.rows.forEach((r) => r.refreshVisibility && r.refreshVisibility());
  node.focusId = add.id = `${node.id}-add`;
  node.describe();
  return node;
}

/** An object: its fields in order; `visible_when` shows or hides a field by a sibling's answer. */
function objectNode(field, path, ctx, depth) {
  const node = depth === 0
    ? { field, path, depth, el: null, setError() {}, touchedDeep: () => false, context: () => '', label: '' }
    : baseNode(field, path, ctx, depth);
  const children = (field.fields || []).map((f) => {
    const child = makeNode(f, `${path}/${f.name}`, ctx, depth === 0 ? 0 : depth + 1);
    if (depth > 0) child.parent = node;
    return child;
  });
  node.children = children;
  node.fieldsEl = h('div', { class: 'eligo-fields' }, ...children.map((c) => c.el));
  node.anyChildTouched = () => children.some((c) => c.touched || (c.anyChildTouched && c.anyChildTouched()));
  if (depth > 0) {
    node.el.append(fieldset(node, node.fieldsEl));
    node.ownControls = () => [];
    node.describeTarget = node.el.querySelector('fieldset');
    node.describe();
  }
  const byName = new Map(children.map((c) => [c.field.name, c]));
  const visible = (c) => {
    const cond = c.field.visible_when;
    if (!cond) return true;
    const sibling = byName.get(cond.field);
    const v = sibling && !sibling.el.hidden ? sibling.read() : undefined;
    const same = (x) => x !== undefined && v !== undefined && String(x) === String(v);
    if (cond.equals !== undefined && cond.equals !== null && same(cond.equals)) return true;
    return Array.isArray(cond.in) && cond.in.some(same);
  };
  // A question that shows others (`visible_when`) not right after it gets a note under it,
  // saying what appeared and where, with a link there: whoever picks "Domestic abuse" near
  // the top would not otherwise see four questions appear ten questions further down. The
  // note is a polite live region, so a screen reader hears it as the answer is chosen.
  const reveals = new Map(); // trigger child → its note
  for (const c of children) {
    const trigger = c.field.visible_when && byName.get(c.field.visible_when.field);
    if (!trigger || trigger === c || reveals.has(trigger)) continue;
    const note = h('div', { class: 'eligo-reveal', id: `${trigger.id}-reveal`, 'aria-live': 'polite' });
    note.addEventListener('click', (e) => {
      const a = e.target.closest('a[href^="#"]');
      if (!a) return;
      e.preventDefault();
      focusField(note, a.getAttribute('href').slice(1));
    });
    trigger.el.append(note);
    trigger.notes.push(note);
    reveals.set(trigger, note);
  }
  /** The questions `trigger` shows now that are away from it: other questions in between. */
  const farFrom = (trigger) => {
    const at = children.indexOf(trigger);
    const shows = (c) => !c.el.hidden && c.field.visible_when && c.field.visible_when.field === trigger.field.name;
    const above = children.slice(0, at).filter(shows);
    const below = [];
    let near = true; // still in the run of its questions right after it
    for (const c of children.slice(at + 1)) {
      if (c.el.hidden) continue;
      if (!shows(c)) near = false;
      else if (!near) below.push(c);
    }
    return { above, below };
  };
  const refreshReveals = () => {
    for (const [trigger, note] of reveals) {
      const { above, below } = trigger.el.hidden ? { above: [], below: [] } : farFrom(trigger);
      const parts = [[below, 'further down'], [above, 'further up']].filter(([qs]) => qs.length);
      const key = parts.map(([qs]) => qs.map((q) => q.id).join(',')).join('|');
      if (note.dataset.key === key) continue; // the same note: leave the live region alone
      note.dataset.key = key;
      note.replaceChildren(...parts.map(([qs, where]) => {
        const link = h('a', { class: 'eligo-link', href: `#${qs[0].focusId}` }, fieldLabel({ ...qs[0].field, required: true }));
        return qs.length === 1
          ? h('p', { class: 'eligo-reveal__text' }, `Your answer adds a question ${where} the form: “`, link, '”.')
          : h('p', { class: 'eligo-reveal__text' }, `Your answer adds ${qs.length} questions ${where} the form, starting with “`, link, '”.');
      }));
      trigger.describe();
    }
  };
  node.refreshVisibility = () => {
    for (const c of children) {
      c.el.hidden = !visible(c);
      if (c.refreshVisibility) c.refreshVisibility();
    }
    refreshReveals();
  };
  node.read = () => {
    const out = {};
    for (const c of children) {
      if (c.el.hidden) continue; // a hidden question is not asked, so not answered
      const v = c.read();
      if (v !== undefined) out[c.field.name] = v;
    }
    return depth > 0 && Object.keys(out).length === 0 && !field.required ? undefined : out;
  };
  node.write = (v) => {
    const obj = v && typeof v === 'object' ? v : {};
    for (const c of children) {
      const val = Object.prototype.hasOwnProperty.call(obj, c.field.name) ? obj[c.field.name] : c.field.default;
      c.write(val);
    }
    node.refreshVisibility();
  };
  // Start from the schema's defaults.
  for (const c of children) if (c.field.default !== undefined) c.write(c.field.default);
  return node;
}

function fieldset(node, body) {
  const legendTag = node.depth === 0 ? 'eligo-legend eligo-legend--m' : 'eligo-legend';
  return h('fieldset', { class: 'eligo-fieldset' },
    h('legend', { class: legendTag }, node.label), node.hintEl || '', node.errorEl, body);
}

// ---------------------------------------------------------------------------------------

/** The node for an issue path: the deepest rendered field on the way (e.g. a list item). */
function nodeFor(nodes, path) {
  let p = path || '/';
  while (p) {
    const n = nodes.get(p);
    if (n && n.setError && n.el) return n;
    const cut = p.lastIndexOf('/');
    if (cut <= 0) break;
    p = p.slice(0, cut);
  }
  return null;
}

/** An engine message ("must not be negative") as an error under a question. */
function errorText(node, issue) {
  const m = String(issue.message || '').trim();
  const t = node.field.type;
  // A text row added and left empty is, to the person, a question not answered.
  if (m === 'is required' || (m === 'must not be empty' && t === 'string')) {
    if (t === 'enum' || t === 'boolean') return 'Select an answer';
    if (t === 'date') return 'Enter a date';
    if (t === 'list') return 'Add at least one';
    return 'Enter an answer';
  }
  if (t === 'date' && /YYYY-MM-DD|not a real calendar date/.test(m)) {
    return (node.partsProblem && node.partsProblem()) || 'Enter a real date, with a day, month and 4-digit year';
  }
  // A number too large for the engine to hold, on a question with a range: the range says
  // more than the engine's limit of 79,228,162,514,264,337,593,543,950,335.
  const { min, max } = node.field;
  if (/ is too large a negative number/.test(m) && typeof min === 'number') return `Must be at least ${min}`;
  if (/ is too large:/.test(m) && typeof max === 'number') return `Must be at most ${max}`;
  // A text past its limit: how long it is too, as the count under the box says.
  const long = /^must be at most (\d+) characters$/.exec(m);
  if (long && node.textLength) {
    const count = (n) => Number(n).toLocaleString('en-GB');
    return `Must be at most ${count(long[1])} characters (this answer has ${count(node.textLength())})`;
  }
  // Dates in words, as the rest of the form writes them: "on or after 1 January 2013".
  return capitalise(m.replace(/\b\d{4}-\d{2}-\d{2}\b/g, (d) => longDate(d)));
}

/** "How much are you asking for? Must not be negative"; "Item 1, Cost: Enter an answer". */
function joinContext(where, text) {
  if (!where) return text;
  return /[?.!]$/.test(where) ? `${where} ${text}` : `${where}: ${text}`;
}

function focusField(root, id) {
  const scope = root.getRootNode();
  const el = (scope.getElementById ? scope.getElementById(id) : null) || root.querySelector(`#${CSS.escape(id)}`);
  if (!el) return;
  el.focus();
  const group = el.closest('.eligo-group');
  const legend = group && (group.querySelector('legend') || group.querySelector('label'));
  (legend || el).scrollIntoView({ block: 'start' });
}

function form(node) {
  return node.el.closest('form') || node.el;
}

function fieldLabel(field) {
  const base = field.label || capitalise(String(field.name || '').replaceAll('_', ' '));
  return field.required === false ? `${base} (optional)` : base;
}

function widthFor(field) {
  if (field.type === 'integer') {
    const max = Number(field.max);
    return Number.isFinite(max) && max < 10000 ? 4 : 10;
  }
  if (field.type === 'money' || field.type === 'number') return 10;
  return 'full';
}

function articleFor(noun) {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

export function capitalise(s) {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

/** Create an element: h('a', {href: '#x'}, 'text', child). Attributes are set, never HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === '' || c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}
