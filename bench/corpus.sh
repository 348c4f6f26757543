# Sourced by the benchmark scripts, from the repository's root, after building gloss-corpus.
#
# corpus N DIR: makes sure DIR holds the N-article corpus of the current generator. A corpus
# written by another version of src/bin/gloss-corpus.rs (a stamp of its source sits in DIR) is
# written anew, so that no script measures a stale one.
corpus() {
  local n=$1 dir=$2 stamp
  stamp=$(sha256sum src/bin/gloss-corpus.rs | cut -c1-16)
  [ "$(cat "$dir/generator" 2>/dev/null)" = "$stamp" ] && return 0
  rm -rf "$dir"
  target/release/gloss-corpus "$n" "$dir" 2>/dev/null
  echo "$stamp" > "$dir/generator"
}
