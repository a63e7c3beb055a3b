#!/usr/bin/env bash
# Apply Berdaya to a Kubernetes cluster in order: settings, then each service's migration Job
# (awaited), then the roles. Usage: deploy/k8s/apply.sh [kubectl context args...]
# The Secret berdaya-secrets must exist first (config/secret.example.yaml; deploy/README.md).
# Without Helm or an operator, ordering is this script's job: roles started before their
# migration would crash-loop until the tables exist, so they are applied only after it.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kubectl "$@" apply -k "$HERE/config"
kubectl "$@" -n berdaya get secret berdaya-secrets >/dev/null \
  || { echo "apply.sh: create the Secret berdaya-secrets first (deploy/README.md)" >&2; exit 1; }
# A Job's pod template cannot change: the previous run is deleted, then applied anew.
kubectl "$@" -n berdaya delete job -l app.kubernetes.io/component=migrate --ignore-not-found
kubectl "$@" apply -k "$HERE/migrate"
kubectl "$@" -n berdaya wait --for=condition=complete --timeout=600s \
  job -l app.kubernetes.io/component=migrate
kubectl "$@" apply -k "$HERE/roles"
