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
# does). Prints, for each, the median wall time off and on, the median of
# the pairs' ratios, and the same of processor time (user + system).
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

# One line per build kind: median wall time off and on, the median of
# each pair's ratio (the two builds of a pair run back to back, so they
# share the machine's state of the moment: the steadier figure on a busy
# machine) and the same of processor time, from a file of pairs (see
# `pair`).
report() {
  local what=$1 file=$2
  of() { awk "{ print $1 }" "$file" | median; }
  awk -v what="$what" -v wf="$(of '$1')" -v wn="$(of '$3')" -v pr="$(of '$3 / $1')" \
    -v cf="$(of '$2')" -v cn="$(of '$4')" -v pc="$(of '$4 / $2')" 'BEGIN {
      printf "%-8s wall: off %.2f s, on %.2f s (%+.1f %%); pairs %+.1f %% | cpu: off %.2f s, on %.2f s, pairs %+.1f %%\n", what, wf, wn, 100 * (wn - wf) / wf, 100 * (pr - 1), cf, cn, 100 * (pc - 1)
    }'
}

# One line per pair: wall off, cpu off, wall on, cpu on.
results="$work/results"
mkdir -p "$results"
pair() {
  local kind=$1 off=$2 on=$3
  echo "$off $on" >>"$results/$kind"
}

for i in $(seq "$RUNS"); do
  # Alternate which goes first: the second of a pair finds warmer caches.
  order="off on"
  if [ $((i % 2)) -eq 0 ]; then order="on off"; fi
  declare -A t=()
  # Each output in a folder of its own, with its .almanac-cache beside it:
  # a fresh build has neither. `sync` first, so no build waits on the
  # writing back of the one before.
  for s in $order; do
    rm -rf "$work/o-$s"
    sync
    t[$s]=$(timed "$almanac" build --root "$work/$s" -o "$work/o-$s/out")
  done
  pair fresh "${t[off]}" "${t[on]}"
  if [ -n "$memory" ]; then
    for s in $order; do
      rm -rf "$memory/o-$s"
      # The disk builds' writing back would otherwise go on beside it.
      sync
      t[$s]=$(timed "$almanac" build --root "$work/$s" -o "$memory/o-$s/out")
    done
    pair memory "${t[off]}" "${t[on]}"
  fi
  # A rebuild with nothing changed: the second build after a fresh one
  # still writes every file (its staging folder starts empty), the third
  # finds them all in place.
  for s in $order; do
    "$almanac" build --root "$work/$s" -o "$work/o-$s/out" >/dev/null 2>&1
    sync
    t[$s]=$(timed "$almanac" build --root "$work/$s" -o "$work/o-$s/out")
  done
  pair rebuild "${t[off]}" "${t[on]}"
done
echo "$PAGES pages, $RUNS pairs:"
report fresh "$results/fresh"
if [ -n "$memory" ]; then
  report memory "$results/memory"
fi
report rebuild "$results/rebuild"
"$almanac" build --root "$work/on" -o "$work/o-on/out" -v 2>&1 | sed -n '/^  load/,$p' | sed 's/^/  (search on) /'
