// Reader experience of the built sample site, in Debian's Chromium driven by playwright-core.
// Run by tests/run.sh with BASE_URL pointing at the site served by nginx under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync } from 'node:fs';
import { launch } from './chromium.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const BASE = (process.env.BASE_URL ?? 'http://127.0.0.1:8080/explainers/').replace(/\/?$/, '/');
const ROOT = new URL('/', BASE).href;
const SUBPATH = new URL(BASE).pathname;
const ARTICLE = `${BASE}articles/trump-sends-witkoff-to-moscow/`;
const SHOTS = process.env.SCREENSHOT_DIR ?? 'target/screenshots';
mkdirSync(SHOTS, { recursive: true });

let browser;
const consoleErrors = [];

before(async () => {
  browser = await launch();
});
after(() => browser?.close());

/** A new page that records console errors and uncaught exceptions. */
async function newPage(options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(`${page.url()}: ${msg.text()}`); });
  page.on('pageerror', (err) => consoleErrors.push(`${page.url()}: ${err.message}`));
  return page;
}

async function visit(page, url) {
  const resp = await page.goto(url);
  assert.ok(resp, `no response for ${url}`);
  return resp;
}

const cardVisible = (page) => page.locator('#gloss-card').isVisible();

test('wide screens: key points are a sticky sidebar beside the text', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  assert.equal((await visit(page, ARTICLE)).status(), 200);
  const aside = page.locator('aside.key-points');
  assert.equal(await aside.evaluate((el) => getComputedStyle(el).position), 'sticky');
  const a = await aside.boundingBox();
  const body = await page.locator('.article-body').boundingBox();
  assert.ok(a.x > body.x + body.width - 1, `sidebar (x=${a.x}) should sit right of the text (ends ${body.x + body.width})`);
  // Sticky: after scrolling far down, the sidebar is still in view.
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight * 0.6));
  const after = await aside.boundingBox();
  assert.ok(after.y >= 0 && after.y < 900, `sidebar in view after scrolling (y=${after.y})`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/article-1280.png`, fullPage: true });
  await page.context().close();
});

test('narrow screens: key points sit above the body in a collapsible details, open at first', async () => {
  const page = await newPage({ viewport: { width: 375, height: 800 } });
  await visit(page, ARTICLE);
  const details = page.locator('aside.key-points details');
  assert.equal(await details.evaluate((d) => d.open), true);
  const a = await page.locator('aside.key-points').boundingBox();
  const body = await page.locator('.article-body').boundingBox();
  assert.ok(a.y + a.height <= body.y, 'key points above the body');
  await page.screenshot({ path: `${SHOTS}/article-375.png`, fullPage: true });
  await page.locator('aside.key-points summary').click();
  assert.equal(await details.evaluate((d) => d.open), false);
  await page.locator('aside.key-points summary').click();
  assert.equal(await details.evaluate((d) => d.open), true);
  await page.context().close();
});

test('following a key point scrolls to its paragraph and highlights it', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 700 }, reducedMotion: 'reduce' });
  await visit(page, ARTICLE);
  const link = page.locator('aside.key-points a').last();
  const target = await link.getAttribute('data-target');
  await link.click();
  await page.waitForFunction((id) => location.hash === `#${id}`, target);
  const para = page.locator(`#${target}`);
  const box = await para.boundingBox();
  assert.ok(box.y >= 0 && box.y < 700, `paragraph in view (y=${box.y})`);
  assert.ok(await page.evaluate(() => window.scrollY) > 0, 'the page scrolled');
  const bg = await para.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'the target paragraph is highlighted');
  // Only the target is highlighted.
  const other = await page.locator('.article-body p').first().evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(other, 'rgba(0, 0, 0, 0)');
  await page.context().close();
});

