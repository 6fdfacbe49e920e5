#!/usr/bin/env bash
# The daemon watching N clusters (default 100) of the CCE simulator: wall time of its first pass,
# then CPU time and resident memory over IDLE seconds (default 300) with nothing due, and then
# its wakeups over WAKE seconds (default 120) counted with strace: every return of a wait that
# can sleep (epoll_wait, FUTEX_WAIT, poll, nanosleep), per thread. Resident memory is split into anonymous memory (the
# heap and stacks: the daemon's own) and file-backed pages (the binary and the Swift runtime's
# shared libraries, shared with every other Swift process). Everything runs on loopback in a
# temporary directory.
#
# usage: Tests/Benchmarks/idle-daemon.sh        CLUSTERS=100 IDLE=300 WAKE=120 environment overrides;
#   BIN_DIR=dir runs cce-kubeconfigd and cce-simulator from dir instead of building them
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CLUSTERS=${CLUSTERS:-100}
IDLE=${IDLE:-300}
WAKE=${WAKE:-120}

if [ -n "${BIN_DIR:-}" ]; then
  bin=$BIN_DIR   # e.g. BIN_DIR=.build-release/shipped after make release: the binaries that ship
else
  swift build -c release --product cce-kubeconfigd >/dev/null
  swift build -c release --product cce-simulator >/dev/null
  bin=$(swift build -c release --show-bin-path)
fi
work=$(mktemp -d)
cleanup() { kill "${daemon:-}" "${simulator:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

. Tests/Benchmarks/simulated-fleet.sh
start_simulated_fleet "$bin/cce-simulator"
simulator=$simulator_pid

start=$(date +%s.%N)
XDG_STATE_HOME="$work/state" "$bin/cce-kubeconfigd" run --config "$work/config.yaml" --log-level warning 2>"$work/daemon.err" &
daemon=$!
until [ "$("$bin/cce-kubeconfigd" list --kubeconfig "$work/kube/config" --json 2>/dev/null | grep -c '"watchName"')" -ge "$CLUSTERS" ]; do
  kill -0 "$daemon" || { cat "$work/daemon.err" >&2; exit 1; }
  sleep 0.1
done
first_pass=$(python3 -c "print(round($(date +%s.%N) - $start, 2))")
sleep 2   # let the last write and its inotify echo settle

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{print ($14 + $15) / t}' "/proc/$daemon/stat"; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$daemon/status"; }
rss_split() { awk '/^(RssAnon|RssFile)/ {printf "%s %s KiB  ", $1, $2}' "/proc/$daemon/status"; awk '/^Pss:/ {printf "Pss: %s KiB", $2}' "/proc/$daemon/smaps_rollup"; }
cpu0=$(cpu); rss0=$(rss)
sleep "$IDLE"
cpu1=$(cpu); rss1=$(rss)

echo "clusters: $CLUSTERS; first pass: ${first_pass}s (fetches and writes, until every cluster is in the kubeconfig)"
echo "idle ${IDLE}s: CPU $(python3 -c "print(round($cpu1 - $cpu0, 2))") s; RSS ${rss0} KiB -> ${rss1} KiB ($(rss_split))"
echo "libraries mapped: $(awk '$6 ~ /\.so/ {print $6}' "/proc/$daemon/maps" | sort -u | xargs -n1 basename | tr '\n' ' ')"

if command -v strace >/dev/null; then
  declare -A names
  for task in /proc/"$daemon"/task/*; do names[$(basename "$task")]=$(cat "$task/comm"); done
  timeout "$WAKE" strace -f -qq -e trace=epoll_wait,epoll_pwait,futex,nanosleep,clock_nanosleep,poll,ppoll \
    -p "$daemon" -o "$work/strace" 2>/dev/null || true
  echo "wakeups in ${WAKE}s (returns from a blocking wait, by thread; threads started meanwhile are numbered):"
  # Each call that can sleep is one wakeup when it returns: epoll_wait and poll with a timeout
  # other than 0, FUTEX_WAIT, the sleeps. (A call interrupted by another thread's line shows no
  # timeout; it is counted.)
  awk '$2 ~ /^(epoll_wait|epoll_pwait|poll|ppoll|nanosleep|clock_nanosleep)\(/ && $0 !~ /, 0\) += / {print $1}
       $2 ~ /^futex\(/ && /FUTEX_WAIT/ {print $1}' "$work/strace" \
    | sort | uniq -c | while read -r count tid; do echo "  ${names[$tid]:-thread $tid}: $count"; done
else
  echo "wakeups: strace is not installed"
fi
