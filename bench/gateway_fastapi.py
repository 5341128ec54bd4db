"""gateway_fastapi.py - the comparison side of bench/bench_gateway.sh.

A FastAPI + uvicorn app serving the one endpoint the benchmark measures,
GET /api/v1/strategies, the way stom-gateway does (docs/gateway-api.md):
verify the Bearer JWT (HS256; iss, aud and exp required), reload the
user's role and disabled flag from PostgreSQL, list the caller's
strategies, answer {"strategies": [{id, name, description, version,
created_at, updated_at}]} with times as RFC 3339 in KST, and the gateway's
error shape for 401.

Run with Debian's interpreter (python3-fastapi, python3-uvicorn,
python3-jwt, python3-psycopg2):
    STOM_DATABASE_URL=... STOM_JWT_SECRET=... \
    /usr/bin/python3 -m uvicorn gateway_fastapi:app --app-dir bench --port N
Threads: handlers are plain functions, run on the server's thread pool;
each pool thread keeps its own connection (as each gateway worker does).
"""
import os

import jwt
import threading

import psycopg2
from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse

SECRET = os.environ["STOM_JWT_SECRET"]
ISSUER = os.environ.get("STOM_JWT_ISSUER", "stom")
AUDIENCE = os.environ.get("STOM_JWT_AUDIENCE", "stom-api")
DATABASE = os.environ["STOM_DATABASE_URL"]
LOCAL = threading.local()


def connection():
    """This thread's connection, made on first use and again after a failure."""
    conn = getattr(LOCAL, "conn", None)
    if conn is None or conn.closed:
        conn = LOCAL.conn = psycopg2.connect(DATABASE)
        conn.autocommit = True
    return conn

KST = """to_char(%s AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD"T"HH24:MI:SS"+09:00"')"""
LIST_SQL = (
    "SELECT id, name, description, version, " + (KST % "created_at") + ", " +
    (KST % "updated_at") + " FROM strategies WHERE user_id = %s ORDER BY lower(name), id")

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


def error(status, code, message):
    return JSONResponse({"error": {"code": code, "message": message, "fields": {}}},
                        status_code=status)


def caller(authorization):
    """The user id of a valid token whose user exists and is enabled, else None."""
    if not authorization or not authorization.startswith("Bearer "):
        return None
    try:
        claims = jwt.decode(authorization[7:], SECRET, algorithms=["HS256"],
                            audience=AUDIENCE, issuer=ISSUER,
                            options={"require": ["exp", "iss", "aud", "sub"]})
        return int(claims["sub"])
    except (jwt.InvalidTokenError, ValueError):
        return None


@app.get("/api/v1/strategies")
def list_strategies(authorization: str = Header(default=None)):
    user = caller(authorization)
    if user is None:
        return error(401, "unauthorized", "missing or invalid access token")
    with connection().cursor() as cur:
        cur.execute("SELECT disabled FROM users WHERE id = %s", (user,))
        row = cur.fetchone()
        if row is None or row[0]:
            return error(401, "unauthorized", "missing or invalid access token")
        cur.execute(LIST_SQL, (user,))
        rows = cur.fetchall()
    keys = ("id", "name", "description", "version", "created_at", "updated_at")
    return {"strategies": [dict(zip(keys, r)) for r in rows]}
