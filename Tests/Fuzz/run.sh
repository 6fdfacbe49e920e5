#!/usr/bin/env bash
# Fuzzes the YAML layer and the merge with libFuzzer, SECONDS each (default 60), and fails on any
# crash or broken invariant (Sources/FuzzHarness says which invariants; libFuzzer saves the input
# as .build-fuzz/crashes/<target>-crash-<hash>; replay it with a plain build:
# `swift run cce-fuzz yaml|merge FILE`). The seeds in Tests/Fuzz/corpus/<target> start each run;
# what libFuzzer learns is kept in .build-fuzz/corpus/<target>, so later runs go on from there.
#
# usage: Tests/Fuzz/run.sh [SECONDS]        TARGETS="yaml merge", FUZZ_CONFIG=debug|release
# FUZZ_CONFIG=debug (the default) builds fastest, as CI wants; use release for long runs by hand.
# The build instruments every Swift module with -sanitize=fuzzer,address and links with lld (ld.gold
# fails on libFuzzer's second main); a plain `swift build` of the package is unaffected.
# Prints one stats line per target: executions, executions per second, coverage, features, peak RSS.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
seconds=${1:-60}
TARGETS=${TARGETS:-yaml merge}
FUZZ_CONFIG=${FUZZ_CONFIG:-debug}
scratch=.build-fuzz

toolset=$(mktemp)
trap 'rm -f "$toolset"' EXIT
echo '{"schemaVersion": "1.0", "swiftCompiler": {"extraCLIOptions": ["-use-ld=lld"]}}' >"$toolset"
mkdir -p "$scratch"
swift build --scratch-path "$scratch" -c "$FUZZ_CONFIG" --product cce-fuzz --toolset "$toolset" \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING >"$scratch/build.log" 2>&1 \
  || { tail -30 "$scratch/build.log" >&2; echo "fuzz: the build failed (full log: $scratch/build.log)" >&2; exit 1; }
fuzzer=$scratch/$FUZZ_CONFIG/cce-fuzz

status=0
for target in $TARGETS; do
  mkdir -p "$scratch/corpus/$target" "$scratch/crashes"
  log=$scratch/fuzz-$target.log
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: the machine has 24 GiB.
  # -detect_leaks=0: the Swift runtime's caches (metadata, lazy globals) are allocated once and
  # never freed, which LeakSanitizer reports as leaks on the first input. SWIFT_BACKTRACE off:
  # the runtime's crash handler reads stack memory that AddressSanitizer then reports instead.
  if ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no CCE_FUZZ_TARGET=$target "$fuzzer" "$scratch/corpus/$target" "Tests/Fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -detect_leaks=0 -print_final_stats=1 \
    -artifact_prefix="$scratch/crashes/$target-" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
    grep -E 'Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY|Test unit written' "$log" >&2 || tail -20 "$log" >&2
  fi
  awk -v target="$target" -v result="$result" -v seconds="$seconds" '
    /(INITED|NEW|REDUCE|pulse|DONE) +cov:/ { for (i = 1; i <= NF; i++) { if ($i == "cov:") cov = $(i + 1); if ($i == "ft:") ft = $(i + 1) } }
    /^stat::number_of_executed_units:/ { runs = $2 }
    /^stat::average_exec_per_sec:/ { rate = $2 }
    /^stat::peak_rss_mb:/ { rss = $2 }
    END { printf "fuzz %s: %s; %ss, %s executions, %s/s, coverage %s edges, %s features, peak RSS %s MB\n",
          target, result, seconds, runs, rate, cov, ft, rss }' "$log"
done
exit "$status"
