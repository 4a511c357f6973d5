// The referral form (www/index.html): generated from each seed rule set's schema, decides
// the shared contract cases exactly as the CLI does, shows errors the GOV.UK way, works
// from the keyboard alone, and sends nothing anywhere once loaded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  serve, launch, newPage, contractCases, cliEval, cliDescribe, fillForm, fieldId, shownDecision, choicesOf, ELIGO, ROOT,
} from './helpers.mjs';

const SEEDS = ['space-funding', 'space-participant', 'community-grant', 'youth-oocd-triage', 'victim-referral'];
const P = 'eligo-'; // the referral page's id prefix

let srv;
let browser;
const errors = [];

before(async () => {
  srv = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.close();
});

async function open(id, hash = '') {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}index.html?ruleset=${id}${hash}`);
  await page.waitForFunction(() => document.documentElement.dataset.eligoReady);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.eligoReady), 'true', 'the page loaded the engine');
  return page;
}

function noPageErrors() {
  assert.deepEqual(errors.splice(0), [], 'no errors in the page console');
}

test('each seed form is generated from its schema', async () => {
  for (const id of SEEDS) {
    const schema = cliDescribe(id);
    const page = await open(id);
    const groups = page.locator(`.eligo-group[data-depth="0"]`);
    assert.equal(await groups.count(), schema.input.length, `${id}: one question per schema field`);
    for (const [i, f] of schema.input.entries()) {
      const g = groups.nth(i);
      assert.equal(await g.getAttribute('data-path'), `/${f.name}`, `${id}: fields in schema order`);
      const title = (await g.locator('label, legend').first().textContent()).trim();
      assert.ok(title.startsWith(f.label || ''), `${id}/${f.name}: labelled "${f.label}", shows "${title}"`);
      if (f.help) assert.ok((await g.textContent()).includes(f.help), `${id}/${f.name}: help text shown`);
      if (f.type === 'enum') {
        const radios = await g.locator('input[type=radio]').count();
        const options = await g.locator('select option').count();
        if (f.options.length <= 5) assert.equal(radios, f.options.length, `${id}/${f.name}: radios`);
        else assert.equal(options, f.options.length + 1, `${id}/${f.name}: select with a blank first option`);
      }
      if (f.type === 'list' && choicesOf(f.items).length) {
        // An enum's options or a string's suggestions: boxes to tick, each with its label.
        const boxes = g.locator('input[type=checkbox]');
        assert.equal(await boxes.count(), choicesOf(f.items).length, `${id}/${f.name}: one box per choice`);
        assert.equal(await g.locator('.eligo-list__add').count(), 0, `${id}/${f.name}: nothing to type`);
        const first = choicesOf(f.items)[0];
        assert.equal((await g.locator(`label[for="${await boxes.first().getAttribute('id')}"]`).textContent()).trim(), first.label);
      }
      if (f.type === 'boolean') assert.equal(await g.locator('input[type=radio]').count(), 2, `${id}/${f.name}: yes/no`);
      if (f.type === 'date') assert.equal(await g.locator('input').count(), 3, `${id}/${f.name}: day, month, year`);
      const grouped = ['boolean', 'date', 'list', 'object'].includes(f.type) || (f.type === 'enum' && f.options.length <= 5);
      if (grouped) {
        assert.equal(await g.locator(':scope > fieldset > legend').count(), 1, `${id}/${f.name}: fieldset with legend`);
      }
      if (f.visible_when) assert.equal(await g.isVisible(), false, `${id}/${f.name}: hidden until its condition holds`);
    }
    // Every control has an accessible name from a <label for>.
    const unlabelled = await page.evaluate(() => [...document.querySelectorAll('.eligo-form input, .eligo-form select')]
      .filter((el) => el.labels.length === 0).map((el) => el.id));
    assert.deepEqual(unlabelled, [], `${id}: every control has a label`);
    assert.equal(await page.locator('.eligo-result [aria-live="polite"]').count(), 1, `${id}: a polite live region for the result`);
    await page.close();
  }
  noPageErrors();
});

test('a list of objects adds and removes rows generated from its item fields', async () => {
  const schema = cliDescribe('space-funding');
  const list = schema.input.find((f) => f.type === 'list' && f.items.type === 'object');
  assert.ok(list, 'space-funding has a list of objects');
  const page = await open('space-funding');
  const add = page.locator(`[id="${fieldId(P, `/${list.name}`)}-add"]`);
  await add.click();
  await add.click();
  const rows = page.locator(`[data-path="/${list.name}"] .eligo-list__row`);
  assert.equal(await rows.count(), 2);
  assert.equal(await rows.nth(0).locator('.eligo-group[data-depth="2"]').count(), list.items.fields.length, 'one question per item field');
  // Focus went to the new row's first box.
  const first = list.items.fields[0].name;
  assert.equal(await page.evaluate(() => document.activeElement.id), fieldId(P, `/${list.name}/1/${first}`));
  await page.locator(`[id="${fieldId(P, `/${list.name}/0/${first}`)}"]`).fill('kept');
  await page.locator(`[id="${fieldId(P, `/${list.name}/1/${first}`)}"]`).fill('removed');
  await rows.nth(1).locator('.eligo-list__remove').click();
  assert.equal(await rows.count(), 1);
  assert.equal(await page.locator(`[id="${fieldId(P, `/${list.name}/0/${first}`)}"]`).inputValue(), 'kept');
  await page.close();
  noPageErrors();
});

test('filling each contract case in the form gives the CLI decision', async () => {
  const cases = contractCases();
  assert.ok(cases.length > 0, 'the shared contract cases are there');
  for (const c of cases) {
    if (c.as_of) continue; // the form decides on the input's own date
    const cli = cliEval(c.ruleset, c.input);
    const schema = cliDescribe(c.ruleset);
    const page = await open(c.ruleset);
    const skipped = await fillForm(page, schema.input, c.input);
    await page.getByRole('button', { name: 'Check my answers' }).click();
    if (cli.exit !== 0) {
      const err = cli.json.error;
      if (err.code === 'invalid_input') {
        // The CLI refused the input: the form must show the same fields in its error summary.
        const links = await page.locator('.eligo-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        for (const issue of err.issues) {
          assert.ok(links.includes(`#${fieldId(P, issue.path)}`), `${c.name}: summary links ${issue.path}`);
        }
      } else {
        // The rules failed: the form says so, with the engine's message.
        assert.equal(await page.locator('.eligo[data-ruleset]').getAttribute('data-state'), 'error', `${c.name}: failure shown`);
        assert.ok((await page.locator('.eligo-result__failure').textContent()).includes(err.message), `${c.name}: same message`);
      }
      await page.close();
      assert.equal(cli.exit, c.expect.exit ?? 0, `${c.name}: the CLI itself did not decide: ${JSON.stringify(err)}`);
      continue;
    }
    const shown = await shownDecision(page);
    assert.ok(shown, `${c.name}: a decision is shown (skipped hidden fields: ${skipped.join(', ') || 'none'})`);
    assert.equal(shown.outcome, cli.json.outcome, `${c.name}: outcome`);
    assert.deepEqual(shown.values, cli.json.values, `${c.name}: values`);
    assert.deepEqual(shown, cli.json, `${c.name}: the whole decision`);
    if (c.expect.outcome) assert.equal(shown.outcome, c.expect.outcome, `${c.name}: the contract's outcome`);
    // The outcome's label and every reason are on screen.
    const label = schema.outcomes.find((o) => o.id === cli.json.outcome).label;
    assert.equal((await page.locator('.eligo-result [aria-live="polite"] .eligo-panel__outcome').textContent()).trim(), label);
    const reasons = await page.locator('.eligo-reason__text').allTextContents();
    assert.deepEqual(reasons, cli.json.reasons.map((r) => r.message), `${c.name}: reasons in plain English`);
    // Victim referrals: every pathway, with its deadline as a date.
    for (const p of cli.json.values.pathways || []) {
      const card = page.locator(`.eligo-pathway[data-service="${p.service}"]`);
      assert.equal(await card.count(), 1, `${c.name}: pathway ${p.service} shown`);
      if (p.deadline) assert.equal(await card.locator('time').getAttribute('datetime'), p.deadline, `${c.name}: ${p.service} deadline`);
    }
    await page.close();
  }
  noPageErrors();
});

