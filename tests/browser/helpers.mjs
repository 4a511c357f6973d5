// Shared set-up for the browser tests, the bench and the screenshots: build the rule bundle
// with the CLI, serve www/ (with pkg/ and the bundle mounted in) on a free localhost port,
// and launch Debian's chromium headless through playwright-core.

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/static-server.mjs';
import { bundlePages } from '../../scripts/bundle-page.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ELIGO = process.env.ELIGO_BIN || path.join(ROOT, 'target/release/eligo');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CASES_DIR = process.env.ELIGO_CASES || path.join(ROOT, '../shared/cases');

/** Check what the tests need is built; say how to build it when not. */
export function requireBuilt() {
  const missing = [];
  if (!existsSync(ELIGO)) missing.push(`${ELIGO} (cargo build --release)`);
  if (!existsSync(path.join(ROOT, 'pkg/index.js'))) missing.push('pkg/index.js (scripts/build-wasm.sh)');
  if (!existsSync(CHROMIUM)) missing.push(`${CHROMIUM} (scripts/setup.sh installs it)`);
  if (missing.length) throw new Error(`browser tests need: ${missing.join('; ')}`);
}

/**
 * Bundle rules/, the referral page's script and the partner embed (scripts/bundle-page.mjs,
 * from www/ as it is now) into a temporary folder and serve www/ with them and pkg/
 * mounted; `mounts` adds more (URL path → file or folder). `tmp` is a scratch folder
 * removed on close.
 */
