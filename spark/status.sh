#!/usr/bin/env bash
# The cluster's processes and the master's view (workers, cores, memory, applications).
# Exit 0: master and every configured worker alive; 1: nothing runs; 2: partly running.
# --quiet prints nothing. Settings: spark/lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quiet=0; [[ "${1:-}" == --quiet ]] && quiet=1
say() { (( quiet )) || echo "$@"; }
up=0 total=0
for name in master $(for (( i = 1; i <= FUSIONLEDGER_SPARK_WORKERS; i++ )); do echo "worker$i"; done); do
  total=$(( total + 1 ))
  if spid_alive "$name"; then
    up=$(( up + 1 )); pid=$(head -n1 "$SPIDS/$name.pid")
    say "$name: pid $pid, rss $(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 )) MiB"
  else
    say "$name: not running"
  fi
done
if json=$(master_json); then
  (( quiet )) || jq -r '"master \(.url) \(.status): \(.aliveworkers) workers, \(.cores) cores (\(.coresused) used), \(.memory) MiB (\(.memoryused) used)",
    (.workers[] | "  worker \(.id) \(.state) \(.host):\(.port) cores \(.cores) memory \(.memory) MiB"),
    (.activeapps[] | "  running app \(.id) \(.name) cores \(.cores)"),
    (.completedapps[] | "  completed app \(.id) \(.name) \(.state) \(.duration) ms")' <<<"$json"
fi
(( up == 0 )) && exit 1
(( up < total )) && exit 2
exit 0
