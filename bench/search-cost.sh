#!/usr/bin/env bash
# What the search index adds to a build:
#   bash bench/search-cost.sh [PAGES] [RUNS]
# Generates a corpus of PAGES (10000) with ../shared/bench/gen_corpus.py and
# builds it with search off and on, alternating so both see the same machine
# noise, RUNS (5) times each: into an empty folder (a CI build: on a slow
# disk this is mostly writing), into an empty folder in memory (/dev/shm,
# when there is one: the same build without the disk, so what the CPU
# pays) and over the previous output with nothing changed (files with
# unchanged bytes are not written again: this is the work almanac itself
# does). Prints the median wall time of each and the difference.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
PAGES="${1:-10000}"
RUNS="${2:-5}"
# ALMANAC=path times another binary (an older build, say).
if [ -z "${ALMANAC:-}" ]; then
  (cd "$repo" && cargo build --release --quiet)
fi
almanac="${ALMANAC:-$repo/target/release/almanac}"
work="$(mktemp -d)"
memory=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then memory="$(mktemp -d -p /dev/shm)"; fi
trap 'rm -rf "$work" ${memory:+"$memory"}' EXIT
python3 "$repo/../shared/bench/gen_corpus.py" --pages "$PAGES" --out "$work/off" --flavor almanac >/dev/null
cp -r "$work/off" "$work/on"
printf '\n[search]\nenabled = true\n' >>"$work/on/almanac.toml"

source "$here/lib.sh"
report() {
  local what=$1 off=$2 on=$3
  printf '%-8s search off %.2f s, on %.2f s: +%.2f s, +%.1f %%\n' "$what" "$off" "$on" \
    "$(echo "$on - $off" | bc)" "$(echo "100 * ($on - $off) / $off" | bc -l)"
}

declare -a fresh_on fresh_off again_on again_off memory_on memory_off
for i in $(seq "$RUNS"); do
  # Alternate which goes first: the second of a pair finds warmer caches.
  order="off on"
  if [ $((i % 2)) -eq 0 ]; then order="on off"; fi
  # Each output in a folder of its own, with its .almanac-cache beside it:
  # a fresh build has neither. `sync` first, so no build waits on the
  # writing back of the one before.
  for s in $order; do
    rm -rf "$work/o-$s"
    sync
    t=$(seconds "$almanac" build --root "$work/$s" -o "$work/o-$s/out")
    if [ "$s" = on ]; then fresh_on+=("$t"); else fresh_off+=("$t"); fi
  done
  if [ -n "$memory" ]; then
    for s in $order; do
      rm -rf "$memory/o-$s"
      t=$(seconds "$almanac" build --root "$work/$s" -o "$memory/o-$s/out")
      if [ "$s" = on ]; then memory_on+=("$t"); else memory_off+=("$t"); fi
    done
  fi
  # A rebuild with nothing changed: the second build after a fresh one
  # still writes every file (its staging folder starts empty), the third
  # finds them all in place.
  for s in $order; do
    "$almanac" build --root "$work/$s" -o "$work/o-$s/out" >/dev/null 2>&1
    sync
    t=$(seconds "$almanac" build --root "$work/$s" -o "$work/o-$s/out")
    if [ "$s" = on ]; then again_on+=("$t"); else again_off+=("$t"); fi
  done
done
echo "$PAGES pages, median of $RUNS:"
report fresh "$(printf '%s\n' "${fresh_off[@]}" | median)" "$(printf '%s\n' "${fresh_on[@]}" | median)"
if [ -n "$memory" ]; then
  report memory "$(printf '%s\n' "${memory_off[@]}" | median)" "$(printf '%s\n' "${memory_on[@]}" | median)"
fi
report rebuild "$(printf '%s\n' "${again_off[@]}" | median)" "$(printf '%s\n' "${again_on[@]}" | median)"
"$almanac" build --root "$work/on" -o "$work/o-on/out" -v 2>&1 | sed -n '/^  load/,$p' | sed 's/^/  (search on) /'
