#!/usr/bin/env bash
# Stops the IPFS (Kubo) nodes of the network (their pid files, checked against the recorded
# command line), deletes their repositories and swarm key, and removes organizations[].modelStore
# from the connection profile. The Fabric network keeps running; network/down.sh stops everything.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ipfs-lib.sh"

[[ -d "$WORK" ]] || { log "nothing to do: $WORK does not exist"; exit 0; }
exec 8>"$WORK/.ipfs.lock"
flock 8
names=()
for f in "$PIDS"/ipfs.org*.pid; do [[ -e "$f" ]] && names+=("$(basename "$f" .pid)"); done
(( ${#names[@]} )) && stop_pids "${names[@]}"
rm -rf "$IPFS_WORK"
f="$WORK/connection-profile.json"
if [[ -f "$f" ]]; then
  jq '.organizations |= map(del(.modelStore))' "$f" > "$f.ipfs.tmp" && mv "$f.ipfs.tmp" "$f"
fi
log "IPFS nodes stopped, their state removed ($IPFS_WORK)"
