# Sourced by the benchmarks that run the daemon against many simulated clusters (idle-daemon.sh,
# fleet-refresh.sh). start_simulated_fleet SIMULATOR [simulator options...] starts the CCE
# simulator with $CLUSTERS clusters under $work, on loopback, and writes the watch list
# $work/config.yaml for them: AK/SK credentials whose secret key is $BENCH_SK (exported here),
# 30-day certificates, the kubeconfig $work/kube/config. It sets simulator_pid and api. With
# ACCESS_KEY_ENV=1 the access key id is read from $BENCH_AK too (the exec plugin then checks
# the variable's digest on every call).

export BENCH_AK=AKBENCH0000000000001 BENCH_SK=SKbench-secret

start_simulated_fleet() {
  local simulator=$1
  shift
  local project=0123456789abcdef0123456789abcdef ids n=0
  ids=$(python3 -c "import uuid; [print(uuid.UUID(int=i + 1)) for i in range($CLUSTERS)]")
  python3 - "$work/simulator.json" "$project" $ids <<'PY'
import json, sys
path, project, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
json.dump({"access_keys": [{"access_key": "AKBENCH0000000000001", "secret_key": "SKbench-secret"}],
           "clusters": [{"project_id": project, "cluster_id": i} for i in ids]}, open(path, "w"))
PY
  "$simulator" --config "$work/simulator.json" --directory "$work/simulator" "$@" >"$work/simulator.out" &
  simulator_pid=$!
  for _ in $(seq 300); do grep -q '^ca-file' "$work/simulator.out" 2>/dev/null && break; sleep 0.1; done
  api=$(awk '/^api /{print $2}' "$work/simulator.out")
  [ -n "$api" ] || { echo "the simulator did not start:" >&2; cat "$work/simulator.out" >&2; return 1; }
  local access_key="access_key: $BENCH_AK"
  [ -z "${ACCESS_KEY_ENV:-}" ] || access_key="access_key_env: BENCH_AK"
  {
    echo "kubeconfig: $work/kube/config"
    echo "credentials: {default: {type: aksk, $access_key, secret_key_env: BENCH_SK}}"
    echo "defaults: {endpoint: \"$api\", ca_file: \"$work/simulator/ca.pem\", duration_days: 30}"
    echo "clusters:"
    for id in $ids; do echo "  - {name: c$n, project_id: $project, cluster_id: $id}"; n=$((n + 1)); done
  } >"$work/config.yaml"
  chmod 600 "$work/config.yaml"
}
