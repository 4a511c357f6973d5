// The rule playground (www/playground.html): load errors at their line, test cases that
// turn red and green with edits, a decision with its trace, what an edit would flip against
// the published rules, and the edited files downloaded.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, launch, newPage, cliEval, contractCases, ELIGO, ROOT } from './helpers.mjs';

const ID = 'community-grant';
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

async function open() {
  const page = await newPage(browser.context, errors);
  await page.goto(`${srv.url}playground.html?ruleset=${ID}`);
  await page.waitForFunction(() => document.documentElement.dataset.eligoReady);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.eligoReady), 'true');
  await page.locator('#pg-tests-summary').waitFor();
  return page;
}

const editor = (page) => page.locator('#pg-editor textarea');
const failing = (page) => page.locator('#pg-tests tr.pg-case[data-passed="false"]');

async function openFile(page, name) {
  await page.locator(`#pg-tabs [data-file="${name}"]`).click();
  assert.equal(await page.locator(`#pg-tabs [data-file="${name}"]`).getAttribute('aria-selected'), 'true');
}

/** The playground in a phone-sized window (320 px) with rule set `id` open and loaded. */
async function openNarrow(id) {
  const page = await open();
  await page.setViewportSize({ width: 320, height: 800 });
  await page.locator('#pg-ruleset').selectOption(id);
  await page.locator('#pg-status', { hasText: `Loaded ${id}` }).waitFor();
  return page;
}

/**
 * Raise the People Power Fund's smallest grant from £100 to £1,200 in parameters.toml, in the
 * editor (not yet reloaded): the file before and after.
 */
async function raiseMinimum(page) {
  await openFile(page, 'parameters.toml');
  const params = await editor(page).inputValue();
  const edited = params.replace(/(\[people_power_min\][\s\S]*?value = )100\b/, '$11200');
  assert.notEqual(edited, params, 'people_power_min is 100');
  await editor(page).fill(edited);
  return { params, edited };
}

function published() {
  const bundle = JSON.parse(readFileSync(srv.bundlePath, 'utf8'));
  return bundle.rulesets.find((r) => r.id === ID).files;
}

/**
 * A generated caseload written as CSV to `dir/name`, and what `eligo diff` reports for it
 * between the published rule set and one whose parameters.toml is `edited`: what the
 * playground's comparison must show.
 */
function nativeFlip(dir, name, count, seed, edited) {
  const csv = path.join(dir, name);
  execFileSync(ELIGO, ['generate', path.join(ROOT, 'rules', ID), '--count', String(count), '--seed', String(seed), '--format', 'csv', '-o', csv]);
  for (const [file, text] of Object.entries({ ...published(), 'parameters.toml': edited })) {
    mkdirSync(path.dirname(path.join(dir, 'new', file)), { recursive: true });
    writeFileSync(path.join(dir, 'new', file), text);
  }
  const native = JSON.parse(execFileSync(ELIGO, ['diff', path.join(ROOT, 'rules', ID), path.join(dir, 'new'), '--input', csv, '--json', '--quiet'], { encoding: 'utf8' }));
  return { csv, native };
}

