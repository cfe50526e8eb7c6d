#!/usr/bin/env bash
# Builds the product, starts it on a fresh database with the Instagram
# sandbox and a Mailpit of its own as the mail server, and runs the browser
# tests in Debian's Chromium against it. The server trusts X-Forwarded-For
# from loopback, so that each spec file is a client of its own for the
# per-IP limits. The tests read the mail through Mailpit's HTTP API at
# E2E_MAILPIT_URL. Mailpit listens on E2E_MAILPIT_SMTP_PORT (18125) and
# E2E_MAILPIT_HTTP_PORT (18126), away from `make run`'s 1025 and 8025;
# it and the server are stopped on exit. Arguments go to Playwright
# (scripts/e2e.sh e2e/sessions.spec.ts runs one file).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
	echo "installing Chromium (Debian package)..."
	if [ "$(id -u)" -ne 0 ]; then
		echo "error: /usr/bin/chromium is missing; install the chromium package" >&2
		exit 1
	fi
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

admin_url=${TEST_DATABASE_URL:-$("$root/scripts/test-db.sh")}
db="e2e_$(date +%s)_$$"
db_url=$("$root/scripts/newdb.sh" "$admin_url" "$db")

pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	"$root/scripts/mailpit.sh" stop e2e 2>/dev/null || true
	psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT

"$root/scripts/build.sh"

# A fresh inbox: an instance left by an interrupted run goes first.
"$root/scripts/mailpit.sh" stop e2e 2>/dev/null || true
smtp_url=$(MAILPIT_SMTP_PORT=${E2E_MAILPIT_SMTP_PORT:-18125} MAILPIT_HTTP_PORT=${E2E_MAILPIT_HTTP_PORT:-18126} \
	"$root/scripts/mailpit.sh" start e2e)
export E2E_MAILPIT_URL
E2E_MAILPIT_URL=$("$root/scripts/mailpit.sh" inbox e2e)

port=${E2E_PORT:-18080}
log="$root/.data/e2e-server.log"
mkdir -p "$root/.data"
export E2E_BASE_URL="http://localhost:$port"
export E2E_ADMIN_PASSWORD="e2e-admin-$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
jwt_secret=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
enc_key=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
env -i PATH="$PATH" HOME="${HOME:-/root}" \
	APP_ENV=test PORT="$port" DATABASE_URL="$db_url" \
	JWT_SECRET="$jwt_secret" TOKEN_ENCRYPTION_KEY="$enc_key" \
	ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" FRONTEND_URL="$E2E_BASE_URL" PUBLIC_URL="$E2E_BASE_URL" \
	TRUSTED_PROXIES="127.0.0.1/32,::1/128" SMTP_URL="$smtp_url" \
	"$root/bin/server" >"$log" 2>&1 &
pid=$!

for _ in $(seq 1 100); do
	curl -fsS "$E2E_BASE_URL/health" >/dev/null 2>&1 && break
	kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
	sleep 0.1
done

cd "$root/web"
npm run e2e --silent -- "$@"

# The server's log of the whole run must hold no secret.
SCAN_SECRETS="$jwt_secret"$'\n'"$enc_key"$'\n'"$E2E_ADMIN_PASSWORD" "$root/scripts/scan-logs.sh" "$log"
