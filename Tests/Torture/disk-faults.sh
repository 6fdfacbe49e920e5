#!/usr/bin/env bash
# Proves that a write that cannot complete leaves everything as it was: on a full file system
# (a small tmpfs, filled to 0 bytes free and to a few kB free, so the write fails part-way) and
# in a read-only place (the tmpfs remounted read-only, and a directory without write permission
# for an unprivileged user), `cce-kubeconfigd import` must exit non-zero with a clear one-line
# error that names the file, the kubeconfig must be intact byte for byte, and no temporary or
# lock file may be left. After space is freed, the same import must succeed.
#
# usage: Tests/Torture/disk-faults.sh          (needs root for mount; says so and exits 0 without)
#   CCE_KUBECONFIGD=path   the binary (default: `swift build --show-bin-path`/cce-kubeconfigd)
# Exits non-zero on the first broken invariant.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BIN=$(realpath "${CCE_KUBECONFIGD:-$(swift build --show-bin-path)/cce-kubeconfigd}")
ANSWER=$PWD/config/examples/cce-kubeconfig.json
unset KUBECONFIG
if [ "$(id -u)" -ne 0 ]; then
  echo "disk-faults: skipped: mounting a tmpfs needs root"
  exit 0
fi

work=$(mktemp -d)
mnt=$work/mnt
mkdir "$mnt"
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "disk-faults: FAIL: $*" >&2; exit 1; }
passed=0

# One failing import: exit status, the message, the bytes, and what is left in the directory.
expect_refused() {  # label directory [runner...]
  local label=$1 dir=$2
  shift 2
  local config=$dir/config
  cp "$config" "$work/before"
  local status=0
  "$@" "$BIN" import "$ANSWER" --name prod --kubeconfig "$config" >"$work/out" 2>"$work/err" || status=$?
  [ "$status" -ne 0 ] || fail "$label: the import succeeded"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$label: the error is not one line: $(cat "$work/err")"
  grep -qF "$config" "$work/err" || fail "$label: the error does not name $config: $(cat "$work/err")"
  cmp -s "$config" "$work/before" || fail "$label: the kubeconfig changed"
  local left
  left=$(ls -A "$dir" | grep -vx -e config -e fill || true)
  [ -z "$left" ] || fail "$label: left behind: $left"
  echo "  $label: refused, exit $status: $(cat "$work/err")"
  passed=$((passed + 1))
}

fill_to() {  # leave about $1 bytes free on the tmpfs
  rm -f "$mnt/fill"
  dd if=/dev/zero of="$mnt/fill" bs=4096 status=none 2>/dev/null || true
  local free
  free=$(($(stat -f -c '%a * %S' "$mnt")))
  [ "$free" -eq 0 ] || fail "could not fill the tmpfs ($free bytes free)"
  if [ "$1" -gt 0 ]; then truncate -s "-$1" "$mnt/fill"; fi
}

echo "disk-faults: kubectl-written fixture ($(wc -c <Tests/Fixtures/kubeconfigs/kubectl-written.yaml) bytes), cluster prod from the CCE example"
mount -t tmpfs -o size=1m,mode=0700 tmpfs "$mnt"
cp Tests/Fixtures/kubeconfigs/kubectl-written.yaml "$mnt/config"
chmod 600 "$mnt/config"

fill_to 0
expect_refused "disk full, 0 bytes free" "$mnt"
fill_to 8192
expect_refused "disk full, 8 kB free (the new file needs ~130 kB)" "$mnt"
fill_to 65536
expect_refused "disk full, 64 kB free" "$mnt"

rm -f "$mnt/fill"
"$BIN" import "$ANSWER" --name prod --kubeconfig "$mnt/config" >/dev/null 2>"$work/err" \
  || fail "after freeing space the import failed: $(cat "$work/err")"
kubectl config get-contexts -o name --kubeconfig "$mnt/config" | grep -x prod-internal >/dev/null || fail "the import after freeing space wrote no prod-internal"
cp Tests/Fixtures/kubeconfigs/kubectl-written.yaml "$mnt/config"

mount -o remount,ro "$mnt"
expect_refused "read-only file system" "$mnt"
mount -o remount,rw "$mnt"

# A directory the user may not write into (root ignores modes, so an unprivileged uid runs it).
mkdir "$work/ro" && chmod 755 "$work"
cp Tests/Fixtures/kubeconfigs/kubectl-written.yaml "$work/ro/config"
chmod 644 "$work/ro/config" && chmod 555 "$work/ro"
expect_refused "read-only directory (uid 65534)" "$work/ro" setpriv --reuid=65534 --regid=65534 --clear-groups
chmod 755 "$work/ro"

echo "disk-faults: $passed passed, 0 failed"
