#!/usr/bin/env bash
# Proof that our patched Pagefind (vendor/pagefind, see PATCHES.md) changes nothing readers
# get: builds gloss a second time against the published pagefind 1.6.0 (the same source without
# `[patch.crates-io]`, and with flate2's default backend), indexes the sample site and a
# 1,000-article archive with both, and compares the `pagefind/` folders: the same files, with
# the same bytes once decompressed (tests/compare_index.py), which is all Pagefind's JavaScript
# reads. Same bytes: same results, excerpts, sub-results, filters and ranking for every query.
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
for site in "$ROOT" "$REF/corpus-1000/gloss"; do
  for tool in upstream patched; do
    bin=$UPSTREAM; [ $tool = patched ] && bin=$PATCHED
    rm -rf "$REF/out-$tool"
    "$bin" build --root "$site" -o "$REF/out-$tool" >/dev/null 2>&1
  done
  echo "$site:"
  python3 tests/compare_index.py "$REF/out-upstream/pagefind" "$REF/out-patched/pagefind" || status=1
done
exit $status
