#!/usr/bin/env bash
# Merge speed against the alternatives (issue 6, part 1): adding one cluster to kubeconfigs of
# 10, 100, 1,000 and 5,000 entries (clusters, users and contexts each, with real certificate
# data from Tests/Benchmarks/generate-kubeconfig.py), side by side in one run on the same files:
#
#   import     cce-kubeconfigd import config/examples/cce-kubeconfig.json --name bench
#   kubectl    kubectl config set-cluster + set-credentials + set-context (three calls)
#   flatten    KUBECONFIG=file:one.yaml kubectl config view --flatten, written back over the file
#   aws-eks    aws eks update-kubeconfig --name bench, against moto_server on 127.0.0.1 (awscli's
#              own read-merge-write of the file; moto answers DescribeCluster)
#   pyyaml     PyYAML load + dump with CSafeLoader/CSafeDumper (a script's floor)
#   libyaml    a bare libyaml parse of the file from C, Tests/Benchmarks/libyaml-parse.c (the floor
#              of any libyaml-based tool; writes nothing)
#
# Every timed run starts from a fresh copy of the file (hyperfine --prepare). Each command is
# checked once to do the real job before it is timed. Medians; ratios against import.
#
# usage: Tests/Benchmarks/merge-speed.sh [SIZE...]        default sizes: 10 100 1000 5000
#   RUNS=10 (runs per command), LARGE_RUNS=3 (for sizes of 5,000 and more)
#   CCE_KUBECONFIGD=path  (default: .build-proof/release/cce-kubeconfigd, built when missing)
# Needs hyperfine, kubectl, gcc, libyaml-dev, PyYAML with libyaml, awscli and moto[server]
# (made in a venv under .build-proof/bench-venv when `aws` or `moto_server` is missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 5000)
RUNS=${RUNS:-10}
LARGE_RUNS=${LARGE_RUNS:-3}
KUBECTL=${KUBECTL:-kubectl}
BIN=${CCE_KUBECONFIGD:-.build-proof/release/cce-kubeconfigd}
CCE_JSON=config/examples/cce-kubeconfig.json
PKI=Tests/Fixtures/pki
unset KUBECONFIG  # every command names its file; nothing may touch ~/.kube/config

if [ ! -x "$BIN" ]; then
  swift build -c release --scratch-path .build-proof --product cce-kubeconfigd
fi
if ! command -v aws >/dev/null || ! command -v moto_server >/dev/null; then
  venv=.build-proof/bench-venv
  [ -x "$venv/bin/moto_server" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q awscli 'moto[server]' pyyaml; }
  PATH=$PWD/$venv/bin:$PATH
fi
python3 -c 'import yaml; assert yaml.__with_libyaml__, "PyYAML without libyaml"'

