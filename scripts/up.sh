#!/usr/bin/env bash
# Starts the local platform after a build: the private PostgreSQL and Redis
# (scripts/services.sh), the schema (stom db migrate), the backtest
# coordinator, STOM_WORKERS workers (default 2), the simulated broker and
# the live engine with a demo strategy on paper, and the gateway on
# STOM_GATEWAY_PORT (default 8080), each with a pid file and a log under
# run/, and a demo account (its password is kept in run/demo-password).
# The paper market (the 16 symbols of scripts/paper-symbols.txt) runs on a
# simulated clock that starts at 09:05 KST on a trading day (STOM_PAPER_START),
# so the demo trades at any hour. The gateway also serves the web UI on /.
# The gateway's JWT secret is made once and kept in run/jwt-secret (mode
# 0600). Safe to run again: what is running is left alone.
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
export STOM_GATEWAY_PORT=${STOM_GATEWAY_PORT:-8080}

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
    for f in "$run"/gateway.pid "$run"/engine.pid "$run"/broker-sim.pid "$run"/worker-*.pid \
             "$run"/coordinator.pid; do
        [ -e "$f" ] && stop_one "$f"
    done
    ./scripts/services.sh stop --dir "$run"
    exit 0
fi

start_one() { # name, binary, args...
    local name=$1 bin=$2; shift 2
    local pidfile="$run/$name.pid"
    if alive "$pidfile"; then
        echo "up: $name already running (pid $(cat "$pidfile"))"
        return
    fi
    nohup "$build/bin/$bin" "$@" >>"$run/$name.log" 2>&1 &
    echo $! >"$pidfile"
    echo "up: started $name (pid $!, log $run/$name.log)"
}

./scripts/services.sh start --dir "$run"
"$build/bin/stom" db migrate
start_one coordinator stom-backtester --coordinator
for i in $(seq "$workers"); do
    start_one "worker-$i" stom-backtester --worker --id "worker-$i"
done

# A secret of this installation, made once (the gateway refuses to start without one).
secret_file="$run/jwt-secret"
if [ ! -s "$secret_file" ]; then
    (umask 077; head -c 48 /dev/urandom | base64 | tr -d '\n' >"$secret_file")
fi
# The demo account: a trader whose password is made once and shown below.
password_file="$run/demo-password"
if [ ! -s "$password_file" ]; then
    (umask 077; head -c 12 /dev/urandom | base64 | tr -d '/+=\n' >"$password_file")
fi
"$build/bin/stom-gateway" create-user --username demo --email demo@example.com --role trader \
    --if-missing <"$password_file" >/dev/null

# Its paper account at the simulated broker and a demo strategy on it (left as they are
# when they exist: a stopped demo strategy stays stopped).
psql "$STOM_DATABASE_URL" -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
INSERT INTO broker_accounts (account, broker, user_id, name, paper)
    SELECT 'paper', 'sim', id, '모의투자', true FROM users WHERE lower(username) = 'demo'
    ON CONFLICT DO NOTHING;
INSERT INTO engine_strategies (instance_id, user_id, account, strategy_name, params, symbols,
                               timeframe, order_qty, state)
    SELECT 'demo-sma', id, 'paper', 'sma_cross', '{"fast": 2, "slow": 5}',
           '{005930,000660,035720}', '1m', 10, 'running'
    FROM users WHERE lower(username) = 'demo'
    ON CONFLICT DO NOTHING;
SQL
paper_start=${STOM_PAPER_START:-"2024-01-03 09:05"}
# The 16 KOSPI symbols of scripts/paper-symbols.txt (the web UI's live grid shows them all).
symbols=$(sed 's/#.*//' scripts/paper-symbols.txt | tr -d ' \t' | grep -v '^$' | paste -sd,)
start_one broker-sim stom-broker-sim --symbols "$symbols" --start "$paper_start" --speed 1 \
    --step-ms 250
start_one engine stom-engine --start "$paper_start" --speed 1
STOM_JWT_SECRET=$(cat "$secret_file") start_one gateway stom-gateway --port "$STOM_GATEWAY_PORT"
for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$STOM_GATEWAY_PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
cat <<MSG

The platform is up: PostgreSQL and Redis on loopback, the backtest coordinator on
$STOM_COORDINATOR_URL, $workers worker(s), the simulated broker (paper account 'paper',
16 KOSPI symbols),
the live engine running the demo strategy 'demo-sma' (sma_cross on 005930, 000660 and
035720, 1-minute bars, fast 2 / slow 5: its first orders within minutes, from
$paper_start KST on a simulated clock), and the gateway on
http://127.0.0.1:$STOM_GATEWAY_PORT
(API documentation: http://127.0.0.1:$STOM_GATEWAY_PORT/docs).

The web UI:    http://127.0.0.1:$STOM_GATEWAY_PORT/   (sign in as demo; it says how to build
               it when Node.js and npm were missing at build time)
Stop everything with: make down

Demo account:  username demo   password $(cat "$password_file")
               $build/bin/stom login --username demo

For your shell:   eval "\$(./scripts/services.sh env)"
MSG
