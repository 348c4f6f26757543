#!/usr/bin/env bash
# Counts the instructions one `gloss build` of the synthetic archive executes, under callgrind,
# and lists the functions that execute most of them (inclusive).
#
#   bench/instructions.sh [N]        default: 1000 articles
#   BIN=/path/to/gloss bench/instructions.sh   another build of gloss, to compare two
#
# Wall time on a shared 2-core machine swings by 30% from one minute to the next; the count of
# instructions of the same build of the same input moves by well under 1%, so it is the way to
# tell whether a change made gloss do less work. It does not see the kernel (writing files,
# page faults): confirm with bench/compare.sh. Valgrind is installed if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-1000}
WORK=${WORK:-/dev/shm/gloss-bench}
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; }
cargo build --release --locked --features corpus -q
. bench/corpus.sh
BIN=${BIN:-$ROOT/target/release/gloss}
mkdir -p "$WORK"
c="$WORK/corpus-$N"
corpus "$N" "$c"
rm -rf "$WORK/out-callgrind"
valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" \
  "$BIN" build --root "$c/gloss" -o "$WORK/out-callgrind" 2>&1 >/dev/null | grep -E "I\s+refs"
rm -rf "$WORK/out-callgrind"
callgrind_annotate --inclusive=yes "$WORK/callgrind.out" 2>/dev/null \
  | grep -E "gloss::|tera::tera|pulldown_cmark::(parse|html)::|yaml_serde::de|syntect::html" \
  | grep -vE "rayon|call_mut|call_once|FnMut|FnOnce|\{\{closure\}\} \[|gloss::main|build::build|lang_start" \
  | sed -E 's|/root/.cargo/registry/src/[^/]+/||; s|/rustc/[0-9a-f]+/library/||' \
  | head -25 | cut -c1-150