test('removing a list row re-decides, matching the CLI', async () => {
  const c = contractCases().find((x) => x.ruleset === 'space-funding' && x.input.activities?.length >= 2);
  assert.ok(c, 'a space-funding contract case with two activities');
  const page = await open('space-funding');
  await fillForm(page, cliDescribe('space-funding').input, c.input);
  await page.locator('[data-path="/activities"] .eligo-list__row').nth(0).locator('.eligo-list__remove').click();
  const fewer = { ...c.input, activities: c.input.activities.slice(1) };
  const cli = cliEval('space-funding', fewer);
  await page.waitForFunction((want) => {
    const pre = document.querySelector('.eligo-decision-json');
    return pre && JSON.parse(pre.textContent).values.total_cost === want;
  }, cli.json.values.total_cost);
  assert.deepEqual(await shownDecision(page), cli.json);
  await page.close();
  noPageErrors();
});

test('an invalid value shows an error summary whose link moves focus to the field', async () => {
  const page = await open('community-grant');
  const id = fieldId(P, '/requested_amount');
  const box = page.locator(`[id="${id}"]`);
  await box.fill('-5');
  await box.press('Tab'); // leaving the box counts as answering it
  const summary = page.locator('.eligo-error-summary');
  await summary.waitFor({ state: 'visible' });
  const link = summary.locator('a');
  assert.equal(await link.count(), 1, 'only the answered field is reported before "Check"');
  assert.equal(await link.getAttribute('href'), `#${id}`);
  // What the CLI says about the same value, word for word (capitalised).
  const cli = cliEval('community-grant', { requested_amount: '-5' });
  const msg = cli.json.error.issues.find((i) => i.path === '/requested_amount').message;
  assert.ok((await link.textContent()).toLowerCase().includes(msg.toLowerCase()), `summary says "${msg}"`);
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  assert.ok((await box.getAttribute('aria-describedby')).split(' ').includes(`${id}-error`), 'the error describes the box');
  assert.ok((await page.locator(`[id="${id}-error"]`).textContent()).toLowerCase().includes(msg.toLowerCase()));
  await link.click();
  assert.equal(await page.evaluate(() => document.activeElement.id), id, 'the link focuses the field');
  // Correcting it clears the error.
  await box.fill('250');
  await box.press('Tab');
  await summary.waitFor({ state: 'hidden' });
  assert.equal(await box.getAttribute('aria-invalid'), null);
  await page.close();
  noPageErrors();
});

