#!/usr/bin/env bash
# Builds Kubo (the IPFS node, command `ipfs`) from the Go module proxy and caches it in $KUBO_BIN.
# Does nothing when the cache already holds that version (stamp file $KUBO_BIN/.kubo-version).
#
# Kubo v0.43.1's go.mod replaces github.com/libp2p/go-libp2p by a fork at a pseudo-version that the
# Go module proxy does not serve, so neither `go install module@version` nor a build in the module
# works. The script downloads the module (verified by the checksum database like any module),
# copies it to a temporary directory, drops that replace and requires the upstream go-libp2p
# release that followed the fork (KUBO_LIBP2P_VERSION), and builds cmd/ipfs there; modules the
# change adds are verified by the checksum database too.
#
# Settings (environment):
#   KUBO_VERSION  Kubo release tag (default v0.43.1, the newest the module proxy serves here)
#   KUBO_BIN      where the binary goes (default ~/.cache/fusionledger/kubo/<version>/bin)
#   KUBO_LIBP2P_VERSION  upstream go-libp2p in place of the fork (default v0.50.0)
# Needs Go >= the version Kubo's go.mod names (1.26.5 for v0.43.1) and the Go module proxy on a cold cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/ipfs-lib.sh"

STAMP="$KUBO_BIN/.kubo-version"
WANT="$KUBO_VERSION go-libp2p@$KUBO_LIBP2P_VERSION"
if [[ -x "$KUBO_BIN/ipfs" && -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]]; then
  log "Kubo $KUBO_VERSION present in $KUBO_BIN"
  exit 0
fi
command -v go >/dev/null 2>&1 || die "Go is not installed. Install Go (https://go.dev/dl/) and put it on PATH to build Kubo $KUBO_VERSION."
log "building Kubo $KUBO_VERSION into $KUBO_BIN (first time: a few minutes)"
start=$SECONDS
dir=$(go mod download -json "github.com/ipfs/kubo@$KUBO_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') \
  || die "could not download github.com/ipfs/kubo@$KUBO_VERSION from the Go module proxy ($(go env GOPROXY))"
[[ -n "$dir" && -f "$dir/go.mod" ]] || die "go mod download gave no directory for github.com/ipfs/kubo@$KUBO_VERSION"
mkdir -p "$KUBO_BIN"
rm -f "$STAMP"
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
cp -r "$dir/." "$tmp/"
chmod -R u+w "$tmp"
# Kubo's go.mod may ask for a newer Go than installed; GOTOOLCHAIN=auto (Go's default) fetches it
# from the module proxy.
(
  cd "$tmp"
  if grep -q '^replace github.com/libp2p/go-libp2p ' go.mod; then
    go mod edit -dropreplace=github.com/libp2p/go-libp2p -require="github.com/libp2p/go-libp2p@$KUBO_LIBP2P_VERSION"
  fi
  GOFLAGS=-mod=mod go build -trimpath -o "$KUBO_BIN/ipfs.tmp" ./cmd/ipfs
) || die "building Kubo $KUBO_VERSION failed (output above)"
mv "$KUBO_BIN/ipfs.tmp" "$KUBO_BIN/ipfs"
echo "$WANT" > "$STAMP"
log "built $("$KUBO_BIN/ipfs" version) in $(( SECONDS - start )) s"
