#!/usr/bin/env bash
# The first pass of a fleet against the gateway's per-user throttle: the CCE simulator with
# $CLUSTERS named clusters (default 200) in one project (region cn-north-4), limiting every user
# to $LIMIT certificate calls per $WINDOW seconds (default 10 per 60, what users report for
# Huawei's gateway), and a command run against it, timed; then the simulator's counters.
#
#   Tests/Benchmarks/throttle.sh [-- COMMAND [ARGS...]]
#
# COMMAND runs with these variables set (the simulator stays up until it exits):
#   SIM_API, SIM_IAM, SIM_CA_FILE, SIM_CONTROL   the simulator's endpoints and CA file
#   SIM_CONFIG   a watch list for the fleet by console name (credentials "default", AK/SK with
#                the secret in $BENCH_SK), written for the name-based config of issue 11
#   SIM_PROJECT, SIM_REGION, BENCH_AK, BENCH_SK, BENCH_TOKEN, CLUSTERS
#   SIM_WORK     a scratch directory, removed afterwards
# e.g. Tests/Benchmarks/throttle.sh -- sh -c '"$DAEMON" sync --config "$SIM_CONFIG"'
# Without a command it probes the throttle with curl: LIMIT+2 calls, of which 2 must get 429.
#
# Prints: the command's wall time, the ideal time (CLUSTERS/LIMIT windows, less one: the first
# window's calls go at once), certificate calls made, 429s served and their share.
# Environment: CLUSTERS, LIMIT, WINDOW, SIMULATOR (default: the release build's cce-simulator).
set -euo pipefail
cd "$(dirname "$0")/../.."

CLUSTERS=${CLUSTERS:-200}
LIMIT=${LIMIT:-10}
WINDOW=${WINDOW:-60}
if [ -z "${SIMULATOR:-}" ]; then
  swift build -c release --product cce-simulator >/dev/null
  SIMULATOR="$(swift build -c release --show-bin-path)/cce-simulator"
fi
[ "${1:-}" = "--" ] && shift

export CLUSTERS SIM_WORK SIM_API SIM_IAM SIM_CA_FILE SIM_CONTROL SIM_CONFIG
export SIM_PROJECT=0123456789abcdef0123456789abcdef SIM_REGION=cn-north-4
export BENCH_AK=AKBENCH0000000000001 BENCH_SK=SKbench-secret BENCH_TOKEN=MIIbench-static-token
SIM_WORK=$(mktemp -d)
simulator_pid=
cleanup() {
  if [ -n "$simulator_pid" ]; then
    kill "$simulator_pid" 2>/dev/null || true
    wait "$simulator_pid" 2>/dev/null || true
  fi
  rm -rf "$SIM_WORK"
}
trap cleanup EXIT

python3 - "$SIM_WORK/simulator.json" "$SIM_PROJECT" "$CLUSTERS" "$BENCH_AK" "$BENCH_SK" "$BENCH_TOKEN" <<'PY'
import json, sys, uuid
path, project, count, ak, sk, token = sys.argv[1], sys.argv[2], int(sys.argv[3]), *sys.argv[4:]
json.dump({
    "access_keys": [{"access_key": ak, "secret_key": sk}],
    "static_tokens": [{"token": token}],
    "projects": [{"id": project, "name": "cn-north-4"}],
    "clusters": [{"project_id": project, "cluster_id": str(uuid.UUID(int=i + 1)), "name": f"c{i:03d}"} for i in range(count)],
}, open(path, "w"))
PY

"$SIMULATOR" --config "$SIM_WORK/simulator.json" --directory "$SIM_WORK/simulator" \
  --throttle "$LIMIT/$WINDOW" --control >"$SIM_WORK/simulator.out" &
simulator_pid=$!
for _ in $(seq 600); do grep -q '^control' "$SIM_WORK/simulator.out" 2>/dev/null && break; sleep 0.1; done
SIM_API=$(awk '/^api /{print $2}' "$SIM_WORK/simulator.out")
SIM_IAM=$(awk '/^iam /{print $2}' "$SIM_WORK/simulator.out")
SIM_CA_FILE=$(awk '/^ca-file /{print $2}' "$SIM_WORK/simulator.out")
SIM_CONTROL=$(awk '/^control /{print $2}' "$SIM_WORK/simulator.out")
# The region's IAM endpoint, as Huawei's SDK reads it: the project is found by the region's name.
export HUAWEICLOUD_SDK_REGION_IAM_CN_NORTH_4=$SIM_IAM
[ -n "$SIM_CONTROL" ] || { echo "the simulator did not start:" >&2; cat "$SIM_WORK/simulator.out" >&2; exit 1; }

SIM_CONFIG=$SIM_WORK/config.yaml
{
  echo "kubeconfig: $SIM_WORK/kube/config"
  echo "credentials: {default: {type: aksk, access_key: $BENCH_AK, secret_key_env: BENCH_SK}}"
  echo "defaults: {region: $SIM_REGION, endpoint: \"$SIM_API\", ca_file: \"$SIM_CA_FILE\", duration_days: 30}"
  echo "clusters:"
  for i in $(seq 0 $((CLUSTERS - 1))); do printf '  - {name: c%03d, cluster: c%03d}\n' "$i" "$i"; done
} >"$SIM_CONFIG"
chmod 600 "$SIM_CONFIG"

probe() {
  local code ids
  ids=$(python3 -c "import uuid; [print(uuid.UUID(int=i + 1)) for i in range($LIMIT + 2)]")
  for id in $ids; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$SIM_CA_FILE" -X POST \
      -H "X-Auth-Token: $BENCH_TOKEN" -H 'Content-Type: application/json' -d '{"duration": 1}' \
      "$SIM_API/api/v3/projects/$SIM_PROJECT/clusters/$id/clustercert")
    printf '%s ' "$code"
  done
  echo
}

start=$(date +%s.%N)
if [ $# -gt 0 ]; then "$@"; else probe; fi
end=$(date +%s.%N)

counters=$(curl -s "$SIM_CONTROL/counters")
python3 - "$start" "$end" "$CLUSTERS" "$LIMIT" "$WINDOW" "$counters" <<'PY'
import json, sys
start, end, clusters, limit, window = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
counters = json.loads(sys.argv[6])
calls = sum(counters["certificate_requests"].values())
throttled = counters["throttled"]
ideal = max(0, (clusters + limit - 1) // limit - 1) * window
share = 100 * throttled / calls if calls else 0
print(f"wall {end - start:.1f} s, ideal {ideal} s ({clusters} clusters at {limit} per {window} s), "
      f"certificate calls {calls}, 429s {throttled} ({share:.1f} %)")
PY
