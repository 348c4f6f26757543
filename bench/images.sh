#!/usr/bin/env bash
# The images benchmark: N articles with a photo-like lead image each (4000x3000 JPEG by
# default), built by gloss and by Hugo making the same widths (480, 800, 1200, 1600) in the
# same formats (WebP and JPEG, quality 80, Lanczos), alternating runs. gloss also makes three
# crops and a thumbnail per image, which Hugo is not asked for.
#
#   bench/images.sh [N [WIDTH HEIGHT]]     default: 200 4000 3000
#   RUNS=3 bench/images.sh                  cold runs per tool (default 1: Hugo takes minutes)
#   WORK=/some/dir bench/images.sh          where the corpus and output go (default: tmpfs)
#
# Cold: each tool's cache deleted first (gloss's .gloss-cache/, Hugo's resources/_gen/).
# Warm: the cache kept, nothing changed. "no images": the same articles without `image:`,
# the build a warm rebuild is compared with. Peak RSS from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=${1:-200}
W=${2:-4000}
H=${3:-3000}
RUNS=${RUNS:-1}
WORK=${WORK:-/dev/shm/gloss-images}

cargo build --release --locked --features corpus -q
GLOSS=$ROOT/target/release/gloss
command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

c="$WORK/corpus-$N-${W}x$H"
stamp="$(sha256sum src/bin/gloss-photos.rs | cut -c1-16)"
if [ "$(cat "$c/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$c"
  mkdir -p "$c"
  "$ROOT/target/release/gloss-photos" site "$N" "$c" "$W" "$H"
  # The same site without images: what a warm rebuild is measured against.
  cp -r "$c/gloss" "$c/gloss-noimg"
  find "$c/gloss-noimg/content/articles" -name index.md -exec sed -i '/^image:/d' {} +
  find "$c/gloss-noimg/content/articles" -name '*.jpg' -delete
  echo "$stamp" > "$c/stamp"
fi

# run NAME COMMAND... -> "seconds kilobytes"
run() {
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/log" 2>&1 || { cat "$WORK/log" >&2; return 1; }
  tail -1 "$WORK/time"
}
gloss_build() { run "$GLOSS" build --root "$1" -o "$WORK/out-gloss"; }
hugo_build() { run hugo --quiet --source "$c/hugo" --destination "$WORK/out-hugo"; }
count() { find "$1" -name "*.$2" | wc -l; }

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
declare -A times=() rss=()
note() { read -r secs kb <<< "$2"; times[$1]+="$secs "; rss[$1]+="$kb "; }

for _ in $(seq "$RUNS"); do
  rm -rf "$c/gloss/.gloss-cache" "$WORK/out-gloss"
  note "gloss cold" "$(gloss_build "$c/gloss")"
  rm -rf "$c/hugo/resources/_gen" "$WORK/out-hugo"
  note "hugo cold" "$(hugo_build)"
done
# Each tool made what it was asked for. gloss: a WebP per width below the original's (the
# original's own width too when it is narrower than 1600: nothing is upscaled), and a
# thumbnail. Hugo makes the four widths whatever the original's.
widths=$(awk -v w="$W" 'BEGIN { n = 0; for (i = 1; i <= 4; i++) { split("480 800 1200 1600", a, " "); if (a[i] < w) n++ } if (w < 1600) n++; print n }')
[ "$(count "$WORK/out-gloss/img" webp)" -eq $((N * (widths + 1))) ] || { echo "gloss made $(count "$WORK/out-gloss/img" webp) WebP files, not $((N * (widths + 1)))" >&2; exit 1; }
[ "$(count "$WORK/out-hugo" webp)" -ge $((N * 4)) ] || { echo "Hugo made too few WebP files" >&2; exit 1; }
for _ in 1 2 3 4 5; do
  note "gloss warm" "$(gloss_build "$c/gloss")"
  note "gloss, no images" "$(gloss_build "$c/gloss-noimg")"
  note "hugo warm" "$(hugo_build)"
done

echo "$N images of ${W}x$H; cold: $RUNS run(s) per tool, warm: 5"
echo
echo "| build | median wall (s) | peak RSS (MB) |"
echo "|---|---:|---:|"
for k in "gloss cold" "hugo cold" "gloss warm" "gloss, no images" "hugo warm"; do
  t=$(tr ' ' '\n' <<< "${times[$k]}" | grep . | median)
  m=$(tr ' ' '\n' <<< "${rss[$k]}" | grep . | median)
  printf '| %s | %s | %d |\n' "$k" "$t" "$((m / 1024))"
done
med() { tr ' ' '\n' <<< "${times[$1]}" | grep . | median; }
echo
awk -v g="$(med "gloss cold")" -v h="$(med "hugo cold")" -v w="$(med "gloss warm")" -v n="$(med "gloss, no images")" \
  'BEGIN { printf "cold: gloss / Hugo = %.2f; warm rebuild adds %.3f s to the build without images\n", g / h, w - n }'
