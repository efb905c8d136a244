#!/usr/bin/env bash
# Times full builds of generated knowledge bases against the floor
# (read + Markdown + write, nothing else) measured in the same run.
# Usage: bench/run.sh [PAGES...]   (default: 1000 10000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
shared="${SHARED:-$repo/../shared/bench}"
runs="${RUNS:-5}"
work="${WORK:-/tmp/almanac-bench}"
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000)

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
cargo build --release --quiet --manifest-path "$shared/floor/Cargo.toml"
almanac="$repo/target/release/almanac"
floor="$shared/floor/target/release/ssg-floor"
mkdir -p "$work"

source "$here/lib.sh"

printf '%-8s %-10s %10s %10s %8s\n' pages tool median_s min_s x_floor
for n in "${sizes[@]}"; do
  corpus="$work/corpus-$n"
  [ -d "$corpus/content" ] || python3 "$shared/gen_corpus.py" --pages "$n" --out "$corpus" --flavor almanac --clean >/dev/null
  "$almanac" build --force --root "$corpus" -o "$work/out-$n" >/dev/null 2>&1   # warm-up
  "$floor" "$corpus/content" "$work/floor-$n" >/dev/null 2>&1
  a=(); f=()
  for _ in $(seq "$runs"); do   # alternate, so both see the same noise
    a+=("$(seconds "$almanac" build --force --root "$corpus" -o "$work/out-$n")")
    f+=("$(seconds "$floor" "$corpus/content" "$work/floor-$n")")
  done
  am=$(printf '%s\n' "${a[@]}" | median); fm=$(printf '%s\n' "${f[@]}" | median)
  amin=$(printf '%s\n' "${a[@]}" | sort -n | head -1); fmin=$(printf '%s\n' "${f[@]}" | sort -n | head -1)
  printf '%-8s %-10s %10.3f %10.3f %8.1f\n' "$n" almanac "$am" "$amin" "$(echo "$am / $fm" | bc -l)"
  printf '%-8s %-10s %10.3f %10.3f %8.1f\n' "$n" floor "$fm" "$fmin" 1
  "$almanac" build --force --root "$corpus" -o "$work/out-$n" -v 2>/dev/null | sed 's/^/    /'
done
