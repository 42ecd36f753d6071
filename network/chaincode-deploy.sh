#!/usr/bin/env bash
# Deploys the FusionLedger chaincode (chaincode/target/fusionledger-chaincode.jar, built with Maven
# when missing) to the running network as chaincode-as-a-service:
#   1. package: connection.json (address of the chaincode server) + metadata.json (type ccaas),
#      label fusionledger_<first 12 hex of the jar's SHA-256>;
#   2. install it on every peer (skipped where installed);
#   3. start the chaincode JVM with the package id under chaincode-supervisor.sh, which restarts it
#      whenever it exits (both pid-tracked; the JVM runs a copy of the jar);
#   4. approve by every org and commit with the channel's default endorsement policy (MAJORITY:
#      with two orgs both endorse), sequence = committed sequence + 1;
#   5. wait until every peer reaches the chaincode and every peer's discovery offers endorsers of
#      every org (what the Gateway needs).
# (Fabric's Java shim serves TLS with CORE_TLS_CLIENT_{CERT,KEY}_FILE (PEM), but also checks and
# parses its client-mode variables CORE_TLS_CLIENT_{CERT,KEY}_PATH (files holding base64 of the PEM)
# and CORE_PEER_TLS_ROOTCERT_FILE on every peer connection, so those are set too.)
# Peers and JVM talk mutual TLS: the chaincode server presents a certificate of the network's own
# chaincode TLS CA (made here once, <workdir>/crypto/chaincode) and accepts only peers presenting
# that CA's client certificate, which the package's connection.json carries.
# Does nothing when the same jar is committed and its JVM runs; restarts only the JVM when it died.
# Usage: chaincode-deploy.sh [path/to/chaincode.jar]     Settings: see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

JAR="${1:-${FUSIONLEDGER_CHAINCODE_JAR:-$REPO_ROOT/chaincode/target/fusionledger-chaincode.jar}}"
CCDIR="$WORK/chaincode"
STATE="$CCDIR/deployed.env"
JVM=chaincode-$CC_NAME
SUPERVISOR=chaincode-supervisor
CCTLS="$CRYPTO/chaincode"
: "${FUSIONLEDGER_CHAINCODE_JAVA_OPTS:=-Xms32m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"

orderer_args() { # the first live orderer (with 3 Raft orderers one may be down)
  local n; n=$(first_live_orderer)
  echo -o "127.0.0.1:$(orderer_port "$n")" --ordererTLSHostnameOverride "$(orderer_host "$n")" --tls --cafile "$(orderer_tlsca)"
}

committed_sequence() { # prints the committed sequence (0 when not committed)
  ( peer_env 1 0
    peer lifecycle chaincode querycommitted -C "$CHANNEL" -n "$CC_NAME" -O json 2>/dev/null | jq -r '.sequence // 0' ) \
    || echo 0
}

