#!/usr/bin/env bash
# Benchmarks GET /api/growth/recommendations and GET /api/growth/forecast
# through the real router on PostgreSQL, for a typical account and for one
# with 100,000 posts, computed and reused: p50/p99 per request and the Go
# CPU per request (target: 100k-post recommendations p50 ≤ 20 ms computed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL
exec go test -run '^$' -bench BenchmarkAdvice -benchtime 200x "$@" ./internal/httpapi/
