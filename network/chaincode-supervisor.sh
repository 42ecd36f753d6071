#!/usr/bin/env bash
# Keeps the chaincode JVM running: starts CMD, and whenever it exits (killed, crashed, OOM) starts it
# again after a pause (1 s, doubling up to 30 s while it keeps dying within 60 s of its start; back
# to 1 s after a run of 60 s or more). Records the JVM's pid and command line in PIDFILE (the format
# of lib.sh's start_bg, so pid_alive and stop_pids work on it) each time it starts one.
# TERM/INT/HUP: stops the JVM (TERM, KILL after 10 s), removes PIDFILE and exits 0.
# Started by chaincode-deploy.sh (pid file pids/chaincode-supervisor.pid); stopped by down.sh.
# Usage: chaincode-supervisor.sh PIDFILE CMD...
set -uo pipefail
(( $# >= 2 )) || { echo "usage: chaincode-supervisor.sh PIDFILE CMD..." >&2; exit 2; }
pidfile=$1; shift
child=""
stopping=0
say() { printf '[supervisor %s] %s\n' "$(date +%H:%M:%S)" "$*"; }

stop() {
  stopping=1
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null
    for (( i = 0; i < 100; i++ )); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$child" 2>/dev/null && { say "JVM $child did not stop within 10 s, sending KILL"; kill -KILL "$child" 2>/dev/null; }
  fi
  rm -f "$pidfile"
  say "stopped"
  exit 0
}
trap stop TERM INT HUP

pause=1 restarts=0
while (( ! stopping )); do
  started=$SECONDS
  "$@" < /dev/null &
  child=$!
  printf '%s\n%s\n' "$child" "$(printf '%s ' "$@")" > "$pidfile.tmp" && mv "$pidfile.tmp" "$pidfile"
  say "JVM started (pid $child, restarts so far $restarts)"
  wait "$child"; rc=$?   # a TERM/INT/HUP meanwhile runs stop, which exits
  ran=$(( SECONDS - started ))
  if (( ran >= 60 )); then pause=1; fi
  say "JVM $child exited (status $rc) after ${ran} s; restarting in ${pause} s"
  restarts=$(( restarts + 1 ))
  sleep "$pause" & wait $!
  pause=$(( pause * 2 > 30 ? 30 : pause * 2 ))
done
stop
