#!/usr/bin/env bash
# tests/web/platform.sh - a whole private stom platform for the browser tests.
#
#   tests/web/platform.sh start DIR     tests/web/platform.sh stop DIR
#
# start: a fresh database web_<pid> in the test PostgreSQL, migrated; the
# backtest coordinator and one worker; the simulated broker with 16 KOSPI
# symbols on a simulated clock from a trading-day morning (--speed 1,
# --step-ms 250); the live engine on the same clock; and the gateway, which
# serves the build's web UI ($STOM_BUILD/web, compiled in as STOM_WEB_DIR).
# Every socket is on loopback at a port derived from STOM_WEB_PORT_BASE, none
# on a default, so two harnesses (or `make up`) never meet. It seeds the
# traders alice and bob and an admin `admin` (generated passwords), alice's paper account `paper`
# at broker `sim` with risk limits (an account without them cannot trade)
# and docs/examples/sample-daily.csv as SAMPLE 1d, then waits for /readyz.
# DIR gets a log per process (DIR/<name>.log), DIR/pids ("pid name" lines),
# DIR/database, DIR/users.json {"alice": PASSWORD, "bob": PASSWORD, "admin": PASSWORD} and
# DIR/env.json {"url": "http://127.0.0.1:PORT", "users": {...}}.
#
# stop: ends exactly the processes DIR/pids lists (when they still run the
# program it names): SIGTERM, a wait, then SIGKILL; then drops the database.
#
# Environment:
#   STOM_BUILD           the build tree (bin/stom-gateway, ..., web/)
#   STOM_TEST_PG_URL     the test PostgreSQL, key=value conninfo
#                        ("host=127.0.0.1 port=54330 dbname=stom user=stom")
#   STOM_TEST_REDIS_URL  the test Redis (redis://127.0.0.1:63800)
#   STOM_WEB_PORT_BASE   the gateway's port; the nng sockets use the next six (18850)
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
readonly START_TIMEOUT_S=60
readonly PAPER_START="2024-01-03 09:05"
# 16 KOSPI symbols with their previous closes, the same as make up's.
SYMBOLS=$(sed 's/#.*//' "$repo/scripts/paper-symbols.txt" | tr -d ' \t' | grep -v '^$' | paste -sd,)
readonly SYMBOLS
readonly RISK_LIMITS='{"capital": 100000000, "max_order_value": 50000000, "max_orders_per_second": 20}'

die() {
    echo "platform: $*" >&2
    exit 1
}

usage() {
    echo "usage: tests/web/platform.sh start|stop DIR" >&2
    exit 2
}

# ---- stop ---------------------------------------------------------------------