test('"Check my answers" on an empty form lists every unanswered question and focuses the summary', async () => {
  const page = await open('youth-oocd-triage');
  await page.getByRole('button', { name: 'Check my answers' }).click();
  // What an empty form sends: nothing, except an empty list for each required list
  // (no rows is an answer: "none").
  const empty = Object.fromEntries(cliDescribe('youth-oocd-triage').input
    .filter((f) => f.type === 'list' && f.required && !f.visible_when).map((f) => [f.name, []]));
  const cli = cliEval('youth-oocd-triage', empty);
  assert.equal(cli.exit, 1);
  const links = await page.locator('.eligo-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const want = cli.json.error.issues.map((i) => `#${fieldId(P, i.path)}`);
  assert.deepEqual(links, want, 'one link per CLI issue, in the same order');
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('eligo-error-summary')), true);
  // Every link's target exists and is a form control.
  for (const href of links) {
    assert.equal(await page.locator(`[id="${href.slice(1)}"]`).evaluate((el) => ['INPUT', 'SELECT', 'BUTTON'].includes(el.tagName)), true, href);
  }
  await page.close();
  noPageErrors();
});

test('a conditional question appears only when its condition holds', async () => {
  const schema = cliDescribe('victim-referral');
  const cond = schema.input.find((f) => f.visible_when && f.visible_when.field === 'crime_type');
  assert.ok(cond, 'victim-referral has a question shown by crime type');
  const page = await open('victim-referral');
  const group = page.locator(`[data-path="/${cond.name}"]`);
  assert.equal(await group.isVisible(), false);
  const value = cond.visible_when.equals ?? cond.visible_when.in[0];
  await page.locator(`[id="${fieldId(P, '/crime_type')}"]`).selectOption(value);
  await group.waitFor({ state: 'visible' });
  await page.locator(`[id="${fieldId(P, '/crime_type')}"]`).selectOption('theft');
  await group.waitFor({ state: 'hidden' });
  await page.close();
  noPageErrors();
});

test('questions an answer adds further down are announced under it, with a link to the first', async () => {
  const schema = cliDescribe('victim-referral');
  const at = (name) => schema.input.findIndex((f) => f.name === name);
  const shown = schema.input.filter((f) => f.visible_when?.field === 'crime_type');
  assert.ok(shown.length > 1 && at(shown[0].name) > at('crime_type') + 1, 'victim-referral shows questions by crime type, away from it');
  const page = await open('victim-referral');
  const select = page.locator(`[id="${fieldId(P, '/crime_type')}"]`);
  const note = page.locator('[data-path="/crime_type"] .eligo-reveal');
  const describedBy = async () => ((await select.getAttribute('aria-describedby')) || '').split(' ');
  assert.equal(await note.getAttribute('aria-live'), 'polite', 'the note is announced politely');
  assert.equal(await note.textContent(), '', 'nothing to say before an answer');
  await select.selectOption(shown[0].visible_when.equals ?? shown[0].visible_when.in[0]);
  assert.equal((await note.textContent()).trim(),
    `Your answer adds ${shown.length} questions further down the form, starting with “${shown[0].label}”.`);
  assert.ok((await describedBy()).includes(await note.getAttribute('id')), 'the note describes the question');
  // Its link takes the person (and focus) to the first of them.
  await note.getByRole('link').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), fieldId(P, `/${shown[0].name}`));
  assert.equal(await page.locator(`[data-path="/${shown[0].name}"]`).isVisible(), true);
  // Another kind of crime: the questions go, and so does the note.
  await select.selectOption('theft');
  await page.locator(`[data-path="/${shown[0].name}"]`).waitFor({ state: 'hidden' });
  assert.equal(await note.textContent(), '');
  assert.ok(!(await describedBy()).includes(await note.getAttribute('id')));
  // A question shown right after the one that shows it needs no note: it appears in view.
  for (const f of schema.input.filter((x) => x.visible_when && x.visible_when.field !== 'crime_type')) {
    assert.equal(at(f.name), at(f.visible_when.field) + 1, `${f.name} comes right after ${f.visible_when.field}`);
    await page.locator(`[id="${fieldId(P, `/${f.visible_when.field}`)}"]`).check(); // Yes
    await page.locator(`[data-path="/${f.name}"]`).waitFor();
    assert.equal(await page.locator(`[data-path="/${f.visible_when.field}"] .eligo-reveal`).textContent(), '', `no note under ${f.visible_when.field}`);
  }
  // Answers from a link: the note is there from the start.
  await page.close();
  const linked = await open('victim-referral', filled({ crime_type: 'domestic_abuse' }));
  assert.match(await linked.locator('[data-path="/crime_type"] .eligo-reveal').textContent(), /^Your answer adds \d+ questions further down/);
  await linked.close();
  noPageErrors();
});

