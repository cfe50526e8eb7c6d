#!/usr/bin/env bash
# Benchmarks GET /api/growth/stats against the test PostgreSQL cluster: seeds
# the database bench_stats once (about two minutes; reused while its seed
# version matches and it is under a week old), then prints a table of
# latencies and rates. Extra arguments go to cmd/benchstats, e.g.
#   scripts/bench-stats.sh -duration 20s -clients 64
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
go build -o "$bin/benchstats" ./cmd/benchstats
"$bin/benchstats" -admin-url "$TEST_DATABASE_URL" -db bench_stats "$@"
