#!/usr/bin/env bash
# Starts the local platform after a build: the private PostgreSQL and Redis
# (scripts/services.sh), the schema (stom db migrate), the backtest
# coordinator and STOM_WORKERS workers (default 2), each with a pid file and
# a log under run/. Safe to run again: what is running is left alone.
#   scripts/up.sh [BUILD_DIR]        scripts/up.sh --down [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
down=0
if [ "${1:-}" = "--down" ]; then down=1; shift; fi
build=${1:-build}
run=run
workers=${STOM_WORKERS:-2}
export STOM_DATABASE_URL=${STOM_DATABASE_URL:-"host=127.0.0.1 port=54320 dbname=stom user=stom"}
export STOM_REDIS_URL=${STOM_REDIS_URL:-"redis://127.0.0.1:63790"}
export STOM_COORDINATOR_URL=${STOM_COORDINATOR_URL:-"tcp://127.0.0.1:5560"}
export STOM_COORDINATOR_EVENTS_URL=${STOM_COORDINATOR_EVENTS_URL:-"tcp://127.0.0.1:5561"}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_one() {
    local pidfile=$1
    if alive "$pidfile"; then
        local pid; pid=$(cat "$pidfile")
        kill "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        echo "up: stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
}

if [ $down -eq 1 ]; then
    for f in "$run"/worker-*.pid "$run"/coordinator.pid; do [ -e "$f" ] && stop_one "$f"; done
    ./scripts/services.sh stop --dir "$run"
    exit 0
fi

start_one() { # name, args...
    local name=$1; shift
    local pidfile="$run/$name.pid"
    if alive "$pidfile"; then
        echo "up: $name already running (pid $(cat "$pidfile"))"
        return
    fi
    nohup "$build/bin/stom-backtester" "$@" >>"$run/$name.log" 2>&1 &
    echo $! >"$pidfile"
    echo "up: started $name (pid $!, log $run/$name.log)"
}

./scripts/services.sh start --dir "$run"
"$build/bin/stom" db migrate
start_one coordinator --coordinator
for i in $(seq "$workers"); do
    start_one "worker-$i" --worker --id "worker-$i"
done
cat <<MSG

The platform is up: PostgreSQL and Redis on loopback, the backtest coordinator on
$STOM_COORDINATOR_URL and $workers worker(s). Stop everything with: make down

For your shell:   eval "\$(./scripts/services.sh env)"
MSG
