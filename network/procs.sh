# Process helpers shared by the network scripts (network/lib.sh) and the Spark cluster scripts
# (spark/lib.sh). Sourced, never run. A pid file DIR/NAME.pid holds the pid, then the command line
# the process was started with, so a pid that the system has reused for another process is never
# taken for ours (docs/network.md, "Processes").

# procs_alive DIR NAME: true when DIR/NAME.pid names a running process that we started (its command
# line still matches the one recorded at start).
procs_alive() {
  local f="$1/$2.pid" pid want got
  [[ -f "$f" ]] || return 1
  pid=$(head -n1 "$f")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  want=$(sed -n 2p "$f")
  got=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
  # ends with: while setsid/env have not exec'ed yet the command line has them in front
  [[ -z "$want" || "$got" == *"$want" ]]
}

# procs_start DIR NAME LOGFILE [VAR=VALUE...] CMD...: starts CMD detached (own session) with the
# extra environment, output appended to LOGFILE, and records its pid and command line in DIR/NAME.pid.
procs_start() {
  local dir=$1 name=$2 logf=$3; shift 3
  local envs=()
  while (( $# )) && [[ "$1" =~ ^[A-Z_][A-Z0-9_]*= ]]; do envs+=("$1"); shift; done
  mkdir -p "$dir" "$(dirname "$logf")"
  setsid env "${envs[@]}" "$@" >>"$logf" 2>&1 < /dev/null 9>&- &
  local pid=$!
  printf '%s\n%s\n' "$pid" "$(printf '%s ' "$@")" > "$dir/$name.pid"
}

# procs_stop DIR LOGFN SECONDS NAME...: stops the processes recorded in DIR/NAME.pid: TERM to all at
# once, KILL to those still running after SECONDS; only processes whose command line matches their
# pid file. LOGFN is called with one line per process stopped.
procs_stop() {
  local dir=$1 logfn=$2 seconds=$3; shift 3
  local name pid i live=() names=()
  for name in "$@"; do
    [[ -f "$dir/$name.pid" ]] || continue
    if procs_alive "$dir" "$name"; then
      pid=$(head -n1 "$dir/$name.pid")
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$pid"); names+=("$name")
    else
      rm -f "$dir/$name.pid"
    fi
  done
  (( ${#live[@]} )) || return 0
  for (( i = 0; i < seconds * 10; i++ )); do
    local any=0; for pid in "${live[@]}"; do kill -0 "$pid" 2>/dev/null && any=1; done
    (( any )) || break
    sleep 0.1
  done
  for i in "${!live[@]}"; do
    if kill -0 "${live[$i]}" 2>/dev/null; then
      "$logfn" "${names[$i]} (pid ${live[$i]}) did not stop within $seconds s, sending KILL"
      kill -KILL "${live[$i]}" 2>/dev/null || true
    fi
    "$logfn" "stopped ${names[$i]} (pid ${live[$i]})"
    rm -f "$dir/${names[$i]}.pid"
  done
}

# port_in_use PORT: true when something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