test('hovering an entity link opens its card after a short delay; leaving closes it', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  const link = page.locator('.article-body a.entity[data-entity="steve-witkoff"]').first();
  await link.hover();
  await page.waitForTimeout(100);
  assert.equal(await cardVisible(page), false, 'not open before the delay');
  await page.waitForTimeout(350);
  assert.equal(await cardVisible(page), true, 'open after the delay');
  // Read from the page's own "In this story" list and the link's class: the data island
  // leaves out what the page already shows.
  assert.equal(await page.locator('#gloss-card .gloss-card-kind').textContent(), 'Person');
  assert.equal(await page.locator('#gloss-card .gloss-card-name').textContent(), 'Steve Witkoff');
  assert.equal(await page.locator('#gloss-card .gloss-card-text').textContent(), 'US special envoy');
  assert.equal(await link.getAttribute('aria-describedby'), 'gloss-card');
  // The card itself can be hovered without closing (WCAG 1.4.13).
  await page.locator('#gloss-card .gloss-card-name').hover();
  await page.waitForTimeout(400);
  assert.equal(await cardVisible(page), true, 'stays open while the pointer is on the card');
  const more = await page.locator('#gloss-card a').getAttribute('href');
  assert.equal(new URL(more, page.url()).href, `${BASE}entities/steve-witkoff/`);
  await page.mouse.move(5, 5);
  await page.waitForTimeout(400);
  assert.equal(await cardVisible(page), false, 'closed after leaving link and card');
  await page.context().close();
});

test('keyboard: Tab to an entity link opens its card, Escape closes it', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  let found = null;
  for (let i = 0; i < 60 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate(() => document.activeElement?.closest?.('.article-body a[data-entity]')?.dataset.entity ?? null);
  }
  assert.ok(found, 'an entity link in the body is reachable with Tab');
  assert.equal(await cardVisible(page), true);
  const name = await page.locator('#gloss-card .gloss-card-name').textContent();
  // The entity's name as the page's "In this story" list gives it.
  const expected = await page.evaluate((id) => document.querySelector(`.in-this-story a[href$="/entities/${id}/"]`).textContent, found);
  assert.equal(name, expected);
  await page.keyboard.press('Escape');
  assert.equal(await cardVisible(page), false);
  // Blur closes too.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Shift+Tab');
  const onLink = await page.evaluate(() => !!document.activeElement?.closest?.('a[data-entity], a[data-term]'));
  assert.equal(await cardVisible(page), onLink);
  await page.context().close();
});

test('terms open their definition in place', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  const term = page.locator('.article-body a.term[data-term="envoy"]');
  await term.hover();
  await page.waitForTimeout(450);
  assert.equal(await page.locator('#gloss-card .gloss-card-kind').textContent(), 'Glossary');
  assert.equal(await page.locator('#gloss-card .gloss-card-name').textContent(), 'envoy');
  assert.equal(await page.locator('#gloss-card .gloss-card-text').textContent(), 'A diplomat sent on a special mission.');
  assert.equal(await term.getAttribute('title'), null, 'the script drops the native tooltip');
  await page.context().close();
});

test('touch: the first tap opens the card, its link navigates', async () => {
  const page = await newPage({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await visit(page, ARTICLE);
  const link = page.locator('.article-body a.entity[data-entity="vladimir-putin"]').first();
  await link.tap();
  await page.waitForTimeout(100);
  assert.equal(page.url(), ARTICLE, 'first tap does not navigate');
  assert.equal(await cardVisible(page), true);
  assert.equal(await page.locator('#gloss-card .gloss-card-name').textContent(), 'Vladimir Putin');
  await Promise.all([page.waitForURL(`${BASE}entities/vladimir-putin/`), page.locator('#gloss-card a').tap()]);
  await page.context().close();
});

test('without JavaScript every link still navigates and terms carry their definition', async () => {
  const page = await newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  assert.match(await page.locator('.article-body a.term').first().getAttribute('title'), /\w/);
  assert.ok(await page.locator('.terms-used dd').count() > 0, 'definitions listed at the foot');
  await Promise.all([page.waitForURL(`${BASE}entities/donald-trump/`), page.locator('.article-body a.entity').first().click()]);
  assert.equal(await page.locator('h1').textContent(), 'Donald Trump');
  const mentions = await page.locator('.mentions > li > a').count();
  assert.ok(mentions >= 2, `Trump is mentioned in several explainers (${mentions})`);
  await page.context().close();
});

const ANNOTATED = `${BASE}articles/what-is-in-the-peace-plan/`;

/** Each sidenote with the box of its anchor and of the block it follows. */
async function sidenotes(page) {
  return page.evaluate(() => [...document.querySelectorAll('.article-body .sidenote')].map((side) => {
    const n = side.id.replace('note-', '');
    const box = (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, bottom: r.bottom, right: r.right }; };
    let block = side.previousElementSibling;
    while (block && block.classList.contains('sidenote')) block = block.previousElementSibling;
    const button = document.getElementById(`note-ref-${n}`);
    return {
      n, hidden: side.hidden, side: box(side), mark: box(document.getElementById(`anchor-${n}`)),
      block: box(block), blockHoldsMark: block.contains(document.getElementById(`anchor-${n}`)),
      expanded: button.getAttribute('aria-expanded'), controls: button.getAttribute('aria-controls'),
    };
  }));
}

test('annotations: sidenotes sit in the margin beside their line at 1280 px', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ANNOTATED);
  const notes = await sidenotes(page);
  assert.ok(notes.length >= 5, `${notes.length} sidenotes`);
  const body = await page.locator('.article-body').boundingBox();
  const keyPoints = await page.locator('aside.key-points').boundingBox();
  let free = -Infinity;
  for (const note of notes) {
    assert.equal(note.hidden, false, `note ${note.n} shown`);
    assert.equal(note.expanded, 'true');
    assert.equal(note.controls, `note-${note.n}`);
    assert.ok(note.side.x >= body.x + body.width, `note ${note.n} right of the text`);
    assert.ok(note.side.right <= keyPoints.x, `note ${note.n} left of the key points`);
    assert.ok(note.side.y >= note.mark.y - 1, `note ${note.n} not above its line`);
    assert.ok(note.side.y >= free, `note ${note.n} does not overlap the one above`);
    free = note.side.bottom;
  }
  // The first note has the margin to itself: level with its line.
  assert.ok(Math.abs(notes[0].side.y - notes[0].mark.y) < 2, `note 1 at y=${notes[0].side.y}, its line at y=${notes[0].mark.y}`);
  assert.equal(await page.locator('section.notes').isVisible(), false, 'the end list gave its notes to the margin');
  await page.screenshot({ path: `${SHOTS}/annotations-1280.png`, fullPage: true });
  await page.context().close();
});

