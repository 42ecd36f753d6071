#!/usr/bin/env bash
# Stops exactly the processes network/up.sh and network/chaincode-deploy.sh started (their pid
# files under <workdir>/pids, checked against the recorded command line) and removes the work
# directory. Safe to run when nothing runs. Settings: see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
  if [[ ! -d "$WORK" ]]; then log "nothing to do: $WORK does not exist"; return 0; fi
  if [[ -n "$(ls -A "$WORK" 2>/dev/null | grep -v '^\.lock$')" && ! -f "$WORK/.fusionledger-network" ]]; then
    die "$WORK does not look like a FusionLedger network directory (no .fusionledger-network marker); not removing it"
  fi
  local f groups=("chaincode-*" "peer*" "orderer*" "*") g names
  # chaincode servers first, then peers, then orderers, then anything else with a pid file
  for g in "${groups[@]}"; do
    names=()
    for f in "$PIDS"/$g.pid; do [[ -e "$f" ]] && names+=("$(basename "$f" .pid)"); done
    (( ${#names[@]} )) && stop_pids "${names[@]}"
  done
  find "$WORK" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  log "network down, state removed ($WORK)"
}

with_lock main
