#!/usr/bin/env bash
# Time the first import of one CCE cluster into a 1,000-entry (about 5 MB)
# kubeconfig against the kubectl calls a script would need for the same job,
# side by side in one run on the same file (ratios, not absolute numbers, are
# what count: this machine is shared and noisy).
#
#   (a) cce-kubeconfigd import config/examples/cce-kubeconfig.json --name bench --kubeconfig F
#   (b) kubectl config set-cluster + set-credentials + set-context   (what a script must run)
#   (c) kubectl config set-cluster alone                             (kubectl's floor)
#
# Every run starts from a fresh copy of the file: a second identical import is
# a no-op by design, and each kubectl call must pay for the full rewrite.
#
# usage: Tests/Benchmarks/import-vs-kubectl.sh [--kubectl-only]
#   --kubectl-only   skip the Swift build and (a): checks the kubectl half alone
#   RUNS=10 ENTRIES=1000 KUBECTL=/usr/bin/kubectl   environment overrides
#   CCE_KUBECONFIGD=path   time that binary instead of building .build/release's
# Uses hyperfine when installed (apt-get install -y hyperfine), else (or with
# NO_HYPERFINE=1) a bash timing loop.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
RUNS=${RUNS:-10}
ENTRIES=${ENTRIES:-1000}
KUBECTL=${KUBECTL:-/usr/bin/kubectl}
BIN=${CCE_KUBECONFIGD:-.build/release/cce-kubeconfigd}
PKI=Tests/Fixtures/pki
CCE_JSON=config/examples/cce-kubeconfig.json

kubectl_only=false
case "${1:-}" in
  --kubectl-only) kubectl_only=true ;;
  "") ;;
  *) echo "usage: $0 [--kubectl-only]" >&2; exit 2 ;;
esac
unset KUBECONFIG  # every command names its file; nothing may touch ~/.kube/config

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
base=$work/base.yaml
copy=$work/kubeconfig

if ! $kubectl_only && [[ -z ${CCE_KUBECONFIGD:-} ]]; then
  swift build -c release --product cce-kubeconfigd
fi
python3 Tests/Benchmarks/generate-kubeconfig.py "$ENTRIES" "$base"

# Commands are strings because hyperfine and the fallback loop both hand them
# to a shell; %q keeps paths with odd characters intact.
q() { printf '%q' "$1"; }
reset="cp $(q "$base") $(q "$copy")"
cmd_import="$(q "$BIN") import $(q "$CCE_JSON") --name bench --kubeconfig $(q "$copy")"
cmd_one="$(q "$KUBECTL") config set-cluster bench-internal --server=https://192.168.0.10:5443 \
--certificate-authority=$(q "$PKI/ca.crt") --embed-certs --kubeconfig $(q "$copy")"
cmd_three="$cmd_one && $(q "$KUBECTL") config set-credentials bench \
--client-certificate=$(q "$PKI/client.crt") --client-key=$(q "$PKI/client.key") --embed-certs \
--kubeconfig $(q "$copy") && $(q "$KUBECTL") config set-context bench-internal \
--cluster=bench-internal --user=bench --kubeconfig $(q "$copy")"

# Check once that each command really does the job before timing it: a fast
# failure would make a meaningless number.
context_user() {
  "$KUBECTL" config view --kubeconfig "$copy" \
    -o jsonpath='{.contexts[?(@.name=="bench-internal")].context.user}'
}
check() {  # name command
  bash -c "$reset"
  bash -c "$2" >/dev/null || { echo "$1: command failed: $2" >&2; exit 1; }
  local user
  user=$(context_user) || { echo "$1: kubectl cannot read the result" >&2; exit 1; }
  [[ $user == bench ]] || { echo "$1: no context bench-internal -> user bench" >&2; exit 1; }
}
if ! $kubectl_only; then check import "$cmd_import"; fi
check kubectl-three "$cmd_three"
bash -c "$reset" && bash -c "$cmd_one" >/dev/null
clusters=$("$KUBECTL" config get-clusters --kubeconfig "$copy")  # not piped: grep -q + pipefail
grep -qx bench-internal <<<"$clusters" || { echo "kubectl-one: cluster bench-internal missing" >&2; exit 1; }

names=() cmds=()
if ! $kubectl_only; then names+=(import); cmds+=("$cmd_import"); fi
names+=(kubectl-three kubectl-one); cmds+=("$cmd_three" "$cmd_one")

declare -A median  # name -> seconds
if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null; then
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine --shell=bash --runs "$RUNS" --warmup 1 --prepare "$reset" --export-json "$work/h.json" "${args[@]}" >&2
  while read -r name secs; do median[$name]=$secs; done < <(python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(r["command"], r["median"])' "$work/h.json")
  timer="hyperfine $(hyperfine --version | awk '{print $2}')"
else
  # One discarded warm-up run, then RUNS timed runs; each timed run includes
  # one `bash -c` start (about 2 ms) for every command alike.
  measure() {
    local i t0 t1
    for ((i = 0; i <= RUNS; i++)); do
      bash -c "$reset"
      t0=$(date +%s%N)
      bash -c "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; exit 1; }
      t1=$(date +%s%N)
      if ((i > 0)); then echo $((t1 - t0)); fi
    done | sort -n | awk '{ a[NR] = $1 }
      END { m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.6f\n", m / 1e9 }'
  }
  for i in "${!names[@]}"; do
    median[${names[$i]}]=$(measure "${cmds[$i]}")
    echo "timed ${names[$i]}" >&2
  done
  timer="bash loop"
fi

size=$(wc -c <"$base")
echo
echo "kubeconfig: $ENTRIES clusters + $ENTRIES users + $ENTRIES contexts, $((size / 1000)) kB;" \
  "median of $RUNS runs each ($timer, $(nproc) CPUs, $("$KUBECTL" version --client | head -1))"
row() { printf '  %-52s %8.1f ms%s\n' "$1" "$(awk -v s="$2" 'BEGIN { print s * 1000 }')" "${3:-}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
if ! $kubectl_only; then
  row "(a) cce-kubeconfigd import" "${median[import]}"
  row "(b) kubectl set-cluster+set-credentials+set-context" "${median[kubectl-three]}" \
    "   $(ratio "${median[kubectl-three]}" "${median[import]}")x import"
  row "(c) kubectl set-cluster alone" "${median[kubectl-one]}" \
    "   $(ratio "${median[kubectl-one]}" "${median[import]}")x import"
else
  row "(b) kubectl set-cluster+set-credentials+set-context" "${median[kubectl-three]}"
  row "(c) kubectl set-cluster alone" "${median[kubectl-one]}"
  echo "  (import not measured: --kubectl-only)"
fi
