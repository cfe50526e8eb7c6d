#!/usr/bin/env bash
# Fails when a server log holds a secret: a JWT, an access_token= with a
# value that is not REDACTED, or any of the literal values in SCAN_SECRETS
# (one per line: the admin password, the JWT secret, the encryption key...).
#
#   SCAN_SECRETS="$JWT_SECRET"$'\n'"$ADMIN_PASSWORD" scripts/scan-logs.sh server.log...
#
# Only the file name, line number and kind of each finding are printed,
# never the secret itself.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: scan-logs.sh LOG..." >&2
	exit 2
fi

found=0
report() { # file kind matches (grep -n output)
	local f=$1 kind=$2 lines
	lines=$(cut -d: -f1 <<<"$3" | head -5 | paste -sd, -)
	echo "scan-logs: $f: $kind on line(s) $lines" >&2
	found=1
}

scanned=0
for f in "$@"; do
	if [ ! -f "$f" ]; then
		echo "scan-logs: $f: no such file" >&2
		found=1
		continue
	fi
	scanned=$((scanned + 1))
	if m=$(grep -nE 'eyJ[A-Za-z0-9_-]+\.eyJ' "$f"); then report "$f" "a JWT" "$m"; fi
	# access_token=<value>, also URL-encoded or JSON-escaped, unless REDACTED.
	if m=$(grep -nP 'access_token(=|%3[dD]|\\u003[dD])(?!REDACTED|\[REDACTED\]|\*)[^&"\s\\]' "$f"); then
		report "$f" "an unredacted access_token" "$m"
	fi
	while IFS= read -r secret; do
		[ -z "$secret" ] && continue
		if [ "${#secret}" -lt 8 ]; then
			echo "scan-logs: ignoring a secret shorter than 8 characters" >&2
			continue
		fi
		if m=$(grep -nF -- "$secret" "$f"); then report "$f" "a configured secret" "$m"; fi
	done <<<"${SCAN_SECRETS:-}"
done

if [ "$found" -ne 0 ]; then
	echo "scan-logs: secrets found in server logs" >&2
	exit 1
fi
echo "scan-logs: $scanned log file(s) clean ($(printf '%s\n' "${SCAN_SECRETS:-}" | grep -c . || true) literal secret(s) checked)"
