#!/usr/bin/env bash
# make test: Go tests against a real PostgreSQL, the web unit tests and the
# browser end-to-end tests. Each step installs what it needs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/toolchain.sh"
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	# The throwaway cluster is stopped on the way out, however the tests
	# end, unless it was already running before (then it is not ours).
	pg_dir=$("$root/scripts/pg.sh" dir test)
	if [ ! -f "$pg_dir/postmaster.pid" ]; then
		trap '"$root/scripts/pg.sh" stop test || true' EXIT
	fi
fi
TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
export TEST_DATABASE_URL

step() { printf '\n==> %s\n' "$*"; }

step "lint: gofmt, go vet, staticcheck, the web lint (API types, tsc, ESLint)"
if ! command -v staticcheck >/dev/null 2>&1 && [ ! -x "$(go env GOPATH)/bin/staticcheck" ]; then
	go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
make --no-print-directory lint

step "go test -race (PostgreSQL: ${TEST_DATABASE_URL%%\?*})"
go test -race -count=1 -timeout 15m ./...

if [ -x "$root/scripts/fuzz.sh" ]; then
	step "fuzz targets, 2,000 inputs each"
	# A count, not a duration: short -fuzztime durations can end in a spurious
	# "context deadline exceeded" from the fuzzing coordinator.
	"$root/scripts/fuzz.sh" "${FUZZTIME:-2000x}"
fi

step "web unit tests"
cd "$root/web"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund --loglevel=error
fi
npm test --silent
cd "$root"

step "browser end-to-end tests"
"$root/scripts/e2e.sh"
