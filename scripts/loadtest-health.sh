#!/usr/bin/env bash
# /health of bin/server against a bare Gin handler, side by side in one run
# (make loadtest runs it after the mix; LOADTEST_ONLY=health runs only it):
#
#   HEALTH_ROUNDS=2 HEALTH_DURATION=10s HEALTH_CONNS=32 scripts/loadtest-health.sh
#   HEALTH_GOGC=400 scripts/loadtest-health.sh   # both processes with that GOGC
#
# It starts a private PostgreSQL cluster (port 54338) and a fresh database,
# bin/server on it (127.0.0.1:18097) and `bin/loadtest -bare-gin`
# (127.0.0.1:18098: gin.New() in release mode, one GET /health answering
# c.JSON), then runs the same `wrk -t2 -c32 -d10s --latency` against each,
# alternating bare, server, bare, server... HEALTH_ROUNDS times, and prints
# per run the req/s, the latency, the CPU the serving process used per
# request (from /proc/<pid>/stat) and the ratio. Last, it stops PostgreSQL
# and polls /health until the first 503: the time from the stop to it.
# Everything is on loopback; wrk is installed with apt-get when missing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

rounds=${HEALTH_ROUNDS:-2}
duration=${HEALTH_DURATION:-10s}
conns=${HEALTH_CONNS:-32}
threads=${HEALTH_THREADS:-2}
port=${HEALTH_PORT:-18097}
gogc=()
if [ -n "${HEALTH_GOGC:-}" ]; then gogc=(GOGC="$HEALTH_GOGC"); fi
bare_port=${HEALTH_BARE_PORT:-18098}
pg_port=${HEALTH_PG_PORT:-54338}

if ! command -v wrk >/dev/null 2>&1; then
	echo "wrk is not installed; installing it (apt-get install wrk)..." >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "error: run as root or install wrk yourself" >&2
		exit 1
	fi
	apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >&2
fi

admin_url=$("$root/scripts/pg.sh" start healthab "$pg_port")
db="healthab_$(date +%s)_$$"
db_url=$("$root/scripts/newdb.sh" "$admin_url" "$db")

echo "building bin/server and bin/loadtest..."
go build -o bin/server ./cmd/server
go build -o bin/loadtest ./cmd/loadtest

mkdir -p .data
log="$root/.data/loadtest-health-server.log"
jwt_secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
enc_key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
env -i PATH="$PATH" HOME="${HOME:-/root}" \
	APP_ENV=test PORT="$port" DATABASE_URL="$db_url" \
	JWT_SECRET="$jwt_secret" TOKEN_ENCRYPTION_KEY="$enc_key" \
	PUBLIC_URL="http://127.0.0.1:$port" FRONTEND_URL="http://127.0.0.1:$port" LOG_LEVEL=info "${gogc[@]}" \
	"$root/bin/server" >"$log" 2>&1 &
pid=$!
env "${gogc[@]}" "$root/bin/loadtest" -bare-gin "127.0.0.1:$bare_port" >"$root/.data/loadtest-health-bare.log" 2>&1 &
bare_pid=$!
results=$(mktemp)
cleanup() {
	rm -f "$results"
	kill "$pid" "$bare_pid" 2>/dev/null || true
	wait "$pid" "$bare_pid" 2>/dev/null || true
	"$root/scripts/pg.sh" start healthab "$pg_port" >/dev/null 2>&1 &&
		psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	"$root/scripts/pg.sh" stop healthab || true
}
trap cleanup EXIT

want='{"status":"ok","database":"ok"}'
for u in "http://127.0.0.1:$port/health" "http://127.0.0.1:$bare_port/health"; do
	for _ in $(seq 1 100); do
		[ "$(curl -fsS "$u" 2>/dev/null)" = "$want" ] && break
		kill -0 "$pid" 2>/dev/null && kill -0 "$bare_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
		sleep 0.1
	done
	[ "$(curl -fsS "$u")" = "$want" ] || { echo "error: $u does not answer $want" >&2; exit 1; }
