#!/usr/bin/env bash
# Installs what the browser, validator and serving tests need, skipping whatever is already
# present, so a second run costs nothing. Debian packages: chromium (browser tests), nginx
# (serving the built site as a host would), a Java runtime (the Nu Html Checker), xmllint.
# npm packages are pinned in tests/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v java >/dev/null || missing+=(default-jre-headless)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when node_modules is missing or older than the lock file. Install scripts stay
# off: vnu-jar's would try to download a Java runtime, and the system one is used instead.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# Python checkers for feeds and structured data, in a venv at the repository root.
cd ..
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import feedparser, extruct' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi
