#!/usr/bin/env bash
# make run: everything a fresh machine needs to show the product on one URL.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

"$root/scripts/toolchain.sh"
"$root/scripts/env.sh"

# Values from the environment win over .env, as in the server itself.
set -a
# shellcheck disable=SC1091
. <(grep -E '^[A-Z_][A-Z0-9_]*=' .env | while IFS= read -r line; do
	k=${line%%=*} v=${line#*=} # split at the first '=': base64 values end in '='
	[ -z "${!k:-}" ] && printf '%s=%q\n' "$k" "$v"
done)
set +a

# Ctrl-C stops the server, then what this run started (the cluster's data
# stays in .data/ for the next run); what was already running stays.
stop_pg=false stop_mail=false
cleanup() {
	if [ "$stop_mail" = true ]; then "$root/scripts/mailpit.sh" stop || true; fi
	if [ "$stop_pg" = true ]; then "$root/scripts/pg.sh" stop dev && echo "PostgreSQL stopped" >&2 || true; fi
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ]; then
	"$root/scripts/pg.sh" running dev || stop_pg=true
	DATABASE_URL=$("$root/scripts/pg.sh" start dev 54329)
	export DATABASE_URL
	echo "PostgreSQL: private cluster in $("$root/scripts/pg.sh" dir dev) (port 54329)"
fi

mail_line="Mail: sent through SMTP_URL"
if [ -z "${SMTP_URL:-}" ]; then
	# A local mail catcher: every mail lands in its web inbox.
	"$root/scripts/mailpit.sh" running || stop_mail=true
	SMTP_URL=$("$root/scripts/mailpit.sh" start)
	export SMTP_URL
	mail_line="Mail inbox: $("$root/scripts/mailpit.sh" inbox)  (Mailpit catches every mail)"
fi

"$root/scripts/build.sh"

port=${PORT:-8080}
url="http://localhost:$port"
cat <<MSG

  Creator Growth Tool is starting on  $url
  Admin page: $url/admin  (password: ADMIN_PASSWORD in .env)
  Instagram: ${INSTAGRAM_CLIENT_ID:+your app}${INSTAGRAM_CLIENT_ID:-built-in sandbox (no Meta app needed)}
  $mail_line
  Stop with Ctrl-C.

MSG
# The server shuts down cleanly on SIGINT or SIGTERM (a second one while it
# does is harmless); the script waits for it, then cleans up.
"$root/bin/server" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' INT TERM
status=0
wait "$server" || status=$?
while kill -0 "$server" 2>/dev/null; do
	status=0
	wait "$server" || status=$?
done
exit "$status"
