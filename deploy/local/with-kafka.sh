#!/usr/bin/env bash
# with-kafka.sh CMD...: run CMD with KAFKA_BOOTSTRAP_SERVERS set, starting a broker if needed.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]; then
  eval "$("$root/deploy/kafka/kafka.sh" start)"
  export KAFKA_BOOTSTRAP_SERVERS
  trap '"$root/deploy/kafka/kafka.sh" stop >&2' EXIT
fi
"$@"