test('the form works from the keyboard alone', async () => {
  const c = contractCases().find((x) => x.ruleset === 'space-participant');
  assert.ok(c, 'a space-participant contract case');
  const schema = cliDescribe('space-participant');
  const page = await open('space-participant');
  const kb = page.keyboard;
  const active = () => page.evaluate(() => document.activeElement.id);
  // Radios share a name: Tab stops on the checked one of a group, or its first.
  const at = (id) => page.evaluate((want) => document.activeElement.id === want || document.activeElement.name === want, id);
  const tabTo = async (id) => {
    for (let i = 0; i < 40 && !(await at(id)); i++) await kb.press('Tab');
    assert.ok(await at(id), `Tab reaches ${id}`);
  };
  for (const f of schema.input) {
    if (!(f.name in c.input)) continue;
    const id = fieldId(P, `/${f.name}`);
    const v = c.input[f.name];
    await tabTo(id);
    if (f.type === 'date') {
      const [y, m, d] = v.split('-');
      await kb.type(String(Number(d)));
      await kb.press('Tab');
      await kb.type(String(Number(m)));
      await kb.press('Tab');
      await kb.type(y);
    } else if (f.type === 'enum' && f.options.length > 5) {
      // A closed select changes with the arrow keys.
      const steps = f.options.findIndex((o) => o.value === v) + 1;
      for (let i = 0; i < steps; i++) await kb.press('ArrowDown');
    } else if (f.type === 'boolean' || f.type === 'enum') {
      // Tab lands on the checked radio (or the first); arrows move and select.
      const choices = f.type === 'boolean' ? [true, false] : f.options.map((o) => o.value);
      const want = choices.indexOf(v);
      const checked = await page.locator(`[name="${id}"]:checked`).count();
      if (checked === 0) await kb.press('Space');
      let at = await page.locator(`[name="${id}"]`).evaluateAll((rs) => rs.findIndex((r) => r.checked));
      while (at !== want) {
        await kb.press(at < want ? 'ArrowDown' : 'ArrowUp');
        at = await page.locator(`[name="${id}"]`).evaluateAll((rs) => rs.findIndex((r) => r.checked));
      }
    } else {
      await kb.type(String(v));
    }
  }
  await tabTo(await page.getByRole('button', { name: 'Check my answers' }).evaluate((b) => {
    b.id = b.id || 'check-button';
    return b.id;
  }));
  await kb.press('Enter');
  const shown = await shownDecision(page);
  assert.deepEqual(shown, cliEval('space-participant', c.input).json);
  assert.equal(await active(), `${P}result-title`, 'focus moves to the result');
  await page.close();
  noPageErrors();
});

test('nothing leaves the page after it has loaded', async () => {
  const c = contractCases().find((x) => x.ruleset === 'victim-referral') || contractCases()[0];
  const page = await open(c.ruleset);
  const requests = [];
  browser.context.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  await fillForm(page, cliDescribe(c.ruleset).input, c.input);
  await page.getByRole('button', { name: 'Check my answers' }).click();
  // Evaluated (decided, or the rules' own failure shown): either way, in the page.
  assert.match(await page.locator('.eligo[data-ruleset]').getAttribute('data-state'), /^(decided|error)$/);
  // Pick another form and back: still nothing fetched.
  await page.locator('#ruleset-picker[data-ready]').waitFor();
  await page.locator('#ruleset-picker').selectOption('community-grant');
  await page.locator('#ruleset-picker').selectOption(c.ruleset);
  await page.waitForTimeout(300);
  assert.deepEqual(requests, []);
  // The recorder does see requests: a fetch from the page shows up.
  await page.evaluate(() => fetch('rules.bundle.json').then((r) => r.text()));
  assert.equal(requests.length, 1, 'the request recorder works');
  browser.context.removeAllListeners('request');
  await page.close();
  noPageErrors();
});

test('a form page downloads the small runtime module, never the authoring one', async () => {
  const requests = [];
  browser.context.on('request', (r) => requests.push(new URL(r.url()).pathname));
  const page = await open('community-grant');
  browser.context.removeAllListeners('request');
  assert.ok(requests.includes('/pkg/eligo_wasm_bg.wasm'), `the runtime .wasm is fetched: ${requests.join(', ')}`);
  assert.ok(!requests.some((p) => p.includes('authoring')), `no authoring module: ${requests.join(', ')}`);
  await page.close();
  noPageErrors();
});

test('a link with another #input= opened in the same tab fills the form in again', async () => {
  const application = (amount) => ({
    applicant_type: 'charity',
    application_date: '2022-05-01',
    fund: 'people_power',
    priorities: ['support_victims_witnesses'],
    project_start: '2022-06-01',
    project_end: '2022-09-14',
    requested_amount: amount,
  });
  const hash = (input) => `#input=${encodeURIComponent(JSON.stringify(input))}`;
  const page = await open('community-grant', hash(application('4000.00')));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'ineligible');
  // Only the part after # changes: no reload, the page hears hashchange.
  await page.evaluate((h) => { location.hash = h; }, hash(application('2000.00')));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'eligible');
  assert.equal((await shownDecision(page)).values.award, 2000);
  assert.equal(await page.locator(`[id="${fieldId(P, '/requested_amount')}"]`).inputValue(), '2000.00');
  await page.close();
  noPageErrors();
});

const GRANT = {
  applicant_type: 'charity',
  application_date: '2022-05-01',
  fund: 'people_power',
  priorities: ['support_victims_witnesses'],
  requested_amount: '1000',
};
const filled = (input) => `#input=${encodeURIComponent(JSON.stringify(input))}`;

