#!/usr/bin/env bash
# Stops exactly the processes spark/up.sh started (pid files, command line checked) and the
# executors their workers left (processes whose working directory is inside a worker directory of
# this cluster), then removes the cluster's state. Safe to run when nothing runs. Settings: spark/lib.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# executor JVMs run with their working directory in $SWORK/workerN/app-*/N
executor_pids() {
  local p cwd
  for p in /proc/[0-9]*; do
    cwd=$(readlink "$p/cwd" 2>/dev/null) || continue
    [[ "$cwd" == "$SWORK"/worker*/app-* ]] && echo "${p#/proc/}"
  done
}

main() {
  if [[ ! -d "$SWORK" ]]; then slog "nothing to do: $SWORK does not exist"; return 0; fi
  local names=() f
  for f in "$SPIDS"/worker*.pid; do [[ -e "$f" ]] && names+=("$(basename "$f" .pid)"); done
  (( ${#names[@]} )) && sstop "${names[@]}"
  local pid left=()
  for pid in $(executor_pids); do kill -TERM "$pid" 2>/dev/null && left+=("$pid"); done
  if (( ${#left[@]} )); then
    sleep 3
    for pid in "${left[@]}"; do kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true; done
    slog "stopped ${#left[@]} executor(s) left by the workers: ${left[*]}"
  fi
  sstop master
  find "$SWORK" -mindepth 1 -maxdepth 1 ! -name .lock -exec rm -rf {} +
  slog "spark cluster down, state removed ($SWORK)"
}

with_slock main
