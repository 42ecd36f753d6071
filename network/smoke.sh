#!/usr/bin/env bash
# A smoke transaction with the peer CLI: smoke:Put endorsed by the first peer of every org, then
# smoke:Get through Org2's peer and smoke:History (GetHistoryForKey). Needs a network with the
# chaincode deployed (make network-up chaincode-deploy). Settings: see lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -f "$WORK/chaincode/deployed.env" ]] || die "chaincode not deployed: run 'make network-up chaincode-deploy'"
key="smoke-$(date +%s)-$$"
peers=()
for (( o = 1; o <= FUSIONLEDGER_ORGS; o++ )); do
  peers+=(--peerAddresses "127.0.0.1:$(peer_port "$o" 0)" --tlsRootCertFiles "$(org_tlsca "$o")")
done
peer_env 1 0
for v in one two; do
  peer chaincode invoke -o "127.0.0.1:$(orderer_port "$(first_live_orderer)")" --tls --cafile "$(orderer_tlsca)" \
    -C "$CHANNEL" -n "$CC_NAME" "${peers[@]}" --waitForEvent \
    -c "{\"Args\":[\"smoke:Put\",\"$key\",\"$v\"]}" 2>&1 | grep 'status:200' >/dev/null \
    || die "smoke:Put failed"
done
peer_env 2 0
got=$(peer chaincode query -C "$CHANNEL" -n "$CC_NAME" -c "{\"Args\":[\"smoke:Get\",\"$key\"]}")
[[ "$got" == two ]] || die "smoke:Get via $(peer_host 2 0) returned '$got', expected 'two'"
hist=$(peer chaincode query -C "$CHANNEL" -n "$CC_NAME" -c "{\"Args\":[\"smoke:History\",\"$key\"]}")
n=$(jq length <<< "$hist")
(( n >= 2 )) || die "smoke:History returned $n entries, expected >= 2: $hist"
log "smoke transaction OK: key $key written twice (endorsed by ${FUSIONLEDGER_ORGS} orgs), read via $(peer_host 2 0), history $n entries"
