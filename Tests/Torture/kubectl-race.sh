#!/usr/bin/env bash
# Proves "no lost update on either side" between kubectl and a running daemon:
# `kubectl config set-context` is called N times in a row on the kubeconfig that
# `cce-kubeconfigd run` keeps writing, while the CCE simulator issues certificates that live
# LIFETIME seconds, so the daemon renews every cluster every few seconds throughout. A kubectl
# call that finds the lock taken fails at once (kubectl never waits); it is counted and retried,
# as a person would. Then, once the daemon has settled: every kubectl context is present with its
# namespace, every foreign entry of the starting file is present, every managed cluster has its
# contexts and a current (unexpired) certificate, the daemon renewed while kubectl ran, and it
# stops cleanly leaving no lock or temporary file.
#
# usage: Tests/Torture/kubectl-race.sh [CALLS]    default 100; TORTURE_FULL=1 means 500
#   CLUSTERS=5 LIFETIME=6 (seconds)   CCE_KUBECONFIGD=path CCE_SIMULATOR=path (default: the
#   binaries of `swift build --show-bin-path`). Exits non-zero on the first broken invariant.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
calls=${1:-$([ -n "${TORTURE_FULL:-}" ] && echo 500 || echo 100)}
CLUSTERS=${CLUSTERS:-5}
LIFETIME=${LIFETIME:-6}
bin_path=$(swift build --show-bin-path)
BIN=${CCE_KUBECONFIGD:-$bin_path/cce-kubeconfigd}
SIM=${CCE_SIMULATOR:-$bin_path/cce-simulator}
unset KUBECONFIG

work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "kubectl-race: FAIL: $*" >&2; [ -f "$work/daemon.err" ] && tail -5 "$work/daemon.err" >&2; exit 1; }

project=0123456789abcdef0123456789abcdef
python3 - "$work/simulator.json" "$project" "$CLUSTERS" "$LIFETIME" <<'PY'
import json, sys, uuid
path, project, count, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
json.dump({"access_keys": [{"access_key": "AKRACE00000000000001", "secret_key": "SKrace-secret"}],
           "clusters": [{"project_id": project, "cluster_id": str(uuid.UUID(int=i + 1)),
                         "external_endpoint": i % 2 == 0, "certificate_lifetime_seconds": lifetime}
                        for i in range(count)]}, open(path, "w"))
PY
"$SIM" --config "$work/simulator.json" --directory "$work/simulator" >"$work/simulator.out" &
pids+=($!)
for _ in $(seq 300); do grep -q '^ca-file' "$work/simulator.out" 2>/dev/null && break; sleep 0.1; done
api=$(awk '/^api /{print $2}' "$work/simulator.out")
[ -n "$api" ] || fail "the simulator did not start"

mkdir -m 700 "$work/kube"
config=$work/kube/config
cp Tests/Fixtures/kubeconfigs/kubectl-written.yaml "$config"
foreign=$(kubectl config get-contexts -o name --kubeconfig "$config" | sort)
{
  echo "kubeconfig: $config"
  echo "credentials: {default: {type: aksk, access_key: AKRACE00000000000001, secret_key_env: RACE_SK}}"
  echo "defaults: {endpoint: \"$api\", ca_file: \"$work/simulator/ca.pem\", duration_days: 1}"
  echo "clusters:"
  for ((i = 0; i < CLUSTERS; i++)); do
    echo "  - {name: race$i, project_id: $project, cluster_id: $(python3 -c "import uuid; print(uuid.UUID(int=$i + 1))")}"
  done
} >"$work/config.yaml"
chmod 600 "$work/config.yaml"

RACE_SK=SKrace-secret XDG_STATE_HOME=$work/state "$BIN" run --config "$work/config.yaml" --log-level info 2>"$work/daemon.err" &
daemon=$!
pids+=("$daemon")