test('annotations: at 375 px notes open after their paragraph, toggled by keyboard', async () => {
  const page = await newPage({ viewport: { width: 375, height: 800 } });
  await visit(page, ANNOTATED);
  let notes = await sidenotes(page);
  assert.ok(notes.every((n) => n.hidden && n.expanded === 'false'), 'collapsed at first');
  await page.locator('#note-ref-1').focus();
  await page.keyboard.press('Enter');
  notes = await sidenotes(page);
  const first = notes[0];
  assert.equal(first.hidden, false);
  assert.equal(first.expanded, 'true');
  assert.ok(first.blockHoldsMark, 'the note follows the block that holds its anchor');
  assert.ok(first.side.y >= first.block.bottom - 1, `note below its paragraph (${first.side.y} vs ${first.block.bottom})`);
  assert.ok(first.side.x < 375 && first.side.right <= 375, 'inline, inside the viewport');
  assert.ok(await page.locator('#note-1').isVisible());
  await page.screenshot({ path: `${SHOTS}/annotations-375.png`, fullPage: true });
  await page.keyboard.press(' ');
  assert.equal(await page.locator('#note-1').isVisible(), false, 'Space closes it again');
  assert.equal(await page.locator('#note-ref-1').getAttribute('aria-expanded'), 'false');
  await page.context().close();
  // A link to a note (from an entity page) opens it.
  const linked = await newPage({ viewport: { width: 375, height: 800 } });
  await visit(linked, `${ANNOTATED}#note-5`);
  assert.ok(await linked.locator('#note-5').isVisible());
  assert.match(await linked.locator('#note-5 .verdict').textContent(), /Unproven/);
  await linked.context().close();
});

