#!/usr/bin/env bash
# `make run`: Kafka (native, port 9092), the four services (each runs all its roles in one
# process: api, consumer, relay, jobs), then the demo data loaded through the public HTTP
# APIs. Stores are SQLite under var/ unless <SERVICE>_DATABASE_URL says otherwise (e.g. the
# four URLs `PGPORT=... deploy/postgres/postgres.sh start` prints).
#
# Ctrl-C (SIGINT to the process group, as a terminal sends it) or SIGTERM stops everything
# this script started and exits 0. A service that exits by itself is named and the exit
# status is 1.
set -uo pipefail

# From a terminal, the script runs itself again as a job of its own (job control: its own
# process group, which the terminal's Ctrl-C then reaches alone). GNU make re-raises a SIGINT
# it receives itself (status 130); this way make never sees the Ctrl-C and `make run` ends
# with the script's own 0. Without a terminal (CI, `timeout`, a pipeline) nothing changes.
if [ -z "${BERDAYA_RUN_JOB:-}" ] && [ -t 0 ] && [ -t 2 ]; then
  set -m
  BERDAYA_RUN_JOB=1 "$0" "$@"
  exit $?
fi
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
py="$root/.venv/bin/python"
mkdir -p var/log

services=(registration training monitoring marketplace)
declare -A port_of=(
  [registration]="${REGISTRATION_HTTP_PORT:-8001}" [training]="${TRAINING_HTTP_PORT:-8002}"
  [monitoring]="${MONITORING_HTTP_PORT:-8003}" [marketplace]="${MARKETPLACE_HTTP_PORT:-8004}")
declare -A service_of=()  # pid -> service
helper=""                 # pid of the step in progress (readiness wait, demo loader)
started_kafka=""

say() { echo "run.sh: $*" >&2; }

stop_all() {
  trap - INT TERM EXIT
  local pids=("${!service_of[@]}" ${helper:+"$helper"})
  if ((${#pids[@]})); then
    kill -TERM "${pids[@]}" 2>/dev/null
    # Services finish what they hold (a request, a message, a batch); 20 s at most.
    local deadline=$((SECONDS + 20))
    while kill -0 "${pids[@]}" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -KILL "${pids[@]}" 2>/dev/null
    wait "${pids[@]}" 2>/dev/null
  fi
  [ -n "$started_kafka" ] && deploy/kafka/kafka.sh stop
}

on_signal() {
  say "menghentikan Berdaya (stopping)..."
  stop_all
  say "Berdaya berhenti (stopped)."
  exit 0
}

fail() {  # fail MESSAGE: stop everything, exit 1
  say "$*"
  stop_all
  exit 1
}

crashed() {  # crashed PID STATUS: a service exited on its own
  local name="${service_of[$1]}"
  unset "service_of[$1]"
  fail "$name exited unexpectedly (status $2); see var/log/$name.log"
}

# step CMD...: run a step in the background (so a signal reaches our trap at once, and
# SIGTERM stops it), watching the services meanwhile: one that exits is named.
step() {
  "$@" &
  helper=$!
  local done_pid="" rc
  wait -n -p done_pid "$helper" "${!service_of[@]}"
  rc=$?
  if [ -n "$done_pid" ] && [ "$done_pid" != "$helper" ]; then crashed "$done_pid" "$rc"; fi
  helper=""
  return "$rc"
}

trap on_signal INT TERM HUP
trap 'fail "stopped by an error"' EXIT

for service in "${services[@]}"; do
  port="${port_of[$service]}"
  if "$py" -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
      "$port" 2>/dev/null; then
    trap - EXIT
    say "port $port ($service) is already in use: is another \`make run\` still running?"
    exit 1
  fi
done

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  deploy/kafka/kafka.sh status 2>/dev/null || started_kafka=1  # stop only a broker we start
  kafka_env="$(deploy/kafka/kafka.sh start)" || fail "Kafka did not start (see above)"
  eval "$kafka_env"
  export KAFKA_BOOTSTRAP_SERVERS
fi
export BERDAYA_ENV="${BERDAYA_ENV:-dev}"
# Monitoring checks for overdue visits every 30 s locally (60 s by default).
export MONITORING_OVERDUE_CHECK_INTERVAL_S="${MONITORING_OVERDUE_CHECK_INTERVAL_S:-30}"
stores="SQLite under var/"
demo_env=()  # where demo_data.py finds each service
for service in "${services[@]}"; do
  url_var="${service^^}_DATABASE_URL"
  [[ "${!url_var:-}" == postgresql* ]] && stores="PostgreSQL"
  demo_env+=("${service^^}_URL=http://127.0.0.1:${port_of[$service]}")
done

for service in "${services[@]}"; do
  "$py" -m "$service" all >"var/log/$service.log" 2>&1 &
  service_of[$!]="$service"
done
for service in "${services[@]}"; do
  step "$py" deploy/local/wait_http.py "http://127.0.0.1:${port_of[$service]}/readyz" 120 ||
    fail "$service did not become ready; see var/log/$service.log"
done
say "the four services are ready (stores: $stores; Kafka $KAFKA_BOOTSTRAP_SERVERS); loading the demo..."
step env "${demo_env[@]}" "$py" deploy/local/demo_data.py || fail "the demo did not load (see above; var/log/*.log)"

cat <<EOF

Berdaya berjalan (running). API docs:
  registration  http://127.0.0.1:${port_of[registration]}/docs
  training      http://127.0.0.1:${port_of[training]}/docs
  monitoring    http://127.0.0.1:${port_of[monitoring]}/docs
  marketplace   http://127.0.0.1:${port_of[marketplace]}/docs  (public catalogue: /catalogue)
Dasbor petugas (officer dashboard): http://127.0.0.1:${port_of[monitoring]}/dashboard
  sign in with a token: make token ROLE=kecamatan_officer AREA=31.74.06 (camat Cilandak)
Token for "Authorize" in /docs: make token ROLE=kelurahan_officer AREA=31.74.06.1001 (or ROLE=city_admin AREA=31, trainer, field_officer, ...)
Logs: var/log/<service>.log. Ctrl-C stops everything.
EOF

done_pid=""
wait -n -p done_pid "${!service_of[@]}"
crashed "$done_pid" "$?"
