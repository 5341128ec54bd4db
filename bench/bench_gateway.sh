#!/usr/bin/env bash
# bench_gateway.sh - the REST comparison benchmark: wrk against an
# authenticated GET /api/v1/strategies on stom-gateway and on a FastAPI +
# uvicorn app doing the same work (bench/gateway_fastapi.py), against the
# same PostgreSQL data, side by side. Prints requests/s and p99 latency of
# both and the ratio.
#
#   bench/bench_gateway.sh [--build DIR] [--fastapi-only] [--duration 10s]
#                          [--connections 64] [--threads 2] [--uvicorn-workers 2]
#                          [--rounds 3]
#
# It starts its own PostgreSQL and Redis (scripts/services.sh, ports 18240
# and 18241, under a temporary directory), migrates the database with
# DIR/bin/stom, starts stom-gateway (DIR/bin/stom-gateway, port 18242) and
# uvicorn (port 18243), creates a user (through the gateway's
# register/login, or with SQL and a token minted with PyJWT under
# --fastapi-only) and five strategies, checks both answer the same body, and
# runs wrk on each. Everything it started is stopped on exit. Tokens are
# never printed.
#
# Needs: wrk, and for /usr/bin/python3 the Debian packages python3-fastapi,
# python3-uvicorn, python3-jwt, python3-psycopg2 (see the check below).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build="$repo/build"
only_fastapi=0
duration=10s
connections=64
threads=2
workers=2
rounds=3
pg_port=18240
redis_port=18241
gw_port=18242
api_port=18243
coord_port=18244
py=/usr/bin/python3

while [ $# -gt 0 ]; do
    case "$1" in
    --build) build=$2; shift 2 ;;
    --fastapi-only) only_fastapi=1; shift ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --uvicorn-workers) workers=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "bench_gateway: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v curl >/dev/null || missing+=(curl)
command -v psql >/dev/null || missing+=(postgresql-client)
for mod in fastapi:python3-fastapi uvicorn:python3-uvicorn jwt:python3-jwt psycopg2:python3-psycopg2; do
    "$py" -c "import ${mod%%:*}" 2>/dev/null || missing+=("${mod#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "bench_gateway: missing: ${missing[*]}" >&2
    echo "  install: apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 2
fi
[ -x "$build/bin/stom" ] || { echo "bench_gateway: no $build/bin/stom (build the 'stom' target, Release, or pass --build)" >&2; exit 2; }
if [ $only_fastapi = 0 ] && [ ! -x "$build/bin/stom-gateway" ]; then
    echo "bench_gateway: no $build/bin/stom-gateway (build it, or use --fastapi-only)" >&2
    exit 2
fi

run=$(mktemp -d)
chmod 755 "$run" # the postgres user must reach the data directory inside
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    "$repo/scripts/services.sh" stop --dir "$run/svc" --pg-port $pg_port --redis-port $redis_port >/dev/null 2>&1 || true
    rm -rf "$run"
}
trap cleanup EXIT

"$repo/scripts/services.sh" start --dir "$run/svc" --pg-port $pg_port --redis-port $redis_port >/dev/null
db="host=127.0.0.1 port=$pg_port dbname=stom user=stom"
"$build/bin/stom" db migrate --database "$db" >/dev/null
secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=' | head -c 48)

# Polls url until it answers (any HTTP status) or 20 s pass; shows log $2 if not.
wait_http() {
    for _ in $(seq 200); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "bench_gateway: $1 did not answer; the end of its log:" >&2
    tail -n 20 "$2" >&2
    exit 1
}

json_field() { "$py" -c "import json,sys; print(json.load(sys.stdin)$1)"; }

if [ $only_fastapi = 0 ]; then
    # Configuration through the environment (ARCHITECTURE.md section 7).
    STOM_GATEWAY_PORT=$gw_port STOM_GATEWAY_BIND=127.0.0.1 STOM_DATABASE_URL="$db" \
        STOM_REDIS_URL="redis://127.0.0.1:$redis_port" STOM_JWT_SECRET="$secret" \
        STOM_RATE_USER_PER_MIN=1000000 \
        STOM_COORDINATOR_URL="tcp://127.0.0.1:$coord_port" \
        STOM_COORDINATOR_EVENTS_URL="tcp://127.0.0.1:$((coord_port + 1))" \
        "$build/bin/stom-gateway" >"$run/gateway.log" 2>&1 &
    pids+=($!)
    wait_http "http://127.0.0.1:$gw_port/healthz" "$run/gateway.log"
    api="http://127.0.0.1:$gw_port/api/v1"
    uid=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"bench","email":"bench@example.com","password":"bench-password-123"}' "$api/auth/register" | json_field '["id"]')
    token=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"bench","password":"bench-password-123"}' "$api/auth/login" | json_field '["access_token"]')
