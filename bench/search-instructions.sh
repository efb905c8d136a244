#!/usr/bin/env bash
# What the search index adds to a build, in instructions:
#   bash bench/search-instructions.sh [PAGES]
# Wall time on a shared machine moves by a tenth from one series to the
# next; the instructions a build executes do not. Generates a corpus of
# PAGES (2000) with ../shared/bench/gen_corpus.py and runs one first build
# into memory with search off and one with it on under valgrind's
# callgrind (installed with apt-get when missing), and prints both counts
# and the difference. `ALMANAC=path` measures another binary.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
PAGES="${1:-2000}"
if ! command -v valgrind >/dev/null; then
  apt-get install -y valgrind >/dev/null
fi
if [ -z "${ALMANAC:-}" ]; then
  (cd "$repo" && cargo build --release --quiet)
fi
almanac="${ALMANAC:-$repo/target/release/almanac}"
work="$(mktemp -d)"
out="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
trap 'rm -rf "$work" "$out"' EXIT
python3 "$repo/../shared/bench/gen_corpus.py" --pages "$PAGES" --out "$work/off" --flavor almanac >/dev/null
cp -r "$work/off" "$work/on"
printf '\n[search]\nenabled = true\n' >>"$work/on/almanac.toml"

count() {
  rm -rf "$out/site"
  valgrind --tool=callgrind --callgrind-out-file="$work/$1.cg" \
    "$almanac" build -q --root "$work/$1" -o "$out/site/out" >/dev/null 2>&1
  # Callgrind's file ends with the total of the event it counted (Ir).
  awk '/^(summary|totals):/ {print $2}' "$work/$1.cg" | tail -1
}
off=$(count off)
on=$(count on)
printf '%s pages: search off %.2f G instructions, on %.2f G: +%.1f %%\n' "$PAGES" \
  "$(echo "$off / 10^9" | bc -l)" "$(echo "$on / 10^9" | bc -l)" \
  "$(echo "100 * ($on - $off) / $off" | bc -l)"
