// Differential test of the search index: Pagefind's own published JavaScript (the
// `pagefind.js` each bundle carries) runs the same queries in Chromium against the index the
// unmodified Pagefind 1.6.0 crate built (REFERENCE) and the one gloss's patched copy built
// (PATCHED), from the same pages. Every query must give the same result URLs in the same
// order, the same excerpts, sub-results, meta and locations, and the same filter counts.
// Run by tests/pagefind-reference.sh.
//
//   node tests/search-differential.mjs SERVER_URL REFERENCE_PATH PATCHED_PATH QUERIES
//     SERVER_URL   where both bundles are served, e.g. http://127.0.0.1:8000/
//     *_PATH       the bundles' folders under it, e.g. out-upstream-0/pagefind/
//     QUERIES      `sample`, or the path of a corpus's content/ folder to draw queries from
//
// Order cannot differ on ties: both sides are the same JavaScript reading the same bytes
// (tests/compare_index.py checks the decompressed files first), so ties break alike.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch } from './browser/chromium.mjs';

const [server, reference, patched, source] = process.argv.slice(2);

/** [query, options] pairs: single words, stems, phrases, names, aliases, terms, filters, sort. */
function queries() {
  if (source === 'sample') {
    return [
      ['Kyiv'], ['plan'], ['ceasefire'], ['truce'], ['envoy'], ['Moscow'], ['drones'],
      ['negotiating'], ['talks'], ['strikes'], ['wounded'], ['optimistic'], ['security guarantees'],
      ['"peace plan"'], ['"coalition of the willing"'], ['"28-point plan"'], ['revised version'],
      ['Witkoff'], ['Steve Witkoff'], ['Zelenskyy'], ['Zelensky'], ['Putin'], ['NATO'],
      ['North Atlantic Treaty Organization'], ['EU'], ['European Union'], ['Kushner'],
      ['Umerov'], ['Zaporizhzhia'], ['White House'], ['full-scale invasion'], ['Truth Social'],
      ['plan', { filters: { type: 'article' } }], ['plan', { filters: { type: 'term' } }],
      ['Witkoff', { filters: { type: 'person' } }], ['Kyiv', { filters: { type: 'place' } }],
      ['NATO', { filters: { type: 'organisation' } }],
      ['war', { filters: { section: 'World' } }], ['war', { filters: { section: 'Explainer' } }],
      ['Ukraine', { filters: { tag: 'Diplomacy' } }], ['Ukraine', { filters: { tag: 'War' } }],
      ['Ukraine', { filters: { tag: ['Europe', 'Diplomacy'] } }],
      ['Ukraine', { sort: { date: 'desc' } }], ['Ukraine', { sort: { date: 'asc' } }],
      ['talks', { sort: { date: 'desc' }, filters: { type: 'article' } }],
      [null, { filters: { type: 'article' } }], [null, { filters: { tag: 'Ukraine' } }],
      ['xyzzyq'], ['qwertyuiopasdf'], ['the'], ['Thanksgiving'], ['600,000'], ['Gaza'],
    ];
  }
  // A synthetic archive: names, surnames and terms from its registries, words from its text.
  const text = (f) => readFileSync(`${source}/${f}`, 'utf8');
  const names = [...text('entities.yaml').matchAll(/^ {2}name: (.+)$/gm)].map((m) => m[1]).slice(0, 12);
  const aliases = [...text('entities.yaml').matchAll(/^ {2}aliases: \[(.+?)\]$/gm)].map((m) => m[1]).slice(0, 8);
  const terms = [...text('glossary.yaml').matchAll(/^ {2}term: (.+)$/gm)].map((m) => m[1]).slice(0, 8);
  const words = ['government', 'forces', 'election', 'budget', 'sanctions', 'negotiators',
    'summit', 'tariffs', 'parliament', 'energy'];
  return [
    ...names.map((n) => [n]), ...aliases.map((a) => [a]), ...terms.map((t) => [t]),
    ...terms.slice(0, 3).map((t) => [`"${t}"`]), ...words.map((w) => [w]),
    ['negotiating'], ['elections'], ['"national government"'],
    ['forces', { filters: { type: 'article' } }], ['forces', { filters: { type: 'person' } }],
    ['forces', { filters: { tag: 'politics' } }], ['forces', { filters: { section: 'World' } }],
    ['energy', { sort: { date: 'desc' } }], ['energy', { sort: { date: 'asc' } }],
    [names[0], { filters: { type: 'place' } }], ['xyzzyq'],
  ];
}

const browser = await launch();
const page = await browser.newPage();
await page.goto(server);

/** Every query's full outcome through the bundle at `bundle`. */
async function run(bundle, list) {
  return page.evaluate(async ({ bundle, list }) => {
    const pf = await import(`/${bundle}pagefind.js`);
    // Result URLs relative to one base for both bundles, which are served from two folders.
    await pf.options({ excerptLength: 30, baseUrl: '/' });
    await pf.init();
    const out = [];
    for (const [q, options] of list) {
      const search = await pf.search(q, options ?? {});
      // Every result's id, score and words; the full record of the first 20, as the search page
      // shows them.
      const data = await Promise.all(search.results.slice(0, 20).map((r) => r.data()));
      out.push({
        query: q, options,
        total: search.results.length,
        unfiltered: search.unfilteredResultCount,
        filters: search.filters, totalFilters: search.totalFilters,
        ranked: search.results.map((r) => [r.id, r.score, r.words]),
        results: data.map((d) => ({
          url: d.url, excerpt: d.excerpt, meta: d.meta, filters: d.filters, locations: d.locations,
          sub_results: d.sub_results.map((s) => ({ url: s.url, title: s.title, excerpt: s.excerpt })),
        })),
      });
    }
    return out;
  }, { bundle, list });
}

const list = queries();
assert.ok(list.length >= 50, `${list.length} queries`);
const [a, b] = [await run(reference, list), await run(patched, list)];
await browser.close();
let withResults = 0;
for (let i = 0; i < list.length; i++) {
  assert.deepEqual(b[i], a[i], `query ${JSON.stringify(list[i])} differs`);
  if (a[i].total > 0) withResults++;
}
// The queries must exercise the index: most find something, and the nonsense ones nothing.
assert.ok(withResults >= list.length * 0.7, `only ${withResults} of ${list.length} queries found anything`);
assert.equal(a.find((r) => r.query === 'xyzzyq').total, 0);
console.log(`${list.length} queries, ${withResults} with results: the same URLs, order, excerpts, sub-results and filter counts`);
