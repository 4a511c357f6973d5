// <eligo-form> on the example partner page (www/example-partner.html): the same generated
// form inside the partner's page, its decisions as events, the partner's theme applied,
// and no request leaving the page after load.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  serve, launch, newPage, cliEval, cliDescribe, contractCases, fillForm, shownDecision, ELIGO, ROOT,
} from './helpers.mjs';

let srv;
let browser;
let keys; // a publisher's key pair and a bundle it signed, made for this run
const errors = [];

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'eligo-keys-'));
  execFileSync(ELIGO, ['keygen', '-o', path.join(dir, 'publisher')], { stdio: 'pipe' });
  execFileSync(ELIGO, ['keygen', '-o', path.join(dir, 'other')], { stdio: 'pipe' });
  execFileSync(ELIGO, ['bundle', path.join(ROOT, 'rules'), '-o', path.join(dir, 'signed.json'), '--sign', path.join(dir, 'publisher.key')], { stdio: 'pipe' });
  keys = {
    dir,
    publisher: readFileSync(path.join(dir, 'publisher.pub'), 'utf8'),
    other: readFileSync(path.join(dir, 'other.pub'), 'utf8'),
  };
  // The example page as it was before embed.bundle.js: embed.js loaded module by module.
  const modules = path.join(dir, 'partner-modules.html');
  const html = readFileSync(path.join(ROOT, 'www/example-partner.html'), 'utf8');
  assert.ok(html.includes('src="embed.bundle.js"'), 'the example page loads the bundled embed');
  writeFileSync(modules, html.replace('src="embed.bundle.js"', 'src="embed.js"'));
  srv = await serve({ mounts: { '/signed.bundle.json': path.join(dir, 'signed.json'), '/partner-modules.html': modules } });
  browser = await launch();
});

/** Fill the embedded `form` with contract case `c` through its controls, and see the CLI's decision shown. */
async function decidesLikeTheCli(page, form, c) {
  const prefix = (await form.locator('.eligo-group input').first().getAttribute('id')).split('f-')[0];
  await fillForm(page, cliDescribe(c.ruleset).input, c.input, { prefix });
  await form.getByRole('button', { name: 'Check my answers' }).click();
  assert.deepEqual(await shownDecision(form), cliEval(c.ruleset, c.input).json);
}

after(async () => {
  await browser?.close();
  await srv?.close();
  if (keys) rmSync(keys.dir, { recursive: true, force: true });
});