test('annotations: without JavaScript the notes are a numbered list at the end', async () => {
  const page = await newPage({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  await visit(page, ANNOTATED);
  const items = page.locator('section.notes ol.note-list > li');
  assert.ok(await items.count() >= 5);
  assert.ok(await page.locator('section.notes').isVisible());
  await page.locator('.article-body .note-ref a').first().click();
  assert.match(page.url(), /#note-1$/);
  await page.context().close();
});

test('annotations: print shows every note after its paragraph', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ANNOTATED);
  await page.locator('#note-ref-2').click(); // one collapsed note must print all the same
  await page.emulateMedia({ media: 'print' });
  for (const note of await sidenotes(page)) {
    assert.ok(note.side.h > 0, `note ${note.n} printed`);
    assert.ok(note.side.y >= note.block.bottom - 1, `note ${note.n} after its paragraph`);
  }
  await page.context().close();
});

/** The search page for `q` (and a type filter), once its results are announced. */
async function searchFor(page, q, type = '') {
  await visit(page, `${BASE}search/?q=${encodeURIComponent(q)}${type ? `&type=${type}` : ''}`);
  await page.waitForFunction(() => /results? for/.test(document.getElementById('search-status').textContent), null, { timeout: 10000 });
  return page.evaluate(() => [...document.querySelectorAll('#search-results > li')].map((li) => ({
    kind: li.querySelector('.search-kind').textContent,
    href: li.querySelector('a').getAttribute('href'),
    title: li.querySelector('a').textContent,
  })));
}

test('search: a name finds the entity page first, then the articles that mention it', async () => {
  const page = await newPage();
  const results = await searchFor(page, 'Witkoff');
  assert.ok(results.length >= 3, JSON.stringify(results));
  assert.equal(results[0].href, `${SUBPATH}entities/steve-witkoff/`);
  assert.equal(results[0].kind, 'Person');
  const articles = results.filter((r) => r.kind === 'Explainer').map((r) => r.href);
  assert.ok(articles.includes(`${SUBPATH}articles/trump-sends-witkoff-to-moscow/`), articles.join());
  assert.ok(articles.includes(`${SUBPATH}articles/what-is-in-the-peace-plan/`), articles.join());
  // The result links work under the sub-path.
  await Promise.all([page.waitForURL(`${BASE}entities/steve-witkoff/`), page.locator('#search-results a').first().click()]);
  await page.context().close();
});

test('search: a term finds its glossary entry; filters narrow by type', async () => {
  const page = await newPage();
  const results = await searchFor(page, 'ceasefire');
  assert.equal(results[0].href, `${SUBPATH}glossary/#ceasefire`);
  assert.equal(results[0].kind, 'Glossary');
  const people = await searchFor(page, 'Witkoff', 'person');
  assert.deepEqual(people.map((r) => r.kind), ['Person']);
  const explainers = await searchFor(page, 'Witkoff', 'article');
  assert.ok(explainers.length >= 2 && explainers.every((r) => r.kind === 'Explainer'), JSON.stringify(explainers));
  // Choosing a filter by keyboard searches again and announces the count.
  await page.locator('input[name="type"][value="person"]').focus();
  await page.keyboard.press('ArrowLeft'); // back to Explainers
  await page.waitForFunction(() => document.querySelector('input[name="type"]:checked').value === 'article');
  await page.waitForFunction(() => [...document.querySelectorAll('#search-results .search-kind')].every((k) => k.textContent === 'Explainer'));
  assert.equal(await page.locator('#search-status').getAttribute('role'), 'status');
  await page.context().close();
});

test('search: the header box leads to the search page; without JavaScript it offers the indexes', async () => {
  const page = await newPage();
  await visit(page, ARTICLE);
  await page.locator('#site-search-input').fill('Putin');
  await Promise.all([page.waitForURL(/\/search\/\?q=Putin/), page.keyboard.press('Enter')]);
  await page.waitForFunction(() => /results? for/.test(document.getElementById('search-status').textContent));
  assert.equal(await page.locator('#search-input').inputValue(), 'Putin');
  await page.context().close();
  const plain = await newPage({ javaScriptEnabled: false });
  await visit(plain, `${BASE}search/?q=Putin`);
  const links = await plain.locator('.search-page noscript a').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.includes(`${BASE}entities/`), links.join());
  assert.ok(links.includes(`${BASE}glossary/`), links.join());
  await plain.context().close();
});

test('axe: no violations on the search page with results', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const page = await newPage({ colorScheme });
    await searchFor(page, 'Witkoff');
    await page.addScriptTag({ path: AXE });
    const { violations } = await page.evaluate(() => axe.run());
    assert.deepEqual(violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], colorScheme);
    await page.context().close();
  }
});

