#!/usr/bin/env bash
# What the search index adds to a build:
#   bash bench/search-cost.sh [PAGES] [RUNS]
# Generates a corpus of PAGES (10000) with ../shared/bench/gen_corpus.py and
# builds it with search off and on, alternating so both see the same machine
# noise, RUNS (7) times each: once into an empty folder (a CI build) and once
# over the previous output (a rebuild, files with unchanged bytes not
# written again). Prints the median wall time of each and the difference.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
PAGES="${1:-10000}"
RUNS="${2:-7}"
(cd "$repo" && cargo build --release --quiet)
almanac="$repo/target/release/almanac"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$repo/../shared/bench/gen_corpus.py" --pages "$PAGES" --out "$work/off" --flavor almanac >/dev/null
cp -r "$work/off" "$work/on"
printf '\n[search]\nenabled = true\n' >>"$work/on/almanac.toml"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }
seconds() { local s; s=$(now); "$@" >/dev/null 2>&1; echo "$(now) - $s" | bc; }
report() {
  local what=$1 off=$2 on=$3
  printf '%-8s search off %.2f s, on %.2f s: +%.2f s, +%.1f %%\n' "$what" "$off" "$on" \
    "$(echo "$on - $off" | bc)" "$(echo "100 * ($on - $off) / $off" | bc -l)"
}

declare -a fresh_on fresh_off again_on again_off
for i in $(seq "$RUNS"); do
  # Alternate which goes first: the second of a pair finds warmer caches.
  order="off on"
  if [ $((i % 2)) -eq 0 ]; then order="on off"; fi
  for s in $order; do
    rm -rf "$work/out-$s"
    t=$(seconds "$almanac" build --root "$work/$s" -o "$work/out-$s")
    if [ "$s" = on ]; then fresh_on+=("$t"); else fresh_off+=("$t"); fi
  done
  for s in $order; do
    t=$(seconds "$almanac" build --root "$work/$s" -o "$work/out-$s")
    if [ "$s" = on ]; then again_on+=("$t"); else again_off+=("$t"); fi
  done
done
echo "$PAGES pages, median of $RUNS:"
report fresh "$(printf '%s\n' "${fresh_off[@]}" | median)" "$(printf '%s\n' "${fresh_on[@]}" | median)"
report rebuild "$(printf '%s\n' "${again_off[@]}" | median)" "$(printf '%s\n' "${again_on[@]}" | median)"
"$almanac" build --root "$work/on" -o "$work/out-on" -v 2>&1 | sed -n '/^  load/,$p' | sed 's/^/  (search on) /'
