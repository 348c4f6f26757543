// The sample site's French and Arabic versions in Chromium: the right-to-left layout mirrors
// (key points, sidenotes, preview cards), the language switcher works by keyboard, and each
// language's search page searches that language. Run by tests/run.sh like reader.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { launch } from './chromium.mjs';

const BASE = (process.env.BASE_URL ?? 'http://127.0.0.1:8080/explainers/').replace(/\/?$/, '/');
const AR = `${BASE}ar/articles/strikes-on-kyiv-and-zaporizhzhia/`;
const FR = `${BASE}fr/articles/strikes-on-kyiv-and-zaporizhzhia/`;
const EN = `${BASE}articles/strikes-on-kyiv-and-zaporizhzhia/`;
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

let browser;
before(async () => {
  browser = await launch();
});
after(() => browser?.close());

async function open(url, viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200, url);
  page.errors = errors;
  return page;
}

const box = (page, css) => page.locator(css).first().boundingBox();

test('1280 px, Arabic: key points on the left of the text, sidenotes between them', async () => {
  const page = await open(AR, { width: 1280, height: 900 });
  assert.equal(await page.evaluate(() => [document.documentElement.lang, document.dir].join()), 'ar,rtl');
  const text = await box(page, '.article-body');
  const aside = await box(page, 'aside.key-points');
  assert.ok(aside.x + aside.width <= text.x + 1, `key points (ends ${aside.x + aside.width}) left of the text (starts ${text.x})`);
  // The same page in English has them on the right: the layout mirrors, not moves.
  const en = await open(EN, { width: 1280, height: 900 });
  const enText = await box(en, '.article-body');
  const enAside = await box(en, 'aside.key-points');
  assert.ok(enAside.x >= enText.x + enText.width - 1);
  await en.context().close();
  const notes = page.locator('.article-body .sidenote');
  assert.ok(await notes.count() >= 2, 'the Arabic story has notes');
  for (const note of await notes.all()) {
    const n = await note.boundingBox();
    assert.ok(n.x + n.width <= text.x + 1, `sidenote (ends ${n.x + n.width}) left of the text (${text.x})`);
    assert.ok(n.x >= aside.x + aside.width - 1, `sidenote (starts ${n.x}) right of the key points`);
  }
  // The body's paragraphs start at the right edge.
  const align = await page.locator('.article-body p').first().evaluate((p) => getComputedStyle(p).direction);
  assert.equal(align, 'rtl');
  await page.screenshot({ path: `${SHOTS}/arabic-1280.png`, fullPage: true });
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('375 px, Arabic: key points above the text, notes after their paragraph, nothing scrolls sideways', async () => {
  const page = await open(AR, { width: 375, height: 800 });
  const text = await box(page, '.article-body');
  const aside = await box(page, 'aside.key-points');
  assert.ok(aside.y + aside.height <= text.y + 1, 'key points above the body');
  await page.locator('.note-toggle').first().focus();
  await page.keyboard.press('Enter');
  const note = await box(page, '.article-body .sidenote:not([hidden])');
  assert.ok(note.x >= 0 && note.x + note.width <= 375, 'the opened note sits inside the viewport');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 375, `page is ${wide} px wide`);
  await page.screenshot({ path: `${SHOTS}/arabic-375.png`, fullPage: true });
  await page.context().close();
});

test('Arabic preview cards open under the start of their link, its right edge', async () => {
  const page = await open(AR, { width: 1280, height: 900 });
  const link = page.locator('.article-body a.entity').first();
  await link.hover();
  await page.locator('#gloss-card').waitFor({ state: 'visible', timeout: 3000 });
  const l = await link.boundingBox();
  const card = await box(page, '#gloss-card');
  assert.ok(Math.abs(card.x + card.width - (l.x + l.width)) < 2,
    `card ends at ${card.x + card.width}, the link at ${l.x + l.width}`);
  assert.match(await page.locator('#gloss-card').textContent(), /كييف/);
  await page.context().close();
});

test('the language switcher is reachable by keyboard and leads to the translation', async () => {
  const page = await open(EN, { width: 1280, height: 900 });
  const names = await page.locator('nav.languages a').allTextContents();
  assert.deepEqual(names, ['English', 'العربية', 'Français']);
  let reached = false;
  for (let i = 0; i < 20 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement.matches('nav.languages a[hreflang="fr"]'));
  }
  assert.ok(reached, 'Tab reaches the French link');
  await Promise.all([page.waitForURL(FR), page.keyboard.press('Enter')]);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'fr');
  assert.equal(await page.locator('nav.languages a[aria-current="page"]').textContent(), 'Français');
  await page.context().close();
});

test('each language searches its own index', async () => {
  for (const [url, q, expected] of [
    [`${BASE}fr/search/`, 'Zaporijia', /fr\/articles\/strikes-on-kyiv-and-zaporizhzhia\//],
    [`${BASE}ar/search/`, 'زابوريجيا', /ar\/articles\/strikes-on-kyiv-and-zaporizhzhia\//],
  ]) {
    const page = await open(`${url}?q=${encodeURIComponent(q)}`, { width: 1280, height: 900 });
    await page.waitForFunction(() => document.querySelectorAll('#search-results a').length > 0, null, { timeout: 10000 });
    const hrefs = await page.locator('#search-results a').evaluateAll((as) => as.map((a) => a.href));
    assert.ok(hrefs.some((h) => expected.test(h)), `${q}: ${hrefs.join(' ')}`);
    assert.ok(hrefs.every((h) => h.startsWith(url.replace(/search\/$/, ''))), `${q}: results outside the language: ${hrefs}`);
    const status = await page.locator('#search-status').textContent();
    assert.doesNotMatch(status, /results? for/, `the status speaks the page's language: ${status}`);
    await page.context().close();
  }
});
