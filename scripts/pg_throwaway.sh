#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster.
#
# Usage: scripts/pg_throwaway.sh <command> [args...]
#
# Creates a fresh cluster in a temporary folder, listening on 127.0.0.1 on a
# free port (plus a unix socket inside the temporary folder), with a superuser
# and a database both named "doanket" and trust authentication. The command is
# run with DATABASE_URL=postgres://doanket@127.0.0.1:PORT/doanket exported;
# afterwards the cluster is stopped and the folder deleted (also on failure or
# Ctrl-C). The script exits with the command's exit code.
#
# The command is executed directly ("$@"), not through a shell, so
# $DATABASE_URL in the arguments would be expanded by *your* shell before the
# cluster exists. To use it in the arguments, wrap the command in bash -c:
#   scripts/pg_throwaway.sh bash -c 'psql "$DATABASE_URL" -c "select 1"'
#   scripts/pg_throwaway.sh make test-pg
#
# Finds initdb/pg_ctl on PATH or under /usr/lib/postgresql/*/bin (highest
# version). If there are none and we are root, installs Debian's postgresql
# package. initdb refuses to run as root, so as root the server runs as the
# "postgres" system user (created if missing) via runuser.
#
# Also exported: PG_THROWAWAY_DATADIR (the cluster's data folder) and PG_THROWAWAY_CTL (a script
# running pg_ctl on it, as the server's user), so a test may restart the server under load.
#
# Optional environment: PG_THROWAWAY_KEEP_LOG=1 prints the server log at the end.
set -euo pipefail

log() { echo "pg_throwaway: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -gt 0 ]] || { echo "usage: $0 <command> [args...]" >&2; exit 2; }

# --- locate the PostgreSQL server binaries ---------------------------------
find_pg_bin() {
    local initdb dir
    if initdb=$(command -v initdb 2>/dev/null); then
        # Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb)
        # so that pg_ctl/createdb come from the same installation.
        dir=$(dirname "$(readlink -f "$initdb")")
        if [[ -x $dir/pg_ctl ]]; then
            echo "$dir"
            return 0
        fi
    fi
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | while read -r d; do
        if [[ -x $d/initdb && -x $d/pg_ctl ]]; then echo "$d"; fi
    done | tail -n 1)
    [[ -n $dir ]] || return 1
    echo "$dir"
}

if ! PG_BIN=$(find_pg_bin); then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "PostgreSQL server not found; installing the postgresql package with apt-get"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends postgresql >/dev/null
        PG_BIN=$(find_pg_bin) || die "postgresql installed but initdb/pg_ctl still not found"
    else
        die "initdb/pg_ctl not found on PATH or under /usr/lib/postgresql/*/bin (install PostgreSQL, e.g. apt-get install postgresql)"
    fi
fi
CREATEDB=$PG_BIN/createdb
[[ -x $CREATEDB ]] || CREATEDB=$(command -v createdb) || die "createdb not found"

# --- run server tools as a non-root user when we are root ------------------
AS_PG=()
if [[ $(id -u) -eq 0 ]]; then
    PATH=$PATH:/usr/sbin:/sbin  # runuser, useradd
    if ! id -u postgres >/dev/null 2>&1; then
        log "creating system user postgres"
        useradd --system --user-group --no-create-home --home-dir /var/lib/postgresql \
            --shell /usr/sbin/nologin postgres
    fi
    AS_PG=(runuser -u postgres --)
fi

# --- temporary folder and cleanup ------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pg_throwaway.XXXXXX")
DATA=$TMP/data
SOCK=$TMP/socket
LOG=$TMP/server.log

# shellcheck disable=SC2317  # invoked via trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -f $DATA/postmaster.pid ]]; then
        (cd "$TMP" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1) ||
            log "warning: pg_ctl stop failed"
    fi
    if [[ ${PG_THROWAWAY_KEEP_LOG:-} == 1 && -f $LOG ]]; then
        log "server log:"
        cat "$LOG" >&2
    fi
    rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The folder is world-readable (0755) so the socket dir can be reached;
# initdb itself creates the data dir with mode 0700.
chmod 0755 "$TMP"
mkdir -m 0755 "$SOCK"
touch "$LOG"
if [[ ${#AS_PG[@]} -gt 0 ]]; then
    chown -R postgres: "$TMP"
    "${AS_PG[@]}" test -w "$TMP" || die "user postgres cannot write to $TMP (set TMPDIR to a folder it can reach, e.g. /tmp)"
fi

# Run server tools from inside $TMP: as postgres, the caller's working
# directory may not be accessible, which makes initdb/pg_ctl complain.
pg() { (cd "$TMP" && "${AS_PG[@]}" "$@"); }

# --- initdb ------------------------------------------------------------------
log "initdb ($PG_BIN) in $DATA"
if ! pg "$PG_BIN/initdb" -D "$DATA" -U doanket --auth=trust -E UTF8 --no-locale --no-sync \
        >"$TMP/initdb.log" 2>&1; then
    cat "$TMP/initdb.log" >&2
    die "initdb failed"
fi
cat >>"$DATA/postgresql.conf" <<EOF

# pg_throwaway.sh: throwaway test cluster, durability off for speed
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCK'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

# --- start on a free port (retry if another process grabbed the port) --------
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT=
for _attempt in 1 2 3 4 5; do
    candidate=$(free_port)
    if pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOG" -o "-p $candidate" -w -t 60 start >/dev/null; then
        PORT=$candidate
        break
    fi
    log "server did not start on port $candidate, retrying"
done
if [[ -z $PORT ]]; then
    cat "$LOG" >&2
    die "could not start PostgreSQL"
fi

"$CREATEDB" -h 127.0.0.1 -p "$PORT" -U doanket doanket

export DATABASE_URL="postgres://doanket@127.0.0.1:$PORT/doanket"

# For the tests that restart the server under load (tests/faults): PG_THROWAWAY_CTL runs this
# cluster's pg_ctl (as postgres when we are root), e.g. "$PG_THROWAWAY_CTL" restart -m fast -w.
CTL=$TMP/pg_ctl
{
    echo '#!/usr/bin/env bash'
    printf 'cd %q && exec' "$TMP"
    if [[ ${#AS_PG[@]} -gt 0 ]]; then printf ' %q -u postgres --' "$(command -v runuser)"; fi
    printf ' %q -D %q -l %q "$@"\n' "$PG_BIN/pg_ctl" "$DATA" "$LOG"
} >"$CTL"
chmod 0755 "$CTL"
export PG_THROWAWAY_CTL=$CTL PG_THROWAWAY_DATADIR=$DATA
log "$("$PG_BIN/pg_ctl" --version) ready: DATABASE_URL=$DATABASE_URL"

# --- run the command; keep its exit code --------------------------------------
set +e
"$@"
rc=$?
set -e
log "command exited with $rc; stopping and removing the cluster"
exit "$rc"
