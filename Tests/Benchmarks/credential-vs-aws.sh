#!/usr/bin/env bash
# `cce-kubeconfigd credential N` (the exec plugin kubectl runs for every process) against
# `aws eks get-token`, the same role for EKS, each called 200 times in a row; prints p50, p99
# and mean per call. The certificate is fetched once beforehand from the CCE simulator on
# loopback, so every measured call takes the fast path (two small files read, one JSON line
# printed). aws talks to a moto server on loopback (`pip install 'moto[server]' awscli`).
#
#   Tests/Benchmarks/credential-vs-aws.sh            # builds the release binaries first
#   BIN=... SIM=... Tests/Benchmarks/credential-vs-aws.sh
#   BIN2=... Tests/Benchmarks/credential-vs-aws.sh   # a second build measured in the same run
#                                                     # (e.g. swift build -c release --static-swift-stdlib)
#
# Not a test: the numbers depend on the machine. Record them in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
CALLS=${CALLS:-200}
if [ -z "${BIN:-}" ] || [ -z "${SIM:-}" ]; then
  swift build -c release --product cce-kubeconfigd >/dev/null
  swift build -c release --product cce-simulator >/dev/null
  bin_dir=$(swift build -c release --show-bin-path)
  BIN=${BIN:-$bin_dir/cce-kubeconfigd}
  SIM=${SIM:-$bin_dir/cce-simulator}
fi
command -v aws >/dev/null && command -v moto_server >/dev/null || { echo "needs aws and moto_server: pip install 'moto[server]' awscli" >&2; exit 1; }

work=$(mktemp -d)
CLUSTERS=1
# shellcheck source=Tests/Benchmarks/simulated-fleet.sh
. Tests/Benchmarks/simulated-fleet.sh
moto_pid=
cleanup() {
  kill "$simulator_pid" 2>/dev/null || true
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

start_simulated_fleet "$SIM"
echo "credential_mode: exec" >>"$work/config.yaml"
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/xdg-config HOME=$work
"$BIN" credential c0 --config "$work/config.yaml" >/dev/null   # the one fetch

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.out" 2>&1 &
moto_pid=$!
for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
export AWS_ACCESS_KEY_ID=AKIAMOTOBENCH AWS_SECRET_ACCESS_KEY=moto-bench-secret AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_CONFIG_FILE=$work/aws-config AWS_SHARED_CREDENTIALS_FILE=$work/aws-credentials
aws eks create-cluster --name bench --role-arn arn:aws:iam::123456789012:role/eks --resources-vpc-config subnetIds=subnet-1 >/dev/null

python3 - "$CALLS" "$BIN" "${BIN2:-}" <<'PY'
import json, statistics, subprocess, sys, time
calls, binary, second = int(sys.argv[1]), sys.argv[2], sys.argv[3]
commands = {
    "cce-kubeconfigd credential": [binary, "credential", "c0"],
    "aws eks get-token": ["aws", "eks", "get-token", "--cluster-name", "bench"],
}
if second:
    commands["credential (BIN2)"] = [second, "credential", "c0"]
for command in commands.values():
    answer = json.loads(subprocess.run(command, check=True, capture_output=True).stdout)
    assert answer["kind"] == "ExecCredential", answer
# Interleaved, so that the machine's load falls on every command alike.
times = {label: [] for label in commands}
for _ in range(calls):
    for label, command in commands.items():
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times[label].append((time.perf_counter() - start) * 1000)
results = {}
for label, samples in times.items():
    samples.sort()
    results[label] = (samples[len(samples) // 2], samples[int(len(samples) * 0.99) - 1], statistics.mean(samples))
print(f"{calls} calls each")
print(f"{'command':<30} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
for label, (p50, p99, mean) in results.items():
    print(f"{label:<30} {p50:8.2f} {p99:8.2f} {mean:8.2f}")
ours, theirs = results["cce-kubeconfigd credential"], results["aws eks get-token"]
print(f"aws / cce-kubeconfigd at p50: {theirs[0] / ours[0]:.1f}x")
PY