test('the live region speaks only when what it says changes, not at every value', async () => {
  const page = await open('community-grant', filled(GRANT));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'eligible');
  await page.evaluate(() => {
    window.spoken = [];
    const live = document.querySelector('.eligo-result [aria-live="polite"]');
    new MutationObserver(() => window.spoken.push(live.textContent.trim()))
      .observe(live, { childList: true, subtree: true, characterData: true });
  });
  const box = page.locator(`[id="${fieldId(P, '/requested_amount')}"]`);
  const award = (want) => page.waitForFunction((w) => JSON.parse(document.querySelector('.eligo-decision-json').textContent).values.award === w, want);
  // Still eligible, for another amount: the details change, the outcome read out does not.
  await box.fill('1500');
  await box.dispatchEvent('change');
  await award(1500);
  assert.deepEqual(await page.evaluate(() => window.spoken), [], 'the same outcome is not read out again');
  // A different outcome is.
  await box.fill('5000');
  await box.dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'ineligible');
  await box.fill('5001');
  await box.dispatchEvent('change');
  await page.waitForFunction(() => [...document.querySelectorAll('.eligo-reason__text')].some((r) => r.textContent.includes('£5,001.00')));
  assert.deepEqual(await page.evaluate(() => window.spoken), ['Not eligible']);
  await page.close();
  noPageErrors();
});

test('picking another form and coming back keeps the answers given', async () => {
  const page = await open('community-grant', filled(GRANT));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'eligible');
  const box = page.locator(`[id="${fieldId(P, '/requested_amount')}"]`);
  await box.fill('1250.50');
  await box.dispatchEvent('change');
  // A keyboard user arrowing through the picker passes other forms on the way.
  const picker = page.locator('#ruleset-picker[data-ready]');
  await picker.focus();
  await page.keyboard.press('ArrowDown');
  await page.waitForFunction(() => document.documentElement.dataset.ruleset !== 'community-grant');
  await page.keyboard.press('ArrowUp');
  await page.waitForFunction(() => document.documentElement.dataset.ruleset === 'community-grant');
  assert.equal(await box.inputValue(), '1250.50');
  assert.equal(await page.locator(`[id="${fieldId(P, '/fund')}"]`).isChecked(), true);
  const shown = await shownDecision(page);
  assert.equal(shown?.outcome, 'eligible');
  assert.deepEqual(shown, cliEval('community-grant', { ...GRANT, requested_amount: '1250.50' }).json);
  await page.close();
  noPageErrors();
});

test('error messages are in plain words: dates written out, a range rather than the engine\'s limit', async () => {
  const page = await open('youth-oocd-triage');
  const date = fieldId(P, '/decision_date');
  await page.locator(`[id="${date}"]`).fill('1');
  await page.locator(`[id="${date}-month"]`).fill('1');
  await page.locator(`[id="${date}-year"]`).fill('2010');
  await page.locator(`[id="${date}-year"]`).press('Tab');
  // Leaving the date's boxes is answering it: its error shows without another answer after.
  const dateError = page.locator(`[id="${date}-error"]`);
  await dateError.waitFor({ timeout: 2000 });
  const min = cliDescribe('youth-oocd-triage').input.find((f) => f.name === 'decision_date').min;
  assert.equal(min, '2013-04-08', 'the schema\'s earliest decision date');
  assert.equal((await dateError.textContent()).trim(), 'Error: Must be on or after 8 April 2013');
  // What is wrong with a date, said of the boxes the person typed in.
  const birth = fieldId(P, '/date_of_birth');
  const birthError = page.locator(`[id="${birth}-error"]`);
  const typeDate = async (d, m, y) => {
    await page.locator(`[id="${birth}"]`).fill(d);
    await page.locator(`[id="${birth}-month"]`).fill(m);
    await page.locator(`[id="${birth}-year"]`).fill(y);
    await page.locator(`[id="${birth}-year"]`).press('Tab');
  };
  for (const [d, m, y, want] of [
    ['30', '2', '2023', 'Enter a real date: February 2023 has 28 days'],
    ['31', '4', '2010', 'Enter a real date: April 2010 has 30 days'],
    ['1', '13', '2010', 'Enter a month from 1 to 12'],
    ['1', '5', '10', 'Enter the year as 4 digits, for example 2007'],
    ['1', '5', '', 'Enter the year'],
    ['', '5', '', 'Enter the day and year'],
  ]) {
    await typeDate(d, m, y);
    await page.waitForFunction(([id, w]) => document.getElementById(`${id}-error`)?.textContent.endsWith(w), [birth, want]);
    assert.equal((await birthError.textContent()).trim(), `Error: ${want}`, `${d}/${m}/${y}`);
  }
  await typeDate('29', '2', '2008');
  await birthError.waitFor({ state: 'hidden' });
  // Thirty digits on a question scored 1 to 5.
  const gravity = page.locator(`[id="${fieldId(P, '/gravity_score')}"]`);
  await gravity.fill('123456789012345678901234567890');
  await gravity.press('Tab');
  const gravityError = page.locator(`[id="${fieldId(P, '/gravity_score')}-error"]`);
  await gravityError.waitFor();
  assert.equal((await gravityError.textContent()).trim(), 'Error: Must be at most 5');
  // What to do next names the summary, not a colour.
  const status = (await page.locator('.eligo-result [aria-live="polite"]').textContent()).trim();
  assert.equal(status, 'Correct the answers listed under “There is a problem” to see the result.');
  await page.close();
  noPageErrors();
});

