#!/usr/bin/env bash
# How gloss's time per article grows with the archive: builds a small and a large synthetic
# archive in turn and prints the median time per article of each, wall and CPU (user + system),
# and their ratio (large / small; the target is at most 1.3).
#
#   bench/scaling.sh [SMALL LARGE]    default: 1000 50000
#   ROUNDS=6 bench/scaling.sh         more rounds (default 4); each round builds the small
#                                     archive three times, then the large one once
#   WORK=/some/dir bench/scaling.sh   where corpora and output go (default: tmpfs)
#
# The small archive's first build after a large one waits on the memory the large one gave
# back, and takes twice as long: it is left out. Wall time of a 1,000-article build swings by
# 30% from minute to minute; CPU time per article is the steadier figure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ROUNDS=${ROUNDS:-4}
WORK=${WORK:-/dev/shm/gloss-bench}
SMALL=${1:-1000}
LARGE=${2:-50000}

cargo build --release --locked --features corpus -q
. bench/corpus.sh
GLOSS=$ROOT/target/release/gloss
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
mkdir -p "$WORK"
for n in "$SMALL" "$LARGE"; do
  corpus "$n" "$WORK/corpus-$n"
done

# build N -> "wall user+sys" in seconds; fails if gloss fails.
build() {
  local out="$WORK/out-scaling"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$GLOSS" build --root "$WORK/corpus-$1/gloss" -o "$out" \
    >"$WORK/log" 2>&1 || { echo "gloss failed on $1 articles:" >&2; cat "$WORK/log" >&2; return 1; }
  rm -rf "$out"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/time"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

small_wall="" small_cpu="" large_wall="" large_cpu=""
for round in $(seq "$ROUNDS"); do
  for i in 1 2 3; do
    result=$(build "$SMALL")
    read -r wall cpu <<< "$result"
    # The first build after a large one is left out (see above).
    if [ "$round" -eq 1 ] || [ "$i" -gt 1 ]; then
      small_wall+="$wall " small_cpu+="$cpu "
    fi
  done
  result=$(build "$LARGE")
  read -r wall cpu <<< "$result"
  large_wall+="$wall " large_cpu+="$cpu "
done

per_article() { awk -v s="$1" -v n="$2" 'BEGIN { printf "%.3f", 1000 * s / n }'; }
sw=$(tr ' ' '\n' <<< "$small_wall" | grep . | median)
sc=$(tr ' ' '\n' <<< "$small_cpu" | grep . | median)
lw=$(tr ' ' '\n' <<< "$large_wall" | grep . | median)
lc=$(tr ' ' '\n' <<< "$large_cpu" | grep . | median)
echo "| articles | median wall (s) | wall ms / article | median CPU (s) | CPU ms / article |"
echo "|---:|---:|---:|---:|---:|"
echo "| $SMALL | $sw | $(per_article "$sw" "$SMALL") | $sc | $(per_article "$sc" "$SMALL") |"
echo "| $LARGE | $lw | $(per_article "$lw" "$LARGE") | $lc | $(per_article "$lc" "$LARGE") |"
echo
awk -v sw="$sw" -v lw="$lw" -v sc="$sc" -v lc="$lc" -v s="$SMALL" -v l="$LARGE" 'BEGIN {
  printf "per article, %d / %d: wall %.2fx, CPU %.2fx\n", l, s, (lw / l) / (sw / s), (lc / l) / (sc / s) }'
echo "$(nproc) cores, $(date -u +%Y-%m-%d); output on $(df --output=fstype "$WORK" | tail -1); $ROUNDS rounds; small builds: ${small_wall}; large: ${large_wall}"
