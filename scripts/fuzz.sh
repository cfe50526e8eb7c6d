#!/usr/bin/env bash
# Runs every fuzz target of the module for a while each:
#   scripts/fuzz.sh [duration]          (default 3s; e.g. 5m for a long run)
# FUZZ_JOBS targets run at once (default 1; each with -parallel 1), and
# FUZZ_MATCH (a grep -E pattern) picks targets by name. A failing target
# leaves its input under <package>/testdata/fuzz/<Target>/: commit it as a
# regression seed once fixed. Logs go to FUZZ_LOG_DIR (default a temp dir).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

fuzztime=${1:-${FUZZTIME:-3s}}
jobs=${FUZZ_JOBS:-1}
match=${FUZZ_MATCH:-.}
logs=${FUZZ_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz.XXXXXX")}
mkdir -p "$logs"
if [ -z "${TEST_DATABASE_URL:-}" ]; then
	TEST_DATABASE_URL=$("$root/scripts/test-db.sh")
	export TEST_DATABASE_URL
fi

# "package target" pairs: go test -list prints a package's targets, then
# its "ok  <package>" line.
targets=$(go test -list '^Fuzz' ./... | awk '
	/^Fuzz/ { names[n++] = $1; next }
	/^ok/   { for (i = 0; i < n; i++) print $2, names[i]; n = 0 }' | grep -E " ($match)" || true)
if [ -z "$targets" ]; then
	echo "fuzz: no targets match $match" >&2
	exit 1
fi
echo "fuzz: $(wc -l <<<"$targets") targets, $fuzztime each, $jobs at a time, logs in $logs"

run() {
	local pkg=$1 name=$2 log="$logs/$2.log"
	if go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -parallel 1 "$pkg" >"$log" 2>&1; then
		echo "ok    $name ($pkg): $(grep -o 'elapsed: [^,]*, execs: [0-9]*' "$log" | tail -1)"
	else
		echo "FAIL  $name ($pkg): see $log"
		tail -n 30 "$log" | sed 's/^/      /'
		return 1
	fi
}

failed=0
running=0
while read -r pkg name; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n || failed=1
		running=$((running - 1))
	fi
	run "$pkg" "$name" &
	running=$((running + 1))
done <<<"$targets"
while [ "$running" -gt 0 ]; do
	wait -n || failed=1
	running=$((running - 1))
done
exit "$failed"
