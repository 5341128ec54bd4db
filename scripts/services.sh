#!/usr/bin/env bash
# services.sh - a private PostgreSQL 15 and Redis for development and tests.
#
#   scripts/services.sh start|stop|status|env [--dir DIR] [--pg-port N] [--redis-port N]
#
# Both servers listen on 127.0.0.1 only and keep everything under DIR
# (default: run/ in the repository): DIR/pg/data (the cluster), DIR/pg/postgres.log,
# DIR/redis (pid file, log; Redis keeps no data on disk). PostgreSQL trusts
# loopback connections; the role `stom` (superuser) owns the database `stom`.
#
#   start   initialise what is missing and start what is not running, then wait
#           (polling, with a deadline) until both answer; a no-op when they run
#   stop    stop both (fast shutdown), waiting until they are gone
#   status  say what runs where; exit 0 when both run, 3 otherwise
#   env     print `export STOM_DATABASE_URL=...` and `export STOM_REDIS_URL=...`
#           (use: eval "$(scripts/services.sh env)")
#
# As root, initdb and pg_ctl refuse to run: they run as the `postgres` user
# (runuser) and DIR/pg belongs to it. Stale pid files (a server killed
# without cleanup) are noticed and removed before starting.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/run"
pg_port=54320
redis_port=63790
deadline_seconds=30

die() {
    echo "services: $*" >&2
    exit 1
}

usage() {
    sed -n '2,20s/^# \{0,1\}//p' "$0"
}

usage_error() {
    echo "services: $* (see scripts/services.sh --help)" >&2
    exit 2
}

