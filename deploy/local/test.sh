#!/usr/bin/env bash
# `make test`: real Kafka and PostgreSQL, then every suite.
#
# Servers: KAFKA_BOOTSTRAP_SERVERS / POSTGRES_ADMIN_URL if set (an existing broker and
# database), otherwise the project's native scripts start a fresh broker (state reset, test
# ports 19092/19093) and a private PostgreSQL (port 55433), stopped again at the end.
# Suites run one pytest each (shared, each service, cross-service), so every package keeps
# its own `tests` package; the last line sums them up.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
py="$root/.venv/bin/python"
export BERDAYA_ENV=test
started_kafka="" started_pg=""

# tests/scale starts its own 3-broker cluster (deploy/kafka/cluster.sh) on these ports and
# removes it at the end; the cleanup below also stops it if pytest itself was killed.
export KAFKA_CLUSTER_BASE_PORT="${KAFKA_CLUSTER_BASE_PORT:-19492}"

cleanup() {
  deploy/kafka/cluster.sh stop >&2 || true
  [ -n "$started_kafka" ] && KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 deploy/kafka/kafka.sh stop >&2 || true
  [ -n "$started_pg" ] && PGPORT=55433 deploy/postgres/postgres.sh stop >&2 || true
}
trap cleanup EXIT

if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  export KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093
  deploy/kafka/kafka.sh reset >&2   # a fresh broker: no topics or offsets from earlier runs
  eval "$(deploy/kafka/kafka.sh start)"
  export KAFKA_BOOTSTRAP_SERVERS
  started_kafka=1
  unset KAFKA_PORT KAFKA_CONTROLLER_PORT
fi
if [ -z "${POSTGRES_ADMIN_URL:-}" ]; then
  started_pg=1
  pg_out="$(PGPORT=55433 deploy/postgres/postgres.sh start)" \
    || { echo "test.sh: PostgreSQL did not start on port 55433 (is another server using it?)" >&2; exit 1; }
  eval "$(grep '^POSTGRES_ADMIN_URL=' <<<"$pg_out")"
  export POSTGRES_ADMIN_URL
fi
echo "test.sh: Kafka at $KAFKA_BOOTSTRAP_SERVERS, PostgreSQL at $POSTGRES_ADMIN_URL" >&2

# The dashboard's browser test drives Debian's chromium (installed once, quiet when present);
# without it that test fails and says so, the other suites still run.
deploy/browser/install.sh || echo "test.sh: chromium could not be installed (see above)" >&2

reports="$root/.state/test-reports"
rm -rf "$reports" && mkdir -p "$reports"
status=0
run_suite() {  # run_suite DIR NAME PATHS [pytest args...]
  local dir=$1 name=$2 paths=$3; shift 3
  echo "=== $name" >&2
  # shellcheck disable=SC2086  # PATHS is a word list
  (cd "$dir" && "$py" -m pytest $paths -q -p no:cacheprovider --timeout 900 \
      --junitxml "$reports/$name.xml" "$@") || status=$?
}
for suite in shared services/registration services/training services/monitoring services/marketplace; do
  run_suite "$root/$suite" "${suite//\//-}" tests "$@"
done
run_suite "$root" cross-service "tests --ignore=tests/browser" "$@"   # contracts, e2e, fuzz, deploy, scale
# The dashboard's browser test runs in its own process: Playwright's sync API holds an event
# loop on the main thread that the other cross-service tests (asyncio.run) must not share. It
# runs last, on the broker everything above has published to: its stack's own topic prefix
# (KAFKA_TOPIC_PREFIX) keeps its exact numbers the story's.
run_suite "$root" browser tests/browser "$@"
"$py" - "$reports" <<'PY'
import sys, pathlib, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for f in pathlib.Path(sys.argv[1]).glob("*.xml"):
    for s in ET.parse(f).getroot().iter("testsuite"):
        t, fl, e, sk = (int(s.get(k, 0)) for k in ("tests", "failures", "errors", "skipped"))
        passed += t - fl - e - sk; failed += fl + e; skipped += sk
print(f"Total: {passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
