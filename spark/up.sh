#!/usr/bin/env bash
# Starts a Spark standalone cluster on 127.0.0.1: one master and FUSIONLEDGER_SPARK_WORKERS worker
# JVMs (java -cp on Spark's jars from Maven Central), pid-tracked under $FUSIONLEDGER_SPARK_DIR.
# Idempotent: a healthy cluster with the same settings is reused; stale pid files are removed and
# stopped nodes restarted; other settings or a port in use are refused. Settings: spark/lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

settings() {
  printf 'base=%s workers=%s cores=%s memory=%s\n' "$SB" "$FUSIONLEDGER_SPARK_WORKERS" \
    "$FUSIONLEDGER_SPARK_WORKER_CORES" "$FUSIONLEDGER_SPARK_WORKER_MEMORY"
}

ensure_jars() {
  if ! ls "$FUSIONLEDGER_SPARK_JARS"/spark-core_2.13-*.jar >/dev/null 2>&1; then
    slog "Spark jars missing in $FUSIONLEDGER_SPARK_JARS: mvn -pl spark package (Maven Central artifacts)"
    (cd "$REPO_ROOT" && ${MVN:-mvn} ${MVN_FLAGS:--B} -q -pl spark package) \
      || sdie "building the Spark jars failed; run: mvn -pl spark package"
  fi
  command -v java >/dev/null || sdie "java not found (JDK 17 or newer)"
  command -v jq >/dev/null || sdie "jq not found (apt-get install jq)"
  command -v curl >/dev/null || sdie "curl not found"
}

# The SPARK_HOME that workers (executor class path) and spark-submit use.
lay_out_home() {
  mkdir -p "$SHOME/bin" "$SHOME/conf"
  ln -sfn "$FUSIONLEDGER_SPARK_JARS" "$SHOME/jars"
  ln -sfn "$SPARK_SRC/bin/spark-submit" "$SHOME/bin/spark-submit"
  cat > "$SHOME/conf/spark-defaults.conf" <<CONF
# written by spark/up.sh: the port plan of docs/spark.md
spark.master                     $(master_url)
spark.driver.host                127.0.0.1
spark.driver.bindAddress         127.0.0.1
spark.driver.port                $(driver_port)
spark.blockManager.port          $(blockmgr_port)
spark.port.maxRetries            16
spark.ui.enabled                 false
spark.executor.memory            512m
CONF
  cp "$SPARK_SRC/log4j2.properties" "$SHOME/conf/log4j2.properties"
}

wait_for() { # DESCRIPTION CMD...: polls CMD until true or the timeout
  local what=$1; shift
  local deadline=$(( SECONDS + FUSIONLEDGER_SPARK_TIMEOUT ))
  until "$@"; do
    (( SECONDS < deadline )) || { tail -n 20 "$SLOGS"/*.log >&2 || true
      sdie "$what not ready after ${FUSIONLEDGER_SPARK_TIMEOUT}s (logs: $SLOGS). Run 'make spark-down spark-up'."; }
    sleep 0.5
  done
}

master_alive() { [[ "$(master_json | jq -r .status 2>/dev/null)" == ALIVE ]]; }
workers_registered() { (( $(alive_workers) >= FUSIONLEDGER_SPARK_WORKERS )); }

start_master() {
  sport_in_use "$(master_port)" && sdie "port $(master_port) is in use by another process; set FUSIONLEDGER_SPARK_PORT_BASE"
  sport_in_use "$(master_ui_port)" && sdie "port $(master_ui_port) is in use; set FUSIONLEDGER_SPARK_PORT_BASE"
  sstart_bg master SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$SHOME" SPARK_SCALA_VERSION=2.13 \
    java -Xmx256m "${SPARK_JAVA_FLAGS[@]}" -Dlog4j2.configurationFile="$SHOME/conf/log4j2.properties" \
    -cp "$SHOME/conf:$SHOME/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$(master_port)" --webui-port "$(master_ui_port)"
  slog "master starting (pid $(head -n1 "$SPIDS/master.pid")) on $(master_url), status http://127.0.0.1:$(master_ui_port)/json/"
}

start_worker() {
  local i=$1 name="worker$1"
  sport_in_use "$(worker_port "$i")" && sdie "port $(worker_port "$i") is in use; set FUSIONLEDGER_SPARK_PORT_BASE"
  mkdir -p "$SWORK/$name"
  sstart_bg "$name" SPARK_LOCAL_IP=127.0.0.1 SPARK_HOME="$SHOME" SPARK_SCALA_VERSION=2.13 SPARK_CONF_DIR="$SHOME/conf" \
    java -Xmx256m "${SPARK_JAVA_FLAGS[@]}" -Dlog4j2.configurationFile="$SHOME/conf/log4j2.properties" \
    -cp "$SHOME/conf:$SHOME/jars/*" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --port "$(worker_port "$i")" --webui-port "$(worker_ui_port "$i")" \
    --cores "$FUSIONLEDGER_SPARK_WORKER_CORES" --memory "$FUSIONLEDGER_SPARK_WORKER_MEMORY" \
    --work-dir "$SWORK/$name" "$(master_url)"
  slog "$name starting (pid $(head -n1 "$SPIDS/$name.pid")) on 127.0.0.1:$(worker_port "$i")"
}

main() {
  ensure_jars
  if [[ -f "$SWORK/settings" && "$(cat "$SWORK/settings")" != "$(settings)" ]]; then
    if spid_alive master || ls "$SPIDS"/worker*.pid >/dev/null 2>&1; then
      sdie "a cluster with other settings runs in $SWORK ($(cat "$SWORK/settings")); run 'make spark-down' first"
    fi
  fi
  mkdir -p "$SWORK" "$SPIDS" "$SLOGS"
  settings > "$SWORK/settings"
  lay_out_home
  if spid_alive master; then
    slog "master already running (pid $(head -n1 "$SPIDS/master.pid"))"
  else
    rm -f "$SPIDS/master.pid"
    start_master
  fi
  wait_for "master" master_alive
  local i
  for (( i = 1; i <= FUSIONLEDGER_SPARK_WORKERS; i++ )); do
    if spid_alive "worker$i"; then
      slog "worker$i already running (pid $(head -n1 "$SPIDS/worker$i.pid"))"
    else
      rm -f "$SPIDS/worker$i.pid"
      start_worker "$i"
    fi
  done
  wait_for "$FUSIONLEDGER_SPARK_WORKERS workers" workers_registered
  slog "cluster up: $(master_url), $(alive_workers) workers x $FUSIONLEDGER_SPARK_WORKER_CORES core(s), SPARK_HOME $SHOME"
}

with_slock main
