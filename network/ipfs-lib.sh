# shellcheck shell=bash
# Settings and helpers of the IPFS (Kubo) scripts: network/kubo-bin.sh, ipfs-up.sh, ipfs-down.sh.
# Sourced, never run. Uses the network's settings (network/lib.sh): one Kubo node per member
# organisation, its state under <workdir>/ipfs/org<o>, its pid file in <workdir>/pids/.
#
#   KUBO_VERSION   Kubo release tag (default v0.43.1)
#   KUBO_BIN       directory of the cached `ipfs` binary (default ~/.cache/fusionledger/kubo/<version>/bin)
#
# Ports (docs/network.md, B = FUSIONLEDGER_PORT_BASE, o = org, 1-based): RPC API B+100o+95,
# swarm (libp2p TCP) B+100o+96; no gateway.
# shellcheck source=network/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

: "${KUBO_VERSION:=v0.43.1}"
: "${KUBO_LIBP2P_VERSION:=v0.50.0}"
: "${KUBO_BIN:=${HOME}/.cache/fusionledger/kubo/${KUBO_VERSION}/bin}"
IPFS_WORK="$WORK/ipfs"

ipfs_api_port()   { echo $(( BASE + 100 * $1 + 95 )); }
ipfs_swarm_port() { echo $(( BASE + 100 * $1 + 96 )); }
ipfs_node()       { echo "ipfs.org$1"; }            # pid file / log name
ipfs_repo()       { echo "$IPFS_WORK/org$1"; }      # IPFS_PATH of org o's node