test('an amount written the European way is told how to write it here', async () => {
  const page = await open('community-grant', filled(GRANT));
  const box = page.locator(`[id="${fieldId(P, '/requested_amount')}"]`);
  const error = page.locator(`[id="${fieldId(P, '/requested_amount')}-error"]`);
  for (const [typed, like] of [['150,00', '150.00'], ['1.250,50', '1250.50']]) {
    await box.fill(typed);
    await box.press('Tab');
    await page.waitForFunction((t) => document.getElementById('eligo-f-requested_amount-error')?.textContent.includes(t), typed);
    assert.match(await error.textContent(), new RegExp(`for pence write a point, like "${like.replace('.', '\\.')}"$`), typed);
  }
  await page.close();
  noPageErrors();
});

test('a list stops offering another row at the rule set\'s max_items, and offers it again when one is removed', async () => {
  const list = cliDescribe('youth-oocd-triage').input.find((f) => f.name === 'aggravating_factors');
  assert.equal(list.max_items, 50, 'the seed rule set caps aggravating factors at 50');
  const page = await open('youth-oocd-triage', filled({ aggravating_factors: Array.from({ length: 49 }, (_, i) => `factor ${i + 1}`) }));
  const add = page.locator(`[id="${fieldId(P, '/aggravating_factors')}-add"]`);
  const group = page.locator('[data-path="/aggravating_factors"]');
  const full = group.locator('.eligo-list__full');
  assert.equal(await group.locator('.eligo-list__row').count(), 49);
  assert.equal(await full.isVisible(), false);
  await add.click();
  assert.equal(await group.locator('.eligo-list__row').count(), 50);
  // A 51st row would only be refused once filled in: the button gives way to a line saying so.
  assert.equal(await add.isVisible(), false);
  assert.equal(await full.isVisible(), true);
  assert.equal(await full.textContent(), 'You have added 50, the most this question takes.');
  await group.locator('.eligo-list__row').nth(49).locator('.eligo-list__remove').click();
  assert.equal(await add.isVisible(), true);
  assert.equal(await full.isVisible(), false);
  await page.close();
  noPageErrors();
});

test('a link naming a form that is not here, or carrying answers that cannot be read, says so', async () => {
  // An unknown form: the first is shown, empty (the link's answers are for another form), and the page says why.
  let page = await open('no-such-check', filled(GRANT));
  const notice = page.locator('#link-notice');
  assert.equal(await notice.isVisible(), true);
  const first = await page.evaluate(() => document.documentElement.dataset.ruleset);
  const title = await page.locator('h1').first().textContent();
  assert.match(await notice.textContent(), /asks for a check called “no-such-check”, which is not here/);
  assert.ok((await notice.textContent()).includes(`“${title.trim()}” is shown, empty`), await notice.textContent());
  assert.equal(await notice.getAttribute('role'), 'status');
  assert.ok(SEEDS.includes(first));
  // Picking a form clears the notice.
  const picker = page.locator('#ruleset-picker[data-ready]');
  await picker.selectOption('community-grant');
  assert.equal(await notice.isVisible(), false);
  await page.close();

  // Answers cut short when the link was copied: the form starts empty and the page says so.
  page = await open('community-grant', filled(GRANT).slice(0, 40));
  assert.equal(await page.locator('#link-notice').isVisible(), true);
  assert.match(await page.locator('#link-notice').textContent(), /answers in this link could not be read/);
  await page.close();

  // A good link shows no notice.
  page = await open('community-grant', filled(GRANT));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'eligible');
  assert.equal(await page.locator('#link-notice').isVisible(), false);
  await page.close();
  noPageErrors();
});

test('an empty text row asks for an answer as every question does, and only missing answers are counted as needed', async () => {
  let page = await open('youth-oocd-triage');
  await page.locator(`[id="${fieldId(P, '/aggravating_factors')}-add"]`).click();
  await page.getByRole('button', { name: 'Check my answers' }).click();
  const row = page.locator(`[data-path="/aggravating_factors/0"] .eligo-error-message`);
  assert.equal((await row.textContent()).replace(/^Error: /, ''), 'Enter an answer');
  await page.close();

  // A link's answers, one of them refused: the count is of the answers still missing.
  const input = { gravity_score: 9 };
  // What the form sends: also an empty list for each required list (no rows is an answer).
  const lists = Object.fromEntries(cliDescribe('youth-oocd-triage').input
    .filter((f) => f.type === 'list' && f.required && !f.visible_when).map((f) => [f.name, []]));
  const issues = cliEval('youth-oocd-triage', { ...lists, ...input }).json.error.issues;
  const missing = issues.filter((i) => i.message === 'is required').length;
  assert.ok(issues.length > missing, 'the refused score is an issue too');
  page = await open('youth-oocd-triage', filled(input));
  const status = page.locator('.eligo-result__pending');
  assert.equal(await status.textContent(), `Answer the questions to see the result (${missing} answers are still needed).`);
  await page.close();
  noPageErrors();
});

test('list buttons and rows are named by what the rule set calls one item', async () => {
  const page = await open('space-funding');
  const add = page.locator(`[id="${fieldId(P, '/activities')}-add"]`);
  assert.equal((await add.textContent()).trim(), 'Add an activity');
  await add.click();
  assert.equal((await page.locator('[data-path="/activities/0"] legend').first().textContent()).trim(), 'Activity 1');
  assert.equal((await page.locator('[data-path="/activities"] .eligo-list__remove').first().textContent()).trim(), 'Remove activity 1');
  await page.close();
  noPageErrors();
});