test('the embedded victim-referral form decides like the CLI, on its own page', async () => {
  const c = contractCases().find((x) => x.ruleset === 'victim-referral' && x.expect.pathways_include?.length);
  assert.ok(c, 'a victim-referral contract case with pathways');
  const page = await newPage(browser.context, errors);
  const loaded = [];
  page.on('request', (r) => loaded.push(new URL(r.url()).pathname));
  await page.goto(`${srv.url}example-partner.html`);
  const el = page.locator('eligo-form#referral');
  await page.waitForFunction(() => document.querySelector('eligo-form')?.dataset.ready);
  assert.equal(await el.getAttribute('data-ready'), 'true');
  // Eligo's code is one script: the element and the engine's JS bundled (scripts/bundle-page.mjs).
  const scripts = loaded.filter((p) => p.endsWith('.js'));
  assert.deepEqual(scripts.filter((p) => !p.startsWith('/example-partner')), ['/embed.bundle.js'], scripts.join(' '));
  // The partner page is its own page: its heading, not Eligo's chrome.
  assert.equal(await page.locator('h1').first().textContent(), 'Get help after a crime');
  assert.equal(await page.locator('.site-header').count(), 0);

  // The same generated form, inside the element's shadow root.
  const schema = cliDescribe('victim-referral');
  assert.equal(await page.evaluate(() => document.querySelector('eligo-form').shadowRoot.querySelectorAll('.eligo-group[data-depth="0"]').length),
    schema.input.length);

  const requests = [];
  browser.context.on('request', (r) => requests.push(r.url()));
  await page.evaluate(() => {
    window.heard = [];
    document.querySelector('eligo-form').addEventListener('eligo-decision', (e) => {
      window.heard.push(e.detail.decision ? e.detail.decision.outcome : e.detail.problem.code);
    });
  });
  await fillForm(page, schema.input, c.input, { prefix: 'eligo1-' });
  await el.getByRole('button', { name: 'Check my answers' }).click();
  const cli = cliEval('victim-referral', c.input);
  assert.equal(cli.exit, 0, `the CLI decides the case: ${JSON.stringify(cli.json)}`);
  assert.deepEqual(await shownDecision(el), cli.json);
  assert.equal((await page.evaluate(() => window.heard)).at(-1), cli.json.outcome, 'the page heard eligo-decision');
  assert.equal(await el.evaluate((e) => e.decision.outcome), cli.json.outcome, 'element.decision');

  // The partner's own script turned the decision into its "next step".
  assert.match(await page.locator('#np-next').textContent(), /^We can refer you to /);
  // Its live region changes when the next step does, not at every answer.
  await page.evaluate(() => {
    window.nextSaid = 0;
    new MutationObserver(() => window.nextSaid++).observe(document.getElementById('np-next'), { childList: true, characterData: true, subtree: true });
  });
  const before = (await page.evaluate(() => window.heard)).length;
  await el.locator('[id="eligo1-f-intimidated-2"]').check(); // an answer that does not change the next step
  await el.locator('[id="eligo1-f-intimidated-2"]').evaluate((r) => r.dispatchEvent(new Event('change', { bubbles: true })));
  await page.waitForFunction((n) => window.heard.length > n, before);
  assert.equal(await page.evaluate(() => window.nextSaid), 0, 'the same next step is not said again');
  // Its brand colour reaches the result panel through --eligo-brand; its serif font does not leak in.
  const panel = el.locator('.eligo-panel');
  assert.equal(await panel.evaluate((p) => getComputedStyle(p).backgroundColor), 'rgb(107, 44, 145)');
  assert.doesNotMatch(await el.locator('.eligo-label').first().evaluate((l) => getComputedStyle(l).fontFamily), /Georgia/);
  // The error summary's links work inside the shadow root too.
  const age = el.locator('[id="eligo1-f-victim_age"]');
  await age.fill('-1');
  await age.press('Tab');
  const link = el.locator('.eligo-error-summary a');
  await link.first().waitFor();
  await link.first().click();
  assert.equal(await page.evaluate(() => document.querySelector('eligo-form').shadowRoot.activeElement.id), 'eligo1-f-victim_age');

  assert.deepEqual(requests, [], 'no request after load');
  browser.context.removeAllListeners('request');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('in the shadow root too, an answer that adds questions further down says so and links to them', async () => {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}example-partner.html`);
  await page.waitForFunction(() => document.querySelector('eligo-form')?.dataset.ready);
  const el = page.locator('eligo-form#referral');
  await el.locator('[id="eligo1-f-crime_type"]').selectOption('domestic_abuse');
  const note = el.locator('[id="eligo1-f-crime_type-reveal"]');
  assert.match(await note.textContent(), /^Your answer adds \d+ questions further down the form, starting with “/);
  await note.getByRole('link').click();
  assert.equal(await page.evaluate(() => document.querySelector('eligo-form').shadowRoot.activeElement.id), 'eligo1-f-dash_yes_count');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('embed.js also works unbundled, module by module, and decides the same', async () => {
  const c = contractCases().find((x) => x.ruleset === 'community-grant');
  const page = await newPage(browser.context, errors);
  const modules = [];
  page.on('request', (r) => modules.push(new URL(r.url()).pathname));
  await page.goto(`${srv.url}partner-modules.html`);
  await page.evaluate(() => {
    const el = Object.assign(document.createElement('eligo-form'), { id: 'plain' });
    el.setAttribute('ruleset', 'community-grant');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.getElementById('plain')?.dataset.ready);
  assert.equal(await page.locator('eligo-form#plain').getAttribute('data-ready'), 'true');
  assert.ok(modules.includes('/embed.js') && modules.includes('/form.js') && !modules.includes('/embed.bundle.js'), modules.join(' '));
  await decidesLikeTheCli(page, page.locator('eligo-form#plain'), c);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('two embedded forms on one page keep their own ids', async () => {
  const page = await newPage(browser.context, errors);
  // A page made on the fly, served from the same folder as embed.js.
  await page.goto(`${srv.url}example-partner.html`);
  await page.evaluate(() => {
    const second = document.createElement('eligo-form');
    second.setAttribute('ruleset', 'community-grant');
    second.id = 'second';
    document.body.append(second);
  });
  await page.waitForFunction(() => [...document.querySelectorAll('eligo-form')].every((e) => e.dataset.ready === 'true'));
  const prefixes = await page.evaluate(() => [...document.querySelectorAll('eligo-form')]
    .map((e) => e.shadowRoot.querySelector('.eligo-group input, .eligo-group select').id.split('-f-')[0]));
  assert.equal(new Set(prefixes).size, 2, `distinct id prefixes: ${prefixes}`);
  assert.equal(await page.locator('eligo-form#second .eligo-form__title').textContent(), cliDescribe('community-grant').title);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('with public-key, a form loads only a bundle signed by that key', async () => {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}example-partner.html`);
  await page.evaluate(({ good, bad }) => {
    for (const [id, bundle, key] of [['good', 'signed.bundle.json', good], ['wrong-key', 'signed.bundle.json', bad],
      ['unsigned', 'rules.bundle.json', good]]) {
      const el = document.createElement('eligo-form');
      Object.assign(el, { id });
      el.setAttribute('ruleset', 'community-grant');
      el.setAttribute('bundle', bundle);
      el.setAttribute('public-key', key);
      document.body.append(el);
    }
  }, { good: keys.publisher, bad: keys.other });
  await page.waitForFunction(() => ['good', 'wrong-key', 'unsigned'].every((id) => document.getElementById(id).dataset.ready));
  const state = (id) => page.locator(`eligo-form#${id}`).getAttribute('data-ready');
  assert.equal(await state('good'), 'true', 'the publisher\'s bundle loads');
  assert.equal(await state('wrong-key'), 'failed', 'another key refuses it');
  assert.equal(await state('unsigned'), 'failed', 'an unsigned bundle is refused');
  assert.match(await page.locator('eligo-form#wrong-key .eligo-result__failure').textContent(), /could not be loaded/);
  // The signed form decides like the CLI.
  await decidesLikeTheCli(page, page.locator('eligo-form#good'), contractCases().find((x) => x.ruleset === 'community-grant'));
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('changing the element\'s ruleset drops the answers and decision of the form it replaced', async () => {
  const c = contractCases().find((x) => x.ruleset === 'community-grant');
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}example-partner.html`);
  await page.evaluate(() => {
    const el = Object.assign(document.createElement('eligo-form'), { id: 'switching' });
    el.setAttribute('ruleset', 'community-grant');
    document.body.append(el);
  });
  await page.waitForFunction(() => document.getElementById('switching')?.dataset.ready === 'true');
  const el = page.locator('eligo-form#switching');
  await decidesLikeTheCli(page, el, c);
  assert.equal(await el.evaluate((e) => e.decision.ruleset.id), 'community-grant');
  // A rule set the bundle does not hold: the old form's decision and answers must not linger.
  await el.evaluate((e) => e.setAttribute('ruleset', 'no-such-rules'));
  await page.waitForFunction(() => document.getElementById('switching').dataset.ready === 'failed');
  assert.equal(await el.evaluate((e) => e.decision), null, 'no decision for a form that is not there');
  assert.deepEqual(await el.evaluate((e) => e.input), {}, 'no answers from the form that was replaced');
  // While another form loads, the element is not ready.
  const during = await el.evaluate((e) => {
    e.setAttribute('ruleset', 'space-participant');
    return e.dataset.ready ?? null;
  });
  assert.equal(during, null, 'not ready while the new form loads');
  await page.waitForFunction(() => document.getElementById('switching').dataset.ready === 'true');
  assert.equal(await el.locator('.eligo[data-ruleset]').getAttribute('data-ruleset'), 'space-participant');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});