# Whether pid still runs the program name (a pid reused by another process is left alone).
runs() {
    local pid=$1 name=$2
    [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$name"
}

stop_all() {
    local dir=$1 pid name
    [ -f "$dir/pids" ] || return 0
    while read -r pid name; do
        if runs "$pid" "$name"; then kill -TERM "$pid" 2>/dev/null || true; fi
    done <"$dir/pids"
    for _ in $(seq 100); do
        local left=0
        while read -r pid name; do
            runs "$pid" "$name" && left=1
        done <"$dir/pids"
        [ $left -eq 0 ] && break
        sleep 0.1
    done
    while read -r pid name; do
        if runs "$pid" "$name"; then
            echo "platform: $name (pid $pid) ignored SIGTERM; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done <"$dir/pids"
    rm -f "$dir/pids"
}

drop_database() {
    local dir=$1
    [ -f "$dir/database" ] || return 0
    local name
    name=$(cat "$dir/database")
    psql "$STOM_TEST_PG_URL" -qX -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null ||
        echo "platform: could not drop database $name" >&2
    rm -f "$dir/database"
}

# ---- start --------------------------------------------------------------------

# Starts binary as name with args; its output goes to DIR/name.log.
spawn() {
    local dir=$1 name=$2 bin=$3
    shift 3
    [ -x "$STOM_BUILD/bin/$bin" ] || die "$STOM_BUILD/bin/$bin is missing: build first"
    "$STOM_BUILD/bin/$bin" "$@" </dev/null >>"$dir/$name.log" 2>&1 &
    echo "$! $bin" >>"$dir/pids"
}

password() {
    head -c 18 /dev/urandom | base64 | tr -d '/+=\n'
}

create_database() {
    local dir=$1 name="web_$$"
    psql "$STOM_TEST_PG_URL" -qX -v ON_ERROR_STOP=1 -c "CREATE DATABASE $name" >/dev/null ||
        die "cannot create database $name at '$STOM_TEST_PG_URL'"
    echo "$name" >"$dir/database"
    # libpq takes the last of a repeated keyword: this is the test server's new database.
    db="$STOM_TEST_PG_URL dbname=$name"
    STOM_DATABASE_URL=$db "$STOM_BUILD/bin/stom" db migrate >>"$dir/migrate.log" 2>&1 ||
        die "stom db migrate failed; read $dir/migrate.log"
}

seed() {
    local dir=$1 user
    for user in alice bob admin; do
        password >"$dir/$user.password"
        local role=trader
        [ "$user" = admin ] && role=admin
        "$STOM_BUILD/bin/stom-gateway" create-user --username "$user" \
            --email "$user@example.com" --role "$role" --database "$db" \
            <"$dir/$user.password" >>"$dir/seed.log" 2>&1 ||
            die "create-user $user failed; read $dir/seed.log"
    done
    psql "$db" -qX -v ON_ERROR_STOP=1 -v limits="$RISK_LIMITS" >>"$dir/seed.log" 2>&1 <<'SQL' ||
INSERT INTO broker_accounts (account, broker, user_id, name, paper)
    SELECT 'paper', 'sim', id, '모의투자', true FROM users WHERE lower(username) = 'alice';
INSERT INTO risk_settings (account, limits) VALUES ('paper', :'limits'::jsonb);
SQL
        die "seeding the paper account failed; read $dir/seed.log"
    "$STOM_BUILD/bin/stom" data import "$repo/docs/examples/sample-daily.csv" --symbol SAMPLE \
        --timeframe 1d --database "$db" >>"$dir/seed.log" 2>&1 ||
        die "importing sample-daily.csv failed; read $dir/seed.log"
    printf '{"alice": "%s", "bob": "%s", "admin": "%s"}\n' "$(cat "$dir/alice.password")" \
        "$(cat "$dir/bob.password")" "$(cat "$dir/admin.password")" >"$dir/users.json"
    rm -f "$dir/alice.password" "$dir/bob.password" "$dir/admin.password"
}

start_processes() {
    local dir=$1 base=$2
    local coord="tcp://127.0.0.1:$((base + 1))" events="tcp://127.0.0.1:$((base + 2))"
    local sim_rep="tcp://127.0.0.1:$((base + 3))" sim_pub="tcp://127.0.0.1:$((base + 4))"
    local engine="tcp://127.0.0.1:$((base + 5))" engine_pub="tcp://127.0.0.1:$((base + 6))"
    spawn "$dir" coordinator stom-backtester --coordinator --listen "$coord" --publish "$events" \
        --database "$db"
    spawn "$dir" worker-1 stom-backtester --worker --connect "$coord" --database "$db" \
        --id web-worker-1
    spawn "$dir" broker-sim stom-broker-sim --rep "$sim_rep" --pub "$sim_pub" --account paper \
        --symbols "$SYMBOLS" --start "$PAPER_START" --speed 1 --step-ms 250
    spawn "$dir" engine stom-engine --listen "$engine" --publish "$engine_pub" \
        --broker-req "$sim_rep" --broker-pub "$sim_pub" --coordinator "$coord" \
        --database "$db" --start "$PAPER_START" --speed 1
    STOM_JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n') \
        STOM_DATABASE_URL=$db STOM_REDIS_URL=$STOM_TEST_REDIS_URL \
        STOM_COORDINATOR_URL=$coord STOM_COORDINATOR_EVENTS_URL=$events \
        STOM_ENGINE_URL=$engine STOM_ENGINE_EVENTS_URL=$engine_pub STOM_MARKET_URL=$sim_pub \
        spawn "$dir" gateway stom-gateway --port "$base" --bind 127.0.0.1 --rate-auth 1000
}

wait_ready() {
    local dir=$1 url=$2 deadline=$((SECONDS + START_TIMEOUT_S)) pid name
    while [ $SECONDS -lt $deadline ]; do
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] && return 0
        while read -r pid name; do
            runs "$pid" "$name" || die "$name exited while starting; read its log in $dir"
        done <"$dir/pids"
        sleep 0.2
    done
    die "the gateway at $url did not answer /readyz with 200 in ${START_TIMEOUT_S}s;" \
        "read $dir/gateway.log (and the other logs in $dir)"
}

start() {
    local dir=$1 base=${STOM_WEB_PORT_BASE:-18850}
    : "${STOM_BUILD:?set STOM_BUILD to the build tree}"
    : "${STOM_TEST_PG_URL:?set STOM_TEST_PG_URL to the test PostgreSQL}"
    : "${STOM_TEST_REDIS_URL:?set STOM_TEST_REDIS_URL to the test Redis}"
    mkdir -p "$dir"
    [ ! -s "$dir/pids" ] || die "$dir already has a running platform (stop it first)"
    create_database "$dir"
    seed "$dir"
    start_processes "$dir" "$base"
    local url="http://127.0.0.1:$base"
    printf '{"url": "%s", "users": %s}\n' "$url" "$(cat "$dir/users.json")" >"$dir/env.json"
    wait_ready "$dir" "$url"
    echo "platform: up at $url (logs, pids and env.json in $dir)"
}

[ $# -eq 2 ] || usage
case $1 in
start) start "$2" ;;
stop)
    : "${STOM_TEST_PG_URL:?set STOM_TEST_PG_URL to the test PostgreSQL}"
    stop_all "$2"
    drop_database "$2"
    ;;
*) usage ;;
esac