export async function serve({ mounts = {} } = {}) {
  requireBuilt();
  const tmp = mkdtempSync(path.join(tmpdir(), 'eligo-www-'));
  const bundle = path.join(tmp, 'rules.bundle.json');
  execFileSync(ELIGO, ['bundle', path.join(ROOT, 'rules'), '-o', bundle], { stdio: 'pipe' });
  const pages = await bundlePages(tmp);
  const scripts = Object.fromEntries(Object.values(pages).flatMap((f) => [[`/${path.basename(f)}`, f], [`/${path.basename(f)}.map`, `${f}.map`]]));
  const server = await startServer({
    root: path.join(ROOT, 'www'),
    mounts: {
      '/pkg/': path.join(ROOT, 'pkg'),
      '/rules.bundle.json': bundle,
      ...scripts,
      ...mounts,
    },
  });
  return {
    url: server.url,
    bundlePath: bundle,
    tmp,
    async close() {
      await server.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** A fresh headless chromium with the flags that work on these machines. */
export async function launch() {
  const profile = mkdtempSync(path.join(tmpdir(), 'eligo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A new page that fails the test on any uncaught page error or console error. */
export async function newPage(context, errors = []) {
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return page;
}

/** The shared contract cases: {name, ruleset, input, as_of?, expect}. */
export function contractCases() {
  if (!existsSync(CASES_DIR)) return [];
  return readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => ({ file: f, ...JSON.parse(readFileSync(path.join(CASES_DIR, f), 'utf8')) }));
}

/** What `eligo eval` prints for a case: the decision, or the error, with its exit code. */
export function cliEval(ruleset, input, asOf) {
  const tmp = mkdtempSync(path.join(tmpdir(), 'eligo-case-'));
  const file = path.join(tmp, 'input.json');
  writeFileSync(file, JSON.stringify(input));
  const args = ['eval', path.join(ROOT, 'rules', ruleset), '--input', file];
  if (asOf) args.push('--as-of', asOf);
  try {
    const out = execFileSync(ELIGO, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { exit: 0, json: JSON.parse(out) };
  } catch (e) {
    if (typeof e.status === 'number' && e.stdout) return { exit: e.status, json: JSON.parse(e.stdout) };
    throw e;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The CLI's describe output for a rule set (its schema). */
export function cliDescribe(ruleset) {
  return JSON.parse(execFileSync(ELIGO, ['describe', path.join(ROOT, 'rules', ruleset)], { encoding: 'utf8' }));
}

/** Every rule-set id under rules/. */
export function rulesetIds() {
  return readdirSync(path.join(ROOT, 'rules'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(ROOT, 'rules', d.name, 'ruleset.toml')))
    .map((d) => d.name).sort();
}

/** The element id the generated form gives a field at a JSON pointer (see www/form.js). */
export function fieldId(prefix, pointer) {
  return `${prefix}f${pointer.replaceAll('/', '-')}`;
}

const byId = (page, id) => page.locator(`[id="${id}"]`);

/** A list's boxes to tick, as the form draws them: an enum's options or a string's suggestions. */
export function choicesOf(items) {
  if (!items) return [];
  return (items.type === 'enum' ? items.options : items.type === 'string' ? items.suggestions : null) || [];
}

/**
 * Fill a generated form through its controls, as a person would: type into boxes, click
 * radios and checkboxes, choose from selects, add list rows. Fields the input leaves out
 * keep what the form starts with. Fields hidden by `visible_when` are skipped and returned.
 */
export async function fillForm(page, fields, input, { prefix = 'eligo-', path = '' } = {}) {
  const skipped = [];
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(input, f.name)) continue;
    const pointer = `${path}/${f.name}`;
    const id = fieldId(prefix, pointer);
    const v = input[f.name];
    const probe = f.type === 'list' && !choicesOf(f.items).length ? `${id}-add` : id;
    if (!(await byId(page, probe).isVisible())) {
      skipped.push(pointer);
      continue;
    }
    await fillField(page, f, v, { prefix, pointer, id });
  }
  return skipped;
}

async function fillField(page, f, v, { prefix, pointer, id }) {
  switch (f.type) {
    case 'boolean':
      await byId(page, v ? id : `${id}-2`).check();
      return;
    case 'enum': {
      if (f.options.length > 5) {
        await byId(page, id).selectOption(String(v));
        return;
      }
      const i = f.options.findIndex((o) => o.value === v);
      if (i < 0) throw new Error(`${pointer}: ${v} is not an option`);
      await byId(page, i === 0 ? id : `${id}-${i + 1}`).check();
      return;
    }
    case 'date': {
      const [y, m, d] = String(v).split('-');
      await byId(page, id).fill(String(Number(d)));
      await byId(page, `${id}-month`).fill(String(Number(m)));
      await byId(page, `${id}-year`).fill(y);
      await byId(page, `${id}-year`).dispatchEvent('change');
      return;
    }
    case 'list': {
      const items = f.items || { type: 'string' };
      const choices = choicesOf(items);
      if (choices.length) {
        const other = v.find((x) => !choices.some((o) => o.value === x));
        if (other !== undefined) throw new Error(`${pointer}: ${other} is not among the boxes to tick`);
        for (const [i, o] of choices.entries()) {
          await byId(page, i === 0 ? id : `${id}-${i + 1}`).setChecked(v.includes(o.value));
        }
        return;
      }
      for (let i = 0; i < v.length; i++) await byId(page, `${id}-add`).click();
      for (const [i, item] of v.entries()) {
        const rowPointer = `${pointer}/${i}`;
        if (items.type === 'object') await fillForm(page, items.fields, item, { prefix, path: rowPointer });
        else await fillField(page, items, item, { prefix, pointer: rowPointer, id: fieldId(prefix, rowPointer) });
      }
      return;
    }
    case 'object':
      await fillForm(page, f.fields, v, { prefix, path: pointer });
      return;
    default:
      await byId(page, id).fill(String(v));
      await byId(page, id).dispatchEvent('change');
  }
}

/** The decision the page shows, from its "decision as data" block; null when none. */
export async function shownDecision(scope) {
  const pre = scope.locator('.eligo-decision-json');
  if ((await pre.count()) === 0) return null;
  return JSON.parse(await pre.first().textContent());
}