[ $# -ge 1 ] || usage_error "a command is needed: start, stop, status or env"
cmd=$1
shift
while [ $# -gt 0 ]; do
    case $1 in
    --dir) [ $# -ge 2 ] || usage_error "--dir needs a value"; dir=$2; shift 2 ;;
    --dir=*) dir=${1#*=}; shift ;;
    --pg-port) [ $# -ge 2 ] || usage_error "--pg-port needs a value"; pg_port=$2; shift 2 ;;
    --pg-port=*) pg_port=${1#*=}; shift ;;
    --redis-port) [ $# -ge 2 ] || usage_error "--redis-port needs a value"; redis_port=$2; shift 2 ;;
    --redis-port=*) redis_port=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
    esac
done
case $cmd in
start|stop|status|env) ;;
-h|--help|help) usage; exit 0 ;;
*) usage_error "unknown command '$cmd' (commands: start, stop, status, env)" ;;
esac
for port in "$pg_port" "$redis_port"; do
    if ! [[ $port =~ ^[0-9]+$ ]] || [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then
        usage_error "port '$port' must be a number from 1024 to 65535"
    fi
done
dir=$(realpath -m "$dir")

pg_bin=${STOM_PG_BIN:-/usr/lib/postgresql/15/bin}
pg_root="$dir/pg"
pg_data="$pg_root/data"
pg_log="$pg_root/postgres.log"
redis_dir="$dir/redis"
redis_pidfile="$redis_dir/redis.pid"
redis_portfile="$redis_dir/port"
redis_log="$redis_dir/redis.log"

as_root=false
[ "$(id -u)" -eq 0 ] && as_root=true

# Runs a PostgreSQL server program as the user that owns the cluster.
as_pg() {
    if $as_root; then
        (cd "$pg_root" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

now() { date +%s; }

# True when pid names a live (not zombie) process whose command is $2.
process_is() {
    local pid=$1 name=$2 state
    [[ $pid =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$name" ] ||
        return 1
    state=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | cut -c1) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# ---- PostgreSQL -------------------------------------------------------------

pg_pid() { [ -r "$pg_data/postmaster.pid" ] && sed -n 1p "$pg_data/postmaster.pid"; }
pg_running_port() { sed -n 4p "$pg_data/postmaster.pid"; }

pg_running() {
    local pid
    pid=$(pg_pid) || return 1
    process_is "$pid" postgres
}

pg_prepare_dirs() {
    mkdir -p "$pg_root"
    if $as_root; then
        id postgres >/dev/null 2>&1 || die "user postgres is missing (apt-get install postgresql)"
        chown postgres:postgres "$pg_root"
        chmod 700 "$pg_root"
        runuser -u postgres -- test -w "$pg_root" ||
            die "user postgres cannot reach $pg_root: every directory above it must be searchable (chmod o+x)"
    fi
}

pg_init() {
    [ -x "$pg_bin/initdb" ] || die "PostgreSQL 15 is not installed ($pg_bin/initdb missing; run scripts/setup.sh)"
    [ -f "$pg_data/PG_VERSION" ] && return 0
    echo "services: initialising PostgreSQL in $pg_data"
    as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C \
        >"$pg_root/initdb.log" 2>&1 || { cat "$pg_root/initdb.log" >&2; die "initdb failed"; }
    # Loopback TCP only: no Unix socket (its path length and directory would
    # depend on DIR), no other interface, and only loopback in pg_hba.conf.
    as_pg tee -a "$pg_data/postgresql.conf" >/dev/null <<'CONF'

# stom (scripts/services.sh): a private development server.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
synchronous_commit = off
CONF
    printf '%s\n' "# stom (scripts/services.sh): loopback only, trusted." \
        "host all all 127.0.0.1/32 trust" | as_pg tee "$pg_data/pg_hba.conf" >/dev/null
}

pg_remove_stale_pid() {
    [ -e "$pg_data/postmaster.pid" ] || return 0
    pg_running && return 0
    echo "services: removing the stale $pg_data/postmaster.pid"
    rm -f "$pg_data/postmaster.pid"
}

psql_admin() {
    "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres "${@:2}"
}

pg_create_role_and_db() {
    local port=$1
    local has_role has_db data
    # Whatever answers on the port must be this cluster, not another server.
    data=$(psql_admin "$port" -Atc "SELECT current_setting('data_directory')") ||
        die "the server on port $port does not accept user postgres: is another PostgreSQL using the port?"
    [ "$data" = "$pg_data" ] || die "port $port is used by another PostgreSQL (data $data): choose another --pg-port"
    has_role=$(psql_admin "$port" -Atc "SELECT 1 FROM pg_roles WHERE rolname = 'stom'")
    [ "$has_role" = 1 ] || psql_admin "$port" -c "CREATE ROLE stom LOGIN SUPERUSER"
    has_db=$(psql_admin "$port" -Atc "SELECT 1 FROM pg_database WHERE datname = 'stom'")
    [ "$has_db" = 1 ] || psql_admin "$port" -c "CREATE DATABASE stom OWNER stom"
}

pg_wait_ready() {
    local port=$1 end=$(($(now) + deadline_seconds))
    until "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1; do
        [ "$(now)" -lt "$end" ] || die "PostgreSQL did not answer on port $port within ${deadline_seconds}s (log: $pg_log)"
        sleep 0.1
    done
}

pg_start() {
    pg_prepare_dirs
    pg_init
    pg_remove_stale_pid
    local port=$pg_port
    if pg_running; then
        port=$(pg_running_port)
        echo "services: PostgreSQL already runs (pid $(pg_pid), port $port)"
    else
        # -w: pg_ctl polls until the server accepts connections or exits (deadline -t).
        as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_log" -o "-p $pg_port" -w -t "$deadline_seconds" \
            start >/dev/null ||
            { tail -n 20 "$pg_log" >&2 || true; die "PostgreSQL did not start (log: $pg_log)"; }
        pg_wait_ready "$port"
        pg_running || { tail -n 20 "$pg_log" >&2; die "PostgreSQL stopped while starting (log: $pg_log)"; }
        echo "services: PostgreSQL started (pid $(pg_pid), 127.0.0.1:$port)"
    fi
    pg_wait_ready "$port"
    pg_create_role_and_db "$port"
}

pg_stop() {
    if ! pg_running; then
        pg_remove_stale_pid
        echo "services: PostgreSQL is not running"
        return 0
    fi
    local pid
    pid=$(pg_pid)
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w -t "$deadline_seconds" stop >/dev/null ||
        die "PostgreSQL (pid $pid) did not stop within ${deadline_seconds}s"
    echo "services: PostgreSQL stopped (pid $pid)"
}

# ---- Redis ------------------------------------------------------------------

redis_pid() { [ -r "$redis_pidfile" ] && cat "$redis_pidfile"; }
redis_running_port() { cat "$redis_portfile" 2>/dev/null || echo "$redis_port"; }

redis_running() {
    local pid
    pid=$(redis_pid) || return 1
    process_is "$pid" redis-server
}

redis_wait() {
    local port=$1 end=$(($(now) + deadline_seconds))
    until [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; do
        [ "$(now)" -lt "$end" ] || die "Redis did not answer on port $port within ${deadline_seconds}s (log: $redis_log)"
        sleep 0.05
    done
}

redis_start() {
    command -v redis-server >/dev/null || die "redis-server is not installed (run scripts/setup.sh)"
    mkdir -p "$redis_dir"
    if redis_running; then
        echo "services: Redis already runs (pid $(redis_pid), port $(redis_running_port))"
        redis_wait "$(redis_running_port)"
        return 0
    fi
    if [ -e "$redis_pidfile" ]; then
        echo "services: removing the stale $redis_pidfile"
        rm -f "$redis_pidfile"
    fi
    redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --dir "$redis_dir" \
        --save '' --appendonly no --pidfile "$redis_pidfile" --logfile "$redis_log" ||
        die "Redis did not start (log: $redis_log)"
    echo "$redis_port" >"$redis_portfile"
    redis_wait "$redis_port"
    # Whatever answers on the port must be the server just started.
    local answered
    answered=$(redis-cli -h 127.0.0.1 -p "$redis_port" info server | tr -d '\r' | sed -n 's/^process_id://p')
    if ! redis_running || [ "$answered" != "$(redis_pid)" ]; then
        die "port $redis_port is used by another Redis (pid $answered): choose another --redis-port"
    fi
    echo "services: Redis started (pid $(redis_pid), 127.0.0.1:$redis_port)"
}

redis_stop() {
    if ! redis_running; then
        rm -f "$redis_pidfile"
        echo "services: Redis is not running"
        return 0
    fi
    local pid end=$(($(now) + deadline_seconds))
    pid=$(redis_pid)
    kill -TERM "$pid"
    while process_is "$pid" redis-server; do
        [ "$(now)" -lt "$end" ] || die "Redis (pid $pid) did not stop within ${deadline_seconds}s"
        sleep 0.05
    done
    rm -f "$redis_pidfile"
    echo "services: Redis stopped (pid $pid)"
}

# ---- commands ---------------------------------------------------------------

status() {
    local ok=0
    if pg_running; then
        echo "postgresql: running (pid $(pg_pid), 127.0.0.1:$(pg_running_port), data $pg_data)"
    else
        echo "postgresql: stopped"
        ok=3
    fi
    if redis_running; then
        echo "redis: running (pid $(redis_pid), 127.0.0.1:$(redis_running_port))"
    else
        echo "redis: stopped"
        ok=3
    fi
    return $ok
}

print_env() {
    local port=$pg_port rport=$redis_port
    pg_running && port=$(pg_running_port)
    redis_running && rport=$(redis_running_port)
    echo "export STOM_DATABASE_URL='host=127.0.0.1 port=$port dbname=stom user=stom'"
    echo "export STOM_REDIS_URL='redis://127.0.0.1:$rport'"
}

case $cmd in
start) mkdir -p "$dir"; pg_start; redis_start ;;
stop) redis_stop; pg_stop ;;
status) status ;;
env) print_env ;;
esac
