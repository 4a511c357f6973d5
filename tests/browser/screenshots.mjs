#!/usr/bin/env node
// Take the README's screenshots of the browser front end into docs/img/:
//   node tests/browser/screenshots.mjs
// form.png: the victim-referral form filled with a contract case (DASH score 14);
// playground.png: community-grant in the playground with a syntax error at its line;
// flip.png: "What your change would flip" after raising the People Power Fund's minimum;
// partner.png: the example partner page with the embedded form.
// Not a test (no assertions beyond the pages loading); needs target/release/eligo and pkg/.

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { serve, launch, contractCases, ROOT } from './helpers.mjs';

const out = path.join(ROOT, 'docs/img');
mkdirSync(out, { recursive: true });
const srv = await serve();
const b = await launch();
const page = await b.context.newPage();
await page.setViewportSize({ width: 1280, height: 1000 });
const ready = () => page.waitForFunction(() => document.documentElement.dataset.eligoReady === 'true');

const c = contractCases().find((x) => x.name === 'victim-dash-14') || contractCases().find((x) => x.ruleset === 'victim-referral');
await page.goto(`${srv.url}index.html?ruleset=${c.ruleset}#input=${encodeURIComponent(JSON.stringify(c.input))}`);
await ready();
await page.locator('.eligo-decision').waitFor();
// Scroll so the form's questions and the whole result panel show together.
await page.evaluate(() => window.scrollTo(0, document.querySelector('.eligo-form__title').getBoundingClientRect().top + window.scrollY - 16));
await page.screenshot({ path: path.join(out, 'form.png') });

await page.goto(`${srv.url}playground.html?ruleset=community-grant`);
await ready();
await page.locator('#pg-tests-summary').waitFor();
const text = page.locator('#pg-editor textarea');
const lines = (await text.inputValue()).split('\n');
lines.splice(4, 0, 'let ceiling = param("people_power_max") +;');
await text.fill(lines.join('\n'));
await page.locator('#pg-reload').click();
await page.locator('#pg-problems .pg-problem').first().click(); // jumps to the line
await page.evaluate(() => window.scrollTo(0, document.querySelector('.pg-toolbar').getBoundingClientRect().top + window.scrollY - 16));
await page.screenshot({ path: path.join(out, 'playground.png') });

await page.goto(`${srv.url}playground.html?ruleset=community-grant`);
await ready();
await page.locator('#pg-tests-summary').waitFor();
await page.locator('#pg-tabs [data-file="parameters.toml"]').click();
await text.fill((await text.inputValue()).replace(/(\[people_power_min\][\s\S]*?value = )100\b/, '$11200'));
await page.locator('#pg-reload').click();
await page.locator('#pg-impact-count').fill('5000');
await page.getByRole('button', { name: 'Compare with the published version' }).click();
await page.locator('#pg-impact .pg-impact__report').waitFor();
await page.locator('section[aria-labelledby="pg-impact-title"]').screenshot({ path: path.join(out, 'flip.png') });

await page.goto(`${srv.url}example-partner.html`);
await page.waitForFunction(() => document.querySelector('eligo-form')?.dataset.ready === 'true');
await page.screenshot({ path: path.join(out, 'partner.png') });

await b.close();
await srv.close();
console.log(`wrote ${['form.png', 'playground.png', 'flip.png', 'partner.png'].map((f) => path.join('docs/img', f)).join(', ')}`);