# The chaincode TLS CA, the server certificate of the chaincode JVM (SAN 127.0.0.1, localhost) and
# the client certificate the peers present (EC P-256, PKCS#8 keys, 10 years). Made once per network.
make_tls() {
  [[ -f "$CCTLS/client.crt" && -f "$CCTLS/server.key.b64" ]] && return 0
  command -v openssl >/dev/null 2>&1 || die "openssl is not installed: apt-get install -y openssl"
  log "creating the chaincode TLS CA and certificates in $CCTLS"
  local t; t=$(mktemp -d)
  ( umask 077
    set -e
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \
      -keyout "$t/ca.key" -out "$t/ca.crt" -subj "/O=FusionLedger/CN=fusionledger-chaincode-tlsca" \
      -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign"
    local who ext
    for who in server client; do
      ext="extendedKeyUsage=${who}Auth"$'\n'"keyUsage=critical,digitalSignature,keyAgreement"
      [[ $who == server ]] && ext+=$'\n'"subjectAltName=IP:127.0.0.1,DNS:localhost"
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$t/$who.key" \
        -out "$t/$who.csr" -subj "/O=FusionLedger/CN=fusionledger-chaincode-$who"
      openssl x509 -req -in "$t/$who.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 3650 \
        -out "$t/$who.crt" -extfile <(printf '%s\n' "$ext")
    done ) > "$LOGS/cc-tls.log" 2>&1 || { cat "$LOGS/cc-tls.log" >&2; rm -rf "$t"; die "creating the chaincode TLS certificates failed"; }
  rm -f "$t"/*.csr "$t"/*.srl "$t/ca.key"   # no further certificates are issued: the CA key goes
  ( umask 077; base64 -w0 "$t/server.crt" > "$t/server.crt.b64"; base64 -w0 "$t/server.key" > "$t/server.key.b64" )
  mkdir -p "$(dirname "$CCTLS")"
  rm -rf "$CCTLS"; mv "$t" "$CCTLS"; chmod 700 "$CCTLS"
}

make_package() { # LABEL OUT
  local label=$1 out=$2 t; t=$(mktemp -d)
  jq -n --arg a "127.0.0.1:$(chaincode_port)" --rawfile key "$CCTLS/client.key" --rawfile cert "$CCTLS/client.crt" \
    --rawfile root "$CCTLS/ca.crt" \
    '{address: $a, dial_timeout: "10s", tls_required: true, client_auth_required: true,
      client_key: $key, client_cert: $cert, root_cert: $root}' > "$t/connection.json"
  chmod 600 "$t/connection.json"
  tar -C "$t" -czf "$t/code.tar.gz" connection.json
  jq -n --arg l "$label" '{type: "ccaas", label: $l}' > "$t/metadata.json"
  tar -C "$t" -czf "$out" metadata.json code.tar.gz
  rm -rf "$t"
}

install_everywhere() { # PKG PKGID
  local o p
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    for (( p = 0; p < FUSIONLEDGER_PEERS_PER_ORG; p++ )); do
      ( peer_env "$o" "$p"
        if peer lifecycle chaincode queryinstalled -O json 2>/dev/null | jq -e --arg id "$2" '.installed_chaincodes // [] | any(.package_id == $id)' >/dev/null; then
          exit 0
        fi
        log "installing $2 on $(peer_host "$o" "$p")"
        peer lifecycle chaincode install "$1" > "$LOGS/cc-install.log" 2>&1 \
          || { cat "$LOGS/cc-install.log" >&2; die "chaincode install failed on $(peer_host "$o" "$p")"; } )
    done
  done
}

start_jvm() { # PKGID JAR
  if pid_alive "$SUPERVISOR" && [[ "$(cat "$CCDIR/jvm.package" 2>/dev/null)" == "$1" ]]; then
    return 0   # already serves this package (an earlier run stopped after starting it)
  fi
  stop_pids "$SUPERVISOR" "$JVM"
  port_in_use "$(chaincode_port)" && die "port $(chaincode_port) (chaincode server) is in use by another process. Stop it, or choose other ports with FUSIONLEDGER_PORT_BASE."
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK 17+ and put it on PATH"
  log "starting the chaincode JVM ($1) on 127.0.0.1:$(chaincode_port) (TLS, supervised)"
  local exits_before; exits_before=$(grep -c 'exited (status' "$LOGS/$JVM.log" 2>/dev/null || true)
  # shellcheck disable=SC2086
  start_bg "$SUPERVISOR" "$LOGS/$JVM.log" \
    CHAINCODE_SERVER_ADDRESS="127.0.0.1:$(chaincode_port)" \
    CORE_CHAINCODE_ID_NAME="$1" \
    CORE_PEER_TLS_ENABLED=true \
    CORE_TLS_CLIENT_CERT_FILE="$CCTLS/server.crt" \
    CORE_TLS_CLIENT_KEY_FILE="$CCTLS/server.key" \
    CORE_TLS_CLIENT_CERT_PATH="$CCTLS/server.crt.b64" \
    CORE_TLS_CLIENT_KEY_PATH="$CCTLS/server.key.b64" \
    CORE_PEER_TLS_ROOTCERT_FILE="$CCTLS/ca.crt" \
    CHAINCODE_TLS_CLIENT_CA_FILE="$CCTLS/ca.crt" \
    bash "$NETWORK_SRC/chaincode-supervisor.sh" "$PIDS/$JVM.pid" java $FUSIONLEDGER_CHAINCODE_JAVA_OPTS -jar "$2"
  echo "$1" > "$CCDIR/jvm.package"
  wait_listening "$exits_before" true
}

# wait_listening EXITS_BEFORE FAIL_ON_EXIT: waits until the supervised JVM runs and listens. With
# FAIL_ON_EXIT=true a JVM exit during the wait (more 'exited' lines in the log than EXITS_BEFORE)
# stops the supervisor and fails: a JVM that cannot start is not restarted forever.
wait_listening() {
  local deadline=$(( SECONDS + FUSIONLEDGER_HEALTH_TIMEOUT ))
  until port_in_use "$(chaincode_port)" && pid_alive "$JVM"; do
    pid_alive "$SUPERVISOR" || { tail -n 40 "$LOGS/$JVM.log" >&2; die "the chaincode supervisor exited during start (log: $LOGS/$JVM.log)"; }
    if [[ $2 == true && $(grep -c 'exited (status' "$LOGS/$JVM.log" 2>/dev/null || true) -gt "${1:-0}" ]]; then
      tail -n 40 "$LOGS/$JVM.log" >&2; stop_pids "$SUPERVISOR" "$JVM"
      die "the chaincode JVM exited during start (log: $LOGS/$JVM.log)"
    fi
    (( SECONDS < deadline )) || die "the chaincode JVM does not listen on $(chaincode_port) after ${FUSIONLEDGER_HEALTH_TIMEOUT}s (log: $LOGS/$JVM.log)"
    sleep 0.3
  done
}

approve_and_commit() { # PKGID VERSION SEQUENCE
  local o args=() ready
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    ( peer_env "$o" 0
      ready=$(peer lifecycle chaincode checkcommitreadiness -C "$CHANNEL" -n "$CC_NAME" -v "$2" --sequence "$3" -O json 2>/dev/null \
        | jq -r --arg m "$(org_msp "$o")" '.approvals[$m] // false') || ready=false
      [[ "$ready" == true ]] && exit 0
      log "approving $CC_NAME sequence $3 for $(org_msp "$o")"
      # shellcheck disable=SC2046
      peer lifecycle chaincode approveformyorg $(orderer_args) -C "$CHANNEL" -n "$CC_NAME" -v "$2" \
        --package-id "$1" --sequence "$3" > "$LOGS/cc-approve.log" 2>&1 \
        || { cat "$LOGS/cc-approve.log" >&2; die "approveformyorg failed for $(org_msp "$o")"; } )
    args+=(--peerAddresses "127.0.0.1:$(peer_port "$o" 0)" --tlsRootCertFiles "$(org_tlsca "$o")")
  done
  log "committing $CC_NAME sequence $3"
  ( peer_env 1 0
    # shellcheck disable=SC2046
    peer lifecycle chaincode commit $(orderer_args) -C "$CHANNEL" -n "$CC_NAME" -v "$2" --sequence "$3" "${args[@]}" \
      > "$LOGS/cc-commit.log" 2>&1 || { cat "$LOGS/cc-commit.log" >&2; die "chaincode commit failed"; } )
}

# Discovery on every peer must offer endorsers of every org for the chaincode (gossip spreads the
# committed definition and the installed package); until then the Gateway cannot endorse.
wait_discoverable() {
  local o p out deadline=$(( SECONDS + FUSIONLEDGER_HEALTH_TIMEOUT ))
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    for (( p = 0; p < FUSIONLEDGER_PEERS_PER_ORG; p++ )); do
      until out=$(discover_as "$o" "$p" endorsers --chaincode "$CC_NAME" 2>&1) && all_orgs_in "$out"; do
        (( SECONDS < deadline )) || { echo "$out" >&2; die "discovery on $(peer_host "$o" "$p") does not offer endorsers of every org for $CC_NAME after ${FUSIONLEDGER_HEALTH_TIMEOUT}s (logs: $LOGS)"; }
        sleep 0.5
      done
    done
  done
}
all_orgs_in() {
  local o; for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    jq -e --arg m "$(org_msp "$o")" '[.[].EndorsersByGroups[][] | .MSPID] | index($m) != null' <<< "$1" >/dev/null 2>&1 || return 1
  done
}

# Every peer must reach the chaincode server (the Java contract API answers GetMetadata).
wait_reachable() {
  local o p deadline=$(( SECONDS + FUSIONLEDGER_HEALTH_TIMEOUT ))
  for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
    for (( p = 0; p < FUSIONLEDGER_PEERS_PER_ORG; p++ )); do
      ( peer_env "$o" "$p"
        until peer chaincode query -C "$CHANNEL" -n "$CC_NAME" -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}' > "$LOGS/cc-query.log" 2>&1; do
          pid_alive "$SUPERVISOR" || { tail -n 40 "$LOGS/$JVM.log" >&2; die "the chaincode JVM and its supervisor died (log: $LOGS/$JVM.log)"; }
          (( SECONDS < deadline )) || { cat "$LOGS/cc-query.log" >&2; die "$(peer_host "$o" "$p") cannot reach the chaincode after ${FUSIONLEDGER_HEALTH_TIMEOUT}s (logs: $LOGS)"; }
          sleep 0.5
        done )
    done
  done
}

main() {
  [[ -f "$WORK/.ready" ]] || die "the network is not up ($WORK). Run 'make network-up' first."
  if [[ ! -f "$JAR" ]]; then
    [[ -z "${1:-}" && -z "${FUSIONLEDGER_CHAINCODE_JAR:-}" ]] || die "chaincode jar $JAR not found"
    log "building the chaincode jar (mvn -o -q -pl chaincode -am package -Dmaven.test.skip=true)"
    (cd "$REPO_ROOT" && mvn -B -o -q -pl chaincode -am package -Dmaven.test.skip=true) || die "building the chaincode failed"
    [[ -f "$JAR" ]] || die "mvn did not produce $JAR"
  fi
  local sha label pkg pkgid seq version
  sha=$(sha256sum "$JAR" | cut -c1-64)
  label="${CC_NAME}_${sha:0:12}"
  version="${sha:0:12}"
  mkdir -p "$CCDIR"
  seq=$(committed_sequence)
  if [[ -f "$STATE" ]]; then
    # shellcheck disable=SC1090
    source "$STATE"
    # (a deployment from before the chaincode TLS, without CC_TLS=mutual, is redeployed with TLS)
    if [[ "${JAR_SHA:-}" == "$sha" && "${SEQUENCE:-}" == "$seq" && "${CC_TLS:-}" == mutual ]]; then
      if pid_alive "$SUPERVISOR"; then
        if ! pid_alive "$JVM" || ! port_in_use "$(chaincode_port)"; then
          log "the supervisor is restarting the chaincode JVM; waiting for it"
          wait_listening 0 false
          wait_reachable
        fi
        log "chaincode $label (sequence $seq) already deployed and running (supervised)"
        return 0
      fi
      log "chaincode $label is committed but its supervisor is not running: restarting it"
      make_tls
      start_jvm "$PACKAGE_ID" "$CCDIR/$sha.jar"
      wait_reachable
      wait_discoverable
      return 0
    fi
  fi
  cp "$JAR" "$CCDIR/$sha.jar.tmp" && mv "$CCDIR/$sha.jar.tmp" "$CCDIR/$sha.jar"
  make_tls
  pkg="$CCDIR/$label.tls.tar.gz"
  [[ -f "$pkg" ]] || make_package "$label" "$pkg"
  pkgid=$(peer lifecycle chaincode calculatepackageid "$pkg")
  install_everywhere "$pkg" "$pkgid"
  start_jvm "$pkgid" "$CCDIR/$sha.jar"
  local next=$(( seq + 1 ))
  approve_and_commit "$pkgid" "$version" "$next"
  printf 'JAR_SHA=%s\nPACKAGE_ID=%s\nSEQUENCE=%s\nCC_TLS=mutual\n' "$sha" "$pkgid" "$next" > "$STATE"
  wait_reachable
  wait_discoverable
  # old jars of earlier deployments are no longer used
  find "$CCDIR" -name '*.jar' ! -name "$sha.jar" -delete
  log "chaincode $CC_NAME deployed: package $pkgid, sequence $next"
}

with_lock main "$@"
