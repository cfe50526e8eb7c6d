#!/usr/bin/env bash
# Benchmarks the post insights: the steady-state readings and calls per
# day of a 1,000-post account under the age ladder (computed), the first
# backfill of such an account against the fake Instagram at 200 calls an
# hour on a virtual clock, and a typical report computed and reused.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL
go test -run '^$' -bench 'InsightsLadder|InsightsBackfill1000' -benchtime 1x "$@" ./internal/igsync/
go test -run '^$' -bench 'Stats_Typical' -benchtime 2s "$@" ./internal/growth/
