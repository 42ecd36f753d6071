#!/usr/bin/env bash
# Self-test of the network scripts on a private network (own work directory and ports, so it never
# touches the network of `make network-up`): idempotent up, stale pid restart, half-started and
# changed-settings refusals, port in use, deploy / no-op / redeploy with the next sequence / JVM
# restart (by deploy, by up, and by the supervisor on its own), the chaincode server's TLS, smoke
# transaction, down. Every check asserts the state the scripts leave.
# Usage: selftest.sh [chaincode.jar]   (default chaincode/target/fusionledger-chaincode.jar)
# Settings: SELFTEST_DIR (default a temporary directory), SELFTEST_PORT_BASE (default 17000).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="${1:-$HERE/../chaincode/target/fusionledger-chaincode.jar}"
[[ -f "$JAR" ]] || { echo "selftest: $JAR not found; build it with 'make chaincode'" >&2; exit 1; }
export FUSIONLEDGER_NETWORK_DIR="${SELFTEST_DIR:-$(mktemp -d /tmp/fusionledger-selftest.XXXXXX)}"
export FUSIONLEDGER_PORT_BASE="${SELFTEST_PORT_BASE:-17000}"
unset FUSIONLEDGER_ORDERERS FUSIONLEDGER_ORGS FUSIONLEDGER_PEERS_PER_ORG FUSIONLEDGER_USERS FUSIONLEDGER_BATCH_TIMEOUT FUSIONLEDGER_BATCH_MAX_MESSAGES
source "$HERE/lib.sh"
OUT="$WORK.log"
pass=0
ok()   { pass=$(( pass + 1 )); printf '[selftest] ok   %s\n' "$*"; }
fail() { printf '[selftest] FAIL %s (script output: %s)\n' "$*" "$OUT" >&2; "$HERE/down.sh" >>"$OUT" 2>&1 || true; exit 1; }
run()  { "$@" >>"$OUT" 2>&1; }                       # quiet, output kept in $OUT
fails_with() { # MESSAGE CMD...: CMD must exit non-zero and print MESSAGE
  local msg=$1; shift; local out
  if out=$("$@" 2>&1); then echo "$out" >>"$OUT"; return 1; fi
  echo "$out" >>"$OUT"; grep -qF -- "$msg" <<< "$out"
}
pid_of() { head -n1 "$PIDS/$1.pid"; }
trap 'echo "[selftest] interrupted" >&2; "$HERE/down.sh" >>"$OUT" 2>&1 || true' INT TERM

: > "$OUT"
run "$HERE/up.sh" || fail "up on an empty work directory"
run "$HERE/status.sh" --quiet || fail "status after up"
[[ $(jq '[.organizations[] | select(.users | has("Admin") and has("User5"))] | length' "$WORK/connection-profile.json") == 2 ]] \
  || fail "profile lists Org1MSP and Org2MSP with Admin..User5"
jq -r '.organizations[] | .peers[].tlsCaCert, (.users[] | .certificate, .privateKey)' "$WORK/connection-profile.json" \
  | while read -r f; do [[ -f "$f" ]] || exit 1; done || fail "every file the profile names exists"
ok "up: nodes healthy, connection profile complete"

