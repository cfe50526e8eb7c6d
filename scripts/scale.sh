#!/usr/bin/env bash
# make scale: the scale drill. A private PostgreSQL cluster (port 54336),
# two bin/server replicas on one database and bin/fakeig as Instagram, all
# on loopback; cmd/scale seeds the accounts, runs the background work under
# a dashboard load, SIGKILLs one replica in the middle and prints a table
# (also written to .data/scale-report.md).
#
#   SCALE_ACCOUNTS=10000 SCALE_POSTS=1000 SCALE_WORK=4m SCALE_COMPRESS=1.25 scripts/scale.sh
#
# SCALE_COMPRESS is the time compression (a 6-hour cycle in 6h/F), SCALE_WORKERS
# each replica's JOB_WORKERS, SCALE_SEED_ONLY=1 stops after the seed and its
# check, SCALE_BULK=false seeds through the insert triggers instead.
#
# SCALE_COMPRESS defaults to what two replicas kept up with here (12,500 /
# SCALE_ACCOUNTS, at least 1: cmd/scale's autoCompress).
#
# Bounded: the drill stops after SCALE_LIMIT_MINUTES (default 12 plus one per
# 400 accounts: 37 for 10,000; one more at worst, then the build and the
# cluster's start and stop); the cluster is stopped and its database dropped
# on exit, whatever happened.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

pg_port=${SCALE_PG_PORT:-54336}
logs="$root/.data/scale-logs"
rm -rf "$logs"
mkdir -p "$logs"

echo "building bin/server, bin/fakeig and bin/scale..."
go build -o bin/server ./cmd/server
go build -o bin/fakeig ./cmd/fakeig
go build -o bin/scale ./cmd/scale

admin_url=$("$root/scripts/pg.sh" start scale "$pg_port")
cleanup() {
	for db in $(psql "$admin_url" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'scale\_%'" 2>/dev/null); do
		psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
	"$root/scripts/pg.sh" stop scale || true
}
trap cleanup EXIT

JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
METRICS_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export JWT_SECRET TOKEN_ENCRYPTION_KEY METRICS_TOKEN

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
# The seed of 10,000 accounts × 1,000 posts takes about 15 minutes here.
limit_min=${SCALE_LIMIT_MINUTES:-$((12 + ${SCALE_ACCOUNTS:-10000} / 400))}
# cmd/scale gives up after the limit by itself; timeout is the backstop.
timeout --kill-after=30s "$((limit_min + 1))m" "$root/bin/scale" -admin-url "$admin_url" -log-dir "$logs" \
	-limit "${limit_min}m" -accounts "${SCALE_ACCOUNTS:-10000}" -posts "${SCALE_POSTS:-1000}" -work "${SCALE_WORK:-4m}" \
	-kill-after "${SCALE_KILL_AFTER:-90s}" -clients "${SCALE_CLIENTS:-8}" \
	-compress "${SCALE_COMPRESS:-0}" -workers "${SCALE_WORKERS:-16}" -bulk="${SCALE_BULK:-true}" \
	-seed-only="$([ -n "${SCALE_SEED_ONLY:-}" ] && echo true || echo false)" \
	-out "$root/.data/scale-report.md" || status=$?

if compgen -G "$logs/server-*.log" >/dev/null; then
	SCAN_SECRETS="$JWT_SECRET"$'\n'"$TOKEN_ENCRYPTION_KEY"$'\n'"$METRICS_TOKEN" \
		"$root/scripts/scan-logs.sh" "$logs"/server-*.log || status=1
fi
exit "$status"
