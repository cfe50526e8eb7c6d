#!/usr/bin/env bash
# Prints TEST_DATABASE_URL, starting the throwaway test cluster when it is unset.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${TEST_DATABASE_URL:-}" ]; then
	echo "$TEST_DATABASE_URL"
else
	"$root/scripts/pg.sh" start test 54330
fi
