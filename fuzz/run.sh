#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) from its seed corpus.
# Needs the nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
# New inputs go to fuzz/corpus/<target>/, crashes to fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
for target in front_matter markdown site search_tokens; do
  echo "== $target, ${seconds}s"
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 2>&1 | grep -E '^#[0-9]+.*DONE|^Done|stat::number_of_executed_units|SUMMARY|ERROR' || true
done