test('a syntax error is reported at its line and column, beside the code', async () => {
  const page = await open();
  await openFile(page, 'rules.rhai');
  const original = await editor(page).inputValue();
  const lines = original.split('\n');
  const at = Math.min(3, lines.length); // the broken line, counted from 1
  lines.splice(at - 1, 0, 'let broken = ;');
  await editor(page).fill(lines.join('\n'));
  await page.locator('#pg-reload').click();

  const problem = page.locator('#pg-problems .pg-problem').first();
  await problem.waitFor();
  const text = await problem.textContent();
  assert.match(text, new RegExp(`rules\\.rhai, line ${at}, column \\d+`), text);
  assert.equal(await page.locator('#pg-status').getAttribute('data-kind'), 'error');
  // The line is highlighted in the gutter and behind the text.
  assert.equal(await page.locator('.code-editor__gutter .is-error').textContent(), String(at));
  assert.equal(await page.locator(`.code-editor__mark[data-line="${at}"]`).count(), 1);
  // The problem is a button that puts the caret on that line.
  await problem.click();
  const caretLine = await editor(page).evaluate((t) => t.value.slice(0, t.selectionStart).split('\n').length);
  assert.equal(caretLine, at);
  // Tests are paused (not run against the old rules) until the error is fixed.
  assert.equal(await page.locator('#pg-tests').getAttribute('data-stale'), 'true');

  await editor(page).fill(original);
  await page.locator('#pg-reload').click();
  await page.locator('#pg-problems').waitFor({ state: 'hidden' });
  assert.equal(await page.locator('#pg-status').getAttribute('data-kind'), 'ok');
  assert.equal(await page.locator('.code-editor__gutter .is-error').count(), 0);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('an edit that breaks a test case shows it failing, and the fix turns it green', async () => {
  const page = await open();
  const before = await failing(page).count();
  const files = published();
  const testFile = Object.keys(files).find((f) => f.startsWith('tests/') && /\boutcome\s*=\s*"eligible"/.test(files[f]));
  assert.ok(testFile, 'a test file with an "eligible" case');
  await openFile(page, testFile);
  const original = await editor(page).inputValue();
  // Expect the wrong outcome for the first "eligible" case.
  await editor(page).fill(original.replace(/\boutcome\s*=\s*"eligible"/, 'outcome = "ineligible"'));
  await page.locator('#pg-run-tests').click();
  await page.waitForFunction((n) => document.querySelectorAll('#pg-tests tr.pg-case[data-passed="false"]').length === n + 1, before);
  const red = failing(page).first();
  assert.match(await red.textContent(), /Fail/);
  assert.match(await red.locator('.pg-case__problems').textContent(), /outcome/);
  assert.match(await page.locator('#pg-tests-summary').textContent(), new RegExp(`${before + 1} failed`));
  const name = await red.locator('.pg-case__name').textContent();

  // Put it right: the same case passes again.
  await editor(page).fill(original);
  await page.locator('#pg-run-tests').click();
  await page.waitForFunction((n) => document.querySelectorAll('#pg-tests tr.pg-case[data-passed="false"]').length === n, before);
  const row = page.locator('#pg-tests tr.pg-case').filter({ has: page.locator('.pg-case__name', { hasText: name }) }).first();
  assert.equal(await row.getAttribute('data-passed'), 'true');
  assert.match(await row.textContent(), /Pass/);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('a screen reader hears the tests and the decision once, and again only when they change', async () => {
  const page = await open();
  // The results are not live regions (a pause in typing would read the whole table out
  // again); one status line says what they came to.
  for (const id of ['pg-tests', 'pg-decision']) assert.equal(await page.locator(`#${id}`).getAttribute('aria-live'), null, id);
  assert.equal(await page.locator('#pg-said').getAttribute('role'), 'status');
  await page.waitForFunction(() => /^Tests: \d+ passed, 0 failed\. Outcome: \w+/.test(document.getElementById('pg-said').textContent));
  const said = await page.locator('#pg-said').textContent();
  // Count what is written to the two status regions from here on, and each reload.
  await page.evaluate(() => {
    window.writes = { said: 0, status: 0, reloads: 0 };
    const watch = (id, key) => new MutationObserver((m) => { window.writes[key] += m.length; }).observe(document.getElementById(id), { childList: true, characterData: true, subtree: true });
    watch('pg-said', 'said');
    watch('pg-status', 'status');
    new MutationObserver(() => { window.writes.reloads += 1; }).observe(document.getElementById('pg-tests'), { childList: true });
  });
  const reload = async () => {
    const n = await page.evaluate(() => window.writes.reloads);
    await page.locator('#pg-reload').click();
    await page.waitForFunction((k) => window.writes.reloads > k, n);
    // say() writes after the tests and the decision are both shown (a microtask later).
    await page.evaluate(() => new Promise((r) => setTimeout(r, 50)));
  };
  // An edit that changes no result: nothing is said again.
  await openFile(page, 'rules.rhai');
  const rules = await editor(page).inputValue();
  await editor(page).fill(`${rules}\n// a note\n`);
  await reload();
  assert.deepEqual(await page.evaluate(() => [window.writes.said, window.writes.status]), [0, 0]);
  assert.equal(await page.locator('#pg-said').textContent(), said);

  // An edit that fails a test case is said.
  const files = published();
  const testFile = Object.keys(files).find((f) => f.startsWith('tests/') && /\boutcome\s*=\s*"eligible"/.test(files[f]));
  await openFile(page, testFile);
  await editor(page).fill(files[testFile].replace(/\boutcome\s*=\s*"eligible"/, 'outcome = "ineligible"'));
  await reload();
  assert.match(await page.locator('#pg-said').textContent(), /^Tests: \d+ passed, 1 failed\. Outcome: /);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('a parameter edit changes the decision, shown with its trace', async () => {
  const c = contractCases().find((x) => x.ruleset === ID && x.expect.outcome === 'eligible');
  assert.ok(c, 'an eligible community-grant contract case');
  const page = await open();
  await page.locator('#pg-input').fill(JSON.stringify(c.input));
  await page.getByRole('button', { name: 'Decide' }).click();
  const shown = JSON.parse(await page.locator('.pg-decision-json').textContent());
  const cli = cliEval(ID, c.input);
  const { trace, ...rest } = shown;
  assert.deepEqual(rest, cli.json, 'the same decision as the CLI');
  assert.ok(Array.isArray(trace) && trace.length > 0, 'with a trace');
  const rules = await page.locator('.pg-trace__rule').count();
  assert.equal(rules, trace.filter((t) => t.kind === 'rule').length, 'every rule in the trace is listed');
  assert.equal(await page.locator('.pg-trace__outcome code').textContent(), cli.json.outcome);

  // Lower the ceiling the case sits at: the same input is no longer eligible.
  await openFile(page, 'parameters.toml');
  const params = await editor(page).inputValue();
  const amount = String(c.input.requested_amount);
  const edited = params.replace(new RegExp(`value = ${amount}\\b`), `value = ${Number(amount) - 1}`);
  assert.notEqual(edited, params, `parameters.toml holds the value ${amount}`);
  await editor(page).fill(edited);
  await page.locator('#pg-reload').click();
  await page.waitForFunction(() => JSON.parse(document.querySelector('.pg-decision-json').textContent).outcome === 'ineligible');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('the edited rule set downloads as one {files} JSON that loads again', async () => {
  const page = await open();
  await openFile(page, 'rules.rhai');
  const edited = `// edited in the playground\n${await editor(page).inputValue()}`;
  await editor(page).fill(edited);
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#pg-download').click()]);
  assert.equal(download.suggestedFilename(), `${ID}.files.json`);
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(saved.id, ID);
  assert.equal(saved.files['rules.rhai'], edited);
  assert.deepEqual(Object.keys(saved.files).sort(), Object.keys(published()).sort());
  // The download is what load({files}) takes (in the authoring module, as the playground's).
  const ids = await page.evaluate(async (files) => {
    const { openEngine, AUTHORING_PKG } = await import('./engine.js');
    const { engine } = await openEngine('rules.bundle.json', { fresh: true, pkgUrl: AUTHORING_PKG });
    return engine.load(files);
  }, saved);
  assert.deepEqual(ids, [ID]);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('what an edit would flip: the counts of `eligo diff` on the same cases, and a flipped case to try', async () => {
  const page = await open();
  // Raise the People Power Fund's smallest grant from £100 to £1,200.
  const { params, edited } = await raiseMinimum(page);
  await page.locator('#pg-reload').click();
  await page.locator('#pg-status[data-kind="ok"]').waitFor();
  await page.locator('#pg-impact-count').fill('1500');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  const report = page.locator('#pg-impact .pg-impact__report');
  await report.waitFor();

  // Natively: the same synthetic cases (seed 1) through the published and the edited folder.
  const tmp = mkdtempSync(path.join(tmpdir(), 'eligo-flip-'));
  try {
    const cases = execFileSync(ELIGO, ['generate', path.join(ROOT, 'rules', ID), '--count', '1500', '--seed', '1'], { encoding: 'utf8' });
    writeFileSync(path.join(tmp, 'cases.jsonl'), cases);
    const files = { ...published(), 'parameters.toml': edited };
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp, 'new', name)), { recursive: true });
      writeFileSync(path.join(tmp, 'new', name), text);
    }
    const native = JSON.parse(execFileSync(ELIGO, ['diff', path.join(ROOT, 'rules', ID), path.join(tmp, 'new'), '--input', path.join(tmp, 'cases.jsonl'), '--json', '--quiet'], { encoding: 'utf8' }));
    assert.ok(native.outcome_changed > 0, 'the edit flips some synthetic cases');
    assert.equal(await report.getAttribute('data-cases'), '1500');
    assert.equal(await report.getAttribute('data-changed'), String(native.outcome_changed));
    assert.equal(await report.getAttribute('data-value-only'), String(native.value_only_changed));
    const summary = await page.locator('#pg-impact-summary').textContent();
    assert.match(summary, new RegExp(`Of 1,500 cases .* ${native.outcome_changed.toLocaleString('en-GB')} cases? would change outcome`), summary);
    for (const t of native.transitions.filter((x) => x.changed)) {
      const row = page.locator(`.pg-impact__changes tr[data-from="${t.from}"][data-to="${t.to}"]`);
      assert.equal(await row.getAttribute('data-count'), String(t.count), `${t.from} → ${t.to}`);
    }
    // The report downloads as the native diff's JSON, the caseload named.
    const [saved] = await Promise.all([page.waitForEvent('download'), page.locator('#pg-impact-download').click()]);
    assert.equal(saved.suggestedFilename(), `${ID}.flip-report.json`);
    const { caseload, ...rest } = JSON.parse(readFileSync(await saved.path(), 'utf8'));
    assert.equal(caseload, 'synthetic cases, seed 1');
    assert.deepEqual(rest, native);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }

  // A flipped case goes into "Try an input" and is decided by the edited rules.
  const example = page.locator('.pg-impact__changes tr[data-from="eligible"][data-to="ineligible"] .pg-impact__example').first();
  await example.click();
  await page.waitForFunction(() => document.querySelector('.pg-decision')?.dataset.outcome === 'ineligible');
  const tried = JSON.parse(await page.locator('#pg-input').inputValue());
  assert.equal(tried.fund, 'people_power');
  assert.equal(cliEval(ID, tried).json.outcome, 'eligible', 'the published rules decide it eligible');

  // Without a file chosen, the file source says what to do.
  await page.locator('#pg-impact-own').check();
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact .pg-fail', { hasText: 'Choose a caseload file' }).waitFor();
  // A count the page will not generate, and a date that is not one, are said plainly.
  await page.locator('#pg-impact-generated').check();
  await page.locator('#pg-impact-count').fill('0');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact .pg-fail', { hasText: 'whole number from 1 to 100,000, not "0"' }).waitFor();
  await page.locator('#pg-impact-count').fill('10');
  await page.locator('#pg-impact-asof').fill('2019-02-30');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact .pg-fail', { hasText: 'Decide every case as on: 2019-02-30 is not a real calendar date' }).waitFor();
  await page.locator('#pg-impact-asof').fill('');
  await page.locator('#pg-impact-count').fill('1500');
  await page.locator('#pg-impact-own').check();

  // A CSV caseload chosen on the device: read by the published schema, as `eligo diff` reads it.
  const dir = mkdtempSync(path.join(tmpdir(), 'eligo-flip-csv-'));
  try {
    const { csv, native } = nativeFlip(dir, 'past-cases.csv', 900, 5, edited);
    await page.locator('#pg-impact-file').setInputFiles(csv);
    assert.equal(await page.locator('#pg-impact-own').isChecked(), true, 'choosing a file chooses it as the source');
    await page.getByRole('button', { name: 'Compare with the published version' }).click();
    await page.waitForFunction(() => document.querySelector('#pg-impact .pg-impact__report')?.dataset.cases === '900');
    assert.equal(await report.getAttribute('data-changed'), String(native.outcome_changed));
    assert.equal(await report.getAttribute('data-value-only'), String(native.value_only_changed));
    assert.match(await page.locator('#pg-impact-summary').textContent(), /past-cases\.csv/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // Compared as on a date, a case tried from the report is decided as on that date too.
  await page.locator('#pg-impact-generated').check();
  await page.locator('#pg-impact-asof').fill('2019-06-01');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.waitForFunction(() => document.querySelector('#pg-impact .pg-impact__report')?.dataset.cases === '1500');
  await page.locator('.pg-impact__changes .pg-impact__example').first().click();
  assert.equal(await page.locator('#pg-asof').inputValue(), '2019-06-01');
  await page.waitForFunction(() => document.querySelector('.pg-decision')?.textContent.includes('1 June 2019'));

  // A long comparison shows its progress and stops when asked, reporting what it compared;
  // one under way when the rules reload says its cases were of the rules as they were.
  await page.locator('#pg-impact-asof').fill('');
  await page.locator('#pg-impact-count').fill('100000');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact-progress', { hasText: /Compared [\d,]+ of 100,000 cases/ }).waitFor();
  await page.locator('#pg-impact-stop').click();
  await page.locator('#pg-impact-summary', { hasText: /stopped after/ }).waitFor();
  const compared = Number(await report.getAttribute('data-cases'));
  assert.ok(compared > 0 && compared < 100000, `stopped after ${compared} cases`);
  assert.equal(await page.locator('#pg-impact-progress').isHidden(), true);
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact-progress', { hasText: /Compared [\d,]+ of 100,000 cases/ }).waitFor();
  await page.locator('#pg-reload').click();
  await page.locator('#pg-impact .pg-fail', { hasText: 'The rule files changed' }).waitFor();
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('an input the schema refuses lists each problem once, and a date that is not one names its field', async () => {
  const page = await open();
  await page.locator('#pg-input').fill('{}');
  await page.getByRole('button', { name: 'Decide' }).click();
  const error = page.locator('#pg-decision .pg-error[data-code="invalid_input"]');
  await error.waitFor();
  const items = await error.locator('li').allTextContents();
  assert.ok(items.some((t) => t.startsWith('/fund')), items.join('; '));
  // Each path once: in the list, not also run together in the sentence above it.
  const shown = await error.textContent();
  assert.equal(shown.split('/fund').length - 1, 1, shown);
  assert.match(await error.locator('p').textContent(), /^invalid_input: the input has \d+ problems$/);

  await page.locator('#pg-input').fill(JSON.stringify({ fund: 'people_power' }));
  await page.locator('#pg-asof').fill('2027-13-01');
  await page.getByRole('button', { name: 'Decide' }).click();
  await page.locator('#pg-decision .pg-fail', { hasText: 'Decide as on: 2027-13-01 is not a real calendar date' }).waitFor();
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('choosing another rule set keeps the edits to this one; "Undo all changes" drops them', async () => {
  const page = await open();
  const { params, edited } = await raiseMinimum(page);
  await page.locator('#pg-reload').click();
  await page.locator('#pg-ruleset').selectOption('space-funding');
  await page.locator('#pg-status', { hasText: 'Loaded space-funding' }).waitFor();
  await page.locator('#pg-ruleset').selectOption(ID);
  await page.locator('#pg-status', { hasText: `Loaded ${ID}` }).waitFor();
  await openFile(page, 'parameters.toml');
  assert.equal(await editor(page).inputValue(), edited, 'the edit is still there');
  await page.locator('#pg-reset').click();
  await openFile(page, 'parameters.toml');
  assert.equal(await editor(page).inputValue(), params, 'undone');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('a caseload file is read by its contents when its name does not say; one whose every case is refused says so', async () => {
  const page = await open();
  await raiseMinimum(page);
  await page.locator('#pg-reload').click();
  const dir = mkdtempSync(path.join(tmpdir(), 'eligo-caseload-'));
  try {
    // A CSV export saved as .txt: read as CSV, not refused row by row as JSON.
    const csv = execFileSync(ELIGO, ['generate', path.join(ROOT, 'rules', ID), '--count', '40', '--seed', '2', '--format', 'csv'], { encoding: 'utf8' });
    writeFileSync(path.join(dir, 'export.txt'), csv);
    writeFileSync(path.join(dir, 'export.csv'), csv);
    const native = JSON.parse(execFileSync(ELIGO, ['diff', path.join(ROOT, 'rules', ID), path.join(ROOT, 'rules', ID), '--input', path.join(dir, 'export.csv'), '--json', '--quiet'], { encoding: 'utf8' }));
    const refusedNatively = native.transitions.filter((t) => t.from.startsWith('error:')).reduce((n, t) => n + t.count, 0);
    await page.locator('#pg-impact-file').setInputFiles(path.join(dir, 'export.txt'));
    await page.getByRole('button', { name: 'Compare with the published version' }).click();
    const report = page.locator('#pg-impact .pg-impact__report');
    await report.waitFor();
    assert.equal(await report.getAttribute('data-cases'), '40');
    const kept = await page.locator('.pg-impact__unchanged').textContent();
    const refused = [...kept.matchAll(/error: \w+ (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(refused, refusedNatively, kept);
    assert.equal(await page.locator('.pg-impact__refused').count(), 0);

    // Lines that are not cases at all: the report says the comparison shows nothing.
    writeFileSync(path.join(dir, 'notes.jsonl'), 'not a case\nnor this\n');
    await page.locator('#pg-impact-file').setInputFiles(path.join(dir, 'notes.jsonl'));
    await page.getByRole('button', { name: 'Compare with the published version' }).click();
    await page.locator('#pg-impact .pg-impact__refused', { hasText: 'Both versions refused all 2 cases' }).waitFor();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // A count written as the page writes counts.
  await page.locator('#pg-impact-generated').check();
  await page.locator('#pg-impact-count').fill('1,200');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.waitForFunction(() => document.querySelector('#pg-impact .pg-impact__report')?.dataset.cases === '1200');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('while the rules do not load, the test results and the decision say in words that they are old; "Run tests" goes to the problem', async () => {
  const page = await open();
  await openFile(page, 'rules.rhai');
  const original = await editor(page).inputValue();
  await editor(page).fill(original.replace('param(', 'parm('));
  await page.locator('#pg-run-tests').click();
  await page.locator('#pg-problems .pg-problem').first().waitFor();
  // The old results stay, faded, under a sentence saying they are not of these rules.
  assert.match(await page.locator('#pg-tests > .pg-stale').textContent(), /^Not run: the rules as they are now did not load/);
  assert.match(await page.locator('#pg-decision > .pg-stale').textContent(), /^Not decided: the rules as they are now did not load/);
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('pg-problem')), true, 'focus on the first problem');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /rules\.rhai, line \d+/);

  await editor(page).fill(original);
  await page.locator('#pg-run-tests').click();
  await page.locator('#pg-status[data-kind="ok"]').waitFor();
  assert.equal(await page.locator('.pg-stale').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pg-tests-summary');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('another rule set opened shows nothing of the one before: not its report, tests, decision or input', async () => {
  const page = await open();
  await page.locator('#pg-impact-count').fill('100');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact .pg-impact__report').waitFor();
  await openFile(page, 'rules.rhai');
  const original = await editor(page).inputValue();
  await editor(page).fill(original.replace('param(', 'parm('));
  await page.locator('#pg-reload').click();
  await page.locator('#pg-status[data-kind="error"]').waitFor();
  await page.locator('#pg-asof').fill('2019-06-01');

  await page.locator('#pg-ruleset').selectOption('space-funding');
  await page.locator('#pg-status', { hasText: 'Loaded space-funding' }).waitFor();
  assert.equal(await page.locator('#pg-impact').textContent(), '', "community-grant's report is gone");
  const spaceFields = (await page.evaluate(() => JSON.parse(document.querySelector('#pg-input').value)));
  assert.equal('fund' in spaceFields, false, "the input is space-funding's");
  await page.locator('#pg-decision .pg-decision').waitFor();

  // Back to community-grant, whose edit does not load: nothing of space-funding's is shown as its.
  await page.locator('#pg-ruleset').selectOption(ID);
  await page.locator('#pg-status[data-kind="error"]').waitFor();
  assert.equal(await page.locator('#pg-tests tr.pg-case').count(), 0);
  assert.equal(await page.locator('#pg-decision .pg-decision').count(), 0);
  assert.equal(await page.locator('#pg-input').inputValue(), '');
  assert.equal(await page.locator('#pg-asof').inputValue(), '', "the other rule set's as-of date is not kept");
  assert.equal(await page.locator('#pg-tests > .pg-stale').textContent(), 'Not run: the rules as they are now did not load.');
  // An input typed meanwhile is kept when the rules load.
  await page.locator('#pg-input').fill(JSON.stringify({ fund: 'locality_deal' }));
  await editor(page).fill(original);
  await page.locator('#pg-reload').click();
  await page.locator('#pg-decision .pg-error').waitFor();
  assert.equal(JSON.parse(await page.locator('#pg-input').inputValue()).fund, 'locality_deal');
  // Opened afresh, it starts from its own schema and decides.
  await page.locator('#pg-ruleset').selectOption('space-funding');
  await page.locator('#pg-status', { hasText: 'Loaded space-funding' }).waitFor();
  await page.locator('#pg-ruleset').selectOption(ID);
  await page.locator('#pg-decision .pg-decision').waitFor();
  assert.equal(JSON.parse(await page.locator('#pg-input').inputValue()).fund, 'people_power');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('cases pasted into the page: rows copied from a spreadsheet (tabs between cells) are compared as the CSV they came from', async () => {
  const page = await open();
  const { edited } = await raiseMinimum(page);
  await page.locator('#pg-reload').click();
  const dir = mkdtempSync(path.join(tmpdir(), 'eligo-paste-'));
  try {
    const { csv, native } = nativeFlip(dir, 'cases.csv', 300, 4, edited);
    assert.ok(native.outcome_changed + native.value_only_changed > 0);
    const text = readFileSync(csv, 'utf8');
    assert.ok(!/"/.test(text), 'no quoted cells, so tabs for commas is what a spreadsheet copies');
    // Nothing pasted yet: said plainly.
    await page.locator('#pg-impact-pasted').check();
    await page.getByRole('button', { name: 'Compare with the published version' }).click();
    await page.locator('#pg-impact .pg-fail', { hasText: 'Paste the cases into "Pasted cases" first' }).waitFor();
    await page.locator('#pg-impact-generated').check();
    await page.locator('#pg-impact-paste').fill(text.replaceAll(',', '\t'));
    assert.equal(await page.locator('#pg-impact-pasted').isChecked(), true, 'pasting chooses the pasted cases');
    await page.getByRole('button', { name: 'Compare with the published version' }).click();
    const report = page.locator('#pg-impact .pg-impact__report');
    await report.waitFor();
    assert.equal(await report.getAttribute('data-cases'), '300');
    assert.equal(await report.getAttribute('data-changed'), String(native.outcome_changed));
    assert.equal(await report.getAttribute('data-value-only'), String(native.value_only_changed));
    assert.match(await page.locator('#pg-impact-summary').textContent(), /\(pasted cases\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('leaving the page with edits not downloaded asks first; unedited or downloaded, it does not', async () => {
  // Closing the page as a person would (beforeunload runs): whether the browser asked.
  const leave = (page) => new Promise((resolve, reject) => {
    page.once('dialog', async (d) => {
      const type = d.type();
      await d.dismiss();
      resolve(type === 'beforeunload');
    });
    page.once('close', () => resolve(false));
    page.close({ runBeforeUnload: true }).catch(reject);
  });
  let page = await open();
  await page.locator('#pg-run-tests').click();
  assert.equal(await leave(page), false, 'nothing edited');
  assert.equal(page.isClosed(), true);

  page = await open();
  await raiseMinimum(page);
  assert.equal(await leave(page), true, 'an edit not downloaded');
  assert.equal(page.isClosed(), false, 'the page stays when the person says so');
  await Promise.all([page.waitForEvent('download'), page.locator('#pg-download').click()]);
  assert.equal(await leave(page), false, 'downloaded');
  assert.deepEqual(errors.splice(0), []);
});

test('in a narrow window a problem with a long place wraps rather than pushing the page sideways', async () => {
  const page = await openNarrow('victim-referral');
  await openFile(page, 'tests/domestic_abuse.toml');
  await editor(page).fill(`${await editor(page).inputValue()}\n[[case]\n`);
  await page.locator('#pg-reload').click();
  const problem = page.locator('#pg-problems .pg-problem').first();
  await problem.waitFor();
  assert.match(await problem.textContent(), /^tests\/domestic_abuse\.toml, line \d+, column \d+: /);
  const { width, scrollWidth, right } = await page.evaluate(() => ({
    width: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    right: document.querySelector('#pg-problems .pg-problem').getBoundingClientRect().right,
  }));
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide in a ${width}px window`);
  assert.ok(right <= width, `the problem ends at ${right}px`);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('in a narrow window the flip report and a decision with long outcome names stay within the page', async () => {
  const page = await openNarrow('youth-oocd-triage');
  await openFile(page, 'parameters.toml');
  // The age of criminal responsibility from 10 to 11: cases move to below_age_of_responsibility.
  const params = await editor(page).inputValue();
  const edited = params.replace(/(\[age_of_criminal_responsibility\][\s\S]*?value = )10\b/, '$111');
  assert.notEqual(edited, params);
  await editor(page).fill(edited);
  await page.locator('#pg-reload').click();
  await page.locator('#pg-impact-count').fill('500');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  const row = page.locator('.pg-impact__changes tr[data-to="below_age_of_responsibility"]').first();
  await row.waitFor();
  await row.locator('.pg-impact__example').first().click();
  await page.waitForFunction(() => document.querySelector('.pg-decision')?.dataset.outcome === 'below_age_of_responsibility');
  const { width, scrollWidth } = await page.evaluate(() => ({
    width: document.documentElement.clientWidth, scrollWidth: document.documentElement.scrollWidth,
  }));
  assert.ok(scrollWidth <= width, `the page is ${scrollWidth}px wide in a ${width}px window`);
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('a comparison under way when another rule set is opened stops, and says nothing under the new one', async () => {
  const page = await open();
  await page.locator('#pg-impact-count').fill('100000');
  await page.getByRole('button', { name: 'Compare with the published version' }).click();
  await page.locator('#pg-impact-progress', { hasText: /Compared [\d,]+ of 100,000 cases/ }).waitFor();
  await page.locator('#pg-ruleset').selectOption('space-funding');
  await page.locator('#pg-status', { hasText: 'Loaded space-funding' }).waitFor();
  await page.locator('#pg-impact-progress').waitFor({ state: 'hidden' });
  await page.waitForFunction(() => !document.querySelector('#pg-impact-run').disabled);
  assert.equal(await page.locator('#pg-impact').textContent(), '', 'no word of community-grant under space-funding');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});

test('from the keyboard, a comparison keeps focus in place: on Stop while it runs, then on the report', async () => {
  const page = await open();
  const focused = () => page.evaluate(() => document.activeElement.id);
  await page.locator('#pg-impact-count').fill('100000');
  await page.locator('#pg-impact-run').focus();
  await page.keyboard.press('Enter');
  await page.locator('#pg-impact-progress', { hasText: /Compared [\d,]+ of 100,000 cases/ }).waitFor();
  assert.equal(await focused(), 'pg-impact-stop', 'not lost to the page when the button is disabled');
  await page.keyboard.press('Enter');
  await page.locator('#pg-impact-summary', { hasText: /stopped after/ }).waitFor();
  assert.equal(await focused(), 'pg-impact-summary');
  // A short one, to its end.
  await page.locator('#pg-impact-count').fill('3000');
  await page.locator('#pg-impact-run').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#pg-impact .pg-impact__report')?.dataset.cases === '3000');
  assert.equal(await focused(), 'pg-impact-summary');
  await page.close();
  assert.deepEqual(errors.splice(0), []);
});
