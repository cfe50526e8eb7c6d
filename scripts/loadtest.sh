#!/usr/bin/env bash
# make loadtest: starts a private PostgreSQL cluster (port 54333) and a
# fresh database, builds and starts bin/server on 127.0.0.1:18090 with
# generated secrets, seeds it and drives it with cmd/loadtest: a /health
# burst, then a bounded mix of the main routes from concurrent clients.
#
#   LOADTEST_DURATION=45s LOADTEST_CLIENTS=32 LOADTEST_LOGIN_CLIENTS=2 LOADTEST_BURST=10s \
#   LOADTEST_WARM=true scripts/loadtest.sh
#
# The server trusts 127.0.0.1 as a proxy (TRUSTED_PROXIES), so that each
# simulated client can name its own address in X-Forwarded-For and the
# per-IP limits (login 5/min, waitlist 120/min) apply per client, as they
# would behind a load balancer. Everything targets loopback only.
#
# Then scripts/loadtest-health.sh compares /health with a bare Gin handler
# (LOADTEST_HEALTH=false skips it; LOADTEST_ONLY=health runs only it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${LOADTEST_ONLY:-}" = health ]; then
	exec "$root/scripts/loadtest-health.sh"
fi

port=${LOADTEST_PORT:-18090}
duration=${LOADTEST_DURATION:-45s}
clients=${LOADTEST_CLIENTS:-32}
login_clients=${LOADTEST_LOGIN_CLIENTS:-2}
burst=${LOADTEST_BURST:-10s}
pg_port=${LOADTEST_PG_PORT:-54333}

admin_url=$("$root/scripts/pg.sh" start loadtest "$pg_port")
db="loadtest_$(date +%s)_$$"
db_url=$("$root/scripts/newdb.sh" "$admin_url" "$db")

echo "building bin/server and bin/loadtest..."
go build -o bin/server ./cmd/server
go build -o bin/loadtest ./cmd/loadtest

mkdir -p .data
log="$root/.data/loadtest-server.log"
jwt_secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
enc_key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
admin_password="lt-admin-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
env -i PATH="$PATH" HOME="${HOME:-/root}" \
	APP_ENV=test PORT="$port" DATABASE_URL="$db_url" \
	JWT_SECRET="$jwt_secret" TOKEN_ENCRYPTION_KEY="$enc_key" ADMIN_PASSWORD="$admin_password" \
	PUBLIC_URL="http://127.0.0.1:$port" FRONTEND_URL="http://127.0.0.1:$port" \
	TRUSTED_PROXIES=127.0.0.1 LOG_LEVEL=info \
	"$root/bin/server" >"$log" 2>&1 &
pid=$!
cleanup() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	if [ -z "${LOADTEST_KEEP_PG:-}" ]; then "$root/scripts/pg.sh" stop loadtest || true; fi
}
trap cleanup EXIT

for _ in $(seq 1 100); do
	curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(go version | cut -d' ' -f3)"
status=0
JWT_SECRET="$jwt_secret" "$root/bin/loadtest" -url "http://127.0.0.1:$port" -db "$db_url" \
	-server-pid "$pid" -duration "$duration" -clients "$clients" -login-clients "$login_clients" -only "${LOADTEST_ONLY:-}" -warm="${LOADTEST_WARM:-true}" -burst "$burst" \
	-out "$root/.data/loadtest-report.md" || status=$?

# The server's log must hold none of the run's secrets.
SCAN_SECRETS="$jwt_secret"$'\n'"$enc_key"$'\n'"$admin_password" "$root/scripts/scan-logs.sh" "$log" || status=1

if [ "${LOADTEST_HEALTH:-true}" != false ]; then
	# The mix's server and cluster are done with: the comparison starts its own.
	cleanup
	trap - EXIT
	echo
	echo "/health against a bare Gin handler:"
	"$root/scripts/loadtest-health.sh" || status=1
fi
exit "$status"