# Every managed cluster has its contexts and a certificate valid now; prints nothing when so.
managed_problems() {
  "$BIN" list --kubeconfig "$config" --json 2>/dev/null | python3 -c '
import json, sys, datetime
want, now = int(sys.argv[1]), datetime.datetime.now(datetime.timezone.utc)
try:
    clusters = {c["watchName"]: c for c in json.load(sys.stdin)}
except ValueError:
    print("list --json is not readable"); sys.exit()
for i in range(want):
    c = clusters.get(f"race{i}")
    if c is None: print(f"race{i} missing"); continue
    names = [x["name"] for x in c["contexts"]]
    if len(names) != (2 if i % 2 == 0 else 1): print(f"race{i} has contexts {names}")
    after = datetime.datetime.fromisoformat(c.get("clientCertificateNotAfter", "1970-01-01T00:00:00Z").replace("Z", "+00:00"))
    if after <= now: print(f"race{i} certificate expired at {after}")
' "$CLUSTERS" 2>&1 || echo "the check itself failed"
}
for _ in $(seq 600); do
  [ -z "$(managed_problems)" ] && break
  kill -0 "$daemon" 2>/dev/null || fail "the daemon exited"
  sleep 0.1
done
[ -z "$(managed_problems)" ] || fail "the first pass did not complete: $(managed_problems)"
renewals_before=$(grep -c 'certificate refreshed' "$work/daemon.err" || true)

lock_hits=0
start=$(date +%s)
for ((i = 0; i < calls; i++)); do
  for attempt in $(seq 200); do
    if kubectl config set-context "kubectl-$i" --cluster=cn-north-4-staging --user=cn-north-4-staging \
      --namespace="ns-$i" --kubeconfig "$config" >/dev/null 2>"$work/kubectl.err"; then
      break
    fi
    grep -q 'config.lock' "$work/kubectl.err" || fail "kubectl set-context kubectl-$i failed: $(cat "$work/kubectl.err")"
    lock_hits=$((lock_hits + 1))
    [ "$attempt" -lt 200 ] || fail "kubectl-$i found the lock taken 200 times in a row"
    sleep 0.01
  done
done
seconds=$(($(date +%s) - start))
renewals=$(($(grep -c 'certificate refreshed' "$work/daemon.err" || true) - renewals_before))
[ "$renewals" -gt 0 ] || fail "the daemon renewed nothing while kubectl ran ($seconds s)"

# Settle: the daemon restores what kubectl's in-place writes may have undone, and keeps renewing.
settled=""
for _ in $(seq $((LIFETIME * 20 + 100))); do
  problems=$(managed_problems)
  contexts=$(kubectl config get-contexts -o name --kubeconfig "$config" 2>/dev/null | sort || true)
  missing_kubectl=$(comm -23 <(for ((i = 0; i < calls; i++)); do echo "kubectl-$i"; done | sort) <(echo "$contexts"))
  missing_foreign=$(comm -23 <(echo "$foreign") <(echo "$contexts"))
  if [ -z "$problems" ] && [ -z "$missing_kubectl" ] && [ -z "$missing_foreign" ]; then settled=yes; break; fi
  sleep 0.1
done
[ -n "$settled" ] || fail "not settled: ${problems:-} kubectl contexts missing: $(echo ${missing_kubectl:-}) foreign missing: $(echo ${missing_foreign:-})"
for i in 0 $((calls / 2)) $((calls - 1)); do
  ns=$(kubectl config view --kubeconfig "$config" -o jsonpath="{.contexts[?(@.name==\"kubectl-$i\")].context.namespace}")
  [ "$ns" = "ns-$i" ] || fail "context kubectl-$i lost its namespace (got '$ns')"
done

kill -TERM "$daemon"
wait "$daemon" || fail "the daemon did not exit cleanly on SIGTERM"
left=$(ls -A "$work/kube" | grep -vx config || true)
[ -z "$left" ] || fail "left behind: $left"
restores=$(grep -c 'restored managed entries changed outside' "$work/daemon.err" || true)
echo "kubectl-race: $calls set-context calls in ${seconds} s against $CLUSTERS clusters renewed every ~$((LIFETIME * 2 / 3)) s" \
  "($renewals renewals meanwhile): kubectl found the lock taken $lock_hits times (retried);" \
  "the daemon restored its entries after outside writes $restores times; nothing lost; 1 passed, 0 failed"
