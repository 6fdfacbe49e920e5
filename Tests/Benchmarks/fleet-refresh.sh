#!/usr/bin/env bash
# A fleet refresh (issue 6, part 3; targets: first pass <= 15 s with <= 3 kubeconfig writes):
# 500 clusters in the CCE simulator, every CCE and IAM answer delayed 100 ms (--latency-ms), and
#
#   1. `sync --force` against a cold simulator: it makes each cluster's RSA-2048 client key on
#      that cluster's first request (CCE makes a key per request; the simulator caches one per
#      cluster), so this row is mostly the simulator's key generation on the same 2 cores;
#   2. `sync --force` again, keys made: the client's own cost plus the latency;
#   3. the first pass of `run` (fresh kubeconfig and state, keys made), until `list` shows every
#      cluster in the kubeconfig (checked after each write).
#
# For each: wall time, kubeconfig writes (renames into the file, counted by an inotify watcher,
# Tests/Benchmarks/inotify-watch.c) and peak RSS (/usr/bin/time -v for sync, VmHWM for run).
# Everything runs on loopback in a temporary directory.
#
# usage: Tests/Benchmarks/fleet-refresh.sh         CLUSTERS=500 LATENCY_MS=100 overrides
#   binaries from .build-proof/release (built when missing) or CCE_KUBECONFIGD / CCE_SIMULATOR
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
CLUSTERS=${CLUSTERS:-500}
LATENCY_MS=${LATENCY_MS:-100}
BIN=${CCE_KUBECONFIGD:-.build-proof/release/cce-kubeconfigd}
SIM=${CCE_SIMULATOR:-.build-proof/release/cce-simulator}
[ -x "$BIN" ] || swift build -c release --scratch-path .build-proof --product cce-kubeconfigd
[ -x "$SIM" ] || swift build -c release --scratch-path .build-proof --product cce-simulator

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -o "$work/inotify-watch" Tests/Benchmarks/inotify-watch.c

. Tests/Benchmarks/simulated-fleet.sh
start_simulated_fleet "$SIM" --latency-ms "$LATENCY_MS"
pids+=("$simulator_pid")

fresh() { rm -rf "$work/kube" "$work/state"; mkdir -m 700 "$work/kube"; }
watch() {
  "$work/inotify-watch" "$work/kube" >"$work/events" 2>"$work/watch.err" &
  watcher=$!
  until grep -q watching "$work/watch.err" 2>/dev/null; do sleep 0.05; done
}
writes() { sleep 0.3; kill "$watcher"; wait "$watcher" 2>/dev/null || true; grep -c ' MOVED_TO config$' "$work/events" || true; }
managed() { "$BIN" list --kubeconfig "$work/kube/config" --json 2>/dev/null | grep -c '"watchName"' || true; }
secs() { python3 -c "print(f'{($2 - $1) / 1e9:.2f}')"; }

sync_row() {  # label
  fresh
  watch
  local start end
  start=$(date +%s%N)
  XDG_STATE_HOME=$work/state /usr/bin/time -v -o "$work/time.txt" \
    "$BIN" sync --force --config "$work/config.yaml" >"$work/sync.out" 2>&1 \
    || { cat "$work/sync.out" >&2; exit 1; }
  end=$(date +%s%N)
  local count
  count=$(writes)
  [ "$(managed)" -eq "$CLUSTERS" ] || { echo "$1: not every cluster is in the kubeconfig" >&2; exit 1; }
  printf '  %-40s %7s s  %3s writes  peak RSS %s MiB\n' "$1" "$(secs "$start" "$end")" "$count" \
    "$(awk '/Maximum resident/ { printf "%.0f", $NF / 1024 }' "$work/time.txt")"
}

echo "fleet: $CLUSTERS clusters, ${LATENCY_MS} ms added to every CCE/IAM answer, $(nproc) CPUs, $(date -u +%Y-%m-%d)"
sync_row "sync --force, cold simulator (key gen)"
sync_row "sync --force, keys made"

fresh
watch
start=$(date +%s%N)
XDG_STATE_HOME=$work/state "$BIN" run --config "$work/config.yaml" --log-level warning 2>"$work/daemon.err" &
daemon=$!
pids+=("$daemon")
# `list` reads the whole file, so it runs only after a new write rather than on a timer: the
# measurement must not take CPU from the daemon on 2 cores.
seen=0
until [ "$seen" -gt 0 ] && [ "$(managed)" -ge "$CLUSTERS" ]; do
  kill -0 "$daemon" || { cat "$work/daemon.err" >&2; exit 1; }
  until [ "$(grep -c ' MOVED_TO config$' "$work/events")" -gt "$seen" ]; do kill -0 "$daemon" || { cat "$work/daemon.err" >&2; exit 1; }; sleep 0.02; done
  seen=$(grep -c ' MOVED_TO config$' "$work/events")
done
end=$(date +%s%N)
count=$(writes)
hwm=$(awk '/^VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$daemon/status")
kill -TERM "$daemon"
wait "$daemon" || { echo "run did not exit cleanly" >&2; exit 1; }
printf '  %-40s %7s s  %3s writes  peak RSS %s MiB\n' "run, first pass (keys made)" "$(secs "$start" "$end")" "$count" "$hwm"
