// A published bundle holding two versions of community-grant (the seed's, and one that takes
// effect in 2099 with a higher People Power maximum and a reworded question): the referral
// page asks today's version's questions, decides each case by the version in effect on its
// date, and lists the rule set once; the playground opens the latest version and can open
// the other.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, newPage, shownDecision, ROOT, ELIGO } from './helpers.mjs';

const FUTURE_LABEL = 'How much is the grant you are asking for?';
let tmp;
let srv;
let browser;
const errors = [];

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'eligo-versions-'));
  const old = path.join(tmp, 'versions/community-grant/2022.1');
  const neu = path.join(tmp, 'versions/community-grant/2099.1');
  cpSync(path.join(ROOT, 'rules/community-grant'), old, { recursive: true });
  cpSync(old, neu, { recursive: true });
  rmSync(path.join(neu, 'tests'), { recursive: true, force: true });
  const edit = (file, from, to) => {
    const text = readFileSync(path.join(neu, file), 'utf8');
    assert.ok(text.includes(from), `${file} has ${from}`);
    writeFileSync(path.join(neu, file), text.replace(from, to));
  };
  edit('ruleset.toml', 'version = "2022.1"', 'version = "2099.1"\neffective_from = 2099-01-01');
  edit('ruleset.toml', 'label = "How much are you asking for?"', `label = "${FUTURE_LABEL}"`);
  edit('parameters.toml', 'value = 3000 }', 'value = 5000 }');
  const bundle = path.join(tmp, 'versions.bundle.json');
  execFileSync(ELIGO, ['bundle', path.join(tmp, 'versions'), '-o', bundle], { stdio: 'pipe' });
  srv = await serve({ mounts: { '/rules.bundle.json': bundle } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const application = (date) => ({
  applicant_type: 'charity',
  application_date: date,
  fund: 'people_power',
  priorities: ['support_victims_witnesses'],
  project_start: '2027-06-01',
  project_end: '2027-09-14',
  requested_amount: '4000.00',
});

async function referral(input) {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}index.html?ruleset=community-grant#input=${encodeURIComponent(JSON.stringify(input))}`);
  await page.waitForFunction(() => document.documentElement.dataset.eligoReady);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.eligoReady), 'true');
  await page.locator('.eligo-decision-json').first().waitFor({ state: 'attached' });
  return page;
}

test('the referral page asks today\'s questions and decides by the version in effect on the case\'s date', async () => {
  for (const [date, version, outcome] of [['2027-03-31', '2022.1', 'ineligible'], ['2099-02-01', '2099.1', 'eligible']]) {
    const page = await referral(application(date));
    await page.waitForFunction((v) => document.querySelector('.eligo-decision-json')?.textContent.includes(`"version": "${v}"`), version);
    const d = await shownDecision(page);
    assert.equal(d.ruleset.version, version, date);
    assert.equal(d.outcome, outcome, date);
    assert.match(await page.locator('.eligo-decision').first().textContent(), new RegExp(`community-grant version ${version.replace('.', '\\.')}`));
    // The form is today's version's: the 2099 wording is not asked yet.
    const text = await page.locator('form').first().textContent();
    assert.ok(text.includes('How much are you asking for?') && !text.includes(FUTURE_LABEL), 'the question as worded today');
    // One rule set in the picker, whatever its versions.
    await page.waitForFunction(() => document.querySelector('#ruleset-picker')?.dataset.ready === 'true');
    assert.deepEqual(await page.locator('#ruleset-picker option').evaluateAll((os) => os.map((o) => o.value)), ['community-grant']);
    await page.close();
  }
  assert.deepEqual(errors.splice(0), []);
});

test('the playground opens the latest version, and the earlier one on request', async () => {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}playground.html?ruleset=community-grant`);
  await page.waitForFunction(() => document.documentElement.dataset.eligoReady);
  const picker = page.locator('#pg-ruleset');
  assert.deepEqual(await picker.locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent])), [
    ['community-grant@2022.1', 'community-grant (2022.1)'],
    ['community-grant@2099.1', 'community-grant (2099.1)'],
  ]);
  assert.equal(await picker.inputValue(), 'community-grant@2099.1');
  await page.waitForFunction(() => /version 2099\.1, in effect from 2099-01-01 \(/.test(document.querySelector('#pg-status')?.textContent));
  await picker.selectOption('community-grant@2022.1');
  await page.waitForFunction(() => /version 2022\.1/.test(document.querySelector('#pg-status')?.textContent));
  assert.match(await page.locator('#pg-editor textarea').inputValue(), /./);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});
