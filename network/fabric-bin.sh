#!/usr/bin/env bash
# Builds the Hyperledger Fabric commands (peer, orderer, configtxgen, cryptogen, osnadmin, discover) from the
# Go module proxy at the pinned commit and caches them in $FABRIC_BIN, with Fabric's sampleconfig
# core.yaml and orderer.yaml in $FABRIC_BIN/../config. Does nothing when the cache
# already holds binaries of that version (stamp file $FABRIC_BIN/.fabric-version).
#
# Settings (environment):
#   FABRIC_VERSION         release name reported by `peer version` (default 2.5.9)
#   FABRIC_COMMIT          full commit hash of github.com/hyperledger/fabric for that release
#   FABRIC_PSEUDO_VERSION  the Go pseudo-version of that commit; when it differs from the one in
#                          network/fabric-build/go.mod the module is re-resolved in a temporary copy
#   FABRIC_BIN             where the binaries go (default ~/.cache/fusionledger/fabric/<version>-<commit12>/bin)
# Needs Go >= 1.26.4 and access to the Go module proxy (GOPROXY as configured) on a cold cache.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

TOOLS=(peer orderer configtxgen cryptogen osnadmin discover)
STAMP="$FABRIC_BIN/.fabric-version"
WANT="$FABRIC_VERSION $FABRIC_COMMIT $FABRIC_PSEUDO_VERSION"

up_to_date() {
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$WANT" ]] || return 1
  local t; for t in "${TOOLS[@]}"; do [[ -x "$FABRIC_BIN/$t" ]] || return 1; done
  [[ -f "$FABRIC_CONFIG/core.yaml" && -f "$FABRIC_CONFIG/orderer.yaml" ]]
}

if up_to_date; then
  log "Fabric $FABRIC_VERSION binaries present in $FABRIC_BIN"
  exit 0
fi
# Prebuilt binaries (e.g. a Fabric release archive: bin/ and config/ side by side) put there by hand:
# no stamp, no unfinished build of ours.
if [[ ! -f "$STAMP" && ! -f "$FABRIC_BIN/.building" ]] && (
     for t in "${TOOLS[@]}"; do [[ -x "$FABRIC_BIN/$t" ]] || exit 1; done
     [[ -f "$FABRIC_CONFIG/core.yaml" && -f "$FABRIC_CONFIG/orderer.yaml" ]] ); then
  log "using prebuilt Fabric binaries in $FABRIC_BIN ($("$FABRIC_BIN/peer" version | sed -n 's/^ Version: /version /p'); no build stamp)"
  exit 0
fi

command -v go >/dev/null 2>&1 || die "Go is not installed. Install Go >= $MIN_GO_VERSION (https://go.dev/dl/) and put it on PATH, or point FABRIC_BIN at prebuilt Fabric $FABRIC_VERSION binaries."
gov=$(go env GOVERSION); gov=${gov#go}
older() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" != "$2" ]]; }  # older A B: A < B
if older "$gov" "$MIN_GO_VERSION"; then
  # Go >= 1.21 can fetch a newer toolchain itself, through the Go module proxy (GOTOOLCHAIN)
  if ! older "$gov" 1.21 && tgov=$(GOTOOLCHAIN="go$MIN_GO_VERSION" go env GOVERSION 2>/dev/null) && [[ "$tgov" == "go$MIN_GO_VERSION" ]]; then
    log "Go $gov is older than $MIN_GO_VERSION: using toolchain go$MIN_GO_VERSION from the Go module proxy (GOTOOLCHAIN)"
    export GOTOOLCHAIN="go$MIN_GO_VERSION"
  else
    die "Go $gov is too old: Go >= $MIN_GO_VERSION is needed to build Fabric. Install a newer Go (https://go.dev/dl/) and put it first on PATH."
  fi
fi

SRC="$NETWORK_SRC/fabric-build"
pinned=$(sed -n 's#^require github.com/hyperledger/fabric \(v[^ ]*\)$#\1#p' "$SRC/go.mod")
build_dir="$SRC"
tmp=""
trap '[[ -n "$tmp" ]] && rm -rf "$tmp"' EXIT
if [[ "$pinned" != "$FABRIC_PSEUDO_VERSION" ]]; then
  # Another Fabric version: resolve it in a throw-away copy, never touching the committed go.sum.
  tmp=$(mktemp -d)
  cp "$SRC/go.mod" "$SRC/go.sum" "$SRC/tools.go" "$tmp/"
  build_dir="$tmp"
  log "re-resolving the builder module for github.com/hyperledger/fabric@$FABRIC_PSEUDO_VERSION"
  (cd "$tmp" && go mod edit -require="github.com/hyperledger/fabric@$FABRIC_PSEUDO_VERSION" \
      && GOFLAGS=-mod=mod go mod tidy) \
    || die "could not resolve github.com/hyperledger/fabric@$FABRIC_PSEUDO_VERSION from the Go module proxy ($(go env GOPROXY)). Check FABRIC_PSEUDO_VERSION; if the checksum database is unreachable, run with GONOSUMDB=github.com/hyperledger/fabric or GOSUMDB=off."
fi

mkdir -p "$FABRIC_BIN"
rm -f "$STAMP"
touch "$FABRIC_BIN/.building"
pkg=github.com/hyperledger/fabric
ldflags="-X $pkg/common/metadata.Version=$FABRIC_VERSION -X $pkg/common/metadata.CommitSHA=${FABRIC_COMMIT:0:7} -X $pkg/common/metadata.BaseDockerLabel=org.hyperledger.fabric -X $pkg/common/metadata.DockerNamespace=hyperledger"
log "building Fabric $FABRIC_VERSION (${FABRIC_COMMIT:0:12}) into $FABRIC_BIN (first time: a few minutes)"
start=$SECONDS
# go.sum of the builder module holds every hash, so the checksum database is not consulted for
# modules it lists (GOFLAGS=-mod=mod lets go add nothing else: tidy already did).
(
  cd "$build_dir"
  pkgs=(); for t in "${TOOLS[@]}"; do pkgs+=("$pkg/cmd/$t"); done
  GOFLAGS="-mod=mod" go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$FABRIC_BIN/" "${pkgs[@]}" \
    || die "go build of the Fabric commands failed (see above)"
)
# Fabric's sampleconfig (base of core.yaml / orderer.yaml, see up.sh) is kept next to the binaries,
# so starting the network needs neither Go nor the module cache.
mkdir -p "$FABRIC_CONFIG"
moddir=$(cd "$build_dir" && GOFLAGS=-mod=mod go list -m -f '{{.Dir}}' "$pkg") \
  || die "cannot locate the downloaded $pkg module"
cp "$moddir/sampleconfig/core.yaml" "$moddir/sampleconfig/orderer.yaml" "$FABRIC_CONFIG/"
chmod u+w "$FABRIC_CONFIG"/*.yaml
echo "$WANT" > "$STAMP"
rm -f "$FABRIC_BIN/.building"
log "built ${TOOLS[*]} in $(( SECONDS - start )) s"
"$FABRIC_BIN/peer" version | sed 's/^/  /' >&2
