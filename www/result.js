// Shows a decision in plain English: the outcome's label, where to refer (with deadlines),
// why (each rule's message, met or not, or a note), the named values, and the decision as data.
// Only presentation: everything shown comes from the decision object the engine returned.

const ACRONYMS = new Set(['asb', 'cce', 'cse', 'dash', 'fgm', 'idva', 'isva', 'marac', 'nrm', 'yos', 'oocd', 'id']);
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

/** `26 September 2022` for `2022-09-26`; anything else unchanged. */
export function longDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  if (!m) return String(text);
  const month = MONTHS[Number(m[2]) - 1];
  return month ? `${Number(m[3])} ${month} ${m[1]}` : String(text);
}

/** `victims_gateway` → `Victims gateway`, `idva` → `IDVA`. */
export function words(id) {
  const parts = String(id).split('_').filter(Boolean);
  const out = parts.map((p) => (ACRONYMS.has(p.toLowerCase()) ? p.toUpperCase() : p)).join(' ');
  return out.charAt(0).toUpperCase() + out.slice(1);
}

function isDate(v) {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
}

function isMoneyName(name) {
  return /(cost|amount|award|cap$|cap_|shortfall|grant|funding|payment)/.test(name);
}

/**
 * `text`, a plain decimal (`-1234.5`), as en-GB digits: thousands grouped with commas, at
 * most `maxFrac` decimals (rounded half away from zero, as `toLocaleString` does) and at
 * least `minFrac`. Written by hand on the digits: exact for any amount (a JS number is not),
 * and it spares the first decision loading ICU's number formats (~20 ms on a cold page).
 */
export function groupedDecimal(text, minFrac, maxFrac) {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  let [, sign, int, frac = ''] = m;
  if (frac.length > maxFrac) {
    const up = frac.charCodeAt(maxFrac) >= 53; // '5'
    frac = frac.slice(0, maxFrac);
    if (up) {
      const digits = [...int + frac];
      let i = digits.length - 1;
      for (; i >= 0 && digits[i] === '9'; i--) digits[i] = '0';
      if (i < 0) digits.unshift('1');
      else digits[i] = String(Number(digits[i]) + 1);
      int = digits.slice(0, digits.length - frac.length).join('');
      frac = digits.slice(digits.length - frac.length).join('');
    }
  }
  frac = frac.replace(/0+$/, '').padEnd(minFrac, '0');
  int = int.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+$)/g, ',');
  const out = frac ? `${int}.${frac}` : int;
  return sign && /[1-9]/.test(out) ? `-${out}` : out;
}

/** `0.075` → `7.5`: the decimal point moved two places right, on the digits. */
function hundredfold(text) {
  const [, sign, int, frac = ''] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  const digits = frac.padEnd(2, '0');
  return `${sign}${int}${digits.slice(0, 2)}${digits.length > 2 ? `.${digits.slice(2)}` : ''}`;
}

/**
 * The labels a rule set's schema gives its ids: each enum option's and each string
 * suggestion's `value` → `label`, through lists and objects (`describe(id).input`).
 */
export function labelsOf(fields, into = new Map()) {
  for (const f of fields || []) {
    for (const o of [...(f.options || []), ...(f.suggestions || [])]) into.set(o.value, o.label);
    if (f.items) labelsOf([f.items], into);
    labelsOf(f.fields, into);
  }
  return into;
}

/**
 * A value as text, formatted by what it looks like and what it is called; an id the
 * schema labels (`labelsOf`) by its label.
 */
export function formatValue(name, v, labels = new Map()) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  // Numbers as their decimal text (`String(2500.5)`; money may arrive as text already).
  // Exponent forms (beyond 1e21, below 1e-6) are not money here: toLocaleString has them.
  const decimal = typeof v === 'number' ? String(v) : v;
  if (typeof decimal === 'string' && /^-?\d+(\.\d+)?$/.test(decimal)) {
    if (isMoneyName(name)) return `£${groupedDecimal(decimal, decimal.includes('.') && !/\.0*$/.test(decimal) ? 2 : 0, 2)}`;
    if (/share|rate|proportion/.test(name) && !decimal.startsWith('-') && Number(decimal) <= 1) {
      return `${groupedDecimal(hundredfold(decimal), 0, 2)}%`;
    }
    if (typeof v === 'number') return groupedDecimal(decimal, 0, 10);
  }
  if (typeof v === 'number') return v.toLocaleString('en-GB', { maximumFractionDigits: 10 });
  if (isDate(v)) return longDate(v);
  if (typeof v === 'string') return labels.get(v) ?? (/^[a-z0-9]+(_[a-z0-9]+)*$/.test(v) ? words(v) : v);
  if (Array.isArray(v)) return v.length ? v.map((x) => formatValue(name, x, labels)).join(', ') : 'None';
  return Object.entries(v).map(([k, x]) => `${words(k)}: ${formatValue(k, x, labels)}`).join('; ');
}

function isPathwayList(v) {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && 'service' in x);
}

function isTable(v) {
  return Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x));
}

