# shellcheck shell=bash
# Common settings and helpers of the FusionLedger network scripts. Sourced, never run.
#
# Every setting can be overridden by an environment variable of the same name:
#   FUSIONLEDGER_NETWORK_DIR   work directory with all state (default ~/.cache/fusionledger/network)
#   FUSIONLEDGER_PORT_BASE     first port of the port plan in docs/network.md (default 7000)
#   FUSIONLEDGER_ORDERERS      Raft orderers (default 3: one may fail; allowed 1..5)
#   FUSIONLEDGER_ORGS          member organisations (default 2, allowed 2..8)
#   FUSIONLEDGER_PEERS_PER_ORG peers per organisation (default 1, allowed 1..9)
#   FUSIONLEDGER_USERS         client users per organisation (default 6, allowed 5..100)
#   FUSIONLEDGER_BATCH_TIMEOUT orderer BatchTimeout, milliseconds (default 100, allowed 10..2000)
#   FUSIONLEDGER_BATCH_MAX_MESSAGES orderer BatchSize.MaxMessageCount (default 100, allowed 10..1000)
#   FUSIONLEDGER_HEALTH_TIMEOUT seconds to wait for each node's /healthz (default 60)
#   FABRIC_VERSION, FABRIC_COMMIT, FABRIC_PSEUDO_VERSION, FABRIC_BIN: see fabric-bin.sh

NETWORK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=network/procs.sh
source "$NETWORK_SRC/procs.sh"
REPO_ROOT="$(cd "$NETWORK_SRC/.." && pwd)"

# The pinned Fabric release. v2.5.16 (commit f871cf92a026aba7b12e6f06d71ded3e6e659d71) is the target
# LTS, but the Go module proxy does not serve it yet; v2.5.9 is the newest commit it serves.
: "${FABRIC_VERSION:=2.5.9}"
: "${FABRIC_COMMIT:=7c3876255bf064b789a839ce347b6a02adb6333c}"
: "${FABRIC_PSEUDO_VERSION:=v0.0.0-20240618194258-7c3876255bf0}"
: "${FABRIC_BIN:=${HOME}/.cache/fusionledger/fabric/${FABRIC_VERSION}-${FABRIC_COMMIT:0:12}/bin}"
FABRIC_CONFIG="$(dirname "$FABRIC_BIN")/config"   # Fabric's sampleconfig core.yaml, orderer.yaml
MIN_GO_VERSION="1.26.4"

: "${FUSIONLEDGER_NETWORK_DIR:=${HOME}/.cache/fusionledger/network}"
: "${FUSIONLEDGER_PORT_BASE:=7000}"
: "${FUSIONLEDGER_ORDERERS:=3}"
: "${FUSIONLEDGER_ORGS:=2}"
: "${FUSIONLEDGER_PEERS_PER_ORG:=1}"
: "${FUSIONLEDGER_USERS:=6}"
: "${FUSIONLEDGER_HEALTH_TIMEOUT:=60}"
: "${FUSIONLEDGER_BATCH_TIMEOUT:=100}"
: "${FUSIONLEDGER_BATCH_MAX_MESSAGES:=100}"

CHANNEL=fusionledger
CC_NAME=fusionledger
WORK="$FUSIONLEDGER_NETWORK_DIR"
CRYPTO="$WORK/crypto"
PIDS="$WORK/pids"
LOGS="$WORK/logs"
BASE=$FUSIONLEDGER_PORT_BASE
export PATH="$FABRIC_BIN:$PATH"
export FABRIC_CFG_PATH="$WORK/config"

log()  { printf '[network %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[network] ERROR: %s\n' "$*" >&2; exit 1; }

# check_int NAME VALUE MIN MAX: dies unless VALUE is an integer in MIN..MAX.
check_int() {
  [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= $3 && $2 <= $4 )) \
    || die "$1 must be an integer in $3..$4, got '$2'"
}
check_int FUSIONLEDGER_PORT_BASE "$BASE" 1024 64000
check_int FUSIONLEDGER_ORDERERS "$FUSIONLEDGER_ORDERERS" 1 5
check_int FUSIONLEDGER_ORGS "$FUSIONLEDGER_ORGS" 2 8
check_int FUSIONLEDGER_PEERS_PER_ORG "$FUSIONLEDGER_PEERS_PER_ORG" 1 9
check_int FUSIONLEDGER_USERS "$FUSIONLEDGER_USERS" 5 100
check_int FUSIONLEDGER_BATCH_TIMEOUT "$FUSIONLEDGER_BATCH_TIMEOUT" 10 2000
check_int FUSIONLEDGER_BATCH_MAX_MESSAGES "$FUSIONLEDGER_BATCH_MAX_MESSAGES" 10 1000
check_int FUSIONLEDGER_HEALTH_TIMEOUT "$FUSIONLEDGER_HEALTH_TIMEOUT" 1 3600

