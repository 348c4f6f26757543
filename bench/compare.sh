#!/usr/bin/env bash
# Builds the same synthetic archive with gloss, Hugo and Zola, alternating runs, and prints a
# Markdown table of median wall time, peak RSS and the gloss/peer ratio.
#
#   bench/compare.sh [N ...]          default: 1000 10000
#   RUNS=5 bench/compare.sh 10000     more runs per tool (default 3)
#   WORK=/some/dir bench/compare.sh   where corpora and output go (default: tmpfs)
#   PEERS=bare bench/compare.sh       the peers render articles and section list only
#   SEARCH=1 bench/compare.sh         every tool also makes a search index: gloss with
#                                     `search = true`, Hugo followed by the Pagefind 1.6.0 CLI
#                                     (from npm) on its output, Zola with build_search_index;
#                                     and a row `gloss-nosearch` (search off) whose ratio is
#                                     gloss with search / without
#
# By default the peers make what gloss makes from the front matter they share (see
# src/bin/gloss-corpus.rs): tag pages, site and tag feeds of 50 entries, sitemap, robots.txt,
# 404. Until 2026-11-30 they made the bare set only; PEERS=bare gives those figures.
# Hugo is Debian's package (installed if missing). Zola is used when `zola` is on PATH, or
# unpacked from ../shared/bin/ when that is beside the repository. Output goes to tmpfs by
# default: writing to disk costs every tool 2-4x more, so compare like with like.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-3}
PEERS=${PEERS:-site}
case $PEERS in
  site) zola_config=config.toml hugo_config=hugo.toml ;;
  bare) zola_config=config.bare.toml hugo_config=hugo.bare.toml ;;
  *) echo "PEERS is site or bare, not $PEERS" >&2; exit 2 ;;
esac
WORK=${WORK:-/dev/shm/gloss-bench}
SEARCH=${SEARCH:-0}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)

cargo build --release --locked --features corpus -q
. bench/corpus.sh
GLOSS=$ROOT/target/release/gloss
command -v hugo >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
PAGEFIND=$ROOT/target/bench/pagefind/node_modules/.bin/pagefind
if [ "$SEARCH" = 1 ] && [ ! -x "$PAGEFIND" ]; then
  mkdir -p target/bench/pagefind
  npm install --prefix target/bench/pagefind --no-audit --no-fund --silent pagefind@1.6.0 >/dev/null
fi
ZOLA=$(command -v zola || true)
if [ -z "$ZOLA" ] && ls ../shared/bin/zola-*-x86_64-linux.xz >/dev/null 2>&1; then
  mkdir -p target/bench
  ZOLA=$ROOT/target/bench/zola
  [ -x "$ZOLA" ] || { xz -dc ../shared/bin/zola-*-x86_64-linux.xz > "$ZOLA"; chmod +x "$ZOLA"; }
fi

# run TOOL CORPUS OUT -> "seconds kilobytes"; fails if the tool fails or leaves out a file
# it is meant to make: an article, and unless PEERS=bare a tag's page and feed.
run() {
  local tool=$1 c=$2 out=$3 files
  rm -rf "$out"
  case $tool in
    gloss|gloss-nosearch)
           files="articles/explainer-000000/index.html tags/war/index.html tags/war/atom.xml"
           local root=$c/gloss
           if [ "$SEARCH" = 1 ] && [ "$tool" = gloss ]; then
             root=$c/gloss-search
             mkdir -p "$root" && ln -sfn ../gloss/content "$root/content"
             sed 's/^search = false$/search = true/' "$c/gloss/site.toml" > "$root/site.toml"
             files+=" pagefind/pagefind.js"
           fi
           /usr/bin/time -f "%e %M" -o "$WORK/time" "$GLOSS" build --root "$root" -o "$out" >"$WORK/log" 2>&1 ;;
    hugo)  files="posts/explainer-000000/index.html tags/war/index.html tags/war/index.xml"
           if [ "$SEARCH" = 1 ]; then
             files+=" pagefind/pagefind.js"
             /usr/bin/time -f "%e %M" -o "$WORK/time" sh -c '"$1" --quiet --source "$2" --config "$3" --destination "$4" && "$5" --site "$4" --silent' \
               sh "$(command -v hugo)" "$c/hugo" "$hugo_config" "$out" "$PAGEFIND" >"$WORK/log" 2>&1
           else
             /usr/bin/time -f "%e %M" -o "$WORK/time" hugo --quiet --source "$c/hugo" --config "$hugo_config" --destination "$out" >"$WORK/log" 2>&1
           fi ;;
    zola)  files="articles/explainer-000000/index.html tags/war/index.html tags/war/atom.xml"
           local config=$zola_config
           if [ "$SEARCH" = 1 ]; then
             config=config.search.toml
             sed 's/^build_search_index = false$/build_search_index = true/' "$c/zola/$zola_config" > "$c/zola/$config"
             files+=" search_index.en.js"
           fi
           /usr/bin/time -f "%e %M" -o "$WORK/time" "$ZOLA" --root "$c/zola" --config "$config" build --output-dir "$out" --force >"$WORK/log" 2>&1 ;;
  esac || { echo "$tool failed:" >&2; cat "$WORK/log" >&2; return 1; }
  [ "$PEERS" = site ] || files=${files%% *}
  for f in $files; do
    [ -f "$out/$f" ] || { echo "$tool wrote no $f" >&2; return 1; }
  done
  # Wall seconds, peak RSS, and the output's files and bytes.
  echo "$(tail -1 "$WORK/time") $(find "$out" -type f | wc -l) $(du -sb "$out" | cut -f1)"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

mkdir -p "$WORK"
tools=(gloss hugo)
[ -n "$ZOLA" ] && tools+=(zola)
# With search, gloss without it too: its row's ratio is what search costs gloss.
[ "$SEARCH" = 1 ] && tools+=(gloss-nosearch)
echo "| articles | tool | median wall (s) | peak RSS (MB) | gloss / tool | files | output (MB) |"
echo "|---:|---|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  c="$WORK/corpus-$n"
  corpus "$n" "$c"
  declare -A times=() rss=() files=() bytes=()
  for _ in $(seq "$RUNS"); do
    for tool in "${tools[@]}"; do
      result=$(run "$tool" "$c" "$WORK/out-$tool")
      read -r secs kb nfiles nbytes <<< "$result"
      times[$tool]+="$secs "
      rss[$tool]+="$kb "
      files[$tool]=$nfiles
      bytes[$tool]=$nbytes
    done
  done
  g=$(tr ' ' '\n' <<< "${times[gloss]}" | grep . | median)
  for tool in "${tools[@]}"; do
    t=$(tr ' ' '\n' <<< "${times[$tool]}" | grep . | median)
    m=$(tr ' ' '\n' <<< "${rss[$tool]}" | grep . | sort -n | tail -1)
    ratio=$(awk -v g="$g" -v t="$t" 'BEGIN { printf "%.2f", g / t }')
    printf "| %s | %s | %s | %d | %s | %d | %.1f |\n" "$n" "$tool" "$t" $((m / 1024)) "$ratio" \
      "${files[$tool]}" "$(awk -v b="${bytes[$tool]}" 'BEGIN { print b / 1e6 }')"
  done
  unset times rss files bytes
done
echo
echo "$(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GB, $(date -u +%Y-%m-%d); output on $(df --output=fstype "$WORK" | tail -1); $RUNS runs each, alternating; peers: $PEERS; search: $SEARCH."