/**
 * The decision as a document fragment. `outcomes` maps outcome ids to `{label, description}`;
 * `schema` (`describe(id)`), when given, labels ids among the values; `headingLevel` is the
 * level of the sub-headings.
 */
export function renderDecision(decision, { outcomes = new Map(), schema = null, headingLevel = 3 } = {}) {
  const labels = labelsOf(schema && schema.input);
  const hx = `h${Math.min(headingLevel, 6)}`;
  const out = outcomes.get(decision.outcome) || {};
  const wrap = el('div', { class: 'eligo-decision', 'data-outcome': decision.outcome });

  wrap.append(el('div', { class: 'eligo-panel', 'data-outcome': decision.outcome },
    el('p', { class: 'eligo-panel__outcome' }, out.label || words(decision.outcome)),
    out.description ? el('p', { class: 'eligo-panel__body' }, out.description) : ''));

  const values = decision.values || {};
  const pathwayKeys = Object.keys(values).filter((k) => isPathwayList(values[k]));
  for (const key of pathwayKeys) {
    wrap.append(el(hx, { class: 'eligo-heading' }, key === 'pathways' ? 'Where to refer' : words(key)));
    wrap.append(el('ol', { class: 'eligo-pathways' }, ...values[key].map((p) => {
      const li = el('li', { class: 'eligo-pathway', 'data-service': p.service },
        el('p', { class: 'eligo-pathway__service' }, words(p.service)));
      const facts = el('dl', { class: 'eligo-pathway__facts' });
      if (p.priority) facts.append(el('dt', {}, 'Priority'), el('dd', {}, words(p.priority)));
      if (p.deadline) facts.append(el('dt', {}, 'By'), el('dd', {}, el('time', { datetime: p.deadline }, longDate(p.deadline))));
      for (const [k, v] of Object.entries(p)) {
        if (['service', 'priority', 'deadline', 'reason'].includes(k)) continue;
        facts.append(el('dt', {}, words(k)), el('dd', {}, formatValue(k, v, labels)));
      }
      if (facts.children.length) li.append(facts);
      if (p.reason) li.append(el('p', { class: 'eligo-pathway__reason' }, p.reason));
      return li;
    })));
  }

  // A rule the rule set calls information (`describe(id).information_rules`: a fact about
  // the case, or one of several routes to an outcome) is a note, neither met nor not met.
  const notes = new Set((schema && schema.information_rules) || []);
  const reasons = decision.reasons || [];
  if (reasons.length) {
    wrap.append(el(hx, { class: 'eligo-heading' }, 'Why'));
    wrap.append(el('ul', { class: 'eligo-reasons' }, ...reasons.map((r) => {
      const [kind, mark, said] = notes.has(r.rule) ? ['info', '•', 'Note: ']
        : r.passed ? ['met', '✓', 'Met: '] : ['not-met', '✗', 'Not met: '];
      return el('li', { class: `eligo-reason eligo-reason--${kind}`, 'data-rule': r.rule },
        el('span', { class: 'eligo-reason__mark', 'aria-hidden': 'true' }, mark),
        el('span', { class: 'eligo-vh' }, said),
        el('span', { class: 'eligo-reason__text' }, r.message));
    })));
  }

  const rest = Object.keys(values).filter((k) => !pathwayKeys.includes(k));
  if (rest.length) {
    wrap.append(el(hx, { class: 'eligo-heading' }, 'Details'));
    const dl = el('dl', { class: 'eligo-summary-list' });
    for (const k of rest) {
      const v = values[k];
      let shown;
      if (isTable(v)) {
        const cols = [...new Set(v.flatMap((row) => Object.keys(row)))];
        shown = el('table', { class: 'eligo-table' },
          el('thead', {}, el('tr', {}, ...cols.map((c) => el('th', { scope: 'col' }, words(c))))),
          el('tbody', {}, ...v.map((row) => el('tr', {}, ...cols.map((c) => el('td', {}, formatValue(c, row[c], labels)))))));
      } else if (isDate(v)) {
        shown = el('time', { datetime: v }, longDate(v));
      } else {
        shown = formatValue(k, v, labels);
      }
      dl.append(el('div', { class: 'eligo-summary-list__row', 'data-value': k },
        el('dt', { class: 'eligo-summary-list__key' }, words(k)),
        el('dd', { class: 'eligo-summary-list__value' }, shown)));
    }
    wrap.append(dl);
  }

  const rs = decision.ruleset || {};
  wrap.append(el('p', { class: 'eligo-meta' },
    `Decided on the rules in force on ${longDate(decision.as_of)}: ${rs.id} version ${rs.version}`,
    rs.hash ? el('span', { class: 'eligo-meta__hash', title: rs.hash }, ` (${String(rs.hash).slice(0, 19)}…)`) : '',
    decision.engine ? `, ${decision.engine}.` : '.'));
  wrap.append(el('details', { class: 'eligo-details' },
    el('summary', {}, 'The decision as data'),
    el('pre', { class: 'eligo-code eligo-decision-json' }, JSON.stringify(decision, null, 2))));
  return wrap;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== '' && c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