test('a text pasted past its max_length is kept whole, and the field says how long it is and the limit', async () => {
  const items = cliDescribe('youth-oocd-triage').input.find((f) => f.name === 'aggravating_factors').items;
  assert.equal(items.max_length, 200, 'the seed rule set takes aggravating factors of at most 200 characters');
  const page = await open('youth-oocd-triage');
  await page.locator(`[id="${fieldId(P, '/aggravating_factors')}-add"]`).click();
  const id = fieldId(P, '/aggravating_factors/0');
  const box = page.locator(`[id="${id}"]`);
  const count = page.locator(`[id="${id}-count"]`);
  const describedBy = async () => ((await box.getAttribute('aria-describedby')) || '').split(' ');
  assert.equal(await box.getAttribute('maxlength'), null, 'the browser is not left to cut a text short');
  assert.equal(await count.textContent(), 'You can enter up to 200 characters');
  assert.ok((await describedBy()).includes(`${id}-count`), 'the limit describes the box');

  // Pasted, 60 characters too long: all of it stays, and the count says by how much.
  const text = 'He waited outside the house each night and followed her to work. '.repeat(4);
  assert.equal(text.length, 260);
  await box.focus();
  await page.keyboard.insertText(text);
  assert.equal(await box.inputValue(), text, 'nothing cut');
  assert.equal(await count.textContent(), 'You have 60 characters too many');
  // A screen reader hears it once typing pauses.
  await page.waitForFunction((i) => document.querySelector(`[data-path="/aggravating_factors/0"] .eligo-character-count__status[aria-live="polite"]`)
    ?.textContent === 'You have 60 characters too many', id);

  // Answered: the engine's error at the field, with the text's length, linked from the summary.
  await box.press('Tab');
  const error = page.locator(`[id="${id}-error"]`);
  await error.waitFor();
  const issue = cliEval('youth-oocd-triage', { aggravating_factors: [text] }).json.error.issues
    .find((i) => i.path === '/aggravating_factors/0');
  assert.equal(issue.message, 'must be at most 200 characters');
  assert.equal((await error.textContent()).trim(), 'Error: Must be at most 200 characters (this answer has 260)');
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  assert.deepEqual((await describedBy()).sort(), [`${id}-count`, `${id}-error`].sort());
  const link = page.locator(`.eligo-error-summary a[href="#${id}"]`);
  assert.equal((await link.textContent()).trim(), 'Aggravating factors, Aggravating factor 1: Must be at most 200 characters (this answer has 260)');

  // Shortened by the person: the error goes.
  await box.fill(text.slice(0, 200));
  await box.press('Tab');
  await error.waitFor({ state: 'hidden' });
  assert.equal(await count.textContent(), 'You have 0 characters remaining');
  assert.equal(await box.getAttribute('aria-invalid'), null);

  // Characters as the engine counts them: 150 emoji are 150 characters (300 UTF-16 units).
  const smiles = '🙂'.repeat(150);
  await box.fill('');
  await box.focus();
  await page.keyboard.insertText(smiles);
  assert.equal(await box.inputValue(), smiles);
  assert.equal(await count.textContent(), 'You have 50 characters remaining');
  assert.equal(cliEval('youth-oocd-triage', { aggravating_factors: [smiles] }).json.error.issues.some((i) => i.path === '/aggravating_factors/0'), false);
  await page.close();
  noPageErrors();
});

