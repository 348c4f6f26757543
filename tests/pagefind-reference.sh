#!/usr/bin/env bash
# Proof that our patched Pagefind (vendor/pagefind, see PATCHES.md) changes nothing readers
# get: builds gloss a second time against the published pagefind 1.6.0 (the same source without
# `[patch.crates-io]`, and with flate2's default backend), indexes the sample site and a
# 1,000-article archive with both, and compares the `pagefind/` folders: the same files, with
# the same bytes once decompressed (tests/compare_index.py), which is all Pagefind's JavaScript
# reads; then runs 50-odd queries per site through Pagefind's own JavaScript in Chromium against
# both (tests/search-differential.mjs): the same results, excerpts, sub-results, filter counts.
#
#   tests/pagefind-reference.sh        run by tests/run.sh after the release build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REF=$ROOT/target/pagefind-reference
mkdir -p "$REF"

# The same crate, without the patch section, built in a target folder of its own (a debug
# build without debug info: the sample and 1,000 articles index in seconds even so).
rm -rf "$REF/src-copy" && mkdir -p "$REF/src-copy"
cp -r src themes Cargo.toml Cargo.lock "$REF/src-copy/"
[ -d examples ] && cp -r examples "$REF/src-copy/"
mkdir -p "$REF/src-copy/tests" && cp -r tests/suite "$REF/src-copy/tests/"
sed -i '/^\[patch.crates-io\]/,$d' "$REF/src-copy/Cargo.toml"
sed -i 's/^flate2 = .*/flate2 = "1.1"/' "$REF/src-copy/Cargo.toml"
grep -q 'path = "vendor/pagefind"' "$REF/src-copy/Cargo.toml" && { echo "the patch is still in the copy" >&2; exit 1; }
( cd "$REF/src-copy" && CARGO_PROFILE_DEV_DEBUG=false cargo build -q --features reference-pagefind --bin gloss --target-dir "$ROOT/target/pagefind-ref-target" )
UPSTREAM=$ROOT/target/pagefind-ref-target/debug/gloss
PATCHED=$ROOT/target/release/gloss
[ -x "$PATCHED" ] || cargo build --release --locked -q

# The 1,000-article archive of the benchmarks, with search on.
cargo build --release --locked --features corpus -q --bin gloss-corpus
. bench/corpus.sh
corpus 1000 "$REF/corpus-1000"
sed -i 's/^search = false$/search = true/' "$REF/corpus-1000/gloss/site.toml"

status=0
sites=("$ROOT" "$REF/corpus-1000/gloss")
for i in 0 1; do
  for tool in upstream patched; do
    bin=$UPSTREAM; [ $tool = patched ] && bin=$PATCHED
    rm -rf "$REF/out-$tool-$i"
    "$bin" build --root "${sites[$i]}" -o "$REF/out-$tool-$i" >/dev/null 2>&1
  done
  # Every language's bundle: pagefind/, fr/pagefind/, ar/pagefind/...
  for bundle in $(cd "$REF/out-upstream-$i" && find . -type d -name pagefind | sort); do
    echo "${sites[$i]}: $bundle"
    python3 tests/compare_index.py "$REF/out-upstream-$i/$bundle" "$REF/out-patched-$i/$bundle" || status=1
  done
done

# The same queries through Pagefind's published JavaScript in Chromium against both indexes
# (tests/search-differential.mjs), and a negative control: two different sites' indexes must
# differ.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$REF" >/dev/null 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >/dev/null && break; sleep 0.1; done
node tests/search-differential.mjs "http://127.0.0.1:$PORT/" out-upstream-0/pagefind/ out-patched-0/pagefind/ sample || status=1
node tests/search-differential.mjs "http://127.0.0.1:$PORT/" out-upstream-1/pagefind/ out-patched-1/pagefind/ "$REF/corpus-1000/gloss/content" || status=1
if node tests/search-differential.mjs "http://127.0.0.1:$PORT/" out-upstream-0/pagefind/ out-patched-1/pagefind/ sample >/dev/null 2>&1; then
  echo "the differential test did not tell two different indexes apart" >&2
  status=1
fi
exit $status
