#!/usr/bin/env bash
# A throwaway PostgreSQL server for the catalog tests.
#   start: prints exactly one line, `export HEALTHFM_TEST_POSTGRES_URL=...`, on stdout (all else on stderr)
#   stop:  stops the server and removes its folder
# Overrides: HEALTHFM_PG_DIR (cluster folder), HEALTHFM_PG_PORT (first port to try).
set -euo pipefail

DIR="${HEALTHFM_PG_DIR:-/tmp/healthfm-pg-$(id -u)}"
FIRST_PORT="${HEALTHFM_PG_PORT:-55432}"
DB_NAME=healthfm_test
DB_USER=healthfm

log() { echo "pg-test-server: $*" >&2; }
die() {
    log "$*"
    exit 1
}

find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d="$(pg_config --bindir 2>/dev/null || true)"
        if [ -n "$d" ] && [ -x "$d/initdb" ]; then
            echo "$d"
            return 0
        fi
    fi
    # Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin; take the newest.
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5 -rn); do
        if [ -x "$d/initdb" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

ensure_binaries() {
    local bindir
    if bindir="$(find_bindir)"; then
        echo "$bindir"
        return 0
    fi
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        log "PostgreSQL server binaries not found; installing with apt-get"
        apt-get update -qq >&2 || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 \
            || die "apt-get install postgresql failed"
        bindir="$(find_bindir)" || die "installed postgresql but found no initdb"
        echo "$bindir"
        return 0
    fi
    die "PostgreSQL server binaries (initdb, pg_ctl) not found and cannot install them (need root and apt-get)"
}

# Runs a command as the cluster owner: root must hand over to `postgres` (initdb refuses to run as root).
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop_server() {
    local bindir
    if [ -f "$DIR/data/postmaster.pid" ] && bindir="$(find_bindir)"; then
        as_owner "$bindir/pg_ctl" -D "$DIR/data" -m fast -w stop 1>&2 || true
    fi
    rm -rf "$DIR"
}

start_server() {
    local bindir port password
    bindir="$(ensure_binaries)"
    log "using PostgreSQL binaries in $bindir"

    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres >&2 \
            || die "cannot create the postgres system user"
    fi

    # Throwaway: a cluster left by an earlier run is replaced; a failed start leaves nothing behind.
    stop_server
    trap 'rc=$?; if [ "$rc" -ne 0 ]; then log "start failed; removing $DIR"; stop_server; fi' EXIT
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$DIR"
    fi

    port="$FIRST_PORT"
    while port_in_use "$port"; do
        port=$((port + 1))
        [ "$port" -lt $((FIRST_PORT + 50)) ] || die "no free port in $FIRST_PORT..$((FIRST_PORT + 49))"
    done

    password="$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"

    as_owner "$bindir/initdb" -D "$DIR/data" -U postgres --encoding=UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 >"$DIR/initdb.log" 2>&1 \
        || {
            cat "$DIR/initdb.log" >&2
            die "initdb failed"
        }

    # Durability is pointless for a test cluster; turning it off makes the tests fast.
    as_owner "$bindir/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >&2 || {
        tail -n 30 "$DIR/server.log" >&2 || true
        die "pg_ctl start failed"
    }

    local i
    for i in $(seq 1 60); do
        if as_owner "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
            break
        fi
        [ "$i" -lt 60 ] || die "server did not become ready on port $port"
        sleep 0.5
    done

    as_owner "$bindir/psql" -q -X -v ON_ERROR_STOP=1 -h "$DIR" -p "$port" -U postgres -d postgres \
        -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$password'" \
        -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >&2 \
        || die "could not create role $DB_USER / database $DB_NAME"

    log "server running on 127.0.0.1:$port (data in $DIR; stop with: bash $0 stop)"
    trap - EXIT
    echo "export HEALTHFM_TEST_POSTGRES_URL=postgresql+psycopg://$DB_USER:$password@127.0.0.1:$port/$DB_NAME"
}

case "${1:-}" in
start) start_server ;;
stop) stop_server ;;
*)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
