# Sourced by .ci/run and `make test`: finds the local PostgreSQL and Redis servers and
# exports TEST_DATABASE_URL and TEST_REDIS_URL for pytest when they answer. Values already
# in the environment win. Every probe has a timeout and nothing reads stdin, so a missing
# server costs seconds, never a hang.

PG_HOST=${CI_PG_HOST:-127.0.0.1}
PG_PORT=${CI_PG_PORT:-5432}
PG_DATABASE=${CI_PG_DATABASE:-test}
REDIS_HOST=${CI_REDIS_HOST:-127.0.0.1}
REDIS_PORT=${CI_REDIS_PORT:-6379}
PROBE_SECONDS=5

have() { command -v "$1" >/dev/null 2>&1; }

# True when something listens on host:port (no client needed).
port_open() {
    timeout "$PROBE_SECONDS" python3 - "$1" "$2" <<'PY' 2>/dev/null
import socket, sys
socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3).close()
PY
}

postgres_url() {
    if have pg_isready; then
        timeout "$PROBE_SECONDS" pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 3 </dev/null || return 1
    else
        port_open "$PG_HOST" "$PG_PORT" || return 1
    fi
    if ! have psql; then
        echo "postgresql+asyncpg://postgres@$PG_HOST:$PG_PORT/$PG_DATABASE"
        return 0
    fi
    # The first role the server lets in without a password.
    local user
    for user in postgres "$(id -un)"; do
        if PGCONNECT_TIMEOUT=3 timeout "$PROBE_SECONDS" psql -w -X -q -h "$PG_HOST" -p "$PG_PORT" \
            -U "$user" -d "$PG_DATABASE" -c 'SELECT 1' </dev/null >/dev/null 2>&1; then
            echo "postgresql+asyncpg://$user@$PG_HOST:$PG_PORT/$PG_DATABASE"
            return 0
        fi
    done
    return 1
}

redis_answers() {
    if have redis-cli; then
        [ "$(timeout "$PROBE_SECONDS" redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping </dev/null 2>/dev/null)" = PONG ]
    else
        timeout "$PROBE_SECONDS" python3 - "$REDIS_HOST" "$REDIS_PORT" <<'PY' 2>/dev/null
import socket, sys
with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3) as s:
    s.sendall(b"PING\r\n")
    sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
PY
    fi
}

if [ -z "${TEST_DATABASE_URL:-}" ]; then
    if url=$(postgres_url); then
        export TEST_DATABASE_URL=$url
    fi
fi
if [ -z "${TEST_REDIS_URL:-}" ] && redis_answers; then
    export TEST_REDIS_URL="redis://$REDIS_HOST:$REDIS_PORT/0"
fi
echo "services: PostgreSQL ${TEST_DATABASE_URL:-not available (its tests are skipped)}"
echo "services: Redis ${TEST_REDIS_URL:-not available (its tests are skipped)}"
