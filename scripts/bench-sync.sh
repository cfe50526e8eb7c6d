#!/usr/bin/env bash
# Benchmarks one fetch job syncing 10,000 posts from the sandbox Instagram
# into PostgreSQL (target: under 3 s per op on a 2-core machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL
exec go test -run '^$' -bench Sync10k -benchtime 3x "$@" ./internal/igsync/