# ---- port plan (docs/network.md) -------------------------------------------------------------
orderer_port()       { echo $(( BASE + 50 + 10 * $1 )); }   # $1 = orderer index (0-based)
orderer_admin_port() { echo $(( BASE + 51 + 10 * $1 )); }
orderer_ops_port()   { echo $(( BASE + 52 + 10 * $1 )); }
peer_port()          { echo $(( BASE + 100 * $1 + 10 * $2 + 1 )); }  # $1 = org (1-based), $2 = peer
peer_cc_port()       { echo $(( BASE + 100 * $1 + 10 * $2 + 2 )); }
peer_ops_port()      { echo $(( BASE + 100 * $1 + 10 * $2 + 3 )); }
chaincode_port()     { echo $(( BASE + 90 )); }

orderer_host() { echo "orderer$1.example.com"; }
# raft_leader: index of the orderer that is the Raft leader of the channel (its Prometheus metric
# consensus_etcdraft_is_leader on the operations endpoint), or nothing when none answers as leader.
raft_leader() {
  local n; for (( n = 0; n < FUSIONLEDGER_ORDERERS; n++ )); do
    curl -fsS -m 2 "http://127.0.0.1:$(orderer_ops_port "$n")/metrics" 2>/dev/null \
      | grep -Eq '^consensus_etcdraft_is_leader\{channel="'"$CHANNEL"'"\} 1' && { echo "$n"; return 0; }
  done
  return 1
}
# first_live_orderer: index of the first orderer whose operations endpoint is healthy (0 if none is).
first_live_orderer() {
  local n; for (( n = 0; n < FUSIONLEDGER_ORDERERS; n++ )); do healthy "$(orderer_ops_port "$n")" && { echo "$n"; return 0; }; done
  echo 0
}
peer_host()    { echo "peer$2.org$1.example.com"; }
org_msp()      { echo "Org$1MSP"; }
org_domain()   { echo "org$1.example.com"; }

orderer_dir()  { echo "$CRYPTO/ordererOrganizations/example.com/orderers/$(orderer_host "$1")"; }
orderer_admin_tls() { echo "$CRYPTO/ordererOrganizations/example.com/users/Admin@example.com/tls"; }
orderer_tlsca() { echo "$CRYPTO/ordererOrganizations/example.com/tlsca/tlsca.example.com-cert.pem"; }
peer_dir()     { echo "$CRYPTO/peerOrganizations/$(org_domain "$1")/peers/$(peer_host "$1" "$2")"; }
org_tlsca()    { echo "$CRYPTO/peerOrganizations/$(org_domain "$1")/tlsca/tlsca.$(org_domain "$1")-cert.pem"; }
org_admin_msp() { echo "$CRYPTO/peerOrganizations/$(org_domain "$1")/users/Admin@$(org_domain "$1")/msp"; }

# All node names, in start order: orderer0.. then peer0.org1 ..
all_nodes() {
  local n o p
  for (( n = 0; n < FUSIONLEDGER_ORDERERS; n++ )); do echo "$(orderer_host "$n")"; done
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    for (( p = 0; p < FUSIONLEDGER_PEERS_PER_ORG; p++ )); do echo "$(peer_host "$o" "$p")"; done
  done
}

# ---- processes (pid files under $PIDS) -------------------------------------------------------
# pid_alive NAME: true when $PIDS/NAME.pid names a running process that we started.
pid_alive() { procs_alive "$PIDS" "$1"; }

# start_bg NAME LOGFILE [VAR=VALUE...] CMD...: starts CMD detached (own session) with the extra
# environment, records its pid and command line in $PIDS/NAME.pid.
start_bg() { local name=$1 logf=$2; shift 2; mkdir -p "$LOGS"; procs_start "$PIDS" "$name" "$logf" "$@"; }

