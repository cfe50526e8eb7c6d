#!/usr/bin/env bash
# make bench: the sync, insights, stats and advice benchmarks against a real PostgreSQL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL
for b in bench-sync bench-insights bench-stats bench-advice; do
	if [ -x "$root/scripts/$b.sh" ]; then
		printf '\n==> %s\n' "$b"
		"$root/scripts/$b.sh"
	fi
done
