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

if [ -z "${DATABASE_URL:-}" ]; then
	DATABASE_URL=$("$root/scripts/pg.sh" start dev 54329)
	export DATABASE_URL
	echo "PostgreSQL: private cluster in $("$root/scripts/pg.sh" dir dev) (port 54329)"
fi

mail_line="Mail: sent through SMTP_URL"
if [ -z "${SMTP_URL:-}" ]; then
	# A local mail catcher: every mail lands in its web inbox.
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
exec "$root/bin/server"
