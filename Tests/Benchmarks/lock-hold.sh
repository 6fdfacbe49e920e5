#!/usr/bin/env bash
# How long cce-kubeconfigd holds kubectl's lock (<path>.lock) per write (issue 6, part 2; target
# p99 <= 20 ms), on a 1,000-entry kubeconfig: 200 writes, alternately `import` and `remove` of one
# cluster, each timed from the lock's creation to its deletion by an inotify watcher
# (Tests/Benchmarks/inotify-watch.c) running at a real-time priority. For scale, kubectl's own
# hold for `config set-context` on the same file is measured the same way.
#
# usage: Tests/Benchmarks/lock-hold.sh       WRITES=200 ENTRIES=1000 KUBECTL_WRITES=20 overrides
#   CCE_KUBECONFIGD=path  (default: .build-proof/release/cce-kubeconfigd, built when missing)
# Needs root for chrt (without it the watcher runs at normal priority and says so), gcc, kubectl.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
WRITES=${WRITES:-200}
ENTRIES=${ENTRIES:-1000}
KUBECTL_WRITES=${KUBECTL_WRITES:-20}
BIN=${CCE_KUBECONFIGD:-.build-proof/release/cce-kubeconfigd}
[ -x "$BIN" ] || swift build -c release --scratch-path .build-proof --product cce-kubeconfigd
unset KUBECONFIG

work=$(mktemp -d)
watcher=""
cleanup() { [ -z "$watcher" ] || kill "$watcher" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -o "$work/inotify-watch" Tests/Benchmarks/inotify-watch.c
mkdir "$work/kube"
config=$work/kube/config
python3 Tests/Benchmarks/generate-kubeconfig.py "$ENTRIES" "$config"

watch() {  # start the watcher on the kubeconfig's directory, events into $1
  local priority=(chrt -f 50)
  chrt -f 50 true 2>/dev/null || { priority=(); echo "(no real-time priority: stamps may trail)" >&2; }
  "${priority[@]}" "$work/inotify-watch" "$work/kube" >"$1" 2>"$work/watch.err" &
  watcher=$!
  until grep -q watching "$work/watch.err" 2>/dev/null; do sleep 0.05; done
}
unwatch() { sleep 0.2; kill "$watcher"; wait "$watcher" 2>/dev/null || true; watcher=""; }

# Hold times in ms, one per CREATE..DELETE pair of config.lock, then the distribution.
holds() { awk '$3 == "config.lock" && $2 == "CREATE" { t = $1 }
               $3 == "config.lock" && $2 == "DELETE" && t { printf "%.3f\n", ($1 - t) / 1e6; t = 0 }' "$1"; }
summary() {  # label file
  holds "$2" | sort -n | awk -v label="$1" '{ a[NR] = $1 }
    END { if (NR == 0) { print label ": no lock seen"; exit 1 }
          i50 = int(NR * 0.50 + 0.999); i99 = int(NR * 0.99 + 0.999)
          printf "%s: %d locks; p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", label, NR, a[i50], a[i99], a[NR] }'
}

watch "$work/daemon.events"
for ((i = 0; i < WRITES; i++)); do
  if ((i % 2 == 0)); then
    "$BIN" import config/examples/cce-kubeconfig.json --name bench --kubeconfig "$config" >/dev/null
  else
    "$BIN" remove bench --kubeconfig "$config" >/dev/null
  fi
done
unwatch
renames=$(grep -c ' MOVED_TO config$' "$work/daemon.events" || true)

watch "$work/kubectl.events"
for ((i = 0; i < KUBECTL_WRITES; i++)); do
  kubectl config set-context "bench-$i" --cluster=cluster-0001 --user=user-0001 --kubeconfig "$config" >/dev/null
done
unwatch

echo "lock hold on a ${ENTRIES}-entry kubeconfig ($(($(wc -c <"$config") / 1000)) kB), $(nproc) CPUs:"
summary "  cce-kubeconfigd import/remove, $WRITES writes ($renames renames)" "$work/daemon.events"
summary "  kubectl config set-context, $KUBECTL_WRITES writes" "$work/kubectl.events"
