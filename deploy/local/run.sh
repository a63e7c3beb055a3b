#!/usr/bin/env bash
# `make run`: Kafka (native, port 9092), the four services with SQLite stores under var/
# (each service runs all its roles in one process: api, consumer, relay, jobs), then the demo
# data loaded through the public HTTP APIs. Ctrl-C (or SIGTERM) stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
py="$root/.venv/bin/python"
mkdir -p var/log
pids=()
started_kafka=""

stop_all() {
  trap - INT TERM EXIT
  echo "run.sh: stopping services..." >&2
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$started_kafka" ] && deploy/kafka/kafka.sh stop >&2 || true
  echo "run.sh: stopped." >&2
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  eval "$(deploy/kafka/kafka.sh start)"
  export KAFKA_BOOTSTRAP_SERVERS
  started_kafka=1
fi
export BERDAYA_ENV="${BERDAYA_ENV:-dev}"
# Monitoring checks for overdue visits every 30 s locally (60 s by default).
export MONITORING_OVERDUE_CHECK_INTERVAL_S="${MONITORING_OVERDUE_CHECK_INTERVAL_S:-30}"

for service in registration training monitoring marketplace; do
  "$py" -m "$service" all >"var/log/$service.log" 2>&1 &
  pids+=($!)
done
for port in 8001 8002 8003 8004; do
  "$py" deploy/local/wait_http.py "http://127.0.0.1:$port/readyz" 120 || {
    echo "run.sh: a service did not become ready; see var/log/*.log" >&2; exit 1; }
done
echo "run.sh: all four services ready on 8001-8004 (Kafka $KAFKA_BOOTSTRAP_SERVERS)." >&2
"$py" deploy/local/demo_data.py
echo "run.sh: demo loaded. Logs: var/log/<service>.log. Press Ctrl-C to stop." >&2
wait -n "${pids[@]}" || true
echo "run.sh: a service exited; see var/log/*.log" >&2
exit 1