done

# cpu_ticks PID: user + system clock ticks the process has used so far.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# measure NAME PID URL: one wrk run; appends "name rps p50 p99 avg cpu_us" to $results.
measure() {
	local name=$1 p=$2 url=$3 out before after
	before=$(cpu_ticks "$p")
	out=$(wrk -t"$threads" -c"$conns" -d"$duration" --latency "$url")
	after=$(cpu_ticks "$p")
	if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
		echo "error: $name had failed requests:" >&2
		echo "$out" >&2
		exit 1
	fi
	awk -v name="$name" -v ticks=$((after - before)) -v hz="$hz" -v load="$(cut -d' ' -f1 /proc/loadavg)" '
		function ms(v) {
			if (v ~ /us$/) return v / 1000
			if (v ~ /ms$/) return v + 0
			if (v ~ /s$/) return v * 1000
			return v
		}
		/^    Latency/ { avg = ms($2) }
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/requests in/ { n = $1 }
		/^Requests\/sec:/ { rps = $2 }
		END { printf "%s %.0f %.2f %.2f %.2f %.1f %s\n", name, rps, p50, p99, avg, ticks * 1e6 / hz / n, load }
	' <<<"$out" >>"$results"
	tail -1 "$results"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$threads -c$conns -d$duration --latency, $rounds rounds of bare Gin then bin/server${HEALTH_GOGC:+, both with GOGC=$HEALTH_GOGC}"
echo "columns: target req/s p50_ms p99_ms avg_ms cpu_us_per_request load_1m"
for _ in $(seq 1 "$rounds"); do
	measure bare "$bare_pid" "http://127.0.0.1:$bare_port/health"
	measure server "$pid" "http://127.0.0.1:$port/health"
done

echo
awk '
	{ rps[$1] += $2; p50[$1] += $3; p99[$1] += $4; cpu[$1] += $6; n[$1]++ }
	$1 == "bare" { last = $2 }
	$1 == "server" && last > 0 { r = $2 / last; if (min == "" || r < min) min = r; if (r > max) max = r }
	END {
		printf "| target | req/s | p50 ms | p99 ms | CPU us/request |\n|---|---:|---:|---:|---:|\n"
		for (t in n) printf "| %s | %.0f | %.2f | %.2f | %.1f |\n", t == "bare" ? "bare Gin" : "bin/server", rps[t] / n[t], p50[t] / n[t], p99[t] / n[t], cpu[t] / n[t]
		printf "\nbin/server / bare Gin: %.0f %% of the throughput (runs %.0f-%.0f %%), %.0f %% of the CPU per request\n",
			100 * rps["server"] / n["server"] / (rps["bare"] / n["bare"]), 100 * min, 100 * max,
			100 * cpu["server"] / n["server"] / (cpu["bare"] / n["bare"])
	}' "$results"

# The database goes away: the first 503 must come within a second.
start=$(date +%s%N)
"$root/scripts/pg.sh" stop healthab &
stopper=$!
first=""
while [ $(($(date +%s%N) - start)) -lt 5000000000 ]; do
	code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$port/health" || true)
	if [ "$code" = 503 ]; then
		first=$(($(date +%s%N) - start))
		break
	fi
	sleep 0.01
done
wait "$stopper" || true
stopped=$(($(date +%s%N) - start))
if [ -z "$first" ]; then
	echo "error: /health did not answer 503 within 5 s of the database stop" >&2
	exit 1
fi
awk -v s="$stopped" -v f="$first" 'BEGIN { printf "database stopped (pg_ctl stop -m fast, done after %.2f s): first 503 %.2f s after the stop began\n", s / 1e9, f / 1e9 }'
if [ "$first" -gt 1000000000 ]; then
	echo "error: the first 503 came later than 1 s" >&2
	exit 1
fi

# The server's log must hold none of the run's secrets.
SCAN_SECRETS="$jwt_secret"$'\n'"$enc_key" "$root/scripts/scan-logs.sh" "$log"
