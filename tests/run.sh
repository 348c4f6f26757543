#!/usr/bin/env bash
# The whole test suite, as the README's second command: installs what the tests need (skipping
# what is already present), then runs every check and prints `N passed, N failed`.
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

check "cargo fmt --check" cargo fmt --check
check "cargo clippy" cargo clippy --all-targets --locked -- -D warnings
check "cargo test" cargo test --locked
check "sample site builds" cargo run --release --locked -q -- build

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
