#!/bin/sh
# The daemon's first pass, as a COMMAND for throttle.sh: `run` in the background until every
# one of $CLUSTERS clusters has its context in the kubeconfig (kubectl polled every 2 s), then
# SIGTERM. Prints the contexts found and how many times the daemon logged that it paced.
#
#   DAEMON=$(swift build --show-bin-path)/cce-kubeconfigd Tests/Benchmarks/throttle.sh -- Tests/Benchmarks/run-until-written.sh
set -eu
export XDG_STATE_HOME="$SIM_WORK/state" XDG_RUNTIME_DIR="$SIM_WORK/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
"$DAEMON" run --config "$SIM_CONFIG" 2>"$SIM_WORK/run.err" &
pid=$!
while :; do
  n=$(kubectl config get-contexts -o name --kubeconfig "$SIM_WORK/kube/config" 2>/dev/null | wc -l)
  [ "$n" -ge "$CLUSTERS" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "run exited early:"; tail -5 "$SIM_WORK/run.err"; exit 1; }
  sleep 2
done
kill -TERM "$pid"
wait "$pid"
echo "contexts $n; paced $(grep -c "pacing its requests" "$SIM_WORK/run.err" || true) times"