else
    uid=$(psql "$db" -qtA -c "INSERT INTO users (username, email, password_hash) VALUES ('bench', 'bench@example.com', 'x') RETURNING id" | head -1)
    # The claims gw_auth.h issues: iss, aud, sub (the user id), name, role, iat, exp, jti.
    token=$(STOM_JWT_SECRET="$secret" UID_="$uid" "$py" -c '
import os, time, uuid, jwt
now = int(time.time())
print(jwt.encode({"iss": "stom", "aud": "stom-api", "sub": os.environ["UID_"], "name": "bench",
                  "role": "user", "iat": now, "exp": now + 900, "jti": uuid.uuid4().hex},
                 os.environ["STOM_JWT_SECRET"], algorithm="HS256"))')
fi

for i in 1 2 3 4 5; do
    psql "$db" -q -c "WITH s AS (INSERT INTO strategies (user_id, name, description) VALUES ($uid, 'strategy $i', 'bench strategy $i') RETURNING id) INSERT INTO strategy_versions (strategy_id, version, code) SELECT id, 1, 'function on_bar(bar) end' FROM s" >/dev/null
done

STOM_DATABASE_URL="$db" STOM_JWT_SECRET="$secret" \
    "$py" -m uvicorn gateway_fastapi:app --app-dir "$repo/bench" --host 127.0.0.1 --port $api_port \
    --workers "$workers" --log-level warning --no-access-log >"$run/fastapi.log" 2>&1 &
pids+=($!)
wait_http "http://127.0.0.1:$api_port/api/v1/strategies" "$run/fastapi.log"

auth="Authorization: Bearer $token"
fastapi_body=$(curl -sf -H "$auth" "http://127.0.0.1:$api_port/api/v1/strategies")
n=$(echo "$fastapi_body" | json_field '["strategies"].__len__()')
[ "$n" = 5 ] || { echo "bench_gateway: FastAPI answered $n strategies, not 5" >&2; exit 1; }
if [ $only_fastapi = 0 ]; then
    gw_body=$(curl -sf -H "$auth" "http://127.0.0.1:$gw_port/api/v1/strategies")
    same=$("$py" -c 'import json,sys; print(json.loads(sys.argv[1]) == json.loads(sys.argv[2]))' "$gw_body" "$fastapi_body")
    [ "$same" = True ] || printf "bench_gateway: warning: the two bodies differ\n  stom:    %.300s\n  FastAPI: %.300s\n" "$gw_body" "$fastapi_body" >&2
fi

# Runs wrk on url; prints "requests/s p99_ms non2xx".
measure() {
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"$duration" --latency -H "$auth" "$1")
    echo "$out" >>"$run/wrk.log"
    "$py" -c '
import re, sys
t = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s*([\d.]+)", t).group(1))
m = re.search(r"^\s*99%\s*([\d.]+)(us|ms|s)\s*$", t, re.M)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", t)
print(f"{rps:.0f} {p99:.2f} {bad.group(1) if bad else 0}")' <<<"$out"
}

# Rounds alternate the two servers so that a slow spell of a shared machine
# falls on both; each side reports its median round.
echo "wrk -t$threads -c$connections -d$duration, $rounds rounds alternating: GET /api/v1/strategies (5 strategies, authenticated)"
f_runs=() g_runs=()
for r in $(seq "$rounds"); do
    f_runs+=("$(measure "http://127.0.0.1:$api_port/api/v1/strategies")")
    [ $only_fastapi = 1 ] || g_runs+=("$(measure "http://127.0.0.1:$gw_port/api/v1/strategies")")
    echo "  round $r: FastAPI ${f_runs[-1]%% *} req/s${g_runs:+, stom ${g_runs[-1]%% *} req/s}"
done
# Prints "requests/s p99_ms non2xx" of the median round (by requests/s) and the sum of non-2xx.
median() {
    "$py" -c '
import sys
runs = [l.split() for l in sys.argv[1:]]
runs.sort(key=lambda r: float(r[0]))
m = runs[len(runs) // 2]
print(m[0], m[1], sum(int(r[2]) for r in runs))' "$@"
}
read -r f_rps f_p99 f_bad < <(median "${f_runs[@]}")
printf "  %-28s %10s req/s   p99 %8s ms   non-2xx %s   (median round)\n" "FastAPI+uvicorn ($workers workers)" "$f_rps" "$f_p99" "$f_bad"
if [ $only_fastapi = 0 ]; then
    read -r g_rps g_p99 g_bad < <(median "${g_runs[@]}")
    printf "  %-28s %10s req/s   p99 %8s ms   non-2xx %s   (median round)\n" "stom-gateway" "$g_rps" "$g_p99" "$g_bad"
    "$py" -c "print(f'  ratio stom/FastAPI: {$g_rps / $f_rps:.1f}x requests/s, p99 {$f_p99 / max($g_p99, 0.001):.1f}x lower')"
fi
