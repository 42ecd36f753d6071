#!/usr/bin/env bash
# add/cat throughput between the organisations' Kubo nodes (make bench-ipfs): for 10 MB and 100 MB
# of random bytes, `add` (pinned, CIDv1, raw leaves) on Org1's node, then `cat` of the CID on Org2's
# node (bitswap over the private swarm: a first, cold read) and again on Org1's node (local
# reference, same run); prints MB/s, each node's resident memory and the machine's load. Needs
# `make ipfs-up`. Settings: lib.sh, ipfs-lib.sh; BENCH_IPFS_SIZES (MB, default "10 100").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ipfs-lib.sh"

api() { echo "http://127.0.0.1:$(ipfs_api_port "$1")/api/v0"; }
for o in 1 2; do
  curl -fsS -m 2 -X POST "$(api "$o")/id" >/dev/null 2>&1 || die "no IPFS node of org$o answers: run make ipfs-up first"
done
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
rss() { local p; p=$(head -n1 "$PIDS/$(ipfs_node "$1").pid"); awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$p/status"; }
mbps() { awk -v b="$1" -v s="$2" -v e="$3" 'BEGIN { printf "%.1f", b / 1e6 / (e - s) }'; }  # bytes start end
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'resident memory before: org1 %s, org2 %s\n' "$(rss 1)" "$(rss 2)"
printf '%8s %14s %22s %20s\n' size "add org1 MB/s" "cat org2 (swarm) MB/s" "cat org1 (local) MB/s"
for mb in ${BENCH_IPFS_SIZES:-10 100}; do
  f="$tmp/$mb.bin"; head -c $(( mb * 1000 * 1000 )) /dev/urandom > "$f"
  bytes=$(stat -c %s "$f")
  t0=$(date +%s.%N)
  cid=$(curl -fsS -X POST -F "file=@$f" "$(api 1)/add?pin=true&cid-version=1&raw-leaves=true&progress=false&quieter=true" | jq -r .Hash)
  t1=$(date +%s.%N)
  got=$(curl -fsS -X POST "$(api 2)/cat?arg=$cid" | sha256sum | cut -d' ' -f1)
  t2=$(date +%s.%N)
  curl -fsS -X POST "$(api 1)/cat?arg=$cid" > /dev/null
  t3=$(date +%s.%N)
  [[ "$got" == "$(sha256sum < "$f" | cut -d' ' -f1)" ]] || die "org2 read other bytes than org1 added ($cid)"
  printf '%6s MB %14s %22s %20s\n' "$mb" "$(mbps "$bytes" "$t0" "$t1")" \
    "$(mbps "$bytes" "$t1" "$t2")" "$(mbps "$bytes" "$t2" "$t3")"
  for o in 1 2; do curl -fsS -X POST "$(api "$o")/pin/rm?arg=$cid" >/dev/null 2>&1 || true; done
done
printf 'resident memory after: org1 %s, org2 %s\n' "$(rss 1)" "$(rss 2)"
printf 'load average: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