const PAGES = {
  front: BASE,
  article: ARTICLE,
  annotated: ANNOTATED,
  entity: `${BASE}entities/steve-witkoff/`,
  entityWithPicture: `${BASE}entities/kyiv/`,
  entities: `${BASE}entities/`,
  glossary: `${BASE}glossary/`,
  timeline: `${BASE}timeline/`,
  tag: `${BASE}tags/ukraine/`,
  page: `${BASE}about/`,
  notfound: `${BASE}no/such/page/`,
  search: `${BASE}search/`,
  // The French and Arabic versions (right to left).
  frArticle: `${BASE}fr/articles/europe-and-kyiv-react/`,
  frGlossary: `${BASE}fr/glossary/`,
  arFront: `${BASE}ar/`,
  arArticle: `${BASE}ar/articles/strikes-on-kyiv-and-zaporizhzhia/`,
  arEntity: `${BASE}ar/entities/kyiv/`,
  arSearch: `${BASE}ar/search/`,
};

for (const [width, expected] of [[375, '-480.webp'], [1280, '-1200.webp']]) {
  test(`lead image: at ${width} px it loads the right width from srcset, and nothing moves when it arrives`, async () => {
    const page = await newPage({ viewport: { width, height: 800 } });
    // Images arrive late, after the first paint: without width and height the text would jump.
    await page.route('**/img/**', async (route) => {
      await new Promise((r) => setTimeout(r, 400));
      await route.continue();
    });
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__shifts.push(e.value);
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await visit(page, ARTICLE);
    const img = page.locator('figure.lead-image img');
    await img.evaluate((el) => el.complete || new Promise((r) => el.addEventListener('load', r, { once: true })));
    const { src, natural, shown, ratio } = await img.evaluate((el) => ({
      src: el.currentSrc,
      natural: el.naturalWidth,
      shown: el.getBoundingClientRect().width,
      ratio: el.getBoundingClientRect().height / el.getBoundingClientRect().width,
    }));
    assert.ok(src.endsWith(expected), `at ${width} px the browser chose ${src}`);
    assert.ok(natural >= shown, `the file (${natural} px) is not narrower than its box (${shown} px)`);
    assert.ok(Math.abs(ratio - 2 / 3) < 0.01, `the box keeps the picture's ratio (${ratio})`);
    await page.waitForTimeout(200);
    const shifts = await page.evaluate(() => window.__shifts);
    assert.deepEqual(shifts.filter((v) => v > 0.001), [], 'layout shifts');
    await page.screenshot({ path: `${SHOTS}/lead-image-${width}.png` });
    await page.context().close();
  });
}

test('figures and entity pictures load, with their captions and credits', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  const figure = page.locator('.article-body figure.figure');
  await figure.scrollIntoViewIfNeeded();
  const img = figure.locator('img');
  await img.evaluate((el) => el.complete || new Promise((r) => el.addEventListener('load', r, { once: true })));
  assert.ok(await img.evaluate((el) => el.naturalWidth > 0), 'the SVG figure loaded');
  assert.match(await figure.locator('figcaption').textContent(), /Credit: Gloss Newsroom graphic/);
  await visit(page, PAGES.entityWithPicture);
  const portrait = page.locator('figure.entity-image img');
  await portrait.evaluate((el) => el.complete || new Promise((r) => el.addEventListener('load', r, { once: true })));
  assert.ok(await portrait.evaluate((el) => el.naturalWidth > 0), 'the entity picture loaded');
  await page.context().close();
});

test('preview cards show an entity\'s picture', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, `${BASE}articles/strikes-on-kyiv-and-zaporizhzhia/`);
  await page.locator('.article-body a.entity[data-entity="kyiv"]').first().focus();
  const img = page.locator('#gloss-card img.gloss-card-img');
  await img.waitFor();
  assert.equal(await img.getAttribute('alt'), '');
  await img.evaluate((el) => el.complete || new Promise((r) => el.addEventListener('load', r, { once: true })));
  assert.ok(await img.evaluate((el) => el.naturalWidth > 0), 'the thumbnail loaded');
  await page.context().close();
});