# stop_pids NAME...: stops the processes recorded in $PIDS/NAME.pid: TERM to all at once, KILL to
# those still running after 10 s. Only processes whose command line matches the pid file.
stop_pids() { procs_stop "$PIDS" log 10 "$@"; }
stop_pid() { stop_pids "$1"; }

# healthy PORT: true when the operations endpoint on PORT answers /healthz with 200.
healthy() { curl -fsS -m 2 "http://127.0.0.1:$1/healthz" >/dev/null 2>&1; }

# wait_healthy NAME OPS_PORT [LISTEN_PORT]: waits up to FUSIONLEDGER_HEALTH_TIMEOUT s until the
# operations endpoint reports healthy (and the node's gRPC port accepts connections: the
# operations server starts first); dies with the log tail.
wait_healthy() {
  local name=$1 port=$2 listen=${3:-} deadline=$(( SECONDS + FUSIONLEDGER_HEALTH_TIMEOUT ))
  until healthy "$port" && { [[ -z "$listen" ]] || port_in_use "$listen"; }; do
    if ! pid_alive "$name"; then
      tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name exited during start (log: $LOGS/$name.log). Fix the cause, then run 'make network-down network-up'."
    fi
    (( SECONDS < deadline )) || { tail -n 30 "$LOGS/$name.log" >&2 || true
      die "$name not healthy on http://127.0.0.1:$port/healthz after ${FUSIONLEDGER_HEALTH_TIMEOUT}s (log: $LOGS/$name.log). Run 'make network-down network-up', or raise FUSIONLEDGER_HEALTH_TIMEOUT."; }
    sleep 0.3
  done
}

# with_lock CMD...: runs CMD holding an exclusive lock on the work directory, so concurrent
# test runs do not start the network twice.
with_lock() {
  mkdir -p "$WORK"
  exec 9>"$WORK/.lock"
  if ! flock -w 300 9; then die "another network script holds $WORK/.lock for more than 5 minutes (see its pid with: fuser $WORK/.lock)"; fi
  "$@"
}

# The settings that shape the network; `up` refuses to reuse a network created with others.
network_params() {
  printf 'FABRIC_VERSION=%s\nFABRIC_COMMIT=%s\nPORT_BASE=%s\nORDERERS=%s\nORGS=%s\nPEERS_PER_ORG=%s\nUSERS=%s\n' \
    "$FABRIC_VERSION" "$FABRIC_COMMIT" "$BASE" "$FUSIONLEDGER_ORDERERS" "$FUSIONLEDGER_ORGS" \
    "$FUSIONLEDGER_PEERS_PER_ORG" "$FUSIONLEDGER_USERS"
  printf 'BATCH_TIMEOUT_MS=%s\nBATCH_MAX_MESSAGES=%s\n' "$FUSIONLEDGER_BATCH_TIMEOUT" "$FUSIONLEDGER_BATCH_MAX_MESSAGES"
}

# peer_env ORG PEER: exports what the peer CLI needs to act as ORG's admin on that peer.
peer_env() {
  export FABRIC_CFG_PATH="$WORK/config"
  export CORE_PEER_LOCALMSPID; CORE_PEER_LOCALMSPID=$(org_msp "$1")
  export CORE_PEER_MSPCONFIGPATH; CORE_PEER_MSPCONFIGPATH=$(org_admin_msp "$1")
  export CORE_PEER_ADDRESS; CORE_PEER_ADDRESS="127.0.0.1:$(peer_port "$1" "$2")"
  export CORE_PEER_TLS_ENABLED=true
  export CORE_PEER_TLS_ROOTCERT_FILE; CORE_PEER_TLS_ROOTCERT_FILE=$(org_tlsca "$1")
  # no server host override: the TLS certificates carry the SAN 127.0.0.1 (and a global override
  # would break commands that talk to peers of several orgs)
}

# discover_as ORG PEER CMD ARGS...: runs Fabric's discovery CLI against that peer as the org's admin.
discover_as() {
  local o=$1 p=$2 cmd=$3; shift 3
  local msp; msp=$(org_admin_msp "$o")
  discover --peerTLSCA "$(org_tlsca "$o")" --userKey "$msp/keystore/priv_sk" \
    --userCert "$msp/signcerts/Admin@$(org_domain "$o")-cert.pem" --MSP "$(org_msp "$o")" \
    "$cmd" --channel "$CHANNEL" --server "127.0.0.1:$(peer_port "$o" "$p")" "$@"
}