work=$(mktemp -d)
moto=""
cleanup() { [ -z "$moto" ] || kill "$moto" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
gcc -O2 -o "$work/libyaml-parse" Tests/Benchmarks/libyaml-parse.c -lyaml
python3 Tests/Benchmarks/generate-kubeconfig.py --cce bench "$work/one.yaml"

# moto on a free loopback port, with one EKS cluster for aws eks update-kubeconfig to describe.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
export AWS_ACCESS_KEY_ID=bench-not-a-key AWS_SECRET_ACCESS_KEY=bench-not-a-secret AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
for _ in $(seq 50); do curl -s -o /dev/null "$AWS_ENDPOINT_URL" && break; sleep 0.2; done
aws eks create-cluster --name bench --role-arn arn:aws:iam::123456789012:role/bench \
  --resources-vpc-config subnetIds=subnet-00000001 >/dev/null
arn=arn:aws:eks:us-east-1:123456789012:cluster/bench

q() { printf '%q' "$1"; }
copy=$work/kubeconfig
Q=$(q "$copy")
declare -A cmd
cmd[import]="$(q "$BIN") import $(q "$CCE_JSON") --name bench --kubeconfig $Q"
cmd[kubectl]="$KUBECTL config set-cluster bench-internal --server=https://192.168.0.10:5443 \
--certificate-authority=$PKI/ca.crt --embed-certs --kubeconfig $Q && $KUBECTL config set-credentials bench \
--client-certificate=$PKI/client.crt --client-key=$PKI/client.key --embed-certs --kubeconfig $Q && \
$KUBECTL config set-context bench-internal --cluster=bench-internal --user=bench --kubeconfig $Q"
cmd[flatten]="KUBECONFIG=$Q:$(q "$work/one.yaml") $KUBECTL config view --flatten > $Q.new && mv $Q.new $Q"
cmd[aws-eks]="aws eks update-kubeconfig --name bench --kubeconfig $Q >/dev/null"
cmd[pyyaml]="python3 -c 'import sys, yaml
with open(sys.argv[1]) as f: data = yaml.load(f, Loader=yaml.CSafeLoader)
with open(sys.argv[1], \"w\") as f: yaml.dump(data, f, Dumper=yaml.CSafeDumper, default_flow_style=False)' $Q"
cmd[libyaml]="$(q "$work/libyaml-parse") $Q >/dev/null"
names=(import kubectl flatten aws-eks pyyaml libyaml)

contexts() { "$KUBECTL" config get-contexts -o name --kubeconfig "$copy"; }
check() {  # name size: run once on a fresh copy and prove it did the job
  cp "$work/base.yaml" "$copy"
  bash -c "${cmd[$1]}" >/dev/null || { echo "$1: failed: ${cmd[$1]}" >&2; exit 1; }
  local list expected_count=$(($2 + 1))
  list=$(contexts) || { echo "$1: kubectl cannot read the result" >&2; exit 1; }
  case $1 in
    import) expected_count=$(($2 + 2)); grep -qx bench-external <<<"$list" ;;
    flatten) expected_count=$(($2 + 2)); grep -qx bench-external <<<"$list" ;;
    kubectl) grep -qx bench-internal <<<"$list" ;;
    aws-eks) grep -qxF "$arn" <<<"$list" ;;
    pyyaml | libyaml) expected_count=$2; cmp -s "$copy" "$work/base.yaml" || [ "$1" = pyyaml ] ;;
  esac || { echo "$1: the result lacks what it should hold" >&2; exit 1; }
  [ "$(wc -l <<<"$list")" -eq "$expected_count" ] || { echo "$1: $(wc -l <<<"$list") contexts, expected $expected_count" >&2; exit 1; }
}

ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
echo "merge speed: $(nproc) CPUs, $(date -u +%Y-%m-%d), $("$KUBECTL" version --client 2>/dev/null | head -1)," \
  "$(aws --version 2>&1 | cut -d' ' -f1), PyYAML $(python3 -c 'import yaml; print(yaml.__version__)'), $(hyperfine --version)"
for size in "${sizes[@]}"; do
  python3 Tests/Benchmarks/generate-kubeconfig.py "$size" "$work/base.yaml"
  for name in "${names[@]}"; do check "$name" "$size"; done
  runs=$RUNS warmup=1
  if [ "$size" -ge 5000 ]; then runs=$LARGE_RUNS warmup=0; fi
  args=()
  for name in "${names[@]}"; do args+=(-n "$name" "${cmd[$name]}"); done
  hyperfine --shell=bash --runs "$runs" --warmup "$warmup" --prepare "cp $(q "$work/base.yaml") $Q" \
    --export-json "$work/h.json" "${args[@]}" >"$work/hyperfine-$size.txt" 2>&1 \
    || { cat "$work/hyperfine-$size.txt" >&2; exit 1; }
  declare -A median=()
  while read -r name secs; do median[$name]=$secs; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]: print(r["command"], r["median"])' "$work/h.json")
  echo
  echo "$size entries each ($(($(wc -c <"$work/base.yaml") / 1000)) kB), median of $runs runs:"
  for name in "${names[@]}"; do
    printf '  %-8s %10s ms  %s\n' "$name" "$(ms "${median[$name]}")" \
      "$(awk -v a="${median[$name]}" -v b="${median[import]}" 'BEGIN { if (a == b) print ""; else printf "%.2fx import", a / b }')"
  done
done
