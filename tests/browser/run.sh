#!/usr/bin/env bash
# Runs the browser checks of the theme against a built site:
#   bash tests/browser/run.sh BUILT_SITE_DIR
# Installs the npm packages (package.json, exact versions) on first use.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node_modules/axe-core" ] || [ ! -d "$here/node_modules/puppeteer-core" ]; then
  (cd "$here" && npm install --silent --no-audit --no-fund >/dev/null)
fi
exec node "$here/axe.js" "$1"
