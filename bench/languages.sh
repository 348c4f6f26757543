#!/usr/bin/env bash
# What a second language costs: builds a synthetic archive of N articles in one language, then
# the same archive with every article also in French (`<slug>.fr.md`, `[languages.fr]`, the
# registries translated by copy), alternately, and prints the median wall and CPU time of each
# and their ratio (two languages / one; the target is at most 2.2).
#
#   bench/languages.sh [N]          default: 10000
#   RUNS=5 bench/languages.sh       builds per setup (default 3)
#   WORK=/some/dir bench/languages.sh   where corpora and output go (default: tmpfs)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
WORK=${WORK:-/dev/shm/gloss-bench}
N=${1:-10000}

cargo build --release --locked --features corpus -q
. bench/corpus.sh
GLOSS=$ROOT/target/release/gloss
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
mkdir -p "$WORK"
corpus "$N" "$WORK/corpus-$N"
ONE=$WORK/corpus-$N/gloss
TWO=$WORK/languages-$N
if [ "$(cat "$TWO/.complete" 2>/dev/null)" != "$(cat "$WORK/corpus-$N/generator")" ]; then
  rm -rf "$TWO" && cp -r "$ONE" "$TWO"
  printf '\n[languages.fr]\ntitle = "Archive (fr)"\n' >> "$TWO/site.toml"
  # Every article translated: the same text under the French name, front matter and all.
  for f in "$TWO"/content/articles/*.md; do
    case "$f" in *.fr.md) ;; *) cp "$f" "${f%.md}.fr.md" ;; esac
  done
  # Every entity and term with its French words (here, the same words).
  python3 - "$TWO/content" <<'PY'
import re, sys, pathlib
content = pathlib.Path(sys.argv[1])
for name, field in (("entities", "name"), ("glossary", "term")):
    src = content / f"{name}.yaml"
    if not src.exists():
        continue
    out, current = [], None
    for line in src.read_text().splitlines():
        if re.match(r"^[^\s#][^:]*:\s*$", line):
            out.append(line)
        elif line.startswith(f"  {field}:") or line.startswith("  definition:"):
            out.append(line)
    (content / f"{name}.fr.yaml").write_text("\n".join(out) + "\n")
PY
  cp "$WORK/corpus-$N/generator" "$TWO/.complete"
fi

# build DIR -> "wall user+sys" in seconds.
build() {
  local out="$WORK/out-languages"
  rm -rf "$out"
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$GLOSS" build --root "$1" -o "$out" \
    >"$WORK/log" 2>&1 || { echo "gloss failed on $1:" >&2; tail -20 "$WORK/log" >&2; return 1; }
  rm -rf "$out"
  awk '{ printf "%s %.2f\n", $1, $2 + $3 }' "$WORK/time"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

one_wall="" one_cpu="" two_wall="" two_cpu=""
build "$ONE" >/dev/null # warm the page cache
for _ in $(seq "$RUNS"); do
  read -r w c <<< "$(build "$ONE")"; one_wall+="$w " one_cpu+="$c "
  read -r w c <<< "$(build "$TWO")"; two_wall+="$w " two_cpu+="$c "
done
ow=$(tr ' ' '\n' <<< "$one_wall" | grep . | median)
oc=$(tr ' ' '\n' <<< "$one_cpu" | grep . | median)
tw=$(tr ' ' '\n' <<< "$two_wall" | grep . | median)
tc=$(tr ' ' '\n' <<< "$two_cpu" | grep . | median)
printf '%-28s %8s %8s\n' "$N articles" "wall s" "CPU s"
printf '%-28s %8s %8s\n' "one language" "$ow" "$oc"
printf '%-28s %8s %8s\n' "two languages (en + fr)" "$tw" "$tc"
printf '%-28s %8s %8s\n' "ratio (target <= 2.2)" "$(awk -v a="$tw" -v b="$ow" 'BEGIN { printf "%.2f", a / b }')" \
  "$(awk -v a="$tc" -v b="$oc" 'BEGIN { printf "%.2f", a / b }')"