test('no horizontal scrolling at 320 px', async () => {
  const page = await newPage({ viewport: { width: 320, height: 640 } });
  for (const [name, url] of Object.entries(PAGES)) {
    await visit(page, url);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${name} overflows by ${overflow}px at 320px`);
  }
  await page.context().close();
});

test('the 404 page works from any depth under the sub-path', async () => {
  const page = await newPage();
  const resp = await visit(page, `${BASE}a/b/c/missing`);
  assert.equal(resp.status(), 404);
  assert.equal(await page.locator('h1').textContent(), 'Page not found');
  const css = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(css, /Georgia|DejaVu Serif/, 'the stylesheet loaded');
  await Promise.all([page.waitForURL(BASE), page.locator('main a').first().click()]);
  await page.context().close();
});

async function axeViolations(url, colorScheme) {
  const page = await newPage({ colorScheme });
  await visit(page, url);
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate(() => axe.run());
  await page.context().close();
  return violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const scheme of ['light', 'dark']) {
  test(`axe: no violations on any page type (${scheme})`, async () => {
    for (const [name, url] of Object.entries(PAGES)) {
      assert.deepEqual(await axeViolations(url, scheme), [], `${name} (${scheme})`);
    }
  });
}

// The sample with every list cut into pages of a few (tests/run.sh builds it): the pages that
// only a long archive has.
const PAGED = process.env.PAGED_URL;
const PAGED_PAGES = PAGED && {
  tagPage2: `${PAGED}tags/ukraine/page/2/`,
  entityPage2: `${PAGED}entities/steve-witkoff/page/2/`,
  entityIndexPage2: `${PAGED}entities/page/2/`,
  glossaryIndex: `${PAGED}glossary/`,
  glossaryLetter: `${PAGED}glossary/c/`,
  term: `${PAGED}glossary/terms/ceasefire/`,
  termPage2: `${PAGED}glossary/terms/ceasefire/page/2/`,
  timelineIndex: `${PAGED}timeline/`,
  timelineYear: `${PAGED}timeline/2025/`,
  archiveMonth: `${PAGED}archive/2025/11/`,
};
// Every labelled wire story, imported as a draft by tests/run.sh.
if (PAGED) {
  const labels = readFileSync(new URL('../fixtures/wire/labels.yaml', import.meta.url), 'utf8');
  for (const [, name] of labels.matchAll(/^([a-z0-9-]+)\.txt:$/gm)) {
    PAGED_PAGES[`imported ${name}`] = `${PAGED}articles/wire-${name}/`;
  }
}

test('axe: no violations on the pages of long lists and on imported drafts; page navigation by keyboard', { skip: !PAGED }, async () => {
  for (const [name, url] of Object.entries(PAGED_PAGES)) {
    assert.equal((await fetch(url)).status, 200, `${name}: ${url}`);
    assert.deepEqual(await axeViolations(url, 'light'), [], name);
  }
  // The page navigation is reachable by keyboard and leads to the next page.
  const page = await newPage();
  await visit(page, PAGED_PAGES.tagPage2);
  const next = page.locator('nav.pagination a[rel="next"]');
  await next.focus();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('rel')), 'next');
  await Promise.all([page.waitForURL(`${PAGED}tags/ukraine/page/3/`), page.keyboard.press('Enter')]);
  await page.context().close();
});

test('axe catches a deliberate violation (negative control)', async () => {
  assert.deepEqual(await axeViolations(`${ROOT}broken/a11y.html`, 'light'), ['critical image-alt: img']);
});

test('no console errors on any page', async () => {
  const page = await newPage();
  for (const url of Object.values(PAGES)) await visit(page, url);
  await page.context().close();
  // The 404 pages are asked for on purpose; the browser logs their status.
  const expected = (e) => e.includes('status of 404') && /no\/such\/page|a\/b\/c\/missing/.test(e);
  assert.deepEqual(consoleErrors.filter((e) => !expected(e)), []);
});

test('print: key points before the body, no previews, link URLs shown', async () => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await visit(page, ARTICLE);
  await page.locator('.article-body a.entity').first().focus();
  assert.equal(await cardVisible(page), true);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await cardVisible(page), false, 'no preview card in print');
  // Measured in one frame: focusing the link scrolled the page, smoothly, and the scroll may
  // still be under way.
  const [aside, body] = await page.evaluate(() => ['aside.key-points', '.article-body']
    .map((sel) => document.querySelector(sel).getBoundingClientRect())
    .map((r) => ({ y: r.top, height: r.height })));
  assert.ok(aside.y + aside.height <= body.y, 'key points printed before the body');
  assert.ok(await page.locator('figure.lead-image img').isVisible(), 'print keeps the lead image');
  // The sample's body has no external link; check the print rule on one added for the test.
  const shown = await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = 'https://example.com/x';
    a.textContent = 'x';
    document.querySelector('.article-body').appendChild(a);
    return getComputedStyle(a, '::after').content;
  });
  assert.match(shown, /example\.com\/x/, 'print shows link URLs');
  await page.context().close();
});
