# PostgreSQL for the test suite; sourced by .ci/run.
#
# Uses the machine's server when one answers on 127.0.0.1:$RAPPORT_CI_PG_PORT
# (default 5432, trust auth, database `test`). Where none answers, installs the
# OS packages if they are missing, starts a throwaway server on another port
# (initdb refuses root, so it runs as the `postgres` user) and stops it on exit.
# Either way RAPPORT_TEST_DATABASE_URL is exported for the tests. Setting
# RAPPORT_CI_PG_PORT to a closed port (say 1) exercises the "none answers" path.

ci_pg_answers() {  # host port
    python3 - "$1" "$2" <<'EOF'
import socket, sys
try:
    socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()
except OSError:
    sys.exit(1)
EOF
}

ci_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

ci_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ci_pg_stop() {
    if [ -n "${CI_PG_DIR:-}" ] && [ -d "$CI_PG_DIR/data" ]; then
        $CI_PG_AS "$CI_PG_BIN/pg_ctl" -D "$CI_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$CI_PG_DIR"
        echo "ci: stopped the PostgreSQL server started for this run"
    fi
}

ci_pg_start() {
    if [ -n "${RAPPORT_TEST_DATABASE_URL:-}" ]; then
        echo "ci: using RAPPORT_TEST_DATABASE_URL from the environment"
        return 0
    fi
    local probe_port="${RAPPORT_CI_PG_PORT:-5432}"
    if ci_pg_answers 127.0.0.1 "$probe_port"; then
        export RAPPORT_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$probe_port/test"
        echo "ci: using the PostgreSQL server on 127.0.0.1:$probe_port"
        return 0
    fi
    echo "ci: no PostgreSQL answers on 127.0.0.1:$probe_port; starting one for this run"
    CI_PG_BIN="$(ci_pg_bin)"
    if [ -z "$CI_PG_BIN" ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
        CI_PG_BIN="$(ci_pg_bin)"
    fi
    CI_PG_AS=""
    CI_PG_DIR="$(mktemp -d /tmp/rapport-ci-pg.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        # initdb and postgres refuse to run as root.
        id postgres >/dev/null 2>&1 || useradd --system --home-dir "$CI_PG_DIR" postgres
        chown postgres "$CI_PG_DIR"
        CI_PG_AS="runuser -u postgres --"
    fi
    trap 'ci_status=$?; ci_pg_stop; exit $ci_status' EXIT
    local port
    port="$(ci_pg_free_port)"
    $CI_PG_AS "$CI_PG_BIN/initdb" -D "$CI_PG_DIR/data" -U postgres -A trust --no-sync >/dev/null
    # A throwaway server: durability across an OS crash buys the tests nothing.
    $CI_PG_AS "$CI_PG_BIN/pg_ctl" -D "$CI_PG_DIR/data" -l "$CI_PG_DIR/server.log" -w \
        -o "-p $port -k $CI_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
        start >/dev/null
    $CI_PG_AS "$CI_PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres test
    export RAPPORT_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$port/test"
    echo "ci: started PostgreSQL on 127.0.0.1:$port"
}
