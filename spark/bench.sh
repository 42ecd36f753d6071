#!/usr/bin/env bash
# make bench-spark: the same fusion (Strategy II, one epoch per stage, 10 models x 64 features,
# d = 10, batch BENCH_SPARK_BATCH) on N = BENCH_SPARK_ROWS synthetic rows, on one JVM
# (FusionTrainer) and on the standalone cluster with 1 and 2 workers (1 core each), all in the same
# run; prints samples/s and wall time of the fit, the machine's load, and writes
# fusion-spark/target/bench-spark.txt. Starts and stops its own cluster (refuses when one runs).
# Settings: BENCH_SPARK_ROWS (default "100000 1000000"), BENCH_SPARK_BATCH (default 16384),
# BENCH_SPARK_EXECUTOR_MEMORY (default 5g), BENCH_SPARK_LOCAL_HEAP (default 11g; the one-JVM trainer
# holds the rows twice), BENCH_SPARK_RUNS (default "local cluster1 cluster2"); spark/lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ROWS=${BENCH_SPARK_ROWS:-100000 1000000}
BATCH=${BENCH_SPARK_BATCH:-16384}
EXEC_MEM=${BENCH_SPARK_EXECUTOR_MEMORY:-5g}
LOCAL_HEAP=${BENCH_SPARK_LOCAL_HEAP:-11g}
RUNS=${BENCH_SPARK_RUNS:-local cluster1 cluster2}
APP="$REPO_ROOT/fusion-spark/target/fusion-spark-app.jar"
OUT="$REPO_ROOT/fusion-spark/target/bench-spark"
REPORT="$REPO_ROOT/fusion-spark/target/bench-spark.txt"
[[ -f "$APP" ]] || sdie "$APP missing: run mvn -pl spark,fusion-spark -am package -DskipTests"
mkdir -p "$OUT"
if "$SPARK_SRC/status.sh" --quiet; then sdie "a cluster runs in $SWORK; stop it with 'make spark-down' first"; fi
TASK=(--models 10 --features 64 --classes 10 --subset 5 --stage1-epochs 1 --stage2-epochs 1 --batch-size "$BATCH")

load() { cut -d' ' -f1-3 /proc/loadavg; }
results=()
cleanup() { "$SPARK_SRC/down.sh" >/dev/null 2>&1 || true; }
trap cleanup EXIT

for n in $ROWS; do
  if [[ " $RUNS " == *" local "* ]]; then
  slog "N = $n: one JVM (FusionTrainer, -Xmx$LOCAL_HEAP)"
  l0=$(load)
  java -Xmx"$LOCAL_HEAP" "${SPARK_JAVA_FLAGS[@]}" -cp "$APP:$FUSIONLEDGER_SPARK_JARS/*" \
    dev.fusionledger.spark.app.FusionSparkApp local --rows "$n" "${TASK[@]}" --out "$OUT/local-$n" \
    > "$OUT/local-$n.log" 2>&1 || { tail -n 20 "$OUT/local-$n.log" >&2; sdie "one-JVM run failed (N = $n)"; }
  results+=("$(jq -r --arg l "$l0" '"one JVM         \(.rows)  \(.samplesPerSecond|floor)  \(.fitSeconds*10|floor/10)  -  \(.samplesPerSecond|floor)  \($l)  \(.blas)"' "$OUT/local-$n/result.json")")
  fi
  for w in 1 2; do
    [[ " $RUNS " == *" cluster$w "* ]] || continue
    FUSIONLEDGER_SPARK_WORKERS=$w FUSIONLEDGER_SPARK_WORKER_MEMORY=$EXEC_MEM "$SPARK_SRC/up.sh"
    slog "N = $n: cluster with $w worker(s)"
    l0=$(load)
    FUSIONLEDGER_SPARK_DRIVER_MEMORY=1g "$SHOME/bin/spark-submit" --master "$(master_url)" \
      --class dev.fusionledger.spark.app.FusionSparkApp --conf spark.executor.memory="$EXEC_MEM" \
      --conf spark.executor.cores=1 --conf spark.cores.max="$w" "$APP" \
      fit --rows "$n" --test-rows 10000 --partitions "$(( 2 * w ))" --no-save-model "${TASK[@]}" --out "$OUT/cluster$w-$n" \
      > "$OUT/cluster$w-$n.log" 2>&1 || { tail -n 20 "$OUT/cluster$w-$n.log" >&2; sdie "cluster run failed (N = $n, $w workers)"; }
    results+=("$(jq -r --arg l "$l0" --arg w "$w" '"cluster \($w) worker\(if $w == "1" then " " else "s" end) \(.rows)  \(.samplesPerSecond|floor)  \(.fitSeconds*10|floor/10)  \(.trainSeconds*10|floor/10)  \(.trainSamplesPerSecond|floor)  \($l)  \(.executorBlas|join(","))  test accuracy \(.testAccuracy)"' "$OUT/cluster$w-$n/result.json")")
    "$SPARK_SRC/down.sh"
  done
done

{
  echo "make bench-spark: Strategy II, 1+1 epochs, 10 models x 64 features, d = 10, batch $BATCH; $(nproc) cores, $(date -u +%FT%TZ)"
  echo "run              N  samples/s(fit)  fit-wall-s  steps-wall-s  samples/s(steps)  load(1,5,15 at start)  BLAS"
  echo "(fit = the whole fit call: the cluster's includes drawing the rows and caching them as blocks; steps = the optimisation alone)"
  printf '%s\n' "${results[@]}"
} | tee "$REPORT"
