#!/usr/bin/env bash
# The whole test suite, as the README's second command. Installs what the tests need (skipping
# what is already present), then runs every check and ends with `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

pass=0
fail=0
check() {
  local name="$1"
  shift
  echo "::: $name"
  if "$@"; then
    pass=$((pass + 1))
    echo "ok: $name"
  else
    fail=$((fail + 1))
    echo "FAIL: $name"
  fi
}
# Succeeds when the command fails: negative controls prove a checker can fail.
expect_fail() { ! "$@" >/dev/null 2>&1; }

if ! bash tests/install.sh; then
  echo "FAIL: installing test dependencies"
  echo "0 passed, 1 failed"
  exit 1
fi

check "cargo fmt --check" cargo fmt --check
check "cargo clippy" cargo clippy --all-targets --all-features --locked -- -D warnings
check "cargo test" cargo test --locked
check "patched Pagefind's own tests (vendor/pagefind)" cargo test --locked -p pagefind --lib
check "cargo doc, warnings denied" env RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --document-private-items --quiet
check "sample site builds (README command)" cargo run --release --locked -q -- build
check "patched Pagefind writes the same index bytes as the published crate" bash tests/pagefind-reference.sh

# The sample site, built under a sub-path and served by nginx as a host would.
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
BASE="http://127.0.0.1:$PORT/explainers/"
SITE="$PWD/target/test-site/public"
check "sample site builds under a sub-path" target/release/gloss build --base-url "$BASE" -o "$SITE"
# The same articles with every list cut into pages of a few, plus six briefs that make one
# glossary term outgrow its entry, plus the labelled wire stories imported as drafts: these
# pages get the same validators and crawl.
PAGED="$PWD/target/test-paged/public"
paged_site() {
  local dir=target/test-paged i
  rm -rf "$dir" && mkdir -p "$dir" && cp -r content "$dir/" &&
    { printf 'paginate_by = 2\n'; cat site.toml; printf '[paginate_by_kind]\nglossary = 3\ntimeline = 3\nentity_index = 5\n'; } > "$dir/site.toml" &&
    for i in 1 2 3 4 5 6; do
      printf -- '---\ntitle: Ceasefire brief %s\ndate: 2025-10-0%s\ntags: [Ukraine]\n---\nA ceasefire was discussed again, said Steve Witkoff.\n' "$i" "$i" > "$dir/content/articles/brief-$i.md"
    done &&
    # The labelled wire stories, imported as drafts: imported copy must validate too.
    for i in $(sed -n 's/^\([a-z0-9-]*\)\.txt:$/\1/p' tests/fixtures/wire/labels.yaml); do
      target/release/gloss import --root "$dir" "tests/fixtures/wire/$i.txt" --date 2025-11-25 --slug "wire-$i" >/dev/null 2>&1 || return 1
    done &&
    target/release/gloss build --drafts --root "$dir" --base-url "http://127.0.0.1:$PORT/paged/" -o "$PAGED" >/dev/null
}
check "sample site with lists cut into pages builds" paged_site
# shellcheck source=tests/serve-nginx.sh
source tests/serve-nginx.sh
trap stop_nginx EXIT

VNU=tests/node_modules/vnu-jar/build/dist/vnu.jar
check "vnu: every page of the sample site is valid HTML" java -jar "$VNU" --skip-non-html --errors-only "$SITE"
check "vnu: every page of the paginated sample is valid HTML" java -jar "$VNU" --skip-non-html --errors-only "$PAGED"
# minify = true needs the `minify` cargo feature: test it, and that minified pages stay valid.
check "minify feature" cargo test --locked --features minify --test suite minify
minified_site() {
  rm -rf target/min-site && mkdir -p target/min-site &&
    cp -r content target/min-site/ && { echo 'minify = true'; cat site.toml; } > target/min-site/site.toml &&
    target/debug/gloss build --root target/min-site -o "$PWD/target/min-site-public" >/dev/null &&
    java -jar "$VNU" --skip-non-html --errors-only target/min-site-public
}
check "vnu: minified pages are valid HTML" minified_site
check "vnu: flags the deliberately invalid page" expect_fail java -jar "$VNU" --errors-only tests/fixtures/bad/invalid.html
check "browser: reader experience, axe" env BASE_URL="$BASE" PAGED_URL="http://127.0.0.1:$PORT/paged/" node --test tests/browser/

# Publishing: what hosts, crawlers and feed readers see.
LINKS=(npx --prefix tests --no-install linkinator --recurse --verbosity error --skip '^https?://(?!127\.0\.0\.1)')
check "links: crawl of the served site finds no broken link" "${LINKS[@]}" "$BASE" "${BASE}404.html"
check "links: crawl of the paginated sample finds no broken link" "${LINKS[@]}" "http://127.0.0.1:$PORT/paged/"
check "links: the crawler flags a broken link" expect_fail "${LINKS[@]}" "http://127.0.0.1:$PORT/broken/links.html"
check "feeds, JSON-LD, Open Graph" .venv/bin/python tests/check_meta.py "$SITE" "$BASE"
check "sitemaps are well-formed XML" xmllint --noout "$SITE/sitemap.xml" "$SITE/news-sitemap.xml" "$SITE"/*/sitemap.xml "$SITE"/*/news-sitemap.xml
check "sitemaps carry each page's translations" test "$(xmllint --xpath 'count(//*[local-name()="link" and namespace-uri()="http://www.w3.org/1999/xhtml" and @rel="alternate" and @hreflang="x-default"])' "$SITE/fr/sitemap.xml")" -gt 10
check "sitemaps use their namespaces" test "$(xmllint --xpath 'count(/*[local-name()="urlset" and namespace-uri()="http://www.sitemaps.org/schemas/sitemap/0.9"]/*[local-name()="url"])' "$SITE/sitemap.xml")" -gt 10
check "xmllint flags a broken sitemap" expect_fail xmllint --noout tests/fixtures/bad/sitemap.xml

# Performance is measured by bench/compare.sh, never by a timed test: here it only has to run.
check "benchmark script runs on a tiny corpus" env RUNS=1 WORK="$PWD/target/bench-tiny" bench/compare.sh 30
check "benchmark script runs with bare peers" env PEERS=bare RUNS=1 WORK="$PWD/target/bench-tiny" bench/compare.sh 30
check "scaling script runs on tiny corpora" env ROUNDS=1 WORK="$PWD/target/bench-tiny" bench/scaling.sh 20 40
check "images benchmark runs on a tiny corpus" env RUNS=1 WORK="$PWD/target/bench-tiny" bench/images.sh 4 800 600

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