test('a string with no max_length is counted against the engine\'s own limit of 2,000 characters', async () => {
  // space-funding, with its activities' "Who runs it?" left without a max_length.
  const tmp = mkdtempSync(path.join(tmpdir(), 'eligo-length-'));
  const dir = path.join(tmp, 'rules/space-funding');
  cpSync(path.join(ROOT, 'rules/space-funding'), dir, { recursive: true });
  const toml = readFileSync(path.join(dir, 'ruleset.toml'), 'utf8');
  const from = 'label = "Who runs it?"\nmax_length = 200\n';
  assert.ok(toml.includes(from), 'space-funding sets the provider\'s max_length');
  writeFileSync(path.join(dir, 'ruleset.toml'), toml.replace(from, 'label = "Who runs it?"\n'));
  const bundle = path.join(tmp, 'rules.bundle.json');
  execFileSync(ELIGO, ['bundle', path.join(tmp, 'rules'), '-o', bundle], { stdio: 'pipe' });
  const own = await serve({ mounts: { '/rules.bundle.json': bundle } });
  try {
    const page = await newPage(browser.context, errors);
    await page.goto(`${own.url}index.html?ruleset=space-funding`);
    await page.waitForFunction(() => document.documentElement.dataset.eligoReady === 'true');
    await page.locator(`[id="${fieldId(P, '/activities')}-add"]`).click();
    const id = fieldId(P, '/activities/0/provider');
    assert.equal(await page.locator(`[id="${id}-count"]`).textContent(), 'You can enter up to 2,000 characters');
    const box = page.locator(`[id="${id}"]`);
    await box.focus();
    await page.keyboard.insertText('x'.repeat(2345));
    await box.press('Tab');
    await page.locator(`[id="${id}-error"]`).waitFor();
    assert.equal((await page.locator(`[id="${id}-error"]`).textContent()).trim(), 'Error: Must be at most 2,000 characters (this answer has 2,345)');
    assert.equal(await page.locator(`[id="${id}-count"]`).textContent(), 'You have 345 characters too many');
    assert.equal((await box.inputValue()).length, 2345);
    await page.close();
  } finally {
    await own.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  noPageErrors();
});

test('a whole date pasted into one of its boxes fills all three; one typed into the day box is kept whole, not cut to two digits', async () => {
  const page = await open('youth-oocd-triage');
  const id = fieldId(P, '/decision_date');
  const boxes = () => page.evaluate((i) => ['', '-month', '-year'].map((s) => document.getElementById(`${i}${s}`).value), id);
  for (const s of ['', '-month', '-year']) assert.equal(await page.locator(`[id="${id}${s}"]`).getAttribute('maxlength'), null, `${s || 'day'}: no maxlength`);
  const paste = (box, text) => page.evaluate(([b, t]) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.getElementById(b).dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, [box, text]);

  // As a UK date, day first, into the day box; then year first into the month box.
  await page.locator(`[id="${id}"]`).focus();
  await paste(id, ' 27/03/2020 ');
  assert.deepEqual(await boxes(), ['27', '3', '2020']);
  assert.equal(await page.evaluate(() => document.activeElement.id), `${id}-year`, 'focus on the last box');
  await page.keyboard.press('Tab');
  await page.waitForTimeout(300);
  assert.equal(await page.locator(`[id="${id}-error"]`).isHidden(), true, 'a real date: no error');
  await paste(`${id}-month`, '2021-04-05');
  assert.deepEqual(await boxes(), ['5', '4', '2021']);

  // Not a date: pasted as it is, and said to be wrong when the boxes are left.
  await page.locator(`[id="${id}"]`).fill('');
  await page.locator(`[id="${id}"]`).focus();
  await page.keyboard.insertText('15th April');
  assert.equal(await page.locator(`[id="${id}"]`).inputValue(), '15th April', 'kept whole');
  await page.locator(`[id="${id}-year"]`).press('Tab');
  const error = page.locator(`[id="${id}-error"]`);
  await error.waitFor();
  assert.equal((await error.textContent()).trim(), 'Error: Enter the day, month and year as numbers, for example 27 3 2007');
  await page.close();
  noPageErrors();
});

test('a rule the rule set calls information is shown as a note, neither met nor not met', async () => {
  // victim-dash-14: a 40-year-old's domestic abuse report with a DASH score of 14. Being an
  // adult is a fact, and no professional's judgement one of several routes to the MARAC:
  // neither is a test the report failed, and was shown as one (✗ "Not met").
  const c = contractCases().find((x) => x.name === 'victim-dash-14');
  assert.ok(c, 'the victim-dash-14 contract case');
  const { information_rules: notes } = cliDescribe('victim-referral');
  assert.ok(notes.includes('victim_under_18') && notes.includes('professional_judgement'), `listed: ${notes}`);
  const cli = cliEval('victim-referral', c.input).json;
  const page = await open('victim-referral', filled(c.input));
  await page.waitForFunction(() => document.querySelector('.eligo-decision')?.dataset.outcome === 'refer');
  const shown = await page.locator('.eligo-reason').evaluateAll((lis) => lis.map((li) => ({
    rule: li.dataset.rule,
    kind: [...li.classList].find((k) => k.startsWith('eligo-reason--')),
    mark: li.querySelector('.eligo-reason__mark').textContent,
    said: li.querySelector('.eligo-vh').textContent,
    text: li.querySelector('.eligo-reason__text').textContent,
  })));
  const want = cli.reasons.map((r) => {
    const [kind, mark, said] = notes.includes(r.rule) ? ['info', '•', 'Note: ']
      : r.passed ? ['met', '✓', 'Met: '] : ['not-met', '✗', 'Not met: '];
    return { rule: r.rule, kind: `eligo-reason--${kind}`, mark, said, text: r.message };
  });
  assert.deepEqual(shown, want, 'every reason, in order: notes as notes, the rest met or not');
  const of = (rule) => shown.find((r) => r.rule === rule);
  // The two facts that read as failings are notes now; the rules the referral met keep ✓.
  assert.equal(of('victim_under_18').text, "The victim is 40, so is an adult under the Victims' Code.");
  for (const rule of ['victim_under_18', 'professional_judgement']) {
    assert.deepEqual([of(rule).mark, of(rule).said], ['•', 'Note: '], `${rule} is a note`);
  }
  for (const rule of ['enhanced_rights', 'referral_consent', 'marac_referral']) {
    assert.deepEqual([of(rule).mark, of(rule).said], ['✓', 'Met: '], `${rule} is met`);
  }
  assert.ok(!(await page.locator('.eligo-reasons').textContent()).includes('Not met'), 'nothing here is "Not met"');
  // The mark is for sight only; a screen reader hears "Note:".
  assert.equal(await page.locator('[data-rule="victim_under_18"] .eligo-reason__mark').getAttribute('aria-hidden'), 'true');
  // Only the showing changed: the decision is the CLI's, reasons' `passed` and all.
  assert.deepEqual(await shownDecision(page), cli);
  await page.close();
  noPageErrors();
});