before=$(cat "$PIDS"/*.pid | md5sum)
run "$HERE/up.sh" || fail "second up"
[[ "$(cat "$PIDS"/*.pid | md5sum)" == "$before" ]] || fail "second up restarted something"
ok "up again: no-op, same processes"

victim=$(peer_host 2 0); old=$(pid_of "$victim")
kill -KILL "$old"; while kill -0 "$old" 2>/dev/null; do sleep 0.1; done
set +e; "$HERE/status.sh" --quiet; rc=$?; set -e
[[ $rc == 2 ]] || fail "status with a stopped peer exits 2 (got $rc)"
run "$HERE/up.sh" || fail "up with a stale pid file"
[[ "$(pid_of "$victim")" != "$old" ]] && run "$HERE/status.sh" --quiet || fail "stopped peer restarted"
ok "stale pid file: the stopped peer is restarted on its ledger"

FUSIONLEDGER_ORGS=3 fails_with "created with other settings" "$HERE/up.sh" || fail "up with other settings is refused"
ok "up with other settings: refused with what to do"

mv "$WORK/.ready" "$WORK/.ready.off"
fails_with "half-started network" "$HERE/up.sh" || fail "half-started network with processes is refused"
mv "$WORK/.ready.off" "$WORK/.ready"
ok "half-started network with running processes: refused with what to do"

run "$HERE/chaincode-deploy.sh" "$JAR" || fail "deploy"
[[ $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 1 ]] || fail "first deploy has sequence 1"
run "$HERE/smoke.sh" || fail "smoke transaction"
jvm=$(pid_of "chaincode-$CC_NAME")
run "$HERE/chaincode-deploy.sh" "$JAR" || fail "deploy of the same jar"
[[ $(pid_of "chaincode-$CC_NAME") == "$jvm" && $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 1 ]] \
  || fail "same jar again is a no-op"
ok "deploy: committed as sequence 1, smoke transaction by both orgs, same jar again a no-op"

jar2="$WORK/other.jar"; cp "$JAR" "$jar2"
( cd "$WORK" && printf 'selftest %s\n' "$(date +%s%N)" > selftest.txt && jar uf "$jar2" selftest.txt ) >>"$OUT" 2>&1 \
  || fail "making a changed jar"
run "$HERE/chaincode-deploy.sh" "$jar2" || fail "redeploy"
[[ $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 2 && $(pid_of "chaincode-$CC_NAME") != "$jvm" ]] \
  || fail "a changed jar is committed with sequence 2 and a new JVM"
run "$HERE/smoke.sh" || fail "smoke transaction after redeploy"
jvm=$(pid_of "chaincode-$CC_NAME"); sup=$(pid_of chaincode-supervisor); kill -KILL "$jvm"
t0=$SECONDS; until pid_alive "chaincode-$CC_NAME" && [[ $(pid_of "chaincode-$CC_NAME") != "$jvm" ]] && port_in_use "$(chaincode_port)"; do
  (( SECONDS - t0 < 60 )) || fail "the supervisor restarts a killed chaincode JVM within 60 s"; sleep 0.3
done
[[ $(pid_of chaincode-supervisor) == "$sup" ]] || fail "the supervisor itself keeps running"
run "$HERE/smoke.sh" || fail "smoke transaction after the supervisor restarted the JVM"
ok "chaincode JVM killed: the supervisor restarted it in $(( SECONDS - t0 )) s, smoke transaction passes"
if command -v openssl >/dev/null 2>&1; then
  # TLS 1.3: the server's "certificate required" alert comes after the handshake, so keep stdin open a moment
  out=$( (sleep 1; echo) | timeout 10 openssl s_client -connect "127.0.0.1:$(chaincode_port)" -CAfile "$CRYPTO/chaincode/ca.crt" -alpn h2 2>&1 || true)
  grep -q "Verify return code: 0" <<< "$out" || fail "the chaincode server presents a certificate of the chaincode TLS CA"
  grep -q "certificate required" <<< "$out" || fail "the chaincode server refuses a client without a certificate"
  ok "chaincode server: TLS with the network's chaincode CA, clients without a certificate refused"
fi
jvm=$(pid_of "chaincode-$CC_NAME"); stop_pids chaincode-supervisor "chaincode-$CC_NAME" >>"$OUT" 2>&1
kill -0 "$jvm" 2>/dev/null && fail "stopping the supervisor stops the JVM"
run "$HERE/chaincode-deploy.sh" "$jar2" || fail "deploy after the JVM and its supervisor stopped"
pid_alive "chaincode-$CC_NAME" && pid_alive chaincode-supervisor && [[ $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 2 ]] \
  || fail "the JVM is restarted without a new sequence"
run "$HERE/smoke.sh" || fail "smoke transaction after the JVM restart"
jvm=$(pid_of "chaincode-$CC_NAME"); sup=$(pid_of chaincode-supervisor); kill -KILL "$sup" "$jvm"
while kill -0 "$jvm" 2>/dev/null || kill -0 "$sup" 2>/dev/null; do sleep 0.1; done
old=$(pid_of "$(peer_host 1 0)"); kill -KILL "$old"; while kill -0 "$old" 2>/dev/null; do sleep 0.1; done
run "$HERE/up.sh" && run "$HERE/status.sh" --quiet || fail "up restarts a stopped peer and the chaincode JVM"
[[ $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 2 ]] || fail "up keeps the committed sequence"
run "$HERE/smoke.sh" || fail "smoke transaction after up restarted peer and JVM"
ok "redeploy: sequence 2, new JVM; a dead JVM is restarted without a new sequence (by deploy and by up)"

sed -i '/^CC_TLS=/d' "$WORK/chaincode/deployed.env"
run "$HERE/chaincode-deploy.sh" "$jar2" || fail "deploy over a deployment from before the chaincode TLS"
[[ $(sed -n 's/^SEQUENCE=//p' "$WORK/chaincode/deployed.env") == 3 ]] && grep -qx CC_TLS=mutual "$WORK/chaincode/deployed.env" \
  || fail "a deployment from before the chaincode TLS is redeployed with TLS as sequence 3"
run "$HERE/smoke.sh" || fail "smoke transaction after the TLS redeploy"
ok "a deployment from before the chaincode TLS (no CC_TLS) is redeployed with TLS as the next sequence"

pids=$(for f in "$PIDS"/*.pid; do head -n1 "$f"; done)
run "$HERE/down.sh" || fail "down"
for p in $pids; do kill -0 "$p" 2>/dev/null && fail "down left pid $p running"; done
[[ -z "$(ls -A "$WORK" | grep -v '^\.lock$')" ]] || fail "down removes the state"
ok "down: every process stopped, state removed"

mkdir -p "$CRYPTO/leftover" "$WORK/nodes"; touch "$WORK/.fusionledger-network"
run "$HERE/up.sh" && [[ ! -d "$CRYPTO/leftover" ]] || fail "half-started network with nothing running is wiped and started"
ok "half-started network with nothing running: wiped and started anew"
run "$HERE/down.sh" || fail "down"

if command -v python3 >/dev/null 2>&1; then
  python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(120)' \
    "$(orderer_ops_port 0)" & blocker=$!
  for (( i = 0; i < 50; i++ )); do port_in_use "$(orderer_ops_port 0)" && break; sleep 0.1; done
  fails_with "port $(orderer_ops_port 0)" "$HERE/up.sh" || { kill "$blocker"; fail "up with a port in use is refused"; }
  kill "$blocker"; wait "$blocker" 2>/dev/null || true
  [[ ! -d "$CRYPTO" ]] || fail "nothing generated when a port is in use"
  ok "port in use: refused before anything is generated, naming the port"
fi
run "$HERE/down.sh" || true
[[ -z "${SELFTEST_DIR:-}" ]] && rm -rf "$WORK" "$OUT"
echo "[selftest] all $pass checks passed"
