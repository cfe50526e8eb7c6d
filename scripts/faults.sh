#!/usr/bin/env bash
# make faults: fault drills against the real binaries on loopback, with a
# private PostgreSQL cluster (port 54334) that the drills stop and restart:
#
#   a  PostgreSQL stopped and restarted under load (/health, waitlist)
#   b  the server SIGKILLed in the middle of a 10,000-post sync, restarted
#   c  Instagram (cmd/fakeig) answering 503 for a minute
#   d  SIGTERM under load
#   e  two replicas on one database, the one mid-backfill SIGKILLed: the
#      other takes the job over within 30 s and finishes it, once
#   f  the SMTP server (Mailpit, scripts/mailpit.sh on ports 18291/18292)
#      down while ten users ask for a password reset: every mail arrives
#      once it is back, none twice
#
#   FAULTS=abcdef scripts/faults.sh      # which drills (default all)
#   FAULTS_SMTP_OUTAGE=10 FAULTS=f ...   # drill f's outage in seconds (default 60)
#
# One line per drill with the measured outcome is printed at the end; the
# server logs (.data/faults-logs/) are then scanned for secrets. Bounded: the
# drills give up after 10 minutes in all, plus drill f's outage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

pg_port=${FAULTS_PG_PORT:-54334}
admin_url=$("$root/scripts/pg.sh" start faults "$pg_port")
logs="$root/.data/faults-logs"
outage=${FAULTS_SMTP_OUTAGE:-60}
if ! [[ $outage =~ ^[1-9][0-9]*$ ]]; then
	echo "error: FAULTS_SMTP_OUTAGE is a number of seconds, like 60" >&2
	exit 2
fi
rm -rf "$logs"
mkdir -p "$logs"

echo "building bin/server, bin/fakeig and bin/faults..."
go build -o bin/server ./cmd/server
go build -o bin/fakeig ./cmd/fakeig
go build -o bin/faults ./cmd/faults
"$root/scripts/mailpit.sh" install >/dev/null

JWT_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
TOKEN_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
ADMIN_PASSWORD="fault-admin-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export JWT_SECRET TOKEN_ENCRYPTION_KEY ADMIN_PASSWORD

cleanup() {
	"$root/scripts/mailpit.sh" stop faults 2>/dev/null || true
	# Drop the drills' databases; the cluster may have been left stopped.
	"$root/scripts/pg.sh" start faults "$pg_port" >/dev/null 2>&1 || true
	for db in $(psql "$admin_url" -tAc "SELECT datname FROM pg_database WHERE datname LIKE 'faults\_%'" 2>/dev/null); do
		psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
	done
	"$root/scripts/pg.sh" stop faults || true
}
trap cleanup EXIT

status=0
timeout $((660 + outage))s "$root/bin/faults" -admin-url "$admin_url" -pg-port "$pg_port" -log-dir "$logs" \
	-smtp-outage "${outage}s" -only "${FAULTS:-abcdef}" || status=$?

SCAN_SECRETS="$JWT_SECRET"$'\n'"$TOKEN_ENCRYPTION_KEY"$'\n'"$ADMIN_PASSWORD" \
	"$root/scripts/scan-logs.sh" "$logs"/server-*.log || status=1
exit "$status"
