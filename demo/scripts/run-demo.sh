#!/usr/bin/env bash
# Runs the demo main (dev.fusionledger.demo.run.Demo) on the class path Maven wrote to
# demo/target/classpath.txt (`mvn -pl demo -am package -DskipTests`). The network must be up with the
# chaincode deployed (`make demo` does both). Arguments go to the demo: see `run-demo.sh --help`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CP_FILE="$ROOT/demo/target/classpath.txt"
[[ -f "$CP_FILE" && -d "$ROOT/demo/target/classes" ]] \
  || { echo "run-demo.sh: $CP_FILE missing; build first: mvn -o -q -pl demo -am package -DskipTests" >&2; exit 2; }
cd "$ROOT"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java ${DEMO_JAVA_OPTS:--Xmx4g} -Djava.awt.headless=true -Dai.djl.offline=true -Dai.djl.default_engine=PyTorch \
  -DENGINE_CACHE_DIR="${ENGINE_CACHE_DIR:-$HOME/.cache/fusionledger/djl}" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$ROOT/demo/target/classes:$(cat "$CP_FILE")" "${DEMO_MAIN:-dev.fusionledger.demo.run.Demo}" "$@"
