#!/usr/bin/env bash
# The exec plugin as kubectl runs it (`<exec command> credential c0`, standard output read through
# a pipe), side by side with `cat` of the same credential files and with other builds, ROUNDS
# rounds (500 by default) each command once per round in turn; prints p50, p99 and mean per call
# and each median as a multiple of cat's. The certificate is fetched once beforehand from the CCE
# simulator on loopback, so every measured call has a valid certificate stored.
#
#   Tests/Benchmarks/credential-vs-cat.sh                      # builds the release products first
#   OLD=/path/to/main/release/cce-kubeconfigd Tests/Benchmarks/credential-vs-cat.sh
#   BIN=... PLUGIN=... SIM=... OLD=... Tests/Benchmarks/credential-vs-cat.sh
#   PLUGIN2=... Tests/Benchmarks/credential-vs-cat.sh   # a second build of the plugin in the same run
#                                                       # (e.g. linked with -static-stdlib)
#
# Measured: cat of client.crt and client.key; the plugin (cce-kubeconfigd-credential, what the
# exec entry runs when it is installed); this build's cce-kubeconfigd answering `credential c0`
# itself; and OLD, when given, e.g. a release build of an earlier commit (its own record of the
# same files). Not a test: the numbers depend on the machine. Record them in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-500}
if [ -z "${BIN:-}" ] || [ -z "${PLUGIN:-}" ] || [ -z "${SIM:-}" ]; then
  for product in cce-kubeconfigd cce-kubeconfigd-credential cce-simulator; do
    swift build -c release --product "$product" >/dev/null
  done
  bin_dir=$(swift build -c release --show-bin-path)
  BIN=${BIN:-$bin_dir/cce-kubeconfigd}
  PLUGIN=${PLUGIN:-$bin_dir/cce-kubeconfigd-credential}
  SIM=${SIM:-$bin_dir/cce-simulator}
fi

work=$(mktemp -d)
CLUSTERS=1
# shellcheck source=Tests/Benchmarks/simulated-fleet.sh
. Tests/Benchmarks/simulated-fleet.sh
cleanup() {
  kill "$simulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

gcc -O2 -o "$work/spawn-timer" Tests/Benchmarks/spawn-timer.c
start_simulated_fleet "$SIM"
echo "credential_mode: exec" >>"$work/config.yaml"
mkdir -p "$work/xdg-config/cce-kubeconfigd"
cp "$work/config.yaml" "$work/xdg-config/cce-kubeconfigd/config.yaml"
export XDG_STATE_HOME=$work/state XDG_CONFIG_HOME=$work/xdg-config HOME=$work
"$BIN" credential c0 >/dev/null   # the one fetch
files=$work/state/cce-kubeconfigd/credentials/c0
grep -q "command: $(dirname "$(readlink -f "$BIN")")/cce-kubeconfigd-credential" "$work/kube/config" \
  || echo "note: the kubeconfig's exec entry runs $(awk '/command:/{print $2; exit}' "$work/kube/config")" >&2

commands=(cat -- /bin/cat "$files/client.crt" "$files/client.key"
  -- "cce-kubeconfigd-credential" -- "$PLUGIN" credential c0
  -- "cce-kubeconfigd credential" -- "$BIN" credential c0)
if [ -n "${PLUGIN2:-}" ]; then
  commands+=(-- "PLUGIN2 credential" -- "$PLUGIN2" credential c0)
fi
if [ -n "${OLD:-}" ]; then
  commands+=(-- "OLD cce-kubeconfigd credential" -- "$OLD" credential c0)
fi
"$work/spawn-timer" "$ROUNDS" "${commands[@]}"
for binary in "$PLUGIN" ${PLUGIN2:+"$PLUGIN2"} "$BIN" ${OLD:+"$OLD"}; do
  printf '%-60s %12s bytes\n' "$binary" "$(stat -c %s "$binary")"
done
