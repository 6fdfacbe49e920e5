#!/usr/bin/env bash
# Proves that `kill -9` at any moment of a write leaves the kubeconfig complete: after
# every kill the file is byte for byte one of the two complete versions (the kubectl-written
# fixture with cluster `prod` from the first CCE answer, or with `prod` renewed), so it parses,
# holds every foreign entry and never a partial managed entry; kubectl loads it (checked every
# 25 kills and at the end); and once a last import has run, no temporary file and no lock is left.
# The killed imports alternate between the two answers, so each one really rewrites the file.
# (Tests/CommandLineTests/AtomicityTests runs the same idea 200 times inside `swift test`.)
#
# usage: Tests/Torture/kill9.sh [ITERATIONS]     default 100; TORTURE_FULL=1 means 1,000
#   CCE_KUBECONFIGD=path   the binary (default: `swift build --show-bin-path`/cce-kubeconfigd)
# Exits non-zero on the first broken invariant.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
iterations=${1:-$([ -n "${TORTURE_FULL:-}" ] && echo 1000 || echo 100)}
BIN=${CCE_KUBECONFIGD:-$(swift build --show-bin-path)/cce-kubeconfigd}
FIRST=config/examples/cce-kubeconfig.json
RENEWED=Tests/Fixtures/cce/renewed.json
unset KUBECONFIG

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "kill9: FAIL: $*" >&2; exit 1; }
import() { "$BIN" import "$1" --name prod --kubeconfig "$2" >/dev/null; }

# The two complete versions, made by uninterrupted imports in a directory of their own.
mkdir "$work/versions" "$work/kube"
cp Tests/Fixtures/kubeconfigs/kubectl-written.yaml "$work/versions/config"
import "$FIRST" "$work/versions/config" && cp "$work/versions/config" "$work/first"
start=$(date +%s%N)
import "$RENEWED" "$work/versions/config" && cp "$work/versions/config" "$work/renewed"
import_ms=$((($(date +%s%N) - start) / 1000000))
cmp -s "$work/first" "$work/renewed" && fail "the two versions are the same"
foreign=$(kubectl config get-contexts -o name --kubeconfig Tests/Fixtures/kubeconfigs/kubectl-written.yaml | sort)

# Kills land anywhere in 0 .. 1.25 x one import (at least 40 ms), so every phase is hit.
window=$((import_ms * 5 / 4 > 40 ? import_ms * 5 / 4 : 40))
config=$work/kube/config
cp "$work/first" "$config"
killed=0 finished=0 locks_left=0 temps_left=0
for ((i = 0; i < iterations; i++)); do
  answer=$FIRST
  ((i % 2 == 0)) && answer=$RENEWED
  "$BIN" import "$answer" --name prod --kubeconfig "$config" >/dev/null 2>"$work/stderr" &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % window)))" 2>/dev/null || sleep "$((RANDOM % window / 1000))"
  kill -9 "$pid" 2>/dev/null || true
  status=0
  wait "$pid" 2>/dev/null || status=$?
  if [ "$status" -eq 137 ]; then
    killed=$((killed + 1))
  elif [ "$status" -eq 0 ]; then
    finished=$((finished + 1))
  else
    fail "iteration $i: import failed with status $status: $(cat "$work/stderr")"
  fi
  cmp -s "$config" "$work/first" || cmp -s "$config" "$work/renewed" \
    || fail "iteration $i: the kubeconfig is neither complete version"
  [ -e "$config.lock" ] && grep -q "pid=$pid " "$config.lock" 2>/dev/null && locks_left=$((locks_left + 1))
  [ -e "$config.lock" ] && [ ! -s "$config.lock" ] && fail "iteration $i: an empty lock (kubectl's kind) was left"
  temps_left=$((temps_left + $(find "$work/kube" -name ".config.cce-kubeconfigd-$pid-*" | wc -l)))
  if ((i % 25 == 24)); then
    now=$(kubectl config get-contexts -o name --kubeconfig "$config") || fail "iteration $i: kubectl cannot load the file"
    missing=$(comm -23 <(echo "$foreign") <(sort <<<"$now"))
    [ -z "$missing" ] || fail "iteration $i: foreign contexts missing: $missing"
  fi
done

# The next run cleans up after the killed ones: a lock whose process is gone, and temporary files.
import "$FIRST" "$config" || fail "the import after the kills failed"
cmp -s "$config" "$work/first" || fail "the import after the kills did not give the first version"
kubectl config view --kubeconfig "$config" >/dev/null || fail "kubectl cannot load the final file"
left=$(ls -A "$work/kube" | grep -vx config || true)
[ -z "$left" ] || fail "left behind: $left"
echo "kill9: $iterations imports, killed within ${window} ms: $killed killed, $finished finished;" \
  "a kill left its lock $locks_left times and temporary files $temps_left times; all cleaned up; 1 passed, 0 failed"
