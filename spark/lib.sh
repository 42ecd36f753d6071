# shellcheck shell=bash
# Settings and helpers of the Spark standalone cluster scripts (docs/spark.md). Sourced, never run.
#
# Every setting can be overridden by an environment variable of the same name:
#   FUSIONLEDGER_SPARK_DIR            work directory: pids, logs, worker dirs, SPARK_HOME layout
#                                     (default ~/.cache/fusionledger/spark)
#   FUSIONLEDGER_SPARK_PORT_BASE      first port of the plan below (default 15000, 1024..64000)
#   FUSIONLEDGER_SPARK_WORKERS        worker JVMs (default 2, 1..4)
#   FUSIONLEDGER_SPARK_WORKER_CORES   cores each worker offers (default 1, 1..16)
#   FUSIONLEDGER_SPARK_WORKER_MEMORY  memory each worker offers to executors (default 1g)
#   FUSIONLEDGER_SPARK_JARS           Spark's jars (default spark/target/jars, built
#                                     by Maven from Maven Central artifacts)
#   FUSIONLEDGER_SPARK_TIMEOUT        seconds to wait for the master and the workers (default 60)
#
# Port plan (base B, all on 127.0.0.1): master B, master web UI/JSON B+80, worker i (1-based)
# B+10+i and web UI B+80+i, application drivers B+20.. (spark.driver.port), block managers B+40..
# (spark.blockManager.port); Spark tries up to 16 ports upward from each (spark.port.maxRetries).

SPARK_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SPARK_SRC/.." && pwd)"
# shellcheck source=network/procs.sh
source "$REPO_ROOT/network/procs.sh"

: "${FUSIONLEDGER_SPARK_DIR:=${HOME}/.cache/fusionledger/spark}"
: "${FUSIONLEDGER_SPARK_PORT_BASE:=15000}"
: "${FUSIONLEDGER_SPARK_WORKERS:=2}"
: "${FUSIONLEDGER_SPARK_WORKER_CORES:=1}"
: "${FUSIONLEDGER_SPARK_WORKER_MEMORY:=1g}"
: "${FUSIONLEDGER_SPARK_JARS:=$REPO_ROOT/spark/target/jars}"
: "${FUSIONLEDGER_SPARK_TIMEOUT:=60}"

SWORK="$FUSIONLEDGER_SPARK_DIR"
SPIDS="$SWORK/pids"
SLOGS="$SWORK/logs"
SHOME="$SWORK/home"
SB=$FUSIONLEDGER_SPARK_PORT_BASE

slog() { printf '[spark %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
sdie() { printf '[spark] ERROR: %s\n' "$*" >&2; exit 1; }

scheck_int() {
  [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= $3 && $2 <= $4 )) || sdie "$1 must be an integer in $3..$4, got '$2'"
}
scheck_int FUSIONLEDGER_SPARK_PORT_BASE "$SB" 1024 64000
scheck_int FUSIONLEDGER_SPARK_WORKERS "$FUSIONLEDGER_SPARK_WORKERS" 1 4
scheck_int FUSIONLEDGER_SPARK_WORKER_CORES "$FUSIONLEDGER_SPARK_WORKER_CORES" 1 16
scheck_int FUSIONLEDGER_SPARK_TIMEOUT "$FUSIONLEDGER_SPARK_TIMEOUT" 1 3600
[[ "$FUSIONLEDGER_SPARK_WORKER_MEMORY" =~ ^[0-9]+[mg]$ ]] \
  || sdie "FUSIONLEDGER_SPARK_WORKER_MEMORY must be like 512m or 2g, got '$FUSIONLEDGER_SPARK_WORKER_MEMORY'"

master_port()      { echo "$SB"; }
master_ui_port()   { echo $(( SB + 80 )); }
worker_port()      { echo $(( SB + 10 + $1 )); }
worker_ui_port()   { echo $(( SB + 80 + $1 )); }
driver_port()      { echo $(( SB + 20 )); }
blockmgr_port()    { echo $(( SB + 40 )); }
master_url()       { echo "spark://127.0.0.1:$(master_port)"; }

# The JVM flags Spark needs on Java 17 (the list Spark's own launcher passes; the same list is in
# fusion-spark/pom.xml for the tests).
SPARK_JAVA_FLAGS=(-XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true)

# ---- processes (pid files under $SPIDS: pid, then the command line; network/procs.sh) --------
spid_alive() { procs_alive "$SPIDS" "$1"; }

# sstart_bg NAME [VAR=VALUE...] CMD...: starts CMD detached in its own session with the extra
# environment, log in $SLOGS/NAME.log; records the pid and CMD's command line.
sstart_bg() { local name=$1; shift; procs_start "$SPIDS" "$name" "$SLOGS/$name.log" "$@"; }

# sstop NAME...: TERM to the recorded processes, KILL after 15 s; only pids whose command line matches.
sstop() { procs_stop "$SPIDS" slog 15 "$@"; }

sport_in_use() { port_in_use "$1"; }

# master_json: the master's status JSON (workers, applications), or nothing.
master_json() { curl -fsS -m 3 "http://127.0.0.1:$(master_ui_port)/json/" 2>/dev/null; }

# alive_workers: how many workers the master lists as ALIVE.
alive_workers() { master_json | jq '[.workers[] | select(.state == "ALIVE")] | length' 2>/dev/null || echo 0; }

# with_slock CMD...: runs CMD holding the work directory's lock.
with_slock() {
  mkdir -p "$SWORK"
  exec 9>"$SWORK/.lock"
  flock -w 300 9 || sdie "another spark script holds $SWORK/.lock"
  "$@"
}
