#!/usr/bin/env bash
# Starts one Kubo (IPFS) node per member organisation of the running network: a private swarm
# (one swarm key, LIBP2P_FORCE_PNET), no bootstrap peers, no DHT or delegated routing
# (Routing.Type none), no mDNS, no relay, TCP on 127.0.0.1 only, no gateway; every node peered with
# every other (Peering.Peers) and nothing else. Idempotent: running healthy nodes are reused,
# stopped ones restarted on their repositories. Then adds each organisation's node to the
# connection profile (organizations[].modelStore, docs/network.md). network/up.sh calls it when
# FUSIONLEDGER_IPFS=1 or when the network has IPFS nodes already; network/down.sh stops the nodes
# with the rest. Settings: lib.sh, ipfs-lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ipfs-lib.sh"

IPFS="$KUBO_BIN/ipfs"
api_up() { curl -fsS -m 2 -X POST "http://127.0.0.1:$(ipfs_api_port "$1")/api/v0/id" >/dev/null 2>&1; }
peer_id() { IPFS_PATH="$(ipfs_repo "$1")" "$IPFS" config Identity.PeerID; }

init_repo() {
  local o=$1 repo; repo=$(ipfs_repo "$o")
  [[ -f "$repo/config" ]] && return 0
  log "initialising the IPFS repository of org$o ($repo)"
  mkdir -p "$repo"
  IPFS_PATH="$repo" "$IPFS" init --empty-repo --profile=test >/dev/null
  cp "$IPFS_WORK/swarm.key" "$repo/swarm.key"
  local c=(env IPFS_PATH="$repo" "$IPFS" config)
  "${c[@]}" --json Addresses.API "[\"/ip4/127.0.0.1/tcp/$(ipfs_api_port "$o")\"]"
  "${c[@]}" --json Addresses.Gateway '[]'
  "${c[@]}" --json Addresses.Swarm "[\"/ip4/127.0.0.1/tcp/$(ipfs_swarm_port "$o")\"]"
  "${c[@]}" --json Addresses.Announce "[\"/ip4/127.0.0.1/tcp/$(ipfs_swarm_port "$o")\"]"
  "${c[@]}" Routing.Type none
  "${c[@]}" --json Swarm.Transports.Network.QUIC false
  "${c[@]}" --json Swarm.Transports.Network.WebTransport false
  "${c[@]}" --json Swarm.Transports.Network.WebRTCDirect false
  "${c[@]}" --json Swarm.Transports.Network.Websocket false
  "${c[@]}" --json Swarm.RelayClient.Enabled false
  "${c[@]}" --json Swarm.RelayService.Enabled false
  "${c[@]}" --json Swarm.DisableNatPortMap true
  "${c[@]}" AutoNAT.ServiceMode disabled
  "${c[@]}" --json Provide.Enabled false
}

set_peering() {
  local o=$1 q peers="[]"
  for (( q = 1; q <= FUSIONLEDGER_ORGS; q++ )); do
    (( q == o )) && continue
    peers=$(jq -c --arg id "$(peer_id "$q")" --arg a "/ip4/127.0.0.1/tcp/$(ipfs_swarm_port "$q")" \
      '. + [{ID: $id, Addrs: [$a]}]' <<< "$peers")
  done
  IPFS_PATH="$(ipfs_repo "$o")" "$IPFS" config --json Peering.Peers "$peers"
}

start_node() {
  local o=$1 name; name=$(ipfs_node "$o")
  if pid_alive "$name" && api_up "$o"; then return 0; fi
  rm -f "$PIDS/$name.pid"
  local p; for p in "$(ipfs_api_port "$o")" "$(ipfs_swarm_port "$o")"; do
    port_in_use "$p" && die "port $p (IPFS node of org$o) is in use by another process; choose FUSIONLEDGER_PORT_BASE"
  done
  log "starting $name (API 127.0.0.1:$(ipfs_api_port "$o"), swarm 127.0.0.1:$(ipfs_swarm_port "$o"))"
  # fd 8 (the IPFS lock) must not stay open in the daemon
  ( exec 8>&-; start_bg "$name" "$LOGS/$name.log" IPFS_PATH="$(ipfs_repo "$o")" LIBP2P_FORCE_PNET=1 GOLOG_LOG_LEVEL=error \
    "$IPFS" daemon --migrate=false )
}

wait_node() {
  local o=$1 i
  for (( i = 0; i < FUSIONLEDGER_HEALTH_TIMEOUT * 5; i++ )); do
    api_up "$o" && return 0
    pid_alive "$(ipfs_node "$o")" || die "$(ipfs_node "$o") exited; see $LOGS/$(ipfs_node "$o").log"
    sleep 0.2
  done
  die "$(ipfs_node "$o") did not answer on its API within $FUSIONLEDGER_HEALTH_TIMEOUT s; see $LOGS/$(ipfs_node "$o").log"
}

# every node connected to every other one (Peering dials at start and keeps the connections)
wait_peered() {
  local o q i want got
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    want=$(( FUSIONLEDGER_ORGS - 1 ))
    for (( i = 0; i < FUSIONLEDGER_HEALTH_TIMEOUT * 5; i++ )); do
      got=$(curl -fsS -m 2 -X POST "http://127.0.0.1:$(ipfs_api_port "$o")/api/v0/swarm/peers" | jq '.Peers // [] | length')
      (( got >= want )) && break
      sleep 0.2
    done
    (( got >= want )) || die "IPFS node of org$o sees $got of $want peers after $FUSIONLEDGER_HEALTH_TIMEOUT s; see $LOGS/$(ipfs_node "$o").log"
  done
}

# organizations[i].modelStore = {type: "ipfs", api: "http://127.0.0.1:<API>"} in the profile
write_profile_stores() {
  local f="$WORK/connection-profile.json" o stores="[]"
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    stores=$(jq -c --arg api "http://127.0.0.1:$(ipfs_api_port "$o")" --arg id "$(peer_id "$o")" \
      '. + [{type: "ipfs", api: $api, peerId: $id}]' <<< "$stores")
  done
  jq --argjson s "$stores" '.organizations |= [to_entries[] | .value + {modelStore: $s[.key]}]' "$f" > "$f.ipfs.tmp"
  mv "$f.ipfs.tmp" "$f"
}

main() {
  command -v jq >/dev/null 2>&1 || die "jq is not installed: apt-get install -y jq"
  [[ -f "$WORK/.ready" && -f "$WORK/connection-profile.json" ]] \
    || die "no network is up in $WORK: run 'make network-up' first (the IPFS nodes belong to its organisations)"
  "$NETWORK_SRC/kubo-bin.sh"
  local t0=$SECONDS o
  mkdir -p "$IPFS_WORK" "$PIDS" "$LOGS"
  if [[ ! -f "$IPFS_WORK/swarm.key" ]]; then
    umask 077
    printf '/key/swarm/psk/1.0.0/\n/base16/\n%s\n' "$(openssl rand -hex 32)" > "$IPFS_WORK/swarm.key.tmp"
    mv "$IPFS_WORK/swarm.key.tmp" "$IPFS_WORK/swarm.key"
    umask 022
  fi
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do init_repo "$o"; done
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do set_peering "$o"; done
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do start_node "$o"; done
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do wait_node "$o"; done
  wait_peered
  write_profile_stores
  log "IPFS up in $(( SECONDS - t0 )) s: $FUSIONLEDGER_ORGS nodes in a private swarm, profile $WORK/connection-profile.json"
}

exec 8>"$WORK/.ipfs.lock"
flock 8
main
