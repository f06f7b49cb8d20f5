#!/usr/bin/env bash
# Runs every Tidings test on a fresh machine (JDK 17, Node 20, apt): the Maven reactor's unit and
# integration tests (real Kafka broker, real schema registry, a Node producer using Confluent's
# serializer), the JavaScript SDK's unit tests, the deploy manifests' static
# checks, then the cluster tests (SDK survives a gateway restart; demo page in headless Chromium)
# against a real `./tidings up` cluster.
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
cd "$root"

step() { printf '\n=== %s ===\n' "$*"; }

step "npm: the e2e tests' Confluent producer (Confluent's own Avro serializer)"
(cd e2e-tests/src/test/node && npm ci --no-audit --no-fund)

step "Maven: unit and integration tests (real Kafka broker, real schema registry)"
./mvnw -B -ntp verify

step "JavaScript SDK: unit tests"
(cd clients/js && npm ci --no-audit --no-fund && npm test)

if [ -x deploy/validate.sh ]; then
  step "Deploy manifests: static validation"
  deploy/validate.sh
fi

step "Cluster tests: SDK across a gateway restart, demo page in Chromium"
clients/js/scripts/run-cluster-tests.sh
