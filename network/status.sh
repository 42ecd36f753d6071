#!/usr/bin/env bash
# Shows the state of the network: every node's pid, /healthz result and resident memory, the
# channel height and the deployed chaincode. Exit status: 0 when the network is set up and every
# node (and the chaincode JVM, when deployed) runs healthy; 1 when no network is set up or none of
# its nodes runs; 2 when it runs only in part or unhealthy (`make network-up` repairs it).
# Usage: status.sh [--quiet]      Settings: see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
quiet=false; [[ "${1:-}" == "--quiet" || "${1:-}" == "-q" ]] && quiet=true
say() { $quiet || printf "$@"; }

if [[ ! -f "$WORK/.ready" ]]; then
  say 'network: not set up (%s)\n' "$WORK"
  exit 1
fi
ok=0 running=0
say '%-26s %-8s %-12s %9s  %s\n' NODE PID HEALTH RSS_MB PORT
node_line() { # NAME OPS_PORT LISTEN_PORT
  local pid="-" health rss="-"
  if pid_alive "$1"; then
    pid=$(head -n1 "$PIDS/$1.pid"); running=1
    rss=$(awk '{printf "%.1f", $1/1024}' <<< "$(ps -o rss= -p "$pid")")
    if [[ -z "$2" ]]; then
      port_in_use "$3" && health=listening || { health=not-listening; ok=1; }
    elif healthy "$2"; then health=OK; else health=UNHEALTHY; ok=1; fi
  else
    health=STOPPED; ok=1
  fi
  say '%-26s %-8s %-12s %9s  %s\n' "$1" "$pid" "$health" "$rss" "$3"
}
for (( n = 0; n < FUSIONLEDGER_ORDERERS; n++ )); do
  node_line "$(orderer_host "$n")" "$(orderer_ops_port "$n")" "$(orderer_port "$n")"
done
for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
  for (( p = 0; p < FUSIONLEDGER_PEERS_PER_ORG; p++ )); do
    node_line "$(peer_host "$o" "$p")" "$(peer_ops_port "$o" "$p")" "$(peer_port "$o" "$p")"
  done
done
if [[ -f "$WORK/chaincode/deployed.env" ]]; then
  node_line "chaincode-supervisor" "" "$(chaincode_port)"
  node_line "chaincode-$CC_NAME" "" "$(chaincode_port)"
  # shellcheck disable=SC1091
  ( source "$WORK/chaincode/deployed.env"; say 'chaincode %s: package %s, sequence %s\n' "$CC_NAME" "$PACKAGE_ID" "$SEQUENCE" )
else
  say 'chaincode %s: not deployed (make chaincode-deploy)\n' "$CC_NAME"
fi
if ! $quiet && (( ok == 0 )); then
  ( peer_env 1 0; h=$(peer channel getinfo -c "$CHANNEL" 2>/dev/null | sed -n 's/.*"height":\([0-9]*\).*/\1/p'); \
    l=$(raft_leader) && l=$(orderer_host "$l") || l="none"
    printf 'channel %s: height %s, Raft leader %s; profile %s\n' "$CHANNEL" "${h:-?}" "$l" "$WORK/connection-profile.json" )
fi
(( ok == 0 )) && exit 0
(( running )) && exit 2
exit 1
