// `gloss serve` in a real browser: a save reloads the open page by itself (keeping the scroll
// position), a stylesheet edit swaps the sheet without a reload, a broken file shows its
// diagnostics over the page. Runs the release binary on a copy of the sample site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { launch } from './chromium.mjs';

const GLOSS = process.env.GLOSS ?? 'target/release/gloss';
const site = mkdtempSync(join(tmpdir(), 'gloss-serve-'));
let server;
let base;
let browser;

before(async () => {
  cpSync('site.toml', join(site, 'site.toml'));
  cpSync('content', join(site, 'content'), { recursive: true });
  mkdirSync(join(site, 'static'));
  cpSync('themes/default/static/style.css', join(site, 'static/style.css'));
  server = spawn(GLOSS, ['serve', '--port', '0', '--root', site], { stdio: ['ignore', 'pipe', 'inherit'] });
  base = await new Promise((resolve, reject) => {
    createInterface({ input: server.stdout }).once('line', resolve);
    server.once('exit', (code) => reject(new Error(`gloss serve exited with ${code}`)));
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.kill();
  rmSync(site, { recursive: true, force: true });
});

const ARTICLE = 'content/articles/europe-and-kyiv-react.md';
function edit(file, from, to) {
  const path = join(site, file);
  const text = readFileSync(path, 'utf8');
  assert.ok(text.includes(from), `${file} has ${from}`);
  writeFileSync(path, text.replace(from, to));
}

/** A page that counts its own loads in sessionStorage, to tell reloads from swaps. */
async function open(path, viewport = { width: 1280, height: 500 }) {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    sessionStorage.setItem('loads', String(+(sessionStorage.getItem('loads') ?? 0) + 1));
  });
  const page = await context.newPage();
  await page.goto(new URL(path, base).href);
  // Connected to the event stream before anything is edited.
  await page.waitForFunction(() => document.documentElement.dataset.glossLive === 'connected');
  return page;
}
const loads = (page) => page.evaluate(() => +sessionStorage.getItem('loads'));

test('a save reloads the open page by itself and keeps its scroll position', async () => {
  const page = await open('articles/europe-and-kyiv-react/');
  await page.evaluate(() => window.scrollTo(0, 400));
  const y = await page.evaluate(() => window.scrollY);
  assert.ok(y > 300, `scrolled (${y})`);
  edit(ARTICLE, 'Starmer was just as guarded', 'Starmer was every bit as guarded');
  await page.waitForFunction(() => document.body.innerText.includes('every bit as guarded'), null, { timeout: 10000 });
  assert.equal(await loads(page), 2, 'reloaded once');
  await page.waitForFunction((y0) => Math.abs(window.scrollY - y0) < 5, y, { timeout: 5000 });
  await page.context().close();
});

test('an edit to another article leaves the open page alone', async () => {
  const page = await open('articles/trump-sends-witkoff-to-moscow/');
  edit('content/articles/strikes-on-kyiv-and-zaporizhzhia.md', 'Residents', 'Many residents');
  // The edit is built and announced; this page's file did not change, so it stays.
  await page.waitForTimeout(1500);
  assert.equal(await loads(page), 1);
  await page.context().close();
});

test('a stylesheet edit swaps the sheet without reloading', async () => {
  const page = await open('articles/europe-and-kyiv-react/');
  const css = join(site, 'static/style.css');
  writeFileSync(css, `${readFileSync(css, 'utf8')}\nbody { border-top: 7px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(() => getComputedStyle(document.body).borderTopWidth === '7px', null, { timeout: 10000 });
  assert.equal(await loads(page), 1, 'no reload');
  await page.context().close();
});

test('a broken file shows its diagnostics over the page until it is fixed', async () => {
  const page = await open('articles/europe-and-kyiv-react/');
  edit(ARTICLE, 'title: "Europe', 'title: [Europe');
  const overlay = page.locator('#gloss-errors');
  await overlay.waitFor({ timeout: 10000 });
  assert.match(await overlay.locator('.gloss-error-location').first().textContent(), /^content\/articles\/europe-and-kyiv-react\.md:\d+:\d+$/);
  assert.match(await page.locator('h1').first().textContent(), /Europe doubts/, 'the last good page stays');
  edit(ARTICLE, 'title: [Europe', 'title: "Europe');
  await overlay.waitFor({ state: 'detached', timeout: 10000 });
  await page.context().close();
});
