#!/usr/bin/env bash
# Local/test PostgreSQL for Berdaya: a private cluster (not Debian's default one) with one
# database per service.  Usage: postgres.sh install|start|stop|status|reset
# Test/dev only: trust auth, fsync off.  Production uses the ops team's managed server;
# services then just get <SERVICE>_DATABASE_URL and this script is not involved.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
PORT="${PGPORT:-55432}"
DATABASES=(registration training monitoring marketplace)
STATE="${BERDAYA_STATE_DIR:-$REPO/.state}"

log() { echo "postgres.sh: $*" >&2; }

# PostgreSQL refuses to run as root, so as root every server-side command runs as the
# `postgres` OS user (created by the Debian package); otherwise as the current user.
if [[ $EUID -eq 0 ]]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
cd /   # the postgres user may not be able to enter the caller's cwd (e.g. /root)

pg_bin() { printf "%s\n" /usr/lib/postgresql/*/bin | sort -V | tail -n 1; }  # newest version

# Data dir: <state>/postgres-<port> when the postgres user can reach it.  A repo cloned
# under /root (mode 700) is not traversable by `postgres`, and a deep path makes the unix
# socket path exceed the kernel's 107-byte limit; rather than loosening permissions on the
# caller's home we then fall back to /tmp/berdaya-postgres-<port>.
# Decided after `install`, because the postgres user only exists once the package is in.
choose_dir() {
  DIR="$STATE/postgres-$PORT"
  mkdir -p "$STATE"
  if (( ${#DIR} > 90 )) || ! as_pg test -x "$STATE" 2>/dev/null; then
    DIR="/tmp/berdaya-postgres-$PORT"
  fi
  DATA="$DIR/data"
}

install() {
  [[ -x "$(pg_bin)/postgres" ]] && return 0
  [[ $EUID -eq 0 ]] || { log "PostgreSQL missing; run as root or: apt-get install postgresql"; exit 1; }
  log "installing PostgreSQL from apt"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql </dev/null >&2
}

pg_ctl() { as_pg "$(pg_bin)/pg_ctl" -D "$DATA" "$@"; }
is_running() { [[ -f "$DATA/PG_VERSION" ]] && pg_ctl status >/dev/null 2>&1; }
psql_admin() {
  as_pg "$(pg_bin)/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR" -p "$PORT" -U postgres -d postgres
}

start() {
  mkdir -p "$DIR"
  if [[ $EUID -eq 0 ]]; then chown postgres:postgres "$DIR"; fi
  chmod 700 "$DIR"
  exec 9>"$DIR/.start.lock"; flock 9   # serialize concurrent starts
  if [[ ! -f "$DATA/PG_VERSION" ]]; then
    log "initdb $DATA"
    as_pg "$(pg_bin)/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C >&2
    # trust auth (initdb --auth=trust): only reachable from this machine, test/dev only.
    # fsync/full_page_writes off: a crash may corrupt this throwaway cluster, but tests run
    # much faster; never do this with data you care about.
    cat >>"$DATA/postgresql.conf" <<CONF
# --- berdaya dev/test settings (deploy/postgres/postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
fsync = off
full_page_writes = off
synchronous_commit = off
CONF
  fi
  if is_running; then
    log "already running on 127.0.0.1:$PORT ($DATA)"
  else
    log "starting on 127.0.0.1:$PORT ($DATA)"
    # 9>&- : the server must not inherit the lock fd.  -w -t: wait, but bounded.
    pg_ctl -l "$DIR/postgres.log" -w -t 60 start >&2 9>&- \
      || { log "start failed; log:"; tail -n 20 "$DIR/postgres.log" >&2; exit 1; }
  fi
  # Create role and databases only if missing (CREATE DATABASE cannot run inside a DO
  # block, hence \gexec over generated statements).
  local names; names="$(printf "'%s'," "${DATABASES[@]}")"
  psql_admin <<SQL
SELECT 'CREATE ROLE berdaya SUPERUSER LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'berdaya') \gexec
SELECT format('CREATE DATABASE %I OWNER berdaya', d)
  FROM unnest(ARRAY[${names%,}]) AS d
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec
SQL
  for db in "${DATABASES[@]}"; do
    echo "${db^^}_DATABASE_URL=postgresql+psycopg://berdaya@127.0.0.1:$PORT/$db"
  done
  echo "POSTGRES_ADMIN_URL=postgresql+psycopg://berdaya@127.0.0.1:$PORT/postgres"
}

stop() {
  if is_running; then log "stopping ($DATA)"; pg_ctl -m fast -w -t 60 stop >&2; fi
}

status() {
  if is_running; then log "running on 127.0.0.1:$PORT ($DATA)"; else log "not running"; return 1; fi
}

reset() { stop; rm -rf "$DIR"; log "removed $DIR"; }

case "${1:-}" in
  install) install ;;
  start) install; choose_dir; start ;;
  stop|status|reset) choose_dir; "$1" ;;
  *) echo "usage: $0 install|start|stop|status|reset" >&2; exit 2 ;;
esac
