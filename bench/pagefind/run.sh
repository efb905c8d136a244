#!/usr/bin/env bash
# almanac's search side by side with Pagefind, on the same built HTML:
#   bash bench/pagefind/run.sh [CORPUS_DIR]
# Builds tests/fixtures/search (known answers, tests/search/recall.json) and,
# when given, a generated corpus (../shared/bench/gen_corpus.py); indexes each
# output with Pagefind too; then prints, for both: recall, bytes at start-up
# and per query (gzip, as a static host sends them; compare.js), total index
# size and indexing time. Installs pagefind and puppeteer-core (package.json,
# exact versions) on first use; needs Chromium (apt-get install chromium).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
RUNS="${RUNS:-3}"
if [ ! -d "$here/node_modules/pagefind" ] || [ ! -d "$here/node_modules/puppeteer-core" ]; then
  (cd "$here" && npm install --silent --no-audit --no-fund >/dev/null)
fi
(cd "$repo" && cargo build --release --quiet)
almanac="$repo/target/release/almanac"
pagefind="$here/node_modules/.bin/pagefind"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

source "$here/../lib.sh"

# Index sizes: almanac's files raw and gzipped; Pagefind's as written (its
# index, fragments and wasm are gzip already).
sizes() {
  python3 - "$1" <<'EOF'
import gzip, os, sys
out = sys.argv[1]
def walk(d):
    for root, _, files in os.walk(d):
        for f in files:
            yield open(os.path.join(root, f), "rb").read()
a = list(walk(os.path.join(out, "search")))
p = list(walk(os.path.join(out, "_pagefind")))
gz = lambda b: len(b) if b[:2] == b"\x1f\x8b" else len(gzip.compress(b, 6))
kb = lambda files, f: f"{sum(map(f, files)) / 1e3:,.0f} KB"
print(f"index size: almanac {len(a)} files, {kb(a, len)} ({kb(a, gz)} gzip); "
      f"pagefind {len(p)} files, {kb(p, len)} ({kb(p, gz)} gzip)")
EOF
}

# One site: almanac with search on and off (alternating), Pagefind on the
# built HTML; then the browser comparison.
compare() {
  local name=$1 src=$2 queries=$3
  rm -rf "$work/on" "$work/off"
  cp -r "$src" "$work/on"
  cp -r "$src" "$work/off"
  for d in on off; do
    grep -v '^\[search\]\|^enabled' "$src/almanac.toml" >"$work/$d/almanac.toml"
  done
  printf '\n[search]\nenabled = true\n' >>"$work/on/almanac.toml"
  local on=() off=() pf=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$work/out-on" "$work/out-off"
    on+=("$(seconds "$almanac" build --root "$work/on" -o "$work/out-on")")
    off+=("$(seconds "$almanac" build --root "$work/off" -o "$work/out-off")")
    rm -rf "$work/out-on/_pagefind"
    pf+=("$(seconds "$pagefind" --site "$work/out-on" --output-subdir _pagefind)")
  done
  local m_on m_off m_pf
  m_on=$(printf '%s\n' "${on[@]}" | median)
  m_off=$(printf '%s\n' "${off[@]}" | median)
  m_pf=$(printf '%s\n' "${pf[@]}" | median)
  echo "== $name"
  printf 'indexing time (median of %s, into an empty folder): almanac build %.2f s with search, %.2f s without (+%.2f s, +%.0f %%); pagefind %.2f s\n' \
    "$RUNS" "$m_on" "$m_off" "$(echo "$m_on - $m_off" | bc)" "$(echo "100 * ($m_on - $m_off) / $m_off" | bc -l)" "$m_pf"
  sizes "$work/out-on"
  node "$here/compare.js" "$work/out-on" "$queries"
}

compare "fixture (tests/fixtures/search)" "$repo/tests/fixtures/search" "$repo/tests/search/recall.json"
if [ $# -ge 1 ]; then
  compare "corpus ($1)" "$1" "$here/corpus-queries.json"
  node "$repo/bench/search-time.js" "$work/out-on" "$here/corpus-queries.json" | tail -1 | sed 's/^/almanac answer once shards are loaded: /'
fi
